"""Entry point: language switch, navigation built for the signed-in role, shared sidebar."""

from __future__ import annotations

import streamlit as st

from ioc import config, ui
from ioc.navigation import pages_for

st.set_page_config(page_title="IOC", page_icon=":material/monitoring:", layout="wide")

with st.sidebar:
    st.radio(
        ui.tr("app.language"),
        ("vi", "en"),
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        horizontal=True,
        key="lang",
    )

scope = ui.current_scope()
sections: dict[str, list] = {}
for spec in pages_for(scope.role):
    page = st.Page(
        str(config.PROJECT_ROOT / spec.path),
        title=ui.tr(spec.title_key),
        icon=spec.icon,
        url_path=spec.url_path,
        default=spec.default,
    )
    sections.setdefault(ui.tr(spec.group_key), []).append(page)

st.navigation(sections).run()
