"""Every writer on the DuckLake store (issue 17): DuckLake has no RETURNING, no keys and no
indexes, so each write path of the product is run here on a lake of the test's own
(tests/conftest.py lake_settings) and its result checked by hand: the demo built by `ioc demo`,
an import whose held rows a mapping lands, a target, a meeting's actions, a sign-in failure that
locks the account, a session revoked, a wall screen revoked.

The same paths run on the file in their own modules (tests/test_actions.py, test_sessions.py,
test_auth.py, test_mapping.py ...); IOC_TEST_STORE=ducklake runs those modules' fixture tests on
the lake as well."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fixtures import C1, C2

from ioc import actions, auth, cli, config, sessions, store, targets
from ioc.ingest import ingest_file, quarantine
from ioc.scope import PRESENTER, WARD_CHAIR, Scope

HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"
T0 = datetime(2025, 10, 13, 9, 0)
PASSWORD = "Mat-khau-9x!"
PRES = Scope(PRESENTER, None, "pres")


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def test_ioc_demo_builds_the_demo_on_a_lake(lake_settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IOC_DB", str(tmp_path / "unused.duckdb"))
    # the shortest demo the command builds: Hanoi from 1/7/2025 to a Tuesday a week later
    assert cli.main(["demo", "--until", "2025-07-08T10:30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"demo store DuckLake {lake_settings['IOC_LAKE_SCHEMA']}: built in")
    assert not (tmp_path / "unused.duckdb").exists()  # the file store is not touched
    con = store.connect(read_only=True)
    try:
        assert lake_is_current(con)
        # Hanoi's 126 communes; the demo's last meeting with its 8 actions (3 done, 3 late,
        # 2 open: ioc/actions.py DEMO_ACTIONS) numbered 1..8 without RETURNING; 4 demo accounts
        assert one(con, "select count(distinct commune_code) from dossiers") == (126,)
        assert one(con, "select count(*), min(meeting_id), max(meeting_id) from meetings") == (
            1,
            1,
            1,
        )
        assert one(
            con,
            "select count(*), count(distinct action_id), min(action_id), max(action_id), "
            "count(*) filter (where state = 'done') from meeting_actions",
        ) == (8, 8, 1, 8, 3)
        assert sorted(r[0] for r in con.execute("select username from users").fetchall()) == [
            "cuanam",
            "lanhdao",
            "quantri",
            "trinhbay",
        ]
        # no dossier twice (the lake keeps no key) and none after the cut
        assert one(con, "select count(*) = count(distinct dossier_id) from dossiers") == (True,)
        assert one(con, "select max(received_at) <= timestamp '2025-07-08 10:30' from dossiers")[0]
    finally:
        con.close()


def lake_is_current(con) -> bool:
    from ioc import lake

    return lake.is_lake(con)


def test_an_import_a_mapping_and_a_target_on_a_lake(fixture_con, tmp_path):
    con = fixture_con
    export = tmp_path / "held.csv"
    export.write_text(
        HEADER
        + "Q1,1.001193,90003,2,4,08/10/2025 09:00,08/10/2025 17:00,\n"
        + "Q2,1.001193,90003,2,Hồ sơ treo,08/10/2025 09:00,08/10/2025 17:00,\n"
        + "Q3,1.001193,90003,2,Hồ sơ treo,09/10/2025 10:00,09/10/2025 17:00,\n",
        encoding="utf-8",
    )
    result = ingest_file(con, export, username="admin")
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", 1, 2)
    # the mapping lands the two held rows: 3 dossiers of 90003, all open
    moved = quarantine.add_mapping(con, "status", "Hồ sơ treo", "processing", "admin")
    assert (moved.rows_landed, moved.rows_still) == (2, 0)
    assert one(
        con,
        "select count(*), count(distinct dossier_id), count(*) filter (where finished_at is null) "
        "from dossiers where commune_code = '90003'",
    ) == (3, 3, 3)
    assert one(con, "select count(*) from quarantine where status = 'open'") == (0,)
    # the mapping is one row (a MERGE on its key) even when taught again
    quarantine.add_mapping(con, "status", "Hồ sơ treo", "processing", "admin")
    assert one(con, "select count(*) from value_mappings where kind = 'status'") == (1,)
    # a target, then a later one: two rows, the later in force from its day
    metric = targets.METRICS[0]
    targets.add(con, metric, targets.CITY, 0.9, date(2025, 11, 1), None, "admin")
    targets.add(con, metric, targets.CITY, 0.95, date(2025, 12, 1), "siết", "admin")
    history = targets.history(con)
    rows = history.filter(
        (history["metric"] == metric)
        & (history["scope"] == targets.CITY)
        & (history["effective_from"] >= date(2025, 11, 1))
    )
    assert sorted(rows["target"].to_list()) == [0.9, 0.95]
    with pytest.raises(targets.TargetError):  # not after the latest: refused
        targets.add(con, metric, targets.CITY, 0.5, date(2025, 11, 15), None, "admin")


def test_a_meetings_actions_are_numbered_on_a_lake(fixture_con, monkeypatch):
    con = fixture_con
    monkeypatch.setenv("IOC_NOW", "2025-10-06T09:00:00")
    first = actions.meeting_for(con, PRES, "Báo cáo tuần 29/09/2025 – 05/10/2025")
    assert first.meeting_id == 1
    assert actions.meeting_for(con, PRES, "Báo cáo tuần 29/09/2025 – 05/10/2025") == first
    second = actions.meeting_for(con, PRES, "Báo cáo tháng 9/2025")
    assert second.meeting_id == 2
    assert (
        actions.add(con, PRES, first, C1, "Giải quyết hồ sơ quá hạn", None, date(2025, 10, 10)) == 1
    )
    assert actions.add(con, PRES, second, C2, "Bổ sung cán bộ", None, date(2025, 10, 9)) == 2
    with pytest.raises(actions.ActionError):  # the same line twice
        actions.add(con, PRES, second, C2, "Bổ sung cán bộ", None, date(2025, 10, 9))
    actions.set_done(con, PRES, 2)
    assert con.execute(
        "select action_id, meeting_id, state from meeting_actions order by 1"
    ).fetchall() == [(1, 1, "open"), (2, 2, "done")]


def test_sign_in_failures_lock_and_revoke_sessions_on_a_lake(fixture_con):
    con = fixture_con
    chair = Scope(WARD_CHAIR, C1, "chair1")
    auth.add_user(con, "chair1", WARD_CHAIR, PASSWORD, C1)
    for tab in ({}, {}):
        auth.sign_in_session(tab, chair, T0)
        sessions.begin(tab, con, chair, T0, source="10.0.0.5")
    assert one(con, "select count(*) from user_sessions where revoked_at is null") == (2,)
    with pytest.raises(auth.AuthError):
        auth.authenticate(con, "chair1", "wrong", T0, source="10.1.0.1")
    assert one(
        con, "select failed_attempts, locked_until from users where username = 'chair1'"
    ) == (
        1,
        None,
    )
    for n in range(1, auth.ACCOUNT_FAILURES):  # a guessing campaign from many addresses
        with pytest.raises(auth.AuthError):
            auth.authenticate(con, "chair1", "wrong", T0, source=f"10.1.{n}.1")
    failed, locked = one(
        con, "select failed_attempts, locked_until from users where username = 'chair1'"
    )
    assert failed == auth.ACCOUNT_FAILURES and locked is not None and locked > T0
    # the lock ended both sessions, once each
    assert con.execute(
        "select revoked_reason, count(*) from user_sessions group by 1"
    ).fetchall() == [("locked", 2)]
    assert sessions.end_all(con, "chair1", "removed", T0) == 0


def test_a_session_and_a_wall_revoked_once_on_a_lake(fixture_con):
    con = fixture_con
    chair = Scope(WARD_CHAIR, C1, "chair1")
    auth.add_user(con, "chair1", WARD_CHAIR, PASSWORD, C1)
    tab: dict = {}
    auth.sign_in_session(tab, chair, T0)
    code = sessions.begin(tab, con, chair, T0)
    cookie = sessions.take_handoff(code, T0)
    token_hash = one(con, "select token_hash from user_sessions")[0]
    assert sessions.end(con, token_hash, "sign_out", T0) is True
    assert sessions.end(con, token_hash, "sign_out", T0) is False  # ended already
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, T0) is None
    deck = sessions.Wall("", "", "kpis,league", "dark", 30, "week")
    wall_id, _ = sessions.issue_wall(con, "admin", "Màn hình tầng 1", deck, now=T0)
    assert sessions.revoke_wall(con, wall_id, "admin", T0) is True
    assert sessions.revoke_wall(con, wall_id, "admin", T0) is False
    assert one(con, "select label, revoked_by from wall_screens") == ("Màn hình tầng 1", "admin")
    assert config.store_backend() == "ducklake"
