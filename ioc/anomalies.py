"""Anomalies for Tổng quan: communes whose online share or daily throughput dropped sharply
against their own last four weeks.

Definition. Recent window = the 7 days ending date_to; baseline = the 28 days before it. Both are
kpi.md figures (ioc.kpi.kpi_counts per commune):
- online share drop: online_rate(recent) <= online_rate(baseline) - ONLINE_DROP (15 points),
  when both windows received at least MIN_RECEIVED dossiers;
- throughput drop: resolved per working day in the recent window <= (1 - THROUGHPUT_DROP) times
  the baseline's (a fall of 40 % or more), when the baseline resolved at least MIN_RECEIVED.
  Per working day (ioc.workdays), so a holiday week is not an anomaly; a window without a working
  day is skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl

from ioc import config, kpi
from ioc.kpi import Period
from ioc.store import run_query
from ioc.workdays import is_working_day

RECENT_DAYS = 7
BASELINE_DAYS = 28
ONLINE_DROP = 0.15
THROUGHPUT_DROP = 0.40
MIN_RECEIVED = 20

COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "kind": ("anomaly.col.kind", "key:anomaly.kind."),
    "baseline": ("anomaly.col.baseline", "num"),
    "recent": ("anomaly.col.recent", "num"),
}


def working_days(start: date, end: date) -> int:
    return sum(is_working_day(start + timedelta(n)) for n in range((end - start).days + 1))


def anomalies(
    con: duckdb.DuckDBPyConnection,
    date_to: date,
    province: str = config.DEFAULT_PROVINCE,
) -> pl.DataFrame:
    """One row per (commune, kind) flagged: kind 'online_drop' (baseline / recent online_rate in
    percent points) or 'throughput_drop' (resolved per working day); biggest relative fall first."""
    recent = Period.of(date_to - timedelta(RECENT_DAYS - 1), date_to)
    base = Period.of(recent.date_from - timedelta(BASELINE_DAYS), recent.date_from - timedelta(1))
    cols = ["group_key", "received", "received_online", "resolved"]
    now, before = (
        kpi.add_rates(counts.select(cols))
        for counts in kpi.kpi_counts_of(con, [recent, base], "commune", province, voice=False)
    )
    joined = before.join(now, on="group_key", how="left", suffix="_recent").fill_null(0)
    days_recent = working_days(recent.date_from, recent.date_to)
    days_base = working_days(base.date_from, base.date_to)
    rows = []
    for r in joined.iter_rows(named=True):
        if r["received"] >= MIN_RECEIVED and r["received_recent"] >= MIN_RECEIVED:
            b, n = r["online_rate"], r["online_rate_recent"]
            if b is not None and n is not None and n <= b - ONLINE_DROP + 1e-12:
                rows.append((r["group_key"], "online_drop", 100 * b, 100 * n, (b - n) / b))
        if days_recent and days_base and r["resolved"] >= MIN_RECEIVED:
            b = r["resolved"] / days_base
            n = r["resolved_recent"] / days_recent
            if n <= (1 - THROUGHPUT_DROP) * b + 1e-12:
                rows.append((r["group_key"], "throughput_drop", b, n, (b - n) / b))
    frame = pl.DataFrame(
        rows,
        schema={
            "commune_code": pl.String,
            "kind": pl.String,
            "baseline": pl.Float64,
            "recent": pl.Float64,
            "fall": pl.Float64,
        },
        orient="row",
    )
    names = run_query(con, "communes_of_province", province=province).select(
        "commune_code", "commune_name"
    )
    return frame.join(names, on="commune_code", how="left").sort(
        ["fall", "commune_code"], descending=[True, False]
    )
