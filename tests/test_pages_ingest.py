"""AppTest of Nhập dữ liệu: the runs list, a run's quarantine with reasons and its Excel file; the
upload path (import_uploads) with its progress calls."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from ingest_fixture import make_ingest_store
from streamlit.testing.v1 import AppTest

from ioc.ingest import runs
from ioc.scope import ADMIN, PRESENTER, Scope, ScopeError

ROOT = Path(__file__).resolve().parent.parent
EXPORT = (
    "Mã hồ sơ,Mã TTHC,Xã/Phường,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Họ tên người nộp\n"
    "G1,1.001193,Phường Cửa Nam,Trực tuyến,Đang xử lý,09/10/2025 09:00,Nguyễn Văn An\n"
    "G2,1.001193,Phường Không Có,Trực tuyến,Đang xử lý,09/10/2025 09:00,Đỗ Thị Mai\n"
    "G3,1.001193,Phường Cửa Nam,Fax,Đang xử lý,09/10/2025 09:00,\n"
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.duckdb"
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    with make_ingest_store(path) as con:
        results = runs.import_uploads(con, [("xa_cua_nam.csv", EXPORT.encode("utf-8"))])
        assert [(r.rows_inserted, r.rows_quarantined) for r in results] == [(1, 2)]
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_INBOX", str(tmp_path / "inbox"))
    return path


def test_upload_reports_progress_and_a_repeat_is_a_duplicate(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    calls = []
    with make_ingest_store(tmp_path / "s.duckdb") as con:
        files = [("a.csv", EXPORT.encode("utf-8")), ("b.csv", EXPORT.encode("utf-8"))]
        first, second = runs.import_uploads(con, files, lambda i, s, f: calls.append((i, s)))
    assert (first.status, first.rows_inserted, first.rows_quarantined) == ("ok", 1, 2)
    assert second.status == "duplicate_file"  # same bytes under another name
    stages = ["read", "normalise", "check", "write", "done"]
    assert calls == [(0, s) for s in stages] + [(1, "done")]


def test_quarantine_needs_a_city_wide_role(db):
    import duckdb

    with duckdb.connect(str(db)) as con:
        run_id = runs.recent_runs(con)["run_id"][0]
        with pytest.raises(ScopeError):
            runs.run_quarantine(con, run_id, Scope(PRESENTER))


def test_page_lists_runs_and_explains_quarantined_rows(db, monkeypatch, downloads):
    files = downloads
    at = AppTest.from_file(str(ROOT / "pages" / "ingest.py"), default_timeout=60)
    at.session_state["scope"] = Scope(ADMIN)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Nhập dữ liệu"
    runs_table, quarantine_table = (d.value for d in at.dataframe)
    assert runs_table.shape[0] == 1
    assert runs_table.iloc[0]["Tệp"] == "xa_cua_nam.csv"
    assert list(runs_table.iloc[0][["Đọc", "Thêm mới", "Cập nhật", "Cách ly"]]) == [3, 1, 0, 2]
    assert list(quarantine_table["Dòng trong tệp"]) == [3, 4]
    assert list(quarantine_table["Lý do"]) == [
        "Không xác định được xã/phường: «Phường Không Có»",
        "Kênh thực hiện không xác định: «Fax»",
    ]
    assert "Đỗ T. M." in quarantine_table.iloc[0]["Giá trị gốc (đã che dữ liệu cá nhân)"]
    [excel] = [v for k, v in files.items() if k.endswith(".xlsx")]
    sheet = openpyxl.load_workbook(io.BytesIO(excel)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Dòng trong tệp", "Mã lý do")
    assert [r[0] for r in rows[1:]] == [3, 4]
