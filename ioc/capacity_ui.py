"""The capacity screens (issue 19): the sections pages/capacity.py lays out for city leaders, and
the one the commune page shows a ward chair (`commune_section`). Figures come from ioc/capacity.py
through ui.fetch; this module only shows them."""

from __future__ import annotations

from datetime import datetime, timedelta

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ioc import audit, capacity, charts, config, exports, kpi_map, maps, navigation, tables, ui
from ioc.i18n import fmt_date, fmt_number, t
from ioc.scope import CITY_LEADER, ScopeError
from ioc.store import run_query

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


# The projection map's classes (issue 19): the verdicts of `capacity.project`, its 'late'
# ("không kịp") split by whether the overdue count falls over the horizon, and the communes with
# nothing to project (nothing received or resolved in the window, nothing open) apart in grey.
MAP_CLASSES = {
    "clear": charts.LIGHT_COLOURS["green"],
    "clears": "#81c784",
    "late_falling": charts.LIGHT_COLOURS["amber"],
    "late": charts.LIGHT_COLOURS["red"],
    "no_data": charts.LIGHT_COLOURS["none"],
}
DRILL_DOWN = "pages/drilldown.py"


def commune_cells(con, province: str | None) -> pl.DataFrame:  # noqa: ANN001 - duckdb connection
    """The province's commune cells (GeoJSON text), for the projection map."""
    return run_query(con, "commune_cells", province=province)


def map_class(row: dict) -> str:
    """The projection map's class of one row of `capacity.project` (see MAP_CLASSES); 'falling':
    fewer overdue dossiers at the end of the horizon than now, as the hover rounds them."""
    if row["received_per_day"] == 0 and row["resolved_per_day"] == 0 and row["open_now"] == 0:
        return "no_data"
    if row["verdict"] != "late":
        return row["verdict"]
    return "late_falling" if round(row["overdue_end"]) < round(row["overdue_now"]) else "late"


def map_features(projection: pl.DataFrame, cells: pl.DataFrame, lang: str = "vi") -> dict:
    """A GeoJSON FeatureCollection: one feature per commune of the projection (with_verdicts)
    that has a cell, filled by its map_class, with the hover's lines (verdict, open and overdue
    now and after the horizon, officer-days missing); `counts` per class for the legend."""
    geometry = dict(zip(cells["commune_code"], cells["geometry"], strict=True))
    features, counts = [], dict.fromkeys(MAP_CLASSES, 0)
    for row in projection.sort("commune_code").iter_rows(named=True):
        if geometry.get(row["commune_code"]) is None:
            continue
        kind = map_class(row)
        counts[kind] += 1
        properties = {
            "commune_code": row["commune_code"],
            "name": row["commune_name"],
            "verdict": row["verdict_text"],
            "open_line": t(
                "capacity.map.tip.open", lang,
                now=fmt_number(row["open_now"], lang), end=fmt_number(row["open_end"], lang),
            ),
            "overdue_line": t(
                "capacity.map.tip.overdue", lang,
                now=fmt_number(row["overdue_now"], lang), end=fmt_number(row["overdue_end"], lang),
            ),
            "missing_line": t(
                "capacity.map.tip.missing", lang,
                days=fmt_number(
                    row["officer_days_missing"], lang, 1 if row["verdict"] == "late" else 0
                ),
            ),
            "map_class": kind,
            "fill": [*maps.hex_rgb(MAP_CLASSES[kind]), 200],
        }  # fmt: skip
        features.append(
            maps.feature(geometry[row["commune_code"]], properties, row["commune_code"])
        )
    return {"type": "FeatureCollection", "features": features, "counts": counts}


def map_legend(collection: dict, lang: str) -> list[tuple[str, str]]:
    """(hex colour, label with the number of communes) per class of the map, in MAP_CLASSES
    order; the labels name the projection's verdicts."""
    return [
        (colour, f"{t(f'capacity.map.class.{kind}', lang)} ({collection['counts'][kind]})")
        for kind, colour in MAP_CLASSES.items()
    ]


def projection_map(projection: pl.DataFrame, filters) -> None:  # noqa: ANN001 - ui.Filters
    """The projection as a map of the communes coloured by the verdict at the end of the horizon,
    with its legend; a click opens the commune's page for the roles that may open it."""
    lang = ui.lang()
    cells = ui.fetch(commune_cells, filters.province)
    collection = map_features(projection, cells, lang)
    if not collection["features"]:
        st.caption(ui.tr("kpi_map.no_cells"))
        return
    tooltip = "<b>{name}</b><br/>{verdict}<br/>{open_line}<br/>{overdue_line}<br/>{missing_line}"
    drill = navigation.may_open(ui.current_scope().role, DRILL_DOWN)
    map_col, legend_col = st.columns([4, 1])
    with map_col:
        event = st.pydeck_chart(
            kpi_map.commune_deck(collection, tooltip, filters.commune),
            height=kpi_map.MAP_HEIGHT_PX,
            on_select="rerun",
            selection_mode="single-object",
            key="capacity_map",
        )
    with legend_col:
        st.markdown(f"**{ui.tr('capacity.map.legend', horizon=capacity.HORIZON)}**")
        st.markdown(maps.legend_html(map_legend(collection, lang)), unsafe_allow_html=True)
    st.caption(
        ui.tr(
            "capacity.map.caption" if drill else "capacity.map.caption_no_drill",
            window=capacity.WINDOW,
        )
    )
    picked = kpi_map.picked_commune(event) if drill else None
    if picked is not None:
        st.switch_page(DRILL_DOWN, query_params=st.query_params.to_dict() | {"commune": picked})


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
    download(officers, OFFICER_SPEC, "tai-tung-can-bo", f"{key}_xlsx", commune)


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
