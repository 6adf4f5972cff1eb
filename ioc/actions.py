"""Actions that carry over (giao việc, issue 16): what a review meeting asked of whom, by when.

A meeting is the deck it was held on (its day and title). During or after it a city leader or the
presenter records actions: a commune (or the whole city), what, an owner (by default the commune's
ward chair: the accounts of role ward_chair bound to it, read when shown) and a deadline. An action
is open or done; "late" is derived: open past its deadline, in Vietnam dates (ioc.config.now()).
Every change is kept (meeting_action_history: who changed what, old and new) and audited.

Who may (enforced here, not only on pages; ScopeError as in ioc/scope.py):
- city_leader, presenter: record, edit, mark done, reopen; read all;
- ward_chair: read the own commune's actions (never another's, never the city-wide ones) and mark
  them done (the chair reports the work finished; done_by says who); no recording, editing or
  reopening;
- admin: read all.

The next deck opens with the actions of the last meeting held before it (`carried`), with those
still open from earlier meetings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import polars as pl

from ioc import audit, auth, config, store, writes
from ioc.i18n import fmt_date, t
from ioc.kpi import Period
from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, WARD_CHAIR, Scope, ScopeError
from ioc.store import run_query

RECORDERS = (CITY_LEADER, PRESENTER)
READERS = (CITY_LEADER, PRESENTER, ADMIN, WARD_CHAIR)
STATUSES = ("late", "open", "done")  # derived, worst first
WHAT_MAX = 500
OWNER_MAX = 100
TITLE_MAX = 200
DEADLINE_MAX_DAYS = 366  # a deadline further than a year away is a typo (2205 for 2025)
DEFAULT_DAYS = 7  # the form's deadline: a week after the meeting
DEMO_USER = "demo-feed"  # ioc.demo.FEED_USER: who the demo's meeting is recorded as
LIGHTS = {"done": "green", "late": "red", "open": None}

# column -> (header key, ioc.tables cell kind): the deck's slide, the commune page, the workbook
COLUMNS = {
    "status": ("action.col.status", "key:action.status."),
    "commune_name": ("action.col.commune", "text"),
    "what": ("action.col.what", "text"),
    "owner_shown": ("action.col.owner", "text"),
    "deadline": ("action.col.deadline", "date"),
    "done_at": ("action.col.done_at", "date"),
}
# the workbook: every action carried, with its number, meeting and days late
SHEET_COLUMNS = {
    "action_id": ("action.col.id", "int"),
    "held_on": ("action.col.held_on", "date"),
    **COLUMNS,
    "days_late": ("action.col.days_late", "int"),
    "done_by": ("action.col.done_by", "text"),
}


class ActionError(ValueError):
    """Input refused; `key` is the i18n key of the one line that says what to fix."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class Meeting:
    meeting_id: int
    held_on: date
    title: str


@dataclass(frozen=True)
class Carried:
    """What the next deck opens with: the last meeting and the actions it carries over."""

    meeting: Meeting | None
    rows: pl.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


# --- who may -------------------------------------------------------------------------------------


def visible_commune(scope: Scope, requested: str | None = None) -> str | None:
    """The commune filter of a read: a ward chair always the own commune (another's raises);
    the other readers what was asked (None: every action). An unknown role raises."""
    if scope.role == WARD_CHAIR:
        if not scope.commune_code or requested not in (None, scope.commune_code):
            raise ScopeError("ward chair: another commune's actions")
        return scope.commune_code
    if scope.role not in READERS:
        raise ScopeError(f"{scope.role}: no actions")
    return requested


def may_record(scope: Scope) -> bool:
    return scope.role in RECORDERS


def _require_recorder(scope: Scope) -> None:
    if not may_record(scope):
        raise ScopeError(f"{scope.role}: may not record or edit actions")


# --- input ---------------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """One line: runs of spaces, tabs and line breaks made one space."""
    return " ".join((value or "").split())


def clean(
    con: duckdb.DuckDBPyConnection,
    commune: str | None,
    what: str | None,
    owner: str | None,
    deadline: date | None,
    kept_deadline: date | None = None,
) -> tuple[str | None, str, str | None, date]:
    """The action's fields as stored, or ActionError. A deadline before today is refused unless
    it is the one the action already has (`kept_deadline`: an edit of another field)."""
    what, owner = _text(what), _text(owner) or None
    if not what:
        raise ActionError("action.error.what_empty")
    if len(what) > WHAT_MAX:
        raise ActionError("action.error.what_long", n=WHAT_MAX)
    if owner and len(owner) > OWNER_MAX:
        raise ActionError("action.error.owner_long", n=OWNER_MAX)
    if commune is None and owner is None:
        raise ActionError("action.error.owner_needed")
    if commune is not None and commune not in auth.communes(con, config.DEFAULT_PROVINCE):
        raise ActionError("action.error.commune_unknown")
    if not isinstance(deadline, date):
        raise ActionError("action.error.deadline_missing")
    today = config.now().date()
    if deadline < today and deadline != kept_deadline:
        raise ActionError("action.error.deadline_past", today=fmt_date(today))
    if deadline > today + timedelta(days=DEADLINE_MAX_DAYS):
        raise ActionError("action.error.deadline_far")
    return commune, what, owner, deadline


# --- writing -------------------------------------------------------------------------------------


@writes.op
@store.retried
def meeting_for(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    title: str,
    period: Period | None = None,
    held_on: date | None = None,
) -> Meeting:
    """The meeting held on `held_on` (default today) under a deck's title, created on first use."""
    _require_recorder(scope)
    title = _text(title)[:TITLE_MAX]
    if not title:
        raise ActionError("action.error.title_empty")
    held_on = held_on or config.now().date()
    with store.WRITE_LOCK:
        found = find_meeting(con, title, held_on)
        if found:
            return found
        with store.transaction(con):
            meeting_id = _next_id(con, "actions_meeting_next_id", "meeting_id")
            store.execute(
                con,
                "actions_meeting_insert",
                meeting_id=meeting_id,
                held_on=held_on,
                title=title,
                period_from=period.date_from if period else None,
                period_to=period.date_to if period else None,
                created_by=scope.username or None,
                created_at=config.now(),
            )
    return Meeting(meeting_id, held_on, title)


def _next_id(con: duckdb.DuckDBPyConnection, query: str, column: str) -> int:
    """The next meeting or action number, read on `con` inside the transaction that inserts it
    (the inserts have no RETURNING: a DuckLake store does not support it)."""
    return int(store.execute(con, query)[column][0])


def find_meeting(con: duckdb.DuckDBPyConnection, title: str, held_on: date) -> Meeting | None:
    """The meeting held on a day under a deck's title, if one was recorded."""
    title = _text(title)[:TITLE_MAX]
    found = run_query(con, "actions_meeting_find", held_on=held_on, title=title)
    if found.height == 0:
        return None
    return Meeting(int(found["meeting_id"][0]), held_on, title)


@writes.op
@store.retried
def add(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    meeting: Meeting,
    commune: str | None,
    what: str,
    owner: str | None,
    deadline: date,
) -> int:
    """Record an action of a meeting; returns its number. Audited, and kept in the history."""
    _require_recorder(scope)
    commune, what, owner, deadline = clean(con, commune, what, owner, deadline)
    now = config.now()
    with store.WRITE_LOCK, store.transaction(con):
        same = rows(con, scope, meeting=meeting.meeting_id).filter(
            (pl.col("what") == what) & pl.col("commune_code").eq_missing(commune)
        )
        if same.height:  # a second press of the button, or the same line typed twice
            raise ActionError("action.error.duplicate", n=same["action_id"][0])
        action_id = _next_id(con, "actions_next_id", "action_id")
        store.execute(
            con,
            "actions_insert",
            action_id=action_id,
            meeting_id=meeting.meeting_id,
            commune=commune,
            what=what,
            owner=owner,
            deadline=deadline,
            created_by=scope.username or None,
            created_at=now,
        )
        _history(
            con, scope.username, action_id, "created", None, f"{deadline.isoformat()} {what}", now
        )
    audit.record(
        con,
        scope.username or None,
        audit.ACTION_ITEM_ADD,
        commune,
        f"#{action_id} {meeting.title} | {deadline.isoformat()} | {what}",
    )
    return action_id


@writes.op
@store.retried
def edit(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    action_id: int,
    commune: str | None,
    what: str,
    owner: str | None,
    deadline: date,
) -> list[str]:
    """Change an action's commune, text, owner or deadline; returns the fields changed (each kept
    in the history with its old and new value, and audited)."""
    _require_recorder(scope)
    old = _one(con, scope, action_id)
    commune, what, owner, deadline = clean(con, commune, what, owner, deadline, old["deadline"])
    new = {"commune": commune, "what": what, "owner": owner, "deadline": deadline}
    was = {
        "commune": old["commune_code"],
        "what": old["what"],
        "owner": old["owner"],
        "deadline": old["deadline"],
    }
    changed = [name for name in new if new[name] != was[name]]
    if not changed:
        return []
    now = config.now()
    with store.WRITE_LOCK, store.transaction(con):
        store.execute(
            con,
            "actions_update",
            action_id=action_id,
            updated_by=scope.username or None,
            updated_at=now,
            **new,
        )
        for name in changed:
            _history(con, scope.username, action_id, name, _str(was[name]), _str(new[name]), now)
    detail = "; ".join(f"{n}: {_str(was[n])} → {_str(new[n])}" for n in changed)
    audit.record(
        con, scope.username or None, audit.ACTION_ITEM_CHANGE, commune, f"#{action_id} {detail}"
    )
    return changed


@writes.op
@store.retried
def set_done(
    con: duckdb.DuckDBPyConnection, scope: Scope, action_id: int, done: bool = True
) -> bool:
    """Mark an action done (a recorder, or the ward chair of its commune) or open again (a recorder
    only). Returns False when it already was in that state; audited and kept otherwise."""
    if not done or scope.role != WARD_CHAIR:
        _require_recorder(scope)
    old = _one(con, scope, action_id)
    state = "done" if done else "open"
    if old["state"] == state:
        return False
    now = config.now()
    with store.WRITE_LOCK, store.transaction(con):
        store.execute(
            con,
            "actions_set_state",
            action_id=action_id,
            state=state,
            changed_by=scope.username or None,
            changed_at=now,
        )
        _history(con, scope.username, action_id, "state", old["state"], state, now)
    audit.record(
        con,
        scope.username or None,
        audit.ACTION_ITEM_CHANGE,
        old["commune_code"],
        f"#{action_id} state: {old['state']} → {state}",
    )
    return True


def _history(con, username: str | None, action_id: int, name: str, old, new, now) -> None:
    store.execute(
        con,
        "actions_history_insert",
        changed_at=now,
        changed_by=username or None,
        action_id=action_id,
        field=name,
        old_value=old,
        new_value=new,
    )


def _str(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


# --- reading -------------------------------------------------------------------------------------


def rows(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    commune: str | None = None,
    meeting: int | None = None,
    action: int | None = None,
    open_until: date | None = None,
    lang: str = "vi",
) -> pl.DataFrame:
    """Actions as the role may see them (queries/actions_rows.sql), with their state today, the
    commune's name ("Toàn thành phố" for a city-wide one) and the owner shown ("Chủ tịch UBND …"
    when the commune has no chair account and no owner was given)."""
    frame = run_query(
        con,
        "actions_rows",
        action=action,
        commune=visible_commune(scope, commune),
        meeting=meeting,
        open_until=open_until,
        today=config.now().date(),
        demo=auth.demo_mode(con),
    )
    city = t("filter.commune.all", lang)
    return frame.with_columns(
        pl.col("commune_name").fill_null(pl.lit(city)),
        pl.coalesce(
            pl.col("owner_shown"),
            pl.lit(t("action.owner.chair", lang)) + pl.col("commune_name"),
        ).alias("owner_shown"),
    )


def _one(con: duckdb.DuckDBPyConnection, scope: Scope, action_id: int) -> dict:
    found = rows(con, scope, action=int(action_id))
    if found.height == 0:
        raise ActionError("action.error.not_found")
    return found.row(0, named=True)


def for_commune(
    con: duckdb.DuckDBPyConnection, scope: Scope, commune: str, lang: str = "vi"
) -> pl.DataFrame:
    """The actions addressed to a commune (late first, then open, then done)."""
    return rows(con, scope, commune=commune, lang=lang)


def of_meeting(
    con: duckdb.DuckDBPyConnection, scope: Scope, meeting: int, lang: str = "vi"
) -> pl.DataFrame:
    return rows(con, scope, meeting=meeting, lang=lang)


def counts(frame: pl.DataFrame) -> dict[str, int]:
    """How many actions are late, open and done."""
    return {s: int((frame["status"] == s).sum()) for s in STATUSES}


def carry_cutoff(period: Period) -> date:
    """The last day a meeting carried into a deck may have been held: the end of the deck's period,
    and never the day the deck is shown (what this meeting records goes into the next one)."""
    return min(period.date_to, config.now().date() - timedelta(days=1))


def carried(
    con: duckdb.DuckDBPyConnection, scope: Scope, period: Period, lang: str = "vi"
) -> Carried:
    """The last meeting held up to carry_cutoff(period) that asked something the role may see, its
    actions, and the actions still open from meetings before it."""
    cutoff = carry_cutoff(period)
    last = run_query(con, "actions_last_meeting", cutoff=cutoff, commune=visible_commune(scope))
    if last.height == 0:
        return Carried(None, rows(con, scope, action=0, lang=lang), counts_empty())  # no rows
    meeting = Meeting(int(last["meeting_id"][0]), last["held_on"][0], last["title"][0])
    frame = rows(con, scope, meeting=meeting.meeting_id, open_until=cutoff, lang=lang)
    return Carried(meeting, frame, counts(frame))


def counts_empty() -> dict[str, int]:
    return dict.fromkeys(STATUSES, 0)


def history(con: duckdb.DuckDBPyConnection, scope: Scope, action_id: int) -> pl.DataFrame:
    """Every change of an action the role may see, oldest first."""
    _one(con, scope, action_id)
    return run_query(con, "actions_history", action_id=int(action_id))


# --- demo ----------------------------------------------------------------------------------------

# commune name, what, owner (None: the ward chair), deadline and day done (days after the meeting)
DEMO_ACTIONS = (
    (
        "Phường Cửa Nam",
        "Giải quyết dứt điểm các hồ sơ đất đai quá hạn, báo cáo kết quả bằng văn bản",
        None,
        4,
        None,
    ),
    (
        "Phường Cửa Nam",
        "Bố trí cán bộ hướng dẫn người dân nộp hồ sơ trực tuyến tại bộ phận một cửa",
        None,
        15,
        None,
    ),
    ("Phường Hoàn Kiếm", "Bổ sung 2 cán bộ tiếp nhận hồ sơ buổi sáng", None, 3, 2),
    (
        "Xã Sóc Sơn",
        "Số hóa hồ sơ, kết quả giải quyết TTHC còn tồn; báo cáo tỷ lệ số hóa",
        None,
        5,
        None,
    ),
    ("Phường Hà Đông", "Liên hệ người nộp các hồ sơ chờ bổ sung quá 10 ngày", None, 4, 4),
    ("Xã Ba Vì", "Kiểm tra đường truyền, bảo đảm dữ liệu được cập nhật hằng ngày", None, 2, 1),
    (
        "Phường Long Biên",
        "Làm rõ nguyên nhân tụt hạng, đề xuất giải pháp tại cuộc họp tới",
        None,
        6,
        None,
    ),
    (
        None,
        "Tổng hợp danh sách xã/phường chưa đạt chỉ tiêu trực tuyến, gửi UBND thành phố",
        "Sở Nội vụ",
        16,
        None,
    ),
)


def seed_demo(con: duckdb.DuckDBPyConnection, until: datetime) -> int:
    """The demo's last meeting: held on the Monday of the week before `until`'s week on the week
    before it, with DEMO_ACTIONS (3 done, 3 late, 2 open whatever the weekday of `until`: the late
    ones were due at most 6 days after the meeting, the open ones 15 days or more). Replaces the
    demo meeting a store already has; the demo feed never touches it. Returns the actions made."""
    held = until.date() - timedelta(days=until.weekday() + 7)
    week = (held - timedelta(days=7), held - timedelta(days=1))
    title = t("present.deck.week", "vi", period=f"{fmt_date(week[0])} – {fmt_date(week[1])}")
    names = {name: code for code, name in auth.communes(con, config.DEFAULT_PROVINCE).items()}
    made = 0
    with store.WRITE_LOCK, store.transaction(con):
        store.execute(con, "actions_demo_clear")
        meeting = _next_id(con, "actions_meeting_next_id", "meeting_id")
        store.execute(
            con,
            "actions_meeting_insert",
            meeting_id=meeting,
            held_on=held,
            title=title,
            period_from=week[0],
            period_to=week[1],
            created_by=DEMO_USER,
            created_at=datetime.combine(held, datetime.min.time()).replace(hour=10),
        )
        for name, what, owner, due, done in DEMO_ACTIONS:
            if name is not None and name not in names:
                continue  # a store without Hanoi's communes
            at = datetime.combine(held, datetime.min.time()).replace(hour=11)
            action_id = _next_id(con, "actions_next_id", "action_id")
            store.execute(
                con,
                "actions_insert",
                action_id=action_id,
                meeting_id=meeting,
                commune=names.get(name) if name else None,
                what=what,
                owner=owner,
                deadline=held + timedelta(days=due),
                created_by=DEMO_USER,
                created_at=at,
            )
            _history(con, DEMO_USER, action_id, "created", None, what, at)
            if done is not None:
                done_at = at + timedelta(days=done, hours=5)
                _history(con, DEMO_USER, action_id, "state", "open", "done", done_at)
                store.execute(
                    con,
                    "actions_set_state",
                    action_id=action_id,
                    state="done",
                    changed_by=DEMO_USER,
                    changed_at=done_at,
                )
            made += 1
    return made
