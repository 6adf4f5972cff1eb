"""Tổng quan: the city's KPI cards, daily trend and target status of the communes."""

import streamlit as st

from ioc import anomalies, drilldown, index766, kpi, league, overview, ui
from ioc.i18n import fmt_number

# On the DuckLake store the page can be read as it stood at a past import (ioc/history.py).
ui.moment_picker()
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
    text = overview.card_text(card, lang)
    ui.metric_card(
        column,
        text.label,
        text.value,
        delta=text.delta,
        delta_color=text.delta_color,
        help=text.help,
        light=text.light,
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

# Figures and tables are the same for everyone in a scope at a data version: built once, shared
# (ui.shared; the key holds the filters and the language, ui.shared adds the scope and version).
view = (*args, lang)


def ranking():
    return ui.fetch(kpi.commune_ranking, filters.period, filters.province, filters.field)


left, right = st.columns([3, 2])
with left:
    st.subheader(ui.tr("overview.trend"))
    trend = ui.shared(
        "overview.trend",
        view,
        lambda: overview.trend_figure(ui.fetch(overview.daily_trend, *args), cards, lang),
    )
    st.plotly_chart(trend, key="trend_chart")
with right:
    st.subheader(ui.tr("overview.lights"))
    lights = ui.shared("overview.lights", view, lambda: overview.lights_figure(ranking(), lang))
    st.plotly_chart(lights, key="lights_chart")

parts = ui.shared("overview.top_bottom", view, lambda: overview.top_bottom_tables(ranking(), lang))
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
        lambda: overview.mix_figure(ui.fetch(drilldown.procedure_mix, *args), lang),
    )
    st.plotly_chart(mix, key="mix_chart")
with right:
    st.subheader(ui.tr("overview.anomalies"))
    st.caption(ui.tr("overview.anomalies_help"))
    found = ui.shared(
        "overview.anomalies",
        view,
        lambda: overview.anomaly_table(
            ui.fetch(anomalies.anomalies, filters.period.date_to, filters.province), lang
        ),
    )
    if found is not None:
        ui.dataframe(found, hide_index=True, key="anomalies")
    else:
        st.caption(ui.tr("overview.anomalies_none"))
