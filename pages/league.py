"""Xếp hạng: every commune ranked by the service score, with search, sort, chart and download."""

import streamlit as st

from ioc import audit, exports, kpi, league, quality, ui

# On the DuckLake store the table can be read as it stood at a past import (ioc/history.py).
moment = ui.moment_picker()
filters = ui.sidebar_filters()
lang = ui.lang()
st.title(ui.tr("league.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
st.caption(ui.tr("league.caption"))

# The table, its rows shown, the download and the chart are the same for everyone of a scope at a
# data version with the same search and sort (ui.shared adds the scope and the data version).
period = (filters.period, filters.province, filters.field)


def league_rows(query: str, sort_key: str, descending: bool) -> tuple:
    """(the whole table, the rows shown) at the data version of this run."""
    table = ui.shared("league.table", period, lambda: ui.fetch(league.league_table, *period))
    shown = ui.shared(
        "league.shown",
        (*period, query, sort_key, descending),
        lambda: league.shown_rows(table, query, sort_key, descending),
    )
    return table, shown


left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
query = left.text_input(ui.tr("league.search"), key="league_search")
sort_key = middle.selectbox(
    ui.tr("league.sort"),
    league.SORT_KEYS,
    format_func=lambda c: ui.tr(league.header_keys()[c]),
    key="league_sort",
)
descending = right.toggle(ui.tr("league.descending"), value=sort_key != "rank", key="league_desc")
view = (*period, lang, query, sort_key, descending)
table, shown = league_rows(query, sort_key, descending)

st.caption(
    ui.tr("league.count", shown=shown.height, total=table.height)
    + " · "
    + ui.tr("league.open_hint")
)
# Data-quality score beside the service score (issue 8): a rank built on weak data shows.
display = ui.shared(
    "league.display",
    view,
    lambda: league.display_table(
        shown, ui.fetch(quality.commune_quality_scores, filters.period, filters.province), lang
    ),
)
event = ui.dataframe(
    display,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    key="league_table",
    height=min(600, 38 + 35 * max(shown.height, 1)),
    column_config=ui.pinned(league.TABLE_SPEC, league.PINNED),
)
if event.selection.rows:
    code = shown["commune_code"][event.selection.rows[0]]
    # Keep the period and field of this view: the drill-down reads them from the URL.
    st.switch_page("pages/drilldown.py", query_params=st.query_params.to_dict() | {"commune": code})

st.caption(
    ui.tr("quality.league_note", score=quality.WEAK_SCORE, days=quality.STALE_SOURCE_WORKDAYS)
)
st.caption(ui.tr("league.index_note"))
thin = int(table["thin_data"].sum())
if thin:
    st.caption(ui.tr("league.thin_note", n=thin))
left_out = int((table["groups_left_out"].list.len() > 0).sum())
if left_out:
    st.caption(ui.tr("league.left_out_note", n=left_out))
if moment is not None:
    ui.imports_since_note(moment, filters.commune)

st.download_button(
    ui.tr("league.download"),
    data=ui.shared(
        "league.xlsx",
        view,
        lambda: exports.spec_to_xlsx(shown, league.TABLE_SPEC, lang, ui.tr("league.title")),
    ),
    file_name=f"xep-hang_{filters.period.date_from:%Y%m%d}-{filters.period.date_to:%Y%m%d}"
    + (f"_ban-chup-{moment.version}" if moment else "")
    + ".xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="league_download",
    on_click=ui.audit_event,
    args=(audit.DOWNLOAD, filters.commune, "league.xlsx"),
    icon=":material/download:",
)


@ui.widget_fragment
def chart_section() -> None:
    """The chart: its metric choice reruns only this section (the rows read again at the data
    version of its own run, so a figure is never cached under a newer version than its rows)."""
    _, shown = league_rows(query, sort_key, descending)
    st.subheader(ui.tr("league.chart"))
    metric = (
        st.segmented_control(
            ui.tr("league.chart_metric"),
            league.RATE_COLUMNS,
            default="online_rate",
            format_func=lambda m: ui.tr(f"kpi.{m}"),
            key="league_chart_metric",
        )
        or "online_rate"
    )
    figure = ui.shared(
        "league.chart",
        (*view, metric),
        lambda: league.chart(
            shown, metric, ui.fetch(kpi.targets_in_force, filters.period.date_to), lang
        ),
    )
    st.plotly_chart(figure, key="league_chart")


chart_section()
