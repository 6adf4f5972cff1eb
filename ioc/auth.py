"""Sign-in (issue 6): accounts with bcrypt hashes in the store, lockout after repeated failures,
session timeout after inactivity, sign-out, and the demo accounts of the embedded demo.

The session's Scope lives in st.session_state['scope'] (ioc.ui.current_scope reads it). The
functions taking `session_state` accept any mutable mapping, so they are testable without a
running Streamlit.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import threading
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import bcrypt
import duckdb
import polars as pl

from ioc import audit, config, store, writes
from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, ROLES, WARD_CHAIR, Scope

BCRYPT_ROUNDS = 12
# Lockout is per account AND source (issue 20): MAX_FAILURES failures in a row of one username from
# one client address lock that pair for LOCK_MINUTES, so a stranger cannot lock a ward chair out of
# the office. The account itself locks only after ACCOUNT_FAILURES failures from anywhere, a
# guessing campaign from many addresses, far above what a person mistyping ever reaches.
MAX_FAILURES = 5
ACCOUNT_FAILURES = 50
LOCK_MINUTES = 15
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; longer passwords are refused, not truncated
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")

SCOPE_KEY = "scope"
LAST_SEEN_KEY = "auth_last_seen"
NOTICE_KEY = "auth_notice"  # why the last session ended, shown once on the sign-in page
REQUEST_KEY = "auth_request"  # the page and query parameters asked for before sign-in


@cache
def _dummy_hash(rounds: int) -> bytes:
    """A hash to check against when the username is unknown, at the real cost, so a miss takes as
    long as a hit and the timing does not tell which usernames exist."""
    return bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=rounds))


# (username, source) -> (failures in a row, locked until): kept in the app process; a restart
# forgets it, as it forgets who is signed in. Unknown usernames are counted the same way, with the
# source "*" standing for the account, so their answers match those of real accounts.
_FAILURES: dict[tuple[str, str], tuple[int, datetime | None]] = {}
_FAILURES_LOCK = threading.Lock()


def _count_failure(key: tuple[str, str], limit: int, now: datetime) -> datetime | None:
    """Count a failure of `key`; the lock's end when this one reaches `limit`."""
    with _FAILURES_LOCK:
        failures, _ = _FAILURES.get(key, (0, None))
        failures += 1
        until = now + timedelta(minutes=LOCK_MINUTES) if failures >= limit else None
        _FAILURES[key] = (0 if until else failures, until)
        return until


def forget_failures() -> None:
    """Clear the per-source failure counters (tests; a restart does the same)."""
    with _FAILURES_LOCK:
        _FAILURES.clear()


def _locked_until(key: tuple[str, str], now: datetime) -> datetime | None:
    with _FAILURES_LOCK:
        _, until = _FAILURES.get(key, (0, None))
        return until if until is not None and until > now else None


class AuthError(ValueError):
    """An account cannot be created, or a sign-in is refused. `reason` is an i18n key suffix."""

    def __init__(self, reason: str, until: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.until = until


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    commune_name: str | None = None


DEMO_PROVINCE = "01"
DEMO_ACCOUNTS = (
    DemoAccount("lanhdao", CITY_LEADER, "lanhdao-demo"),
    DemoAccount("cuanam", WARD_CHAIR, "cuanam-demo", "Phường Cửa Nam"),
    DemoAccount("trinhbay", PRESENTER, "trinhbay-demo"),
    DemoAccount("quantri", ADMIN, "quantri-demo"),
)


def idle_minutes() -> int:
    """Minutes of inactivity after which a session ends (IOC_SESSION_MINUTES, default 30)."""
    try:
        return max(1, int(os.environ.get("IOC_SESSION_MINUTES", "30")))
    except ValueError:
        return 30


def hash_password(password: str) -> str:
    """bcrypt hash of a password that passes check_new_password."""
    check_new_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AuthError("password_short")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError("password_long")


def _password_matches(password: str, hashed: str) -> bool:
    raw = password.encode("utf-8")
    if len(raw) > MAX_PASSWORD_BYTES:
        bcrypt.checkpw(b"x", _dummy_hash(BCRYPT_ROUNDS))
        return False
    return bcrypt.checkpw(raw, hashed.encode("ascii"))


def demo_mode(con: duckdb.DuckDBPyConnection) -> bool:
    """Demo accounts are offered and accepted only while demo mode is on: the setting allows it and
    no real export has been imported into this store."""
    return (
        config.demo_enabled()
        and store.get_meta(con, "real_data") != "1"
        and store.get_meta(con, "production") != "1"
    )


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    password: str,
    commune: str | None = None,
    *,
    is_demo: bool = False,
    actor: str | None = None,
) -> Scope:
    """Create an account. A ward chair needs the commune it is bound to; other roles take none.
    The password is hashed here: on the lake only its hash goes to the worker (ioc/writes.py)."""
    username = username.strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise AuthError("bad_username")
    if role not in ROLES:
        raise AuthError("bad_role")
    if commune and role != WARD_CHAIR:
        raise AuthError("commune_not_allowed")
    return _insert_user(
        con, username, role, hash_password(password), commune, is_demo=is_demo, actor=actor
    )


@writes.op
def _insert_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    hashed: str,
    commune: str | None = None,
    *,
    is_demo: bool = False,
    actor: str | None = None,
) -> Scope:
    if role == WARD_CHAIR and (not commune or not _known_commune(con, commune)):
        raise AuthError("bad_commune")
    with store.WRITE_LOCK:
        if store.run_query(con, "user_by_name", username=username).height:
            raise AuthError("user_exists")
        store.execute(
            con,
            "user_insert",
            username=username,
            role=role,
            commune=commune if role == WARD_CHAIR else None,
            password_hash=hashed,
            is_demo=is_demo,
            created_at=audit.wall_clock(),
        )
    audit.record(con, actor, audit.USER_ADD, commune, f"{username} ({role})")
    return Scope(role, commune if role == WARD_CHAIR else None, username)


def _known_commune(con: duckdb.DuckDBPyConnection, commune: str) -> bool:
    return commune in communes(con, config.DEFAULT_PROVINCE)


def communes(con: duckdb.DuckDBPyConnection, province: str = DEMO_PROVINCE) -> dict[str, str]:
    """Commune code -> name of a province (choices for a ward chair's commune)."""
    frame = store.run_query(con, "communes_of_province", province=province)
    return dict(zip(frame["commune_code"], frame["commune_name"], strict=True))


def needs_setup(con: duckdb.DuckDBPyConnection) -> bool:
    """A production store without any account: the app offers the one-time set-up page."""
    return not demo_mode(con) and list_users(con).filter(~pl.col("is_demo")).is_empty()


_SETUP_TOKEN: list[str] = []
_setup_lock = threading.Lock()


def setup_token() -> str:
    """The first-start token of this process (printed on the server console by
    ioc.startup.announce_setup_token; never stored)."""
    with _setup_lock:
        if not _SETUP_TOKEN:
            _SETUP_TOKEN.append(secrets.token_urlsafe(12))
        return _SETUP_TOKEN[0]


def create_first_admin(
    con: duckdb.DuckDBPyConnection, token: str, username: str, password: str
) -> Scope:
    """The first administrator of a production store, created from the set-up page with the
    console's token (compared in constant time). Refused once any account exists. On the lake
    the token is the one `ioc worker` printed: the worker creates the account (from the
    password's hash, made here)."""
    username = username.strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise AuthError("bad_username")
    return _first_admin(con, token, username, hash_password(password))


@writes.op
def _first_admin(con: duckdb.DuckDBPyConnection, token: str, username: str, hashed: str) -> Scope:
    if not hmac.compare_digest(token.strip().encode(), setup_token().encode()):
        raise AuthError("bad_token")
    with store.WRITE_LOCK:
        if not needs_setup(con):
            raise AuthError("setup_done")
        return _insert_user(con, username, ADMIN, hashed, actor="setup")


def list_users(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Accounts without their hashes."""
    return store.run_query(con, "users_list")


def authenticate(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    now: datetime | None = None,
    source: str = "unknown",
) -> Scope:
    """The account's Scope when the password is right; AuthError('bad_credentials') otherwise
    (the same answer for an unknown name), AuthError('locked', until) while locked.

    `source` is the client's address. Every attempt is audited and checks one bcrypt hash, so
    neither the answer nor its time tells whether a username exists: an unknown name is locked
    after the same failures as a real one. The pair (username, source) locks for LOCK_MINUTES
    after MAX_FAILURES failures in a row; the account after ACCOUNT_FAILURES from any source.
    """
    now = now or audit.wall_clock()
    name = (username or "").strip().lower()[:100]
    pair = (name, source or "unknown")
    rows = store.run_query(con, "user_by_name", username=name) if name else None
    user = rows.row(0, named=True) if rows is not None and rows.height else None
    commune = user["commune_code"] if user else None
    # Only a prefix for an unknown name: a password typed into the name field must not be logged.
    logged = name if user else (f"{name[:2]}***" if name else None)

    def refuse(detail: str, until: datetime | None = None) -> AuthError:
        audit.record(con, logged, audit.SIGN_IN_FAILED, commune, detail)
        return AuthError("locked", until) if until else AuthError("bad_credentials")

    account_until = user["locked_until"] if user else _locked_until((name, "*"), now)
    locked = _locked_until(pair, now) or (
        account_until if account_until is not None and account_until > now else None
    )
    if locked is not None:
        _password_matches(password or "", _dummy_hash(BCRYPT_ROUNDS).decode())
        raise refuse("locked", locked)
    if user is None or (user["is_demo"] and not demo_mode(con)):
        _password_matches(password or "", _dummy_hash(BCRYPT_ROUNDS).decode())
        right = False
    else:
        right = _password_matches(password or "", user["password_hash"])
    if not right:
        until = _count_failure(pair, MAX_FAILURES, now)
        if user is None:
            until = _count_failure((name, "*"), ACCOUNT_FAILURES, now) or until
            detail = "unknown user"
        elif user["is_demo"] and not demo_mode(con):
            detail = "demo account, demo mode off"
        else:
            failures, locked_until = _count_account_failure(con, name, now)
            if failures >= ACCOUNT_FAILURES:
                until = locked_until
                from ioc import sessions  # a locked account is signed out everywhere

                sessions.end_all(con, name, "locked", now)
            detail = f"wrong password ({failures})"
        raise refuse(detail, until)
    with _FAILURES_LOCK:
        _FAILURES.pop(pair, None)
    _signed_in(con, name, now)
    audit.record(con, name, audit.SIGN_IN, commune)
    return Scope(user["role"], commune if user["role"] == WARD_CHAIR else None, name)


@writes.op
def _count_account_failure(
    con: duckdb.DuckDBPyConnection, name: str, now: datetime
) -> tuple[int, datetime | None]:
    """One more wrong password of an account: (its failures in a row, its lock's end)."""
    with store.WRITE_LOCK:
        store.execute(
            con,
            "user_sign_in_failed",
            username=name,
            max_failures=ACCOUNT_FAILURES,
            locked_until=now + timedelta(minutes=LOCK_MINUTES),
        )
        # the state after the update, read apart: no RETURNING on a DuckLake store
        state = store.execute(con, "user_failures", username=name)
    return int(state["failed_attempts"][0]), state["locked_until"][0]


@writes.op(wait=False)
def _signed_in(con: duckdb.DuckDBPyConnection, name: str, now: datetime) -> None:
    """A right password: the account's failures start again from zero."""
    with store.WRITE_LOCK:
        store.execute(con, "user_sign_in_ok", username=name, signed_in_at=now)


def ensure_demo_accounts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the missing demo accounts (one per role; the ward chair of Phường Cửa Nam) while
    demo mode is on. Returns the usernames created."""
    if not demo_mode(con):
        return []
    created = []
    names = {name: code for code, name in communes(con, DEMO_PROVINCE).items()}
    for account in DEMO_ACCOUNTS:
        if store.run_query(con, "user_by_name", username=account.username).height:
            continue
        commune = names.get(account.commune_name) if account.commune_name else None
        if account.commune_name and commune is None:
            continue  # a store without Hanoi's communes has no ward to bind the chair to
        try:
            add_user(con, account.username, account.role, account.password, commune, is_demo=True)
        except AuthError as error:
            if error.reason != "user_exists":  # another session created it meanwhile
                raise
            continue
        created.append(account.username)
    return created


def remove_demo_accounts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Outside demo mode a store keeps no demo account (unusable as they already are there):
    each is deleted, with an audit record. Returns the usernames removed."""
    if demo_mode(con):
        return []
    removed = list_users(con).filter(pl.col("is_demo"))["username"].to_list()
    with store.WRITE_LOCK:
        for name in removed:
            store.execute(con, "user_delete", username=name)
            audit.record(con, None, audit.USER_REMOVE, None, f"{name} (demo account)")
    from ioc import sessions  # a removed account is signed out everywhere

    for name in removed:
        sessions.end_all(con, name, "removed")
    return removed


def demo_accounts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The demo accounts to list on the sign-in page: empty unless demo mode is on."""
    if not demo_mode(con):
        return []
    users = list_users(con).filter(pl.col("is_demo"))
    known = set(users["username"].to_list())
    names = communes(con, DEMO_PROVINCE)
    rows = []
    for account in DEMO_ACCOUNTS:
        if account.username not in known:
            continue
        commune = users.filter(pl.col("username") == account.username)["commune_code"][0]
        rows.append(
            {
                "username": account.username,
                "password": account.password,
                "role": account.role,
                "commune_name": names.get(commune) if commune else None,
            }
        )
    return rows


def sign_in_session(
    session_state: MutableMapping[str, Any], scope: Scope, now: datetime | None = None
) -> None:
    """Mark a session signed in with `scope`. The sign-in page calls it after authenticate();
    AppTests call it directly to run pages as a given role, e.g.
    `sign_in_session(at.session_state, Scope(WARD_CHAIR, "00070", "test"))`."""
    session_state[SCOPE_KEY] = scope
    session_state[LAST_SEEN_KEY] = now or audit.wall_clock()
    if NOTICE_KEY in session_state:
        del session_state[NOTICE_KEY]


def remember_request(
    session_state: MutableMapping[str, Any], url_path: str, params: dict[str, list[str]]
) -> None:
    """Keep the page (its url_path) and query parameters a signed-out session asked for, so a
    prepared link (e.g. /trinh-chieu?slides=kpis,league&theme=dark) still works after sign-in."""
    session_state[REQUEST_KEY] = (url_path, {k: list(v) for k, v in params.items()})


def take_request(
    session_state: MutableMapping[str, Any],
) -> tuple[str, dict[str, list[str]]] | None:
    """The request kept by remember_request, removed from the session (it is honoured once)."""
    request = session_state.pop(REQUEST_KEY, None)
    if not isinstance(request, tuple) or len(request) != 2:
        return None
    return request


def sign_out(session_state: MutableMapping[str, Any], notice: str | None = None) -> None:
    """End the session: forget the scope and every cached per-session value."""
    for key in list(session_state.keys()):
        if key != "lang":
            del session_state[key]
    if notice:
        session_state[NOTICE_KEY] = notice


def session_scope(
    session_state: MutableMapping[str, Any],
    now: datetime | None = None,
    on_timeout: Callable[[Scope], None] | None = None,
    touch: bool = True,
) -> Scope | None:
    """The signed-in scope, or None. A session idle for longer than idle_minutes() is signed out
    (with the notice 'timeout', after calling `on_timeout(scope)`); otherwise this call counts as
    activity, unless touch=False (a fragment's timer is not a person at work)."""
    scope = session_state.get(SCOPE_KEY)
    seen = session_state.get(LAST_SEEN_KEY)
    if not isinstance(scope, Scope) or not isinstance(seen, datetime):
        return None
    now = now or audit.wall_clock()
    if now - seen > timedelta(minutes=idle_minutes()):
        if on_timeout is not None:
            on_timeout(scope)
        sign_out(session_state, "timeout")
        return None
    if touch:
        session_state[LAST_SEEN_KEY] = now
    return scope
