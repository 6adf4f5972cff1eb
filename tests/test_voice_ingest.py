"""Importing citizens' ratings and feedback (issue 18): the kind told by the header, the wording
read by meaning, bad rows quarantined with their reason, personal text masked (quarantine
included), and the same export imported again changing nothing. Expected rows worked out by hand
beside each line of the files."""

from __future__ import annotations

from datetime import datetime

import pytest
from fixtures import C1, C2, P1, P2

from ioc.ingest import ingest_file, quarantine, vocabulary
from ioc.ingest.pii import mask_text


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Rất hài lòng", "very_satisfied"),
        ("Hài lòng", "satisfied"),
        ("Không hài lòng", "not_satisfied"),  # "hài lòng" inside is not read twice
        ("Chưa hài lòng", "not_satisfied"),
        ("RAT HAI LONG", "very_satisfied"),
        ("Tốt", "satisfied"),
        ("Chấp nhận được", "satisfied"),
        ("Kém", "not_satisfied"),
        ("5 sao", None),
    ],
)
def test_rating_levels(text, level):
    assert vocabulary.read_rating(text) == level


def test_feedback_wording():
    assert vocabulary.read_feedback_channel("Cổng Dịch vụ công quốc gia") == "portal"
    assert vocabulary.read_feedback_channel("Đường dây nóng 1022") == "hotline"
    assert vocabulary.read_feedback_channel("Thư điện tử") == "email"
    assert vocabulary.read_feedback_channel("Bồ câu") is None
    assert vocabulary.read_outcome("Đã trả lời") == "answered"
    assert vocabulary.read_outcome("Từ chối tiếp nhận") == "rejected"
    assert vocabulary.read_outcome("Đề nghị cung cấp thêm thông tin") == "info_requested"
    assert vocabulary.read_outcome("Đang xử lý") == "open"
    assert vocabulary.read_outcome("Lưu trữ") is None


def test_free_text_masked():
    import polars as pl

    masked = mask_text(
        pl.Series(["Ông Nguyễn Văn An gọi 0912 345 678, email an.nv@mail.vn, CCCD 001203004005"])
    )[0]
    assert masked == "Ông Nguyễn V. A. gọi ***, email ***, CCCD ***"


RATINGS_CSV = (
    "KẾT QUẢ ĐÁNH GIÁ MỨC ĐỘ HÀI LÒNG\n"
    "Mã hồ sơ;Xã/Phường;Mã TTHC;Ngày đánh giá;Tiêu chí đánh giá;Mức độ hài lòng;Ý kiến khác\n"
    "d01;;;06/10/2025 16:00;;Rất hài lòng;Cảm ơn chị Trần Thị Bình\n"  # 3: loads, the dossier's commune and procedure
    "d03;;;07/10/2025 17:00;Thời gian giải quyết;Không hài lòng;Gọi 0912345678 không ai nghe\n"  # 4: loads, a criterion
    "d03;;;07/10/2025 17:00;Tổng thể;Chưa hài lòng;\n"  # 5: loads, «Tổng thể» is the overall row
    "x99;Xã Hai;1.001193;08/10/2025;;Hài lòng;\n"  # 6: loads: an unknown dossier, the file's commune
    ";;;08/10/2025;;Hài lòng;\n"  # 7: no dossier id
    "d02;;;32/10/2025;;Hài lòng;\n"  # 8: unreadable date
    "d02;;;;;Hài lòng;\n"  # 9: no date
    "d02;;;08/10/2025;;5 sao;\n"  # 10: unknown level
    "d02;Xã Không Có;;08/10/2025;;Hài lòng;\n"  # 11: unknown commune
    "y99;;;08/10/2025;;Hài lòng;\n"  # 12: unknown dossier, no commune
    "d02;;;20/10/2025;;Hài lòng;\n"  # 13: more than a day in the future (now 13/10 10:00)
    "d10;;;10/10/2025 09:00;;Hài lòng;\n"  # 14, 15: one key, two levels
    "d10;;;10/10/2025 09:00;;Không hài lòng;Nguyễn Văn Cường chậm\n"
    "d01;;;06/10/2025 16:00;;Rất hài lòng;Cảm ơn chị Trần Thị Bình\n"  # 16: line 3 again: once
)


def test_rating_import_with_bad_rows(fixture_con, tmp_path):
    path = tmp_path / "danh-gia.csv"
    path.write_text(RATINGS_CSV, encoding="utf-8")
    result = ingest_file(fixture_con, path)
    assert (result.status, result.kind) == ("ok", "ratings")
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (14, 4, 9)
    stored = fixture_con.execute(
        "select rating_id, dossier_id, commune_code, procedure_code, rated_at, criterion, level, "
        "comment_masked from dossier_ratings order by rating_id"
    ).fetchall()
    assert stored == [
        ("d01||2025-10-06T16:00:00", "d01", C1, P1, datetime(2025, 10, 6, 16), None,
         "very_satisfied", "Cảm ơn chị Trần T. B."),
        ("d03|Thời gian giải quyết|2025-10-07T17:00:00", "d03", C1, P2, datetime(2025, 10, 7, 17),
         "Thời gian giải quyết", "not_satisfied", "Gọi *** không ai nghe"),
        ("d03||2025-10-07T17:00:00", "d03", C1, P2, datetime(2025, 10, 7, 17), None,
         "not_satisfied", None),
        ("x99||2025-10-08T00:00:00", "x99", C2, P1, datetime(2025, 10, 8), None, "satisfied", None),
    ]  # fmt: skip
    reasons = fixture_con.execute(
        "select row_number, reason_code from quarantine order by row_number"
    ).fetchall()
    assert reasons == [
        (7, "no_id"), (8, "bad_date"), (9, "no_rated_at"), (10, "unknown_rating"),
        (11, "unknown_commune"), (12, "unknown_dossier"), (13, "future_date"),
        (14, "rating_conflict"), (15, "rating_conflict"),
    ]  # fmt: skip
    raw = " ".join(
        r[0] for r in fixture_con.execute("select raw_values from quarantine").fetchall()
    )
    assert "Cường" not in raw and "Nguyễn V. C." in raw  # comments masked in quarantine too
    # the quarantine's retry re-reads dossier rows only: these rows stay where they are
    quarantine.retry(fixture_con, None)
    assert fixture_con.execute("select count(*) from dossiers where dossier_id = 'd02'").fetchone()
    assert (
        fixture_con.execute("select count(*) from quarantine where status = 'resolved'").fetchone()[
            0
        ]
        == 0
    )
    # the same export again, saved anew (another file): nothing changes
    again = tmp_path / "danh-gia-lai.csv"
    again.write_bytes(path.read_bytes() + b"\n")
    second = ingest_file(fixture_con, again)
    assert (second.status, second.rows_inserted, second.rows_updated) == ("ok", 0, 0)
    assert fixture_con.execute("select count(*) from dossier_ratings").fetchone()[0] == 4


FEEDBACK_CSV = (
    "Mã PAKN;Đơn vị xử lý;Mã TTHC;Kênh tiếp nhận;Chủ đề;Ngày tiếp nhận;Ngày chuyển xử lý;"
    "Hạn trả lời;Ngày trả lời;Trạng thái;Lượt thích;Lượt không thích;Khiếu nại;Nội dung phản ánh\n"
    # 2: loads; dislikes over likes: rated unsatisfied; the name and phone masked
    "PA01;Phường Một;2.000815;Cổng Dịch vụ công quốc gia;Thời gian giải quyết;06/10/2025 08:00;"
    "07/10/2025;;09/10/2025;Đã trả lời;1;3;Có;Bà Lê Thị Hoa chờ 2 tuần, SĐT 0987654321\n"
    # 3: loads, open (no outcome, no answer)
    "PA02;90002;;Đường dây nóng;Phí, lệ phí;08/10/2025;;20/10/2025;;Đang xử lý;;;;Thu phí sai\n"
    # 4: loads: an answer date and no state reads as answered
    "PA03;Xã Hai;;;Thái độ;09/10/2025;;;10/10/2025;;;;;\n"
    "PA04;Phường Một;;Bồ câu;Khác;09/10/2025;;;;;;;;\n"  # 5: unknown channel
    "PA05;Phường Một;;;Khác;09/10/2025;;;;Lưu trữ;;;;\n"  # 6: unknown state
    "PA06;Phường Một;;;Khác;;;;;;;;;\n"  # 7: no received date
    "PA07;Phường Một;;;Khác;09/10/2025;;;08/10/2025;Đã trả lời;;;;\n"  # 8: answered before received
    "PA08;Phường Một;;;Khác;09/10/2025;;;;Đã trả lời;;;;\n"  # 9: answered without a date
    "PA09;Xã Không Có;;;Khác;09/10/2025;;;;;;;;\n"  # 10: unknown commune
    "PA10;Phường Một;;;Khác;09/10/2025;;;;;;;Có lẽ;\n"  # 11: unreadable yes/no
    "PA11;Phường Một;;;Khác;09/10/2025;;;;;nhiều;;;\n"  # 12: unreadable like count
)


def test_feedback_import_with_bad_rows(fixture_con, tmp_path):
    path = tmp_path / "phan-anh.csv"
    path.write_text(FEEDBACK_CSV, encoding="utf-8")
    result = ingest_file(fixture_con, path)
    assert (result.status, result.kind) == ("ok", "feedback")
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (11, 3, 8)
    stored = fixture_con.execute(
        "select feedback_id, commune_code, procedure_code, channel, topic, received_at, "
        "transferred_at, due_at, answered_at, outcome, rated_unsatisfied, complaint_after, "
        "content_masked from feedback order by feedback_id"
    ).fetchall()
    assert stored == [
        ("PA01", C1, P2, "portal", "Thời gian giải quyết", datetime(2025, 10, 6, 8),
         datetime(2025, 10, 7), None, datetime(2025, 10, 9), "answered", True, True,
         "Bà Lê T. H. chờ 2 tuần, SĐT ***"),
        ("PA02", C2, None, "hotline", "Phí, lệ phí", datetime(2025, 10, 8), None,
         datetime(2025, 10, 20), None, None, None, None, "Thu phí sai"),
        ("PA03", C2, None, None, "Thái độ", datetime(2025, 10, 9), None, None,
         datetime(2025, 10, 10), "answered", None, None, None),
    ]  # fmt: skip
    reasons = fixture_con.execute(
        "select row_number, reason_code from quarantine order by row_number"
    ).fetchall()
    assert reasons == [
        (5, "unknown_feedback_channel"), (6, "unknown_outcome"), (7, "no_feedback_received"),
        (8, "date_order"), (9, "no_answer_date"), (10, "unknown_commune"), (11, "unknown_flag"),
        (12, "unknown_flag"),
    ]  # fmt: skip
    again = tmp_path / "phan-anh-lai.csv"
    again.write_bytes(path.read_bytes() + b"\n")
    second = ingest_file(fixture_con, again)
    assert (second.status, second.rows_inserted, second.rows_updated) == ("ok", 0, 0)
    assert fixture_con.execute("select count(*) from feedback").fetchone()[0] == 3


def test_preview_of_a_rating_export(fixture_con, tmp_path):
    """The upload page's dry run reads a rating export as the import will (nothing written)."""
    path = tmp_path / "danh-gia.csv"
    path.write_text(RATINGS_CSV, encoding="utf-8")
    seen = quarantine.preview(fixture_con, path)
    # the same figures test_rating_import_with_bad_rows gets from the import itself
    assert (seen.status, seen.rows_read, seen.to_insert, seen.to_update) == ("ok", 14, 4, 0)
    assert seen.quarantine["rating_conflict"] == 2 and seen.to_quarantine == 9
    assert seen.examples["unknown_rating"][0] == "Mức độ hài lòng không xác định: «5 sao»"
    assert fixture_con.execute("select count(*) from dossier_ratings").fetchone() == (0,)
    ingest_file(fixture_con, path)
    again = tmp_path / "danh-gia-lai.csv"
    again.write_bytes(path.read_bytes() + b"\n")
    seen = quarantine.preview(fixture_con, again)
    assert (seen.to_insert, seen.to_update, seen.unchanged) == (0, 0, 4)


def test_feedback_workbook_with_a_title_block(fixture_con, tmp_path):
    """An Excel export as the feedback system gives it: a title block above the header, numeric
    ids, real date cells."""
    import xlsxwriter

    path = tmp_path / "pakn.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("PAKN")
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet.write(0, 0, "DANH SÁCH PHẢN ÁNH, KIẾN NGHỊ")
    sheet.write(1, 0, "Từ ngày 06/10/2025 đến ngày 12/10/2025")
    header = [
        "STT",
        "Mã PAKN",
        "Xã/Phường",
        "Chủ đề",
        "Ngày tiếp nhận",
        "Ngày trả lời",
        "Tình trạng",
    ]
    for col, text in enumerate(header):
        sheet.write(3, col, text)
    rows = [
        (1, 1001, "Phường Một", "Thái độ", datetime(2025, 10, 6, 9), datetime(2025, 10, 8, 9), "Đã trả lời"),
        (2, 1002, "Xã Hai", "Phí", datetime(2025, 10, 7, 9), None, "Chưa xử lý"),
    ]  # fmt: skip
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, col, value, when)
            elif value is not None:
                sheet.write(r, col, value)
    book.close()
    result = ingest_file(fixture_con, path)
    assert (result.status, result.kind, result.rows_inserted) == ("ok", "feedback", 2)
    stored = fixture_con.execute(
        "select feedback_id, commune_code, received_at, answered_at, outcome from feedback "
        "order by feedback_id"
    ).fetchall()
    assert stored == [
        ("1001", C1, datetime(2025, 10, 6, 9), datetime(2025, 10, 8, 9), "answered"),
        ("1002", C2, datetime(2025, 10, 7, 9), None, None),
    ]
