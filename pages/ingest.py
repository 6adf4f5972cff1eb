"""Nhập dữ liệu (admin): upload exports with a progress bar, the run's counts, the list of runs
and each run's quarantine (downloadable as Excel)."""

import streamlit as st

from ioc import audit, config, ui
from ioc.i18n import fmt_datetime
from ioc.ingest import SUFFIXES, runs
from ioc.scope import ScopeError

lang = ui.lang()
st.title(ui.tr("ingest.title"))
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
    submitted = st.form_submit_button(ui.tr("ingest.start"))

if submitted and uploads:
    files = [(u.name, u.getvalue()) for u in uploads]
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
