"""Thời gian thực: today's hourly flow against the usual, backlog, overdue and due-soon dossiers.

The body is a fragment re-run every 60 s, so the figures refresh without reloading the page.
"""

import streamlit as st

from ioc import audit, charts, config, drilldown, live, tables, ui
from ioc.i18n import fmt_number
from ioc.scope import ScopeError

filters = ui.sidebar_filters()
lang = ui.lang()
st.title(ui.title_of("live.title", filters.commune))
ui.page_allowed(__file__)


@st.fragment(run_every=60)
@ui.session_fragment
def live_body() -> None:
    now = config.now()
    ui.freshness_caption()
    st.caption(ui.tr("live.refreshed", at=now.strftime("%H:%M:%S")))
    # figures of the minute, the same for everyone of a scope at a data version: built once
    args = (live.minute(now), filters.province, filters.commune)
    view = (*args, lang)
    total = ui.shared("live.totals", view, lambda: ui.fetch(live.totals, *args))
    cards = ("received", "resolved", "open_at_end", "open_overdue", "open_due_soon")
    with st.container(key=ui.CARDS_KEY):
        columns = st.columns(len(cards))
    for column, name in zip(columns, cards, strict=True):
        column.metric(ui.tr(f"live.card.{name}"), fmt_number(total[name], lang), border=True)

    st.subheader(ui.tr("live.hourly"))
    hourly = ui.shared(
        "live.hourly", view, lambda: charts.hourly_flow(ui.fetch(live.hourly, *args), lang)
    )
    st.plotly_chart(hourly, key="live_hourly")

    left, right = st.columns(2)
    for column, grain in ((left, "commune"), (right, "procedure")):
        with column:
            st.subheader(ui.tr(f"live.by_{grain}"))
            table = ui.shared(
                f"live.by_{grain}",
                view,
                lambda grain=grain: tables.shown(
                    ui.fetch(live.open_by, args[0], grain, *args[1:]), live.BY_COLUMNS, lang
                ),
            )
            ui.dataframe(table, hide_index=True, key=f"live_by_{grain}", height=300)

    st.subheader(ui.tr("live.dossiers"))
    try:
        dossiers = ui.fetch(
            drilldown.overdue_dossiers,
            ui.current_scope(),
            args[0],
            filters.commune,
            filters.province,
        )
    except ScopeError:
        return
    shown = tables.display(dossiers, drilldown.DOSSIER_COLUMNS, lang)
    st.dataframe(shown, hide_index=True, key="live_dossiers")
    commune = ui.current_scope().dossier_commune(filters.commune)
    ui.audit_event(audit.VIEW_DOSSIERS, commune, "live")
    ui.dossier_download(shown, "ho-so-qua-han", commune, "live_dossiers_download")


live_body()
