"""AppTest of Xếp hạng: the table, search, the Excel download's content and the drill-down."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ioc import auth
from ioc.scope import CITY_LEADER, Scope

ROOT = Path(__file__).resolve().parent.parent
WEEK = {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}


def app_on(page: str, query: dict | None = None) -> AppTest:
    """The whole app (navigation included), switched to one page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # app.py lets no page run before sign-in (issue 6): run as a city leader
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "test"))
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def test_table_search_and_download(fixture_db, downloads):
    at = app_on("pages/league.py", WEEK)
    assert not at.exception
    assert at.title[0].value == "Xếp hạng xã/phường"
    table = at.dataframe[0].value
    assert table["Xã/phường"].tolist() == ["Xã Hai", "Phường Một", "Xã Ba"]
    assert table["Thay đổi hạng"].tolist() == ["▲ 1", "▼ 1", "="]
    assert table["Tỷ lệ trực tuyến"].tolist() == ["66,7%", "46,2%", "—"]  # 4/6, 6/13
    assert table["Ghi chú"].tolist() == ["ít dữ liệu"] * 3

    (name, data), *_ = downloads.items()
    assert name == "xep-hang_20251006-20251012.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Hạng", "Thay đổi hạng", "Mã xã/phường", "Xã/phường"]
    row = dict(zip(header, [c.value for c in sheet[3]], strict=True))
    assert row["Xã/phường"] == "Phường Một"
    assert row["Tỷ lệ trực tuyến"] == pytest.approx(6 / 13)
    assert sheet.cell(3, header.index("Tỷ lệ trực tuyến") + 1).number_format == "0.0%"
    assert row["Tiếp nhận"] == 13
    assert row["Mục tiêu toàn trình"] == "Gần đạt"  # 30.8% vs 40%

    at.text_input(key="league_search").input("hai").run()
    assert at.dataframe[0].value["Xã/phường"].tolist() == ["Xã Hai"]


def test_drill_down_from_the_table(fixture_db):
    at = app_on("pages/league.py", WEEK)
    at.session_state["league_table"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Phường Một"
    assert at.query_params["commune"] in ("90001", ["90001"])
    assert at.query_params["from"] in ("2025-10-06", ["2025-10-06"])  # the period came along
    received = next(m.value for m in at.metric if m.label == "Hồ sơ tiếp nhận")
    assert received == "13"
