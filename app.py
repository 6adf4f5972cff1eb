"""Entry point: language switch, the sign-in gate, navigation built for the signed-in role."""

from __future__ import annotations

import streamlit as st

from ioc import audit, auth, config, sessions, ui
from ioc.navigation import PAGES, default_page, pages_for, wall_page
from ioc.scope import Scope

# An emoji favicon is drawn locally; a :material/...: one is fetched from fonts.gstatic.com.
st.set_page_config(page_title="IOC", page_icon="📊", layout="wide")
# Streamlit's default top padding leaves a band of empty space above every title; on a phone the
# KPI cards keep two to a row (ui.PHONE_CSS).
st.html(f"<style>[data-testid='stMainBlockContainer']{{padding-top:2.5rem}}{ui.PHONE_CSS}</style>")

with st.sidebar:
    st.radio(
        ui.tr("app.language"),
        ("vi", "en"),
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        horizontal=True,
        key="lang",
    )


def _timed_out(scope: Scope) -> None:
    with ui.connection() as con:
        audit.record(con, scope.username, audit.SESSION_TIMEOUT, scope.commune_code)


def _sign_out() -> None:
    with ui.connection() as con:
        sessions.sign_out(st.session_state, con, ui.current_scope())


# The gate: before sign-in (or after a timeout) every page's URL runs the sign-in page, so no other
# page can be reached by its URL. Each page's url_path must still be registered: an unknown path on a
# session's first run makes Streamlit show "Page not found" over the sign-in form. The page and query
# parameters asked for are kept and opened once the user has signed in. A browser holding a valid
# session cookie (a reload, a new tab, a wall screen) is signed in from it (ioc/sessions.py).
with ui.connection() as con:
    scope = sessions.resume(st.session_state, con, ui.request_cookies(), on_timeout=_timed_out)
ui.sync_session_cookie()
if scope is None:
    # A production store without any account shows the one-time set-up page instead.
    with ui.connection() as con:
        first_start = auth.needs_setup(con)
    page_file, title_key = (
        ("setup.py", "setup.title") if first_start else ("sign_in.py", "nav.sign_in")
    )
    sign_in_path = str(config.PROJECT_ROOT / "pages" / page_file)
    sign_in = st.Page(
        sign_in_path, title=ui.tr(title_key), icon="🔑", url_path="dang-nhap", default=True
    )
    stand_ins = [
        st.Page(sign_in_path, title=ui.tr(title_key), url_path=spec.url_path) for spec in PAGES
    ]
    asked = st.navigation([sign_in, *stand_ins], position="hidden")
    if asked is not sign_in:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        auth.remember_request(st.session_state, asked.url_path, params)
    ui.run_page(asked)
    st.stop()

wall = sessions.wall_of(st.session_state)
if wall is not None:
    # A wall screen shows its deck on the presentation page and can open nothing else: every
    # page's URL runs the presentation (as the sign-in gate does), with the wall's deck.
    if any(st.query_params.get(k) != v for k, v in wall.query().items()):
        st.query_params.update(wall.query())
    present = str(config.PROJECT_ROOT / wall_page().path)
    shown = st.navigation(
        [
            st.Page(present, title=ui.tr("nav.present"), url_path="tuong", default=True),
            *[st.Page(present, title=ui.tr("nav.present"), url_path=s.url_path) for s in PAGES],
        ],
        position="hidden",
    )
    ui.run_page(shown)
    st.stop()

with st.sidebar:
    st.caption(ui.tr("auth.signed_in_as", user=scope.username, role=ui.tr(f"role.{scope.role}")))
    if scope.commune_code:
        with ui.connection() as con:
            unit = auth.communes(con).get(scope.commune_code, scope.commune_code)
        st.caption(ui.tr("auth.own_commune", commune=unit))
    st.button(ui.tr("auth.sign_out"), on_click=_sign_out, key="sign_out")

sections: dict[str, list] = {}
pages: dict[str, st.Page] = {}
landing = default_page(scope.role)
for spec in pages_for(scope.role):
    page = st.Page(
        str(config.PROJECT_ROOT / spec.path),
        title=ui.tr(spec.title_key),
        icon=spec.icon,
        url_path=spec.url_path,
        default=spec is landing,
    )
    sections.setdefault(ui.tr(spec.group_key), []).append(page)
    pages[spec.url_path] = page

current = st.navigation(sections)
request = auth.take_request(st.session_state)
if request is not None and request[0] in pages:
    url_path, params = request
    if current is not pages[url_path] or params != {k: st.query_params.get_all(k) for k in params}:
        st.switch_page(pages[url_path], query_params=params)
ui.run_page(current)
