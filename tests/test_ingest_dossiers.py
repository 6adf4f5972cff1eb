"""Ingest of dossier exports: each reader, the normalisation, every quarantine rule, the upsert
and its all-or-nothing transaction. Expected values are worked out by hand from the rows written
here (see the comments next to them)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
import xlsxwriter
from ingest_fixture import (
    CHUNG_THUC,
    CN,
    HK,
    KHAI_SINH,
    PT,
    XT,
    cp1258,
    make_ingest_store,
    table_counts,
)

from ioc import kpi, migrations, rollups, store
from ioc.ingest import ingest_file, load, pii

NOW = "2025-10-13T10:00:00"


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IOC_NOW", NOW)
    monkeypatch.setenv("IOC_SALT", "test-salt")
    connection = make_ingest_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def dossier(con, dossier_id: str) -> dict:
    frame = con.execute("select * from dossiers where dossier_id = ?", [dossier_id]).pl()
    return frame.row(0, named=True)


def quarantine(con) -> dict[int, str]:
    rows = con.execute("select row_number, reason_code from quarantine").fetchall()
    return dict(rows)


def write_xlsx(path: Path, title: list[str], header: list[str], rows: list[list]) -> Path:
    date_format = {"num_format": "dd/mm/yyyy hh:mm"}
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        fmt = book.add_format(date_format)
        for r, line in enumerate(title):
            sheet.write(r, 0, line)
        top = len(title) + 1
        sheet.write_row(top, 0, header)
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, fmt)
                elif value is not None:
                    sheet.write(r, c, value)
    return path


def test_xlsx_with_title_block_diacritics_and_serial_dates(con, tmp_path):
    path = write_xlsx(
        tmp_path / "bao_cao.xlsx",
        ["ỦY BAN NHÂN DÂN PHƯỜNG HOÀN KIẾM", "DANH SÁCH HỒ SƠ TIẾP NHẬN"],
        [
            "Số hồ sơ",
            "Mã thủ tục",
            "Đơn vị tiếp nhận",
            "Kênh thực hiện",
            "Trạng thái hồ sơ",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Ngày kết thúc xử lý",
            "Họ và tên",
            "Số CCCD",
        ],
        [
            # 45936 = 06/10/2025 (days since 30/12/1899); .375 of a day = 09:00
            ["X1", KHAI_SINH, "Phường Hoàn Kiếm", "Trực tuyến", "Đã trả kết quả", 45936.375,
             datetime(2025, 10, 6, 17, 0), "06/10/2025 11:30", "Nguyễn Văn An", "001099012345"],
            # 45937 = 07/10/2025 00:00; 45939.75 = 09/10/2025 18:00
            ["X2", CHUNG_THUC, "Cửa Nam", "Trực tiếp", "Đang xử lý", 45937, 45939.75, None,
             "Lê Thị Hoa", None],
        ],
    )  # fmt: skip
    result = ingest_file(con, path)
    assert (result.status, result.rows_read, result.rows_inserted) == ("ok", 2, 2)
    assert result.rows_quarantined == 0
    x1, x2 = dossier(con, "X1"), dossier(con, "X2")
    assert x1["commune_code"] == HK and x2["commune_code"] == CN
    assert (x1["channel"], x1["status"]) == ("online", "returned")
    assert (x2["channel"], x2["status"]) == ("direct", "processing")
    assert x1["received_at"] == datetime(2025, 10, 6, 9, 0)
    assert x1["due_at"] == datetime(2025, 10, 6, 17, 0)
    assert x1["finished_at"] == datetime(2025, 10, 6, 11, 30)
    assert x2["received_at"] == datetime(2025, 10, 7, 0, 0)
    assert x2["due_at"] == datetime(2025, 10, 9, 18, 0)
    # service level and fee come from the procedure when the export has none
    assert (x1["service_level"], x1["has_fee"]) == ("full", False)
    assert (x2["service_level"], x2["has_fee"]) == ("partial", True)
    assert x1["applicant_masked"] == "Nguyễn V. A."
    assert x2["applicant_masked"] == "Lê T. H."
    expected_key = hashlib.sha256(b"test-salt|id|001099012345").hexdigest()[:32]
    assert x1["applicant_key"] == expected_key
    assert x2["applicant_key"] is None


def test_windows_1258_semicolon_csv_without_diacritics_in_headers(con, tmp_path):
    text = (
        "Ma ho so;Ma TTHC;Xa/Phuong;Kenh thuc hien;Trang thai;Ngay tiep nhan;Ngay hen tra;"
        "Chu ho so;So dien thoai\r\n"
        "C1;1.001193;Phường Cửa Nam;Trực tiếp;Đang xử lý;07/10/2025 08:15;07/10/2025 17:00;"
        "Phạm Minh Đức;0912 345 678\r\n"
        "C2;2.000815;phuong hoan kiem;Qua dịch vụ bưu chính công ích;Yêu cầu bổ sung;"
        "08/10/2025;10/10/2025;Vũ Thị Ánh;\r\n"
    )
    path = tmp_path / "xuat.csv"
    path.write_bytes(cp1258(text))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", 2, 0)
    assert "cp1258" in result.message and "semicolon" in result.message
    c1, c2 = dossier(con, "C1"), dossier(con, "C2")
    assert (c1["commune_code"], c1["channel"], c1["status"]) == (CN, "direct", "processing")
    assert c1["received_at"] == datetime(2025, 10, 7, 8, 15)
    assert c1["applicant_masked"] == "Phạm M. Đ."
    assert c1["applicant_key"] == hashlib.sha256(b"test-salt|tel|0912345678").hexdigest()[:32]
    assert (c2["commune_code"], c2["channel"]) == (HK, "postal")
    assert c2["status"] == "supplement_requested"
    assert c2["applicant_masked"] == "Vũ T. Á."


def test_windows_1258_first_met_past_the_header_region(con, tmp_path):
    # 2,000 rows of plain ASCII (about 100 KB, past the 64 KiB the reader looks at first), then
    # one row with Vietnamese letters in Windows-1258: the whole file is read as Windows-1258.
    header = "Ma ho so;Ma TTHC;Ma xa;Kenh thuc hien;Trang thai;Ngay tiep nhan;Chu ho so\r\n"
    plain = "".join(
        f"P{i:04d};1.001193;00070;1;4;07/10/2025 08:15;Nguyen Van Binh\r\n" for i in range(2000)
    )
    last = "P9999;1.001193;00070;1;4;07/10/2025 08:15;Nguyễn Văn Bình\r\n"
    path = tmp_path / "dai.csv"
    path.write_bytes(cp1258(header + plain + last))
    assert len(path.read_bytes()) > 65536
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", 2001, 0)
    assert "cp1258" in result.message
    assert dossier(con, "P9999")["applicant_masked"] == "Nguyễn V. B."
    assert dossier(con, "P0000")["applicant_masked"] == "Nguyen V. B."


def test_utf8_bom_tab_csv(con, tmp_path):
    text = (
        "Mã hồ sơ\tMã TTHC\tMã xã\tKênh thực hiện\tMức độ\tTrạng thái\tNgày tiếp nhận\t"
        "Ngày hẹn trả\tNgày trả kết quả\tSố hóa\n"
        "B1\t1.001193\t70\t2\tMột phần\t10\t2025-10-08T09:00:00\t2025-10-08T17:00:00\t"
        "2025-10-08T10:00:00\tCó\n"
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted) == ("ok", 1)
    b1 = dossier(con, "B1")
    # code 70 zero-padded to 00070; the dossier's own level wins over the procedure's 'full'
    assert (b1["commune_code"], b1["channel"], b1["service_level"]) == (HK, "online", "partial")
    assert (b1["status"], b1["digitized"]) == ("returned", True)
    assert b1["returned_at"] == datetime(2025, 10, 8, 10, 0)


def test_portal_json_with_processing_log(con, tmp_path):
    document = [
        {
            "hoSo": {
                "MaHoSo": "000.00.70.H26-251006-0001",
                "MaTTHC": CHUNG_THUC,
                "DonViXuLy": HK,
                "KenhThucHien": 2,
                "MucDo": 4,
                "TrangThaiHoSo": 10,
                "NgayNopHoSo": "20251006080000",
                "NgayTiepNhan": "20251006083000",
                "NgayHenTra": "20251008170000",
                "NgayKetThucXuLy": "20251007150000",
                "NgayTra": "20251007160000",
                "DuocThanhToanTrucTuyen": 2,
                "TaiKhoanDuocXacThucVoiVNeID": 1,
                "ChuHoSo": "Hoàng Văn Bình",
                "SoGiayToChuHoSo": "001088000111",
                "QuaTrinhXuLy": [
                    {
                        "ThoiDiemXuLy": "20251006083000",
                        "PhongBanXuLy": "Bộ phận một cửa",
                        "NoiDungXuLy": "Tiếp nhận",
                        "TrangThai": 2,
                        "HanXuLy": "20251006170000",
                    },
                    {
                        "ThoiDiemXuLy": "20251007150000",
                        "PhongBanXuLy": "Văn phòng HĐND-UBND",
                        "NoiDungXuLy": "Ký duyệt",
                        "TrangThai": 9,
                    },
                ],
            }
        }
    ]
    path = tmp_path / "dvcqg.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted) == ("ok", 1)
    row = dossier(con, "000.00.70.H26-251006-0001")
    assert (row["channel"], row["service_level"], row["status"]) == ("online", "full", "returned")
    assert row["submitted_at"] == datetime(2025, 10, 6, 8, 0)
    assert row["received_at"] == datetime(2025, 10, 6, 8, 30)
    assert row["returned_at"] == datetime(2025, 10, 7, 16, 0)
    assert (row["paid_online"], row["vneid_verified"]) == (True, True)
    steps = con.execute(
        "select step_at, unit, action, status_after, step_due_at from dossier_steps order by step_at"
    ).fetchall()
    assert steps == [
        (datetime(2025, 10, 6, 8, 30), "Bộ phận một cửa", "Tiếp nhận", "accepted",
         datetime(2025, 10, 6, 17, 0)),
        (datetime(2025, 10, 7, 15, 0), "Văn phòng HĐND-UBND", "Ký duyệt", "finished", None),
    ]  # fmt: skip


def test_parquet_with_typed_columns(con, tmp_path):
    path = tmp_path / "export.parquet"
    pl.DataFrame(
        {
            "MaHoSo": ["P1", "P2"],
            "MaTTHC": [KHAI_SINH, KHAI_SINH],
            "MaXa": [70, 73],  # integers: zero-padded to 00070, 00073
            "KenhThucHien": [2, 1],
            "TrangThaiHoSo": [9, 4],
            "NgayTiepNhan": [datetime(2025, 10, 9, 9, 0), datetime(2025, 10, 10, 14, 0)],
            "NgayHenTra": [date(2025, 10, 9), None],
        }
    ).write_parquet(path)
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", 2, 0)
    p1, p2 = dossier(con, "P1"), dossier(con, "P2")
    assert (p1["commune_code"], p1["channel"], p1["status"]) == (HK, "online", "finished")
    assert (p2["commune_code"], p2["channel"], p2["status"]) == (CN, "direct", "processing")
    # a due date without a time is due by the end of that day
    assert p1["due_at"] == datetime(2025, 10, 9, 23, 59, 59)
    assert p1["received_at"] == datetime(2025, 10, 9, 9, 0)


QUARANTINE_CSV = """\
Mã hồ sơ,Mã TTHC,Tên thủ tục,Xã/Phường,Kênh thực hiện,Trạng thái,Mức độ,Số hóa,Ngày nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Họ tên người nộp,Số CCCD
Q01,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đã trả kết quả,,,,06/10/2025 09:00,06/10/2025 17:00,06/10/2025 15:00,Nguyễn Văn An,001099012345
,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đã trả kết quả,,,,06/10/2025 09:00,,,Trần Văn Bảo,001099000002
Q03,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,,,,,,,
Q04,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,,,31/09/2025,,,,
Q05,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,07/10/2025 17:00,,,
Q06,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đã xử lý xong,,,,08/10/2025 09:00,,08/10/2025 08:00,,
Q07,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,,,14/10/2025 10:01,,,,
Q08,1.001193,,Phường Hoàn Kiếm,Fax,Đang xử lý,,,,08/10/2025 09:00,,,,
Q09,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang treo,,,,08/10/2025 09:00,,,,
Q10,1.001193,,Phường Ba Đình Mới,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
Q11,1.001193,,Phường Tràng Tiền,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
Q12,1.001193,,Thanh Trì,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
Q13,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
Q13,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đã trả kết quả,,,,08/10/2025 09:00,,,,
Q14,9.999999,Thủ tục thí điểm,hàng bạc,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
Q15,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,Mức độ 9,,,08/10/2025 09:00,,,,
Q16,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đang xử lý,,Chắc có,,08/10/2025 09:00,,,,
Q17,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Mới đăng ký,,,08/10/2025 08:00,,,,,
Q01,1.001193,,Phường Hoàn Kiếm,Trực tuyến,Đã trả kết quả,,,,06/10/2025 09:00,06/10/2025 17:00,06/10/2025 15:00,Nguyễn Văn An,001099012345
Q14,9.999999,Thủ tục thí điểm,hàng bạc,Trực tuyến,Đang xử lý,,,,08/10/2025 09:00,,,,
"""


def test_every_quarantine_rule_and_old_unit_names(con, tmp_path):
    path = tmp_path / "kiem_tra.csv"
    path.write_text(QUARANTINE_CSV, encoding="utf-8")
    result = ingest_file(con, path)
    # header is line 1, so the row of Q01 is line 2, and so on down the file
    assert quarantine(con) == {
        3: "no_id",
        4: "no_received",  # Q03: processing without a received date
        5: "bad_date",  # Q04: 31/09 does not exist
        6: "date_order",  # Q05: due before received
        7: "date_order",  # Q06: finished before received
        8: "future_date",  # Q07: 14/10 10:01 is more than a day after 13/10 10:00
        9: "unknown_channel",  # Q08
        10: "unknown_status",  # Q09
        11: "unknown_commune",  # Q10
        12: "ambiguous_commune",  # Q11: old ward split between 00070 and 00073
        13: "ambiguous_commune",  # Q12: Xã Thanh Trì and Phường Thanh Trì
        14: "duplicate_conflict",  # Q13 twice, different states
        15: "duplicate_conflict",
        17: "unknown_level",  # Q15
        18: "unknown_flag",  # Q16
    }
    # loaded: Q01 (its exact repeat on line 20 merged), Q14 (repeat merged), Q17 (registered)
    assert sorted(r[0] for r in con.execute("select dossier_id from dossiers").fetchall()) == [
        "Q01",
        "Q14",
        "Q17",
    ]
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (20, 3, 15)
    assert result.rows_merged == 2 and result.unknown_procedures == 1
    assert dossier(con, "Q14")["commune_code"] == HK  # old ward Hàng Bạc -> Hoàn Kiếm
    assert dossier(con, "Q17")["received_at"] is None
    unknown = con.execute(
        "select procedure_name, code_status from procedures where procedure_code = '9.999999'"
    ).fetchone()
    assert unknown == ("Thủ tục thí điểm", "unknown")
    reasons = con.execute(
        "select reason_vi, reason_en from quarantine where row_number in (5, 12) order by 1"
    ).fetchall()
    assert reasons == [
        ("Ngày không đọc được ở cột «Ngày tiếp nhận»: «31/09/2025»",
         "Unreadable date in column «Ngày tiếp nhận»: «31/09/2025»"),
        ("Tên đơn vị «Phường Tràng Tiền» ứng với nhiều xã/phường mới (đơn vị cũ bị chia tách "
         "hoặc trùng tên)",
         "The unit name «Phường Tràng Tiền» matches several new communes (an old unit split, or "
         "a shared name)"),
    ]  # fmt: skip
    run = con.execute(
        "select rows_read, rows_inserted, rows_updated, rows_quarantined, status from ingest_runs"
    ).fetchone()
    assert run == (20, 3, 0, 15, "ok")


def test_raw_personal_data_never_reaches_the_store(con, tmp_path):
    path = tmp_path / "kiem_tra.csv"
    path.write_text(QUARANTINE_CSV, encoding="utf-8")
    ingest_file(con, path)
    dump = json.dumps(
        [con.execute(f"select * from {t}").fetchall() for t in ("dossiers", "quarantine")],  # noqa: S608
        ensure_ascii=False,
        default=str,
    )
    for raw in ("Nguyễn Văn An", "001099012345", "Trần Văn Bảo", "001099000002"):
        assert raw not in dump
    masked = json.loads(
        con.execute("select raw_values from quarantine where row_number = 3").fetchone()[0]
    )
    assert masked["Họ tên người nộp"] == "Trần V. B."
    assert masked["Số CCCD"] == pii.MASKED


EXPORT_HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"


def test_reimport_is_a_no_op_and_a_newer_export_updates(con, tmp_path):
    first = tmp_path / "morning.csv"
    first.write_text(
        EXPORT_HEADER
        + "U1,1.001193,00070,2,4,09/10/2025 09:00,09/10/2025 17:00,\n"
        + "U2,1.001193,00073,1,4,09/10/2025 10:00,09/10/2025 17:00,\n",
        encoding="utf-8",
    )
    result = ingest_file(con, first)
    assert (result.rows_inserted, result.rows_updated) == (2, 0)
    version = store.get_meta(con, "data_version")

    again = ingest_file(con, first)
    assert (again.status, again.message) == ("duplicate_file", "đã nhập trước đó")
    assert (again.rows_inserted, again.rows_updated) == (0, 0)
    assert store.get_meta(con, "data_version") == version

    # the same content in other bytes (another column order): read, but nothing changes
    reordered = tmp_path / "morning_copy.csv"
    reordered.write_text(
        "Mã xã,Mã hồ sơ,Mã TTHC,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả\n"
        "00073,U2,1.001193,1,4,09/10/2025 10:00,09/10/2025 17:00\n"
        "00070,U1,1.001193,2,4,09/10/2025 09:00,09/10/2025 17:00\n",
        encoding="utf-8",
    )
    same = ingest_file(con, reordered)
    assert (same.status, same.rows_read, same.rows_inserted, same.rows_updated) == ("ok", 2, 0, 0)
    assert dossier(con, "U1")["source_file"] == "morning.csv"

    newer = tmp_path / "evening.csv"
    newer.write_text(
        EXPORT_HEADER
        + "U1,1.001193,00070,2,10,09/10/2025 09:00,09/10/2025 17:00,09/10/2025 15:00\n"
        + "U2,1.001193,00073,1,4,09/10/2025 10:00,09/10/2025 17:00,\n"
        + "U3,1.001193,00073,1,2,10/10/2025 10:00,10/10/2025 17:00,\n",
        encoding="utf-8",
    )
    later = ingest_file(con, newer)
    assert (later.rows_inserted, later.rows_updated) == (1, 1)
    u1 = dossier(con, "U1")
    assert (u1["status"], u1["finished_at"]) == ("returned", datetime(2025, 10, 9, 15, 0))
    assert u1["source_file"] == "evening.csv"
    assert con.execute("select count(*) from dossiers").fetchone()[0] == 3
    statuses = con.execute("select status, count(*) from ingest_runs group by 1 order by 1")
    assert statuses.fetchall() == [("duplicate_file", 1), ("ok", 3)]


@pytest.mark.parametrize("keyed", [False, True], ids=["new store", "store with the old key"])
def test_overlapping_imports_keep_one_row_per_dossier(tmp_path, monkeypatch, keyed):
    monkeypatch.setenv("IOC_NOW", NOW)
    path = tmp_path / "store.duckdb"
    if keyed:  # a store created while dossiers had a primary key keeps it
        schema = migrations.SCHEMA_FILE.read_text(encoding="utf-8")
        with duckdb.connect(str(path)) as old:
            old.execute(schema.replace("dossier_id varchar,", "dossier_id varchar primary key,", 1))
    con = make_ingest_store(path)
    keys = con.execute(
        "select count(*) from duckdb_constraints() "
        "where table_name = 'dossiers' and constraint_type = 'PRIMARY KEY'"
    ).fetchone()[0]
    assert keys == (1 if keyed else 0)

    first = tmp_path / "sang.csv"
    first.write_text(
        EXPORT_HEADER
        + "O1,1.001193,00070,2,4,09/10/2025 09:00,09/10/2025 17:00,\n"
        + "O2,1.001193,00073,1,4,09/10/2025 10:00,09/10/2025 17:00,\n"
        + "O3,1.001193,00073,1,4,09/10/2025 11:00,09/10/2025 17:00,\n"
        + "O3,1.001193,00073,1,4,09/10/2025 11:00,09/10/2025 17:00,\n",  # exact repeat: merged
        encoding="utf-8",
    )
    result = ingest_file(con, first)
    assert (result.rows_inserted, result.rows_updated, result.rows_merged) == (3, 0, 1)

    second = tmp_path / "chieu.csv"
    second.write_text(
        EXPORT_HEADER
        + "O2,1.001193,00073,1,4,09/10/2025 10:00,09/10/2025 17:00,\n"  # as before
        + "O3,1.001193,00073,1,10,09/10/2025 11:00,09/10/2025 17:00,09/10/2025 16:00\n"  # returned
        + "O4,1.001193,00070,2,4,09/10/2025 14:00,10/10/2025 17:00,\n"  # new
        + "O4,1.001193,00070,2,4,09/10/2025 14:00,10/10/2025 17:00,\n",
        encoding="utf-8",
    )
    result = ingest_file(con, second)
    assert (result.rows_inserted, result.rows_updated, result.rows_merged) == (1, 1, 1)
    per_id = con.execute(
        "select dossier_id, count(*), any_value(status), any_value(source_file) "
        "from dossiers group by 1 order by 1"
    ).fetchall()
    assert per_id == [
        ("O1", 1, "processing", "sang.csv"),
        ("O2", 1, "processing", "sang.csv"),
        ("O3", 1, "returned", "chieu.csv"),
        ("O4", 1, "processing", "chieu.csv"),
    ]
    con.close()


def test_dates_written_unlike_the_rest_of_their_column(con, tmp_path):
    # Most received dates read "dd/mm/yyyy hh:mm" (the form the column's sample shows); the
    # others are read with the rest of the contract's forms, one by one.
    path = tmp_path / "ngay.csv"
    path.write_text(
        EXPORT_HEADER
        + "D1,1.001193,00070,2,4,06/10/2025 09:00,10/10/2025,\n"
        + "D2,1.001193,00070,2,4,07/10/2025 10:30,10/10/2025,\n"
        + "D3,1.001193,00070,2,4, 2025-10-08 14:30 ,10/10/2025,\n"  # padded ISO
        + "D4,1.001193,00070,2,4,45939.75,10/10/2025,\n"  # Excel serial: 09/10/2025 18:00
        + "D5,1.001193,00070,2,4,09.10.2025,10/10/2025,\n"
        + "D6,1.001193,00070,2,4,hôm qua,10/10/2025,\n",
        encoding="utf-8",
    )
    result = ingest_file(con, path)
    assert (result.rows_inserted, result.rows_quarantined) == (5, 1)
    assert quarantine(con) == {7: "bad_date"}  # D6 is on line 7
    received = con.execute("select dossier_id, received_at, due_at from dossiers order by 1")
    due = datetime(2025, 10, 10, 23, 59, 59)  # a due day without a time: by its end
    assert received.fetchall() == [
        ("D1", datetime(2025, 10, 6, 9, 0), due),
        ("D2", datetime(2025, 10, 7, 10, 30), due),
        ("D3", datetime(2025, 10, 8, 14, 30), due),
        ("D4", datetime(2025, 10, 9, 18, 0), due),
        ("D5", datetime(2025, 10, 9, 0, 0), due),
    ]


def test_each_import_writes_one_audit_record(con, tmp_path):
    path = tmp_path / "sang.csv"
    path.write_text(
        EXPORT_HEADER
        + "A1,1.001193,00070,2,4,09/10/2025 09:00,09/10/2025 17:00,\n"
        + "A2,1.001193,00073,1,4,09/10/2025 10:00,09/10/2025 17:00,\n"
        + "A3,1.001193,99999,1,4,09/10/2025 10:00,09/10/2025 17:00,\n",
        encoding="utf-8",
    )
    ingest_file(con, path, username="admin1")
    audited = "select username, action, commune_code, detail from audit_log order by rowid"
    # A1, A2 inserted; A3's commune 99999 does not exist: quarantined
    assert con.execute(audited).fetchall() == [
        ("admin1", "import", None, "sang.csv: ok; inserted 2, updated 0, quarantined 1"),
    ]
    ingest_file(con, path)  # the same bytes again, from the inbox (no user)
    assert con.execute(audited).fetchall()[1] == (
        None,
        "import",
        None,
        "sang.csv: duplicate_file; inserted 0, updated 0, quarantined 0",
    )


def test_failure_half_way_leaves_the_store_as_it_was(con, tmp_path, monkeypatch):
    base = tmp_path / "base.csv"
    base.write_text(
        EXPORT_HEADER + "F1,1.001193,00070,2,4,09/10/2025 09:00,09/10/2025 17:00,\n",
        encoding="utf-8",
    )
    ingest_file(con, base)
    period = kpi.Period.of(date(2025, 10, 6), date(2025, 10, 12))
    before_kpis = kpi.commune_ranking(con, period)
    before_counts = table_counts(con)
    before_meta = con.execute("select * from meta order by key").fetchall()

    def broken(*args, **kwargs):
        raise OSError("disk full (injected)")

    # dossiers are already upserted when the quarantine write fails
    monkeypatch.setattr(load, "write_quarantine", broken)
    update = tmp_path / "update.csv"
    update.write_text(
        EXPORT_HEADER
        + "F1,1.001193,00070,2,10,09/10/2025 09:00,09/10/2025 17:00,09/10/2025 11:00\n"
        + "F2,1.001193,00073,2,10,09/10/2025 09:00,09/10/2025 17:00,09/10/2025 11:00\n"
        + ",1.001193,00073,2,10,09/10/2025 09:00,,\n",
        encoding="utf-8",
    )
    result = ingest_file(con, update)
    assert result.status == "failed" and "disk full" in result.message
    assert table_counts(con) == before_counts
    assert con.execute("select * from meta order by key").fetchall() == before_meta
    assert dossier(con, "F1")["status"] == "processing"
    assert kpi.commune_ranking(con, period).equals(before_kpis)
    failed = con.execute("select status, rows_inserted from ingest_runs where status = 'failed'")
    assert failed.fetchall() == [("failed", 0)]

    monkeypatch.undo()
    retried = ingest_file(con, update)  # a failed run does not count as "already imported"
    assert (retried.status, retried.rows_inserted, retried.rows_updated) == ("ok", 1, 1)


def test_unreadable_file_is_a_failed_run(con, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("just,some\nwords,here\n", encoding="utf-8")
    result = ingest_file(con, path)
    assert result.status == "failed" and not result.ok
    assert con.execute("select status from ingest_runs").fetchall() == [("failed",)]
    assert con.execute("select count(*) from dossiers").fetchone()[0] == 0


# Rollups at import: only the communes a file touches are rebuilt, and the result is the same as a
# full rebuild. Four dossiers in the four communes of the fixture, then a small file.
ROLLUP_BASE = (
    EXPORT_HEADER
    + "R1,1.001193,00070,2,4,06/10/2025 09:00,08/10/2025 17:00,\n"  # HK, online, open
    + "R2,1.001193,00073,1,4,06/10/2025 10:00,10/10/2025 17:00,\n"  # CN, direct, open
    + "R3,1.001193,00091,2,4,07/10/2025 09:00,09/10/2025 17:00,\n"  # XT, online, open
    + "R4,1.001193,00092,1,10,07/10/2025 09:00,09/10/2025 17:00,08/10/2025 15:00\n"  # PT, returned
)
WEEK = kpi.Period.of(date(2025, 10, 6), date(2025, 10, 12))  # Mon 6/10 - Sun 12/10
FIGURES = ("received", "received_online", "resolved", "resolved_on_time", "open_at_end")


def rollup_tables(con) -> list[list[tuple]]:
    tables = ("received", "resolved", "open", "open_commune", "hourly", "unfinished")
    return [con.execute(f"select * from rollup_{t} order by all").fetchall() for t in tables]  # noqa: S608


def full_rebuild(con) -> list[list[tuple]]:
    """The rollup tables rebuilt from scratch (the import's own rows are read first)."""
    with load.transaction(con):
        rollups.refresh(con)
    return rollup_tables(con)


def figures(con, commune: str) -> tuple[int, ...]:
    counts = kpi.kpi_counts(con, WEEK, "commune", "01").filter(pl.col("group_key") == commune)
    return tuple(int(counts[c].sum()) for c in FIGURES)  # no row: no dossier, all 0


@pytest.fixture
def refreshed(con, tmp_path, monkeypatch) -> list:
    """The store holding ROLLUP_BASE; afterwards, the communes each rollup refresh was asked for
    (None: all)."""
    base = tmp_path / "base.csv"
    base.write_text(ROLLUP_BASE, encoding="utf-8")
    assert ingest_file(con, base).rows_inserted == 4
    asked = []
    refresh = rollups.refresh

    def spy(con, communes=None):
        asked.append(None if communes is None else set(communes))
        refresh(con, communes)

    monkeypatch.setattr(rollups, "refresh", spy)
    return asked


def test_an_import_rebuilds_only_the_rollups_of_the_communes_it_touches(con, tmp_path, refreshed):
    assert figures(con, HK) == (1, 1, 0, 0, 1)
    assert figures(con, CN) == (1, 0, 0, 0, 1)
    path = tmp_path / "chieu.csv"
    path.write_text(
        EXPORT_HEADER
        + "R1,1.001193,00070,2,4,06/10/2025 09:00,08/10/2025 17:00,\n"  # as before: not written
        + "R2,1.001193,00073,1,10,06/10/2025 10:00,10/10/2025 17:00,08/10/2025 11:00\n"  # returned
        + "R5,1.001193,00073,2,4,09/10/2025 08:00,14/10/2025 17:00,\n",  # new, CN, online
        encoding="utf-8",
    )
    result = ingest_file(con, path)
    assert (result.rows_inserted, result.rows_updated) == (1, 1)
    assert result.touched_communes == {CN}
    assert refreshed == [{CN}]
    # CN: received R2 and R5 (R5 online); R2 resolved 8/10, due 10/10: on time; R5 open at the end
    # of 12/10. HK, XT, PT as before.
    assert figures(con, CN) == (2, 1, 1, 1, 1)
    assert figures(con, HK) == (1, 1, 0, 0, 1)
    assert figures(con, XT) == (1, 1, 0, 0, 1)
    assert figures(con, PT) == (1, 0, 1, 1, 0)
    # in step: the next open does not rebuild, and the tables are those of a full rebuild
    assert store.get_meta(con, "rollup_state") == rollups.state(con)
    assert rollups.ensure(con) is False
    assert refreshed == [{CN}]
    partial = rollup_tables(con)
    assert partial == full_rebuild(con)
    assert len(partial[0]) == 5  # received: R1 R3 R4, R2 (6/10) and R5 (9/10) in CN


def test_a_dossier_moved_to_another_commune_moves_its_counts(con, tmp_path, refreshed):
    path = tmp_path / "sua.csv"
    path.write_text(
        EXPORT_HEADER + "R1,1.001193,00073,2,4,06/10/2025 09:00,08/10/2025 17:00,\n",  # HK -> CN
        encoding="utf-8",
    )
    result = ingest_file(con, path)
    assert (result.rows_inserted, result.rows_updated) == (0, 1)
    assert refreshed == [{HK, CN}]
    assert figures(con, HK) == (0, 0, 0, 0, 0)
    # CN: R2 as before and R1 (online); both open and, due 10/10 and 8/10, overdue on 12/10
    assert figures(con, CN) == (2, 1, 0, 0, 2)
    counts = kpi.kpi_counts(con, WEEK, "commune", "01").filter(pl.col("group_key") == CN)
    assert counts["open_overdue"].to_list() == [2]
    assert rollup_tables(con) == full_rebuild(con)
    assert rollups.ensure(con) is False


def test_an_import_that_changes_no_dossier_refreshes_nothing(con, tmp_path, refreshed):
    before = rollup_tables(con)
    path = tmp_path / "lai.csv"  # the base rows in other bytes: read, nothing written
    path.write_text(ROLLUP_BASE.replace("\n", "\r\n"), encoding="utf-8")
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted, result.rows_updated) == ("ok", 0, 0)
    assert refreshed == [set()]
    assert rollup_tables(con) == before
    assert rollups.ensure(con) is False  # the data version moved on, the rollup state with it


def test_rollups_out_of_step_before_an_import_are_rebuilt_whole(con, tmp_path, refreshed):
    con.execute(  # a dossier written without an import: the rollups do not count it yet
        "insert into dossiers (dossier_id, procedure_code, commune_code, channel, received_at, "
        "status) values ('H1', '1.001193', ?, 'online', ?, 'accepted')",
        [XT, datetime(2025, 10, 8, 9, 0)],
    )
    path = tmp_path / "moi.csv"
    path.write_text(
        EXPORT_HEADER + "R6,1.001193,00070,2,4,09/10/2025 09:00,10/10/2025 17:00,\n",
        encoding="utf-8",
    )
    ingest_file(con, path)
    assert refreshed == [None]
    assert figures(con, XT) == (2, 2, 0, 0, 2)  # R3 and H1
    assert figures(con, HK) == (2, 2, 0, 0, 2)  # R1 and R6
    assert rollups.ensure(con) is False
    assert rollup_tables(con) == full_rebuild(con)
