"""Rollup tables: kpi.md's counts per commune, procedure and day, so that a page sums a few
thousand rows instead of scanning every dossier (issue 4's performance aim).

    rollup_received      received and its parts, by day(received_at)
    rollup_resolved      resolved and its parts, by day(finished_at)
    rollup_open          changes of open_at_end / open_overdue / open_due_soon taking effect on a day
    rollup_open_commune  rollup_open summed over procedures
    rollup_hourly        received and resolved per clock hour (the live monitor)
    rollup_unfinished    the dossiers not finished yet (the open-dossier lists)

The definitions of the counts live in the queries/rollup_*_refresh.sql files; queries/kpi_counts.sql
only adds rollup rows up. Whatever writes dossiers keeps the rollups in step in its own transaction:
the import refreshes the communes its file touches, the demo build refreshes everything, and
`ensure` rebuilds them when the store was changed some other way (an older store, a restored
backup, rows written by hand).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import duckdb
import polars as pl

from ioc import store
from ioc.workdays import HOLIDAYS, is_working_day

# (clear, rebuild) per table, in order: rollup_open_commune is summed from rollup_open.
STEPS = (
    ("rollup_received_clear", "rollup_received_refresh"),
    ("rollup_resolved_clear", "rollup_resolved_refresh"),
    ("rollup_open_clear", "rollup_open_refresh"),
    ("rollup_open_commune_clear", "rollup_open_commune_refresh"),
    ("rollup_hourly_clear", "rollup_hourly_refresh"),
    ("rollup_unfinished_clear", "rollup_unfinished_refresh"),
)
CALENDAR_SPAN = (date(2000, 1, 1), date(2100, 12, 31))


@cache
def calendar(start: date, end: date) -> pl.DataFrame:
    """Each day with the last working day strictly before it."""
    days, previous, last = [], [], None
    day = start - timedelta(days=30)  # so the first days of the span have a working day before
    while day <= end:
        if day >= start:
            days.append(day)
            previous.append(last)
        if is_working_day(day):
            last = day
        day += timedelta(days=1)
    return pl.DataFrame(
        {"day": days, "previous_working_day": previous},
        schema={"day": pl.Date, "previous_working_day": pl.Date},
    )


def refresh(con: duckdb.DuckDBPyConnection, communes: Iterable[str] | None = None) -> None:
    """Rebuild the rollup rows of some communes (None: all), inside the caller's transaction, and
    record the rollups as in step with the store (the caller rebuilt what its change touched)."""
    params = {
        "everything": communes is None,
        "communes": sorted(set(communes or ())),
    }
    if params["everything"] or params["communes"]:
        fill_calendar(con)
        for clear, rebuild in STEPS:
            store.execute(con, clear, **params)
            store.execute(con, rebuild, **params)
    store.set_meta(con, "rollup_state", state(con))


def fill_calendar(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write workday_calendar when the holidays of ioc/workdays.py changed."""
    holidays = ",".join(sorted(d.isoformat() for d in HOLIDAYS))
    if store.get_meta(con, "calendar_holidays") == holidays:
        return
    con.register("workday_frame", calendar(*CALENDAR_SPAN))
    try:
        store.execute(con, "rollup_calendar_fill")
    finally:
        con.unregister("workday_frame")
    store.set_meta(con, "calendar_holidays", holidays)


def state(con: duckdb.DuckDBPyConnection) -> str:
    """What the rollups were built from: the data version and the number of dossiers (rows written
    without an import change the count). A change of their definitions is seen on open
    (ioc/migrations.py), which clears this state."""
    version = store.get_meta(con, "data_version", "0")
    count = con.execute("select count(*) from dossiers").fetchone()[0]
    return f"{version}:{count}"


def in_step(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the rollups were last built from the store as it is."""
    return store.get_meta(con, "rollup_state") == state(con)


def ensure(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild every rollup when the store changed without them; True when it did."""
    if in_step(con):
        return False
    with store.transaction(con):
        refresh(con)
    return True
