"""Sao lưu và khôi phục (admin): the last backup and its size, the schedule, a backup now."""

import streamlit as st

from ioc import backup, ui
from ioc.i18n import fmt_datetime, fmt_number

lang = ui.lang()
st.title(ui.tr("backup.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
schedule = backup.Schedule.from_env()


def size(num_bytes: int) -> str:
    return f"{fmt_number(num_bytes / 1e6, lang, 1)} MB"


if st.button(ui.tr("backup.now"), key="backup_now"):
    try:
        with ui.connection() as con:
            made = backup.backup_now(con, schedule)
        st.success(ui.tr("backup.done", path=made["path"], size=size(made["bytes"])))
    except backup.BackupError as error:
        st.error(ui.tr("backup.failed", error=str(error)))

backups = backup.backup_list(schedule.folder)
if backups.height == 0:
    st.info(ui.tr("backup.none"))
else:
    last = backups.row(0, named=True)
    left, right = st.columns(2)
    left.metric(ui.tr("backup.last"), fmt_datetime(last["taken_at"]), border=True)
    right.metric(ui.tr("backup.size"), size(last["bytes"]), border=True)
    st.caption(
        f"{last['path']} · " + ui.tr("backup.verified", dossiers=fmt_number(last["dossiers"], lang))
    )

at = schedule.at.strftime("%H:%M") if schedule.at else "—"
st.caption(
    ui.tr(
        "backup.schedule",
        at=at,
        folder=str(schedule.folder),
        daily=schedule.keep_daily,
        weekly=schedule.keep_weekly,
    )
)
st.markdown(ui.tr("backup.restore_help"))

if backups.height:
    st.subheader(ui.tr("backup.list"))
    st.dataframe(
        {
            ui.tr("backup.file"): backups["file"].to_list(),
            ui.tr("backup.taken_at"): [fmt_datetime(v) for v in backups["taken_at"]],
            ui.tr("backup.size"): [size(v) for v in backups["bytes"]],
            ui.tr("quality.dossiers"): [fmt_number(v, lang) for v in backups["dossiers"]],
        },
        hide_index=True,
        key="backup_table",
    )
