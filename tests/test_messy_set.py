"""A realistic set of exports on a fresh store (issue 14): three communes, three systems' formats and
a later re-export, worded as the systems word them, with a handful of genuinely bad rows. Only the
bad rows are quarantined, each for its real defect, and every KPI equals the figures worked out by
hand below (period 06/10–12/10/2025, as of the end of 12/10; the next working day is 13/10).

File A, an Excel report of Phường Cửa Nam (title block above the header, text dates):
  A1 khai sinh, online, "Đã trả kết quả", received 06/10, due 06/10, finished 06/10: on time
  A2 chứng thực, at the counter, "Yêu cầu bổ sung giấy tờ", received 07/10, due 09/10: open
  A3 chứng thực, "Nộp trực tuyến", "Chờ trả kết quả", received 08/10, due 10/10, finished 09/10
  A4 no id                                          -> quarantined, no_id
  A5 due 07/10 before received 08/10                -> quarantined, date_order
File B, a Windows-1258 CSV with semicolons of Phường Hoàn Kiếm (another system's headers):
  B1 "P. Hoàn Kiếm", khai sinh, online, "Đang xử lý", received 09/10, due 14/10: open
  B2 old unit "Phường Hàng Bạc", "Tại quầy", "Công dân yêu cầu rút hồ sơ", received 10/10
  B3 "Phường Tràng Tiền", split between two new communes, nothing to settle it -> ambiguous
  B4 received 20/10/2025, after now                 -> quarantined, future_date
  B5 "Phường Không Tồn Tại"                          -> quarantined, unknown_commune
File C, the portal's sync JSON of Xã Thanh Trì (codes, yyyyMMddHHmmss dates):
  C1 khai sinh, KenhThucHien 2, MucDo 4, TrangThaiHoSo 10, received 07/10, due 07/10,
     finished 08/10: late
  C2 chứng thực, KenhThucHien 3 (post), TrangThaiHoSo 4, DuocThanhToanTrucTuyen 3 (not paid
     online), received 10/10, due 13/10: open, due soon
  C3 TrangThaiHoSo 11, a code no system defines      -> quarantined, unknown_status
  C4 no NgayTiepNhan, TrangThaiHoSo 4                 -> quarantined, no_received
File D, Cửa Nam's report exported again later: A1 as before, A2 now returned, finished 10/10
(due 09/10: late).

Cửa Nam: received 3 (A1 A2 A3), online 2 (A1 A3), end-to-end 1 (A1; A3's procedure is partial),
resolved 3 (A1 06/10, A3 09/10, A2 10/10), on time 2 (A1, A3), late 1 (A2), open 0.
Hoàn Kiếm: received 2 (B1, B2 withdrawn is received), online 1, end-to-end 1 (B1), resolved 0,
open 1 (B1; B2 is withdrawn), overdue 0, due soon 0 (due 14/10).
Xã Thanh Trì: received 2, online 1 (C1), end-to-end 1, postal 1 (C2), resolved 1 (C1), on time 0,
late 1, open 1 (C2), due soon 1, with fee 1 (C2), paid online 0.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import xlsxwriter
from ingest_fixture import CHUNG_THUC, CN, HK, KHAI_SINH, XT, cp1258, make_ingest_store

from ioc import kpi
from ioc.ingest import ingest_file

PERIOD = kpi.Period.of(date(2025, 10, 6), date(2025, 10, 12), datetime(2025, 10, 13, 10, 0))
HEADER_A = [
    "Số hồ sơ", "Mã thủ tục", "Đơn vị tiếp nhận", "Kênh tiếp nhận", "Trạng thái",
    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý",
]  # fmt: skip


def excel(path: Path, rows: list[list]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Bao cao")
    sheet.write(0, 0, "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ")
    sheet.write(1, 0, "Từ ngày 06/10/2025 đến ngày 12/10/2025")
    sheet.write_row(3, 0, HEADER_A)
    for i, row in enumerate(rows, start=4):
        sheet.write_row(i, 0, row)
    book.close()
    return path


A1 = ["A1", KHAI_SINH, "Phường Cửa Nam", "Trực tuyến", "Đã trả kết quả", "06/10/2025 09:00",
      "06/10/2025 17:00", "06/10/2025 15:00"]  # fmt: skip
A2 = ["A2", CHUNG_THUC, "Phường Cửa Nam", "Trực tiếp", "Yêu cầu bổ sung giấy tờ",
      "07/10/2025 08:00", "09/10/2025 17:00", ""]  # fmt: skip
A3 = ["A3", CHUNG_THUC, "Phường Cửa Nam", "Nộp trực tuyến", "Chờ trả kết quả",
      "08/10/2025 08:00", "10/10/2025 17:00", "09/10/2025 10:00"]  # fmt: skip
A4 = ["", KHAI_SINH, "Phường Cửa Nam", "Trực tuyến", "Đang xử lý", "08/10/2025 08:00", "", ""]
A5 = ["A5", KHAI_SINH, "Phường Cửa Nam", "Trực tuyến", "Đang xử lý", "08/10/2025 08:00",
      "07/10/2025 17:00", ""]  # fmt: skip
A2_LATER = ["A2", CHUNG_THUC, "Phường Cửa Nam", "Trực tiếp", "Đã trả kết quả",
            "07/10/2025 08:00", "09/10/2025 17:00", "10/10/2025 09:00"]  # fmt: skip

CSV_B = """Ma ho so;Ma TTHC;Xa/Phuong;Hinh thuc nop;Tinh trang;Ngay nhan;Han xu ly
B1;1.001193;P. Hoàn Kiếm;Trực tuyến;Đang xử lý;09/10/2025 09:00;14/10/2025 17:00
B2;2.000815;Phường Hàng Bạc;Tại quầy;Công dân yêu cầu rút hồ sơ;10/10/2025 08:30;14/10/2025 17:00
B3;2.000815;Phường Tràng Tiền;Tại quầy;Đang xử lý;10/10/2025 09:00;14/10/2025 17:00
B4;1.001193;P. Hoàn Kiếm;Trực tuyến;Đang xử lý;20/10/2025 09:00;21/10/2025 17:00
B5;1.001193;Phường Không Tồn Tại;Trực tuyến;Đang xử lý;10/10/2025 09:00;14/10/2025 17:00
"""


def portal(dossier: str, procedure: str, **fields: object) -> dict:
    return {"MaHoSo": dossier, "MaTTHC": procedure, "DonViXuLy": XT, **fields}


JSON_C = {
    "hoSo": [
        portal(
            "C1", KHAI_SINH, KenhThucHien=2, MucDo=4, TrangThaiHoSo=10,
            NgayTiepNhan="20251007090000", NgayHenTra="20251007170000",
            NgayKetThucXuLy="20251008100000", DuocThanhToanTrucTuyen="",
            QuaTrinhXuLy=[
                {"ThoiDiemXuLy": "20251007090000", "PhongBanXuLy": "Một cửa",
                 "NoiDungXuLy": "Tiếp nhận", "TrangThai": "2"},
                {"ThoiDiemXuLy": "20251008100000", "PhongBanXuLy": "Tư pháp",
                 "NoiDungXuLy": "Đã xử lý xong", "TrangThai": "9"},
            ],
        ),
        portal(
            "C2", CHUNG_THUC, KenhThucHien=3, MucDo=3, TrangThaiHoSo=4,
            NgayTiepNhan="20251010080000", NgayHenTra="20251013170000",
            DuocThanhToanTrucTuyen="3",
        ),
        portal("C3", KHAI_SINH, KenhThucHien=2, TrangThaiHoSo=11, NgayTiepNhan="20251010080000"),
        portal("C4", KHAI_SINH, KenhThucHien=1, TrangThaiHoSo=4),
    ]
}  # fmt: skip


@pytest.fixture
def imported(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.setenv("IOC_SALT", "test-salt")
    con = make_ingest_store(tmp_path / "store.duckdb")
    a = excel(tmp_path / "cua_nam_tuan_41.xlsx", [A1, A2, A3, A4, A5])
    b = tmp_path / "hoan_kiem.csv"
    b.write_bytes(cp1258(CSV_B))
    c = tmp_path / "dvcqg_thanh_tri.json"
    c.write_text(json.dumps(JSON_C, ensure_ascii=False), encoding="utf-8")
    d = excel(tmp_path / "cua_nam_tuan_41_lan_2.xlsx", [A1, A2_LATER])
    runs = [ingest_file(con, path) for path in (a, b, c, d, a)]
    yield con, runs
    con.close()


def test_only_the_genuinely_bad_rows_are_quarantined(imported):
    con, runs = imported
    assert [r.status for r in runs] == ["ok", "ok", "ok", "ok", "duplicate_file"]
    assert [(r.rows_inserted, r.rows_updated, r.rows_quarantined) for r in runs[:4]] == [
        (3, 0, 2),
        (2, 0, 3),
        (2, 0, 2),
        (0, 1, 0),  # A1 unchanged, A2 now returned
    ]
    reasons = con.execute(
        "select source_file, reason_code, count(*) from quarantine group by all order by all"
    ).fetchall()
    assert reasons == [
        ("cua_nam_tuan_41.xlsx", "date_order", 1),
        ("cua_nam_tuan_41.xlsx", "no_id", 1),
        ("dvcqg_thanh_tri.json", "no_received", 1),
        ("dvcqg_thanh_tri.json", "unknown_status", 1),
        ("hoan_kiem.csv", "ambiguous_commune", 1),
        ("hoan_kiem.csv", "future_date", 1),
        ("hoan_kiem.csv", "unknown_commune", 1),
    ]


def test_every_kpi_equals_the_hand_computed_figures(imported):
    con, _ = imported
    ranking = kpi.commune_ranking(con, PERIOD, province="01")
    got = {
        row["commune_code"]: row
        for row in ranking.iter_rows(named=True)
        if row["commune_code"] in (CN, HK, XT)
    }
    columns = (
        "received", "received_online", "received_end_to_end", "received_postal", "resolved",
        "resolved_on_time", "resolved_late", "open_at_end", "open_overdue", "open_due_soon",
        "received_with_fee", "received_paid_online",
    )  # fmt: skip
    expected = {
        CN: (3, 2, 1, 0, 3, 2, 1, 0, 0, 0, 2, 0),
        HK: (2, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0),
        XT: (2, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0),
    }
    assert {code: tuple(got[code][c] for c in columns) for code in expected} == expected
    assert got[CN]["online_rate"] == pytest.approx(2 / 3)
    assert got[XT]["on_time_rate"] == 0.0
    assert got[HK]["end_to_end_rate"] == pytest.approx(1 / 2)
    steps = con.execute("select count(*) from dossier_steps where dossier_id = 'C1'").fetchone()
    assert steps == (2,)  # the portal's processing log came in with its dossier
