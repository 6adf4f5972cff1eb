"""Chỉ tiêu (admin): targets in force today, a form to add a target, and the full history."""

from __future__ import annotations

import streamlit as st

from ioc import auth, config, targets, ui
from ioc.i18n import fmt_date, fmt_datetime, fmt_pct

lang = ui.lang()
scope = ui.current_scope()
st.title(ui.tr("targets.title"))
ui.page_allowed(__file__)
ui.freshness_caption()

with ui.connection() as con:
    names = auth.communes(con)
    current = targets.in_force(con, config.now().date())
    history = targets.history(con)


def scope_name(code: str) -> str:
    return ui.tr("targets.scope.city") if code == targets.CITY else names.get(code, code)


st.subheader(ui.tr("targets.in_force"))
st.dataframe(
    {
        ui.tr("targets.metric"): [ui.tr(f"kpi.{m}") for m in current["metric"]],
        ui.tr("targets.scope"): [scope_name(s) for s in current["scope"]],
        ui.tr("kpi.target"): [fmt_pct(v, lang) for v in current["target"]],
    },
    hide_index=True,
)

st.subheader(ui.tr("targets.add"))
with st.form("target_form"):
    metric = st.selectbox(
        ui.tr("targets.metric"),
        targets.METRICS,
        format_func=lambda m: ui.tr(f"kpi.{m}"),
        key="target_metric",
    )
    target_scope = st.selectbox(
        ui.tr("targets.scope"),
        [targets.CITY, *names],
        format_func=scope_name,
        key="target_scope",
    )
    value = st.number_input(
        ui.tr("targets.value"), min_value=0.0, max_value=100.0, value=80.0, step=1.0
    )
    effective_from = st.date_input(
        ui.tr("targets.effective_from"), value=config.now().date(), format="DD/MM/YYYY"
    )
    note = st.text_input(ui.tr("targets.note"), max_chars=300, key="target_note")
    submitted = st.form_submit_button(ui.tr("targets.submit"), type="primary")

if submitted:
    try:
        with ui.connection() as con:
            targets.add(
                con, metric, target_scope, value / 100, effective_from, note, scope.username
            )
    except targets.TargetError as error:
        st.error(ui.tr(f"targets.error.{error.reason}", latest=fmt_date(error.latest)))
    else:
        st.success(ui.tr("targets.added"))
        with ui.connection() as con:
            history = targets.history(con)

st.subheader(ui.tr("targets.history"))
st.dataframe(
    {
        ui.tr("targets.metric"): [ui.tr(f"kpi.{m}") for m in history["metric"]],
        ui.tr("targets.scope"): [scope_name(s) for s in history["scope"]],
        ui.tr("kpi.target"): [fmt_pct(v, lang) for v in history["target"]],
        ui.tr("targets.effective_from"): [fmt_date(d) for d in history["effective_from"]],
        ui.tr("targets.effective_to"): [fmt_date(d) for d in history["effective_to"]],
        ui.tr("targets.note"): [n or "" for n in history["note"]],
        ui.tr("targets.created_at"): [fmt_datetime(d) for d in history["created_at"]],
    },
    hide_index=True,
)
