"""Admin pages through the real app (issue 6), signed in as an admin on the hand-made store:
targets (add through the form, refuse a back-dated row, history never changes) and the audit log
(filters, the CSV download read back)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fixtures import C1
from streamlit.testing.v1 import AppTest

from ioc import audit, auth, targets
from ioc.scope import ADMIN, Scope

ROOT = Path(__file__).resolve().parent.parent
ADMIN_SCOPE = Scope(ADMIN, None, "admin1")
FRESHNESS = "Dữ liệu cập nhật lúc"


def admin_page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, ADMIN_SCOPE)
    at.run()
    return at.switch_page(str(ROOT / "pages" / f"{name}.py")).run()


def shows_freshness(at: AppTest) -> bool:
    """The page carries "Dữ liệu cập nhật lúc …" (a caption, or amber markdown when stale)."""
    return any(FRESHNESS in e.value for e in [*at.caption, *at.markdown])


def rows(frame) -> list[dict]:
    return frame.to_dict("records")


def fill_form(at: AppTest, metric: str, scope: str, percent: float, day: date, note: str):
    at.selectbox(key="target_metric").set_value(metric)
    at.selectbox(key="target_scope").set_value(scope)
    at.number_input[0].set_value(percent)
    at.date_input[0].set_value(day)
    at.text_input(key="target_note").input(note)
    return at.button[0].click().run()


def test_targets_page_adds_a_row_refuses_a_back_dated_one_and_never_edits_history(
    fixture_db, fixture_con
):
    stored_before = targets.history(fixture_con).drop("commune_name")
    at = admin_page("targets")
    assert not at.exception
    assert at.title[0].value == "Chỉ tiêu KPI"
    assert shows_freshness(at)
    shown_before = rows(at.dataframe[1].value)
    assert len(shown_before) == 5  # the fixture's five target rows

    at = fill_form(at, "on_time_rate", C1, 90.0, date(2025, 11, 1), "QĐ 12/2025")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Đã thêm chỉ tiêu."]
    history = rows(at.dataframe[1].value)
    assert len(history) == 6
    # newest decision first, written for the screen: vi percent, dd/mm/yyyy, the commune's name
    added = history[0]
    assert added["Chỉ số"] == "Tỷ lệ giải quyết đúng hạn"
    assert added["Phạm vi"] == "Phường Một"
    assert added["Mục tiêu"] == "90,0%"
    assert added["Áp dụng từ ngày"] == "01/11/2025"
    assert added["Căn cứ / ghi chú"] == "QĐ 12/2025"
    assert history[1:] == shown_before  # earlier rows exactly as they were

    # online_rate for the city last took effect on 21/07/2025: 01/07/2025 would rewrite history
    at = fill_form(at, "online_rate", targets.CITY, 95.0, date(2025, 7, 1), "lùi ngày")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Ngày áp dụng phải sau ngày 21/07/2025 của chỉ tiêu gần nhất (lịch sử không được sửa)."
    ]
    assert rows(at.dataframe[1].value) == history

    stored = targets.history(fixture_con).drop("commune_name")
    assert stored.height == stored_before.height + 1
    # every earlier row still in the store, value for value
    assert set(stored_before.rows()) <= set(stored.rows())
    added_row = stored.filter(stored["metric"] == "on_time_rate").row(0, named=True)
    assert (added_row["scope"], added_row["target"]) == (C1, pytest.approx(0.9))
    assert added_row["effective_from"] == date(2025, 11, 1)
    log = audit.read(fixture_con, audit.wall_clock().date(), audit.wall_clock().date())
    assert log.filter(log["action"] == audit.TARGET_ADD)["username"].to_list() == ["admin1"]


@pytest.fixture
def logged(fixture_con):
    """Four audit records of today, written as the app would."""
    audit.record(fixture_con, "admin1", audit.SIGN_IN)
    audit.record(fixture_con, "chair1", audit.SIGN_IN, C1)
    audit.record(fixture_con, "chair1", audit.DOWNLOAD, C1, "=HYPERLINK(1)")  # a formula cell
    audit.record(fixture_con, "leader", audit.EXPORT, None, "xep-hang.xlsx")
    return fixture_con


def table_of(at: AppTest) -> list[dict]:
    return rows(at.dataframe[0].value)


def test_audit_page_filters_by_action_and_user(fixture_db, logged):
    at = admin_page("audit")
    assert not at.exception
    assert shows_freshness(at)
    assert any(c.value == "4 bản ghi" for c in at.caption)
    assert [r["Tên đăng nhập"] for r in table_of(at)] == ["leader", "chair1", "chair1", "admin1"]

    at.selectbox(key="audit_action").set_value(audit.DOWNLOAD).run()
    only = table_of(at)
    assert len(only) == 1
    assert only[0]["Thao tác"] == "Tải xuống"
    assert only[0]["Xã/phường"] == "Phường Một"
    assert only[0]["Chi tiết"] == "=HYPERLINK(1)"

    at.selectbox(key="audit_action").set_value(None)
    at.text_input(key="audit_user").input("CHAIR").run()  # a part of the name, any case
    assert [r["Thao tác"] for r in table_of(at)] == ["Tải xuống", "Đăng nhập"]

    at.text_input(key="audit_user").input("' or 1=1 --").run()
    assert not at.exception
    assert table_of(at) == [] and any(c.value == "0 bản ghi" for c in at.caption)


def test_audit_csv_download_holds_the_filtered_rows(fixture_db, logged, downloads):
    at = admin_page("audit")
    at.text_input(key="audit_user").input("chair1").run()
    assert not at.exception
    today = audit.wall_clock().date()
    start = date.fromordinal(today.toordinal() - 6)
    data = downloads[f"nhat-ky-{start.isoformat()}-{today.isoformat()}.csv"]
    assert data.startswith("\ufeff".encode())  # BOM: Excel reads the Vietnamese correctly
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["username"], r["action"], r["commune_code"]) for r in records] == [
        ("chair1", "download", C1),
        ("chair1", "sign_in", C1),
    ]
    assert records[1]["commune_name"] == "Phường Một"
    assert records[0]["detail"] == "'=HYPERLINK(1)"  # never run as a formula by a spreadsheet
    assert records[1]["logged_at"].startswith(today.isoformat())

    at.get("download_button")[0].click().run()  # the download itself is audited
    assert not at.exception
    log = audit.read(logged, today, today, action=audit.DOWNLOAD)
    assert log["username"].to_list()[0] == "admin1"
    assert log["detail"].to_list()[0] == "audit_log.csv"
