"""Figures of the citizen's voice (issue 18, docs/citizen-voice.md) for the commune page: the
procedures drawing the most dissatisfaction, the masked comments behind them (dossier-level text:
filtered by the viewer's Scope in the query), the feedback topics that grow, and which procedures,
at the city's 90th-percentile satisfaction, would lift the commune's satisfied share most.

The KPIs themselves (rated share, satisfied share, feedback answered on time, open, overdue) are
entries of the metric registry and come with every other KPI from ioc.kpi.
"""

from __future__ import annotations

import duckdb
import polars as pl

from ioc import config, kpi, tables
from ioc.drilldown import LIFT_PERCENTILE
from ioc.i18n import t
from ioc.kpi import Period
from ioc.scope import Scope
from ioc.store import run_query

COMMENTS_LIMIT = 200
LIFT_MIN_RATINGS = 5  # ratings of a procedure that make a commune's share part of the p90
TOP_PROCEDURES = 10

# column -> (header key, cell kind) of ioc.tables.display
PROCEDURE_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "ratings": ("voice.col.ratings", "int"),
    "ratings_not_satisfied": ("voice.col.not_satisfied", "int"),
    "not_satisfied_share": ("voice.col.not_satisfied_share", "pct"),
}
COMMENT_COLUMNS = {
    "rated_at": ("voice.col.rated_at", "datetime"),
    "procedure_name": ("col.procedure_name", "text"),
    "criterion": ("voice.col.criterion", "text"),
    "comment_masked": ("voice.col.comment", "text"),
}
TOPIC_COLUMNS = {
    "topic": ("voice.col.topic", "text"),
    "now": ("voice.col.now", "int"),
    "before": ("voice.col.before", "int"),
    "change": ("voice.col.change", "int"),
}
LIFT_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "ratings": ("voice.col.ratings", "int"),
    "share_now": ("voice.col.satisfied_share", "pct"),
    "share_p90": ("voice.col.share_p90", "pct"),
    "gain": ("voice.col.gain", "pct"),
}


def _names(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return run_query(con, "procedure_catalogue").select("procedure_code", "procedure_name")


def dissatisfaction(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str | None,
    province: str = config.DEFAULT_PROVINCE,
    n: int = TOP_PROCEDURES,
) -> pl.DataFrame:
    """The n procedures with the most dossiers rated not satisfied in the period (kpi.md-style
    counts of docs/citizen-voice.md: ratings, ratings_not_satisfied), most first; an aggregate, so
    every role sees it."""
    counts = kpi.kpi_counts(con, period, "procedure", province, commune)
    return (
        counts.filter(pl.col("ratings_not_satisfied") > 0)
        .rename({"group_key": "procedure_code"})
        .join(_names(con), on="procedure_code", how="left")
        .select(
            "procedure_code",
            pl.col("procedure_name").fill_null(pl.col("procedure_code")),
            "ratings",
            "ratings_not_satisfied",
            kpi.safe_rate(pl.col("ratings_not_satisfied"), pl.col("ratings")).alias(
                "not_satisfied_share"
            ),
        )
        .sort(["ratings_not_satisfied", "procedure_code"], descending=[True, False])
        .head(n)
    )


def comments(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    period: Period,
    commune: str | None,
    province: str = config.DEFAULT_PROVINCE,
    limit: int = COMMENTS_LIMIT,
) -> pl.DataFrame:
    """The masked comments of the ratings "not satisfied" given in the period, newest first.

    Citizens' text, like dossier rows: the commune filter is the scope's (a ward chair only sees
    the own commune's; a presenter or an admin gets ScopeError)."""
    return run_query(
        con,
        "voice_comments",
        province=province,
        commune=scope.dossier_commune(commune),
        date_from=period.date_from,
        date_to=period.date_to,
        limit=limit,
    )


def growing_topics(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str | None,
    province: str = config.DEFAULT_PROVINCE,
) -> pl.DataFrame:
    """Feedback per topic received in the period and in the period of the same length before
    it; the largest rise first (topics with none in either period are not rows)."""
    before = period.previous()
    return run_query(
        con,
        "voice_topics",
        province=province,
        commune=commune,
        date_from=period.date_from,
        date_to=period.date_to,
        before_from=before.date_from,
        before_to=before.date_to,
    ).filter((pl.col("now") > 0) | (pl.col("before") > 0))


def satisfaction_lift(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    commune: str,
    province: str = config.DEFAULT_PROVINCE,
) -> pl.DataFrame:
    """ "What would lift satisfaction most": one row per procedure, the largest gain first.

    Definition. For the commune c and each procedure p with dossiers rated in the period (n =
    ratings of p at c, s = those satisfied): q(p) = the 90th percentile (linear interpolation) of
    the satisfied share s/n of p over the province's communes with at least LIFT_MIN_RATINGS
    ratings of p in the period (a share of two ratings is no standard to hold a commune to). If c's satisfied ratings of p rose to max(s, n * q(p)), all else unchanged, c's
    satisfied share (ratings_satisfied / ratings) would gain (max(s, n * q(p)) - s) / N, N = c's
    ratings of every procedure: `gain`, a fraction (0.05 = 5 percentage points). Procedures with
    no gain are left out. The dashboard's service score (/100) has no satisfaction group, so no
    points are named here.
    """
    counts = kpi.split(
        run_query(
            con,
            "voice_counts",
            date_froms=[period.date_from],
            date_tos=[period.date_to],
            grain="commune_procedure",
            province=province,
            commune=None,
            field=None,
        ),
        "period",
        1,
    )[0]
    shares = (
        counts.filter(pl.col("ratings") > 0)
        .with_columns(
            pl.col("group_key").str.split_exact("|", 1).struct.rename_fields(["commune", "code"])
        )
        .unnest("group_key")
        .rename({"commune": "commune_code", "code": "procedure_code"})
        .with_columns((pl.col("ratings_satisfied") / pl.col("ratings")).alias("share_now"))
    )
    quantiles = (
        shares.filter(pl.col("ratings") >= LIFT_MIN_RATINGS)
        .group_by("procedure_code")
        .agg(pl.col("share_now").quantile(LIFT_PERCENTILE, "linear").alias("share_p90"))
    )
    own = shares.filter(pl.col("commune_code") == commune)
    total = own["ratings"].sum()
    if own.height == 0 or not total:
        return _empty_lift()
    gain = (
        pl.max_horizontal(pl.col("ratings_satisfied"), pl.col("ratings") * pl.col("share_p90"))
        - pl.col("ratings_satisfied")
    ) / total
    return (
        own.join(quantiles, on="procedure_code")
        .with_columns(gain.alias("gain"))
        .filter(pl.col("gain") > 1e-9)
        .join(_names(con), on="procedure_code", how="left")
        .with_columns(pl.col("procedure_name").fill_null(pl.col("procedure_code")))
        .select("procedure_code", "procedure_name", "ratings", "share_now", "share_p90", "gain")
        .sort(["gain", "procedure_code"], descending=[True, False])
    )


def _empty_lift() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "procedure_code": pl.String,
            "procedure_name": pl.String,
            "ratings": pl.Int64,
            "share_now": pl.Float64,
            "share_p90": pl.Float64,
            "gain": pl.Float64,
        }
    )


def comments_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """comments() as shown: an overall rating's criterion named as such."""
    named = frame.with_columns(pl.col("criterion").fill_null(t("voice.criterion.overall", lang)))
    return tables.display(named, COMMENT_COLUMNS, lang)


def topics_table(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """growing_topics() as shown: a missing topic named as such."""
    named = frame.with_columns(
        pl.when(pl.col("topic") == "")
        .then(pl.lit(t("voice.no_topic", lang)))
        .otherwise(pl.col("topic"))
        .alias("topic")
    )
    return tables.display(named, TOPIC_COLUMNS, lang)
