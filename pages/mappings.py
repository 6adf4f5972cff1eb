"""Ánh xạ dữ liệu (admin): the values that sent rows to quarantine, each mapped once to a canonical
value (or marked truly invalid), the quarantined rows it resolves landing at once; sample rows, a
commune picked for rows of a split old unit, deletion of rows; the mappings' history."""

import streamlit as st

from ioc import ui
from ioc.i18n import fmt_datetime
from ioc.ingest import mappings, quarantine

lang = ui.lang()
st.title(ui.tr("mapping.title"))
ui.page_allowed(__file__)
st.caption(ui.tr("mapping.intro"))
if st.session_state.get("mapping_moved"):
    st.success(st.session_state.pop("mapping_moved"))

with ui.connection() as con:
    values = quarantine.open_values(con)
    history = mappings.history(con)

if values.height == 0:
    st.info(ui.tr("mapping.none"))
else:
    shown = values.with_columns(
        values["problem_kind"].map_elements(lambda k: ui.tr(f"mapping.kind.{k}"), return_dtype=str)
    ).select("problem_kind", "problem_value", "unknown_headers", "row_count", "source_files")
    st.dataframe(
        shown.rename({c: ui.tr(f"mapping.col.{c}") for c in shown.columns}),
        hide_index=True,
        use_container_width=True,
    )
    entries = list(values.iter_rows(named=True))
    picked = st.selectbox(
        ui.tr("mapping.pick_value"),
        range(len(entries)),
        format_func=lambda i: (
            f"{ui.tr('mapping.kind.' + entries[i]['problem_kind'])}: "
            f"«{entries[i]['problem_value'] or entries[i]['unknown_headers']}» "
            f"({entries[i]['row_count']})"
        ),
        key="mapping_value",
    )
    entry = entries[picked]
    kind = entry["problem_kind"]
    value = entry["problem_value"]
    with ui.connection() as con:
        offered = mappings.choices(con, kind, lang)
    with st.form("mapping_form"):
        if kind == "header":
            headers = [h for h in entry["unknown_headers"].split(", ") if h]
            value = st.selectbox(ui.tr("mapping.header_pick"), headers, key="mapping_header")
        options = list(offered)
        proposed = mappings.propose(kind, value or "", offered)
        canonical = st.selectbox(
            ui.tr("mapping.canonical"),
            options,
            index=options.index(proposed) if proposed in options else 0,
            format_func=lambda o: o if offered[o] == o else f"{o} — {offered[o]}",
            key="mapping_canonical",
        )
        invalid = st.checkbox(ui.tr("mapping.invalid"), key="mapping_invalid")
        save = st.form_submit_button(ui.tr("mapping.save"))
    if save and value:
        try:
            with ui.connection() as con:
                moved = quarantine.add_mapping(
                    con,
                    kind,
                    value,
                    None if invalid else canonical,
                    ui.current_scope().username,
                    source=entry["source_key"],
                )
        except mappings.MappingError as error:
            st.error(ui.tr("mapping.error", message=str(error)))
        else:
            st.session_state["mapping_moved"] = moved.summary(lang)
            st.rerun()

    st.subheader(ui.tr("mapping.samples"))
    with ui.connection() as con:
        samples = quarantine.rows_of_value(con, kind, entry["problem_value"], entry["source_key"])
    reason = "reason_en" if lang == "en" else "reason_vi"
    table = samples.select("source_file", "row_number", reason, "raw_values")
    chosen = st.dataframe(
        table.rename(
            {
                "source_file": ui.tr("ingest.col.source_file"),
                "row_number": ui.tr("ingest.col.row_number"),
                reason: ui.tr("ingest.col.reason"),
                "raw_values": ui.tr("ingest.col.raw_values"),
            }
        ),
        hide_index=True,
        use_container_width=True,
        on_select="rerun",
        selection_mode="multi-row",
        key="mapping_samples",
    )
    selected = samples[chosen.selection.rows] if chosen and chosen.selection.rows else None
    if kind == "commune":
        with ui.connection() as con:
            communes = mappings.choices(con, "commune")
        commune = st.selectbox(
            ui.tr("mapping.settle"),
            list(communes),
            format_func=lambda c: f"{communes[c]} ({c})",
            key="mapping_settle_commune",
        )
        if st.button(ui.tr("mapping.settle_save"), disabled=selected is None, key="mapping_settle"):
            with ui.connection() as con:
                moved = quarantine.settle_rows(con, selected, commune, ui.current_scope().username)
            st.session_state["mapping_moved"] = moved.summary(lang)
            st.rerun()
    if st.button(ui.tr("mapping.delete"), disabled=selected is None, key="mapping_delete"):
        with ui.connection() as con:
            deleted = quarantine.delete_rows(con, selected, ui.current_scope().username)
        st.session_state["mapping_moved"] = ui.tr("mapping.deleted", rows=deleted)
        st.rerun()

if history.height:
    st.subheader(ui.tr("mapping.history"))
    shown = history.with_columns(
        history["changed_at"].map_elements(fmt_datetime, return_dtype=str),
        history["kind"].map_elements(lambda k: ui.tr(f"mapping.kind.{k}"), return_dtype=str),
    ).select(*mappings.HISTORY_COLUMNS)
    st.dataframe(
        shown.rename({c: ui.tr(f"mapping.hist.{c}") for c in shown.columns}),
        hide_index=True,
        use_container_width=True,
    )
