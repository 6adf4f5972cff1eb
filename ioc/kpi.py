"""KPIs of ../shared/spec/kpi.md: one implementation, used by the pages, the CLI and the exports.

queries/kpi_counts.sql counts; this module turns counts into rates, the commune service score,
the ranking and the traffic lights. Any grouping (city, commune, procedure, field) goes through the
same functions, so a figure means the same thing wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import duckdb
import polars as pl

from ioc import config, metrics
from ioc.store import concurrently, run_query

# Derived from the metric registry (ioc/metrics.py), where each figure is declared once.
# rate name -> (numerator column, denominator column); progress_rate is derived in _rate_exprs.
RATES: dict[str, tuple[str, str]] = {
    m.name: (m.numerator, m.denominator) for m in metrics.METRICS if m.numerator
}
COUNT_COLUMNS = list(metrics.names(kind="count"))
VOICE_COUNTS = metrics.VOICE_COUNTS
DEFAULT_TARGETS = {m.name: m.default_target for m in metrics.METRICS if m.default_target}

# Score groups of the commune service score: (group, max points, rate, fixed target or None when the
# target in force for that rate applies).
SCORE_GROUPS: list[tuple[str, float, str, float | None]] = [
    (m.score.group, m.score.points, m.name, m.score.target)
    for m in sorted((m for m in metrics.METRICS if m.score), key=lambda m: m.score.order)
]

# Columns of `ioc kpi` (interfaces.md): the KPI names of kpi.md, then score, rank and rank change.
OUTPUT_COLUMNS = [
    "commune_code",
    "commune_name",
    *COUNT_COLUMNS,
    *metrics.names(kind="days"),
    *metrics.names(kind="rate"),
    "score",
    "rank",
    "rank_change",
    "thin_data",
]

# Rates an admin can set a target for (the targets page) and that get a traffic light when one is
# in force. The score's payment and digitisation groups keep kpi.md's fixed 0.80 whatever is set.
TARGETED_RATES = tuple(m.name for m in metrics.METRICS if m.targeted)

THIN_DATA_THRESHOLD = 30
AMBER_BAND = 0.10
GRAINS = ("city", "commune", "procedure", "field")


@dataclass(frozen=True)
class Period:
    """A closed range of calendar days, with the moment its figures are taken at."""

    date_from: date
    date_to: date
    as_of: datetime

    @classmethod
    def of(cls, date_from: date, date_to: date, now: datetime | None = None) -> Period:
        """as_of = end of date_to, or now when date_to is today (kpi.md).

        A period ends today at the latest (nothing after now is known), so day(as_of) is always
        date_to: the open counts of the rollups are taken at the end of a day.
        """
        now = now or config.now()
        date_to = min(date_to, now.date())
        date_from = min(date_from, date_to)
        end = datetime.combine(date_to, time(23, 59, 59))
        return cls(date_from, date_to, min(end, now))

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        length = timedelta(days=self.days)
        return Period.of(self.date_from - length, self.date_to - length, self.as_of)


def safe_rate(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """num / den, null when the denominator is zero (shown as "—", never 0% or 100%)."""
    return pl.when(den > 0).then(num / den).otherwise(None)


def add_rates(counts: pl.DataFrame) -> pl.DataFrame:
    """Add every rate of kpi.md (fractions 0..1, null on a zero denominator) to a counts frame.

    Rates whose counts the frame does not carry (e.g. a daily trend of received counts only) are
    skipped.
    """
    return counts.with_columns(_rate_exprs(frozenset(counts.columns)))


@lru_cache(maxsize=64)
def _rate_exprs(have: frozenset[str]) -> list[pl.Expr]:
    """The rate columns add_rates can derive from these columns (built once: Polars expressions
    are immutable, and building them costs as much as running them on a province)."""
    rates = [
        safe_rate(pl.col(n), pl.col(d)).alias(name)
        for name, (n, d) in RATES.items()
        if {n, d} <= have
    ]
    if {"resolved_on_time", "open_at_end", "open_overdue", "resolved"} <= have:
        progress_num = pl.col("resolved_on_time") + pl.col("open_at_end") - pl.col("open_overdue")
        progress_den = pl.col("resolved") + pl.col("open_at_end")
        rates.append(safe_rate(progress_num, progress_den).alias("progress_rate"))
    return rates


def kpi_counts(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    grain: str = "commune",
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
    median: bool = False,
    voice: bool = True,
) -> pl.DataFrame:
    """Counts per group (see queries/kpi_counts.sql) of one period; see kpi_counts_of."""
    return kpi_counts_of(con, [period], grain, province, commune, field, median, voice)[0]


def kpi_counts_of(
    con: duckdb.DuckDBPyConnection,
    periods: list[Period],
    grain: str = "commune",
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
    median: bool = False,
    voice: bool | int = True,
) -> list[pl.DataFrame]:
    """Counts per group of several periods in one query (a period and the one before it, for
    changes and rank changes), one frame per period; median_days_to_resolve when asked for: the
    median is the one figure that does not add up from the rollups, so only the tables that show
    it pay for it. `voice` False: the citizen's-voice counts (queries/voice_counts.sql, about a
    tenth of a second on a city) are zeros, for callers that need the score only; a number n:
    only the first n periods get them (a ranking's previous period serves its rank change)."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}")
    scope = {"grain": grain, "province": province, "commune": commune, "field": field}
    counts = run_query(
        con,
        "kpi_counts",
        date_froms=[p.date_from for p in periods],
        date_tos=[p.date_to for p in periods],
        **scope,
    )
    frames = split(counts, "period", len(periods))
    voiced = periods[: len(periods) if voice is True else int(voice)]
    none = pl.DataFrame(schema={"group_key": pl.String} | dict.fromkeys(VOICE_COUNTS, pl.Int64))
    voices = [none] * (len(periods) - len(voiced))
    if voiced:
        voices[:0] = split(
            run_query(
                con,
                "voice_counts",
                date_froms=[p.date_from for p in voiced],
                date_tos=[p.date_to for p in voiced],
                **scope,
            ),
            "period",
            len(voiced),
        )
    frames = [_with_voice(f, v) for f, v in zip(frames, voices, strict=True)]
    if median:
        frames = [
            frame.join(
                run_query(
                    con, "kpi_median_days", date_from=p.date_from, date_to=p.date_to, **scope
                ),
                on="group_key",
                how="left",
            )
            for frame, p in zip(frames, periods, strict=True)
        ]
    return frames


def _with_voice(counts: pl.DataFrame, voice: pl.DataFrame) -> pl.DataFrame:
    """The dossier counts with the citizen's-voice counts of the same groups beside them (a group
    with only one kind of count gets zeros for the other)."""
    joined = counts.join(voice, on="group_key", how="full", coalesce=True, maintain_order="left")
    present = [c for c in COUNT_COLUMNS if c in joined.columns]
    return joined.with_columns(pl.col(present).fill_null(0))


def targets_in_force(con: duckdb.DuckDBPyConnection, on_date: date) -> pl.DataFrame:
    """Rows (metric, scope, target) in force on a day; see resolve_target for precedence."""
    return targets_in_force_on(con, [on_date])[0]


def targets_in_force_on(con: duckdb.DuckDBPyConnection, days: list[date]) -> list[pl.DataFrame]:
    """targets_in_force of several days (a period's end and the one before it) in one query."""
    return split(run_query(con, "targets_in_force", on_dates=days), "position", len(days))


def split(stacked: pl.DataFrame, column: str, count: int) -> list[pl.DataFrame]:
    """The frames of a query answering several periods or days at once, in order: `column`
    numbers them from 0 (a number with no rows gets an empty frame)."""
    parts = stacked.partition_by(column, as_dict=True, include_key=False, maintain_order=True)
    return [parts[(n,)] if (n,) in parts else stacked.clear().drop(column) for n in range(count)]


TargetMap = dict[tuple[str, str], float]


def target_map(targets: pl.DataFrame) -> TargetMap:
    """(metric, scope) -> target of the rows in force, the first row of each pair winning (the
    query orders them); plain dict lookups, because a ranking asks for every commune and metric."""
    found: TargetMap = {}
    for metric, scope, target in zip(
        targets["metric"], targets["scope"], targets["target"], strict=True
    ):
        found.setdefault((metric, scope), float(target))
    return found


def resolve_target(
    targets: pl.DataFrame | TargetMap, metric: str, commune: str | None = None
) -> float | None:
    """Target for a metric: the commune's own row beats the city row; None when none is set."""
    found = target_map(targets) if isinstance(targets, pl.DataFrame) else targets
    for scope in ([commune] if commune else []) + ["city"]:
        if (metric, scope) in found:
            return found[(metric, scope)]
    return DEFAULT_TARGETS.get(metric)


def add_score(
    frame: pl.DataFrame, targets: pl.DataFrame | TargetMap, key: str | None = None
) -> pl.DataFrame:
    """Add each group's points, the groups left out, and the score out of 100.

    `key` names the commune column when each row has its own targets in force; without it the
    city targets apply to every row.
    """
    found = target_map(targets) if isinstance(targets, pl.DataFrame) else targets
    points, totals = _score_exprs(_frozen(found), key)
    return frame.with_columns(points).with_columns(totals)


def _frozen(found: TargetMap) -> tuple:
    """A target map as a hashable key of the expression caches."""
    return tuple(sorted(found.items()))


@lru_cache(maxsize=64)
def _score_exprs(found: tuple, key: str | None) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """add_score's expressions for these targets: the points, then the score and left-out groups."""
    targets = dict(found)
    points = []
    for group, maximum, rate, fixed in SCORE_GROUPS:
        goal = pl.lit(fixed, pl.Float64) if fixed is not None else target_expr(targets, rate, key)
        # min_horizontal skips nulls, so an undefined rate must stay null explicitly.
        points.append(
            pl.when(pl.col(rate).is_not_null())
            .then(maximum * pl.min_horizontal(pl.lit(1.0), pl.col(rate) / goal))
            .alias(f"points_{group}")
        )
    point_cols = [f"points_{g}" for g, *_ in SCORE_GROUPS]
    maxima = pl.sum_horizontal(
        [
            pl.when(pl.col(f"points_{g}").is_not_null()).then(m).otherwise(0.0)
            for g, m, *_ in SCORE_GROUPS
        ]
    )
    left_out = pl.concat_list(
        [pl.when(pl.col(f"points_{g}").is_null()).then(pl.lit(g)) for g, *_ in SCORE_GROUPS]
    ).list.drop_nulls()
    totals = [
        safe_rate(100.0 * pl.sum_horizontal(point_cols), maxima).alias("score"),
        left_out.alias("groups_left_out"),
    ]
    return points, totals


@lru_cache(maxsize=64)
def _light_exprs(found: tuple, key: str) -> list[pl.Expr]:
    """A light_<rate> column for every targeted rate, against each row's target in force."""
    targets = dict(found)
    return [
        light_expr(pl.col(metric), target_expr(targets, metric, key)).alias(f"light_{metric}")
        for metric in TARGETED_RATES
    ]


def rank_communes(frame: pl.DataFrame) -> pl.DataFrame:
    """Rank by score desc, then online_rate desc, then commune_code asc (nulls last)."""
    ordered = frame.sort(
        ["score", "online_rate", "commune_code"],
        descending=[True, True, False],
        nulls_last=True,
    )
    return ordered.with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"),
        (pl.col("received") < THIN_DATA_THRESHOLD).alias("thin_data"),
    )


def target_expr(found: TargetMap, metric: str, key: str | None = None) -> pl.Expr:
    """resolve_target as a column: each row's commune (column `key`) with a target of its own
    gets it, the others the city's (or the default)."""
    goal = pl.lit(resolve_target(found, metric), pl.Float64)
    own = {scope: target for (m, scope), target in found.items() if m == metric and scope != "city"}
    if key is None or not own:
        return goal
    return pl.col(key).replace_strict(list(own), list(own.values()), default=goal)


def light_expr(rate: pl.Expr, target: pl.Expr) -> pl.Expr:
    """Traffic light: green at or above target, amber within 10 points below, red below that;
    null without a rate or a target."""
    # The epsilon keeps 0.70 against 0.80 amber despite 0.80 - 0.10 = 0.7000000000000001.
    return (
        pl.when(rate.is_null() | target.is_null())
        .then(None)
        .when(rate >= target)
        .then(pl.lit("green"))
        .when(rate >= target - AMBER_BAND - 1e-9)
        .then(pl.lit("amber"))
        .otherwise(pl.lit("red"))
    )


def light(rate: float | None, target: float | None) -> str | None:
    """light_expr of one value (a KPI card)."""
    return pl.select(
        light_expr(pl.lit(rate, pl.Float64), pl.lit(target, pl.Float64)).alias("light")
    ).item()


def _ranked(counts: pl.DataFrame, communes: pl.DataFrame, targets: TargetMap) -> pl.DataFrame:
    """The ranking of one period from its counts and the targets in force at its end."""
    # the communes' own order (floating-point kernels may round the last digit by row position)
    frame = communes.join(
        counts,
        left_on="commune_code",
        right_on="group_key",
        how="left",
        maintain_order="left",
    )
    # A commune without a counts row counts 0 and has no rates (null either way): add_rates' rates
    # and the zeros go in one step.
    frame = frame.with_columns(
        pl.col(COUNT_COLUMNS).fill_null(0), *_rate_exprs(frozenset(frame.columns))
    )
    return rank_communes(add_score(frame, targets, key="commune_code"))


def commune_ranking(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    field: str | None = None,
    median: bool = False,
    communes_query: str = "communes_of_province",
    voice: bool = True,
) -> pl.DataFrame:
    """Every commune of a province with its KPIs, score, rank, rank change and traffic lights
    (and median_days_to_resolve when asked for: the full OUTPUT_COLUMNS of `ioc kpi`).

    `communes_query` reads the province's communes (ordered by commune_code); their columns are
    carried into the rows (the map asks for its cells). `voice` False: the citizen's-voice rates
    are left empty (kpi_counts_of), for callers that show none of them.
    """
    previous = period.previous()
    counts, (targets, targets_before), communes = concurrently(
        # the previous period serves the rank and score change only: no voice counts for it
        lambda: kpi_counts_of(
            con,
            [period, previous],
            "commune",
            province,
            field=field,
            median=median,
            voice=1 if voice else False,
        ),
        lambda: [
            target_map(t) for t in targets_in_force_on(con, [period.date_to, previous.date_to])
        ],
        lambda: run_query(con, communes_query, province=province),
    )
    # Polars lets go of the GIL too: the two periods are ranked at once
    before, now = concurrently(
        lambda: _ranked(counts[1], communes, targets_before),
        lambda: _ranked(counts[0], communes, targets),
    )
    return (
        now.join(
            before.select(
                "commune_code",
                pl.col("rank").alias("previous_rank"),
                pl.col("score").alias("previous_score"),
            ),
            on="commune_code",
            how="left",
        )
        .with_columns(
            (pl.col("previous_rank") - pl.col("rank")).alias("rank_change"),
            (pl.col("score") - pl.col("previous_score")).alias("score_change"),
            *_light_exprs(_frozen(targets), "commune_code"),
        )
        .sort("rank")
    )


def commune_scores_of(
    con: duckdb.DuckDBPyConnection,
    periods: list[Period],
    province: str = config.DEFAULT_PROVINCE,
) -> list[pl.DataFrame]:
    """commune_code and score of every commune in each of several periods (one counts query, the
    targets in force at each period's end): the ranking's own scores, for the spread of ordinary
    period-to-period changes (ioc.meeting.noise_threshold)."""
    counts, targets, communes = concurrently(
        lambda: kpi_counts_of(con, periods, "commune", province, voice=False),
        lambda: [target_map(t) for t in targets_in_force_on(con, [p.date_to for p in periods])],
        lambda: run_query(con, "communes_of_province", province=province),
    )
    return [
        _ranked(frame, communes, found).select("commune_code", "score")
        for frame, found in zip(counts, targets, strict=True)
    ]


def city_kpis(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
) -> dict:
    """One row of KPIs (the whole province, or one commune) as a dict; zeros when no data."""
    return city_kpis_of(con, [period], province, commune, field)[0]


def city_kpis_of(
    con: duckdb.DuckDBPyConnection,
    periods: list[Period],
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
    targets: list[pl.DataFrame] | None = None,
) -> list[dict]:
    """city_kpis of several periods (a period and the one before it) from one query; `targets`:
    the targets in force at each period's end (targets_in_force_on), when the caller has them."""
    if targets is None:
        targets = targets_in_force_on(con, [p.date_to for p in periods])
    rows = []
    for counts, in_force in zip(
        kpi_counts_of(con, periods, "city", province, commune, field), targets, strict=True
    ):
        if counts.height == 0:
            counts = pl.DataFrame({"group_key": ["city"]} | {c: [0] for c in COUNT_COLUMNS})
        rows.append(add_score(add_rates(counts), in_force).row(0, named=True))
    return rows


USUAL_WEEKS = 4


def hourly_flow(
    con: duckdb.DuckDBPyConnection,
    day: date,
    as_of: datetime,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
) -> pl.DataFrame:
    """received_per_hour, resolved_per_hour and usual_per_hour of kpi.md for the 24 hours of a day.

    usual_* = mean of the same figure at the same weekday and hour over the previous 4 weeks; a
    week before the data starts (config.START_DATE) is not part of the mean, and with none left
    the usual figure is null. Hours after `as_of` have null received / resolved (not yet known).
    """
    scope = {"as_of": as_of, "province": province, "commune": commune}
    counts = run_query(con, "hourly_flow", day=day, **scope)
    now_row = (pl.col("weeks_back") == 0) & (pl.col("hour") == as_of.hour)
    later = counts.filter(now_row & (pl.col("last_event_at") > as_of))
    if day == as_of.date() and later.height:  # the hour so far, without its later events
        so_far = run_query(con, "hourly_flow_this_hour", **scope).row(0, named=True)
        counts = counts.with_columns(
            pl.when(now_row).then(so_far[c]).otherwise(pl.col(c)).alias(c)
            for c in ("received", "resolved")
        )
    weeks = [
        k for k in range(1, USUAL_WEEKS + 1) if day - timedelta(weeks=k) >= config.START_DATE.date()
    ]
    hours = pl.DataFrame({"hour": list(range(24))}, schema={"hour": pl.Int64})
    counts = counts.with_columns(pl.col("hour").cast(pl.Int64))
    today = counts.filter(pl.col("weeks_back") == 0).select("hour", "received", "resolved")
    past = (
        counts.filter(pl.col("weeks_back").is_in(weeks))
        .group_by("hour")
        .agg(pl.col("received").sum(), pl.col("resolved").sum())
    )
    known = pl.col("hour") <= (as_of.hour if as_of.date() == day else 23)
    divisor = len(weeks) or None
    return (
        hours.join(today, on="hour", how="left")
        .join(past, on="hour", how="left", suffix="_past")
        .with_columns(
            pl.when(known).then(pl.col(c).fill_null(0)).cast(pl.Int64).alias(c)
            for c in ("received", "resolved")
        )
        .with_columns(
            (
                pl.col(f"{c}_past").fill_null(0) / divisor
                if divisor
                else pl.lit(None, dtype=pl.Float64)
            ).alias(f"usual_{c}")
            for c in ("received", "resolved")
        )
        .select("hour", "received", "resolved", "usual_received", "usual_resolved")
        .sort("hour")
    )


def weekly_rates(
    con: duckdb.DuckDBPyConnection,
    date_to: date,
    weeks: int,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
) -> pl.DataFrame:
    """Per commune and 7-day week ending on date_to (week 0 = latest): received/resolved counts
    and the rates add_rates can derive from them; week_end is the last day of each week."""
    counts = run_query(
        con, "weekly_counts", date_to=date_to, weeks=weeks, province=province, commune=commune
    )
    return add_rates(counts).with_columns(
        (pl.lit(date_to) - pl.duration(days=7 * pl.col("week"))).cast(pl.Date).alias("week_end")
    )
