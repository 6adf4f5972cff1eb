"""Xã/phường: the chair's first screen (rank, score against the city median, targets with the
dossiers still missing, open work, what to fix first, a share card), then the commune against its
targets, its neighbours in the ranking, its trend against the city median, its procedures, what
would lift its score (and its citizens' satisfaction) most and whether it will make it, and the
citizen's voice: the procedures drawing most dissatisfaction, the masked comments behind them and
the feedback topics that grow (issue 18)."""

import functools

import streamlit as st

from ioc import audit, capacity_ui, chair_page, charts, drilldown, index766, tables, ui, voice
from ioc.i18n import fmt_date, fmt_kpi, fmt_pct
from ioc.scope import ScopeError

ui.page_allowed(__file__)
filters = ui.sidebar_filters()
lang = ui.lang()
period = filters.period
if filters.commune is None:
    st.title(ui.tr("commune.title"))
    st.info(ui.tr("commune.pick"))
    st.stop()

row = ui.fetch(drilldown.commune_row, period, filters.commune, filters.province)
targets = ui.fetch(drilldown.targets_for, filters.commune, period.date_to)
st.title(ui.md_text(row["commune_name"]))
ui.freshness_caption()

# The chair's first screen (issue 23): one phone screen, each item a link to its section below.
summary = ui.fetch(drilldown.chair_summary, period, filters.commune, filters.province)
todo = ui.commune_actions(filters.commune)  # issue 16: what meetings asked of the commune
st.html(drilldown.chair_html(summary, drilldown.change_basis(period), lang, todo))
card_name = f"the-{filters.commune}-{period.date_to:%Y%m%d}.png"
st.download_button(
    ui.tr("chair.share"),
    # drawn when tapped (about 0.15 s), not on every run of the page
    data=functools.partial(drilldown.share_card_png, summary, period, ui.data_time(), lang),
    file_name=card_name,
    mime="image/png",
    key="chair_card_png",
    on_click=ui.audit_event,
    args=(audit.DOWNLOAD, filters.commune, card_name),
    icon=":material/share:",
)
st.caption(ui.tr("chair.gap_help"))
st.caption(ui.tr("quick.link", url=chair_page.light_link(filters.commune)))

st.subheader(ui.tr("commune.all_kpis"))
CARDS_PER_ROW = 4
kpis = drilldown.CARD_KPIS
with st.container(key=ui.CARDS_KEY):
    for start in range(0, len(kpis), CARDS_PER_ROW):
        for column, name in zip(
            st.columns(CARDS_PER_ROW), kpis[start : start + CARDS_PER_ROW], strict=False
        ):
            target = targets.get(name)
            goal = f"{ui.tr('kpi.target')} {fmt_pct(target, lang, 0)}" if target else None
            light = drilldown.light_of(row, name, targets)
            ui.metric_card(
                column,
                ui.tr(f"kpi.{name}"),
                fmt_kpi(name, row[name], lang),
                help=goal,
                light=light,
                badge=f"{goal}: {ui.tr(f'light.{light}')}" if light else None,
            )

# The national index (issue 18): every indicator of the 100 points, none rescaled away.
st.subheader(ui.tr("index.title"), anchor=index766.ANCHOR)
st.caption(ui.tr("index.caption"))
index_row = ui.fetch(index766.commune_index, period, filters.commune, filters.province)
total, groups = st.columns([1, 3])
ui.metric_card(total, ui.tr("index.total"), index766.total_text(index_row, lang))
groups.markdown("\n".join(f"- {line}" for line in index766.group_lines(index_row, lang)))
st.caption(index766.coverage_text(index_row, lang))
st.table(index766.indicator_table(index_row, lang), hide_index=True)
st.markdown(f"**{ui.tr('index.compare')}**")
st.table(index766.comparisons(row, index_row, lang), hide_index=True)

# The tables and figures below are the same for everyone of a scope at a data version: built
# once, shared (ui.shared adds the scope and the data version to this key).
view = (period, filters.province, filters.commune, filters.field, lang)
of_commune = (period, filters.commune, filters.province)


def shared_table(name: str, func, spec, *args) -> object:
    """The shared table of ui.fetch(func, *args) as shown (tables.shown: Arrow)."""
    return ui.shared(name, view, lambda: tables.shown(ui.fetch(func, *args), spec, lang))


left, right = st.columns([2, 3])
with left:
    st.subheader(ui.tr("commune.neighbours"), anchor=drilldown.ANCHORS["rank"])
    near = shared_table(
        "drilldown.neighbours", drilldown.neighbours, drilldown.NEIGHBOUR_COLUMNS, *of_commune
    )
    ui.dataframe(near, hide_index=True, key="commune_neighbours")
with right:
    st.subheader(ui.tr("commune.trend"))
    trend = ui.shared(
        "drilldown.trend",
        view,
        lambda: charts.trend_vs_median(
            ui.fetch(drilldown.trend_vs_city, period.date_to, filters.commune, filters.province),
            "week_end",
            ["online_rate", "end_to_end_rate"],
            targets,
            lang,
        ),
    )
    st.plotly_chart(trend, key="commune_trend")

st.subheader(ui.tr("commune.lift"), anchor=drilldown.ANCHORS["lift"])
st.caption(ui.tr("commune.lift_help"))
lift = shared_table("drilldown.lift", drilldown.score_lift, drilldown.LIFT_COLUMNS, *of_commune)
if lift.num_rows:
    ui.dataframe(lift, hide_index=True, key="commune_lift")
else:
    st.caption(ui.tr("commune.lift_none"))
st.markdown(f"**{ui.tr('voice.lift')}**")
st.caption(ui.tr("voice.lift_help"))
voice_lift = shared_table(
    "drilldown.voice_lift", voice.satisfaction_lift, voice.LIFT_COLUMNS, *of_commune
)
if voice_lift.num_rows:
    ui.dataframe(voice_lift, hide_index=True, key="voice_lift")
else:
    st.caption(ui.tr("voice.lift_none"))

st.subheader(ui.tr("commune.forecast"), anchor=drilldown.ANCHORS["rates"])
for item in ui.fetch(drilldown.will_we_make_it, period.date_to, filters.commune, filters.province):
    now = fmt_pct(item.current, lang)
    goal = fmt_pct(item.target, lang, 0)
    if item.status == "on_track":
        verdict = ui.tr("commune.forecast.on_track", date=fmt_date(item.reach_date, lang))
    else:
        verdict = ui.tr(f"commune.forecast.{item.status}")
    st.markdown(
        f"**{ui.tr(f'kpi.{item.metric}')}** — {ui.tr('commune.forecast.now', now=now, goal=goal)}"
        f" → {verdict}"
    )

st.subheader(ui.tr("commune.procedures"))
procedures = shared_table(
    "drilldown.procedures",
    drilldown.procedure_table,
    drilldown.PROCEDURE_COLUMNS,
    period,
    filters.province,
    filters.commune,
    filters.field,
)
ui.dataframe(procedures, hide_index=True, key="commune_procedures")

st.subheader(ui.tr("commune.overdue"), anchor=drilldown.ANCHORS["open"])
try:
    overdue = ui.fetch(
        drilldown.overdue_dossiers,
        ui.current_scope(),
        period.as_of,
        filters.commune,
        filters.province,
    )
except ScopeError:
    overdue = None
if overdue is not None:
    shown = tables.display(overdue, drilldown.DOSSIER_COLUMNS, lang)
    st.dataframe(shown, hide_index=True, key="commune_overdue")
    ui.audit_event(audit.VIEW_DOSSIERS, filters.commune, "commune")
    ui.dossier_download(shown, "ho-so-qua-han", filters.commune, "commune_overdue_download")

st.subheader(ui.tr("voice.title"), anchor=drilldown.ANCHORS["voice"])
st.caption(ui.tr("voice.help"))
worst = shared_table(
    "drilldown.voice_worst", voice.dissatisfaction, voice.PROCEDURE_COLUMNS, *of_commune
)
st.markdown(f"**{ui.tr('voice.procedures')}**")
if worst.num_rows:
    ui.dataframe(worst, hide_index=True, key="voice_worst")
else:
    st.caption(ui.tr("voice.procedures_none"))
st.markdown(f"**{ui.tr('voice.comments')}**")
try:
    said = ui.fetch(voice.comments, ui.current_scope(), period, filters.commune, filters.province)
except ScopeError:
    st.caption(ui.tr("voice.comments_hidden"))
else:
    if said.height:
        shown = voice.comments_table(said, lang)
        st.dataframe(shown, hide_index=True, key="voice_comments")
        ui.audit_event(audit.VIEW_DOSSIERS, filters.commune, "voice_comments")
    else:
        st.caption(ui.tr("voice.comments_none"))
st.markdown(f"**{ui.tr('voice.topics')}**")
st.caption(ui.tr("voice.topics_help"))
topics = ui.fetch(voice.growing_topics, period, filters.commune, filters.province)
if topics.height:
    st.dataframe(voice.topics_table(topics, lang), hide_index=True, key="voice_topics")
else:
    st.caption(ui.tr("voice.topics_none"))

ui.commune_actions_section(todo, drilldown.ANCHORS["actions"])

capacity_ui.commune_section(filters)
