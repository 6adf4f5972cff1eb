"""Nhật ký truy cập (admin): read and filter the audit log; download it as CSV."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from ioc import audit, auth, ui
from ioc.i18n import fmt_datetime, fmt_number

lang = ui.lang()
st.title(ui.tr("audit.title"))
ui.page_allowed(__file__)
ui.freshness_caption()

with ui.connection() as con:
    names = auth.communes(con)

today = audit.wall_clock().date()
cols = st.columns(4)
picked = cols[0].date_input(
    ui.tr("audit.date_range"),
    value=(today - timedelta(days=6), today),
    max_value=today,
    format="DD/MM/YYYY",
    key="audit_dates",
)
start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (today, today)
user = cols[1].text_input(ui.tr("audit.user"), max_chars=100, key="audit_user")
action = cols[2].selectbox(
    ui.tr("audit.action"),
    [None, *audit.ACTIONS],
    format_func=lambda a: ui.tr("audit.action.all") if a is None else ui.tr(f"audit.action.{a}"),
    key="audit_action",
)
commune = cols[3].selectbox(
    ui.tr("audit.commune"),
    [None, *names],
    format_func=lambda c: ui.tr("audit.commune.all") if c is None else names.get(c, c),
    key="audit_commune",
)

with ui.connection() as con:
    log = audit.read(con, start, end, user, action, commune)

st.caption(ui.tr("audit.count", n=fmt_number(log.height, lang)))
st.dataframe(
    {
        ui.tr("audit.when"): [fmt_datetime(v) for v in log["logged_at"]],
        ui.tr("auth.username"): [u or "" for u in log["username"]],
        ui.tr("audit.action"): [ui.tr(f"audit.action.{a}") for a in log["action"]],
        ui.tr("audit.commune"): [
            n or c or "" for n, c in zip(log["commune_name"], log["commune_code"], strict=True)
        ],
        ui.tr("audit.detail"): [d or "" for d in log["detail"]],
    },
    hide_index=True,
)
st.download_button(
    ui.tr("audit.download"),
    audit.to_csv(log),
    file_name=f"nhat-ky-{start.isoformat()}-{end.isoformat()}.csv",
    mime="text/csv",
    on_click=ui.audit_event,
    args=(audit.DOWNLOAD, None, "audit_log.csv"),
    key="audit_download",
)
