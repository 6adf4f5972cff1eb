"""Figures of the Tổng quan page: KPI cards against the previous period and the targets, the
daily rate trend, and how many communes are green / amber / red on each target; and the page's
figures and tables as shown (built once per scope and data version, pages/overview.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl

from ioc import anomalies, charts, kpi, league, metrics, tables
from ioc.i18n import fmt_number, fmt_pct, t
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


# --- the page's figures and tables as shown ---------------------------------------------------


@dataclass(frozen=True)
class CardText:
    """A KPI card as written: label, value, change against the previous period, help, light."""

    label: str
    value: str
    delta: str | None
    delta_color: str
    help: str
    light: str | None


def card_text(card: Card, lang: str) -> CardText:
    """A card's words and figures in the language's formats (the change in percentage points for
    a rate, signed; the target and its light in the help)."""
    rate = card.kind == "rate"
    value = fmt_pct(card.value, lang) if rate else fmt_number(card.value, lang)
    delta = None
    if card.delta is not None:
        delta = (
            f"{fmt_number(card.delta * 100, lang, 1)} {t('unit.pp', lang)}"
            if rate
            else fmt_number(card.delta, lang)
        )
        delta = ("+" if card.delta > 0 else "") + delta
    help_text = t("kpi.vs_previous", lang)
    if card.target is not None:
        light = t(f"light.{card.light or 'none'}", lang)
        help_text += f" · {t('kpi.target', lang)} {fmt_pct(card.target, lang, 0)}: {light}"
    return CardText(
        t(f"kpi.{card.kpi}", lang),
        value,
        delta,
        "inverse" if card.kind == "count_bad" else "normal",
        help_text,
        card.light,
    )


def trend_figure(trend: pl.DataFrame, cards: list[Card], lang: str) -> go.Figure:
    """The daily online and end-to-end rates with the targets of the cards."""
    targets = {c.kpi: c.target for c in cards}
    return charts.rate_trend(trend, "day", ["online_rate", "end_to_end_rate"], targets, lang)


def lights_figure(ranking: pl.DataFrame, lang: str) -> go.Figure:
    """Communes green / amber / red on each target (kpi.commune_ranking's lights)."""
    return charts.light_bars(light_counts(ranking), lang)


def top_bottom_tables(ranking: pl.DataFrame, lang: str) -> tuple[Any, Any]:
    """The league.TOP_N best and worst communes as the tables shown (Arrow)."""
    best, worst = league.top_bottom(ranking)
    return tables.shown(best, league.TOP_COLUMNS, lang), tables.shown(
        worst, league.TOP_COLUMNS, lang
    )


def mix_figure(mix: pl.DataFrame, lang: str) -> go.Figure:
    """The procedures received most (drilldown.procedure_mix)."""
    return charts.procedure_mix(mix, lang)


def anomaly_table(found: pl.DataFrame, lang: str) -> Any | None:
    """The anomalies found as the table shown (Arrow); None when there is none."""
    return tables.shown(found, anomalies.COLUMNS, lang) if found.height else None
