"""Data quality: the forum's "đúng, đủ, sạch, sống, dùng chung" as measured figures, per commune
and per source file, and a commune data-quality score (0..100) shown beside the service score.

queries/quality_checks.sql counts, per group, the dossiers whose day(received_at, else
submitted_at) is in the period; this module turns the counts into shares and the score:

- đúng (correct): rows passing the checks (dates consistent with the status, procedure code in the
  catalogue) / rows.
- đủ (complete): required fields filled / required fields. Required: commune, channel, service
  level on every dossier, and the due date on every received dossier (not registered / rejected).
- sạch (clean): 1 - suspected duplicates / rows; a suspected duplicate shares applicant, procedure,
  commune and received day with a dossier of a smaller id.
- sống (live): 1 when the newest record is no more than one working day old, minus 0.25 for each
  full working day without any record (0 from four such days on).
- dùng chung (shareable): rows carrying both national codes (a 5-digit commune code of the
  catalogue, a procedure code n.nnnnnn of the catalogue) / rows.

score = 100 * sum(weight * share) / sum(weights), weights in CRITERIA; no score when the commune has
no dossier in the period.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import duckdb
import polars as pl

from ioc import config, kpi, tables
from ioc.kpi import Period
from ioc.scope import CITY, WARD_CHAIR, Scope
from ioc.store import run_query
from ioc.workdays import is_working_day

# criterion -> weight in the commune data-quality score (sums to 100)
CRITERIA: dict[str, float] = {
    "correct": 30.0,
    "complete": 25.0,
    "clean": 10.0,
    "live": 20.0,
    "shareable": 15.0,
}
LIVE_PENALTY_PER_WORKDAY = 0.25
# A source file whose newest record is this many full working days old is listed as stale.
STALE_SOURCE_WORKDAYS = 2
# "Sent nothing today" is only asked once the office day has started.
OFFICE_OPENS = time(8, 0)
COMMUNE_REASON_MARK = "commune"  # quarantine reason codes about a commune name not mapped

ON_TIME_COUNTS = ["resolved", "resolved_on_time", "resolved_no_due_date"]
COUNT_COLUMNS = [
    "rows",
    "rows_passing",
    "date_conflicts",
    "unknown_procedure",
    "fields_required",
    "fields_filled",
    "missing_due_date",
    "suspected_duplicates",
    "national_codes",
    "events_today",
]


def stale_workdays(newest: datetime | None, as_of: datetime) -> int | None:
    """Full working days strictly between the newest record's day and as_of's day."""
    if newest is None:
        return None
    day, end = newest.date() + timedelta(1), as_of.date()
    missed = 0
    while day < end:
        missed += is_working_day(day)
        day += timedelta(1)
    return missed


def live_share(missed_workdays: int | None) -> float:
    """sống: 1 with at most one working day of silence, 0.25 less per further full working day."""
    if missed_workdays is None:
        return 0.0
    return max(0.0, 1.0 - LIVE_PENALTY_PER_WORKDAY * missed_workdays)


def _checks(con: duckdb.DuckDBPyConnection, period: Period, grain: str, province: str):
    today_from = datetime.combine(period.as_of.date(), time(0, 0))
    return run_query(
        con,
        "quality_checks",
        grain=grain,
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=period.as_of,
        today_from=today_from,
        province=province,
    )


def add_shares(counts: pl.DataFrame, as_of: datetime) -> pl.DataFrame:
    """Shares 0..1 of each criterion (null with no rows), days without records and the score."""
    missed = [stale_workdays(n, as_of) for n in counts["newest_at"]]
    frame = counts.with_columns(
        pl.Series("stale_workdays", missed, dtype=pl.Int64),
        pl.Series("live", [live_share(m) for m in missed], dtype=pl.Float64),
    ).with_columns(
        kpi.safe_rate(pl.col("rows_passing"), pl.col("rows")).alias("correct"),
        kpi.safe_rate(pl.col("fields_filled"), pl.col("fields_required")).alias("complete"),
        (1.0 - kpi.safe_rate(pl.col("suspected_duplicates"), pl.col("rows"))).alias("clean"),
        kpi.safe_rate(pl.col("national_codes"), pl.col("rows")).alias("shareable"),
    )
    total = sum(CRITERIA.values())
    weighted = pl.sum_horizontal([pl.col(c) * w for c, w in CRITERIA.items()])
    return frame.with_columns(
        pl.when(pl.col("rows") > 0).then(100.0 * weighted / total).alias("quality_score")
    )


def held_commune(scope: Scope) -> str | None:
    """The one commune a ward chair's data-quality view is held to; None for the other roles,
    whose view is the whole province with its per-file and cleaning figures.

    A ward chair bound to no commune gets ScopeError rather than the whole province.
    """
    return scope.dossier_commune(None) if scope.role == WARD_CHAIR else None


def add_on_time(frame: pl.DataFrame) -> pl.DataFrame:
    """The on-time rate as the portal counts it (no due date = on time), the same rate without
    the dossiers that have no due date, and the difference, from the ON_TIME_COUNTS columns.

    Both rates come from kpi.add_rates, the one KPI implementation, fed the matching counts.
    """
    no_due = pl.col("resolved_no_due_date")
    official = kpi.add_rates(frame.select("resolved", "resolved_on_time"))["on_time_rate"]
    with_due = kpi.add_rates(
        frame.select(pl.col("resolved") - no_due, pl.col("resolved_on_time") - no_due)
    )["on_time_rate"]
    return frame.with_columns(
        official.alias("on_time_rate"),
        with_due.alias("on_time_rate_with_due_date"),
        (official - with_due).alias("on_time_flattery"),
    )


def commune_quality(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    scope: Scope = CITY,
) -> pl.DataFrame:
    """The communes of a province the scope may look at (a ward chair: the own one only), with
    their quality figures, shares and score.

    Also the on-time rate as the portal counts it (no due date = on time) and without the
    dossiers that have no due date, so the page can show how much those flatter the rate.
    """
    own = held_commune(scope)
    counts = _checks(con, period, "commune", province).rename({"group_key": "commune_code"})
    communes = run_query(con, "communes_of_province", province=province)
    if own is not None:
        communes = communes.filter(pl.col("commune_code") == own)
    frame = communes.join(counts, on="commune_code", how="left").with_columns(
        pl.col(COUNT_COLUMNS).fill_null(0)
    )
    on_time = (
        kpi.kpi_counts(con, period, "commune", province=province, voice=False)
        .rename({"group_key": "commune_code"})
        .select(
            "commune_code",
            "resolved",
            "resolved_on_time",
            pl.col("no_due_date").alias("resolved_no_due_date"),
        )
    )
    frame = add_shares(frame, period.as_of).join(on_time, on="commune_code", how="left")
    return add_on_time(frame.with_columns(pl.col(ON_TIME_COUNTS).fill_null(0))).sort(
        ["quality_score", "commune_code"], nulls_last=False
    )  # weakest data first


def commune_quality_scores(
    con: duckdb.DuckDBPyConnection, period: Period, province: str = config.DEFAULT_PROVINCE
) -> pl.DataFrame:
    """(commune_code, quality_score, the five criterion shares, newest_at, stale_workdays)."""
    return commune_quality(con, period, province).select(
        "commune_code", "quality_score", *CRITERIA, "newest_at", "stale_workdays"
    )


def source_quality(
    con: duckdb.DuckDBPyConnection, period: Period, province: str = config.DEFAULT_PROVINCE
) -> pl.DataFrame:
    """Per source file: the same shares as a commune, its imports, and whether it is stale."""
    counts = _checks(con, period, "source", province).rename({"group_key": "source_file"})
    runs = run_query(con, "quality_ingest_runs")
    frame = add_shares(counts, period.as_of).join(runs, on="source_file", how="full", coalesce=True)
    return frame.with_columns(
        pl.col(COUNT_COLUMNS).fill_null(0),
        kpi.safe_rate(pl.col("rows_read") - pl.col("rows_quarantined"), pl.col("rows_read")).alias(
            "ingest_pass_share"
        ),
        (pl.col("stale_workdays").fill_null(STALE_SOURCE_WORKDAYS) >= STALE_SOURCE_WORKDAYS).alias(
            "stale"
        ),
    ).sort("source_file")


def city_quality(frame: pl.DataFrame) -> dict:
    """Figures of several communes together (the city, or one commune's row of commune_quality).

    Counts are summed and the shares recomputed from the sums by add_shares and add_on_time;
    live and the score are the mean over the communes that have a score.
    """
    # No newest_at: live and the score of the sum are replaced by the communes' means below.
    summed = frame.select(
        pl.col(COUNT_COLUMNS + ON_TIME_COUNTS).sum(), pl.lit(None, pl.Datetime).alias("newest_at")
    )
    row = add_on_time(add_shares(summed, config.now())).row(0, named=True)
    scored = frame.filter(pl.col("quality_score").is_not_null())
    mean = {c: scored[c].mean() if scored.height else None for c in ("live", "quality_score")}
    return {k: v for k, v in row.items() if k not in ("newest_at", "stale_workdays")} | mean


def silent_communes(frame: pl.DataFrame, period: Period, now: datetime) -> pl.DataFrame | None:
    """Communes with no record today, once the office day has started on a working day.

    None when the question does not apply: the period does not end today, a day off, or before
    office hours.
    """
    today = now.date()
    if period.as_of.date() != today or not is_working_day(today) or now.time() < OFFICE_OPENS:
        return None
    return frame.filter(pl.col("events_today") == 0).select(
        "commune_code", "commune_name", "newest_at", "stale_workdays"
    )


def stale_sources(sources: pl.DataFrame) -> pl.DataFrame:
    """Source files whose newest record is STALE_SOURCE_WORKDAYS or more working days old."""
    return sources.filter(pl.col("stale")).sort("newest_at", nulls_last=False)


def quarantine_reasons(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Quarantined rows by source file and reason."""
    return run_query(con, "quality_quarantine_reasons")


def names_to_map(reasons: pl.DataFrame) -> int:
    """Quarantined rows held back because a commune name could not be mapped (unknown/ambiguous)."""
    hit = reasons.filter(pl.col("reason_code").str.contains(COMMUNE_REASON_MARK))
    return int(hit["quarantined_rows"].sum())


def unmapped_procedures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Procedure codes in dossiers that the catalogue does not know."""
    return run_query(con, "quality_unmapped_procedures")


def store_totals(con: duckdb.DuckDBPyConnection) -> dict:
    """Dossiers, quarantined rows and imports in the store, and the last good import."""
    return run_query(con, "quality_store_totals").row(0, named=True)


def default_period(now: datetime | None = None) -> Period:
    """The last 30 days up to now: the window the league table's quality column uses by default."""
    now = now or config.now()
    return Period.of(now.date() - timedelta(days=29), now.date(), now)


# Columns whose header key is not "quality.<column>"; every other column's is.
_HEADER_KEYS = {
    "commune_name": "quality.commune",
    "quality_score": "quality.score",
    "rows": "quality.rows",
    "rows_quarantined": "quality.quarantined",
    "quarantined_rows": "quality.quarantined",
    "ingest_pass_share": "quality.ingest_pass",
}


def _spec(columns: dict[str, str]) -> dict[str, tuple[str, str]]:
    """column -> ioc.tables.cell kind, as the (header key, kind) spec ioc.tables.display takes."""
    return {c: (_HEADER_KEYS.get(c, f"quality.{c}"), kind) for c, kind in columns.items()}


COMMUNE_COLUMNS = _spec(
    {
        "commune_name": "text",
        "quality_score": "num",
        **dict.fromkeys(CRITERIA, "pct"),
        "rows": "int",
        "date_conflicts": "int",
        "unknown_procedure": "int",
        "missing_due_date": "int",
        "on_time_flattery": "pp",
        "suspected_duplicates": "int",
        "newest_at": "datetime",
        "stale_workdays": "int",
    }
)
SOURCE_COLUMNS = _spec(
    {
        "source_file": "text",
        "quality_score": "num",
        **dict.fromkeys(CRITERIA, "pct"),
        "rows": "int",
        "runs": "int",
        "last_import_at": "datetime",
        "rows_read": "int",
        "ingest_pass_share": "pct",
        "rows_quarantined": "int",
        "rows_merged": "int",
        "newest_at": "datetime",
        "stale_workdays": "int",
    }
)
SILENT_COLUMNS = {c: COMMUNE_COLUMNS[c] for c in ("commune_name", "newest_at", "stale_workdays")}
PROCEDURE_COLUMNS = _spec(
    {"procedure_code": "text", "procedure_name": "text", "dossiers": "int", "communes": "int"}
)
REASON_COLUMNS = _spec({"source_file": "text", "reason": "text", "quarantined_rows": "int"})


def reason_table(reasons: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Quarantined rows by file and reason, the reason in the session's language."""
    return reasons.with_columns(
        pl.col("reason_en" if lang == "en" else "reason_vi")
        .fill_null(pl.col("reason_code"))
        .alias("reason")
    )


# A data-quality score below this is flagged next to the service score in the league table.
WEAK_SCORE = 70.0


def score_column(table: pl.DataFrame, scores: pl.DataFrame, lang: str) -> pl.Series:
    """The league table's data-quality column, row for row with `table` (by commune_code).

    Written as the score, with a warning mark when it is below WEAK_SCORE or the commune's newest
    record is STALE_SOURCE_WORKDAYS or more working days old, so a rank built on weak or stale
    data shows at a glance.
    """
    from ioc.i18n import fmt_number, t

    joined = table.select("commune_code").join(scores, on="commune_code", how="left")
    cells = []
    for score, missed in zip(joined["quality_score"], joined["stale_workdays"], strict=True):
        weak = score is None or score < WEAK_SCORE or (missed or 0) >= STALE_SOURCE_WORKDAYS
        cells.append(fmt_number(score, lang, 1) + (" ⚠" if weak else ""))
    return pl.Series(t("quality.league_column", lang), cells, dtype=pl.String)


# --- the page's tables as shown (Arrow; built once per scope and data version, pages/quality.py) ---


def commune_table(communes: pl.DataFrame, lang: str) -> Any:
    """commune_quality's rows as the table shown."""
    return tables.shown(communes, COMMUNE_COLUMNS, lang)


def silent_table(frame: pl.DataFrame, period: Period, now: datetime, lang: str) -> Any | None:
    """silent_communes as the table shown; None when the question does not apply."""
    silent = silent_communes(frame, period, now)
    return None if silent is None else tables.shown(silent, SILENT_COLUMNS, lang)


def source_table(sources: pl.DataFrame, lang: str) -> Any:
    """source_quality's rows as the table shown."""
    return tables.shown(sources, SOURCE_COLUMNS, lang)


def stale_table(sources: pl.DataFrame, lang: str) -> Any:
    """The stale source files (stale_sources) as the table shown."""
    return tables.shown(stale_sources(sources), SOURCE_COLUMNS, lang)


def reason_figures(reasons: pl.DataFrame, lang: str) -> tuple[int, Any]:
    """(commune names to map, the quarantine reasons as the table shown)."""
    return names_to_map(reasons), tables.shown(reason_table(reasons, lang), REASON_COLUMNS, lang)


def procedure_table(procedures: pl.DataFrame, lang: str) -> Any:
    """unmapped_procedures' rows as the table shown."""
    return tables.shown(procedures, PROCEDURE_COLUMNS, lang)
