"""Đăng nhập: the only page offered before sign-in; lists the demo accounts in demo mode."""

from __future__ import annotations

import streamlit as st

from ioc import auth, sessions, ui
from ioc.i18n import fmt_datetime

form_column, _ = st.columns([2, 3])
with form_column:
    st.title(ui.tr("auth.title"))
    notice = st.session_state.pop(auth.NOTICE_KEY, None)
    if notice in ("timeout", "signed_out"):
        st.info(ui.tr(f"auth.notice.{notice}"))
    elif notice is not None:  # ended elsewhere: revoked, expired, account locked (ioc/sessions.py)
        st.info(ui.tr("auth.session.ended"))

    # clear_on_submit: the typed password does not stay in the session's widget state.
    with st.form("sign_in_form", clear_on_submit=True):
        username = st.text_input(ui.tr("auth.username"), max_chars=100, key="sign_in_username")
        password = st.text_input(
            ui.tr("auth.password"), type="password", max_chars=200, key="sign_in_password"
        )
        submitted = st.form_submit_button(ui.tr("auth.submit"), type="primary")

    if submitted:
        if not username.strip() or not password:
            st.error(ui.tr("auth.error.empty"))
        else:
            try:
                with ui.connection() as con:
                    scope = auth.authenticate(con, username, password, source=ui.client_address())
                    # the browser gets a cookie: a reload or a new tab stays signed in (stored
                    # first: on the lake a write the worker cannot make leaves nobody signed in)
                    sessions.begin(st.session_state, con, scope, source=ui.client_address())
                    auth.sign_in_session(st.session_state, scope)
            except auth.AuthError as error:
                if error.reason == "locked":
                    st.error(ui.tr("auth.error.locked", until=fmt_datetime(error.until)))
                else:
                    st.error(ui.tr("auth.error.bad_credentials"))
            else:
                st.rerun()

with ui.connection() as con:
    accounts = auth.demo_accounts(con)
if accounts:
    st.subheader(ui.tr("auth.demo.header"))
    st.caption(ui.tr("auth.demo.caption"))
    st.table(
        {
            ui.tr("auth.username"): [a["username"] for a in accounts],
            ui.tr("auth.password"): [a["password"] for a in accounts],
            ui.tr("auth.demo.role"): [ui.tr(f"role.{a['role']}") for a in accounts],
            ui.tr("auth.demo.commune"): [a["commune_name"] or "" for a in accounts],
        }
    )
