"""Figures of the review meeting's slides (ioc.presentation): the 12-week trend of each targeted
KPI, overdue dossiers by commune, procedure and days late, who is late and who owns it, the noise
threshold of score changes, and the cover's key messages.

Every figure comes from ioc.kpi (one implementation per KPI of ../shared/spec/kpi.md) or from
queries over the dossier states of queries/dossier_states.sql; nothing is computed a second way.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from ioc import config, kpi
from ioc.kpi import Period
from ioc.store import run_query
from ioc.workdays import is_working_day

TREND_WEEKS = 12
# Working days late (after the due day, up to the day the figures are taken): the buckets' upper
# bounds, the last one open. 5 working days is a week of office days, 20 about a month.
LATE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 5), (6, 10), (11, 20), (21, None))
BREAKDOWN_ROWS = 8  # communes / procedures named in the overdue breakdown, the rest summed
# The movers' noise threshold: NOISE_FACTOR robust standard deviations of the score changes
# between consecutive periods over the NOISE_PERIODS changes before the deck's period.
NOISE_PERIODS = 8
NOISE_FACTOR = 2.0
NOISE_MIN_CHANGES = 10  # fewer changes than this: no threshold (too little history)
MAD_TO_SD = 1.4826  # the median absolute deviation of a normal distribution times this = its SD


# --- trends ----------------------------------------------------------------------------------


def trend_weeks(date_to: date, weeks: int = TREND_WEEKS, now=None) -> list[Period]:
    """The `weeks` full weeks (Monday–Sunday) ending with the last Sunday on or before date_to,
    oldest first."""
    sunday = date_to - timedelta(days=(date_to.weekday() + 1) % 7)
    return [
        Period.of(sunday - timedelta(days=7 * k + 6), sunday - timedelta(days=7 * k), now)
        for k in reversed(range(weeks))
    ]


def weekly_city(
    con: duckdb.DuckDBPyConnection,
    date_to: date,
    province: str = config.DEFAULT_PROVINCE,
    weeks: int = TREND_WEEKS,
) -> pl.DataFrame:
    """City KPIs per full week (kpi.city_kpis_of over trend_weeks, one query) with the city
    target in force at each week's end: week_from, week_to, every count and rate, and
    target_<rate> for each targeted rate (null: no target in force)."""
    periods = trend_weeks(date_to, weeks)
    in_force = kpi.targets_in_force_on(con, [p.date_to for p in periods])
    rows = kpi.city_kpis_of(con, periods, province, targets=in_force)
    frame = pl.DataFrame(
        [
            {
                "week_from": p.date_from,
                "week_to": p.date_to,
                **{c: row[c] for c in kpi.COUNT_COLUMNS},
                **{r: row.get(r) for r in (*kpi.RATES, "progress_rate")},
                **{f"target_{r}": kpi.resolve_target(t, r) for r in kpi.TARGETED_RATES},
            }
            for p, row, t in zip(periods, rows, in_force, strict=True)
        ],
        infer_schema_length=None,
    )
    return frame.with_columns(
        pl.col([f"target_{r}" for r in kpi.TARGETED_RATES]).cast(pl.Float64),
        pl.col([*kpi.RATES, "progress_rate"]).cast(pl.Float64),
    )


def trended_rates(weekly: pl.DataFrame) -> list[str]:
    """The targeted rates with a target in force at the end of the last week, in registry order."""
    if weekly.height == 0:
        return []
    last = weekly.row(-1, named=True)
    return [r for r in kpi.TARGETED_RATES if last[f"target_{r}"] is not None]


# --- overdue -----------------------------------------------------------------------------------


def working_days_late(due_days: list[date], as_of_day: date) -> dict[date, int]:
    """For each due day before as_of_day: the working days after it up to and including
    as_of_day (ioc.workdays). Due on a Friday and counted at the end of Sunday: 0 working days,
    though overdue by kpi.md's calendar rule (day(due_at) < day(as_of))."""
    if not due_days:
        return {}
    first = min(due_days)
    running, through = 0, {}  # working days in (first, day] for each day up to as_of_day
    day = first
    while day <= as_of_day:
        running += day > first and is_working_day(day)
        through[day] = running
        day += timedelta(days=1)
    return {d: running - through[d] for d in due_days if d in through}


def bucket_of(days: int) -> int:
    """Index in LATE_BUCKETS of a number of working days late."""
    for index, (_, high) in enumerate(LATE_BUCKETS):
        if high is None or days <= high:
            return index
    return len(LATE_BUCKETS) - 1


@dataclass(frozen=True)
class OverdueBreakdown:
    """Open overdue dossiers at as_of: total, and counts per commune / procedure with a column
    per days-late bucket (late_0 .. late_3), most overdue first."""

    total: int
    by_commune: pl.DataFrame  # commune_code, commune_name, overdue, late_0..late_3
    by_procedure: pl.DataFrame  # procedure_code, procedure_name, overdue, late_0..late_3
    by_bucket: pl.DataFrame  # bucket (index), overdue, share


BUCKET_COLUMNS = [f"late_{i}" for i in range(len(LATE_BUCKETS))]


def overdue_breakdown(
    con: duckdb.DuckDBPyConnection, as_of, province: str = config.DEFAULT_PROVINCE
) -> OverdueBreakdown:
    """kpi.md open_overdue at as_of, broken down (queries/overdue_by_due_day.sql)."""
    counts = run_query(con, "overdue_by_due_day", as_of=as_of, province=province)
    late = working_days_late(counts["due_day"].unique().to_list(), as_of.date())
    counts = counts.with_columns(
        pl.col("due_day")
        .replace_strict(list(late), [bucket_of(v) for v in late.values()], return_dtype=pl.Int64)
        .alias("bucket")
        if late
        else pl.lit(0, pl.Int64).alias("bucket")
    )
    spread = [
        pl.when(pl.col("bucket") == i).then(pl.col("overdue")).otherwise(0).sum().alias(c)
        for i, c in enumerate(BUCKET_COLUMNS)
    ]

    def by(key: str, names: pl.DataFrame) -> pl.DataFrame:
        grouped = counts.group_by(key).agg(pl.col("overdue").sum(), *spread)
        return (
            grouped.join(names, on=key, how="left")
            .with_columns(pl.col(names.columns[1]).fill_null(pl.col(key)))
            .select(key, names.columns[1], "overdue", *BUCKET_COLUMNS)
            .with_columns(pl.col(["overdue", *BUCKET_COLUMNS]).cast(pl.Int64))
            .sort(["overdue", key], descending=[True, False])
        )

    communes = run_query(con, "communes_of_province", province=province).select(
        "commune_code", "commune_name"
    )
    procedures = run_query(con, "procedure_catalogue").select("procedure_code", "procedure_name")
    total = int(counts["overdue"].sum() or 0)
    buckets = pl.DataFrame(
        {
            "bucket": list(range(len(LATE_BUCKETS))),
            "overdue": [
                int(counts.filter(pl.col("bucket") == i)["overdue"].sum() or 0)
                for i in range(len(LATE_BUCKETS))
            ],
        },
        schema={"bucket": pl.Int64, "overdue": pl.Int64},
    ).with_columns(
        (pl.col("overdue") / total if total else pl.lit(None, pl.Float64)).alias("share")
    )
    return OverdueBreakdown(
        total, by("commune_code", communes), by("procedure_code", procedures), buckets
    )


def head_and_rest(frame: pl.DataFrame, n: int, name_column: str, rest_name: str) -> pl.DataFrame:
    """The first n rows and one row adding up the others (named rest_name), when there are any."""
    if frame.height <= n:
        return frame
    numbers = [c for c, t in frame.schema.items() if t.is_numeric()]
    rest = frame.slice(n).select(pl.col(numbers).sum())
    filler = {c: pl.lit(None, frame.schema[c]) for c in frame.columns if c not in numbers}
    filler[name_column] = pl.lit(rest_name)
    return pl.concat([frame.head(n), rest.with_columns(**filler).select(frame.columns)])


# --- who is late -------------------------------------------------------------------------------


def chairs(con: duckdb.DuckDBPyConnection, province: str = config.DEFAULT_PROVINCE) -> dict:
    """commune_code -> the usernames of its ward chairs ("a, b")."""
    frame = run_query(con, "ward_chairs", province=province, demo=config.demo_enabled())
    found: dict[str, list[str]] = {}
    for code, name in zip(frame["commune_code"], frame["username"], strict=True):
        found.setdefault(code, []).append(name)
    return {code: ", ".join(names) for code, names in found.items()}


def late_communes(ranking: pl.DataFrame) -> pl.DataFrame:
    """The communes with open overdue dossiers or an on-time rate below its target (amber or
    red light), most overdue first, then lowest on-time rate."""
    return ranking.filter(
        (pl.col("open_overdue") > 0) | pl.col("light_on_time_rate").is_in(["amber", "red"])
    ).sort(
        ["open_overdue", "on_time_rate", "commune_code"],
        descending=[True, False, False],
        nulls_last=True,
    )


# --- movers ------------------------------------------------------------------------------------


def robust_threshold(changes: list[float]) -> float | None:
    """NOISE_FACTOR robust standard deviations of the changes, around their median:
    NOISE_FACTOR * 1.4826 * median(|change - median(changes)|). None with fewer than
    NOISE_MIN_CHANGES changes.

    Why: a commune's score moves from one period to the next even when nothing changed in how it
    works (a few dossiers more or less in a small commune move a rate by points). The ordinary
    size of those moves is read from the communes' own recent history; the median absolute
    deviation ignores the few real jumps that a standard deviation would let inflate the
    threshold, and two standard deviations leave about 95% of ordinary moves inside it.
    """
    if len(changes) < NOISE_MIN_CHANGES:
        return None
    centre = statistics.median(changes)
    return NOISE_FACTOR * MAD_TO_SD * statistics.median(abs(c - centre) for c in changes)


def noise_periods(period: Period, count: int = NOISE_PERIODS) -> list[Period]:
    """The count + 1 periods of the same length just before `period`, newest first."""
    periods, current = [], period
    for _ in range(count + 1):
        current = current.previous()
        periods.append(current)
    return periods


def noise_threshold(
    con: duckdb.DuckDBPyConnection, period: Period, province: str = config.DEFAULT_PROVINCE
) -> float | None:
    """The score change (points) below which a commune's move counts as noise: robust_threshold
    of every commune's score changes between consecutive periods of the deck's length over the
    NOISE_PERIODS changes before the deck's own (those are not used to judge themselves); a
    commune without a score in either period gives no change. Periods before the data starts
    give none either, so a short history gives no threshold (None)."""
    periods = [p for p in noise_periods(period) if p.date_to >= config.START_DATE.date()]
    if len(periods) < 2:
        return None
    scores = kpi.commune_scores_of(con, periods, province)
    changes: list[float] = []
    for newer, older in zip(scores, scores[1:], strict=False):
        joined = newer.join(older, on="commune_code", suffix="_before").drop_nulls()
        changes.extend((joined["score"] - joined["score_before"]).to_list())
    return robust_threshold(changes)


def movers(ranking: pl.DataFrame, n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The n communes whose score rose most and the n whose score fell most against the previous
    period of the same length; ties by rank."""
    moved = ranking.filter(pl.col("score_change").is_not_null() & (pl.col("score_change") != 0))
    up = moved.filter(pl.col("score_change") > 0).sort(
        ["score_change", "rank"], descending=[True, False]
    )
    down = moved.filter(pl.col("score_change") < 0).sort(["score_change", "rank"])
    return up.head(n), down.head(n)


def is_noise(change: float | None, threshold: float | None) -> bool | None:
    """Whether a score change is within the noise threshold (None: no threshold or no change)."""
    if change is None or threshold is None:
        return None
    return abs(change) <= threshold
