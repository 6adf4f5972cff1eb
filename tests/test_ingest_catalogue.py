"""Importing a procedure catalogue's flags (issue 18, index 766 indicators 1.2 and 3.3): told by
its header, yes/no read as catalogues write it, bad rows quarantined with their reason, a flag the
file leaves empty kept, and the same catalogue imported again changing nothing. The fixture's
procedures (tests/fixtures.py) start with both flags unknown; each row's role is written beside it."""

from __future__ import annotations

import pytest
from fixtures import P1, P2, P3

from ioc.ingest import catalogue, ingest_file, quarantine

CATALOGUE_CSV = (
    "DANH MỤC THỦ TỤC HÀNH CHÍNH CẤP XÃ\n"
    "STT;Mã TTHC;Tên thủ tục;Công bố trên CSDL quốc gia;Kết quả bản giấy\n"
    f"1;{P1};Đăng ký khai sinh;Có;Không\n"  # 3: P1 published, electronic result
    f"2;{P2};Chứng thực bản sao;x;\n"  # 4: P2 published, paper result not said (stays unknown)
    f"3;{P3};Đăng ký đất đai lần đầu;Chưa công bố;Bản giấy\n"  # 5: P3 not published, paper
    "4;9.999999;Thủ tục riêng của tỉnh;Có;Có\n"  # 6: a code the store lacks, with its name: added
    "5;;Không mã;Có;Có\n"  # 7: no code
    f"6;{P1};Đăng ký khai sinh;Có lẽ;Không\n"  # 8: unreadable yes/no
    "7;8.888888;;Có;Có\n"  # 9: a code the store lacks, no name
    f"8;{P1};Đăng ký khai sinh;Có;Không\n"  # 10: line 3 again: loaded once
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Có", (True, True)),
        ("x", (True, True)),
        ("Đã công bố", (True, True)),
        ("Bản giấy", (True, True)),
        ("Không", (False, True)),
        ("Chưa công bố", (False, True)),
        ("Bản điện tử", (False, True)),
        ("", (None, True)),
        ("Có lẽ", (None, False)),
    ],
)
def test_yes_no_as_catalogues_write_it(text, value):
    assert catalogue.read_flag(text) == value


def flags(con) -> list[tuple]:
    return con.execute(
        "select procedure_code, published, paper_result, code_status from procedures "
        "order by procedure_code"
    ).fetchall()


def test_catalogue_import_with_bad_rows(fixture_con, tmp_path):
    assert flags(fixture_con) == [
        (P1, None, None, None),
        (P3, None, None, None),
        (P2, None, None, None),
    ]
    path = tmp_path / "danh-muc-tthc.csv"
    path.write_text(CATALOGUE_CSV, encoding="utf-8")
    # the upload's dry run says what the import will do, writing nothing
    seen = quarantine.preview(fixture_con, path)
    assert (seen.status, seen.rows_read, seen.to_insert, seen.to_update, seen.unchanged) == (
        "ok",
        8,
        1,
        3,
        0,
    )
    assert seen.quarantine == {"no_procedure": 1, "bad_flag": 1, "unknown_procedure": 1}
    assert flags(fixture_con)[0] == (P1, None, None, None)
    result = ingest_file(fixture_con, path)
    assert (result.status, result.kind) == ("ok", "catalogue")
    # 8 rows read; 4 codes loaded (one new, three changed), 3 quarantined
    assert (result.rows_read, result.rows_inserted, result.rows_updated) == (8, 1, 3)
    assert result.rows_quarantined == 3
    assert flags(fixture_con) == [
        (P1, True, False, None),
        (P3, False, True, None),
        (P2, True, None, None),
        ("9.999999", True, True, "unknown"),
    ]
    name = fixture_con.execute(
        "select procedure_name from procedures where procedure_code = '9.999999'"
    ).fetchone()[0]
    assert name == "Thủ tục riêng của tỉnh"
    reasons = fixture_con.execute(
        "select row_number, reason_code, reason_vi from quarantine order by row_number"
    ).fetchall()
    assert reasons == [
        (7, "no_procedure", "Thiếu mã thủ tục"),
        (8, "bad_flag", "Cột «Công bố trên CSDL quốc gia» không đọc được là có/không: «Có lẽ»"),
        (
            9,
            "unknown_procedure",
            "Mã thủ tục «8.888888» chưa có trong danh mục và dòng không có tên thủ tục",
        ),
    ]
    # the same catalogue again, saved anew (another file): nothing changes
    again = tmp_path / "danh-muc-lai.csv"
    again.write_bytes(path.read_bytes() + b"\n")
    second = ingest_file(fixture_con, again)
    assert (second.status, second.rows_inserted, second.rows_updated) == ("ok", 0, 0)
    # a later catalogue that says P2's result is paper and leaves P1's flags empty keeps P1's
    later = tmp_path / "danh-muc-bo-sung.csv"
    later.write_text(
        f"Mã TTHC;Kết quả bản giấy;Công bố trên CSDL quốc gia\n{P2};Có;\n{P1};;\n", encoding="utf-8"
    )
    third = ingest_file(fixture_con, later)
    assert (third.status, third.rows_inserted, third.rows_updated) == ("ok", 0, 1)
    assert [flags(fixture_con)[i] for i in (0, 2)] == [
        (P1, True, False, None),
        (P2, True, True, None),
    ]


def test_a_dossier_export_naming_procedures_is_not_a_catalogue(tmp_path):
    path = tmp_path / "ho-so.csv"
    path.write_text(f"Mã hồ sơ;Mã TTHC;Công khai\nd1;{P1};Có\n", encoding="utf-8")
    assert not catalogue.is_catalogue_file(path)
    path.write_text(f"Mã TTHC;Tên thủ tục\n{P1};Đăng ký khai sinh\n", encoding="utf-8")
    assert not catalogue.is_catalogue_file(path)  # no flag: nothing to take from it
