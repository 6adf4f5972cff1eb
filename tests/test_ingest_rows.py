"""Where a rejected row is (its line in a CSV, its row in Excel), rows longer than their header, and
UTF-16 CSV with and without a byte-order mark. Every expected row number is the line or row
written by hand next to it in the fixture."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from ingest_fixture import CN, HK, make_ingest_store

from ioc.ingest import ingest_file, pii

NOW = "2025-10-13T10:00:00"
HEADER = "Mã hồ sơ,Mã TTHC,Tên thủ tục,Xã/Phường,Kênh thực hiện,Trạng thái,Ngày tiếp nhận"


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IOC_NOW", NOW)
    monkeypatch.setenv("IOC_SALT", "test-salt")
    connection = make_ingest_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def quarantine(con) -> list[tuple]:
    return con.execute(
        "select row_number, reason_code from quarantine order by row_number"
    ).fetchall()


def loaded(con) -> list[str]:
    return [r[0] for r in con.execute("select dossier_id from dossiers order by 1").fetchall()]


def test_csv_row_numbers_are_file_lines_after_blank_and_multiline_rows(con, tmp_path):
    lines = [
        HEADER,  # line 1
        "L2,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,08/10/2025 09:00",  # line 2
        "",  # line 3: blank
        ",,,,,,",  # line 4: separators only
        "L5,1.001193,,Phường Hoàn Kiếm,Fax,Đang xử lý,08/10/2025 09:00",  # line 5
        'L6,1.001193,"Đăng ký',  # line 6: a quoted name running onto line 7
        'khai sinh",Phường Cửa Nam,Trực tiếp,Đang xử lý,08/10/2025 10:00',  # line 7
        "L8,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang treo,08/10/2025 09:00",  # line 8
    ]
    path = tmp_path / "dong_trong.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(con, path)
    assert quarantine(con) == [(5, "unknown_channel"), (8, "unknown_status")]
    assert loaded(con) == ["L2", "L6"]
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (4, 2, 2)
    raw = json.loads(
        con.execute("select raw_values from quarantine where row_number = 8").fetchone()[0]
    )
    assert raw["Mã hồ sơ"] == "L8" and raw["Trạng thái"] == "Đang treo"


def test_xlsx_row_numbers_are_excel_rows(con, tmp_path):
    path = tmp_path / "bao_cao.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        # xlsxwriter counts rows from 0: Excel row n is index n - 1. Row 1 is left empty.
        sheet.write(1, 0, "DANH SÁCH HỒ SƠ")  # Excel row 2
        header = ["Mã hồ sơ", "Mã TTHC", "Xã/Phường", "Kênh thực hiện", "Trạng thái"]
        sheet.write_row(3, 0, [*header, "Ngày tiếp nhận"])  # Excel row 4
        sheet.write_row(
            4,
            0,
            ["E5", "1.001193", "Phường Hoàn Kiếm", "Trực tuyến", "Đang xử lý", "08/10/2025 09:00"],
        )  # Excel row 5
        # Excel row 6 left empty
        sheet.write_row(
            6, 0, ["E7", "1.001193", "Phường Hoàn Kiếm", "Fax", "Đang xử lý", "08/10/2025 09:00"]
        )  # Excel row 7
        sheet.write_row(
            7,
            0,
            [
                "E8",
                "1.001193",
                "Phường Ba Đình Mới",
                "Trực tuyến",
                "Đang xử lý",
                "08/10/2025 09:00",
            ],
        )  # Excel row 8
    result = ingest_file(con, path)
    assert quarantine(con) == [(7, "unknown_channel"), (8, "unknown_commune")]
    assert loaded(con) == ["E5"]
    assert (result.rows_read, result.rows_quarantined) == (3, 2)


def test_row_longer_than_its_header_is_quarantined_with_every_cell(con, tmp_path):
    lines = [
        HEADER + ",Họ tên người nộp,Số CCCD",  # line 1: 9 cells
        "M2,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,08/10/2025 09:00,"
        "Nguyễn Văn An,001099012345",  # line 2: 9 cells, loaded
        "",  # line 3: blank
        # line 4: an unquoted comma in the commune name pushes every later cell one to the right
        "M4,1.001193,,Phường Cửa Nam, Hà Nội,Trực tiếp,Đang xử lý,08/10/2025 09:00,"
        "Trần Văn Bảo,001099000004",
        # line 5: one empty cell after the last header
        "M5,1.001193,,Phường Cửa Nam,Trực tiếp,Đang xử lý,08/10/2025 09:00,Lê Thị Hoa,"
        "001099000005,",
    ]
    path = tmp_path / "thua_o.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(con, path)
    assert quarantine(con) == [(4, "too_many_cells"), (5, "too_many_cells")]
    assert loaded(con) == ["M2"]
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (3, 1, 2)
    reason = con.execute(
        "select reason_vi, reason_en from quarantine where row_number = 4"
    ).fetchone()
    assert reason == ("Dòng có nhiều ô hơn tiêu đề", "Row has more cells than the header")
    raw = json.loads(
        con.execute("select raw_values from quarantine where row_number = 4").fetchone()[0]
    )
    # Every cell is kept, in order; from the first personal-data column on, all are hidden
    # (the ID number slid into the 10th cell, which has no header).
    assert raw == {
        "Mã hồ sơ": "M4",
        "Mã TTHC": "1.001193",
        "Tên thủ tục": None,
        "Xã/Phường": "Phường Cửa Nam",
        "Kênh thực hiện": " Hà Nội",
        "Trạng thái": "Trực tiếp",
        "Ngày tiếp nhận": "Đang xử lý",
        "Họ tên người nộp": pii.MASKED,
        "Số CCCD": pii.MASKED,
        "column_10": pii.MASKED,
    }
    raw5 = json.loads(
        con.execute("select raw_values from quarantine where row_number = 5").fetchone()[0]
    )
    assert (raw5["Mã hồ sơ"], raw5["Số CCCD"], raw5["column_10"]) == ("M5", pii.MASKED, "")
    dump = json.dumps(
        con.execute("select * from quarantine").fetchall(), ensure_ascii=False, default=str
    )
    for personal in ("001099000004", "001099000005", "Trần Văn Bảo", "Lê Thị Hoa"):
        assert personal not in dump


UTF16_LINES = [
    "BÁO CÁO HỒ SƠ",  # line 1: title block
    "Mã hồ sơ{s}Xã/Phường{s}Kênh thực hiện{s}Trạng thái{s}Ngày tiếp nhận",  # line 2: header
    "U3{s}Phường Cửa Nam{s}Trực tiếp{s}Đã trả kết quả{s}09/10/2025 14:30",  # line 3
    "",  # line 4: blank
    "U5{s}Phường Hoàn Kiếm{s}Qua dịch vụ bưu chính công ích{s}Đang xử lý{s}10/10/2025",  # line 5
    "U6{s}Phường Hoàn Kiếm{s}Trực tuyến{s}Đang xử lý{s}31/09/2025",  # line 6: no such day
]


@pytest.mark.parametrize(
    ("encoding", "bom", "sep", "note"),
    [
        ("utf-16-le", b"\xff\xfe", "\t", "encoding utf-16, separator tab"),
        ("utf-16-le", b"", ",", "encoding utf-16-le, separator comma"),
        ("utf-16-be", b"", ";", "encoding utf-16-be, separator semicolon"),
    ],
)
def test_utf16_csv_with_and_without_bom(con, tmp_path, encoding, bom, sep, note):
    text = "\r\n".join(line.format(s=sep) for line in UTF16_LINES) + "\r\n"
    path = tmp_path / "unicode.csv"
    path.write_bytes(bom + text.encode(encoding))
    result = ingest_file(con, path)
    assert (result.status, result.message) == ("ok", note)
    assert loaded(con) == ["U3", "U5"]
    assert quarantine(con) == [(6, "bad_date")]
    u3, u5 = (
        con.execute(
            "select commune_code, channel, status, received_at from dossiers where dossier_id = ?",
            [d],
        ).fetchone()
        for d in ("U3", "U5")
    )
    assert u3 == (CN, "direct", "returned", datetime(2025, 10, 9, 14, 30))
    assert u5 == (HK, "postal", "processing", datetime(2025, 10, 10, 0, 0))
