"""Faults: an import killed with SIGKILL (in a child process, or the whole app while its inbox
watcher imports) leaves a store that opens and gives the KPIs of before or after the import, never
in between; a full disk or an unreadable file gives a clear message and changes nothing.

Expected figures: the fixture's own (before) and the fixture plus the imported file (after, by
hand: every imported row is an online dossier of C1 received 07/10 09:00 and resolved 07/10 11:00,
due 17:00, so each adds one to received, received_online, resolved and resolved_on_time; the two
rows of an unknown commune go to quarantine).
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fixtures import C1, PERIOD_FROM, PERIOD_TO

from ioc import kpi, store

ROOT = Path(__file__).resolve().parent.parent
WEEK = kpi.Period.of(PERIOD_FROM, PERIOD_TO)


@pytest.fixture
def before(fixture_db):
    with store.connect(fixture_db) as con:
        count, version, figures = state_of(con)
    assert (count, version, figures["received"]) == (27, "1", 13)
    return figures


IMPORT_ROWS = 20_000
APP_IMPORT_ROWS = 100_000
INGEST_CHILD = """
import os, signal, sys
from ioc import store
from ioc.ingest import ingest_file, load
db, path, point = sys.argv[1:4]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point in ("write_quarantine", "refresh_rollups"):
    setattr(load, point, die)
con = store.connect(db)
result = ingest_file(con, path)
if point == "after_commit":
    die()
print(result.status, flush=True)
"""


def write_import(path: Path, rows: int = IMPORT_ROWS) -> Path:
    """An export (Vietnamese headers) of `rows` new C1 dossiers received, resolved on time and
    online on 07/10, plus two rows of an unknown commune that go to quarantine."""
    header = (
        "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày nộp hồ sơ,Ngày tiếp nhận,"
        "Ngày hẹn trả,Ngày kết thúc xử lý\n"
    )
    times = "07/10/2025 09:00:00,07/10/2025 09:00:00,07/10/2025 17:00:00,07/10/2025 11:00:00"
    lines = [f"IMP{n:06d},1.001193,{C1},Trực tuyến,Đã trả kết quả,{times}\n" for n in range(rows)]
    lines += [f"BAD{n},1.001193,99999,Trực tuyến,Đã trả kết quả,{times}\n" for n in range(2)]
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def import_child(db: Path, path: Path, point: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", INGEST_CHILD, str(db), str(path), point],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def full_state(db: Path) -> tuple[int, int, str, dict]:
    with store.connect(db) as con:
        quarantined = con.execute("select count(*) from quarantine").fetchone()[0]
        count, version, figures = state_of(con)
        return count, quarantined, version, figures


def state_of(con) -> tuple[int, str, dict]:
    count = con.execute("select count(*) from dossiers").fetchone()[0]
    return count, store.get_meta(con, "data_version"), kpi.city_kpis(con, WEEK, commune=C1)


def check_after(state: tuple, before: dict, rows: int = IMPORT_ROWS) -> None:
    count, quarantined, version, figures = state
    assert (count, quarantined, version) == (27 + rows, 2, "2")
    expected = {
        "received": before["received"] + rows,
        "received_online": before["received_online"] + rows,
        "resolved": before["resolved"] + rows,
        "resolved_on_time": before["resolved_on_time"] + rows,
    }
    assert {k: figures[k] for k in expected} == expected


@pytest.mark.parametrize("point", ["write_quarantine", "refresh_rollups"])
def test_import_killed_inside_its_transaction_leaves_the_store_as_before(
    fixture_db, before, tmp_path, point
):
    proc = import_child(fixture_db, write_import(tmp_path / "export.csv"), point)
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    assert full_state(fixture_db) == (27, 0, "1", before)


def test_import_killed_after_commit_keeps_the_whole_file(fixture_db, before, tmp_path):
    proc = import_child(fixture_db, write_import(tmp_path / "export.csv"), "after_commit")
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    check_after(full_state(fixture_db), before)


def test_import_killed_at_random_moments_is_before_or_after(fixture_db, before, tmp_path):
    rng = random.Random(3)
    path = write_import(tmp_path / "export.csv")
    for trial in range(4):
        db = tmp_path / f"trial{trial}.duckdb"
        shutil.copy(fixture_db, db)
        proc = import_child(db, path, "none")
        time.sleep(rng.uniform(0.5, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        state = full_state(db)
        if state[0] == 27:
            assert state == (27, 0, "1", before)
        else:
            check_after(state, before)


def test_full_disk_while_writing_an_import_fails_cleanly(
    fixture_con, before, tmp_path, monkeypatch
):
    from ioc.ingest import ingest_file, load

    original = load.write_dossiers

    def write_then_full(*args, **kwargs):
        original(*args, **kwargs)  # the rows are written in the transaction, then the disk fills
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(load, "write_dossiers", write_then_full)
    path = write_import(tmp_path / "export.csv", rows=100)
    result = ingest_file(fixture_con, path)
    assert result.status == "failed"
    assert "No space left on device" in result.message
    assert (result.rows_inserted, result.rows_updated) == (0, 0)
    assert state_of(fixture_con) == (27, "1", before)
    assert fixture_con.execute("select count(*) from quarantine").fetchone()[0] == 0
    monkeypatch.setattr(load, "write_dossiers", original)
    assert ingest_file(fixture_con, path).status == "ok"  # once there is room, the same file loads
    assert state_of(fixture_con)[0] == 27 + 100


@pytest.mark.parametrize(
    "name, content",
    [("broken.xlsx", b"PK\x03\x04 not really a workbook"), ("broken.parquet", b"PAR1 truncated")],
)
def test_unreadable_file_gives_a_message_and_changes_nothing(
    fixture_con, before, tmp_path, name, content
):
    from ioc.ingest import ingest_file

    path = tmp_path / name
    path.write_bytes(content)
    result = ingest_file(fixture_con, path)
    assert result.status == "failed" and result.message
    assert state_of(fixture_con) == (27, "1", before)
    run = fixture_con.execute("select status, message from ingest_runs").fetchall()
    assert run == [("failed", result.message)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_app_killed_while_its_watcher_imports(fixture_db, before, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    port = free_port()
    env = os.environ | {"IOC_INBOX": str(inbox), "IOC_BACKUP_AT": "off"}
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
        + ["--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                # The first page view opens the store and starts the inbox watcher.
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from websockets.sync.client import connect

        with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"]) as ws:
            ask = BackMsg()
            ask.rerun_script.query_string = ""
            ws.send(ask.SerializeToString())
            time.sleep(2)
        partial = write_import(tmp_path / ".export.csv.part", rows=APP_IMPORT_ROWS)
        os.replace(partial, inbox / "export.csv")
        # The watcher waits 1 s for the file to settle and polls every 2 s; a 100k-row import
        # then takes seconds, so 3.5 s falls inside it (either outcome must be consistent).
        time.sleep(3.5)
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    state = full_state(fixture_db)
    if state[0] == 27:
        assert state == (27, 0, "1", before)
    else:
        check_after(state, before, APP_IMPORT_ROWS)
