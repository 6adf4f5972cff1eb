"""Màn hình tường (admin): issue a link for an unattended wall display showing the presentation
(presenter scope: aggregates only), list the wall screens, revoke one (ioc/sessions.py)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import streamlit as st

from ioc import config, sessions, tables, ui, writes
from ioc import presentation as pres

lang = ui.lang()
scope = ui.current_scope()
st.title(ui.tr("wall.title"))
ui.page_allowed(__file__)
st.caption(ui.tr("wall.caption"))

names = dict(ui.fetch(pres.commune_codes, config.DEFAULT_PROVINCE))

st.subheader(ui.tr("wall.issue"))
with st.form("wall_form"):
    label = st.text_input(ui.tr("wall.label"), max_chars=80, key="wall_label")
    kinds = st.multiselect(
        ui.tr("present.slides"),
        [k for k in pres.KINDS if k != "commune"],
        default=list(pres.DEFAULT_SLIDES),
        format_func=lambda k: ui.tr(f"present.slide.{k}"),
        key="wall_kinds",
    )
    picked = st.multiselect(
        ui.tr("present.communes"),
        list(names),
        format_func=lambda c: names.get(c, c),
        placeholder=ui.tr("wall.no_communes"),
        key="wall_communes",
    )
    cols = st.columns(4)
    theme = cols[0].selectbox(
        ui.tr("present.theme"),
        pres.THEMES,
        format_func=lambda x: ui.tr(f"present.theme.{x}"),
        key="wall_theme",
    )
    period = cols[1].selectbox(
        ui.tr("filter.period"),
        pres.PERIOD_PRESETS,
        format_func=lambda p: ui.tr(f"present.period.{p}"),
        key="wall_period",
    )
    auto = cols[2].number_input(
        ui.tr("wall.auto"), sessions.WALL_AUTO_MIN, pres.AUTO_MAX_SECONDS, 30, step=5
    )
    days = cols[3].number_input(
        ui.tr("wall.days"), 1, sessions.WALL_DAYS_MAX, sessions.WALL_DAYS_DEFAULT
    )
    submitted = st.form_submit_button(ui.tr("wall.submit"), type="primary")

if submitted:
    refs = [pres.SlideRef(k) for k in kinds] + [pres.SlideRef("commune", c) for c in picked]
    if not label.strip():
        st.error(ui.tr("wall.error.label"))
    elif not refs:
        st.error(ui.tr("wall.error.slides"))
    else:
        deck = sessions.Wall("", "", pres.slides_param(refs), theme, int(auto), period)
        with ui.connection() as con:
            wall_id, token = sessions.issue_wall(con, scope.username, label, deck, int(days))
        parts = urlsplit(st.context.url or "")
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        st.success(ui.tr("wall.issued", id=wall_id))
        st.code(f"{origin}/auth/wall?token={quote(token)}", language=None)


def _revoke() -> None:
    wall_id = st.session_state.get("wall_revoke_pick")
    try:
        with ui.connection() as con:
            if wall_id and sessions.revoke_wall(con, wall_id, scope.username):
                st.toast(ui.tr("wall.revoked", id=wall_id))
    except writes.WritesUnavailable:  # a callback is not under ui._shielded: said here
        st.toast(ui.tr(writes.WritesUnavailable.KEY))


st.subheader(ui.tr("wall.list"))
with ui.connection() as con:
    walls = sessions.list_walls(con)
if walls.is_empty():
    st.caption(ui.tr("wall.none"))
else:
    st.dataframe(tables.display(walls, sessions.WALL_COLUMNS, lang), hide_index=True)
    active = walls.filter(walls["state"] == "active")
    if not active.is_empty():
        labels = dict(zip(active["wall_id"], active["label"], strict=True))
        st.selectbox(
            ui.tr("wall.revoke_which"),
            list(labels),
            format_func=lambda w: f"{labels[w]} ({w})",
            key="wall_revoke_pick",
        )
        st.button(ui.tr("wall.revoke"), on_click=_revoke, key="wall_revoke")
