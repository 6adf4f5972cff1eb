"""Importing citizens' ratings and feedback (issue 18): the kind told by the header, the wording
read by meaning, bad rows quarantined with their reason, personal text masked (quarantine
included), and the same export imported again changing nothing. Expected rows worked out by hand
beside each line of the files."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fixtures import C1, C2, P1, P2

from ioc import audit, store
from ioc.ingest import ingest_file, mappings, quarantine, vocabulary
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
    # the value a mapping can teach is named on the row, as on a dossier row
    problems = fixture_con.execute(
        "select row_number, problem_kind, problem_value from quarantine "
        "where problem_kind is not null order by row_number"
    ).fetchall()
    assert problems == [(10, "rating", "5 sao"), (11, "commune", "Xã Không Có")]
    # the quarantine's retry re-checks these rows as rating rows (no longer skipped); with no
    # mapping taught and no dossier added since, none passes: all 9 stay open, reasons unchanged,
    # no run recorded, the data version where it was
    version = store.get_meta(fixture_con, "data_version")
    moved = quarantine.retry(fixture_con, None)
    assert (moved.rows_landed, moved.rows_still) == (0, 9)
    assert (
        fixture_con.execute(
            "select row_number, reason_code from quarantine where status = 'open' order by row_number"
        ).fetchall()
        == reasons
    )
    assert fixture_con.execute("select count(*) from ingest_runs").fetchone() == (1,)
    assert store.get_meta(fixture_con, "data_version") == version
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
    problems = fixture_con.execute(
        "select row_number, problem_kind, problem_value from quarantine "
        "where problem_kind is not null order by row_number"
    ).fetchall()
    # the values a mapping can teach; a like count «nhiều» (line 12) is no yes/no to map
    assert problems == [
        (5, "feedback_channel", "Bồ câu"), (6, "outcome", "Lưu trữ"),
        (10, "commune", "Xã Không Có"), (11, "flag", "Có lẽ"),
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
    # the values a mapping could teach (line 10's level, line 11's commune), one row each
    assert seen.unmapped == [("commune", "Xã Không Có", 1), ("rating", "5 sao", 1)]
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


# Teaching the voice's values (issue 18 item 1): the values the vocabulary does not read, mapped on
# the mappings page, land the rows they held in quarantine. IOC_NOW 13/10/2025 10:00; the fixture
# store holds d02 (C1, P1) and d03 (C1, P2), no dossier y99.
TEACH_RATINGS_CSV = (
    "Mã hồ sơ;Mức độ hài lòng;Ngày đánh giá;Ý kiến khác\n"
    "d01;Rất hài lòng;06/10/2025 16:00;\n"  # 2: loads at the import
    "d02;5 sao;08/10/2025 09:00;Cảm ơn chị Trần Thị Bình\n"  # 3: unknown level; «5 sao» taught: lands
    "d03;5 SAO;08/10/2025 10:00;\n"  # 4: the same value in capitals (folded alike): lands too
    "d10;1 sao;08/10/2025 11:00;\n"  # 5: «1 sao» marked invalid: stays, marked_invalid
    "y99;5 sao;08/10/2025 12:00;\n"  # 6: level taught, dossier unknown and no commune: requeued
)


def _runs(con) -> int:
    return con.execute("select count(*) from ingest_runs").fetchone()[0]


def test_teaching_a_rating_level_lands_its_quarantined_rows(fixture_con, tmp_path):
    con = fixture_con
    path = tmp_path / "danh-gia-sao.csv"
    path.write_text(TEACH_RATINGS_CSV, encoding="utf-8")
    first = ingest_file(con, path)
    # rows 3-6 are unknown levels (the level is checked before the dossier)
    assert (first.rows_read, first.rows_inserted, first.rows_quarantined) == (5, 1, 4)
    values = quarantine.open_values(con)
    listed = sorted(values.select("problem_kind", "problem_value", "row_count").rows())
    assert listed == [("rating", "1 sao", 1), ("rating", "5 SAO", 1), ("rating", "5 sao", 2)]
    version = store.get_meta(con, "data_version")

    moved = quarantine.add_mapping(con, "rating", "5 sao", "very_satisfied", "admin")

    # rows 3 and 4 land; row 5 stays unknown, row 6 now fails on its dossier
    assert (moved.rows_landed, moved.rows_inserted, moved.rows_still) == (2, 2, 2)
    stored = con.execute(
        "select rating_id, commune_code, procedure_code, level, comment_masked "
        "from dossier_ratings order by rating_id"
    ).fetchall()
    assert stored == [
        ("d01||2025-10-06T16:00:00", C1, P1, "very_satisfied", None),
        # the comment masked once at the import, not masked again by the retry
        ("d02||2025-10-08T09:00:00", C1, P1, "very_satisfied", "Cảm ơn chị Trần T. B."),
        ("d03||2025-10-08T10:00:00", C1, P2, "very_satisfied", None),
    ]
    assert store.get_meta(con, "data_version") != version
    runs = con.execute(
        "select run_id, rows_read, rows_inserted, rows_quarantined, message from ingest_runs "
        "order by started_at, rows_read desc"
    ).fetchall()
    # one new run: the 4 open rows re-read, 2 inserted, 2 still quarantined, labelled a retry
    assert [r[1:4] for r in runs] == [(5, 1, 4), (4, 2, 2)]
    assert runs[1][4] == f"xử lý lại dòng bị cách ly của lần nhập {first.run_id}"
    assert con.execute(
        "select row_number, status, reason_code, problem_kind, problem_value, closed_run_id "
        "from quarantine order by row_number"
    ).fetchall() == [
        (3, "resolved", "unknown_rating", "rating", "5 sao", runs[1][0]),
        (4, "resolved", "unknown_rating", "rating", "5 SAO", runs[1][0]),
        (5, "open", "unknown_rating", "rating", "1 sao", None),
        (6, "open", "unknown_dossier", None, None, None),
    ]

    moved = quarantine.add_mapping(con, "rating", "1 sao", None, "admin")  # truly invalid

    assert (moved.rows_landed, moved.rows_still) == (0, 1)
    assert con.execute(
        "select status, reason_code, reason_vi from quarantine where row_number = 5"
    ).fetchone() == (
        "open",
        "marked_invalid",
        "Giá trị «1 sao» đã được quản trị viên đánh dấu là không hợp lệ",
    )
    history = mappings.history(con).sort("changed_at")
    assert history.select("kind", "raw_example", "old_canonical", "new_canonical").rows() == [
        ("rating", "5 sao", None, "very_satisfied"),
        ("rating", "1 sao", None, "(invalid)"),
    ]
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), action=audit.MAPPING)
    assert sorted(log["detail"]) == [
        "rating: «1 sao» - -> (invalid)",
        "rating: «5 sao» - -> very_satisfied",
    ]

    # idempotent: teaching again, importing the same bytes or the same export saved anew
    version, runs_before = store.get_meta(con, "data_version"), _runs(con)
    again = quarantine.add_mapping(con, "rating", "5 sao", "very_satisfied", "admin")
    assert (again.rows_landed, again.rows_still) == (0, 1)  # row 5 re-read, still invalid
    assert ingest_file(con, path).status == "duplicate_file"
    assert store.get_meta(con, "data_version") == version
    assert _runs(con) == runs_before + 1  # the duplicate's own run, nothing else
    resaved = tmp_path / "danh-gia-sao-lai.csv"
    resaved.write_bytes(path.read_bytes() + b"\n")
    third = ingest_file(con, resaved)
    # rows 2-4 read as the store holds them; rows 5 (invalid) and 6 (unknown dossier) quarantined
    assert (third.rows_inserted, third.rows_updated, third.rows_quarantined) == (0, 0, 2)
    assert con.execute("select count(*) from dossier_ratings").fetchone() == (3,)

    # the dossier lookup is the import's: once y99 is imported (Xã Hai, P1), row 6 lands
    dossiers = tmp_path / "ho-so-y99.csv"
    dossiers.write_text(
        "Mã hồ sơ,Mã TTHC,Xã/Phường,Kênh thực hiện,Trạng thái,Ngày tiếp nhận\n"
        "y99,1.001193,Xã Hai,Trực tuyến,Đã trả kết quả,07/10/2025 09:00\n",
        encoding="utf-8",
    )
    assert ingest_file(con, dossiers).rows_inserted == 1
    moved = quarantine.retry(con, None)
    # row 6 of each of the two imports lands (one rating id: inserted once, the second equal);
    # row 5 of each stays marked invalid
    assert (moved.rows_landed, moved.rows_inserted, moved.rows_still) == (2, 1, 2)
    assert con.execute(
        "select commune_code, procedure_code, level from dossier_ratings where dossier_id = 'y99'"
    ).fetchall() == [(C2, P1, "very_satisfied")]


TEACH_FEEDBACK_CSV = (
    "Mã PAKN;Đơn vị xử lý;Kênh tiếp nhận;Chủ đề;Ngày tiếp nhận;Ngày trả lời;Trạng thái\n"
    "PA01;Phường Một;Bồ câu;Khác;09/10/2025;;\n"  # 2: unknown channel; taught «letter»: lands, open
    "PA02;Phường Một;;Khác;09/10/2025;10/10/2025;Lưu trữ\n"  # 3: unknown state; taught: lands
    "PA03;Phường Một;;Khác;09/10/2025;;Lưu trữ\n"  # 4: taught «answered» but no answer date: stays
    "PA04;Phường Một;Loa phường;Khác;09/10/2025;;\n"  # 5: unknown channel, marked invalid: stays
)


def test_teaching_feedback_channels_and_states(fixture_con, tmp_path):
    con = fixture_con
    path = tmp_path / "pakn.csv"
    path.write_text(TEACH_FEEDBACK_CSV, encoding="utf-8")
    first = ingest_file(con, path)
    assert (first.rows_read, first.rows_inserted, first.rows_quarantined) == (4, 0, 4)
    listed = sorted(quarantine.open_values(con).select("problem_kind", "problem_value").rows())
    assert listed == [
        ("feedback_channel", "Bồ câu"),
        ("feedback_channel", "Loa phường"),
        ("outcome", "Lưu trữ"),
    ]

    channel = quarantine.add_mapping(con, "feedback_channel", "Bồ câu", "letter", "admin")
    # the two rows of kind feedback_channel re-read: PA01 lands, PA04 still unknown
    assert (channel.rows_landed, channel.rows_still) == (1, 1)
    state = quarantine.add_mapping(con, "outcome", "Lưu trữ", "answered", "admin")
    # PA02 lands answered; PA03 is now an answer without its date
    assert (state.rows_landed, state.rows_still) == (1, 1)
    invalid = quarantine.add_mapping(con, "feedback_channel", "Loa phường", None, "admin")
    assert (invalid.rows_landed, invalid.rows_still) == (0, 1)

    stored = con.execute(
        "select feedback_id, commune_code, channel, received_at, answered_at, outcome "
        "from feedback order by feedback_id"
    ).fetchall()
    assert stored == [
        ("PA01", C1, "letter", datetime(2025, 10, 9), None, None),  # open: no outcome
        ("PA02", C1, None, datetime(2025, 10, 9), datetime(2025, 10, 10), "answered"),
    ]
    assert con.execute(
        "select row_number, status, reason_code, problem_kind, problem_value from quarantine "
        "order by row_number"
    ).fetchall() == [
        (2, "resolved", "unknown_feedback_channel", "feedback_channel", "Bồ câu"),
        (3, "resolved", "unknown_outcome", "outcome", "Lưu trữ"),
        (4, "open", "no_answer_date", None, None),
        (5, "open", "marked_invalid", "feedback_channel", "Loa phường"),
    ]
    # two retry runs (one per mapping that landed a row), each of one row
    assert con.execute(
        "select rows_read, rows_inserted, rows_quarantined from ingest_runs "
        "where message like 'xử lý lại%' order by started_at, rows_read"
    ).fetchall() == [(2, 1, 1), (2, 1, 1)]
    # the export imported anew reads the taught values itself: PA01 and PA02 unchanged
    resaved = tmp_path / "pakn-lai.csv"
    resaved.write_bytes(path.read_bytes() + b"\n")
    again = ingest_file(con, resaved)
    assert (again.rows_inserted, again.rows_updated, again.rows_quarantined) == (0, 0, 2)


def test_voice_kinds_offered_with_their_labels(fixture_con):
    assert mappings.choices(fixture_con, "rating") == {
        "very_satisfied": "Rất hài lòng",
        "satisfied": "Hài lòng",
        "not_satisfied": "Không hài lòng",
    }
    assert mappings.choices(fixture_con, "outcome", "en")["info_requested"] == (
        "More information requested"
    )
    assert list(mappings.choices(fixture_con, "feedback_channel")) == [
        "portal", "hotline", "app", "email", "letter", "direct", "press",
    ]  # fmt: skip
    with pytest.raises(mappings.MappingError):
        quarantine.add_mapping(fixture_con, "rating", "5 sao", "excellent", "admin")
    assert (
        mappings.propose(
            "outcome", "Đã trả lời qua email", mappings.choices(fixture_con, "outcome")
        )
        == "answered"
    )


def test_mapping_page_teaches_a_feedback_channel(fixture_db, tmp_path):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from ioc.scope import ADMIN, Scope

    path = tmp_path / "pakn.csv"
    path.write_text(TEACH_FEEDBACK_CSV, encoding="utf-8")
    with store.connect(fixture_db) as con:
        ingest_file(con, path)
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "pages" / "mappings.py"), default_timeout=60)
    at.session_state["scope"] = Scope(ADMIN, username="admin")
    at.run()
    assert not at.exception
    listed = at.dataframe[0].value
    # most rows first: «Lưu trữ» holds PA02 and PA03
    assert list(listed["Giá trị"]) == ["Lưu trữ", "Bồ câu", "Loa phường"]
    assert list(listed["Loại"]) == [
        "Tình trạng xử lý phản ánh",
        "Kênh tiếp nhận phản ánh",
        "Kênh tiếp nhận phản ánh",
    ]
    assert list(listed["Số dòng"]) == [2, 1, 1]
    at.selectbox(key="mapping_value").set_value(1).run()  # «Bồ câu»
    assert not at.exception
    assert list(at.dataframe[1].value["Dòng trong tệp"]) == [2]  # its sample row
    canonical = at.selectbox(key="mapping_canonical")
    assert "letter — Văn bản, đơn thư, bưu chính" in canonical.options
    canonical.set_value("letter")
    at.button[0].click().run()  # Lưu ánh xạ
    assert not at.exception
    # both channel rows re-read: PA01 lands, PA04 («Loa phường») stays
    assert at.success[0].value == "1 dòng đã được nhập; 1 dòng vẫn bị cách ly"
    assert list(at.dataframe[0].value["Giá trị"]) == ["Lưu trữ", "Loa phường"]
    history = at.dataframe[-1].value  # the mapping's history, its kind in words
    assert history.iloc[0][["Loại", "Giá trị gốc", "Giá trị chuẩn mới"]].tolist() == [
        "Kênh tiếp nhận phản ánh",
        "Bồ câu",
        "letter",
    ]
    with store.connect(fixture_db) as con:
        assert con.execute("select feedback_id, channel from feedback").fetchall() == [
            ("PA01", "letter")
        ]


TEACH_MORE_CSV = (
    "Mã PAKN;Đơn vị xử lý;Chủ đề;Ngày tiếp nhận;Khiếu nại\n"
    "PB01;UBND P1 cũ;Khác;09/10/2025;\n"  # 2: unknown commune; taught as C1: lands in C1
    "PB02;Phường Một;Khác;09/10/2025;Có lẽ\n"  # 3: unknown yes/no; taught true: complaint_after
    "PB03;Phường Một;Khác;09/10/2025;Chắc thế\n"  # 4: yes/no marked invalid: stays
    "PB04;Xã Không Có;Khác;09/10/2025;\n"  # 5: unknown commune; the administrator settles it in C2
)


def test_feedback_communes_and_yes_no_taught_or_settled(fixture_con, tmp_path):
    """The dossier kinds a feedback export shares: a commune name and a yes/no taught as for
    dossiers; a row's commune picked by hand (settle) lands it too."""
    con = fixture_con
    path = tmp_path / "pakn-xa.csv"
    path.write_text(TEACH_MORE_CSV, encoding="utf-8")
    first = ingest_file(con, path)
    assert (first.rows_read, first.rows_inserted, first.rows_quarantined) == (4, 0, 4)
    assert sorted(quarantine.open_values(con).select("problem_kind", "problem_value").rows()) == [
        ("commune", "UBND P1 cũ"),
        ("commune", "Xã Không Có"),
        ("flag", "Chắc thế"),
        ("flag", "Có lẽ"),
    ]
    commune = quarantine.add_mapping(con, "commune", "UBND P1 cũ", C1, "admin")
    assert (commune.rows_landed, commune.rows_still) == (1, 1)  # PB01; PB04 stays unknown
    flag = quarantine.add_mapping(con, "flag", "Có lẽ", "true", "admin")
    assert (flag.rows_landed, flag.rows_still) == (1, 1)  # PB02; PB03 stays unknown
    invalid = quarantine.add_mapping(con, "flag", "Chắc thế", None, "admin")
    assert (invalid.rows_landed, invalid.rows_still) == (0, 1)
    keys = quarantine.rows_of_value(con, "commune", "Xã Không Có")
    assert keys["row_number"].to_list() == [5]
    settled = quarantine.settle_rows(con, keys, C2, "admin")
    assert (settled.rows_landed, settled.rows_still) == (1, 0)
    assert con.execute(
        "select feedback_id, commune_code, complaint_after from feedback order by feedback_id"
    ).fetchall() == [("PB01", C1, None), ("PB02", C1, True), ("PB04", C2, None)]
    assert con.execute(
        "select row_number, status, reason_code from quarantine order by row_number"
    ).fetchall() == [
        (2, "resolved", "unknown_commune"),
        (3, "resolved", "unknown_flag"),
        (4, "open", "marked_invalid"),
        (5, "resolved", "unknown_commune"),
    ]


def test_a_row_kept_cut_short_is_not_re_run(fixture_con, tmp_path):
    """A comment over the value limit (2,000 characters) is kept in quarantine cut to 500: a retry
    would load the cut text, so the row stays where it is whatever is taught."""
    path = tmp_path / "danh-gia-dai.csv"
    path.write_text(
        "Mã hồ sơ;Mức độ hài lòng;Ngày đánh giá;Ý kiến khác\n"
        f"d02;5 sao;08/10/2025;{'x' * 2500}\n",  # 2: too long (checked before the level)
        encoding="utf-8",
    )
    assert ingest_file(fixture_con, path).rows_quarantined == 1
    quarantine.add_mapping(fixture_con, "rating", "5 sao", "satisfied", "admin")
    moved = quarantine.retry(fixture_con, None)
    assert (moved.rows_landed, moved.rows_still) == (0, 0)  # not re-run at all
    assert fixture_con.execute("select status, reason_code from quarantine").fetchall() == [
        ("open", "value_too_long")
    ]
    assert fixture_con.execute("select count(*) from dossier_ratings").fetchone() == (0,)
