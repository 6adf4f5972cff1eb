"""AppTest of Bản đồ chỉ số on the hand-made fixture: the offline deck, the KPI switch, the hover
figures and a click opening the commune's drill-down."""

from __future__ import annotations

import json

import pytest
from fixtures import C1, C2, C3
from streamlit.testing.v1 import AppTest
from test_pages_league import ROOT, WEEK

from ioc import auth, store
from ioc.scope import ADMIN, CITY_LEADER, Scope

PAGE = "pages/kpi_map.py"
SQUARE = '{"type": "Polygon", "coordinates": [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]]}'


@pytest.fixture
def map_db(fixture_db, monkeypatch):
    """The fixture store with a cell for every commune (the fixture has no geometry)."""
    monkeypatch.delenv("IOC_MAP_TILES", raising=False)
    con = store.connect(fixture_db)
    con.execute("update communes set geometry = ?", [SQUARE])
    con.close()
    return fixture_db


def app_on(scope: Scope | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in WEEK.items():
        at.query_params[key] = value
    auth.sign_in_session(at.session_state, scope or Scope(CITY_LEADER, None, "test"))
    at.run()
    return at.switch_page(PAGE).run()


def deck(at: AppTest) -> dict:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def tooltip(at: AppTest) -> str:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)["html"]


def cells(at: AppTest) -> dict[str, dict]:
    layer = next(layer for layer in deck(at)["layers"] if layer["id"] == "communes")
    return {f["id"]: f["properties"] for f in layer["data"]["features"]}


def test_offline_deck_with_hover_figures_and_legend(map_db):
    at = app_on()
    assert not at.exception
    assert at.title[0].value == "Bản đồ chỉ số"
    spec = deck(at)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # no basemap, nothing fetched
    for shown in ("{name}", "{label}", "{received}", "{rank_label}"):
        assert shown in tooltip(at)
    found = cells(at)
    assert set(found) == {C1, C2, C3}
    # the first KPI is the score; C1 received 13 in the week (tests/test_kpi.py), C2 6
    assert found[C1]["received"] == "13"
    assert found[C2]["received"] == "6"
    assert found[C3]["received"] == "0"
    legend = "\n".join(m.value for m in at.markdown)
    assert "Không có dữ liệu" in legend


def test_kpi_switch_changes_colours_and_figures(map_db):
    at = app_on()
    at.selectbox(key="kpi_map_metric").select("online_rate").run()
    assert not at.exception
    found = cells(at)
    assert found[C1]["label"] == "46,2%"  # 6 online of 13
    assert found[C2]["label"] == "66,7%"  # 4 of 6
    assert found[C1]["fill"] == [198, 40, 40, 200]  # red against the 80% target
    assert found[C3]["fill"] == [189, 189, 189, 200]  # no data
    assert "Đạt" in "\n".join(m.value for m in at.markdown)

    at.selectbox(key="kpi_map_metric").select("received").run()
    found = cells(at)
    assert found[C1]["label"] == "13"
    assert found[C1]["fill"][:3] == [8, 69, 148]  # the most received is the darkest blue
    assert found[C3]["fill"][:3] == [198, 219, 239]  # 0 is the lightest


def test_click_on_a_commune_opens_its_drill_down(map_db):
    at = app_on()
    picked = {"type": "Feature", "id": C1, "properties": {"commune_code": C1}}
    at.session_state["kpi_map_deck"] = {
        "selection": {"indices": {"communes": [0]}, "objects": {"communes": [picked]}}
    }
    at.run()
    assert not at.exception
    assert at.title[0].value == "Phường Một"
    assert at.query_params["commune"] in (C1, [C1])
    assert at.query_params["from"] in ("2025-10-06", ["2025-10-06"])  # the period came along


def test_admin_sees_the_map_but_no_link_to_the_drill_down(map_db):
    at = app_on(Scope(ADMIN, None, "admin"))
    assert not at.exception
    assert at.title[0].value == "Bản đồ chỉ số"
    at.session_state["kpi_map_deck"] = {
        "selection": {"indices": {"communes": [0]}, "objects": {"communes": [{"id": C1}]}}
    }
    at.run()
    assert not at.exception
    assert at.title[0].value == "Bản đồ chỉ số"  # the admin's navigation has no commune page
