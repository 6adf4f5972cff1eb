"""Capacity (issue 19): workload per officer and per desk, the queue ahead of each commune, and
where seconded staff would help most. Every figure is defined once in docs/capacity.md and
computed once here (counts in queries/capacity_*.sql; working days from ioc/workdays.py).

Who sees officers: a city leader (any commune) and a ward chair (the own commune); a presenter or
an administrator gets the communes' aggregates only (officer_workload raises ScopeError).

The queue projection (`project`), in short (docs/capacity.md says it in full, the page on screen):
- arrivals: the commune's recent receiving rate R, received per working day over the last
  WINDOW working days before today, due after the statutory times of its recent mix of
  procedures (the same shares);
- capacity: resolved per officer-day over the same window (S / officer-days), times the officers
  on duty each coming working day (roster rows in force plus recorded secondments); without a
  roster, the recent resolving rate S itself;
- the queue: the dossiers open now with their due days and the arrivals; each working day serves
  first what is due that day, then the overdue dossiers (oldest due first), then the rest by due
  day, in fractions of a dossier (a fluid model);
- a dossier is overdue on working day d when its due day is before d (kpi.md open_overdue).
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import polars as pl

from ioc import audit, store, writes
from ioc.ingest.load import bump_version
from ioc.kpi import Period
from ioc.scope import CITY_LEADER, Scope, ScopeError
from ioc.store import run_query
from ioc.workdays import HOLIDAYS, is_working_day, next_working_day

WINDOW = 20  # working days of the recent rates
HORIZON = 10  # working days projected
MAX_LAG = 60  # statutory times beyond this many working days count as this many
CLEARED = 0.5  # fewer projected overdue dossiers than this count as none (fluid model)
_HOLIDAYS = np.array(sorted(HOLIDAYS), dtype="datetime64[D]")


# --- working days ---------------------------------------------------------------------------


def working_days(date_from: date, date_to: date) -> list[date]:
    """The working days in [date_from, date_to]."""
    days, day = [], date_from
    while day <= date_to:
        if is_working_day(day):
            days.append(day)
        day += timedelta(1)
    return days


def working_days_before(day: date, n: int) -> list[date]:
    """The n working days strictly before `day`, oldest first."""
    days: list[date] = []
    while len(days) < n:
        day -= timedelta(1)
        if is_working_day(day):
            days.append(day)
    return days[::-1]


def working_days_after(day: date, n: int) -> list[date]:
    """The n working days strictly after `day`."""
    days: list[date] = []
    while len(days) < n:
        day = next_working_day(day)
        days.append(day)
    return days


# --- workload (docs/capacity.md) --------------------------------------------------------------


def _ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator / denominator, null (shown "—") when the denominator is zero or missing."""
    return pl.when(denominator > 0).then(numerator / denominator).otherwise(None)


def officer_workload(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    period: Period,
    province: str | None,
    commune: str | None = None,
) -> pl.DataFrame:
    """One row per officer and commune: officer_days, received, steps, open, overdue and the
    figures per officer-day. Officers are identified to a city leader (any commune, None = all)
    and to a ward chair (the own commune only); anyone else gets ScopeError."""
    commune = scope.dossier_commune(commune)
    days = working_days(period.date_from, period.date_to)
    roster = run_query(
        con, "capacity_roster_days", workdays=days, province=province, commune=commune
    )
    # An officer's figures count at the desk where the period saw most of the officer's days.
    main_desk = (
        roster.sort(["officer_days", "desk"], descending=[True, False])
        .group_by(["commune_code", "officer_id"], maintain_order=True)
        .agg(
            pl.col("desk").first(),
            pl.col("officer_masked").first(),
            pl.col("seconded_from").first(),
            pl.col("officer_days").sum(),
        )
    )
    counts = run_query(
        con,
        "capacity_officer_counts",
        date_from=period.date_from,
        date_to=period.date_to,
        province=province,
        commune=commune,
    )
    names = run_query(
        con, "capacity_commune_counts", date_from=period.date_from, date_to=period.date_to,
        province=province, commune=commune,
    ).select("commune_code", "commune_name")  # fmt: skip
    frame = main_desk.join(counts, on=["commune_code", "officer_id"], how="full", coalesce=True)
    frame = frame.join(names, on="commune_code", how="left").with_columns(
        pl.col("received", "steps", "open", "overdue").fill_null(0),
        pl.col("officer_days").fill_null(0.0),
    )
    return frame.with_columns(
        received_per_day=_ratio(pl.col("received"), pl.col("officer_days")),
        steps_per_day=_ratio(pl.col("steps"), pl.col("officer_days")),
        overdue_share=_ratio(pl.col("overdue"), pl.col("open")),
    ).sort(["steps_per_day", "open"], descending=True, nulls_last=True)


def commune_workload(
    con: duckdb.DuckDBPyConnection, period: Period, province: str | None, commune: str | None = None
) -> pl.DataFrame:
    """One row per commune, aggregates only (any role): officers on duty at the period's end,
    officer_days over its working days (roster and secondments), received and steps handled per
    officer-day, open per officer, overdue share of the queue."""
    days = working_days(period.date_from, period.date_to)
    counts = run_query(
        con, "capacity_commune_counts", date_from=period.date_from, date_to=period.date_to,
        province=province, commune=commune,
    )  # fmt: skip
    daily = run_query(
        con,
        "capacity_daily_officers",
        days=sorted({*days, period.date_to}),
        province=province,
        commune=commune,
    )
    staffed = daily.group_by("commune_code").agg(
        officer_days=pl.col("officers").filter(pl.col("day").is_in(days)).sum(),
        officers=pl.col("officers").filter(pl.col("day") == period.date_to).sum(),
    )
    steps = _steps_by_commune(con, period, province, commune)
    frame = (
        counts.join(staffed, on="commune_code", how="left")
        .join(steps, on="commune_code", how="left")
        .with_columns(pl.col("officer_days", "officers", "steps").fill_null(0))
    )
    return frame.with_columns(
        received_per_officer_day=_ratio(pl.col("received"), pl.col("officer_days")),
        steps_per_officer_day=_ratio(pl.col("steps"), pl.col("officer_days")),
        open_per_officer=_ratio(pl.col("open_at_end"), pl.col("officers")),
        overdue_share=_ratio(pl.col("open_overdue"), pl.col("open_at_end")),
    ).sort("received_per_officer_day", descending=True, nulls_last=True)


def _steps_by_commune(
    con: duckdb.DuckDBPyConnection, period: Period, province: str | None, commune: str | None
) -> pl.DataFrame:
    counts = run_query(
        con,
        "capacity_officer_counts",
        date_from=period.date_from,
        date_to=period.date_to,
        province=province,
        commune=commune,
    )
    return counts.group_by("commune_code").agg(pl.col("steps").sum())


def desk_workload(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    period: Period,
    province: str | None,
    commune: str | None = None,
) -> pl.DataFrame:
    """officer_workload summed by commune and desk (the same scope rules: the rows come from it);
    received per officer-day of a desk counts every dossier the commune received."""
    officers = officer_workload(con, scope, period, province, commune)
    received = run_query(
        con, "capacity_commune_counts", date_from=period.date_from, date_to=period.date_to,
        province=province, commune=scope.dossier_commune(commune),
    ).select("commune_code", "received")  # fmt: skip
    desks = (
        officers.filter(pl.col("desk").is_not_null())
        .group_by(["commune_code", "commune_name", "desk"])
        .agg(
            pl.len().alias("officer_count"),
            pl.col("officer_days", "steps", "open", "overdue").sum(),
        )
        .join(received, on="commune_code", how="left")
    )
    return desks.with_columns(
        received_per_officer_day=_ratio(pl.col("received"), pl.col("officer_days")),
        steps_per_officer_day=_ratio(pl.col("steps"), pl.col("officer_days")),
        overdue_share=_ratio(pl.col("overdue"), pl.col("open")),
    ).sort(["commune_code", "desk"])


# --- queue projection ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    """What the projection starts from, one entry per commune (arrays in `communes` order).

    queue[c, b]: dossiers open now whose due day is on or before the b-th coming working day
    (b = 0: due before the first of them, i.e. today or earlier; the last column: no due date or
    beyond reach); arrive: R; mix[c, L]: the share of arrivals due L working days after they
    arrive; per_officer_day: resolved per officer-day (nan without a roster); capacity[c, k]:
    resolutions on coming working day k."""

    communes: list[str]
    names: list[str]
    days: list[date]  # the coming working days d1..dH
    queue: np.ndarray
    arrive: np.ndarray
    mix: np.ndarray
    resolve_rate: np.ndarray  # S
    per_officer_day: np.ndarray
    officers: np.ndarray  # [c, k] officers on duty on day k (nan without a roster)
    capacity: np.ndarray
    overdue_now: np.ndarray


def queue_state(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str | None,
    commune: str | None = None,
    horizon: int = HORIZON,
) -> Queue:
    """Read the starting point of the projection for each commune (see the module docstring)."""
    today = as_of.date()
    window = working_days_before(today, WINDOW)
    coming = working_days_after(today, horizon)
    counts = run_query(
        con, "capacity_commune_counts", date_from=window[0], date_to=today - timedelta(1),
        province=province, commune=commune,
    )  # fmt: skip
    codes = counts["commune_code"].to_list()
    index = {code: i for i, code in enumerate(codes)}
    n = len(codes)
    lags = run_query(
        con, "capacity_due_lag", date_from=window[0], date_to=today - timedelta(1),
        province=province, commune=commune,
    )  # fmt: skip
    mix = np.zeros((n, min(int(lags["due_lag"].max() or 0), MAX_LAG) + 1))
    mix[:, 0] = 1.0  # no receipts lately: whatever arrives is due the same day
    seen = set()
    for code, lag, received in lags.iter_rows():
        if code not in seen:
            mix[index[code]] = 0.0
            seen.add(code)
        mix[index[code], min(lag, MAX_LAG)] += received
    mix /= mix.sum(axis=1, keepdims=True)
    buckets = horizon + mix.shape[1] + 1
    queue = np.zeros((n, buckets))
    overdue_now = np.zeros(n)
    due = run_query(con, "capacity_open_due", day=today, province=province, commune=commune)
    if due.height:
        rows = np.array([index[c] for c in due["commune_code"].to_list()], dtype=int)
        count = due["dossiers"].to_numpy().astype(float)
        days = due["due_day"].to_numpy().astype("datetime64[D]")
        known = ~np.isnat(days)
        start = np.datetime64(today + timedelta(1), "D")
        bucket = np.full(len(rows), buckets - 1)
        ahead = np.busday_count(start, days[known] + 1, holidays=_HOLIDAYS)
        bucket[known] = np.clip(ahead, 0, buckets - 2)
        np.add.at(queue, (rows, bucket), count)
        past = known.copy()
        past[known] = days[known] < np.datetime64(today, "D")
        np.add.at(overdue_now, rows[past], count[past])
    daily = run_query(
        con, "capacity_daily_officers", days=[*window, *coming], province=province,
        commune=commune,
    )  # fmt: skip
    on_duty = np.zeros((n, len(window) + horizon))
    if daily.height:
        known = daily.filter(pl.col("commune_code").is_in(codes))
        rows = known["commune_code"].replace_strict(index, return_dtype=pl.Int64).to_numpy()
        position = {day: i for i, day in enumerate([*window, *coming])}
        columns = known["day"].replace_strict(position, return_dtype=pl.Int64).to_numpy()
        on_duty[rows, columns] = known["officers"].to_numpy()
    past_days = on_duty[:, : len(window)].sum(axis=1)
    resolved = counts["resolved"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_officer_day = np.where(past_days > 0, resolved / past_days, np.nan)
    officers = np.where(past_days[:, None] > 0, on_duty[:, len(window) :], np.nan)
    rate = resolved / len(window)
    capacity = np.where(
        np.isnan(per_officer_day)[:, None],
        rate[:, None],
        np.nan_to_num(per_officer_day)[:, None] * np.nan_to_num(officers),
    )
    return Queue(
        communes=codes,
        names=counts["commune_name"].to_list(),
        days=coming,
        queue=queue,
        arrive=counts["received"].to_numpy().astype(float) / len(window),
        mix=mix,
        resolve_rate=rate,
        per_officer_day=per_officer_day,
        officers=officers,
        capacity=capacity,
        overdue_now=overdue_now,
    )


@dataclass(frozen=True)
class Run:
    """A simulated run: open[c, k], overdue[c, k] at the end of coming working day k; resolved
    and resolved late over the run."""

    open: np.ndarray
    overdue: np.ndarray
    resolved: np.ndarray
    late: np.ndarray


def simulate(queue: np.ndarray, arrive: np.ndarray, mix: np.ndarray, capacity: np.ndarray) -> Run:
    """One working day at a time: the day's arrivals join the queue, a share mix[c, L] of them
    due L working days later; the day's capacity serves first what is due that day (its last day on time), then the
    overdue dossiers, oldest due first, then the others by due day; what is left with a due day
    before the day is overdue. Fractions of dossiers (a fluid model)."""
    q = queue.copy()
    n, buckets = q.shape
    horizon = capacity.shape[1]
    open_, overdue = np.zeros((n, horizon)), np.zeros((n, horizon))
    resolved, late = np.zeros(n), np.zeros(n)
    for k in range(1, horizon + 1):
        span = min(mix.shape[1], buckets - 1 - k)
        q[:, k : k + span] += arrive[:, None] * mix[:, :span]
        order = [k, *range(k), *range(k + 1, buckets)]  # due today, overdue, the rest
        ordered = q[:, order]
        before = np.cumsum(ordered, axis=1) - ordered
        served = np.empty_like(q)
        served[:, order] = np.clip(capacity[:, k - 1 : k] - before, 0, ordered)
        resolved += served.sum(axis=1)
        late += served[:, :k].sum(axis=1)  # due before day k, finished on day k
        q -= served
        open_[:, k - 1] = q.sum(axis=1)
        overdue[:, k - 1] = q[:, :k].sum(axis=1)
    return Run(open_, overdue, resolved, late)


def missing_resolutions(state: Queue, capacity: np.ndarray, iterations: int = 30) -> np.ndarray:
    """The fewest extra resolutions per working day (the same each day) with which no dossier
    is overdue at the end of the horizon, per commune (bisection on the communes that need any;
    0 for the others)."""
    extra = np.zeros(len(state.communes))
    short = simulate(state.queue, state.arrive, state.mix, capacity).overdue[:, -1] >= CLEARED
    if not short.any():
        return extra
    queue, arrive, mix, capacity = (
        state.queue[short],
        state.arrive[short],
        state.mix[short],
        capacity[short],
    )
    high = queue.sum(axis=1) + arrive * capacity.shape[1]
    low = np.zeros(len(high))
    for _ in range(iterations):
        middle = (low + high) / 2
        ok = simulate(queue, arrive, mix, capacity + middle[:, None]).overdue[:, -1] < CLEARED
        high = np.where(ok, middle, high)
        low = np.where(ok, low, middle)
    extra[short] = high
    return extra


def project(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str | None,
    commune: str | None = None,
    horizon: int = HORIZON,
) -> pl.DataFrame:
    """Per commune: the recent rates, open and overdue on each of the next `horizon` working days
    (lists), and the verdict: 'clear' (nothing overdue now or ahead), 'clears' on clear_date
    (the first coming working day from which nothing is overdue), or 'late' ("không kịp") with
    officer_days_missing (extra officer-days over the horizon for nothing to be overdue at its
    end; null without a roster)."""
    state = queue_state(con, as_of, province, commune, horizon)
    run = simulate(state.queue, state.arrive, state.mix, state.capacity)
    extra = missing_resolutions(state, state.capacity)
    cleared = run.overdue < CLEARED
    # first k from which every day is clear: count the clear days at the end
    tail = np.cumprod(cleared[:, ::-1], axis=1).sum(axis=1)
    first_clear = horizon - tail
    verdict, clear_date = [], []
    for c in range(len(state.communes)):
        if tail[c] == horizon and state.overdue_now[c] < CLEARED:
            verdict.append("clear")
            clear_date.append(None)
        elif tail[c] > 0:
            verdict.append("clears")
            clear_date.append(state.days[first_clear[c]])
        else:
            verdict.append("late")
            clear_date.append(None)
    with np.errstate(invalid="ignore", divide="ignore"):
        missing = np.where(
            np.array(verdict) == "late", extra * horizon / state.per_officer_day, 0.0
        )
    return pl.DataFrame(
        {
            "commune_code": state.communes,
            "commune_name": state.names,
            "received_per_day": state.arrive,
            "resolved_per_day": state.resolve_rate,
            "resolved_per_officer_day": _nan_none(state.per_officer_day),
            "officers": _nan_none(_mean_officers(state.officers)),
            "open_now": state.queue.sum(axis=1),
            "overdue_now": state.overdue_now,
            "open": run.open.tolist(),
            "overdue": run.overdue.tolist(),
            "open_end": run.open[:, -1],
            "overdue_end": run.overdue[:, -1],
            "verdict": verdict,
            "clear_date": pl.Series(clear_date, dtype=pl.Date),
            "officer_days_missing": _nan_none(missing),
        },
        strict=False,
    ).sort(["overdue_end", "open_end"], descending=True)


def _mean_officers(officers: np.ndarray) -> np.ndarray:
    """Officers on duty per coming working day, on average (nan without a roster)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(officers, axis=1)


def _nan_none(values) -> list[float | None]:  # noqa: ANN001 - numpy array or list
    return [None if v is None or np.isnan(v) else float(v) for v in np.asarray(values, float)]


# --- where to send staff ----------------------------------------------------------------------


def allocate(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str | None,
    officers: int,
    weeks: int,
) -> pl.DataFrame:
    """Greedy allocation of `officers` seconded full time for `weeks` weeks from the next working
    day: each officer goes, one after the other, to the commune where one more officer avoids the
    most dossiers overdue at the end of the period (ties: the most late resolutions avoided).
    The queue is served as in `simulate`.
    Assumptions (stated on screen): a seconded officer resolves what the commune's own officers
    resolved per officer-day over the last WINDOW working days (the province's median where the
    commune has no roster); arrivals go on at the recent rate; no ramp-up.
    One row per commune that gets someone: officers, overdue and on-time rate before and after."""
    horizon = len(working_days(as_of.date() + timedelta(1), as_of.date() + timedelta(7 * weeks)))
    state = queue_state(con, as_of, province, None, max(horizon, 1))
    return greedy(state, officers)


def greedy(state: Queue, officers: int) -> pl.DataFrame:
    """The allocation of `allocate` on a prepared queue state."""
    per_officer = np.where(
        np.isnan(state.per_officer_day),
        np.nanmedian(state.per_officer_day) if np.isfinite(state.per_officer_day).any() else 0.0,
        state.per_officer_day,
    )
    n = len(state.communes)
    given = np.zeros(n, dtype=int)

    def outcome(extra: np.ndarray) -> Run:
        capacity = state.capacity + (extra * per_officer)[:, None]
        return simulate(state.queue, state.arrive, state.mix, capacity)

    base = outcome(given)
    now = base
    for _ in range(officers):
        more = outcome(given + 1)
        gain_overdue = now.overdue[:, -1] - more.overdue[:, -1]
        gain_late = now.late - more.late
        score = np.round(gain_overdue, 6) * 1e6 + np.round(gain_late, 6)
        if n == 0 or score.max() <= 1e-9:
            break
        best = int(np.argmax(score))  # first best: lowest commune code among ties
        given[best] += 1
        now = outcome(given)
    chosen = np.flatnonzero(given)

    def on_time(run: Run) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(run.resolved > 0, 1 - run.late / run.resolved, np.nan)

    return pl.DataFrame(
        {
            "commune_code": [state.communes[i] for i in chosen],
            "commune_name": [state.names[i] for i in chosen],
            "officers": given[chosen],
            "overdue_before": base.overdue[chosen, -1],
            "overdue_after": now.overdue[chosen, -1],
            "overdue_avoided": base.overdue[chosen, -1] - now.overdue[chosen, -1],
            "on_time_before": _nan_none(on_time(base)[chosen]),
            "on_time_after": _nan_none(on_time(now)[chosen]),
        },
        schema_overrides={"officers": pl.Int64},
    ).sort(["officers", "overdue_avoided"], descending=True)


# --- secondments --------------------------------------------------------------------------------


@writes.op
@store.retried
def record_secondment(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    commune: str,
    officers: int,
    from_date: date,
    to_date: date,
    time_share: float = 1.0,
    note: str | None = None,
) -> str:
    """Record that a city leader seconded `officers` to `commune` from `from_date` to `to_date`
    (audited); its officer-days count in the commune's capacity from then on. Returns its id."""
    if scope.role != CITY_LEADER:
        raise ScopeError(f"{scope.role}: only a city leader records a secondment")
    if officers < 1 or to_date < from_date or not 0 < time_share <= 1:
        raise ValueError("a secondment needs at least one officer, an end after its start and a "
                         "share of time in (0, 1]")  # fmt: skip
    secondment_id = uuid.uuid4().hex[:12]
    with store.WRITE_LOCK, store.transaction(con):
        store.execute(
            con,
            "capacity_insert_secondment",
            secondment_id=secondment_id,
            commune=commune,
            officers=officers,
            from_date=from_date,
            to_date=to_date,
            time_share=time_share,
            note=(note or "").strip()[:300] or None,
            created_by=scope.username or None,
            created_at=audit.wall_clock(),
        )
        detail = f"{officers} officer(s) {from_date:%d/%m/%Y}-{to_date:%d/%m/%Y} x{time_share:g}"
        audit.record(con, scope.username or None, audit.SECONDMENT, commune, detail)
        bump_version(con, real=False)  # cached figures follow: the projection changed
    return secondment_id


def secondment_effects(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str | None,
    commune: str | None = None,
) -> pl.DataFrame:
    """Each recorded secondment with the commune's figures before and since it started: received
    and resolved per working day and the on-time rate over the working days before its start (as
    many as have passed since it started, at most its length), and open overdue the day before
    it started and at the end of the same span after."""
    rows = run_query(con, "capacity_secondments", province=province, commune=commune)
    out = []
    today = as_of.date()
    for row in rows.iter_rows(named=True):
        start = row["from_date"]
        since = working_days(start, min(row["to_date"], today))
        if not since:
            out.append(row | dict.fromkeys(_EFFECT_COLUMNS))
            continue
        before = working_days_before(start, len(since))
        figures = {}
        for label, span in (("before", before), ("after", since)):
            counts = run_query(
                con, "capacity_commune_counts", date_from=span[0], date_to=span[-1],
                province=None, commune=row["commune_code"],
            ).row(0, named=True)  # fmt: skip
            figures[f"resolved_per_day_{label}"] = counts["resolved"] / len(span)
            figures[f"on_time_{label}"] = (
                counts["resolved_on_time"] / counts["resolved"] if counts["resolved"] else None
            )
            figures[f"overdue_{label}"] = counts["open_overdue"]
        out.append(row | figures)
    schema = {**rows.schema, **dict.fromkeys(_EFFECT_COLUMNS, pl.Float64)}
    return pl.DataFrame(out, schema=schema, orient="row") if out else pl.DataFrame(schema=schema)


_EFFECT_COLUMNS = (
    "resolved_per_day_before",
    "on_time_before",
    "overdue_before",
    "resolved_per_day_after",
    "on_time_after",
    "overdue_after",
)
