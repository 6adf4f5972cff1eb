"""Chất lượng dữ liệu: đúng, đủ, sạch, sống, dùng chung per commune and per source file."""

import streamlit as st

from ioc import config, quality, ui
from ioc.i18n import fmt_datetime, fmt_number, fmt_pct
from ioc.scope import ScopeError

filters = ui.sidebar_filters()
lang = ui.lang()
scope = ui.current_scope()
st.title(ui.tr("quality.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
st.caption(ui.tr("quality.intro"))

try:
    own = quality.held_commune(scope)
    # the rows themselves shared too: a cached call hands every view its own copy (issue 21)
    communes = ui.shared(
        "quality.commune_rows",
        (filters.period, filters.province),
        lambda: ui.fetch(quality.commune_quality, filters.period, filters.province, scope),
    )
except ScopeError:
    st.warning(ui.tr("auth.no_access"))
    st.stop()
chosen = own or filters.commune
view = (filters.period, filters.province, lang)  # ui.shared adds the scope and data version
city = ui.shared("quality.city", view, lambda: quality.city_quality(communes))
totals = ui.fetch(quality.store_totals)

top = st.columns([1, 1, 1, 1.35])  # the last card holds a date and time
top[0].metric(ui.tr("quality.score"), fmt_number(city["quality_score"], lang, 1), border=True)
top[1].metric(ui.tr("quality.store_dossiers"), fmt_number(totals["dossiers"], lang), border=True)
top[2].metric(
    ui.tr("quality.quarantined"), fmt_number(totals["quarantined_rows"], lang), border=True
)
top[3].metric(ui.tr("quality.last_import"), fmt_datetime(totals["last_import_at"]), border=True)

focus = communes.filter(communes["commune_code"] == chosen) if chosen else None
figures = quality.city_quality(focus) if focus is not None and focus.height else city
if focus is not None and focus.height:
    st.subheader(ui.md_text(focus["commune_name"][0]))
cards = st.columns(len(quality.CRITERIA))
for column, criterion in zip(cards, quality.CRITERIA, strict=True):
    column.metric(
        ui.tr(f"quality.{criterion}"),
        fmt_pct(figures[criterion], lang),
        help=ui.tr(f"quality.def.{criterion}"),
        border=True,
    )

with st.expander(ui.tr("quality.definitions")):
    for criterion in quality.CRITERIA:
        st.markdown(f"**{ui.tr(f'quality.{criterion}')}**: {ui.tr(f'quality.def.{criterion}')}")
    st.markdown(f"**{ui.tr('quality.score')}**: {ui.tr('quality.def.score')}")

st.subheader(ui.tr("quality.no_due.title"))
st.markdown(
    ui.tr(
        "quality.no_due.text",
        count=fmt_number(figures["resolved_no_due_date"], lang),
        official=fmt_pct(figures["on_time_rate"], lang),
        without=fmt_pct(figures["on_time_rate_with_due_date"], lang),
        diff=fmt_pct(figures["on_time_flattery"], lang).rstrip("%"),
    )
)

st.subheader(ui.tr("quality.by_commune"))
ui.dataframe(
    ui.shared("quality.communes", view, lambda: quality.commune_table(communes, lang)),
    hide_index=True,
    key="commune_table",
)

st.subheader(ui.tr("quality.live.title"))
left, right = st.columns(2)
with left:
    st.markdown(f"**{ui.tr('quality.silent_today')}**")
    now = config.now()
    silent = ui.shared(
        "quality.silent",
        (*view, now.date(), now.time() >= quality.OFFICE_OPENS),
        lambda: quality.silent_table(communes, filters.period, now, lang),
    )
    if silent is None:
        st.caption(ui.tr("quality.silent_na"))
    elif silent.num_rows == 0:
        st.caption(ui.tr("quality.none"))
    else:
        ui.dataframe(silent, hide_index=True, key="silent_table")
if own is None:
    sources = ui.shared(
        "quality.source_rows",
        (filters.period, filters.province),
        lambda: ui.fetch(quality.source_quality, filters.period, filters.province),
    )
    with right:
        st.markdown(f"**{ui.tr('quality.stale_sources')}**")
        st.caption(ui.tr("quality.stale_sources.def", days=quality.STALE_SOURCE_WORKDAYS))
        stale = ui.shared("quality.stale", view, lambda: quality.stale_table(sources, lang))
        if stale.num_rows == 0:
            st.caption(ui.tr("quality.none"))
        else:
            ui.dataframe(
                stale,
                hide_index=True,
                key="stale_table",
            )

    st.subheader(ui.tr("quality.by_source"))
    ui.dataframe(
        ui.shared("quality.sources", view, lambda: quality.source_table(sources, lang)),
        hide_index=True,
        key="source_table",
    )

    st.subheader(ui.tr("quality.clean.title"))
    to_map, reason_rows = ui.shared(
        "quality.reasons",
        view,
        lambda: quality.reason_figures(ui.fetch(quality.quarantine_reasons), lang),
    )
    st.markdown(ui.tr("quality.names_to_map", count=fmt_number(to_map, lang)))
    st.markdown(f"**{ui.tr('quality.quarantine_reasons')}**")
    ui.dataframe(
        reason_rows,
        hide_index=True,
        key="reason_table",
    )
    st.markdown(f"**{ui.tr('quality.unmapped_procedures')}**")
    ui.dataframe(
        ui.shared(
            "quality.procedures",
            view,
            lambda: quality.procedure_table(ui.fetch(quality.unmapped_procedures), lang),
        ),
        hide_index=True,
        key="procedure_table",
    )
