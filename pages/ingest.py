"""Nhập dữ liệu (admin): upload exports, see what they would do (dry run), confirm, with a
progress bar, the run's counts, the list of runs and each run's quarantine (as Excel too)."""

import streamlit as st

from ioc import audit, config, ui
from ioc.i18n import fmt_datetime
from ioc.ingest import SUFFIXES, runs
from ioc.scope import ScopeError

lang = ui.lang()
st.title(ui.tr("ingest.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
st.caption(ui.tr("ingest.intro", inbox=str(config.inbox_path())))

with st.form("ingest_upload", clear_on_submit=True):
    uploads = st.file_uploader(
        ui.tr("ingest.upload"),
        type=[s.lstrip(".") for s in SUFFIXES],
        accept_multiple_files=True,
        key="ingest_files",
    )
    meridian = st.number_input(
        ui.tr("ingest.meridian"), value=105.0, step=0.25, format="%.2f", key="ingest_meridian"
    )
    submitted = st.form_submit_button(ui.tr("ingest.preview"))

# Step 1: a preview of what the files would do (nothing written); step 2: the admin confirms.
if submitted and uploads:
    st.session_state["ingest_pending"] = ([(u.name, u.getvalue()) for u in uploads], meridian)
pending = st.session_state.get("ingest_pending")
confirmed = False
if pending:
    st.subheader(ui.tr("ingest.preview_title"))
    with ui.connection() as con:
        previews = runs.preview_uploads(con, pending[0])
    for seen in previews:
        if seen.status == "ok":
            st.info(
                ui.tr(
                    "ingest.preview_line",
                    file=seen.source_file,
                    read=seen.rows_read,
                    insert=seen.to_insert,
                    update=seen.to_update,
                    unchanged=seen.unchanged,
                    quarantine=seen.to_quarantine,
                )
            )
            for code, rows in seen.quarantine.items():
                reason = seen.examples[code][1 if lang == "en" else 0]
                st.caption(ui.tr("ingest.preview_reason", reason=reason, rows=rows))
            for kind, value, rows in seen.unmapped:
                kind_label = ui.tr(f"mapping.kind.{kind}")
                st.caption(
                    ui.tr("ingest.preview_unmapped", kind=kind_label, value=value, rows=rows)
                )
        else:
            status = ui.tr(f"ingest.status.{seen.status}") if seen.status != "land" else ""
            st.info(
                ui.tr(
                    "ingest.preview_other",
                    file=seen.source_file,
                    status=status,
                    message=seen.message,
                )
            )
    confirmed = st.button(ui.tr("ingest.confirm"), type="primary", key="ingest_confirm")

if confirmed and pending and runs.hands_over():  # the lake: `ioc worker` imports
    files, meridian = st.session_state.pop("ingest_pending")
    for name in runs.hand_uploads(files, meridian, username=ui.current_scope().username):
        st.info(ui.tr("ingest.handed", file=name))
elif confirmed and pending:
    files, meridian = st.session_state.pop("ingest_pending")
    bar = st.progress(0.0)

    def show(index: int, stage: str, fraction: float) -> None:
        name = files[index][0]
        text = ui.tr("ingest.progress", file=name, stage=ui.tr(f"ingest.stage.{stage}"))
        bar.progress(min(1.0, (index + fraction) / len(files)), text=text)

    with ui.connection() as con:
        results = runs.import_uploads(
            con, files, show, meridian=meridian, username=ui.current_scope().username
        )
    for result in results:
        if result.status == "ok":
            st.success(
                ui.tr(
                    "ingest.result",
                    file=result.source_file,
                    read=result.rows_read,
                    inserted=result.rows_inserted,
                    updated=result.rows_updated,
                    quarantined=result.rows_quarantined,
                )
            )
        elif result.status == "duplicate_file":
            st.info(ui.tr("ingest.result_duplicate", file=result.source_file))
        else:
            st.error(ui.tr("ingest.result_failed", file=result.source_file, message=result.message))

st.subheader(ui.tr("ingest.runs"))
with ui.connection() as con:
    run_list = runs.recent_runs(con)
if run_list.height == 0:
    st.info(ui.tr("ingest.no_runs"))
    st.stop()

shown = run_list.with_columns(
    run_list["started_at"].map_elements(fmt_datetime, return_dtype=str).alias("started_at"),
    run_list["status"].map_elements(lambda s: ui.tr(f"ingest.status.{s}"), return_dtype=str),
).drop("run_id", "finished_at")
st.dataframe(
    shown.rename({c: ui.tr(f"ingest.col.{c}") for c in shown.columns}),
    hide_index=True,
    use_container_width=True,
)

st.subheader(ui.tr("ingest.quarantine"))
labels = {
    row["run_id"]: f"{fmt_datetime(row['started_at'])} · {row['source_file']} "
    f"({row['rows_quarantined'] or 0})"
    for row in run_list.iter_rows(named=True)
}
run_id = st.selectbox(
    ui.tr("ingest.pick_run"), list(labels), format_func=labels.get, key="ingest_run"
)
try:
    with ui.connection() as con:
        rejected = runs.run_quarantine(con, run_id, ui.current_scope(), lang)
except ScopeError:
    st.stop()
if rejected.height == 0:
    st.info(ui.tr("ingest.no_quarantine"))
else:
    headers = {c: ui.tr(f"ingest.col.{c}") for c in rejected.columns}
    st.dataframe(rejected.rename(headers), hide_index=True, use_container_width=True)
    st.download_button(
        ui.tr("ingest.download"),
        runs.quarantine_excel(rejected, headers),
        file_name=f"cach_ly_{run_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="ingest_download",
        on_click=ui.audit_event,
        args=(audit.DOWNLOAD, None, f"cach_ly_{run_id}.xlsx"),
    )
