"""Thiết lập lần đầu: the one-time page of a production store without any account, where the
first administrator is created with the token printed on the server console."""

from __future__ import annotations

import streamlit as st

from ioc import auth, reference, sessions, store, ui
from ioc.i18n import fmt_number

form_column, _ = st.columns([2, 3])
with form_column:
    st.title(ui.tr("setup.title"))
    st.info(ui.tr("setup.intro"))
    with ui.connection() as con:
        counts = store.run_query(con, reference.COUNTS_QUERY).row(0, named=True)
    st.caption(ui.tr("setup.reference", **{k: fmt_number(v, ui.lang()) for k, v in counts.items()}))

    with st.form("setup_form", clear_on_submit=True):
        token = st.text_input(ui.tr("setup.token"), type="password", key="setup_token")
        username = st.text_input(ui.tr("auth.username"), max_chars=40, key="setup_username")
        password = st.text_input(
            ui.tr("auth.password"), type="password", max_chars=200, key="setup_password"
        )
        again = st.text_input(
            ui.tr("setup.password_again"), type="password", max_chars=200, key="setup_again"
        )
        submitted = st.form_submit_button(ui.tr("setup.submit"), type="primary")

    if submitted:
        if password != again:
            st.error(ui.tr("auth.error.passwords_differ"))
        else:
            try:
                with ui.connection() as con:
                    scope = auth.create_first_admin(con, token, username, password)
            except auth.AuthError as error:
                st.error(ui.tr(f"auth.error.{error.reason}"))
            else:
                with ui.connection() as con:
                    sessions.begin(st.session_state, con, scope, source=ui.client_address())
                auth.sign_in_session(st.session_state, scope)
                st.rerun()
