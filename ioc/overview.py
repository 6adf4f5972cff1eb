"""Figures of the Tổng quan page: KPI cards against the previous period and the targets, the
daily rate trend, and how many communes are green / amber / red on each target."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from ioc import kpi, metrics
from ioc.kpi import Period
from ioc.store import run_query

# (KPI, kind) in the order of the cards (ioc/metrics.py); kind decides formatting and the delta's
# meaning.
CARD_KPIS: list[tuple[str, str]] = [
    (m.name, "count_bad" if m.lower_is_better else m.kind)
    for m in metrics.METRICS
    if metrics.OVERVIEW in m.places
]
TARGETED = kpi.TARGETED_RATES


@dataclass(frozen=True)
class Card:
    kpi: str
    kind: str  # 'count' | 'count_bad' (fewer is better) | 'rate'
    value: float | None
    previous: float | None
    target: float | None
    light: str | None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def kpi_cards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str,
    commune: str | None = None,
    field: str | None = None,
) -> list[Card]:
    """The overview cards: value now, value in the previous period, target in force and light."""
    periods = [period, period.previous()]
    in_force = kpi.targets_in_force_on(con, [p.date_to for p in periods])
    now, before = kpi.city_kpis_of(con, periods, province, commune, field, in_force)
    targets = in_force[0]
    cards = []
    for name, kind in CARD_KPIS:
        target = kpi.resolve_target(targets, name, commune) if name in TARGETED else None
        cards.append(
            Card(name, kind, now[name], before[name], target, kpi.light(now[name], target))
        )
    return cards


def daily_trend(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str,
    commune: str | None = None,
    field: str | None = None,
) -> pl.DataFrame:
    """Per day: received, online_rate and end_to_end_rate (null on a day with nothing received)."""
    counts = run_query(
        con,
        "daily_received",
        date_from=period.date_from,
        date_to=period.date_to,
        province=province,
        commune=commune,
        field=field,
    )
    return kpi.add_rates(counts).select("day", "received", "online_rate", "end_to_end_rate")


def light_counts(ranking: pl.DataFrame) -> pl.DataFrame:
    """How many communes are green / amber / red / without data on each targeted rate.

    A rate with no target in force (no light for any commune) is left out rather than shown as a
    bar of "no data".
    """
    rows = []
    for metric in TARGETED:
        column = ranking[f"light_{metric}"]
        if column.null_count() == column.len():
            continue
        column = column.fill_null("none")
        for colour in ("green", "amber", "red", "none"):
            rows.append(
                {"metric": metric, "light": colour, "communes": int((column == colour).sum())}
            )
    # typed even when empty (a store without dossiers yet): the chart then draws no bar
    return pl.DataFrame(
        rows, schema={"metric": pl.String, "light": pl.String, "communes": pl.Int64}
    )
