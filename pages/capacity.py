"""Năng lực xử lý (issue 19): load per officer by commune, the officers carrying the most, the
queue ahead of each commune, where more officers would help most, and the secondments made."""

import streamlit as st

from ioc import capacity, capacity_ui, tables, ui

filters = ui.sidebar_filters()
lang = ui.lang()
st.title(ui.tr("capacity.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
st.caption(ui.tr("capacity.caption"))

st.subheader(ui.tr("capacity.league"))
load = ui.fetch(capacity.commune_workload, filters.period, filters.province, None)
st.dataframe(
    tables.display(load, capacity_ui.COMMUNE_SPEC, lang),
    hide_index=True,
    key="capacity_league",
    height=360,
)
capacity_ui.download(load, capacity_ui.COMMUNE_SPEC, "tai-can-bo", "capacity_league_xlsx", None)

st.subheader(ui.tr("capacity.officers_title"))
capacity_ui.officer_table(filters, filters.commune, "capacity_officers")

st.subheader(ui.tr("capacity.projection_title"))
capacity_ui.model_note()
projection = capacity_ui.with_verdicts(
    ui.fetch(capacity.project, capacity_ui.as_of(), filters.province, None), lang
)
late = projection.filter(projection["verdict"] == "late")
st.markdown(ui.tr("capacity.late_count", late=late.height, total=projection.height))
capacity_ui.projection_map(projection, filters)
st.dataframe(
    tables.display(projection, capacity_ui.PROJECTION_SPEC, lang),
    hide_index=True,
    key="capacity_projection",
    height=360,
)
capacity_ui.download(
    projection, capacity_ui.PROJECTION_SPEC, "du-bao-hang-doi", "capacity_projection_xlsx", None
)

st.subheader(ui.tr("capacity.allocate_title"))
left, right = st.columns(2)
officers = left.number_input(ui.tr("capacity.officers_to_send"), 1, 200, 10, key="capacity_n")
weeks = right.number_input(ui.tr("capacity.weeks"), 1, 26, 4, key="capacity_weeks")
st.caption(ui.tr("capacity.assumptions", window=capacity.WINDOW))
plan = ui.fetch(capacity.allocate, capacity_ui.as_of(), filters.province, int(officers), int(weeks))
if plan.is_empty():
    st.caption(ui.tr("capacity.allocate_none"))
else:
    st.dataframe(
        tables.display(plan, capacity_ui.ALLOCATION_SPEC, lang),
        hide_index=True,
        key="capacity_plan",
    )
    capacity_ui.download(
        plan, capacity_ui.ALLOCATION_SPEC, "phuong-an-dieu-dong", "capacity_plan_xlsx", None
    )
capacity_ui.secondment_form(filters)

st.subheader(ui.tr("capacity.effects_title"))
effects = ui.fetch(capacity.secondment_effects, capacity_ui.as_of(), filters.province, None)
if effects.is_empty():
    st.caption(ui.tr("capacity.no_secondments"))
else:
    st.dataframe(
        tables.display(effects, capacity_ui.EFFECT_SPEC, lang),
        hide_index=True,
        key="capacity_effects",
    )
