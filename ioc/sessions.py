"""Sign-ins that survive a reload, and wall screens (issue 16).

A Streamlit script cannot set a cookie, but it can read the ones its websocket was opened with
(st.context.cookies). So:

- After a right password, `begin` stores a session row (user_sessions) and gives the browser a
  one-time hand-off code; the page posts it to our route /auth/session (ioc/session_routes.py),
  which answers with the HttpOnly, SameSite=Lax cookie COOKIE. A reload or a new tab opens a new
  websocket carrying the cookie, and `resume` signs that session in again.
- The cookie's value is `v1.<kind>.<token>.<expires>.<signature>`: a random token, its end (Unix
  seconds) and an HMAC-SHA256 over them with the store's secret. The store keeps only the token's
  SHA-256, so neither a stolen store nor a forged cookie signs anyone in.
- `resume` checks the row on every run (and every timed fragment run): a session ends on sign-out,
  after idle_minutes() without activity (last_seen_at is shared by the browser's tabs), at its
  absolute end (max_hours()), and as soon as its account is locked or removed. The row read is
  kept for CHECK_SECONDS and judged again with the clock of each run (issue 21: the read was a
  sixth of a served view): an end in this process (sign-out, timeout, lock, removal, a revoked
  wall) drops every kept row at once, a change made by another process shows within CHECK_SECONDS,
  and a kept row that no longer holds is read again before the session is ended.
- A wall screen (kind "w") is a token an administrator issues (`issue_wall`) for an unattended
  display: opened once through /auth/wall?token=..., it becomes the display's cookie and shows the
  presentation with its deck in presenter scope (aggregates only), no other page, no idle timeout,
  until it expires or is revoked (`revoke_wall`).

The functions taking `session_state` accept any mutable mapping, and `cookies` any mapping, so
they are testable without a running Streamlit. Under AppTest there is no cookie: nothing resumes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import duckdb
import polars as pl

from ioc import audit, auth, config, store, writes
from ioc.scope import PRESENTER, WARD_CHAIR, Scope

COOKIE = "ioc_session"
USER, WALL = "u", "w"
VERSION = "v1"
TOKEN_KEY = "auth_token"  # session_state: (kind, token hash) of the cookie this session runs on
HANDOFF_KEY = "auth_handoff"  # session_state: the one-time code the browser trades for the cookie
CLEAR_KEY = "auth_clear_cookie"  # session_state: the browser's cookie no longer holds; clear it
WALL_KEY = "auth_wall"  # session_state: the Wall this session shows
HANDOFF_SECONDS = 120
TOUCH_SECONDS = 60  # the store's last_seen_at is written at most this often per session
WALL_DAYS_DEFAULT = 30
WALL_DAYS_MAX = 366
WALL_AUTO_MIN = 10
WALL_PATH = "/trinh-chieu"
CHECK_SECONDS = 5.0  # a session's stored row is read again after this at most (issue 21)

# Why a session ended -> the notice the sign-in page shows.
NOTICES = {"sign_out": "signed_out", "timeout": "timeout"}


def max_hours() -> int:
    """Hours after which a sign-in ends whatever the activity (IOC_SESSION_MAX_HOURS, default 12:
    a working day)."""
    try:
        return max(1, int(os.environ.get("IOC_SESSION_MAX_HOURS", "12")))
    except ValueError:
        return 12


@dataclass(frozen=True)
class Wall:
    """A wall screen's deck: what the presentation page shows on it."""

    wall_id: str
    label: str
    slides: str
    theme: str
    auto_seconds: int
    period: str

    def query(self) -> dict[str, str]:
        """The presentation's URL parameters for this deck (the slide index `i` is left free)."""
        return {
            "slides": self.slides,
            "theme": self.theme,
            "auto": str(self.auto_seconds),
            "period": self.period,
        }

    @property
    def username(self) -> str:
        return f"wall:{self.wall_id}"


# --- signing -------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _secret(con: duckdb.DuckDBPyConnection) -> bytes:
    """The store's signing secret, made on first use (kept with the store, so a restart or a
    restored backup keeps its sessions)."""
    value = store.get_meta(con, "session_secret")
    if value is None:
        value = _make_secret(con)
    return value.encode("ascii")


@writes.op
def _make_secret(con: duckdb.DuckDBPyConnection) -> str:
    with store.WRITE_LOCK:
        value = store.get_meta(con, "session_secret")
        if value is None:
            value = secrets.token_hex(32)
            store.set_meta(con, "session_secret", value)
    return value


def _signature(con: duckdb.DuckDBPyConnection, body: str) -> str:
    return hmac.new(_secret(con), body.encode("ascii"), hashlib.sha256).hexdigest()


def _epoch(moment: datetime) -> int:
    return int(moment.replace(tzinfo=config.TZ).timestamp())


def sign(con: duckdb.DuckDBPyConnection, kind: str, token: str, expires_at: datetime) -> str:
    """The cookie value of a token: kind, token and end, signed."""
    body = f"{VERSION}.{kind}.{token}.{_epoch(expires_at)}"
    return f"{body}.{_signature(con, body)}"


def verify(
    con: duckdb.DuckDBPyConnection, value: str | None, now: datetime | None = None
) -> tuple[str, str] | None:
    """(kind, token hash) of a well-formed, rightly signed, unexpired cookie value; else None."""
    if not value or len(value) > 300:
        return None
    parts = value.split(".")
    if len(parts) != 5 or parts[0] != VERSION or parts[1] not in (USER, WALL):
        return None
    version, kind, token, expires, signature = parts
    body = f"{version}.{kind}.{token}.{expires}"
    try:
        body.encode("ascii")
        ends = int(expires)
    except (UnicodeEncodeError, ValueError):
        return None
    if not hmac.compare_digest(signature.encode(), _signature(con, body).encode()):
        return None
    if ends <= _epoch(now or audit.wall_clock()):
        return None
    return kind, _hash(token)


def cookie_seconds(value: str, now: datetime | None = None) -> int:
    """Seconds the browser keeps a (verified) cookie value: until its signed end."""
    return max(0, int(value.split(".")[3]) - _epoch(now or audit.wall_clock()))


# --- the one-time hand-off of a new cookie --------------------------------------------------------

# code -> (cookie value, valid until); kept in the app process, which serves the route too.
_HANDOFFS: dict[str, tuple[str, datetime]] = {}
_HANDOFFS_LOCK = threading.Lock()


def _offer(value: str, now: datetime) -> str:
    code = secrets.token_urlsafe(24)
    with _HANDOFFS_LOCK:
        for stale in [c for c, (_, until) in _HANDOFFS.items() if until <= now]:
            del _HANDOFFS[stale]
        _HANDOFFS[code] = (value, now + timedelta(seconds=HANDOFF_SECONDS))
    return code


def take_handoff(code: str | None, now: datetime | None = None) -> str | None:
    """The cookie value a hand-off code stands for, once (the route calls it); None when unknown,
    used or older than HANDOFF_SECONDS."""
    now = now or audit.wall_clock()
    with _HANDOFFS_LOCK:
        found = _HANDOFFS.pop(code or "", None)
    return found[0] if found and found[1] > now else None


def handoff_pending(code: str | None, now: datetime | None = None) -> bool:
    """Whether the browser has yet to trade this code for its cookie."""
    now = now or audit.wall_clock()
    with _HANDOFFS_LOCK:
        found = _HANDOFFS.get(code or "")
    return found is not None and found[1] > now


# --- user sessions -------------------------------------------------------------------------------


def begin(
    session_state: MutableMapping[str, Any],
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    now: datetime | None = None,
    source: str = "unknown",
) -> str:
    """After a right password (then auth.sign_in_session): store a session for `scope` and keep
    the hand-off code in the session for the page to give the browser. Returns the code."""
    now = now or audit.wall_clock()
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=max_hours())
    _insert_session(con, _hash(token), scope.username, source, now, expires_at)
    code = _offer(sign(con, USER, token, expires_at), now)
    session_state[TOKEN_KEY] = (USER, _hash(token))
    session_state[HANDOFF_KEY] = code
    session_state.pop(CLEAR_KEY, None)
    return code


@writes.op
def _insert_session(
    con: duckdb.DuckDBPyConnection,
    token_hash: str,
    username: str,
    source: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    with store.WRITE_LOCK:
        store.execute(
            con,
            "session_insert",
            token_hash=token_hash,
            username=username,
            source=source,
            now=now,
            expires_at=expires_at,
        )


def _user_state(row: dict[str, Any], now: datetime, con: duckdb.DuckDBPyConnection) -> str | None:
    """Why a stored session no longer holds (None: it holds)."""
    if row["revoked_at"] is not None:
        return row["revoked_reason"] or "revoked"
    if not row["account_exists"] or (row["is_demo"] and not auth.demo_mode(con)):
        return "removed"
    if row["locked_until"] is not None and row["locked_until"] > now:
        return "locked"
    if row["expires_at"] <= now:
        return "expired"
    if now - row["last_seen_at"] > timedelta(minutes=auth.idle_minutes()):
        return "timeout"
    return None


def _user_rows(
    con: duckdb.DuckDBPyConnection, token_hash: str, now: datetime
) -> dict[str, dict[str, Any]]:
    """The stored rows of the sessions in use and of `token_hash`'s, by token hash."""
    rows = store.run_query(con, "sessions_in_use", token_hash=token_hash, now=now)
    return {row["token_hash"]: row for row in rows.iter_rows(named=True)}


def end(
    con: duckdb.DuckDBPyConnection,
    token_hash: str,
    reason: str,
    now: datetime | None = None,
    wait: bool = True,
) -> bool | None:
    """Revoke one user session (idempotent). True when it was open until now. With wait=False
    (the gate, a sign-out) an app replica of the lake does not wait for the worker: None."""
    revoke = _revoke if wait else _revoke.later
    was_open = revoke(con, token_hash, reason, now or audit.wall_clock())
    forget_checks()
    return was_open


@writes.op
def _revoke(con: duckdb.DuckDBPyConnection, token_hash: str, reason: str, now: datetime) -> bool:
    with store.WRITE_LOCK:
        # read, then update: no RETURNING on a DuckLake store
        was_open = store.execute(con, "session_open", token_hash=token_hash).height > 0
        if was_open:
            store.execute(con, "session_revoke", token_hash=token_hash, reason=reason, now=now)
    return was_open


def end_all(
    con: duckdb.DuckDBPyConnection,
    username: str,
    reason: str,
    now: datetime | None = None,
    wait: bool = True,
) -> int | None:
    """Revoke every open session of an account (locked or removed), with an audit record;
    returns how many (None: sent to the worker with wait=False, as `end`)."""
    revoke = _revoke_all if wait else _revoke_all.later
    ended = revoke(con, username, reason, now or audit.wall_clock())
    forget_checks()
    return ended


@writes.op
def _revoke_all(con: duckdb.DuckDBPyConnection, username: str, reason: str, now: datetime) -> int:
    with store.WRITE_LOCK:
        # read, then update: no RETURNING on a DuckLake store
        ended = store.execute(con, "sessions_open_of_user", username=username).height
        if ended:
            store.execute(con, "sessions_revoke_user", username=username, reason=reason, now=now)
    if ended:
        audit.record(con, username, audit.SESSION_END, None, f"{reason} ({ended})")
    return ended


def cookie_scope(
    con: duckdb.DuckDBPyConnection, value: str | None, now: datetime | None = None
) -> Scope | None:
    """The user a browser's cookie signs in, for the light pages served beside Streamlit
    (ioc/chair_page.py): a user session that still holds, its activity recorded; None without
    one, for one that ended (ended here as `resume` would), and for a wall screen's."""
    now = now or audit.wall_clock()
    verified = verify(con, value, now)
    if verified is None or verified[0] != USER:
        return None
    reason, row = _held(con, USER, verified[1], now, touch=True)
    return _user_scope(row) if reason is None and row is not None else None


def _user_scope(row: dict[str, Any]) -> Scope:
    commune = row["commune_code"] if row["role"] == WARD_CHAIR else None
    return Scope(row["role"], commune, row["username"])


# --- wall screens --------------------------------------------------------------------------------


@writes.op
def issue_wall(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    label: str,
    wall: Wall,
    days: int = WALL_DAYS_DEFAULT,
    now: datetime | None = None,
) -> tuple[str, str]:
    """Store a wall screen showing `wall`'s deck (its wall_id and label are ignored) for `days`
    days; audited. Returns (wall_id, token): the token, to put in the link, is shown once."""
    label = " ".join((label or "").split())[:80]
    if not label:
        raise ValueError("label")
    now = now or audit.wall_clock()
    days = max(1, min(WALL_DAYS_MAX, int(days)))
    expires_at = now + timedelta(days=days)
    token = secrets.token_urlsafe(32)
    wall_id = secrets.token_hex(4)
    with store.WRITE_LOCK:
        store.execute(
            con,
            "wall_insert",
            token_hash=_hash(token),
            wall_id=wall_id,
            label=label,
            slides=wall.slides,
            theme=wall.theme,
            auto_seconds=max(WALL_AUTO_MIN, int(wall.auto_seconds)),
            period=wall.period,
            created_by=actor,
            now=now,
            expires_at=expires_at,
        )
    audit.record(con, actor, audit.WALL_ISSUE, None, f"{wall_id} ({label}), {days} d")
    return wall_id, sign(con, WALL, token, expires_at)


def revoke_wall(
    con: duckdb.DuckDBPyConnection, wall_id: str, actor: str, now: datetime | None = None
) -> bool:
    """Revoke a wall screen: its display falls back to the sign-in form at its next slide, and its
    link stops working. Audited. False when there was nothing open to revoke."""
    done = _revoke_wall(con, wall_id, actor, now or audit.wall_clock())
    forget_checks()
    return done


@writes.op
def _revoke_wall(con: duckdb.DuckDBPyConnection, wall_id: str, actor: str, now: datetime) -> bool:
    with store.WRITE_LOCK:
        # read, then update: no RETURNING on a DuckLake store
        done = store.execute(con, "wall_open", wall_id=wall_id)
        if done.height:
            store.execute(con, "wall_revoke", wall_id=wall_id, revoked_by=actor, now=now)
    if not done.height:
        return False
    audit.record(con, actor, audit.WALL_REVOKE, None, f"{wall_id} ({done['label'][0]})")
    return True


# The admin page's table of wall screens: column -> (header key, ioc.tables.cell kind).
WALL_COLUMNS = {
    "label": ("wall.col.label", "text"),
    "wall_id": ("wall.col.id", "text"),
    "state": ("wall.col.state", "key:wall.state."),
    "slides": ("wall.col.slides", "text"),
    "auto_seconds": ("wall.col.auto", "int"),
    "created_by": ("wall.col.created_by", "text"),
    "created_at": ("wall.col.created_at", "datetime"),
    "expires_at": ("wall.col.expires_at", "datetime"),
    "last_used_at": ("wall.col.last_used_at", "datetime"),
}


def list_walls(con: duckdb.DuckDBPyConnection, now: datetime | None = None) -> pl.DataFrame:
    """The wall screens, newest first, without their token hashes, with their state now
    (active / expired / revoked)."""
    now = now or audit.wall_clock()
    walls = store.run_query(con, "walls_list")
    return walls.with_columns(
        state=pl.when(pl.col("revoked_at").is_not_null())
        .then(pl.lit("revoked"))
        .when(pl.col("expires_at") <= now)
        .then(pl.lit("expired"))
        .otherwise(pl.lit("active"))
    )


def _wall_row(con: duckdb.DuckDBPyConnection, token_hash: str) -> dict[str, Any] | None:
    rows = store.run_query(con, "wall_by_token", token_hash=token_hash)
    return rows.row(0, named=True) if rows.height else None


def _wall_state(row: dict[str, Any] | None, now: datetime) -> str | None:
    if row is None:
        return "unknown"
    if row["revoked_at"] is not None:
        return "revoked"
    if row["expires_at"] <= now:
        return "expired"
    return None


def _wall(row: dict[str, Any]) -> Wall:
    return Wall(
        row["wall_id"],
        row["label"],
        row["slides"],
        row["theme"],
        int(row["auto_seconds"]),
        row["period"],
    )


def open_wall(
    con: duckdb.DuckDBPyConnection, value: str | None, now: datetime | None = None
) -> Wall | None:
    """The wall screen of a link's token (the /auth/wall route), or None; audited either way."""
    now = now or audit.wall_clock()
    verified = verify(con, value, now)
    if verified is None or verified[0] != WALL:
        audit.record(con, None, audit.WALL_REFUSED, None, "bad or expired token")
        return None
    row = _wall_row(con, verified[1])
    reason = _wall_state(row, now)
    if reason is not None:
        audit.record(
            con, f"wall:{row['wall_id']}" if row else None, audit.WALL_REFUSED, None, reason
        )
        return None
    wall = _wall(row)
    _touch_wall(con, verified[1], row, now, force=True)
    audit.record(con, wall.username, audit.WALL_OPEN, None, wall.label)
    return wall


def wall_url(wall: Wall) -> str:
    """Where the wall route sends a display: the presentation with the wall's deck, slide 1."""
    return f"{WALL_PATH}?{urlencode(wall.query() | {'i': '1'})}"


def wall_of(session_state: Mapping[str, Any]) -> Wall | None:
    """The wall screen this session shows, if it is one."""
    wall = session_state.get(WALL_KEY)
    return wall if isinstance(wall, Wall) else None


def _touch_wall(
    con: duckdb.DuckDBPyConnection,
    token_hash: str,
    row: dict[str, Any],
    now: datetime,
    force: bool = False,
) -> None:
    seen = row["last_used_at"]
    if force or seen is None or now - seen >= timedelta(seconds=TOUCH_SECONDS):
        _touch(con, WALL, token_hash, now)
        _touched(WALL, token_hash, "last_used_at", now)


@writes.op(wait=False)
def _touch(con: duckdb.DuckDBPyConnection, kind: str, token_hash: str, now: datetime) -> None:
    """A session's or a wall screen's activity (at most once a TOUCH_SECONDS each): an app
    replica of the lake sends it to the worker without waiting, which writes the touches it finds
    together (ioc/writes.py)."""
    with store.WRITE_LOCK:
        query = "wall_touch" if kind == WALL else "session_touch"
        store.execute(con, query, token_hash=token_hash, now=now)


# --- the gate ------------------------------------------------------------------------------------

# (kind, token hash) -> (stored row, the run's `now` it was read at, time.monotonic() then, the
# generation of the ends it saw); a session ended in this process bumps the generation.
_CHECKED: dict[tuple[str, str], tuple[dict[str, Any], datetime, float, int]] = {}
_CHECKED_LOCK = threading.Lock()
_GENERATION = [0]


def forget_checks() -> None:
    """Every session's stored row is read again at its next run (a session or an account was
    ended in this process: the end shows at once, not CHECK_SECONDS later)."""
    with _CHECKED_LOCK:
        _GENERATION[0] += 1
        _CHECKED.clear()


def _kept_row(kind: str, token_hash: str, now: datetime) -> dict[str, Any] | None:
    """The row read for this token less than CHECK_SECONDS ago (by the run's clock and the
    process's), with no end in this process since; None when there is none."""
    with _CHECKED_LOCK:
        hit = _CHECKED.get((kind, token_hash))
        generation = _GENERATION[0]
    if hit is None:
        return None
    row, read_at, read_mono, seen_generation = hit
    fresh = (
        seen_generation == generation
        and timedelta(0) <= now - read_at <= timedelta(seconds=CHECK_SECONDS)
        and 0 <= time.monotonic() - read_mono <= CHECK_SECONDS
    )
    return row if fresh else None


def _keep_row(
    kind: str,
    rows: list[tuple[str, dict[str, Any]]],
    now: datetime,
    generation: int,
) -> None:
    """Keep the rows (token hash, row) read under `generation` (not when a session ended while
    they were read)."""
    mono = time.monotonic()
    with _CHECKED_LOCK:
        if generation != _GENERATION[0]:
            return
        for key in [k for k, v in _CHECKED.items() if mono - v[2] > CHECK_SECONDS]:
            del _CHECKED[key]
        for each, row in rows:
            _CHECKED[(kind, each)] = (row, now, mono, generation)


def _touched(kind: str, token_hash: str, column: str, now: datetime) -> None:
    """A kept row follows the activity this process wrote for it."""
    with _CHECKED_LOCK:
        hit = _CHECKED.get((kind, token_hash))
        if hit is not None:
            _CHECKED[(kind, token_hash)] = ({**hit[0], column: now}, *hit[1:])


def _stored_row(
    con: duckdb.DuckDBPyConnection, kind: str, token_hash: str, now: datetime, reuse: bool
) -> dict[str, Any] | None:
    """A session's stored row: a kept one when `reuse` and one is kept, else read (and kept)."""
    if reuse:
        row = _kept_row(kind, token_hash, now)
        if row is not None:
            return row
    generation = _GENERATION[0]
    if kind == WALL:
        row = _wall_row(con, token_hash)
        if row is not None:
            _keep_row(kind, [(token_hash, row)], now, generation)
        return row
    rows = _user_rows(con, token_hash, now)
    _keep_row(kind, list(rows.items()), now, generation)
    return rows.get(token_hash)


def _held(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    token_hash: str,
    now: datetime,
    touch: bool,
    reuse: bool = False,
) -> tuple[str | None, dict[str, Any] | None]:
    """(why the session ended or None, its stored row) for a session's token; writes the activity
    (at most once a TOUCH_SECONDS) when `touch`, and ends what no longer holds. With `reuse`, a
    row read less than CHECK_SECONDS ago stands in for the store's while it still holds."""
    if kind == WALL:
        row = _stored_row(con, kind, token_hash, now, reuse)
        reason = _wall_state(row, now)
        if reason is not None and reuse:  # never end on a kept row: read the store's
            row = _stored_row(con, kind, token_hash, now, reuse=False)
            reason = _wall_state(row, now)
        if reason is None:
            _touch_wall(con, token_hash, row, now)
        return reason, row
    row = _stored_row(con, kind, token_hash, now, reuse)
    reason = "revoked" if row is None else _user_state(row, now, con)
    if reason is not None and reuse:  # never end on a kept row: read the store's
        row = _stored_row(con, kind, token_hash, now, reuse=False)
        reason = "revoked" if row is None else _user_state(row, now, con)
    if row is None:
        return "revoked", None
    if row["revoked_at"] is not None:
        pass
    elif reason in ("locked", "removed"):
        end_all(con, row["username"], reason, now, wait=False)
    elif reason is not None:
        end(con, token_hash, reason, now, wait=False)
    elif touch and now - row["last_seen_at"] >= timedelta(seconds=TOUCH_SECONDS):
        _touch(con, USER, token_hash, now)
        _touched(USER, token_hash, "last_seen_at", now)
    return reason, row


def resume(
    session_state: MutableMapping[str, Any],
    con: duckdb.DuckDBPyConnection,
    cookies: Mapping[str, str] | None = None,
    now: datetime | None = None,
    on_timeout: Callable[[Scope], None] | None = None,
    touch: bool = True,
) -> Scope | None:
    """The gate (app.py on every run, ui.session_fragment on a timer's run with touch=False): the
    signed-in scope, or None.

    A session signed in through a cookie is checked against the store each time (sign-out in
    another tab, timeout, expiry, a locked or removed account, a revoked wall end it here); its
    idle clock is the store's, shared by the browser's tabs. A session not signed in is signed in
    from `cookies` when they hold a valid one (a reload, a new tab, a reconnect after the server's
    restart). Sessions signed in without a cookie (AppTest) keep auth.session_scope's rules.
    """
    now = now or audit.wall_clock()
    held = session_state.get(TOKEN_KEY)
    if isinstance(session_state.get(auth.SCOPE_KEY), Scope) and isinstance(held, tuple):
        kind, token_hash = held
        reason, row = _held(con, kind, token_hash, now, touch, reuse=True)
        if reason is not None:
            scope = session_state[auth.SCOPE_KEY]
            if reason == "timeout" and on_timeout is not None:
                on_timeout(scope)
            auth.sign_out(session_state, NOTICES.get(reason, "revoked"))
            session_state[CLEAR_KEY] = True
            return None
        # an unattended wall has no idle timeout; a user's idle clock is the store's, shared by
        # the browser's tabs (this one may have been idle while another was in use)
        seen = now if kind == WALL else row["last_seen_at"]
        last = session_state.get(auth.LAST_SEEN_KEY)
        if not isinstance(last, datetime) or seen > last:
            session_state[auth.LAST_SEEN_KEY] = seen
    scope = auth.session_scope(session_state, now, on_timeout, touch)
    if scope is not None:
        return scope
    if isinstance(held, tuple) and held[0] == USER:  # this tab's own idle clock ran out
        end(con, held[1], "timeout", now, wait=False)
        session_state[CLEAR_KEY] = True
        return None
    return _from_cookie(session_state, con, (cookies or {}).get(COOKIE), now)


def _from_cookie(
    session_state: MutableMapping[str, Any],
    con: duckdb.DuckDBPyConnection,
    value: str | None,
    now: datetime,
) -> Scope | None:
    if not value:
        return None
    verified = verify(con, value, now)
    scope, wall = None, None
    if verified is not None:
        reason, row = _held(con, verified[0], verified[1], now, touch=True)
        if reason is None and verified[0] == WALL:
            wall = _wall(row)
            scope = Scope(PRESENTER, None, wall.username)
        elif reason is None:
            scope = _user_scope(row)
    if scope is None:
        session_state.setdefault(CLEAR_KEY, True)
        return None
    auth.sign_in_session(session_state, scope, now)
    session_state[TOKEN_KEY] = verified
    session_state.pop(CLEAR_KEY, None)
    if wall is not None:
        session_state[WALL_KEY] = wall
    audit.record(
        con,
        scope.username,
        audit.SESSION_RESUME,
        scope.commune_code,
        wall.label if wall else None,
    )
    return scope


def sign_out(
    session_state: MutableMapping[str, Any], con: duckdb.DuckDBPyConnection, scope: Scope
) -> None:
    """The sign-out button: audit, revoke the stored session, forget the session's state, and have
    the page clear the browser's cookie."""
    audit.record(con, scope.username, audit.SIGN_OUT, scope.commune_code)
    held = session_state.get(TOKEN_KEY)
    if isinstance(held, tuple) and held[0] == USER:
        end(con, held[1], "sign_out", wait=False)
    auth.sign_out(session_state, "signed_out")
    session_state[CLEAR_KEY] = True
