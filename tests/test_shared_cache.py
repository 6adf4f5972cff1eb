"""Issue 21: what pages share across sessions (ioc.ui.shared) is never served across scopes.

Two ward chairs of different communes and a city leader open the same page with the same filters
in one process, so a cache keyed without the scope would hand the second chair the first one's
rows. The expected rows are the hand-made store's communes (tests/fixtures.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from fixtures import C1, C2, C3
from streamlit.testing.v1 import AppTest
from test_pages_kpi_map import map_db  # noqa: F401 - the fixture store with commune cells

from ioc import auth, ui
from ioc.ingest.load import bump_version
from ioc.scope import CITY_LEADER, WARD_CHAIR, Scope

ROOT = Path(__file__).resolve().parent.parent
WEEK = {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}


def quality_page_communes(scope: Scope) -> list[str]:
    at = AppTest.from_file(str(ROOT / "pages" / "quality.py"), default_timeout=60)
    at.session_state["scope"] = scope
    for key, value in WEEK.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at.dataframe[0].value["Xã/phường"].to_list()


def test_two_chairs_never_see_each_others_cached_table(fixture_db):
    assert quality_page_communes(Scope(WARD_CHAIR, C3, "chair-ba")) == ["Xã Ba"]
    # same page, same filters, same data version: only the scope differs
    assert quality_page_communes(Scope(WARD_CHAIR, C1, "chair-mot")) == ["Phường Một"]
    assert quality_page_communes(Scope(WARD_CHAIR, C3, "chair-ba-2")) == ["Xã Ba"]
    leader = quality_page_communes(Scope(CITY_LEADER, None, "leader"))
    assert sorted(leader) == ["Phường Một", "Xã Ba", "Xã Hai"]


def page_as(page: str, scope: Scope, **query: str) -> AppTest:
    """The app signed in as `scope`, on pages/<page>.py with the fixture week (and `query`) in
    the URL."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, scope)
    for key, value in (WEEK | query).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def frame(at: AppTest, header: str):
    """The rows of the page's first table with a column `header` (None when there is none)."""
    return next((d.value for d in at.dataframe if header in d.value.columns), None)


def received_by_procedure(at: AppTest) -> dict[str, int]:
    """The drill-down's procedure table: dossiers received per procedure, those with any."""
    rows = frame(at, "Mã thủ tục")
    counts = {n: int(c) for n, c in zip(rows["Thủ tục"], rows["Tiếp nhận"], strict=True)}
    return {n: c for n, c in counts.items() if c}


def test_drill_down_shows_each_chair_its_own_commune(fixture_db):
    # the week 06-12/10: Xã Hai received e01 e02 e06 (khai sinh) and e03 e04 e05 (chứng thực);
    # Phường Một 13 dossiers (test_pages_league); Xã Ba none
    hai = {"Đăng ký khai sinh": 3, "Chứng thực bản sao từ bản chính": 3}
    chair = page_as("drilldown", Scope(WARD_CHAIR, C2, "chair-hai"))  # no commune in the URL
    assert chair.title[0].value == "Xã Hai"
    assert received_by_procedure(chair) == hai
    other = page_as("drilldown", Scope(WARD_CHAIR, C1, "chair-mot"))
    assert other.title[0].value == "Phường Một"
    assert sum(received_by_procedure(other).values()) == 13
    assert received_by_procedure(page_as("drilldown", Scope(WARD_CHAIR, C2, "chair-hai-2"))) == hai
    leader = page_as("drilldown", Scope(CITY_LEADER, None, "leader"), commune=C3)
    assert leader.title[0].value == "Xã Ba"
    assert received_by_procedure(leader) == {}


def test_live_page_shows_each_chair_its_own_commune_only(fixture_db):
    # 13/10/2025 10:00: Phường Một and Xã Hai have overdue or due-soon dossiers (test_pages_live)
    chairs = (
        (Scope(WARD_CHAIR, C1, "chair-mot"), ["Phường Một"]),
        (Scope(WARD_CHAIR, C2, "chair-hai"), ["Xã Hai"]),
        (Scope(WARD_CHAIR, C1, "chair-mot-2"), ["Phường Một"]),
    )
    for scope, names in chairs:
        assert frame(page_as("live", scope), "Tên")["Tên"].to_list() == names
    leader = page_as("live", Scope(CITY_LEADER, None, "leader"))
    assert frame(leader, "Tên")["Tên"].to_list() == ["Phường Một", "Xã Hai"]


def chosen_cells(at: AppTest) -> list[str]:
    """The communes outlined on the KPI map (the commune chosen, a chair's own by default)."""
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next((x for x in deck["layers"] if x["id"] == "chosen"), None)
    return [f["id"] for f in layer["data"]["features"]] if layer else []


def test_kpi_map_outlines_each_chair_s_own_commune(map_db):  # noqa: F811
    assert chosen_cells(page_as("kpi_map", Scope(WARD_CHAIR, C3, "chair-ba"))) == [C3]
    assert chosen_cells(page_as("kpi_map", Scope(WARD_CHAIR, C1, "chair-mot"))) == [C1]
    assert chosen_cells(page_as("kpi_map", Scope(WARD_CHAIR, C3, "chair-ba-2"))) == [C3]
    assert chosen_cells(page_as("kpi_map", Scope(CITY_LEADER, None, "leader"))) == []


def test_league_rows_follow_each_viewer_s_search(fixture_db):
    chair = page_as("league", Scope(WARD_CHAIR, C3, "chair-ba"))
    chair.text_input(key="league_search").input("hai").run()
    assert frame(chair, "Xã/phường")["Xã/phường"].to_list() == ["Xã Hai"]
    # the same page and period, no search: the whole league, not the rows found above
    other = page_as("league", Scope(WARD_CHAIR, C1, "chair-mot"))
    assert frame(other, "Xã/phường")["Xã/phường"].to_list() == [
        "Xã Hai",
        "Phường Một",
        "Xã Ba",
    ]
    leader = page_as("league", Scope(CITY_LEADER, None, "leader"))
    assert frame(leader, "Xã/phường")["Xã/phường"].to_list() == [
        "Xã Hai",
        "Phường Một",
        "Xã Ba",
    ]


def shared_token_script() -> None:
    import time

    import streamlit as st

    from ioc import ui

    token = ui.shared(
        "probe",
        ("same key",),
        lambda: f"{ui.current_scope().commune_code}:{time.perf_counter_ns()}",
    )
    st.write(token)


def shared_token(scope: Scope) -> str:
    at = AppTest.from_function(shared_token_script, default_timeout=60)
    at.session_state["scope"] = scope
    at.run()
    assert not at.exception
    return at.markdown[0].value


def test_shared_key_holds_scope_and_data_version(fixture_db, fixture_con):
    first = shared_token(Scope(WARD_CHAIR, C3, "chair-ba"))
    assert first.startswith(f"{C3}:")
    assert shared_token(Scope(WARD_CHAIR, C3, "chair-ba-2")) == first  # built once, shared
    other = shared_token(Scope(WARD_CHAIR, C1, "chair-mot"))
    assert other.startswith(f"{C1}:")  # another commune: its own object
    assert shared_token(Scope(CITY_LEADER, None, "leader")).startswith("None:")
    bump_version(fixture_con)  # an import landed: nothing built before it is served
    fixture_con.execute("checkpoint")
    again = shared_token(Scope(WARD_CHAIR, C3, "chair-ba"))
    assert again.startswith(f"{C3}:") and again != first


def test_a_cache_key_names_its_value_exactly():
    from datetime import date, datetime

    from ioc.kpi import Period

    week = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 12, 9, 0))
    same = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 12, 9, 0))
    later = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 12, 9, 1))
    assert ui.cache_key((week, "01")) == ui.cache_key((same, "01"))
    assert ui.cache_key((week, "01")) != ui.cache_key((later, "01"))
    # values that print alike but differ in type are told apart
    assert len({ui.cache_key(v) for v in (1, 1.0, True, "1", (1,), [1], None, "None")}) == 8
    assert ui.cache_key({"b": 1, "a": 2}) == ui.cache_key({"a": 2, "b": 1})
    assert ui.cache_key(frozenset({"x", "y"})) == ui.cache_key(frozenset({"y", "x"}))
    # a frame by its content
    assert ui.cache_key(pl.DataFrame({"a": [1]})) == ui.cache_key(pl.DataFrame({"a": [1]}))
    assert ui.cache_key(pl.DataFrame({"a": [1]})) != ui.cache_key(pl.DataFrame({"a": [2]}))
