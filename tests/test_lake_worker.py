"""Replicas and one worker on the DuckLake store (issue 17, item 2; docs/ducklake.md): an app
process on the lake hands its uploads to `ioc worker` instead of importing, `ioc ingest` does the
same, and the worker imports them, each one snapshot labelled with its run id.

The concurrency test (the issue's Tests section): three reader processes count the week's figures
through the package (kpi.kpi_counts, as the pages do) on read-only attaches while the worker
process imports a 100,000-row export from its inbox and a second writer process imports an export
that updates two earlier dossiers. Every count a reader sees is a whole state of the hand-computed
fixture (tests/test_kpi.py) before or after each import, never in between; nothing fails; the
updated dossiers are still one row each and both imports landed once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import C1, C2

from ioc import cli, lake, startup, store, worker
from ioc.ingest import inbox, runs

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"
BIG_ROWS = 100_000


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


@pytest.fixture
def inbox_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "inbox"
    monkeypatch.setenv("IOC_INBOX", str(folder))
    return folder


def test_an_app_replica_hands_uploads_to_the_worker(fixture_con, inbox_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(startup, "_WORKER", [False])
    monkeypatch.setattr(startup, "_instances", {})
    monkeypatch.setattr(inbox, "SETTLE_SECONDS", 0.0)
    assert runs.hands_over()  # an app process on the lake does not import
    replica = startup.open_store(tmp_path / "unused.duckdb")
    assert replica is not fixture_con and lake.is_lake(replica)
    before = replica.execute("select count(*) from dossiers").fetchone()[0]
    content = (
        HEADER + "U1,1.001193,90003,Trực tuyến,4,08/10/2025 09:00,08/10/2025 17:00,\n"
    ).encode()
    assert runs.hand_uploads([("chieu.csv", content)], 105.0, username="admin") == ["chieu.csv"]
    assert replica.execute("select count(*) from dossiers").fetchone()[0] == before  # not yet
    # the worker's watcher imports it, as the admin who uploaded it, under its upload name
    (result,) = inbox.poll_once(lambda: store.cursor(fixture_con), inbox_dir)
    assert (result.status, result.rows_inserted, result.source_file) == ("ok", 1, "chieu.csv")
    assert result.username == "admin"
    assert lake.snapshots(replica)["commit_message"].to_list()[-1] == result.run_id
    assert replica.execute("select count(*) from dossiers").fetchone()[0] == before + 1
    # the file went to processed/, its note is gone (the lake's write lock file stays)
    assert sorted(p.name for p in inbox_dir.iterdir()) == [".lake.lock", "processed"]


def test_pages_say_when_no_worker_runs(fixture_db, inbox_dir, monkeypatch):
    """The data-age line of every page on a lake replica: amber with one line when no worker has
    beaten in the last minute (never, or stopped at a time shown), plain once one beats."""
    from streamlit.testing.v1 import AppTest

    from ioc import auth
    from ioc.scope import CITY_LEADER, Scope

    monkeypatch.setattr(startup, "_WORKER", [False])
    monkeypatch.setattr(startup, "_instances", {})

    def data_line() -> str:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "leader"))
        at.run()
        assert not at.exception
        lines = [e.value for e in (*at.caption, *at.markdown) if "Dữ liệu cập nhật" in e.value]
        return lines[0]

    assert data_line().startswith(":orange[")
    assert "Chưa có bộ nhập dữ liệu (ioc worker) nào chạy" in data_line()
    inbox_dir.mkdir(parents=True, exist_ok=True)
    (inbox_dir / worker.HEARTBEAT).write_text(
        json.dumps({"at": "2025-10-13T09:40:00", "state": "stopped"}), encoding="utf-8"
    )
    assert "Bộ nhập dữ liệu (ioc worker) ngừng từ 09:40 13/10/2025" in data_line()
    worker.beat()
    assert "ioc worker" not in data_line()


def test_ioc_ingest_on_the_lake_hands_files_to_the_worker(fixture_db, inbox_dir, tmp_path, capsys):
    export = tmp_path / "sang.csv"
    export.write_text(HEADER + "V1,1.001193,90003,2,4,08/10/2025 09:00,08/10/2025 17:00,\n")
    assert cli.main(["ingest", str(export)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("1 file(s) copied into the worker's inbox")
    # no worker ran here: one line says to start it
    assert err.strip().startswith("ioc ingest: no worker has said it is running")
    assert (inbox_dir / "sang.csv").is_file()
    worker.beat()
    assert cli.main(["ingest", str(export)]) == 0
    assert capsys.readouterr().err == ""  # a worker beat just now
    assert (inbox_dir / "sang-1.csv").is_file()


def test_the_worker_needs_the_lake(fixture_db, monkeypatch, capsys):
    monkeypatch.setenv("IOC_STORE", "duckdb")
    assert cli.main(["worker"]) == 2
    assert capsys.readouterr().err.strip() == (
        "ioc worker is for the DuckLake store (IOC_STORE=ducklake); on the file store the app "
        "imports, backs up and refreshes itself"
    )


def test_a_replica_of_a_lake_without_a_store_says_to_start_the_worker(lake_settings):
    with pytest.raises(lake.LakeError, match="start `ioc worker` first"):
        store.connect_replica()


def test_an_import_refused_for_a_conflict_runs_again_and_lands_once(
    fixture_con, tmp_path, monkeypatch
):
    """Another process updates the dossiers while an import writes them: DuckLake refuses the
    import's commit ("Transaction conflict"); the import runs again whole, reading the ids the
    store holds anew, and lands once, in one snapshot labelled with its run id."""
    from ioc.ingest import ingest_file, load

    other = lake.connect()  # another process's connection (its own DuckDB, its own attach)
    calls = []
    real_bump = load.bump_version

    def bump_while_another_writes(con, real=True):
        calls.append(1)
        if len(calls) == 1:  # the first attempt: another writer commits meanwhile
            other.execute("update dossiers set status = 'returned' where dossier_id = 'e05'")
        real_bump(con, real)

    monkeypatch.setattr(load, "bump_version", bump_while_another_writes)
    conflicts = store.CONFLICTS[0]
    export = tmp_path / "cap-nhat.csv"
    export.write_text(
        HEADER
        + f"d04,2.000815,{C1},Trực tuyến,10,08/10/2025 09:00,10/10/2025 17:00,09/10/2025 10:00\n"
        + "N1,1.001193,90003,Trực tuyến,4,08/10/2025 09:00,08/10/2025 17:00,\n",
        encoding="utf-8",
    )
    try:
        result = ingest_file(fixture_con, export)
    finally:
        other.close()
    assert (result.status, result.rows_inserted, result.rows_updated) == ("ok", 1, 1)
    assert len(calls) == 2 and store.CONFLICTS[0] == conflicts + 1
    assert fixture_con.execute(
        "select dossier_id, count(*) from dossiers where dossier_id in ('d04', 'e05', 'N1') "
        "group by 1 order by 1"
    ).fetchall() == [("N1", 1), ("d04", 1), ("e05", 1)]
    # both writes are there: the other process's and the import's
    assert fixture_con.execute(
        "select dossier_id, status from dossiers where dossier_id in ('d04', 'e05') order by 1"
    ).fetchall() == [("d04", "returned"), ("e05", "returned")]
    assert lake.snapshots(fixture_con)["commit_message"].to_list().count(result.run_id) == 1


def test_lake_writes_hold_the_lock_a_checkpoint_needs_alone(fixture_con, inbox_dir):
    """A checkpoint never runs during a write anywhere (lake.write_guard): a transaction on the
    lake and a write outside one hold the lock shared, so an exclusive claim fails meanwhile."""
    import fcntl

    def exclusive_is_free() -> bool:
        with open(lake.lock_path(), "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(handle, fcntl.LOCK_UN)
            return True

    assert lake.lock_path() == inbox_dir / ".lake.lock"
    with store.transaction(fixture_con):
        store.set_meta(fixture_con, "probe", "1")
        assert not exclusive_is_free()
    assert exclusive_is_free()
    with lake.write_guard():
        assert not exclusive_is_free()
    assert worker.checkpoint() >= 0  # takes the lock alone, and gives it back
    assert exclusive_is_free()
    assert store.get_meta(fixture_con, "probe") == "1"


# --- the concurrency test ----------------------------------------------------------------------

READER = r"""
import json, sys, time
from datetime import datetime
from pathlib import Path
from ioc import kpi, store
from ioc.kpi import Period

out, stop = Path(sys.argv[1]), Path(sys.argv[2])
period = Period.of(datetime(2025, 10, 6).date(), datetime(2025, 10, 12).date(),
                   now=datetime(2025, 10, 20, 9, 0))
seen, reads, errors = {}, 0, []
con = store.connect(read_only=True)
while not stop.exists():
    try:
        frame = kpi.kpi_counts(con, period, province="01", voice=False)
        rows = {r["group_key"]: r for r in frame.iter_rows(named=True)}
        c1, c2 = rows["90001"], rows["90002"]
        state = (c1["received"], c1["resolved"], c1["open_at_end"], c2["resolved"],
                 c2["open_at_end"])
        seen[repr(state)] = seen.get(repr(state), 0) + 1
        reads += 1
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}"[:300])
        time.sleep(0.05)
out.write_text(json.dumps({"seen": seen, "reads": reads, "errors": errors}))
"""

SECOND_WRITER = r"""
import sys
from ioc import store
from ioc.ingest import ingest_file

con = store.connect()
result = ingest_file(con, sys.argv[1], username="second")
print(result.status, result.rows_inserted, result.rows_updated, result.run_id, store.CONFLICTS[0],
      result.message, flush=True)
"""


def write_big_export(path: Path, rows: int) -> Path:
    """`rows` new dossiers of C1 received online on 07/10 and returned the same day (the format
    of tests/test_faults.py), and two rows of an unknown commune that go to quarantine."""
    header = (
        "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày nộp hồ sơ,Ngày tiếp nhận,"
        "Ngày hẹn trả,Ngày kết thúc xử lý\n"
    )
    times = "07/10/2025 09:00:00,07/10/2025 09:00:00,07/10/2025 17:00:00,07/10/2025 11:00:00"
    lines = [f"BIG{n:06d},1.001193,{C1},Trực tuyến,Đã trả kết quả,{times}\n" for n in range(rows)]
    lines += [f"BAD{n},1.001193,99999,Trực tuyến,Đã trả kết quả,{times}\n" for n in range(2)]
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_readers_see_before_or_after_while_the_worker_imports(
    fixture_con, inbox_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv("IOC_LAKE_CHECKPOINT_MINUTES", "0.05")  # a checkpoint every 3 s too
    monkeypatch.setenv("IOC_BACKUP_AT", "off")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    (tmp_path / "big").mkdir()
    big = write_big_export(tmp_path / "big" / "ca-ngay.csv", BIG_ROWS)
    updates = tmp_path / "cap-nhat.csv"
    updates.write_text(
        HEADER
        # d04 (C1, processing) and e05 (C2, processing) returned within the week
        + f"d04,2.000815,{C1},Trực tuyến,10,08/10/2025 09:00,10/10/2025 17:00,09/10/2025 10:00\n"
        + f"e05,2.000815,{C2},Trực tiếp,10,09/10/2025 09:00,11/10/2025 17:00,10/10/2025 10:00\n",
        encoding="utf-8",
    )
    fixture_con.close()

    def spawn(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader{n}.json" for n in range(3)]
    daemon = spawn("-m", "ioc", "worker")
    readers = [spawn("-c", READER, str(out), str(stop)) for out in outs]
    second = None
    try:
        wait_for(lambda: (worker.last_beat() or {}).get("state") == "running", 60, "the worker")
        started = time.monotonic()
        inbox.hand_over([big], inbox_dir)
        # the second import starts while the worker imports the big one
        wait_for(lambda: (inbox_dir / inbox.IMPORTING).exists(), 60, "the big import to start")
        second = spawn("-c", SECOND_WRITER, str(updates))
        second_out, second_err = second.communicate(timeout=120)
        processed = inbox_dir / inbox.PROCESSED
        wait_for(lambda: processed.is_dir() and any(processed.iterdir()), 240, "the big import")
        elapsed = time.monotonic() - started
        time.sleep(1.0)  # the readers read the final state a few times
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)
        daemon.send_signal(signal.SIGTERM)
        daemon_out, daemon_err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, daemon_err[-2000:]
    assert not (inbox_dir / inbox.FAILED).exists()  # no file failed
    status, _inserted, updated, second_run, _conflicts, *_ = second_out.split()
    assert (status, updated) == ("ok", "2"), second_out + second_err[-2000:]

    results = [json.loads(out.read_text()) for out in outs]
    # (C1 received, C1 resolved, C1 open at the end, C2 resolved, C2 open at the end):
    # tests/test_kpi.py's hand figures, + the big import (100,000 received and resolved by C1),
    # + the updates (d04 and e05 resolved: one more resolved, one fewer open each)
    n = BIG_ROWS
    before, big_only = (13, 7, 6, 5, 1), (13 + n, 7 + n, 6, 5, 1)
    updates_only, both = (13, 8, 5, 6, 0), (13 + n, 8 + n, 5, 6, 0)
    allowed = {repr(s) for s in (before, big_only, updates_only, both)}
    for result in results:
        assert result["errors"] == []
        assert set(result["seen"]) <= allowed, result["seen"]
        assert result["reads"] > 0
    seen = {state for result in results for state in result["seen"]}
    assert repr(before) in seen and repr(both) in seen

    con = store.connect(read_only=True)
    try:
        # each updated dossier is one row, each big row once; the quarantine once
        counted = con.execute(
            "select count(*), count(distinct dossier_id) from dossiers"
        ).fetchone()
        assert counted == (27 + n, 27 + n), (
            counted,
            con.execute(
                "select left(dossier_id, 3), count(*), count(distinct dossier_id) from dossiers "
                "group by 1 order by 1"
            ).fetchall(),
            second_out,
            daemon_err[-3000:],
        )
        assert con.execute(
            "select dossier_id, status from dossiers where dossier_id in ('d04', 'e05') order by 1"
        ).fetchall() == [("d04", "returned"), ("e05", "returned")]
        assert con.execute("select count(*) from quarantine").fetchone() == (2,)
        done = dict(
            con.execute(
                "select source_file, rows_inserted || '/' || rows_updated from ingest_runs "
                "where status = 'ok'"
            ).fetchall()
        )
        assert done == {"ca-ngay.csv": f"{n}/0", "cap-nhat.csv": "0/2"}
        messages = lake.snapshots(con)["commit_message"].to_list()
        assert messages.count(second_run) == 1
    finally:
        con.close()
    reads = sum(result["reads"] for result in results)
    print(
        f"\n{n} rows imported by the worker in {elapsed:.1f} s (hand-over to processed/), "
        f"{reads} reads by 3 readers, states seen {sorted(seen)}, heartbeat "
        f"{worker.last_beat()}, second writer: {second_out.strip()}"
    )
