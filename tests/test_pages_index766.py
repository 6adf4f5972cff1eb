"""AppTest of the national index on screen (issue 18): the commune page's section, the league's
sort by either score, the overview's city figure; on tests/index_fixture.py, whose figures
tests/test_index766.py works out by hand."""

from __future__ import annotations

import pytest
from index_fixture import make_index_store
from test_pages_league import WEEK, app_on

from ioc import auth


@pytest.fixture
def index_db(tmp_path, monkeypatch):
    path = make_index_store(tmp_path / "index.duckdb")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    auth.forget_failures()
    return path


def table_of(at, first_header: str) -> dict:
    """The st.table whose first column is `first_header`, as column -> values."""
    for table in at.table:
        frame = table.value
        if frame.columns[0] == first_header:
            return {c: frame[c].tolist() for c in frame.columns}
    raise AssertionError(first_header)


def test_the_commune_section_shows_every_indicator_and_its_points(index_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": "90001"})
    assert not at.exception
    assert any(s.value == "Chỉ số phục vụ (Quyết định 766)" for s in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Chỉ số 766 (/100 điểm)"] == "40,10"  # 40.101 by hand
    table = table_of(at, "Nhóm")
    assert len(table["Chỉ tiêu"]) == 20
    shown = dict(
        zip(
            table["Chỉ tiêu"],
            zip(table["Giá trị"], table["Điểm đạt / tối đa"], strict=True),
            strict=True,
        )
    )
    assert shown["2.1 Hồ sơ giải quyết đúng hạn và đang giải quyết còn hạn"] == (
        "66,67%",
        "6,67 / 10,00",
    )
    assert shown["3.3 Hồ sơ trực tuyến (theo kênh nộp, nhân tỷ lệ đồng bộ)"] == (
        "32,00%",
        "2,82 / 4,40",
    )
    assert shown["1.1 Công bố thủ tục hành chính đúng hạn"] == ("chưa có dữ liệu", "— / 4,50")
    assert shown["2.2 Thời gian giải quyết trung bình"] == ("chưa có công thức", "— / 10,00")
    assert table["Nhóm"][:3] == ["Công khai, minh bạch", "", ""]
    groups = " ".join(m.value for m in at.markdown)
    # publicity: 1.2 3.0 + 1.4 3.6 of 18, data for 9 points; satisfaction 2.7 + 1.8 + 2.0833
    assert "Công khai, minh bạch: 6,60 / 18 điểm (có dữ liệu cho 9,0 điểm)" in groups
    assert "Mức độ hài lòng: 6,58 / 18 điểm (có dữ liệu cho 13,5 điểm)" in groups
    captions = " ".join(c.value for c in at.caption)
    assert "67,7 / 100 điểm" in captions and "32,3 điểm chưa có dữ liệu" in captions
    compare = table_of(at, "Chỉ tiêu")
    assert compare["Chỉ số 766"] == ["66,67%", "32,00%"]
    assert compare["Chỉ tiêu"] == ["Tỷ lệ đúng tiến độ", "Tỷ lệ trực tuyến"]


def test_the_section_in_english(index_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": "90002"})
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any(s.value == "Service index (Decision 766)" for s in at.subheader)
    assert {m.label: m.value for m in at.metric}["Index 766 (/100 points)"] == "18.90"
    table = table_of(at, "Group")
    assert "no data yet" in table["Value"]
    assert "no formula described" in table["Value"]


def test_the_league_sorts_by_either_score(index_db):
    at = app_on("pages/league.py", WEEK)
    assert not at.exception
    table = at.dataframe[0].value
    # C1 40.101, C2 18.9 (test_index766); C3 has nothing of the period: "—"
    index = dict(zip(table["Xã/phường"], table["Chỉ số 766 (/100)"], strict=True))
    assert index == {"Phường Một": "40,1", "Xã Hai": "18,9", "Xã Ba": "—"}
    at.selectbox(key="league_sort").select("index_766").run()
    at.toggle(key="league_desc").set_value(True).run()
    assert at.dataframe[0].value["Xã/phường"].tolist() == ["Phường Một", "Xã Hai", "Xã Ba"]
    at.toggle(key="league_desc").set_value(False).run()
    assert at.dataframe[0].value["Xã/phường"].tolist() == ["Xã Hai", "Phường Một", "Xã Ba"]


def test_the_overview_shows_the_city_figure(index_db):
    at = app_on("pages/overview.py", WEEK)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # 39.065 by hand (test_index766); its floating-point sum is 39.06499…, shown 39,06
    assert metrics["Chỉ số 766 thành phố"] == "39,06"
