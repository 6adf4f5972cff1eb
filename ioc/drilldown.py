"""Figures of the Xã/phường (commune drill-down) page: the chair's first screen (chair_summary: rank,
score against the city median, each targeted rate with the dossiers still missing, open work and
what to fix first), cards against the commune's own targets, its place in the ranking, its weekly
trend against the city median, a procedure table, overdue dossiers, what would lift its score most,
and whether it will reach its targets.

Every rate and score goes through ioc.kpi (add_rates / add_score), so the figures here are the ones
of the league table.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

import duckdb
import polars as pl

from ioc import config, kpi, metrics
from ioc.i18n import DASH, fmt_date, fmt_datetime, fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.scope import Scope
from ioc.store import run_query
from ioc.tables import rank_arrow
from ioc.workdays import next_working_day

CARD_KPIS = metrics.names(place=metrics.COMMUNE)
FORECAST_RATES = metrics.names(place=metrics.FORECAST)
FORECAST_WEEKS = 4
TREND_WEEKS = 12
LIFT_PERCENTILE = 0.90
NEIGHBOURS = 2
OVERDUE_LIMIT = 500
CHAIR_RATES = FORECAST_RATES  # the targeted rates of the chair's first screen
CHAIR_LIFTS = 3  # procedures named under "what to fix first"

# column -> (header key, cell kind) of ioc.tables.display, for the page's tables
# The neighbours table keeps the rank, the commune's name and its score: readable at 390 px.
NEIGHBOUR_COLUMNS = {
    "rank": ("league.col.rank", "int"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "commune_name": ("league.col.commune_name", "text"),
    "score": ("league.col.score", "num"),
}
PROCEDURE_COLUMNS = {
    "procedure_code": ("col.procedure_code", "text"),
    "procedure_name": ("col.procedure_name", "text"),
    "field_name": ("filter.field", "text"),
    "service_level": ("col.service_level", "key:level."),
    "received": ("league.col.received", "int"),
    "online_rate": ("kpi.online_rate", "pct"),
    "end_to_end_rate": ("kpi.end_to_end_rate", "pct"),
    "resolved": ("kpi.resolved", "int"),
    "on_time_rate": ("kpi.on_time_rate", "pct"),
    "open_overdue": ("kpi.open_overdue", "int"),
}
LIFT_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "lever": ("commune.col.lever", "key:commune.lever."),
    "received": ("league.col.received", "int"),
    "share_now": ("commune.col.share_now", "pct"),
    "share_p90": ("commune.col.share_p90", "pct"),
    "group_gain": ("commune.col.group_gain", "num"),
    "score_gain": ("commune.col.score_gain", "num"),
}
MIX_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "field_name": ("filter.field", "text"),
    "received": ("league.col.received", "int"),
    "share": ("overview.col.share", "pct"),
    "online_rate": ("kpi.online_rate", "pct"),
    "end_to_end_rate": ("kpi.end_to_end_rate", "pct"),
}
DOSSIER_COLUMNS = {
    "dossier_id": ("col.dossier_id", "text"),
    "state": ("col.state", "key:state."),
    "commune_name": ("league.col.commune_name", "text"),
    "procedure_name": ("col.procedure_name", "text"),
    "channel": ("col.channel", "key:channel."),
    "received_at": ("col.received_at", "datetime"),
    "due_at": ("col.due_at", "datetime"),
    "applicant_masked": ("col.applicant", "text"),
}


def targets_for(con: duckdb.DuckDBPyConnection, commune: str, on_date: date) -> dict[str, float]:
    """The targets in force for a commune on a day (its own row beats the city row)."""
    targets = kpi.targets_in_force(con, on_date)
    metrics = set(targets["metric"].to_list()) | set(kpi.DEFAULT_TARGETS)
    found = {m: kpi.resolve_target(targets, m, commune) for m in sorted(metrics)}
    return {m: v for m, v in found.items() if v is not None}


def commune_count(con: duckdb.DuckDBPyConnection, province: str = config.DEFAULT_PROVINCE) -> int:
    """How many communes the province has (the length of its league table)."""
    return run_query(con, "communes_of_province", province=province).height


def light_of(row: dict, metric: str, targets: dict[str, float]) -> str | None:
    """Traffic light of a rate of the commune's row against its target in force (None: none)."""
    return kpi.light(row.get(metric), targets.get(metric))


def commune_row(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> dict:
    """The commune's row of the league table (KPIs, score, points, rank, rank change, lights)."""
    ranking = kpi.commune_ranking(con, period, province)
    hit = ranking.filter(pl.col("commune_code") == commune)
    if hit.height == 0:
        raise KeyError(commune)
    return hit.row(0, named=True)


def neighbours(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
    n: int = NEIGHBOURS,
) -> pl.DataFrame:
    """The commune and the n communes just above and just below it in the ranking."""
    ranking = kpi.commune_ranking(con, period, province, voice=False)  # none shown
    rank = ranking.filter(pl.col("commune_code") == commune)["rank"]
    if rank.len() == 0:
        return ranking.head(0)
    return ranking.filter(pl.col("rank").is_between(rank[0] - n, rank[0] + n)).select(
        "rank",
        "rank_change",
        "commune_code",
        "commune_name",
        "score",
        "online_rate",
        "end_to_end_rate",
        "on_time_rate",
        "received",
    )


def trend_vs_city(
    con: duckdb.DuckDBPyConnection,
    date_to: date,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
    weeks: int = TREND_WEEKS,
) -> pl.DataFrame:
    """Per week (week_end): the commune's online / end-to-end / on-time rates and the median of the
    same rate over the province's communes that have one that week."""
    rates = list(FORECAST_RATES)
    weekly = kpi.weekly_rates(con, date_to, weeks, province)
    median = weekly.group_by("week_end").agg(
        pl.col(r).drop_nulls().median().alias(f"city_median_{r}") for r in rates
    )
    own = weekly.filter(pl.col("commune_code") == commune).select("week_end", *rates)
    return median.join(own, on="week_end", how="left").sort("week_end")


def procedure_table(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
) -> pl.DataFrame:
    """Per procedure: name, field, received, online / end-to-end / on-time rates, open overdue;
    most received first. commune=None gives the province's procedure mix."""
    counts = kpi.kpi_counts(con, period, "procedure", province, commune, field, voice=False)
    names = run_query(con, "procedure_catalogue")
    return (
        kpi.add_rates(counts)
        .rename({"group_key": "procedure_code"})
        .join(names, on="procedure_code", how="left")
        .with_columns(pl.col("procedure_name").fill_null(pl.col("procedure_code")))
        .select(
            "procedure_code",
            "procedure_name",
            "field_name",
            "service_level",
            "received",
            "received_online",
            "online_rate",
            "end_to_end_rate",
            "resolved",
            "on_time_rate",
            "open_at_end",
            "open_overdue",
        )
        .sort(["received", "procedure_code"], descending=[True, False])
    )


def procedure_mix(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    field: str | None = None,
) -> pl.DataFrame:
    """procedure_table with each procedure's share of all received dossiers."""
    table = procedure_table(con, period, province, commune, field)
    total = table["received"].sum()
    return table.with_columns(
        (pl.col("received") / total if total else pl.lit(None, dtype=pl.Float64)).alias("share")
    ).filter(pl.col("received") > 0)


def overdue_dossiers(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    as_of,
    commune: str | None,
    province: str = config.DEFAULT_PROVINCE,
    limit: int = OVERDUE_LIMIT,
) -> pl.DataFrame:
    """Open dossiers overdue or due by the next working day at as_of (applicant masked).

    Dossier-level rows: the commune filter is the scope's (a ward chair only sees the own
    commune; a presenter gets ScopeError).
    """
    return run_query(
        con,
        "open_dossiers",
        province=province,
        commune=scope.dossier_commune(commune),
        as_of=as_of,
        due_soon_until=next_working_day(as_of.date()),
        limit=limit,
    )


def score_lift(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> pl.DataFrame:
    """ "What would lift the score most": one row per (procedure, lever), sorted by gain.

    Definition (gap attribution). For the commune c and each procedure p it received in the
    period (n = received of p at c):
    - q_online(p), q_e2e(p): the 90th percentile (linear interpolation) of the online share
      (received_online / received) and of the end-to-end share (received_end_to_end / received) of
      p over the province's communes that received p in the period, c included.
    - lever 'online': c's online count of p rises to max(own, n * q_online(p)); all other counts
      stay.
    - lever 'end_to_end': c's end-to-end count of p rises to n * q_e2e(p); because an end-to-end
      dossier is an online one, c's online count of p rises too when it would otherwise be below
      the new end-to-end count: online' = max(online, e2e'), e2e' = max(own, n * q_e2e(p)).
    The commune's totals are recomputed with the changed counts of p and scored by kpi.add_score
    with the commune's targets in force. score_gain = new score - current score (points out of
    100); group_gain = the change of that group's points (online /6 or end-to-end /6). Fractional
    dossiers are kept: the figure is a potential, not a count. Levers with no gain are dropped.
    """
    counts = run_query(
        con,
        "received_by_commune_procedure",
        province=province,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    shares = counts.filter(pl.col("received") > 0).with_columns(
        (pl.col("received_online") / pl.col("received")).alias("online_share"),
        (pl.col("received_end_to_end") / pl.col("received")).alias("e2e_share"),
    )
    quantiles = shares.group_by("procedure_code").agg(
        pl.col("online_share").quantile(LIFT_PERCENTILE, "linear").alias("q_online"),
        pl.col("e2e_share").quantile(LIFT_PERCENTILE, "linear").alias("q_e2e"),
    )
    own = shares.filter(pl.col("commune_code") == commune).join(quantiles, on="procedure_code")
    if own.height == 0:
        return _empty_lift()
    totals = kpi.kpi_counts(con, period, "city", province, commune, voice=False)
    totals = totals.drop("group_key")  # the score's counts (no voice: the score has none)
    base = totals.row(0, named=True)
    targets = kpi.targets_in_force(con, period.date_to)

    rows = []
    for p in own.iter_rows(named=True):
        n = p["received"]
        online_target = max(p["received_online"], n * p["q_online"])
        e2e_target = max(p["received_end_to_end"], n * p["q_e2e"])
        levers = {
            "online": (online_target - p["received_online"], 0.0),
            "end_to_end": (
                max(0.0, e2e_target - p["received_online"]),
                e2e_target - p["received_end_to_end"],
            ),
        }
        for lever, (extra_online, extra_e2e) in levers.items():
            if extra_online <= 0 and extra_e2e <= 0:
                continue
            rows.append(
                {
                    "procedure_code": p["procedure_code"],
                    "lever": lever,
                    "received": n,
                    "share_now": p["online_share"] if lever == "online" else p["e2e_share"],
                    "share_p90": p["q_online"] if lever == "online" else p["q_e2e"],
                    "extra_online": float(extra_online),
                    "extra_end_to_end": float(extra_e2e),
                }
            )
    if not rows:
        return _empty_lift()
    levers = pl.DataFrame(rows)
    scenarios = levers.select(
        pl.lit(commune).alias("commune_code"),
        *[
            pl.lit(base[c], dtype=pl.Float64).alias(c)
            for c in kpi.COUNT_COLUMNS
            if c not in ("received_online", "received_end_to_end")
        ],
        (pl.col("extra_online") + base["received_online"]).alias("received_online"),
        (pl.col("extra_end_to_end") + base["received_end_to_end"]).alias("received_end_to_end"),
    )
    current = pl.DataFrame(
        {"commune_code": [commune], **{c: [float(base[c])] for c in kpi.COUNT_COLUMNS}}
    )
    scored = kpi.add_score(kpi.add_rates(scenarios), targets, key="commune_code")
    now = kpi.add_score(kpi.add_rates(current), targets, key="commune_code").row(0, named=True)
    names = run_query(con, "procedure_catalogue").select("procedure_code", "procedure_name")
    result = levers.with_columns(
        (scored["score"] - now["score"]).alias("score_gain"),
        pl.when(pl.col("lever") == "online")
        .then(scored["points_online"] - now["points_online"])
        .otherwise(scored["points_end_to_end"] - now["points_end_to_end"])
        .alias("group_gain"),
    )
    return (
        result.join(names, on="procedure_code", how="left")
        .filter(pl.col("score_gain") > 1e-9)
        .sort(["score_gain", "procedure_code", "lever"], descending=[True, False, False])
    )


def _empty_lift() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "procedure_code": pl.String,
            "lever": pl.String,
            "received": pl.Int64,
            "share_now": pl.Float64,
            "share_p90": pl.Float64,
            "extra_online": pl.Float64,
            "extra_end_to_end": pl.Float64,
            "score_gain": pl.Float64,
            "group_gain": pl.Float64,
            "procedure_name": pl.String,
        }
    )


@dataclass(frozen=True)
class Forecast:
    metric: str
    target: float
    current: float | None  # the latest week's rate
    slope_per_week: float | None
    status: str  # 'met' | 'on_track' | 'not_at_this_pace' | 'no_data'
    reach_date: date | None


def forecast(weekly: pl.DataFrame, targets: dict[str, float], date_to: date) -> list[Forecast]:
    """ "Will we make it": for each target in force, when the commune reaches it at its recent pace.

    `weekly` is the commune's kpi.weekly_rates over the last FORECAST_WEEKS weeks (week 0 ends on
    date_to). Pace = least-squares line through the weekly rates (x = -week, weeks without data
    left out; at least 2 needed, else 'no_data'). If the latest week with data is at or above the
    target: 'met'. Otherwise, with a positive slope, the line's value at week 0 is carried forward:
    reach_date = date_to + ceil(7 * (target - fitted_now) / slope) days (at least 1 day):
    'on_track'. A slope <= 0: 'not_at_this_pace' ("chưa đạt với tốc độ hiện tại").
    """
    results = []
    for metric, target in targets.items():
        if metric not in weekly.columns:
            continue
        points = weekly.filter(
            pl.col(metric).is_not_null() & (pl.col("week") < FORECAST_WEEKS)
        ).sort("week")
        xs = [-float(w) for w in points["week"]]
        ys = points[metric].to_list()
        if len(xs) < 2:
            current = ys[0] if ys else None
            status = "met" if current is not None and current >= target else "no_data"
            results.append(Forecast(metric, target, current, None, status, None))
            continue
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
        current = ys[0]
        if current >= target:
            results.append(Forecast(metric, target, current, slope, "met", None))
        elif slope <= 0:
            results.append(Forecast(metric, target, current, slope, "not_at_this_pace", None))
        else:
            fitted_now = mean_y - slope * mean_x
            # rounding first keeps an exact 14.0000001 days at 14
            days = max(1, math.ceil(round(7 * (target - fitted_now) / slope, 6)))
            results.append(
                Forecast(metric, target, current, slope, "on_track", date_to + timedelta(days))
            )
    return results


def will_we_make_it(
    con: duckdb.DuckDBPyConnection,
    date_to: date,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> list[Forecast]:
    """forecast() on the commune's last four weeks against its targets in force on date_to."""
    weekly = kpi.weekly_rates(con, date_to, FORECAST_WEEKS, province, commune)
    targets = {m: v for m, v in targets_for(con, commune, date_to).items() if m in FORECAST_RATES}
    return forecast(weekly, targets, date_to)


# --- the chair's first screen (issue 23) ---------------------------------------------------------


def missing_to_target(numerator: int, denominator: int, target: float | None) -> int | None:
    """Dossiers still missing to reach a target rate ("còn thiếu k hồ sơ").

    Definition: the smallest whole k >= 0 such that (numerator + k) / (denominator + k) >= target,
    i.e. how many MORE dossiers of the period, every one of them meeting the rate's criterion
    (received online, received end-to-end, resolved on time), lift the rate to the target; the
    dossiers already counted stay as they are. 0 when the target is met. None when there is no
    target, no dossier yet (no rate), or a target of 100% not met (no number of new dossiers
    reaches it). Computed in exact fractions: 6 of 13 against 80% needs exactly 22 (28/35).
    """
    if target is None or denominator <= 0:
        return None
    goal = Fraction(target).limit_denominator(10_000)
    if Fraction(numerator, denominator) >= goal:
        return 0
    if goal >= 1:
        return None
    return max(0, math.ceil((goal * denominator - numerator) / (1 - goal)))


@dataclass(frozen=True)
class RateStanding:
    """One targeted rate of the chair's screen."""

    metric: str
    value: float | None
    target: float | None
    light: str | None
    numerator: int
    denominator: int
    missing: int | None  # missing_to_target


@dataclass(frozen=True)
class LiftItem:
    """A procedure that would lift the score most, with its best lever (score_lift)."""

    procedure_code: str
    procedure_name: str
    lever: str
    score_gain: float


@dataclass(frozen=True)
class ChairSummary:
    """The figures of the chair's first screen for one commune and period."""

    commune_code: str
    commune_name: str
    rank: int
    total: int
    rank_change: int | None  # against the previous period of the same length (a week for 7 days)
    score: float | None
    city_median_score: float | None  # median of the province's communes that have a score
    thin_data: bool
    rates: tuple[RateStanding, ...]
    open_at_end: int
    open_overdue: int
    oldest_open_days: int | None  # calendar days from the oldest open dossier's receipt to as_of
    lifts: tuple[LiftItem, ...]
    # the citizen's voice (issue 18, docs/citizen-voice.md)
    satisfied_share: float | None = None
    ratings: int = 0
    feedback_open: int = 0
    feedback_overdue: int = 0


def chair_summary(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> ChairSummary:
    """Rank of N with its change, score against the city median, each targeted rate with its light
    and the dossiers still missing, open and overdue dossiers with the oldest one's age, and the
    CHAIR_LIFTS procedures whose best lever (score_lift) would lift the score most."""
    ranking = kpi.commune_ranking(con, period, province)
    hit = ranking.filter(pl.col("commune_code") == commune)
    if hit.height == 0:
        raise KeyError(commune)
    row = hit.row(0, named=True)
    targets = targets_for(con, commune, period.date_to)
    rates = []
    for metric in CHAIR_RATES:
        spec = metrics.BY_NAME[metric]
        num, den = int(row[spec.numerator]), int(row[spec.denominator])
        target = targets.get(metric)
        rates.append(
            RateStanding(
                metric,
                row[metric],
                target,
                kpi.light(row[metric], target),
                num,
                den,
                missing_to_target(num, den, target),
            )
        )
    oldest = run_query(
        con, "oldest_open_dossier", province=province, commune=commune, as_of=period.as_of
    )["oldest_received_at"][0]
    lift = score_lift(con, period, commune, province)
    best = lift.unique("procedure_code", keep="first", maintain_order=True).head(CHAIR_LIFTS)
    median = ranking["score"].drop_nulls().median()
    return ChairSummary(
        commune_code=commune,
        commune_name=row["commune_name"],
        rank=row["rank"],
        total=ranking.height,
        rank_change=row["rank_change"],
        score=row["score"],
        city_median_score=float(median) if median is not None else None,
        thin_data=bool(row["thin_data"]),
        rates=tuple(rates),
        open_at_end=int(row["open_at_end"]),
        open_overdue=int(row["open_overdue"]),
        oldest_open_days=age_in_days(oldest, period.as_of),
        lifts=tuple(
            LiftItem(
                p["procedure_code"],
                p["procedure_name"] or p["procedure_code"],
                p["lever"],
                p["score_gain"],
            )
            for p in best.iter_rows(named=True)
        ),
        satisfied_share=row["satisfied_share"],
        ratings=int(row["ratings"]),
        feedback_open=int(row["feedback_open"]),
        feedback_overdue=int(row["feedback_overdue"]),
    )


def age_in_days(received_at: datetime | None, as_of: datetime) -> int | None:
    """Calendar days from a dossier's day of receipt to day(as_of); None without a dossier."""
    if received_at is None:
        return None
    return (as_of.date() - received_at.date()).days


# Anchors of the commune page's sections: each item of the chair's block links to its detail.
ANCHORS = {
    "rank": "commune-neighbours",
    "rates": "commune-forecast",
    "open": "commune-overdue",
    "lift": "commune-lift",
    "actions": "commune-actions",
    "voice": "commune-voice",
}
CHAIR_ACTIONS = 3  # open actions named on the chair's first screen (late first)
CHAIR_CSS = """<style>
.ioc-chair{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:.35rem .6rem;
 font-size:.92rem;line-height:1.3;margin-bottom:.2rem}
.ioc-chair a{color:inherit;text-decoration:none;display:block}
.ioc-chair .box{border:1px solid rgba(128,128,128,.35);border-radius:.5rem;padding:.3rem .55rem}
.ioc-chair .head{display:flex;flex-wrap:wrap;gap:.2rem .7rem;align-items:baseline}
.ioc-chair .big{font-size:1.3rem;font-weight:700}
.ioc-chair .up{color:#2e7d32;font-weight:600}.ioc-chair .down{color:#c62828;font-weight:600}
.ioc-chair .muted{opacity:.75;font-size:.84rem}
.ioc-chair .dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.2rem}
.ioc-chair .green{background:#2e7d32}.ioc-chair .amber{background:#f9a825}
.ioc-chair .red{background:#c62828}.ioc-chair .blue{background:#1565c0}
.ioc-chair.ioc-actions{margin:.3rem 0 .6rem}.ioc-chair .chair-actions{grid-column:1/-1}
.ioc-chair ol{margin:.1rem 0 0 1.1rem;padding:0}.ioc-chair li{margin:0}
.ioc-chair li a{text-decoration:underline;display:inline}
</style>"""


def change_basis(period: Period) -> str:
    """What the rank change is against: 'week' for a 7-day period (the previous 7 days), else
    'period' (the previous period of the same length)."""
    return "week" if period.days == 7 else "period"


def rate_gap_text(rate: RateStanding, lang: str) -> str:
    """ "còn thiếu 22 hồ sơ trực tuyến để đạt 80%", "đã đạt mục tiêu 80%", …"""
    goal = fmt_pct(rate.target, lang, 0) if rate.target is not None else None
    if rate.target is None:
        return t("chair.gap.no_target", lang)
    if rate.denominator == 0:
        return t("chair.gap.no_data", lang)
    if rate.missing == 0:
        return t("chair.gap.met", lang, target=goal)
    if rate.missing is None:
        return t("chair.gap.unreachable", lang, target=goal)
    return t(f"chair.gap.{rate.metric}", lang, n=fmt_number(rate.missing, lang), target=goal)


def rank_change_text(summary: ChairSummary, basis: str, lang: str) -> tuple[str, str]:
    """The rank change as shown ('▼ 1 so với tuần trước') and its CSS class (up / down / '')."""
    change = summary.rank_change
    if change is None:
        return t("chair.change.none", lang), ""
    css = "up" if change > 0 else "down" if change < 0 else ""
    return f"{rank_arrow(change)} {t(f'chair.change.{basis}', lang)}", css


def open_text(summary: ChairSummary, lang: str) -> str:
    text = t(
        "chair.open",
        lang,
        open=fmt_number(summary.open_at_end, lang),
        overdue=fmt_number(summary.open_overdue, lang),
    )
    if summary.oldest_open_days is not None:
        text += " · " + t("chair.oldest", lang, days=fmt_number(summary.oldest_open_days, lang))
    return text


def voice_text(summary: ChairSummary, lang: str) -> str:
    """Satisfaction and open feedback in one line of the chair's block."""
    share = fmt_pct(summary.satisfied_share, lang) if summary.satisfied_share is not None else DASH
    return t(
        "voice.chair",
        lang,
        share=share,
        ratings=fmt_number(summary.ratings, lang),
        open=fmt_number(summary.feedback_open, lang),
        overdue=fmt_number(summary.feedback_overdue, lang),
    )


def lift_text(item: LiftItem, lang: str) -> str:
    return t(
        "chair.lift_item",
        lang,
        lever=t(f"commune.lever.{item.lever}", lang),
        gain=fmt_number(item.score_gain, lang, 1),
    )


def chair_html(
    summary: ChairSummary,
    basis: str,
    lang: str,
    actions: pl.DataFrame | None = None,
    page: str = "",
) -> str:
    """The chair's block as HTML for st.html: every text escaped, every item a link to the section
    of the page holding its detail (ANCHORS). Grid boxes of at least 17rem: one column on a phone,
    two or three on a desktop. `actions` (ioc.actions.for_commune): the late and open ones are
    counted and the first CHAIR_ACTIONS named. `page`: the address of the page holding the
    sections (empty: this page)."""
    e = html.escape
    change, css = rank_change_text(summary, basis, lang)
    score = fmt_number(summary.score, lang, 1) if summary.score is not None else DASH
    median = (
        fmt_number(summary.city_median_score, lang, 1)
        if summary.city_median_score is not None
        else DASH
    )
    thin = f'<span class="muted">{e(t("league.thin", lang))}</span>' if summary.thin_data else ""
    parts = [
        f'<a class="box chair-rank" href="{e(page)}#{ANCHORS["rank"]}"><div class="head">'
        f'<span class="big">{e(t("chair.rank", lang, rank=summary.rank, total=summary.total))}'
        f'</span><span class="chair-change {css}">{e(change)}</span></div>'
        f'<div class="chair-score">{e(t("chair.score", lang, score=score, median=median))}'
        f" {thin}</div></a>"
    ]
    for rate in summary.rates:
        value = fmt_pct(rate.value, lang) if rate.value is not None else DASH
        light = (
            f'<span class="chair-light" data-light="{rate.light}"><span class="dot {rate.light}">'
            f"</span>{e(t(f'light.{rate.light}', lang))}</span>"
            if rate.light
            else ""
        )
        parts.append(
            f'<a class="box chair-rate" data-metric="{rate.metric}" href="{e(page)}#{ANCHORS["rates"]}">'
            f'<div class="head"><span>{e(t(f"kpi.{rate.metric}", lang))}</span>'
            f'<span class="big">{e(value)}</span>{light}</div>'
            f'<div class="muted chair-gap">{e(rate_gap_text(rate, lang))}</div></a>'
        )
    parts.append(
        f'<a class="box chair-open" href="{e(page)}#{ANCHORS["open"]}">{e(open_text(summary, lang))}</a>'
    )
    if summary.lifts:
        items = "".join(
            f'<li><a class="chair-lift" href="{e(page)}#{ANCHORS["lift"]}">{e(item.procedure_name)}</a>'
            f' <span class="muted">{e(lift_text(item, lang))}</span></li>'
            for item in summary.lifts
        )
        lifts = f"<ol>{items}</ol>"
    else:
        lifts = f'<div class="muted">{e(t("commune.lift_none", lang))}</div>'
    parts.append(f'<div class="box chair-fix"><b>{e(t("chair.fix_first", lang))}</b>{lifts}</div>')
    parts.append(
        f'<a class="box chair-voice" href="#{ANCHORS["voice"]}">{e(voice_text(summary, lang))}</a>'
    )
    if actions is not None:
        parts.extend(_chair_actions(actions, lang, page))
    return f'{CHAIR_CSS}<div class="ioc-chair">{"".join(parts)}</div>'


def share_card_png(
    summary: ChairSummary, period: Period, data_time: datetime | None, lang: str
) -> bytes:
    """The ward's card as a PNG for a chat group: the ward, the period and the data time on it,
    the rank and its change, the score against the city median, each targeted rate with its light
    and the dossiers still missing, open and overdue dossiers, the first thing to fix."""
    from ioc.exports import CardLine, card_png

    change, _ = rank_change_text(summary, change_basis(period), lang)
    score = fmt_number(summary.score, lang, 1) if summary.score is not None else DASH
    median = (
        fmt_number(summary.city_median_score, lang, 1)
        if summary.city_median_score is not None
        else DASH
    )
    lines = [
        CardLine(
            f"{t('chair.rank', lang, rank=summary.rank, total=summary.total)} · {change}",
            strong=True,
        ),
        CardLine(t("chair.score", lang, score=score, median=median)),
    ]
    for rate in summary.rates:
        value = fmt_pct(rate.value, lang) if rate.value is not None else DASH
        word = f" · {t(f'light.{rate.light}', lang)}" if rate.light else ""
        lines.append(
            CardLine(
                f"{t(f'kpi.{rate.metric}', lang)}: {value}{word}",
                light=rate.light or "none",
                note=rate_gap_text(rate, lang),
            )
        )
    lines.append(CardLine(open_text(summary, lang)))
    if summary.lifts:
        first = summary.lifts[0]
        lines.append(
            CardLine(
                f"{t('chair.fix_first', lang)}: {first.procedure_name}",
                note=lift_text(first, lang),
            )
        )
    subtitle = [
        t(
            "chair.card.period",
            lang,
            start=fmt_date(period.date_from, lang),
            end=fmt_date(period.date_to, lang),
        ),
        t("app.data_updated", lang, at=fmt_datetime(data_time, lang))
        if data_time
        else t("app.no_data", lang),
    ]
    return card_png(summary.commune_name, subtitle, lines, t("chair.card.footer", lang))


ACTION_DOTS = {"late": "red", "open": "blue", "done": "green"}


def actions_html(actions: pl.DataFrame, lang: str) -> str:
    """The commune's actions (ioc.actions.for_commune) as boxes for st.html: the state's light and
    word, what, the deadline, owner and meeting day (and the day done); every text escaped. One
    column on a phone, two or three on a desktop (the chair's grid)."""
    e = html.escape
    boxes = []
    for r in actions.iter_rows(named=True):
        line = t(
            "action.card.line",
            lang,
            deadline=fmt_date(r["deadline"], lang),
            owner=r["owner_shown"],
            held=fmt_date(r["held_on"], lang),
        )
        if r["done_at"] is not None:
            line += " · " + t("action.card.done", lang, day=fmt_date(r["done_at"], lang))
        status = r["status"]
        word = t(f"action.status.{status}", lang)
        boxes.append(
            f'<div class="box commune-action" data-status="{status}"><div class="head">'
            f'<span><span class="dot {ACTION_DOTS[status]}"></span><b>{e(word)}</b></span>'
            f'<span class="muted">#{r["action_id"]}</span></div>'
            f'<div>{e(r["what"])}</div><div class="muted">{e(line)}</div></div>'
        )
    return f'{CHAIR_CSS}<div class="ioc-chair ioc-actions">{"".join(boxes)}</div>'


def _chair_actions(actions: pl.DataFrame, lang: str, page: str = "") -> list[str]:
    """The box of the actions still to do (issue 16): how many are late and open, the first few
    with their light and deadline; nothing when every action is done."""
    todo = actions.filter(pl.col("status") != "done")
    if todo.height == 0:
        return []
    e = html.escape
    late = int((todo["status"] == "late").sum())
    head = t("action.chair.summary", lang, late=late, open=todo.height - late)
    items = "".join(
        f'<li class="chair-action" data-status="{r["status"]}">'
        f'<span class="dot {ACTION_DOTS[r["status"]]}"></span>{e(r["what"])}'
        f' <span class="muted">{e(t("action.chair.due", lang, day=fmt_date(r["deadline"], lang)))}'
        "</span></li>"
        for r in todo.head(CHAIR_ACTIONS).iter_rows(named=True)
    )
    return [
        f'<a class="box chair-actions" href="{e(page)}#{ANCHORS["actions"]}"><b>{e(head)}</b>'
        f'<ul style="margin:.1rem 0 0 1.1rem;padding:0;list-style:none">{items}</ul></a>'
    ]
