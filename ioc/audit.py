"""The audit log (issue 6): who did what, when, about which commune. Append-only.

Call `record(con, username, action, commune=None, detail=None)` after a sign-in, an import, an
export or download, or when a list of dossiers is shown. Never put a password or a citizen's
personal data in `detail`.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import polars as pl

from ioc import config, store, writes

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
SESSION_TIMEOUT = "session_timeout"
IMPORT = "import"
EXPORT = "export"
DOWNLOAD = "download"
VIEW_DOSSIERS = "view_dossiers"
TARGET_ADD = "target_add"
USER_ADD = "user_add"
USER_REMOVE = "user_remove"
MAPPING = "mapping"  # a mapping taught or changed (issue 14)
QUARANTINE_DELETE = "quarantine_delete"
RESTORE = "restore"
# sessions and wall screens (issue 16; ioc/sessions.py)
SESSION_RESUME = "session_resume"  # signed in again from the browser's cookie (reload, new tab)
SESSION_END = "session_end"  # an account's sessions ended because it was locked or removed
WALL_ISSUE = "wall_issue"
WALL_REVOKE = "wall_revoke"
WALL_OPEN = "wall_open"  # a display opened a wall screen's link
WALL_REFUSED = "wall_refused"  # a wall link that is unknown, expired or revoked
ACTION_ITEM_ADD = "action_item_add"  # an action recorded at a meeting (issue 16, ioc/actions.py)
ACTION_ITEM_CHANGE = "action_item_change"  # an action edited, marked done or reopened
SECONDMENT = "secondment"  # a city leader seconded officers to a commune (issue 19)
ACTIONS = (
    SIGN_IN,
    SIGN_IN_FAILED,
    SIGN_OUT,
    SESSION_TIMEOUT,
    IMPORT,
    EXPORT,
    DOWNLOAD,
    VIEW_DOSSIERS,
    TARGET_ADD,
    USER_ADD,
    USER_REMOVE,
    MAPPING,
    QUARANTINE_DELETE,
    RESTORE,
    SESSION_RESUME,
    SESSION_END,
    WALL_ISSUE,
    WALL_REVOKE,
    WALL_OPEN,
    WALL_REFUSED,
    ACTION_ITEM_ADD,
    ACTION_ITEM_CHANGE,
    SECONDMENT,
)
DETAIL_MAX = 500
DEFAULT_LIMIT = 5000


def wall_clock() -> datetime:
    """Real Vietnam local time. Audit and sign-in use it even when IOC_NOW pins the data clock:
    a pinned demo must still log when things really happened and let a lockout expire."""
    return datetime.now(config.TZ).replace(tzinfo=None)


def record(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    action: str,
    commune: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit record; `action` is one of ACTIONS. On an app replica of the lake it is
    sent to the worker and not waited for (ioc/writes.py), with the time it happened."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action!r}")
    _insert(
        con, wall_clock(), (username or "")[:100] or None, action, commune,
        detail[:DETAIL_MAX] if detail else None,
    )  # fmt: skip


@writes.op(wait=False)
def _insert(
    con: duckdb.DuckDBPyConnection,
    logged_at: datetime,
    username: str | None,
    action: str,
    commune: str | None,
    detail: str | None,
) -> None:
    store.execute(
        con,
        "audit_insert",
        logged_at=logged_at,
        username=username,
        action=action,
        commune=commune,
        detail=detail,
    )


def read(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    username: str | None = None,
    action: str | None = None,
    commune: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> pl.DataFrame:
    """Audit records between two days (inclusive), newest first. `username` matches a part of the
    name; an action outside ACTIONS matches nothing rather than everything."""
    if action is not None and action not in ACTIONS:
        return store.run_query(
            con,
            "audit_log",
            date_from=date_from,
            date_to=date_to,
            username=None,
            action=None,
            commune=None,
            limit=0,
        )
    return store.run_query(
        con,
        "audit_log",
        date_from=date_from,
        date_to=date_to,
        username=username.strip() if username and username.strip() else None,
        action=action,
        commune=commune,
        limit=limit,
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM so Excel shows Vietnamese correctly). A cell starting with = + - @ is
    prefixed with a quote so a spreadsheet never runs it as a formula."""
    text_cols = [c for c, t in frame.schema.items() if t == pl.String]
    safe = frame.with_columns(
        pl.when(pl.col(c).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_cols
    )
    return ("\ufeff" + safe.write_csv(datetime_format="%Y-%m-%d %H:%M:%S")).encode("utf-8")
