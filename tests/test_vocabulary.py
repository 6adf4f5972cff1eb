"""Reading values by meaning (issue 14): each rule with the value as a real export writes it, the
national portal's codes, spreadsheet booleans, short unit names, ambiguity, and an import in which
every such row lands (none of the 12% that were quarantined for wording)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from ingest_fixture import CN, KHAI_SINH, XT, make_ingest_store

from ioc.ingest import ingest_file, vocabulary
from ioc.ingest.vocabulary import AMBIGUOUS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # the contract's labels and the portal's codes
        ("Đã trả kết quả", "returned"),
        ("10", "returned"),
        ("5", "supplement_requested"),
        ("DANG XU LY", "processing"),
        # wording real systems use
        ("Yêu cầu bổ sung giấy tờ", "supplement_requested"),
        ("Chờ công dân bổ sung hồ sơ", "supplement_requested"),
        ("Công dân yêu cầu rút hồ sơ", "withdrawn"),
        ("Đã rút", "withdrawn"),
        ("Từ chối giải quyết", "rejected"),
        ("Không tiếp nhận - hồ sơ không hợp lệ", "rejected"),
        ("Chờ tiếp nhận", "registered"),
        ("Đã tiếp nhận", "accepted"),
        ("Chờ trình ký", "processing"),
        ("Đang thẩm định hồ sơ", "processing"),
        ("Chuyển bộ phận chuyên môn thẩm tra", "processing"),
        ("Chờ xác minh thực địa", "processing"),
        ("Đã tiếp nhận, đang xử lý", "processing"),  # two steps of the line: the later
        ("Đang xử lý - yêu cầu bổ sung", "supplement_requested"),  # a state of its own wins
        ("Chờ thực hiện nghĩa vụ tài chính", "payment_requested"),
        ("Chờ nộp lệ phí", "payment_requested"),
        ("Tạm dừng xử lý", "stopped"),
        ("Đã xử lý xong, chờ trả kết quả", "finished"),
        ("Chờ trả kết quả", "finished"),
        ("Hoàn thành", "finished"),
        ("Đã có kết quả", "finished"),
        ("Đã trả kết quả đúng hạn", "returned"),  # "đúng" is not "dừng"
        ("da tra ket qua", "returned"),
        # unknown and ambiguous
        ("Quá hạn", None),
        ("Lưu trữ", None),
        ("Từ chối - công dân rút hồ sơ", AMBIGUOUS),
    ],
)
def test_status(text, status):
    assert vocabulary.read_status(text) == status


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("1", "direct"),
        ("2", "online"),
        ("3", "postal"),
        ("Trực tuyến", "online"),
        ("Nộp trực tuyến qua Cổng DVC quốc gia", "online"),
        ("Dịch vụ công trực tuyến", "online"),
        ("Tại quầy", "direct"),
        ("Bộ phận Một cửa", "direct"),
        ("Qua dịch vụ bưu chính công ích", "postal"),
        ("Bưu điện", "postal"),
        ("Fax", None),
        ("Trực tuyến hoặc bưu chính", AMBIGUOUS),
    ],
)
def test_channel(text, channel):
    assert vocabulary.read_channel(text) == channel


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("4", "full"),
        ("Mức độ 4", "full"),
        ("DVC trực tuyến toàn trình", "full"),
        ("Một phần", "partial"),
        ("Mức 3", "partial"),
        ("Cung cấp thông tin", "info"),
        ("2", "info"),
        ("Mức độ 5", None),
    ],
)
def test_level(text, level):
    assert vocabulary.read_level(text) == level


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("TRUE", True),
        ("FALSE", False),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("✔", True),
        ("Có", True),
        ("Không", False),
        ("1", True),
        ("0", False),
        ("1.0", True),
        ("Đúng", True),
        ("Sai", False),
        ("Đã số hóa", True),
        ("Chưa", False),
        ("Có lẽ", None),
    ],
)
def test_flag(text, flag):
    assert vocabulary.read_flag(text) == flag


@pytest.mark.parametrize(
    ("text", "paid"),
    [("1", True), ("2", True), ("3", False), ("3.0", False), ("Có", True), ("Không", False)],
)
def test_portal_payment_flag(text, paid):
    """DuocThanhToanTrucTuyen: 1 and 2 are the two online routes, 3 is not online."""
    assert vocabulary.read_paid(text) == paid


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("P. Cửa Nam", "Phường Cửa Nam"),
        ("P.Cửa Nam", "Phường Cửa Nam"),
        ("X. Thanh Trì", "Xã Thanh Trì"),
        ("TT. Văn Điển", "Thị trấn Văn Điển"),
        ("Phường Cửa Nam", "Phường Cửa Nam"),
        ("Pháp Vân", "Pháp Vân"),  # a name starting with P is not an abbreviation
    ],
)
def test_short_unit_names(text, expanded):
    assert vocabulary.expand_unit(text) == expanded


def test_the_vocabulary_document_is_the_code():
    assert (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8") == vocabulary.document()


def test_a_second_systems_excel_report_lands_whole(tmp_path, monkeypatch):
    """Other headers, real date cells, «P.» and «X.», TRUE/FALSE and «x» marks, long status
    labels and the portal's payment code 3: every row lands; only the truly ambiguous label is
    quarantined. Counted by hand: 5 rows, 4 land (2 in Cửa Nam, 2 in Xã Thanh Trì)."""
    from datetime import datetime

    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    con = make_ingest_store(tmp_path / "s.duckdb")
    path = tmp_path / "bao_cao.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Báo cáo")
    date_format = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write_row(0, 0, ["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"])
    header = [
        "STT", "Số biên nhận", "Mã thủ tục", "Phường/Xã", "Hình thức nộp hồ sơ",
        "Tình trạng hồ sơ", "Ngày nhận hồ sơ", "Ngày hẹn", "Số hóa", "Thanh toán trực tuyến",
    ]  # fmt: skip
    sheet.write_row(2, 0, header)
    rows = [
        (
            1,
            "BN-1",
            KHAI_SINH,
            "P. Cửa Nam",
            "Nộp trực tuyến",
            "Yêu cầu bổ sung giấy tờ",
            True,
            "3",
        ),
        (2, "BN-2", KHAI_SINH, "P. Cửa Nam", "Tại quầy", "Đã tiếp nhận, đang xử lý", False, "1"),
        (3, "BN-3", KHAI_SINH, "X. Thanh Trì", "Trực tuyến", "Công dân yêu cầu rút hồ sơ", "x", ""),
        (4, "BN-4", KHAI_SINH, "X. Thanh Trì", "Bưu điện", "Chờ trả kết quả", "✓", "3"),
        (5, "BN-5", KHAI_SINH, "X. Thanh Trì", "Tại quầy", "Từ chối - công dân rút hồ sơ", "", ""),
    ]
    for i, (n, code, proc, unit, channel, status, digitized, paid) in enumerate(rows, start=3):
        sheet.write_row(i, 0, [n, code, proc, unit, channel, status])
        sheet.write_datetime(i, 6, datetime(2025, 10, 9, 8 + n), date_format)
        sheet.write_datetime(i, 7, datetime(2025, 10, 14, 17), date_format)
        sheet.write(i, 8, digitized)
        sheet.write(i, 9, paid)
    book.close()
    result = ingest_file(con, path)
    assert result.status == "ok", result.message
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (5, 4, 1)
    got = con.execute(
        "select dossier_id, commune_code, channel, status, digitized, paid_online, received_at "
        "from dossiers order by dossier_id"
    ).fetchall()
    assert got == [
        ("BN-1", CN, "online", "supplement_requested", True, False, datetime(2025, 10, 9, 9)),
        ("BN-2", CN, "direct", "processing", False, True, datetime(2025, 10, 9, 10)),
        ("BN-3", XT, "online", "withdrawn", True, None, datetime(2025, 10, 9, 11)),
        ("BN-4", XT, "postal", "finished", True, False, datetime(2025, 10, 9, 12)),
    ]
    reason = con.execute("select reason_code, reason_vi from quarantine").fetchone()
    assert reason[0] == "ambiguous_value" and "Từ chối - công dân rút hồ sơ" in reason[1]
