"""The national service index of Decision 766/QĐ-TTg, out of 100, as the national portal computes
it (../shared/spec/index-766.md; what this module implements, indicator by indicator, is
docs/index-766.md).

The dashboard's own score (ioc/kpi.py, kpi.md) scores the 64 points it has data for and rescales
them; this index is never rescaled: an indicator the store has no data for earns nothing and is
named with its points ("chưa có dữ liệu"), so `index_766` is on the Government's 100-point scale and
`index_766_possible` says how many of those points the data could show.

queries/index_766_dossiers.sql gives each dossier's facts (period day, channel, flags, procedure,
supplement cycles from the processing log), queries/index_766_feedback.sql and
queries/index_766_ratings.sql the citizen's voice (read only: another part of issue 18 fills them);
this module judges them (2.1 needs working days, ioc/workdays.py) and counts per commune or for the
city.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import polars as pl

from ioc import config
from ioc.i18n import DASH, fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.store import concurrently, run_query
from ioc.workdays import add_working_days

# Ways an indicator stands: computed from the store, no data the product receives, or data the
# product has but no formula in the description the index follows (its points are named as well).
DATA, NO_DATA, NO_FORMULA = "data", "no_data", "no_formula"

# group number (the decision's order) -> (name, points)
GROUPS: dict[int, tuple[str, float]] = {
    1: ("publicity", 18.0),
    2: ("progress", 20.0),
    3: ("online", 22.0),
    4: ("satisfaction", 18.0),
    5: ("digitisation", 22.0),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: full points at `threshold`, linear below it (value / threshold)."""

    code: str  # '2.1', as the portal's description numbers it
    group: int
    threshold: float
    source: str  # DATA, NO_DATA or NO_FORMULA

    @property
    def key(self) -> str:
        """Column suffix: '2.1' -> 'i2_1'."""
        return "i" + self.code.replace(".", "_")

    @property
    def points(self) -> float:
        """The group's points shared equally among its indicators (the decision's group points;
        the description gives no split, see docs/index-766.md)."""
        return GROUPS[self.group][1] / sum(1 for i in INDICATORS if i.group == self.group)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("1.1", 1, 1.0, NO_DATA),
    Indicator("1.2", 1, 1.0, DATA),
    Indicator("1.3", 1, 1.0, NO_DATA),
    Indicator("1.4", 1, 1.0, DATA),
    Indicator("2.1", 2, 1.0, DATA),
    Indicator("2.2", 2, 1.0, NO_FORMULA),
    Indicator("3.1", 3, 0.80, DATA),
    Indicator("3.2", 3, 1.0, DATA),
    Indicator("3.3", 3, 0.50, DATA),
    Indicator("3.5", 3, 0.80, DATA),
    Indicator("3.6", 3, 1.0, DATA),
    Indicator("5.1", 4, 1.0, NO_FORMULA),
    Indicator("5.2", 4, 1.0, DATA),
    Indicator("5.3", 4, 1.0, DATA),
    Indicator("5.4", 4, 0.90, DATA),
    Indicator("4.1", 5, 1.0, DATA),
    Indicator("4.2", 5, 0.80, NO_DATA),
    Indicator("4.3", 5, 0.80, DATA),
    Indicator("4.4", 5, 1.0, NO_DATA),
    Indicator("4.5", 5, 1.0, DATA),
)
BY_CODE = {i.code: i for i in INDICATORS}
COMPUTED = tuple(i for i in INDICATORS if i.source == DATA)
ONLINE_LEVELS = ("full", "partial")
# 5.2: working days to answer feedback, by outcome (else the answer's 15)
FEEDBACK_DAYS = {"rejected": 2, "info_requested": 5}
FEEDBACK_ANSWER_DAYS = 15
# indicator -> the column counting the dossiers of its denominator that carry its flag at all
FLAG_DATA = {"1.4": "has_synced", "4.1": "has_e_result", "4.3": "has_digitized", "4.5": "has_vneid"}
COUNT_COLUMNS = (
    *(f"{part}_{i.key}" for i in COMPUTED if i.code != "5.4" for part in ("n", "d")),
    *FLAG_DATA.values(),
    "rated",
    "not_satisfied",
)
ANCHOR = "chi-so-766"  # the commune page's section
# The dashboard's own KPI beside the index's indicator of the same idea (shown both, labelled).
COMPARED = (("progress_rate", "2.1"), ("online_rate", "3.3"))


def index_766(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
    grain: str = "commune",
) -> pl.DataFrame:
    """One row per commune (grain 'commune', key commune_code) or one for the province (grain
    'city', key 'city'): value_<i> (0..1, null without data) and points_<i> of every computed
    indicator, index_766 (points earned of 100) and index_766_possible (points of the indicators
    with a value). Communes without a dossier, feedback item or rating in the period have no row.
    """
    if grain not in ("commune", "city"):
        raise ValueError(f"unknown grain {grain!r}")
    scope = {"province": province, "commune": commune}
    window = {"date_from": period.date_from, "date_to": period.date_to}
    facts, feedback, ratings = concurrently(
        lambda: run_query(con, "index_766_dossiers", **scope, **window),
        lambda: run_query(con, "index_766_feedback", **scope, **window),
        lambda: run_query(con, "index_766_ratings", **scope, **window),
    )
    key = pl.col("commune_code") if grain == "commune" else pl.lit("city")
    counts = [
        dossier_counts(facts.with_columns(key.alias("group_key")), period),
        feedback_counts(feedback.with_columns(key.alias("group_key")), period),
        ratings.with_columns(key.alias("group_key"))
        .group_by("group_key")
        .agg(pl.col("rated").sum(), pl.col("not_satisfied").sum()),
    ]
    keys = pl.concat([c.select("group_key") for c in counts]).unique()
    frame = keys
    for part in counts:
        frame = frame.join(part, on="group_key", how="left")
    frame = score(frame)
    name = "commune_code" if grain == "commune" else "group_key"
    return frame.rename({"group_key": name}).sort(name)


def commune_index(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> dict | None:
    """The commune's row of index_766, None when nothing of the period concerns it."""
    frame = index_766(con, period, province, commune)
    return frame.row(0, named=True) if frame.height else None


def city_index(
    con: duckdb.DuckDBPyConnection, period: Period, province: str = config.DEFAULT_PROVINCE
) -> dict | None:
    """The index over every dossier of the province (the overview's figure), None without any."""
    frame = index_766(con, period, province, grain="city")
    return frame.row(0, named=True) if frame.height else None


def commune_scores(
    con: duckdb.DuckDBPyConnection, period: Period, province: str = config.DEFAULT_PROVINCE
) -> pl.DataFrame:
    """commune_code, index_766, index_766_possible of every commune with a row (the league's
    column)."""
    return index_766(con, period, province).select(
        "commune_code", "index_766", "index_766_possible"
    )


def _share(num: str, den: str) -> pl.Expr:
    return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den))


def score(counts: pl.DataFrame) -> pl.DataFrame:
    """Values, points and totals from the counts of dossier_counts, feedback_counts and the
    ratings (columns n_<i> / d_<i>, rated, not_satisfied; absent or null counts are no data)."""
    frame = counts.with_columns(
        pl.col(c).fill_null(0) if c in counts.columns else pl.lit(0).alias(c) for c in COUNT_COLUMNS
    )
    values = {
        i.key: _share(f"n_{i.key}", f"d_{i.key}") for i in COMPUTED if i.code not in ("3.3", "5.4")
    }
    # a flag column no dossier of the denominator carries is no data, not 0%
    for code, flag in FLAG_DATA.items():
        values[BY_CODE[code].key] = pl.when(pl.col(flag) > 0).then(values[BY_CODE[code].key])
    frame = frame.with_columns(
        **{f"value_{k}": v for k, v in values.items()},
    )
    # 3.3: the online share counted as the portal does, times the synchronisation rate (1.4)
    late = 1.0 - pl.col("value_i2_1")
    unsatisfied = pl.when(pl.col("rated") > 0).then(pl.col("not_satisfied") / pl.col("rated"))
    frame = frame.with_columns(
        value_i3_3=_share("n_i3_3", "d_i3_3") * pl.col("value_i1_4"),
        value_i5_4=pl.max_horizontal(pl.lit(0.0), 1.0 - late - unsatisfied),
    ).with_columns(
        # max_horizontal skips nulls: a part without data leaves 5.4 without data
        value_i5_4=pl.when(late.is_not_null() & unsatisfied.is_not_null()).then(
            pl.col("value_i5_4")
        )
    )
    # min_horizontal skips nulls, so an indicator without a value must stay null explicitly
    points = [
        pl.when(pl.col(f"value_{i.key}").is_not_null())
        .then(i.points * pl.min_horizontal(pl.lit(1.0), pl.col(f"value_{i.key}") / i.threshold))
        .alias(f"points_{i.key}")
        for i in COMPUTED
    ]
    frame = frame.with_columns(points)
    possible = [
        pl.when(pl.col(f"value_{i.key}").is_not_null()).then(i.points).otherwise(0.0)
        for i in COMPUTED
    ]
    return frame.with_columns(
        pl.sum_horizontal([pl.col(f"points_{i.key}") for i in COMPUTED]).alias("index_766"),
        pl.sum_horizontal(possible).alias("index_766_possible"),
    )


def _deadlines(starts: list[datetime | None], days: list[float | None]) -> list[datetime | None]:
    """add_working_days of each (start, days), computed once per distinct (day, days) pair."""
    found: dict[tuple[date, float], datetime] = {}
    out = []
    for start, n in zip(starts, days, strict=True):
        if start is None or n is None:
            out.append(None)
            continue
        pair = (start.date(), float(n))
        if pair not in found:
            found[pair] = add_working_days(start, n)
        out.append(found[pair])
    return out


def judge_on_time(facts: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Indicator 2.1 per dossier (index-766.md): `counted` (handled in the period or in hand at
    its end, with a deadline), `on_time`, and the moments behind them (end_at, judged_at,
    supplement_seconds, deadline)."""
    d0, d1, as_of = period.date_from, period.date_to, period.as_of
    first_request = pl.col("cycles").list.first().struct.field("opened_at")
    end = pl.coalesce(
        "finished_at",
        "returned_at",
        "ended_at",
        pl.when((pl.col("status") == "supplement_requested") & (pl.col("requests") == 1)).then(
            first_request
        ),
    )
    frame = facts.with_columns(end.alias("end_at")).with_columns(
        handled=pl.col("end_at").is_not_null() & pl.col("end_at").dt.date().is_between(d0, d1),
        in_hand=pl.col("end_at").is_null() | (pl.col("end_at").dt.date() > d1),
    )
    # a dossier withdrawn or stopped with no step saying when: its end is unknown, left out
    unknown_end = pl.col("end_at").is_null() & pl.col("status").is_in(["withdrawn", "stopped"])
    frame = frame.with_columns(
        judged_at=pl.when(pl.col("handled")).then(pl.col("end_at")).otherwise(pl.lit(as_of)),
        in_2_1=pl.col("accepted")
        & (pl.col("received_at").dt.date() <= d1)
        & (pl.col("handled") | pl.col("in_hand"))
        & ~unknown_end,
    )
    # the citizen's time: every supplement cycle closed before the judging moment
    cycles = (
        frame.select("dossier_id", "judged_at", "cycles")
        .explode("cycles")
        .unnest("cycles")
        .filter(pl.col("closed_at").is_not_null() & (pl.col("closed_at") <= pl.col("judged_at")))
        .group_by("dossier_id")
        .agg(
            (pl.col("closed_at") - pl.col("opened_at"))
            .dt.total_seconds()
            .sum()
            .alias("supplement_seconds")
        )
    )
    frame = frame.join(cycles, on="dossier_id", how="left").with_columns(
        pl.col("supplement_seconds").fill_null(0)
    )
    by_max_time = pl.Series(
        _deadlines(
            frame["received_at"].to_list(),
            [
                days if due is None else None
                for due, days in zip(
                    frame["due_at"].to_list(), frame["statutory_days"].to_list(), strict=True
                )
            ],
        ),
        dtype=pl.Datetime("us"),
    )
    frame = frame.with_columns(
        deadline=pl.coalesce(pl.col("due_at").cast(pl.Datetime("us")), by_max_time)
    )
    office_time = pl.col("judged_at").cast(pl.Datetime("us")) - pl.duration(
        seconds=pl.col("supplement_seconds")
    )
    return frame.with_columns(
        counted=pl.col("in_2_1") & pl.col("deadline").is_not_null(),
    ).with_columns(
        on_time=pl.col("counted") & (office_time <= pl.col("deadline")) & (pl.col("requests") < 2),
    )


def dossier_counts(facts: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Numerators n_<i> and denominators d_<i> of the dossier indicators per group_key, and
    has_<flag>: dossiers of the denominator carrying the flag at all (else no data)."""
    if facts.height == 0:
        return pl.DataFrame(schema={"group_key": pl.String})
    judged = judge_on_time(facts, period)
    of_period = pl.col("period_day").is_between(period.date_from, period.date_to)
    online_counted = (pl.col("channel") == "online") & (
        ~pl.col("paper_result").fill_null(False) | pl.col("e_result_issued").fill_null(False)
    )
    fee = pl.col("fee_bearing").fill_null(False)
    with_result = pl.col("finished_at").is_not_null()
    dossiers = judged.group_by("group_key").agg(
        n_i2_1=pl.col("on_time").sum(),
        d_i2_1=pl.col("counted").sum(),
        n_i1_4=(of_period & pl.col("synced_to_portal").fill_null(False)).sum(),
        d_i1_4=of_period.sum(),
        has_synced=(of_period & pl.col("synced_to_portal").is_not_null()).sum(),
        n_i3_3=(of_period & online_counted).sum(),
        d_i3_3=of_period.sum(),
        n_i3_6=(of_period & fee & pl.col("paid_online").fill_null(False)).sum(),
        d_i3_6=(of_period & fee).sum(),
        n_i4_1=(of_period & with_result & pl.col("e_result_issued").fill_null(False)).sum(),
        d_i4_1=(of_period & with_result).sum(),
        has_e_result=(of_period & with_result & pl.col("e_result_issued").is_not_null()).sum(),
        n_i4_3=(of_period & pl.col("digitized").fill_null(False)).sum(),
        d_i4_3=of_period.sum(),
        has_digitized=(of_period & pl.col("digitized").is_not_null()).sum(),
        n_i4_5=(of_period & pl.col("vneid_verified").fill_null(False)).sum(),
        d_i4_5=of_period.sum(),
        has_vneid=(of_period & pl.col("vneid_verified").is_not_null()).sum(),
    )
    # procedures in use: those with a dossier of the period
    used = (
        judged.filter(of_period)
        .group_by("group_key", "procedure_code")
        .agg(
            offered=pl.col("procedure_level").is_in(ONLINE_LEVELS).any(),
            online=(pl.col("channel") == "online").any(),
            fee=fee.any(),
            paid=pl.col("paid_online").fill_null(False).any(),
            published=pl.col("published").first(),
        )
        .group_by("group_key")
        .agg(
            n_i1_2=pl.col("published").fill_null(False).sum(),
            d_i1_2=pl.col("published").is_not_null().sum(),
            n_i3_1=pl.col("offered").sum(),
            d_i3_1=pl.len(),
            n_i3_2=(pl.col("offered") & pl.col("online")).sum(),
            d_i3_2=pl.col("offered").sum(),
            n_i3_5=(pl.col("fee") & pl.col("paid")).sum(),
            d_i3_5=pl.col("fee").sum(),
        )
    )
    return dossiers.join(used, on="group_key", how="left")


def feedback_counts(feedback: pl.DataFrame, period: Period) -> pl.DataFrame:
    """5.2 (answered on time: 15 working days from receipt or the latest transfer, a rejection 2,
    a request for information 5; an open item still within its time counts as on time) and 5.3
    (items neither rated unsatisfied, nor late, nor followed by a complaint) per group_key."""
    if feedback.height == 0:
        return pl.DataFrame(schema={"group_key": pl.String})
    days = [
        FEEDBACK_DAYS.get(outcome, FEEDBACK_ANSWER_DAYS)
        for outcome in feedback["outcome"].to_list()
    ]
    deadline = pl.Series(
        _deadlines(feedback["counted_from"].to_list(), days), dtype=pl.Datetime("us")
    )
    answered = pl.col("answered_at").is_not_null()
    frame = feedback.with_columns(deadline=deadline).with_columns(
        on_time=pl.when(answered)
        .then(pl.col("answered_at").cast(pl.Datetime("us")) <= pl.col("deadline"))
        .otherwise(pl.lit(period.as_of) <= pl.col("deadline"))
    )
    satisfied = pl.col("on_time") & ~pl.col("rated_unsatisfied") & ~pl.col("complaint_after")
    return frame.group_by("group_key").agg(
        n_i5_2=pl.col("on_time").sum(),
        d_i5_2=pl.len(),
        n_i5_3=satisfied.sum(),
        d_i5_3=pl.len(),
    )


# --- what the pages show -------------------------------------------------------------------------


def value_text(indicator: Indicator, row: dict | None, lang: str) -> str:
    """The indicator's value (two decimals), or why there is none."""
    if indicator.source == NO_FORMULA:
        return t("index.no_formula", lang)
    value = row.get(f"value_{indicator.key}") if row and indicator.source == DATA else None
    if value is None:
        return t("index.no_data", lang)
    return fmt_pct(value, lang, 2)


def indicator_table(row: dict | None, lang: str) -> pl.DataFrame:
    """The drill-down's table: every indicator of the 100 points, grouped, with value, threshold
    and points earned of points possible ("chưa có dữ liệu" and its points where there is none)."""
    rows = []
    for n, i in enumerate(INDICATORS):
        earned = row.get(f"points_{i.key}") if row and i.source == DATA else None
        first = n == 0 or INDICATORS[n - 1].group != i.group
        rows.append(
            {
                # the group named on its first line only
                t("index.col.group", lang): t(f"index.group.{GROUPS[i.group][0]}", lang)
                if first
                else "",
                t("index.col.indicator", lang): f"{i.code} {t(f'index.ind.{i.key}', lang)}",
                t("index.col.value", lang): value_text(i, row, lang),
                t("index.col.threshold", lang): DASH
                if i.source == NO_FORMULA
                else fmt_pct(i.threshold, lang, 0),
                t("index.col.points", lang): t(
                    "index.points_of",
                    lang,
                    earned=DASH if earned is None else fmt_number(earned, lang, 2),
                    possible=fmt_number(i.points, lang, 2),
                ),
            }
        )
    return pl.DataFrame(rows)


def group_points(row: dict | None) -> list[tuple[str, float, float, float]]:
    """(group name, points earned, points with data, points of the group) per group."""
    out = []
    for number, (name, total) in GROUPS.items():
        members = [i for i in COMPUTED if i.group == number]
        earned = sum((row or {}).get(f"points_{i.key}") or 0.0 for i in members)
        shown = sum(i.points for i in members if (row or {}).get(f"value_{i.key}") is not None)
        out.append((name, earned, shown, total))
    return out


def missing_points(row: dict | None) -> list[tuple[str, float]]:
    """(indicator code, points) of every indicator without a value: the points named, never
    rescaled away."""
    return [
        (i.code, i.points)
        for i in INDICATORS
        if i.source != DATA or (row or {}).get(f"value_{i.key}") is None
    ]


def total_text(row: dict | None, lang: str) -> str:
    """The points earned of 100, two decimals ("40,10"; no data: a dash)."""
    earned = (row or {}).get("index_766")
    return DASH if earned is None else fmt_number(earned, lang, 2)


def coverage_text(row: dict | None, lang: str) -> str:
    """How many of the 100 points the data covers, and the indicators left, with their points."""
    possible = (row or {}).get("index_766_possible") or 0.0
    missing = missing_points(row)
    items = ", ".join(
        t("index.missing_item", lang, code=code, points=fmt_number(points, lang, 1))
        for code, points in missing
    )
    return (
        t(
            "index.possible",
            lang,
            possible=fmt_number(possible, lang, 1),
            missing=fmt_number(100.0 - possible, lang, 1),
        )
        + " "
        + t("index.missing_list", lang, items=items)
    )


def group_lines(row: dict | None, lang: str) -> list[str]:
    """Per group "Công khai, minh bạch: 6,60 / 18 điểm (có dữ liệu cho 9,0 điểm)"; a group
    without any data says so rather than 0."""
    lines = []
    for name, earned, shown, total in group_points(row):
        values = {
            "group": t(f"index.group.{name}", lang),
            "earned": fmt_number(earned, lang, 2),
            "total": fmt_number(total, lang, 0),
            "shown": fmt_number(shown, lang, 1),
        }
        if shown == 0:
            lines.append(t("index.group_none", lang, **values))
        elif shown < total:
            lines.append(t("index.group_part", lang, **values))
        else:
            lines.append(t("index.group_line", lang, **values))
    return lines


def comparisons(kpis: dict | None, row: dict | None, lang: str) -> pl.DataFrame:
    """The dashboard's KPI and the index's indicator of the same idea, both labelled, with the
    difference in one line."""
    out = []
    for kpi_name, code in COMPARED:
        indicator = BY_CODE[code]
        out.append(
            {
                t("index.col.figure", lang): t(f"kpi.{kpi_name}", lang),
                t("index.col.dashboard", lang): fmt_pct((kpis or {}).get(kpi_name), lang, 2),
                t("index.col.index", lang): value_text(indicator, row, lang),
                t("index.col.why", lang): t(f"index.diff.{indicator.key}", lang),
            }
        )
    return pl.DataFrame(out)
