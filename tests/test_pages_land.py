"""AppTest of the Bản đồ đất đai page on the hand-made parcel set."""

from __future__ import annotations

import json

import pytest
from fixtures import C1
from land_fixture import make_land_store
from streamlit.testing.v1 import AppTest
from test_pages_league import ROOT

from ioc import auth
from ioc.scope import CITY_LEADER, PRESENTER, Scope

PAGE = "pages/land.py"


def app_on(page: str, query: dict | None = None, scope: Scope | None = None) -> AppTest:
    """The whole app, signed in (a city leader unless told), switched to the land map."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    auth.sign_in_session(at.session_state, scope or Scope(CITY_LEADER, None, "test"))
    at.run()
    return at.switch_page(page).run()


@pytest.fixture
def land_db(tmp_path, monkeypatch):
    path = make_land_store(tmp_path / "land.duckdb")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.delenv("IOC_MAP_TILES", raising=False)
    return path


def _deck(at) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def _panel(at) -> str:
    """The detail panel's lines: escaped HTML (st.html), so file values stay plain text."""
    return "\n".join(h.proto.body for h in at.get("html"))


def test_city_view_shows_communes_and_totals(land_db):
    at = app_on(PAGE)
    assert not at.exception
    assert at.title[0].value == "Bản đồ đất đai"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Số thửa đất"] == "7"
    assert metrics["Diện tích (ha)"] == "0,2"  # 2250,5 m²
    assert metrics["Hồ sơ đất đai đang xử lý"] == "6"
    assert metrics["Hồ sơ đất đai quá hạn"] == "3"
    spec = _deck(at)
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert [layer["id"] for layer in spec["layers"]] == ["communes"]


def test_search_hit_flies_and_fills_the_detail_panel(land_db):
    at = app_on(PAGE, {"commune": C1})
    assert not at.exception
    at.text_input(key="land_search_sheet").input("5")
    at.text_input(key="land_search_no").input("12")
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value == "Đã tìm thấy thửa đất tờ 5, thửa 12."
    text = _panel(at)
    assert "Số tờ bản đồ: <b>5</b>" in text
    assert "Số thửa: <b>12</b>" in text
    assert "Diện tích: <b>120,5 m²</b>" in text
    assert "Tình trạng: <b>Quá hạn</b>" in text
    assert "Thủ tục: <b>Đăng ký đất đai lần đầu</b>" in text
    assert "Ngày tiếp nhận: <b>01/10/2025</b>" in text
    assert "Hạn trả kết quả: <b>10/10/2025</b>" in text
    assert "Người nộp: <b>Lê V. C.</b>" in text
    view = _deck(at)["initialViewState"]
    assert view["zoom"] == 18.0
    assert view["longitude"] == pytest.approx(105.85025)


def test_search_miss_says_so(land_db):
    at = app_on(PAGE, {"commune": C1})
    at.text_input(key="land_search_sheet").input("5")
    at.text_input(key="land_search_no").input("99")
    at.button[0].click().run()
    assert not at.exception
    assert at.warning[0].value == "Không tìm thấy thửa đất tờ 5, thửa 99 tại Phường Một."
    assert "Số thửa: <b>" not in _panel(at)


def test_filters_and_colour_switch(land_db):
    at = app_on(PAGE, {"commune": C1})
    at.selectbox(key="land_use").set_value("LUC").run()
    assert not at.exception
    features = _deck(at)["layers"][1]["data"]["features"]
    assert sorted(f["properties"]["no"] for f in features) == ["1", "14"]
    at.selectbox(key="land_state").set_value("done").run()
    features = _deck(at)["layers"][1]["data"]["features"]
    assert [f["properties"]["no"] for f in features] == ["1"]
    at.segmented_control(key="land_colour").set_value("state").run()
    features = _deck(at)["layers"][1]["data"]["features"]
    assert features[0]["properties"]["fill"] == [50, 160, 80, 190]  # done: green
    assert "Đã giải quyết" in _markdown(at)  # the legend switched to the states


def test_presenter_sees_parcel_but_no_dossier(land_db):
    at = app_on(PAGE, {"commune": C1}, Scope(PRESENTER, None, "test"))
    at.text_input(key="land_search_sheet").input("5")
    at.text_input(key="land_search_no").input("12")
    at.button[0].click().run()
    assert not at.exception
    text = _panel(at)
    assert "Số thửa: <b>12</b>" in text
    assert "Người nộp" not in text
    assert any(c.value == "Vai trò hiện tại không được xem chi tiết hồ sơ." for c in at.caption)
