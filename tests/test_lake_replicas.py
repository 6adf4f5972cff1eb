"""App replicas attached READ_ONLY and their writes made by `ioc worker` (issue 17, item 2;
ioc/writes.py, docs/ducklake.md): a replica cannot write the lake itself; a sign-in, a sign-out,
audit records, an action recorded and changed, a target, a mapping with its quarantine retry and
a secondment made from a replica's connection land once each, written by the worker (run here as
the command runs it, worker.run, in a thread; and as a process for two replicas recording at the
same time); without a worker a write says so in one line within the wait and pages still render."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fixtures import C1
from streamlit.testing.v1 import AppTest

from ioc import (
    actions,
    audit,
    auth,
    capacity,
    lake,
    sessions,
    startup,
    store,
    targets,
    worker,
    writes,
)
from ioc.ingest import ingest_file, quarantine
from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, WARD_CHAIR, Scope

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"
PASSWORD = "Mat-khau-9x!"
PRES = Scope(PRESENTER, None, "pres")
UNAVAILABLE = (
    "Chưa lưu được: bộ ghi dữ liệu (ioc worker) không chạy, nên tạm thời không ghi được gì; "
    "các trang vẫn xem được bình thường. Hãy báo quản trị."
)


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def inbox_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "inbox"
    monkeypatch.setenv("IOC_INBOX", str(folder))
    monkeypatch.setenv("IOC_BACKUP_AT", "off")
    return folder


@pytest.fixture
def replica(fixture_con, inbox_dir):
    """An app replica's connection: the lake attached READ_ONLY (store.connect_replica)."""
    con = store.connect_replica()
    yield con
    con.close()


@pytest.fixture
def running_worker(fixture_db, fixture_con, inbox_dir, monkeypatch):
    """`ioc worker` as the command runs it (worker.run: its loop, heartbeat and the thread
    serving the writes) in a thread, stopped after the test. The app's own threads it starts
    too (inbox watcher, daily backup) cannot be stopped: marked started already, they are not
    (tests/test_lake_worker.py runs them)."""
    monkeypatch.setattr(startup, "_WORKER", [False])
    monkeypatch.setattr(startup, "_instances", {})
    monkeypatch.setattr(startup, "_services", {str(fixture_db.resolve())})
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop, 0.5), daemon=True)
    thread.start()
    wait_for(lambda: not worker.silent()[0], 60, "the worker's heartbeat")
    yield
    stop.set()
    thread.join(timeout=60)
    assert not thread.is_alive()


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def settled() -> None:
    """Wait until the worker has written every request sent (those not waited for too)."""
    folder = writes.folder()
    wait_for(
        lambda: not any(folder.glob("*.json")) and not any(folder.glob("*.run")),
        30,
        "the worker to write the requests",
    )


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def audited(con, action: str) -> int:
    return one(con, "select count(*) from audit_log where action = ?", action)[0]


def test_a_replica_is_attached_read_only(replica):
    assert lake.is_read_only(replica) and lake.is_read_only(store.cursor(replica))
    with pytest.raises(duckdb.Error, match="read-only|read only"):
        replica.execute("insert into meta values ('probe', '1')")
    with pytest.raises(duckdb.Error, match="read-only|read only"):  # the package's path too
        store.execute(
            replica,
            "audit_insert",
            logged_at=audit.wall_clock(),
            username="x",
            action=audit.SIGN_IN,
            commune=None,
            detail=None,
        )
    assert store.get_meta(replica, "probe") is None


def test_sign_in_and_out_from_a_replica_land_once(fixture_con, replica, running_worker):
    auth.add_user(fixture_con, "chair1", WARD_CHAIR, PASSWORD, C1)
    with pytest.raises(auth.AuthError) as refused:  # rebuilt in the replica: same class, reason
        auth.authenticate(replica, "chair1", "wrong", source="10.0.0.9")
    assert refused.value.reason == "bad_credentials"
    assert one(fixture_con, "select failed_attempts from users where username = 'chair1'") == (1,)
    scope = auth.authenticate(replica, "chair1", PASSWORD, source="10.0.0.9")
    assert scope == Scope(WARD_CHAIR, C1, "chair1")
    tab: dict = {}
    code = sessions.begin(tab, replica, scope, source="10.0.0.9")
    # the session row is there when begin returns: the cookie resumes it at once
    cookie = sessions.take_handoff(code)
    assert sessions.resume({}, replica, {sessions.COOKIE: cookie}) == scope
    auth.sign_in_session(tab, scope)
    sessions.sign_out(tab, replica, scope)  # the revoke is sent, not waited for
    settled()
    assert one(
        fixture_con, "select count(*), count(revoked_at), max(revoked_reason) from user_sessions"
    ) == (1, 1, "sign_out")
    assert one(fixture_con, "select failed_attempts from users where username = 'chair1'") == (0,)
    assert [audited(fixture_con, a) for a in (audit.SIGN_IN_FAILED, audit.SIGN_IN)] == [1, 1]
    assert [audited(fixture_con, a) for a in (audit.SESSION_RESUME, audit.SIGN_OUT)] == [1, 1]
    # the replica's next query sees the worker's commits
    assert one(replica, "select count(revoked_at) from user_sessions") == (1,)


def test_actions_targets_mappings_and_secondments_from_a_replica_land_once(
    fixture_con, replica, running_worker, tmp_path
):
    # an action recorded, refused twice (the same error, its key and values), changed, done
    meeting = actions.meeting_for(replica, PRES, "Giao ban tuần")
    assert meeting == actions.Meeting(1, date(2025, 10, 13), "Giao ban tuần")
    assert actions.meeting_for(replica, PRES, "Giao ban tuần") == meeting
    number = actions.add(replica, PRES, meeting, C1, "Giải quyết hồ sơ quá hạn", None,
                         date(2025, 10, 17))  # fmt: skip
    assert number == 1
    with pytest.raises(actions.ActionError) as twice:
        actions.add(replica, PRES, meeting, C1, "Giải quyết hồ sơ quá hạn", None,
                    date(2025, 10, 17))  # fmt: skip
    assert (twice.value.key, twice.value.values) == ("action.error.duplicate", {"n": 1})
    changed = actions.edit(replica, PRES, 1, C1, "Giải quyết hồ sơ quá hạn", "Tổ một cửa",
                           date(2025, 10, 20))  # fmt: skip
    assert changed == ["owner", "deadline"]
    assert actions.set_done(replica, PRES, 1) is True
    assert fixture_con.execute(
        "select action_id, meeting_id, owner, deadline, state from meeting_actions"
    ).fetchall() == [(1, 1, "Tổ một cửa", date(2025, 10, 20), "done")]
    assert one(fixture_con, "select count(*) from meetings") == (1,)
    assert one(fixture_con, "select count(*) from meeting_action_history where action_id = 1") == (
        4,
    )

    # a target, and one before it refused with the date of the latest
    metric = targets.METRICS[0]
    targets.add(replica, metric, targets.CITY, 0.9, date(2025, 11, 1), None, "admin")
    with pytest.raises(targets.TargetError) as early:
        targets.add(replica, metric, targets.CITY, 0.5, date(2025, 10, 20), None, "admin")
    assert (early.value.reason, early.value.latest) == ("before_latest", date(2025, 11, 1))
    assert one(
        fixture_con,
        "select count(*) from targets where metric = ? and effective_from = '2025-11-01'",
        metric,
    ) == (1,)

    # a mapping taught from the replica lands the two held rows of an import (the retry)
    export = tmp_path / "held.csv"
    export.write_text(
        HEADER
        + "Q1,1.001193,90003,2,4,08/10/2025 09:00,08/10/2025 17:00,\n"
        + "Q2,1.001193,90003,2,Hồ sơ treo,08/10/2025 09:00,08/10/2025 17:00,\n"
        + "Q3,1.001193,90003,2,Hồ sơ treo,09/10/2025 10:00,09/10/2025 17:00,\n",
        encoding="utf-8",
    )
    assert ingest_file(fixture_con, export, username="admin").rows_quarantined == 2
    moved = quarantine.add_mapping(replica, "status", "Hồ sơ treo", "processing", "admin")
    assert isinstance(moved, quarantine.Moved) and (moved.rows_landed, moved.rows_still) == (2, 0)
    assert moved.communes[0]["commune_code"] == "90003"
    assert one(
        fixture_con,
        "select count(*), count(distinct dossier_id) from dossiers where commune_code = '90003'",
    ) == (3, 3)
    assert one(fixture_con, "select count(*) from quarantine where status = 'open'") == (0,)
    assert one(fixture_con, "select count(*) from value_mappings where kind = 'status'") == (1,)
    # rows of an unknown commune deleted from the replica, chosen as the mappings page does
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(HEADER + "Z1,1.001193,99999,2,4,08/10/2025 09:00,08/10/2025 17:00,\n")
    assert ingest_file(fixture_con, unknown, username="admin").rows_quarantined == 1
    chosen = quarantine.rows_of_value(replica, "commune", "99999")
    assert chosen.height == 1
    assert quarantine.delete_rows(replica, chosen, "admin") == 1
    key = chosen.select("run_id", "row_number").row(0)
    assert one(
        fixture_con, "select status from quarantine where run_id = ? and row_number = ?", *key
    ) == ("deleted",)

    # a secondment by a city leader; a presenter's refused as in the process (ScopeError)
    leader = Scope(CITY_LEADER, None, "leader")
    made = capacity.record_secondment(
        replica, leader, C1, 2, date(2025, 10, 14), date(2025, 10, 24), 0.5, "hỗ trợ"
    )
    with pytest.raises(PermissionError):
        capacity.record_secondment(replica, PRES, C1, 1, date(2025, 10, 14), date(2025, 10, 15))
    assert fixture_con.execute(
        "select secondment_id, officers, time_share from secondments"
    ).fetchall() == [(made, 2, 0.5)]
    settled()
    counts = [
        audited(fixture_con, a)
        for a in (
            audit.ACTION_ITEM_ADD,
            audit.ACTION_ITEM_CHANGE,
            audit.TARGET_ADD,
            audit.MAPPING,
            audit.QUARANTINE_DELETE,
            audit.SECONDMENT,
        )
    ]
    assert counts == [1, 2, 1, 1, 1, 1]


REPLICA = r"""
import json, sys, time
from datetime import date
from pathlib import Path
from ioc import actions, store
from ioc.scope import PRESENTER, Scope

tag, go = sys.argv[1], Path(sys.argv[2])
con = store.connect_replica()
pres = Scope(PRESENTER, None, f"pres-{tag}")
(go.parent / f"ready-{tag}").touch()
while not go.exists():
    time.sleep(0.01)
meeting = actions.meeting_for(con, pres, "Giao ban tuần")
numbers = [
    actions.add(con, pres, meeting, None, f"Việc {n} của {tag}", "Văn phòng", date(2025, 10, 20))
    for n in range(8)
]
print(json.dumps({"meeting": meeting.meeting_id, "numbers": numbers}), flush=True)
"""


def test_two_replicas_recording_at_once_get_distinct_numbers(fixture_con, inbox_dir, tmp_path):
    """`ioc worker` as a process, two replica processes recording 8 actions each at the same
    moment at the same meeting: one meeting, 16 actions numbered 1-16, each once."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def spawn(*args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    go = tmp_path / "go"
    daemon = spawn("-m", "ioc", "worker")
    replicas = [spawn("-c", REPLICA, tag, str(go)) for tag in ("a", "b")]
    try:
        wait_for(lambda: not worker.silent()[0], 60, "the worker")
        wait_for(lambda: all((tmp_path / f"ready-{t}").exists() for t in "ab"), 60, "replicas")
        go.touch()
        outs = [json.loads(r.communicate(timeout=120)[0]) for r in replicas]
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, daemon_err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, daemon_err[-2000:]
    assert [o["meeting"] for o in outs] == [1, 1]
    numbers = sorted(n for o in outs for n in o["numbers"])
    assert numbers == list(range(1, 17))
    assert fixture_con.execute(
        "select count(*), count(distinct action_id), min(action_id), max(action_id) "
        "from meeting_actions"
    ).fetchone() == (16, 16, 1, 16)
    assert one(fixture_con, "select count(*) from meetings") == (1,)


def test_commands_beside_a_running_worker_write_through_it(
    fixture_con, running_worker, tmp_path, monkeypatch, capsys
):
    """`ioc user add`, `ioc mapping add` and `ioc quarantine retry` while the worker runs: the
    worker writes (the command's connection is a replica's), and only a password's hash ever
    leaves the command."""
    from ioc import cli

    sent = []
    real_ask = writes.ask

    def spy(name, args, kwargs, wait=True):
        sent.append((name, json.dumps([writes.encode(list(args)), writes.encode(kwargs)])))
        return real_ask(name, args, kwargs, wait)

    monkeypatch.setattr(writes, "ask", spy)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    argv = ["user", "add", "chair7", "--role", WARD_CHAIR, "--commune", C1, "--password-stdin"]
    assert cli.main(argv) == 0
    assert "user chair7 added" in capsys.readouterr().out
    assert [name for name, _ in sent] == ["ioc.auth._insert_user"]
    assert PASSWORD not in sent[0][1]
    row = one(
        fixture_con, "select role, commune_code, password_hash from users where username = 'chair7'"
    )
    assert row[:2] == (WARD_CHAIR, C1) and auth._password_matches(PASSWORD, row[2])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(argv) == 1  # the worker's refusal comes back as the command's one line
    assert "user not added: user_exists" in capsys.readouterr().err

    export = tmp_path / "held.csv"
    export.write_text(
        HEADER + "Q9,1.001193,90003,2,Hồ sơ chờ,08/10/2025 09:00,08/10/2025 17:00,\n",
        encoding="utf-8",
    )
    assert ingest_file(fixture_con, export, username="admin").rows_quarantined == 1
    assert cli.main(["mapping", "add", "status", "Hồ sơ chờ", "processing"]) == 0
    assert one(fixture_con, "select count(*) from dossiers where dossier_id = 'Q9'") == (1,)
    assert cli.main(["quarantine", "retry"]) == 0
    assert [name for name, _ in sent[2:]] == [
        "ioc.ingest.quarantine.add_mapping",
        "ioc.ingest.quarantine.retry",
    ]
    settled()
    assert audited(fixture_con, audit.USER_ADD) == 1


def test_without_a_worker_a_write_says_so_and_nothing_lands(fixture_con, replica, monkeypatch):
    metric = targets.METRICS[0]
    # no heartbeat at all: at once
    started = time.monotonic()
    with pytest.raises(writes.WritesUnavailable, match="no ioc worker is running"):
        targets.add(replica, metric, targets.CITY, 0.9, date(2025, 11, 1), None, "admin")
    assert time.monotonic() - started < 1.0
    # a heartbeat but nobody serving (a worker stopped moments ago): after the wait, withdrawn
    monkeypatch.setenv("IOC_WRITE_WAIT_SECONDS", "0.5")
    worker.beat()
    started = time.monotonic()
    with pytest.raises(writes.WritesUnavailable, match="within 0.5 s"):
        targets.add(replica, metric, targets.CITY, 0.9, date(2025, 11, 1), None, "admin")
    assert 0.5 <= time.monotonic() - started < 2.0
    assert list(writes.folder().iterdir()) == []  # withdrawn: no worker will ever run it
    # what is not waited for stays queued for the worker (a sign-out's revoke, an audit record)
    audit.record(replica, "admin", audit.DOWNLOAD, None, "x.csv")
    assert len(list(writes.folder().glob("*.json"))) == 1
    assert one(fixture_con, "select count(*) from targets where effective_from = '2025-11-01'") == (
        0,
    )


def test_without_a_worker_pages_render_and_forms_say_so(fixture_con, inbox_dir, monkeypatch):
    """An app replica's pages read as usual with no worker; the target form and the action form
    of a slide (a widget callback) answer in one line (no traceback), and nothing is written."""
    monkeypatch.setattr(startup, "_WORKER", [False])
    monkeypatch.setattr(startup, "_instances", {})
    monkeypatch.setenv("IOC_WRITE_WAIT_SECONDS", "0.5")
    worker.beat()  # a worker that stopped moments ago: the replica waits, then says so

    def page(name: str, scope: Scope) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        auth.sign_in_session(at.session_state, scope)
        at.run()
        return at.switch_page(str(ROOT / "pages" / f"{name}.py")).run()

    league = page("league", Scope(CITY_LEADER, None, "leader"))
    assert not league.exception and league.dataframe
    at = page("targets", Scope(ADMIN, None, "admin1"))
    assert not at.exception
    shown = len(at.dataframe[1].value)
    at.selectbox(key="target_metric").set_value("on_time_rate")
    at.selectbox(key="target_scope").set_value(C1)
    at.number_input[0].set_value(90.0)
    at.date_input[0].set_value(date(2025, 11, 1))
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Chỉ tiêu KPI"  # the page, up to its form
    assert [e.value for e in at.error] == [UNAVAILABLE]
    at = page("targets", Scope(ADMIN, None, "admin1"))
    assert not at.exception and len(at.dataframe[1].value) == shown
    # an action recorded on a commune's slide: written from a widget callback, said there too
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    auth.sign_in_session(at.session_state, PRES)
    at.query_params.update({"slides": f"kpis,commune:{C1}", "i": "2", "period": "week"})
    at.run()
    at = at.switch_page("pages/presentation.py").run()
    at.text_area(key="action_what").input("Báo cáo tiến độ giải quyết hồ sơ")
    at.text_input(key="action_owner").input("Phó Chủ tịch phụ trách")
    at.button(key="FormSubmitter:action_form-Ghi việc giao").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [UNAVAILABLE]
    assert one(fixture_con, "select count(*) from meeting_actions") == (0,)
