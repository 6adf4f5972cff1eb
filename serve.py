"""What `ioc serve` runs: the app (app.py) as a Streamlit st.App, with beside it the routes that
set and clear the session cookie (ioc/session_routes.py) and the chair's light page (/tom-tat,
ioc/chair_page.py). `streamlit run serve.py` finds `app` and serves it; `streamlit run app.py`
still works, without sessions that survive a reload and without the light page."""

import streamlit as st

from ioc import chair_page, config, session_routes

app = st.App(
    str(config.PROJECT_ROOT / "app.py"), routes=[*session_routes.ROUTES, *chair_page.ROUTES]
)
