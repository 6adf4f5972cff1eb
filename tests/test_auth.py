"""Sign-in: hashes, wrong password, lockout, timeout, demo accounts, `ioc user add`, audit, targets."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ioc import audit, auth, cli, store, targets
from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, WARD_CHAIR, Scope

T0 = datetime(2025, 10, 13, 9, 0)
PASSWORD = "Mat-khau-9x!"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    # Cost 4 keeps the tests fast; the stored hash carries its cost, so verification is the same.
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def chair(fixture_con):
    auth.add_user(fixture_con, "chair1", WARD_CHAIR, PASSWORD, "90001")
    return fixture_con


def failures(con, n: int, now: datetime) -> list[str]:
    reasons = []
    for _ in range(n):
        with pytest.raises(auth.AuthError) as caught:
            auth.authenticate(con, "chair1", "wrong-password", now)
        reasons.append(caught.value.reason)
    return reasons


def test_right_password_gives_the_accounts_scope(chair):
    scope = auth.authenticate(chair, "  Chair1 ", PASSWORD, T0)
    assert scope == Scope(WARD_CHAIR, "90001", "chair1")


def test_wrong_password_and_unknown_user_get_the_same_answer(chair):
    for name, password in (("chair1", "nope-nope"), ("nobody", PASSWORD), ("", "")):
        with pytest.raises(auth.AuthError) as caught:
            auth.authenticate(chair, name, password, T0)
        assert caught.value.reason == "bad_credentials"


def test_lockout_after_five_failures_until_it_expires(chair):
    assert failures(chair, 5, T0) == ["bad_credentials"] * 4 + ["locked"]
    # locked: even the right password is refused for 15 minutes
    with pytest.raises(auth.AuthError) as caught:
        auth.authenticate(chair, "chair1", PASSWORD, T0 + timedelta(minutes=14))
    assert caught.value.reason == "locked"
    assert caught.value.until == T0 + timedelta(minutes=15)
    scope = auth.authenticate(chair, "chair1", PASSWORD, T0 + timedelta(minutes=16))
    assert scope.username == "chair1"
    # the success cleared the counter: four new failures do not lock
    assert failures(chair, 4, T0 + timedelta(minutes=17)) == ["bad_credentials"] * 4


def test_success_resets_the_failure_counter(chair):
    failures(chair, 4, T0)
    auth.authenticate(chair, "chair1", PASSWORD, T0)
    assert failures(chair, 4, T0) == ["bad_credentials"] * 4


def test_session_times_out_after_inactivity(monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    state: dict = {"lang": "en", "filter_commune": "90001"}
    scope = Scope(CITY_LEADER, None, "leader")
    auth.sign_in_session(state, scope, T0)
    # activity at +29 min moves the clock on, so +58 min is still within 30 minutes of it
    assert auth.session_scope(state, T0 + timedelta(minutes=29)) == scope
    assert auth.session_scope(state, T0 + timedelta(minutes=58)) == scope
    ended = []
    assert auth.session_scope(state, T0 + timedelta(minutes=89), on_timeout=ended.append) is None
    assert ended == [scope]
    assert state == {"lang": "en", auth.NOTICE_KEY: "timeout"}


def test_sign_out_forgets_everything_but_the_language():
    state: dict = {"lang": "vi", "audit_seen": {("a", None)}}
    auth.sign_in_session(state, Scope(ADMIN, None, "admin1"), T0)
    auth.sign_out(state, "signed_out")
    assert state == {"lang": "vi", auth.NOTICE_KEY: "signed_out"}
    assert auth.session_scope(state, T0) is None


@pytest.mark.parametrize(
    ("username", "role", "password", "commune", "reason"),
    [
        ("chair2", WARD_CHAIR, PASSWORD, None, "bad_commune"),
        ("chair2", WARD_CHAIR, PASSWORD, "99999", "bad_commune"),
        ("chair2", WARD_CHAIR, PASSWORD, "90009", "bad_commune"),  # another province
        ("leader", CITY_LEADER, PASSWORD, "90001", "commune_not_allowed"),
        ("boss", "superuser", PASSWORD, None, "bad_role"),
        ("x' or 1=1 --", ADMIN, PASSWORD, None, "bad_username"),
        ("a;drop table users", ADMIN, PASSWORD, None, "bad_username"),
        ("shorty", ADMIN, "1234567", None, "password_short"),
        ("longy", ADMIN, "ư" * 40, None, "password_long"),  # 80 bytes > bcrypt's 72
        ("chair1", WARD_CHAIR, PASSWORD, "90001", "user_exists"),
    ],
)
def test_add_user_refuses(chair, username, role, password, commune, reason):
    with pytest.raises(auth.AuthError) as caught:
        auth.add_user(chair, username, role, password, commune)
    assert caught.value.reason == reason
    assert auth.list_users(chair)["username"].to_list() == ["chair1"]


def test_injection_as_username_or_password_changes_nothing(chair):
    before = auth.list_users(chair).drop("last_sign_in_at")
    for text in ("' or 1=1 --", "chair1' --", "'; drop table users; --", '" or ""="'):
        for name, password in ((text, text), ("chair1", text)):
            with pytest.raises(auth.AuthError):
                auth.authenticate(chair, name, password, T0)
        auth.authenticate(chair, "chair1", PASSWORD, T0)  # resets the counter between rounds
    after = auth.list_users(chair).drop("last_sign_in_at")
    assert after.drop("failed_attempts").equals(before.drop("failed_attempts"))
    assert store.run_query(chair, "communes_of_province", province="01").height == 3


def test_passwords_never_stored_or_logged_in_clear(fixture_db, capsys, monkeypatch):
    secret = "Bi-mat-tuyet-doi-42"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert cli.main(["user", "add", "leader", "--role", "city_leader", "--password-stdin"]) == 0
    con = store.connect(fixture_db)
    auth.authenticate(con, "leader", secret, T0)
    with pytest.raises(auth.AuthError):
        auth.authenticate(con, "leader", secret + "x", T0)
    # a password typed into the name field is not logged either (only a 2-letter prefix)
    with pytest.raises(auth.AuthError):
        auth.authenticate(con, secret, secret, T0)
    hashed = store.run_query(con, "user_by_name", username="leader")["password_hash"][0]
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1))
    con.execute("checkpoint")
    con.close()
    assert hashed.startswith("$2b$")
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    assert "leader" in out.out
    assert not any(secret in str(v) for row in log.rows() for v in row)
    for path in Path(fixture_db).parent.rglob("*"):  # a lake's Parquet files too
        assert path.is_dir() or secret.encode() not in path.read_bytes(), path


def test_cli_prompts_twice_without_echo(fixture_db, monkeypatch, capsys):
    answers = iter(["Mot-mat-khau-1", "Mot-mat-khau-2"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["user", "add", "pres", "--role", "presenter"]) == 1
    assert "passwords_differ" in capsys.readouterr().err
    answers = iter(["Mot-mat-khau-1", "Mot-mat-khau-1"])
    assert cli.main(["user", "add", "pres", "--role", "presenter"]) == 0
    answers = iter(["Mot-mat-khau-1", "Mot-mat-khau-1"])
    assert cli.main(["user", "add", "chair9", "--role", "ward_chair", "--commune", "123"]) == 1
    assert cli.main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "pres,presenter" in listing and "hash" not in listing


def add_cua_nam(con) -> None:
    con.execute(
        "insert into communes (commune_code, commune_name, province_code) "
        "values ('00073', 'Phường Cửa Nam', '01')"
    )


def test_demo_accounts_only_while_demo_mode_is_on(fixture_con, monkeypatch):
    add_cua_nam(fixture_con)
    monkeypatch.setenv("IOC_DEMO", "1")
    created = auth.ensure_demo_accounts(fixture_con)
    assert sorted(created) == ["cuanam", "lanhdao", "quantri", "trinhbay"]
    assert auth.ensure_demo_accounts(fixture_con) == []  # idempotent
    listed = {a["username"]: a for a in auth.demo_accounts(fixture_con)}
    assert listed["cuanam"]["commune_name"] == "Phường Cửa Nam"
    scope = auth.authenticate(fixture_con, "cuanam", listed["cuanam"]["password"], T0)
    assert scope == Scope(WARD_CHAIR, "00073", "cuanam")
    assert auth.authenticate(fixture_con, "trinhbay", "trinhbay-demo", T0).role == PRESENTER
    # a real import turns demo mode off: accounts no longer listed nor accepted
    store.set_meta(fixture_con, "real_data", "1")
    assert auth.demo_accounts(fixture_con) == []
    with pytest.raises(auth.AuthError):
        auth.authenticate(fixture_con, "lanhdao", "lanhdao-demo", T0)
    store.set_meta(fixture_con, "real_data", "0")
    monkeypatch.setenv("IOC_DEMO", "0")  # the setting turns it off too
    assert auth.demo_accounts(fixture_con) == []
    with pytest.raises(auth.AuthError):
        auth.authenticate(fixture_con, "lanhdao", "lanhdao-demo", T0)


def test_audit_records_sign_ins_and_filters(chair):
    auth.authenticate(chair, "chair1", PASSWORD, T0)
    failures(chair, 2, T0)
    audit.record(chair, "leader", audit.DOWNLOAD, None, '=HYPERLINK("x")')
    today = audit.wall_clock().date()
    log = audit.read(chair, today, today)
    # newest first: download, 2 failures, sign-in, the account's creation
    assert log["action"].to_list() == [
        audit.DOWNLOAD,
        audit.SIGN_IN_FAILED,
        audit.SIGN_IN_FAILED,
        audit.SIGN_IN,
        audit.USER_ADD,
    ]
    assert audit.read(chair, today, today, action=audit.SIGN_IN)["username"].to_list() == ["chair1"]
    assert audit.read(chair, today, today, username="HAIR")["action"].to_list()[0] == (
        audit.SIGN_IN_FAILED
    )
    assert audit.read(chair, today, today, commune="90001").height == 4
    assert audit.read(chair, today - timedelta(days=9), today - timedelta(days=1)).height == 0
    for text in ("' or 1=1 --", "'; drop table audit_log; --"):
        assert audit.read(chair, today, today, username=text).height == 0
        assert audit.read(chair, today, today, action=text).height == 0
        assert audit.read(chair, today, today, commune=text).height == 0
    assert audit.read(chair, today, today).height == 5
    csv = audit.to_csv(log).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv
    with pytest.raises(ValueError):
        audit.record(chair, "x", "drop_everything")


def test_targets_are_appended_never_edited(fixture_con):
    before = targets.history(fixture_con).height
    targets.add(fixture_con, "end_to_end_rate", "city", 0.5, date(2025, 11, 1), "QĐ mới", "adm")
    targets.add(fixture_con, "online_rate", "90002", 0.9, date(2025, 11, 1), None, "adm")
    history = targets.history(fixture_con)
    assert history.height == before + 2
    in_force = {
        (r["metric"], r["scope"]): r["target"]
        for r in targets.in_force(fixture_con, date(2025, 11, 1)).iter_rows(named=True)
    }
    assert in_force[("end_to_end_rate", "city")] == 0.5
    assert in_force[("online_rate", "90002")] == 0.9
    cases = [
        (("end_to_end_rate", "city", 0.6, date(2025, 11, 1)), "before_latest"),
        (("end_to_end_rate", "city", 0.6, date(2025, 10, 1)), "before_latest"),
        (("score'; drop table targets; --", "city", 0.6, date(2026, 1, 1)), "bad_metric"),
        (("online_rate", "' or 1=1 --", 0.6, date(2026, 1, 1)), "bad_scope"),
        (("online_rate", "city", 1.5, date(2026, 1, 1)), "bad_value"),
    ]
    for args, reason in cases:
        with pytest.raises(targets.TargetError) as caught:
            targets.add(fixture_con, *args, None, "adm")
        assert caught.value.reason == reason
    assert targets.history(fixture_con).height == before + 2
    today = audit.wall_clock().date()
    assert audit.read(fixture_con, today, today, action=audit.TARGET_ADD).height == 2


def test_lockout_is_per_address_and_does_not_tell_who_exists(chair):
    # five failures from one address lock chair1 there only; the chair signs in from the office
    for _ in range(5):
        with pytest.raises(auth.AuthError) as caught:
            auth.authenticate(chair, "chair1", "wrong-password", T0, source="10.0.0.66")
    assert caught.value.reason == "locked"
    assert caught.value.until == T0 + timedelta(minutes=15)
    scope = auth.authenticate(chair, "chair1", PASSWORD, T0 + timedelta(minutes=1), "10.1.1.1")
    assert scope.username == "chair1"
    # an unknown name gets the same answers after the same failures, with the same end
    answers = []
    for _ in range(6):
        with pytest.raises(auth.AuthError) as caught:
            auth.authenticate(chair, "ghost99", "wrong-password", T0, source="10.0.0.66")
        answers.append((caught.value.reason, caught.value.until))
    locked = ("locked", T0 + timedelta(minutes=15))
    assert answers == [("bad_credentials", None)] * 4 + [locked, locked]


def test_account_locks_everywhere_only_after_many_failures(chair):
    # 49 failures spread over addresses do not lock the account; the 50th does, for 15 minutes
    for n in range(auth.ACCOUNT_FAILURES - 1):
        with pytest.raises(auth.AuthError) as caught:
            auth.authenticate(chair, "chair1", "wrong-password", T0, source=f"10.0.{n}.1")
        assert caught.value.reason == "bad_credentials"
    with pytest.raises(auth.AuthError) as caught:
        auth.authenticate(chair, "chair1", "wrong-password", T0, source="10.9.9.9")
    assert (caught.value.reason, caught.value.until) == ("locked", T0 + timedelta(minutes=15))
    with pytest.raises(auth.AuthError) as caught:
        auth.authenticate(chair, "chair1", PASSWORD, T0 + timedelta(minutes=1), "10.1.1.1")
    assert caught.value.reason == "locked"


def test_locked_and_unknown_answers_cost_one_bcrypt_check_each(chair, monkeypatch):
    checks = []
    real = auth.bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda p, h: checks.append(1) or real(p, h))
    for name in ("chair1", "ghost99"):
        for _ in range(6):  # 4 wrong, the 5th locks, the 6th meets the lock
            with pytest.raises(auth.AuthError):
                auth.authenticate(chair, name, "wrong-password", T0, source="10.0.0.66")
    assert len(checks) == 12
