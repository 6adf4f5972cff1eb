"""The capacity screens (issue 19): the sections pages/capacity.py lays out for city leaders, and
the one the commune page shows a ward chair (`commune_section`). Figures come from ioc/capacity.py
through ui.fetch; this module only shows them."""

from __future__ import annotations

from datetime import datetime, timedelta

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ioc import audit, capacity, config, exports, tables, ui
from ioc.i18n import fmt_date, fmt_number
from ioc.scope import CITY_LEADER, ScopeError

COMMUNE_SPEC = {
    "commune_name": ("filter.commune", "text"),
    "officers": ("capacity.officers", "num"),
    "officer_days": ("capacity.officer_days", "num"),
    "received_per_officer_day": ("capacity.received_per_officer_day", "num"),
    "steps_per_officer_day": ("capacity.steps_per_officer_day", "num"),
    "open_per_officer": ("capacity.open_per_officer", "num"),
    "overdue_share": ("capacity.overdue_share", "pct"),
}
OFFICER_SPEC = {
    "commune_name": ("filter.commune", "text"),
    "officer_id": ("capacity.officer_id", "text"),
    "officer_masked": ("capacity.officer_name", "text"),
    "desk": ("capacity.desk", "text"),
    "seconded_from": ("capacity.seconded_from", "text"),
    "officer_days": ("capacity.officer_days", "num"),
    "received_per_day": ("capacity.received_per_officer_day", "num"),
    "steps_per_day": ("capacity.steps_per_officer_day", "num"),
    "open": ("capacity.open", "int"),
    "overdue_share": ("capacity.overdue_share", "pct"),
}
PROJECTION_SPEC = {
    "commune_name": ("filter.commune", "text"),
    "verdict_text": ("capacity.verdict", "text"),
    "received_per_day": ("capacity.received_per_day", "num"),
    "resolved_per_day": ("capacity.resolved_per_day", "num"),
    "officers": ("capacity.officers", "num"),
    "open_now": ("capacity.open_now", "int"),
    "overdue_now": ("capacity.overdue_now", "int"),
    "overdue_end": ("capacity.overdue_end", "int"),
}
ALLOCATION_SPEC = {
    "commune_name": ("filter.commune", "text"),
    "officers": ("capacity.officers_sent", "int"),
    "overdue_before": ("capacity.overdue_before", "int"),
    "overdue_after": ("capacity.overdue_after", "int"),
    "on_time_before": ("capacity.on_time_before", "pct"),
    "on_time_after": ("capacity.on_time_after", "pct"),
}
EFFECT_SPEC = {
    "commune_name": ("filter.commune", "text"),
    "officers": ("capacity.officers_sent", "int"),
    "from_date": ("capacity.from_date", "date"),
    "to_date": ("capacity.to_date", "date"),
    "resolved_per_day_before": ("capacity.resolved_before", "num"),
    "resolved_per_day_after": ("capacity.resolved_after", "num"),
    "on_time_before": ("capacity.on_time_before", "pct"),
    "on_time_after": ("capacity.on_time_after", "pct"),
    "overdue_before": ("capacity.overdue_at_start", "int"),
    "overdue_after": ("capacity.overdue_since", "int"),
}


def as_of() -> datetime:
    """Now, to the minute (the projection's figures are cached a minute)."""
    return config.now().replace(second=0, microsecond=0, tzinfo=None)


def verdict_text(row: dict, lang: str) -> str:
    """'Hết quá hạn từ dd/mm/yyyy' / 'Không kịp — thiếu N ngày công' / 'Không có hồ sơ quá hạn'."""
    from ioc.i18n import t

    if row["verdict"] == "clear":
        return t("capacity.verdict.clear", lang)
    if row["verdict"] == "clears":
        return t("capacity.verdict.clears", lang, date=fmt_date(row["clear_date"], lang))
    missing = row["officer_days_missing"]
    if missing is None:
        return t("capacity.verdict.late_no_roster", lang)
    return t("capacity.verdict.late", lang, days=fmt_number(missing, lang, 1))


def with_verdicts(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.Series("verdict_text", [verdict_text(r, lang) for r in frame.to_dicts()], pl.String)
    )


def model_note() -> None:
    """The projection's model, on screen (docs/capacity.md)."""
    st.caption(ui.tr("capacity.model", window=capacity.WINDOW, horizon=capacity.HORIZON))


def projection_chart(row: dict, days: list, lang: str) -> go.Figure:
    """Open and overdue over the coming working days of one commune."""
    labels = [fmt_date(d, lang)[:5] for d in days]
    figure = go.Figure()
    for column, key, colour in (
        ("open", "capacity.open", "#1f77b4"),
        ("overdue", "capacity.overdue", "#d62728"),
    ):
        figure.add_scatter(
            x=labels, y=row[column], name=ui.tr(key), mode="lines+markers", line={"color": colour}
        )
    figure.update_layout(
        height=280, margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h"}
    )
    return figure


def officer_table(filters, commune: str | None, key: str) -> None:
    """The officers' workload for the roles that may see officers; one line for the others."""
    lang = ui.lang()
    try:
        officers = ui.fetch(
            capacity.officer_workload, ui.current_scope(), filters.period, filters.province, commune
        )
    except ScopeError:
        st.caption(ui.tr("capacity.officers_hidden"))
        return
    if officers.is_empty():
        st.caption(ui.tr("capacity.no_roster"))
        return
    st.dataframe(tables.display(officers, OFFICER_SPEC, lang), hide_index=True, key=key, height=320)


def commune_section(filters) -> None:
    """The commune page's section (issue 19): will the desk clear its open dossiers in time, the
    queue ahead, and the load of its officers (the chair's own commune; a leader's pick)."""
    if filters.commune is None:
        return
    lang = ui.lang()
    st.subheader(ui.tr("capacity.commune_title"), anchor="nang-luc")
    frame = ui.fetch(capacity.project, as_of(), filters.province, filters.commune)
    if frame.is_empty():
        return
    row = frame.row(0, named=True)
    text = verdict_text(row, lang)
    box = st.success if row["verdict"] != "late" else st.warning
    box(
        ui.tr(
            "capacity.commune_verdict",
            open=fmt_number(row["open_now"], lang),
            overdue=fmt_number(row["overdue_now"], lang),
            verdict=text,
        )
    )
    days = capacity.working_days_after(as_of().date(), capacity.HORIZON)
    st.plotly_chart(projection_chart(row, days, lang), key="capacity_commune_chart")
    model_note()
    officer_table(filters, filters.commune, "capacity_commune_officers")


def download(frame: pl.DataFrame, spec: dict, name: str, key: str, commune: str | None) -> None:
    lang = ui.lang()
    file_name = f"{name}-{config.now():%Y%m%d}.xlsx"
    st.download_button(
        ui.tr("table.download"),
        data=exports.spec_to_xlsx(frame, spec, lang, ui.tr("capacity.title")),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        on_click=ui.audit_event,
        args=(audit.DOWNLOAD, commune, file_name),
        icon=":material/download:",
    )


def secondment_form(filters) -> None:
    """Record a secondment (city leaders only; audited)."""
    scope = ui.current_scope()
    if scope.role != CITY_LEADER:
        return
    communes = ui.commune_options(filters.province, ui.data_version())
    names = dict(zip(communes["commune_code"], communes["commune_name"], strict=True))
    with st.form("capacity_secondment", clear_on_submit=False):
        st.markdown(f"**{ui.tr('capacity.record')}**")
        left, middle, right = st.columns(3)
        commune = left.selectbox(
            ui.tr("filter.commune"),
            list(names),
            index=list(names).index(filters.commune) if filters.commune in names else 0,
            format_func=lambda c: names.get(c, c),
            key="capacity_secondment_commune",
        )
        officers = middle.number_input(
            ui.tr("capacity.officers_sent"), 1, 50, 2, key="capacity_secondment_officers"
        )
        today = config.now().date()
        span = right.date_input(
            ui.tr("filter.date_range"),
            value=(today + timedelta(1), today + timedelta(28)),
            format="DD/MM/YYYY",
            key="capacity_secondment_dates",
        )
        note = st.text_input(ui.tr("capacity.note"), key="capacity_secondment_note")
        if st.form_submit_button(ui.tr("capacity.record_button")):
            if not isinstance(span, tuple) or len(span) != 2:
                st.warning(ui.tr("capacity.record_dates"))
                return
            with ui.connection() as con:
                capacity.record_secondment(
                    con, scope, commune, int(officers), span[0], span[1], 1.0, note
                )
            st.success(ui.tr("capacity.recorded", commune=names.get(commune, commune)))
