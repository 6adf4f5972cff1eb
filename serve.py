"""What `ioc serve` runs: the app (app.py) as a Streamlit st.App, with the routes that set and
clear the session cookie beside it (ioc/session_routes.py). `streamlit run serve.py` finds `app`
and serves it; `streamlit run app.py` still works, without sessions that survive a reload."""

import streamlit as st

from ioc import config, session_routes

app = st.App(str(config.PROJECT_ROOT / "app.py"), routes=session_routes.ROUTES)
