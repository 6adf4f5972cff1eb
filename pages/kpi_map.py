"""Bản đồ chỉ số: any KPI of the allowlist as a choropleth over the commune cells (no basemap),
the figures in the hover, a click opening the commune's drill-down, and a legend."""

import streamlit as st

from ioc import kpi_map, navigation, ui
from ioc.i18n import fmt_date

DRILL_DOWN = "pages/drilldown.py"

filters = ui.sidebar_filters()
lang = ui.lang()
st.title(ui.tr("kpi_map.title"))
ui.page_allowed(__file__)
ui.freshness_caption()


@ui.widget_fragment
def map_section() -> None:
    """The metric choice and its map: choosing another metric reruns only this section."""
    metric = st.selectbox(
        ui.tr("kpi_map.metric"),
        kpi_map.METRICS,
        format_func=lambda m: ui.tr(f"kpi.{m}"),
        key="kpi_map_metric",
    )
    # the same for everyone of a scope at a data version (ui.shared adds the scope and version)
    view = (filters.period, filters.province, filters.field, metric, filters.commune, lang)
    shown = ui.shared(
        "kpi_map.view",
        view,
        lambda: kpi_map.map_view(
            ui.fetch(
                kpi_map.map_features,
                filters.period,
                metric,
                filters.province,
                filters.field,
                lang,
            ),
            filters.commune,
            lang,
        ),
    )
    st.caption(
        ui.tr(
            "kpi_map.caption",
            metric=ui.tr(f"kpi.{metric}"),
            date_from=fmt_date(filters.period.date_from),
            date_to=fmt_date(filters.period.date_to),
        )
    )
    if shown.deck is None:
        st.info(ui.tr("kpi_map.no_cells"))
        return

    drill = navigation.may_open(ui.current_scope().role, DRILL_DOWN)
    map_col, legend_col = st.columns([4, 1])
    with map_col:
        st.caption(ui.tr("kpi_map.hint" if drill else "kpi_map.hint_no_drill"))
        event = st.pydeck_chart(
            shown.deck,
            height=kpi_map.MAP_HEIGHT_PX,
            on_select="rerun",
            selection_mode="single-object",
            key="kpi_map_deck",
        )
    with legend_col:
        st.markdown(f"**{ui.tr('kpi_map.legend')}**")
        st.markdown(shown.legend_html, unsafe_allow_html=True)
        if drill and filters.commune is not None:
            st.page_link(
                DRILL_DOWN,
                label=ui.tr("kpi_map.open"),
                query_params=st.query_params.to_dict(),
                icon=":material/arrow_forward:",
            )

    picked = kpi_map.picked_commune(event) if drill else None
    if picked is not None:
        # Keep the period and field of this view: the drill-down reads them from the URL.
        st.switch_page(DRILL_DOWN, query_params=st.query_params.to_dict() | {"commune": picked})


map_section()
