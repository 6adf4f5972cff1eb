"""Tổng quan: the city's KPI cards, daily trend and target status of the communes."""

import streamlit as st

from ioc import anomalies, charts, drilldown, index766, kpi, league, overview, tables, ui
from ioc.i18n import fmt_number, fmt_pct

filters = ui.sidebar_filters()
lang = ui.lang()
# The title says whose figures these are: the city's, or the commune's chosen (a ward chair's own).
st.title(
    ui.tr("overview.title_of", commune=ui.md_text(ui.commune_name(filters.commune)))
    if filters.commune
    else ui.tr("overview.title")
)
ui.page_allowed(__file__)
ui.freshness_caption()

args = (filters.period, filters.province, filters.commune, filters.field)
cards = ui.fetch(overview.kpi_cards, *args)
CARDS_PER_ROW = 4
with st.container(key=ui.CARDS_KEY):
    columns = [
        c for start in range(0, len(cards), CARDS_PER_ROW) for c in st.columns(CARDS_PER_ROW)
    ]
for column, card in zip(columns, cards, strict=False):
    rate = card.kind == "rate"
    value = fmt_pct(card.value, lang) if rate else fmt_number(card.value, lang)
    delta = None
    if card.delta is not None:
        delta = (
            f"{fmt_number(card.delta * 100, lang, 1)} {ui.tr('unit.pp')}"
            if rate
            else fmt_number(card.delta, lang)
        )
        delta = ("+" if card.delta > 0 else "") + delta
    help_text = ui.tr("kpi.vs_previous")
    if card.target is not None:
        light = ui.tr(f"light.{card.light or 'none'}")
        help_text += f" · {ui.tr('kpi.target')} {fmt_pct(card.target, lang, 0)}: {light}"
    ui.metric_card(
        column,
        ui.tr(f"kpi.{card.kpi}"),
        value,
        delta=delta,
        delta_color="inverse" if card.kind == "count_bad" else "normal",
        help=help_text,
        light=card.light,
    )

# The national index (issue 18): the city's, or the chosen commune's, on the 100-point scale.
index_row = (
    ui.fetch(index766.commune_index, filters.period, filters.commune, filters.province)
    if filters.commune
    else ui.fetch(index766.city_index, filters.period, filters.province)
)
card, note = st.columns([1, 3], vertical_alignment="center")
ui.metric_card(
    card,
    ui.tr("index.total") if filters.commune else ui.tr("index.city"),
    index766.total_text(index_row, lang),
    help=ui.tr(
        "index.city_help",
        possible=fmt_number((index_row or {}).get("index_766_possible") or 0.0, lang, 1),
    ),
)
note.caption(index766.coverage_text(index_row, lang))

left, right = st.columns([3, 2])
# Figures and tables are the same for everyone in a scope at a data version: built once, shared
# (ui.shared; the key holds the filters and the language, ui.shared adds the scope and version).
view = (*args, lang)


def ranking():
    return ui.fetch(kpi.commune_ranking, filters.period, filters.province, filters.field)


def trend_figure():
    trend = ui.fetch(overview.daily_trend, *args)
    targets = {c.kpi: c.target for c in cards}
    return charts.rate_trend(trend, "day", ["online_rate", "end_to_end_rate"], targets, lang)


def top_bottom_tables():
    return tuple(
        ui.arrow_table(tables.display(part, league.TOP_COLUMNS, lang))
        for part in league.top_bottom(ranking())
    )


def anomaly_table():
    found = ui.fetch(anomalies.anomalies, filters.period.date_to, filters.province)
    return ui.arrow_table(tables.display(found, anomalies.COLUMNS, lang)) if found.height else None


with left:
    st.subheader(ui.tr("overview.trend"))
    st.plotly_chart(ui.shared("overview.trend", view, trend_figure), key="trend_chart")
with right:
    st.subheader(ui.tr("overview.lights"))
    lights = ui.shared(
        "overview.lights", view, lambda: charts.light_bars(overview.light_counts(ranking()), lang)
    )
    st.plotly_chart(lights, key="lights_chart")

parts = ui.shared("overview.top_bottom", view, top_bottom_tables)
left, right = st.columns(2)
for column, part, title in zip(
    (left, right), parts, ("overview.top", "overview.bottom"), strict=True
):
    column.subheader(ui.tr(title, n=league.TOP_N))
    ui.dataframe(
        part,
        where=column,
        hide_index=True,
        key=f"overview_{title}",
        column_config=ui.pinned(league.TOP_COLUMNS, league.PINNED),
    )

left, right = st.columns([3, 2])
with left:
    st.subheader(ui.tr("overview.mix"))
    mix = ui.shared(
        "overview.mix",
        view,
        lambda: charts.procedure_mix(ui.fetch(drilldown.procedure_mix, *args), lang),
    )
    st.plotly_chart(mix, key="mix_chart")
with right:
    st.subheader(ui.tr("overview.anomalies"))
    st.caption(ui.tr("overview.anomalies_help"))
    found = ui.shared("overview.anomalies", view, anomaly_table)
    if found is not None:
        ui.dataframe(found, hide_index=True, key="anomalies")
    else:
        st.caption(ui.tr("overview.anomalies_none"))
