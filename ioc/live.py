"""Figures of the Thời gian thực (live monitor) page: today's hourly flow against the usual for
this weekday and hour, the backlog, and overdue / due-soon dossiers by commune and by procedure.

All counts are kpi.md's (through ioc.kpi); "today" is the period [today, today] taken at now.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from ioc import config, kpi
from ioc.kpi import Period
from ioc.store import run_query

BY_COLUMNS = {
    "name": ("col.name", "text"),
    "open_at_end": ("kpi.open_at_end", "int"),
    "open_overdue": ("kpi.open_overdue", "int"),
    "open_due_soon": ("kpi.open_due_soon", "int"),
}


def minute(now: datetime) -> datetime:
    """The moment the live figures are of: the start of the minute `now` is in, so everyone
    viewing in that minute is shown the same figures, built once (issue 21; the page refreshes
    every minute)."""
    return now.replace(second=0, microsecond=0)


def today(as_of: datetime) -> Period:
    """The live period: today from midnight up to as_of."""
    return Period.of(as_of.date(), as_of.date(), now=as_of)


def hourly(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
) -> pl.DataFrame:
    """Today's received / resolved per hour and the usual figure for this weekday and hour."""
    return kpi.hourly_flow(con, as_of.date(), as_of, province, commune)


def totals(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
) -> dict:
    """Today's received and resolved, and the backlog (open_at_end), overdue and due soon now."""
    return kpi.city_kpis(con, today(as_of), province, commune)


def open_by(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    grain: str,
    province: str = config.DEFAULT_PROVINCE,
    commune: str | None = None,
) -> pl.DataFrame:
    """Open, overdue and due-soon dossiers now per commune or per procedure (grain), only the
    groups with something overdue or due soon, most overdue first."""
    if grain not in ("commune", "procedure"):
        raise ValueError(f"unknown grain {grain!r}")
    counts = kpi.kpi_counts(con, today(as_of), grain, province, commune, voice=False)
    if grain == "commune":
        names = run_query(con, "communes_of_province", province=province).select(
            pl.col("commune_code").alias("group_key"), pl.col("commune_name").alias("name")
        )
    else:
        names = run_query(con, "procedure_catalogue").select(
            pl.col("procedure_code").alias("group_key"), pl.col("procedure_name").alias("name")
        )
    return (
        counts.join(names, on="group_key", how="left")
        .with_columns(pl.col("name").fill_null(pl.col("group_key")))
        .filter((pl.col("open_overdue") + pl.col("open_due_soon")) > 0)
        .select("group_key", "name", "open_at_end", "open_overdue", "open_due_soon")
        .sort(["open_overdue", "open_due_soon", "group_key"], descending=[True, True, False])
    )
