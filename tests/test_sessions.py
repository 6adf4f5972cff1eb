"""Issue 16, item 6: sign-ins that survive a reload and wall screens (ioc/sessions.py,
ioc/session_routes.py) on the hand-made store: the signed cookie, the one-time hand-off, expiry,
the idle clock shared by a browser's tabs, revocation on sign-out / lock / removal, wall screens
issued, opened, refused and revoked, and the audit rows of each.

A "session" here is a plain dict standing for one browser tab's st.session_state; `cookies` is
what that tab's websocket was opened with."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from builders import asgi_call

from ioc import audit, auth, lake, session_routes, sessions, startup, store
from ioc.scope import PRESENTER, WARD_CHAIR, Scope, ScopeError

T0 = datetime(2025, 10, 13, 9, 0)
PASSWORD = "Mat-khau-9x!"
CHAIR = Scope(WARD_CHAIR, "90001", "chair1")
DECK = sessions.Wall("", "", "kpis,league", "dark", 30, "week")


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def con(fixture_db):
    """The app's store instance (the routes reach it through ioc.startup), with one ward chair."""
    con = store.cursor(startup.open_store(fixture_db))
    auth.add_user(con, "chair1", WARD_CHAIR, PASSWORD, "90001")
    return con


@pytest.fixture
def other(con):
    """A connection writing as another process (a command) would: the app's own on the file; on
    the lake (IOC_TEST_STORE=ducklake) a writing attach of its own, the app's being a read-only
    replica whose writes go to the worker."""
    if not lake.is_read_only(con):
        yield con
        return
    writer = lake.connect()
    yield writer
    writer.close()


def signed_in(con, now=T0) -> tuple[dict, str]:
    """A tab that signed in with the password at `now`, and the cookie its browser got."""
    state: dict = {}
    auth.sign_in_session(state, CHAIR, now)
    code = sessions.begin(state, con, CHAIR, now, source="10.0.0.5")
    return state, sessions.take_handoff(code, now)


def actions(con, name: str | None = None) -> list[tuple[str, str | None, str | None]]:
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), name)  # audit keeps real time
    return list(zip(log["action"], log["username"], log["detail"], strict=True))[::-1]


def session_rows(con) -> list[dict]:
    return (
        con.execute(
            "select username, source, revoked_reason from user_sessions order by created_at"
        )
        .pl()
        .to_dicts()
    )


# --- the cookie ----------------------------------------------------------------------------------


def test_a_cookie_is_signed_expiring_and_holds_no_stored_secret(con):
    _, cookie = signed_in(con)
    version, kind, token, ends, signature = cookie.split(".")
    assert (version, kind) == ("v1", "u")
    # its end: 12 hours (IOC_SESSION_MAX_HOURS' default) after 09:00 Vietnam time (UTC+7)
    assert int(ends) == datetime(2025, 10, 13, 14, 0, tzinfo=UTC).timestamp()
    assert sessions.verify(con, cookie, T0) == ("u", sessions._hash(token))
    stored = con.execute("select * from user_sessions").fetchall()
    assert token not in str(stored)  # only the token's SHA-256 is kept

    def forged(**parts) -> str:
        values = dict(zip(("v", "k", "t", "e", "s"), cookie.split("."), strict=True)) | parts
        return ".".join(values.values())

    assert sessions.verify(con, forged(s="0" * 64), T0) is None  # a made-up signature
    assert (
        sessions.verify(con, forged(t=("B" if token[0] == "A" else "A") + token[1:]), T0) is None
    )  # another token
    assert sessions.verify(con, forged(e=str(int(ends) + 3600)), T0) is None  # a longer life
    assert sessions.verify(con, forged(k="w"), T0) is None  # a user's token as a wall's
    assert sessions.verify(con, cookie, T0 + timedelta(hours=12)) is None  # expired
    assert sessions.verify(con, cookie, T0 + timedelta(hours=11, minutes=59)) is not None
    for junk in ("", "v1.u", "x" * 400, "v2.u.a.1.b", "v1.u.é.1.b"):
        assert sessions.verify(con, junk, T0) is None


def test_the_hand_off_code_is_traded_once_and_soon(con):
    state: dict = {}
    auth.sign_in_session(state, CHAIR, T0)
    code = sessions.begin(state, con, CHAIR, T0)
    assert state[sessions.HANDOFF_KEY] == code and sessions.handoff_pending(code, T0)
    cookie = sessions.take_handoff(code, T0 + timedelta(seconds=5))
    assert cookie.startswith("v1.u.")
    assert sessions.take_handoff(code, T0 + timedelta(seconds=6)) is None  # once
    assert not sessions.handoff_pending(code, T0)
    late = sessions.begin({}, con, CHAIR, T0)
    assert sessions.take_handoff(late, T0 + timedelta(seconds=121)) is None  # 2 minutes at most


# --- user sessions -------------------------------------------------------------------------------


def test_a_reload_or_a_new_tab_resumes_the_session(con):
    _, cookie = signed_in(con)
    tab: dict = {}  # a new websocket: nothing in its state, the cookie in its handshake
    scope = sessions.resume(tab, con, {sessions.COOKIE: cookie}, T0 + timedelta(minutes=5))
    assert scope == CHAIR
    assert tab[sessions.TOKEN_KEY][0] == "u"
    assert sessions.resume({}, con, {}, T0) is None  # no cookie: the sign-in form
    assert sessions.resume({}, con, {sessions.COOKIE: "v1.u.x.1.y"}, T0) is None
    assert actions(con, "chair1")[-1] == ("session_resume", "chair1", None)


def test_sign_out_revokes_the_cookie_in_every_tab(con):
    first, cookie = signed_in(con)
    second: dict = {}
    sessions.resume(second, con, {sessions.COOKIE: cookie}, T0)
    sessions.sign_out(first, con, CHAIR)
    assert first == {auth.NOTICE_KEY: "signed_out", sessions.CLEAR_KEY: True}
    assert session_rows(con) == [
        {"username": "chair1", "source": "10.0.0.5", "revoked_reason": "sign_out"}
    ]
    # the other tab's next run, and a reload of either, land on the sign-in form
    later = T0 + timedelta(minutes=1)
    assert sessions.resume(second, con, {sessions.COOKIE: cookie}, later) is None
    assert second[auth.NOTICE_KEY] == "signed_out"
    reloaded: dict = {}
    assert sessions.resume(reloaded, con, {sessions.COOKIE: cookie}, later) is None
    assert reloaded == {sessions.CLEAR_KEY: True}  # the page clears the dead cookie
    assert [a for a, _, _ in actions(con, "chair1")] == ["session_resume", "sign_out"]


def test_idle_clock_is_shared_by_the_tabs_and_ends_the_session(con, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    idle_tab, cookie = signed_in(con)  # signed in at 09:00, then left alone
    busy_tab: dict = {}
    sessions.resume(busy_tab, con, {sessions.COOKIE: cookie}, T0 + timedelta(minutes=20))
    # 09:40: the first tab has been idle 40 minutes, the session only 20 (the other tab at 09:20)
    assert sessions.resume(idle_tab, con, {}, T0 + timedelta(minutes=40), touch=False) == CHAIR
    timed_out: list[Scope] = []
    # 10:00:01: 40 minutes and a second since anyone did anything
    at = T0 + timedelta(minutes=60, seconds=1)
    assert sessions.resume(busy_tab, con, {}, at, on_timeout=timed_out.append) is None
    assert timed_out == [CHAIR] and busy_tab[auth.NOTICE_KEY] == "timeout"
    assert session_rows(con)[0]["revoked_reason"] == "timeout"
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, at) is None  # a reload too


def test_a_reload_after_the_idle_timeout_shows_the_sign_in_form(con, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    _, cookie = signed_in(con)
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, T0 + timedelta(minutes=31)) is None
    assert session_rows(con)[0]["revoked_reason"] == "timeout"


def test_a_sign_in_ends_after_max_hours_whatever_the_activity(con, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MAX_HOURS", "1")
    tab, cookie = signed_in(con)
    for minutes in (20, 40, 59):  # in use all along
        assert sessions.resume(tab, con, {}, T0 + timedelta(minutes=minutes)) == CHAIR
    assert sessions.resume(tab, con, {}, T0 + timedelta(minutes=60)) is None
    assert session_rows(con)[0]["revoked_reason"] == "expired"
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, T0 + timedelta(minutes=61)) is None


def test_locking_the_account_signs_it_out_everywhere(con):
    tab, cookie = signed_in(con)
    for n in range(auth.ACCOUNT_FAILURES):  # a guessing campaign from many addresses
        with pytest.raises(auth.AuthError):
            auth.authenticate(con, "chair1", "wrong", T0, source=f"10.1.{n}.1")
    assert session_rows(con)[0]["revoked_reason"] == "locked"
    assert ("session_end", "chair1", "locked (1)") in actions(con, "chair1")
    assert sessions.resume(tab, con, {}, T0 + timedelta(seconds=1)) is None
    assert tab[auth.NOTICE_KEY] == "revoked"
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, T0) is None


def test_a_session_ends_when_its_account_is_locked_by_other_means(con, other):
    tab, _ = signed_in(con)
    other.execute(
        "update users set locked_until = ? where username = 'chair1'", [T0 + timedelta(hours=1)]
    )
    assert sessions.resume(tab, con, {}, T0 + timedelta(minutes=1)) is None
    assert session_rows(con)[0]["revoked_reason"] == "locked"


def test_removing_the_account_signs_it_out_everywhere(con, other):
    tab, cookie = signed_in(con)
    store.execute(other, "user_delete", username="chair1")
    assert sessions.resume({}, con, {sessions.COOKIE: cookie}, T0) is None
    assert sessions.resume(tab, con, {}, T0) is None
    assert session_rows(con)[0]["revoked_reason"] == "removed"
    assert ("session_end", "chair1", "removed (1)") in actions(con, "chair1")


def test_demo_accounts_removed_outside_demo_mode_lose_their_sessions(con, other):
    auth.add_user(con, "demo1", PRESENTER, PASSWORD, is_demo=True)
    state: dict = {}
    sessions.begin(state, con, Scope(PRESENTER, None, "demo1"), T0)
    # at a start (the app's on the file, the worker's on the lake)
    assert auth.remove_demo_accounts(other) == ["demo1"]  # the fixture runs with IOC_DEMO=0
    assert session_rows(con)[-1]["revoked_reason"] == "removed"
    assert ("session_end", "demo1", "removed (1)") in actions(con, "demo1")


def test_sessions_signed_in_without_a_cookie_keep_the_old_rules(con, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    state: dict = {}
    auth.sign_in_session(state, CHAIR, T0)  # as AppTests (and a plain `streamlit run`) do
    assert sessions.resume(state, con, {}, T0 + timedelta(minutes=29)) == CHAIR
    assert sessions.resume(state, con, {}, T0 + timedelta(minutes=60)) is None
    assert state[auth.NOTICE_KEY] == "timeout"


# --- the gate's kept row (issue 21) -------------------------------------------------------------


def count_row_reads(monkeypatch) -> list[str]:
    """The session rows read from the store from now on (one entry per read)."""
    reads: list[str] = []
    run_query = store.run_query

    def counted(con, name, **params):
        if name in ("sessions_in_use", "wall_by_token"):
            reads.append(name)
        return run_query(con, name, **params)

    monkeypatch.setattr(store, "run_query", counted)
    return reads


def test_a_session_row_is_read_once_in_check_seconds(con, monkeypatch):
    tab, _ = signed_in(con)
    reads = count_row_reads(monkeypatch)
    for seconds in (1, 2, 3, 4, 5):  # page views one after the other
        assert sessions.resume(tab, con, {}, T0 + timedelta(seconds=seconds)) == CHAIR
    assert reads == ["sessions_in_use"]
    later = T0 + timedelta(seconds=1 + sessions.CHECK_SECONDS + 1)
    assert sessions.resume(tab, con, {}, later) == CHAIR
    assert reads == ["sessions_in_use"] * 2  # read again once the kept row is too old


def test_one_read_serves_every_session_in_use_and_an_end_still_shows(con, monkeypatch):
    first, _ = signed_in(con)
    second, _ = signed_in(con, T0 + timedelta(seconds=1))
    reads = count_row_reads(monkeypatch)
    assert sessions.resume(first, con, {}, T0 + timedelta(seconds=2)) == CHAIR
    assert sessions.resume(second, con, {}, T0 + timedelta(seconds=3)) == CHAIR
    assert reads == ["sessions_in_use"]  # the second session's row came with the first's
    sessions.sign_out(first, con, CHAIR)  # an end in this process is seen at once
    assert sessions.resume(first, con, {}, T0 + timedelta(seconds=4)) is None
    assert sessions.resume(second, con, {}, T0 + timedelta(seconds=4)) == CHAIR
    assert reads == ["sessions_in_use"] * 2  # read again after the end, once for both


def test_a_sign_out_in_another_tab_ends_this_one_at_its_next_run(con):
    tab, cookie = signed_in(con)
    assert sessions.resume(tab, con, {}, T0 + timedelta(seconds=1)) == CHAIR  # its row kept
    other: dict = {}
    assert sessions.resume(other, con, {sessions.COOKIE: cookie}, T0 + timedelta(seconds=1))
    sessions.sign_out(other, con, CHAIR)
    # within CHECK_SECONDS of the kept row: the end in this process is seen at once
    assert sessions.resume(tab, con, {}, T0 + timedelta(seconds=2)) is None
    assert tab[auth.NOTICE_KEY] == "signed_out"


def test_a_lock_written_by_another_process_ends_the_session_within_check_seconds(con, other):
    tab, _ = signed_in(con)
    assert sessions.resume(tab, con, {}, T0 + timedelta(seconds=1)) == CHAIR  # its row kept
    other.execute(  # as the command line of another process would
        "update users set locked_until = ? where username = 'chair1'", [T0 + timedelta(hours=1)]
    )
    later = T0 + timedelta(seconds=1 + sessions.CHECK_SECONDS + 1)
    assert sessions.resume(tab, con, {}, later) is None
    assert tab[auth.NOTICE_KEY] == "revoked"
    assert session_rows(con)[0]["revoked_reason"] == "locked"


def test_a_revoked_wall_is_seen_at_once_though_its_row_was_kept(con):
    wall_id, token = sessions.issue_wall(con, "admin1", "Sảnh", DECK, 30, T0)
    display: dict = {}
    assert sessions.resume(display, con, {sessions.COOKIE: token}, T0) is not None
    assert sessions.resume(display, con, {}, T0 + timedelta(seconds=1), touch=False)
    sessions.revoke_wall(con, wall_id, "admin1", T0 + timedelta(seconds=2))
    assert sessions.resume(display, con, {}, T0 + timedelta(seconds=3), touch=False) is None


# --- wall screens --------------------------------------------------------------------------------


def test_a_wall_screen_opens_its_deck_in_presenter_scope_without_idle_timeout(con, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    wall_id, token = sessions.issue_wall(con, "admin1", "  Sảnh   tầng 1 ", DECK, 30, T0)
    assert token.startswith("v1.w.") and len(wall_id) == 8
    wall = sessions.open_wall(con, token, T0 + timedelta(minutes=1))
    assert wall == sessions.Wall(wall_id, "Sảnh tầng 1", "kpis,league", "dark", 30, "week")
    assert sessions.wall_url(wall) == (
        "/trinh-chieu?slides=kpis%2Cleague&theme=dark&auto=30&period=week&i=1"
    )
    display: dict = {}  # the display after the route's redirect: the cookie is the token
    scope = sessions.resume(display, con, {sessions.COOKIE: token}, T0 + timedelta(minutes=1))
    assert scope == Scope(PRESENTER, None, f"wall:{wall_id}")
    assert sessions.wall_of(display) == wall
    with pytest.raises(ScopeError):
        scope.dossier_commune(None)  # no dossier rows, ever
    # the slide timer runs all day; nobody touches the screen
    for hours in (1, 5, 23):
        at = T0 + timedelta(hours=hours)
        assert sessions.resume(display, con, {}, at, touch=False) == scope
    assert sessions.resume({}, con, {sessions.COOKIE: token}, T0 + timedelta(hours=24)) == scope
    walls = sessions.list_walls(con, T0 + timedelta(hours=24))
    assert walls.select("wall_id", "label", "state", "created_by").to_dicts() == [
        {"wall_id": wall_id, "label": "Sảnh tầng 1", "state": "active", "created_by": "admin1"}
    ]
    assert walls["last_used_at"][0] == T0 + timedelta(hours=24)


def test_a_revoked_wall_stops_at_its_next_slide_and_its_link_is_refused(con):
    wall_id, token = sessions.issue_wall(con, "admin1", "Sảnh", DECK, 30, T0)
    display: dict = {}
    assert sessions.resume(display, con, {sessions.COOKIE: token}, T0) is not None
    assert sessions.revoke_wall(con, wall_id, "admin2", T0 + timedelta(hours=2))
    assert not sessions.revoke_wall(con, wall_id, "admin2")  # once
    at = T0 + timedelta(hours=2, seconds=30)
    assert sessions.resume(display, con, {}, at, touch=False) is None  # the timer's next run
    assert display[auth.NOTICE_KEY] == "revoked"
    assert sessions.resume({}, con, {sessions.COOKIE: token}, at) is None  # a reload
    assert sessions.open_wall(con, token, at) is None  # the link
    assert sessions.list_walls(con, at)["state"].to_list() == ["revoked"]
    wall = f"wall:{wall_id}"
    assert [(a, u, d) for a, u, d in actions(con) if a.startswith(("wall", "session"))] == [
        ("wall_issue", "admin1", f"{wall_id} (Sảnh), 30 d"),
        ("session_resume", wall, "Sảnh"),
        ("wall_revoke", "admin2", f"{wall_id} (Sảnh)"),
        ("wall_refused", wall, "revoked"),
    ]


def test_an_expired_wall_or_a_user_cookie_is_no_wall(con):
    wall_id, token = sessions.issue_wall(con, "admin1", "Phòng họp", DECK, 1, T0)
    assert sessions.open_wall(con, token, T0 + timedelta(hours=23)) is not None
    assert sessions.open_wall(con, token, T0 + timedelta(hours=24)) is None  # its signed end
    assert sessions.list_walls(con, T0 + timedelta(hours=24))["state"].to_list() == ["expired"]
    _, cookie = signed_in(con)
    assert sessions.open_wall(con, cookie, T0) is None
    with pytest.raises(ValueError):
        sessions.issue_wall(con, "admin1", "   ", DECK, 1, T0)
    refused = [d for a, _, d in actions(con) if a == "wall_refused"]
    assert refused == ["bad or expired token", "bad or expired token"]


# --- the routes ----------------------------------------------------------------------------------


def call(method: str, path: str, query: str = "", body: bytes = b"", headers=()) -> tuple:
    """One request to the session routes (ASGI, no server): status, headers, body."""
    return asgi_call(session_routes.ROUTES, method, path, query, body, headers)


def max_age(cookie: str) -> int:
    return int(re.search(r"Max-Age=(\d+)", cookie).group(1))


def test_the_session_route_trades_the_code_for_an_httponly_cookie(con):
    state: dict = {}
    code = sessions.begin(state, con, CHAIR)
    foreign = call(
        "POST",
        "/auth/session",
        body=f"code={code}".encode(),
        headers=[("origin", "https://elsewhere.example")],
    )
    assert foreign[0] == 403 and sessions.handoff_pending(code)  # another site's page: refused
    status, headers, _ = call(
        "POST",
        "/auth/session",
        body=f"code={code}".encode(),
        headers=[("origin", "http://ioc.local")],
    )
    assert status == 204
    (cookie,) = headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE}=v1.u.")
    for part in ("HttpOnly", "Path=/", "SameSite=lax"):
        assert part in cookie
    assert 12 * 3600 - 5 <= max_age(cookie) <= 12 * 3600
    assert "Secure" not in cookie  # plain http here; https gets Secure
    assert call("POST", "/auth/session", body=f"code={code}".encode())[0] == 410  # once


def test_the_sign_out_route_clears_the_cookie_and_revokes_it(con):
    _, cookie = signed_in(con, now=audit.wall_clock())
    status, headers, _ = call(
        "POST", "/auth/sign-out", headers=[("cookie", f"{sessions.COOKIE}={cookie}")]
    )
    assert status == 204 and 'ioc_session=""' in headers["set-cookie"][0]
    assert "Max-Age=0" in headers["set-cookie"][0]
    assert session_rows(con)[0]["revoked_reason"] == "sign_out"


def test_the_wall_route_sets_the_wall_cookie_or_refuses(con):
    wall_id, token = sessions.issue_wall(con, "admin1", "Sảnh", DECK, 30)
    status, headers, _ = call("GET", "/auth/wall", query=f"token={token}")
    assert status == 303
    assert headers["location"] == [
        "/trinh-chieu?slides=kpis%2Cleague&theme=dark&auto=30&period=week&i=1"
    ]
    assert headers["set-cookie"][0].startswith(f"{sessions.COOKIE}={token};")
    assert "HttpOnly" in headers["set-cookie"][0]
    assert 30 * 86400 - 5 <= max_age(headers["set-cookie"][0]) <= 30 * 86400
    assert headers["referrer-policy"] == ["no-referrer"]
    sessions.revoke_wall(con, wall_id, "admin1")
    status, headers, body = call("GET", "/auth/wall", query=f"token={token}")
    assert status == 403 and "Max-Age=0" in headers["set-cookie"][0]
    assert "Liên kết màn hình tường này không còn hiệu lực." in body.decode()
    assert "This wall screen link no longer works." in body.decode()
    assert call("GET", "/auth/wall")[0] == 403
