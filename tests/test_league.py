"""League table helpers and the Excel writer."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import polars as pl
from fixtures import C1, C2, C3

from ioc import exports, league
from ioc.kpi import Period

WEEK = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 20))


def test_search_folds_accents_and_sort(fixture_con):
    table = league.league_table(fixture_con, WEEK, "01")
    assert league.search(table, "phuong MOT")["commune_code"].to_list() == [C1]
    assert league.search(table, "xã")["commune_code"].to_list() == [C2, C3]
    assert league.search(table, "90003")["commune_code"].to_list() == [C3]
    # received: C1 13, C2 6, C3 0
    assert league.sort_table(table, "received", True)["commune_code"].to_list() == [C1, C2, C3]
    # online: C2 4/6, C1 6/13, C3 none (last whatever the direction)
    assert league.sort_table(table, "online_rate")["commune_code"].to_list() == [C1, C2, C3]


def test_top_bottom_do_not_overlap():
    table = pl.DataFrame({"rank": [1, 2, 3, 4], "score": [90.0, 80.0, 70.0, None]})
    top, bottom = league.top_bottom(table, n=2)
    assert top["rank"].to_list() == [1, 2]
    assert bottom["rank"].to_list() == [3]  # worst first; rank 4 has no score


def test_table_to_xlsx_types_and_injection():
    frame = pl.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "Xã Hai"],
            "rate": [0.5, None, 1.0, 0.25, 0.0],
            "n": [1, 2, 3, 4, 1234],
        }
    )
    data = exports.table_to_xlsx(
        frame, {"name": "Tên", "rate": "Tỷ lệ", "n": "Số"}, {"rate": "percent", "n": "integer"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["Tên", "Tỷ lệ", "Số"]
    for row in range(2, 6):
        cell = sheet.cell(row, 1)
        assert cell.data_type == "s"  # text, never a formula
    assert sheet.cell(2, 1).value == '=HYPERLINK("x")'
    assert sheet.cell(2, 2).value == 0.5 and sheet.cell(2, 2).number_format == "0.0%"
    assert sheet.cell(3, 2).value is None
    assert sheet.cell(6, 3).value == 1234 and sheet.cell(6, 3).number_format == "#,##0"
