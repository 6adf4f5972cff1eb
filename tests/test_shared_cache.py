"""Issue 21: what pages share across sessions (ioc.ui.shared) is never served across scopes.

Two ward chairs of different communes and a city leader open the same page with the same filters
in one process, so a cache keyed without the scope would hand the second chair the first one's
rows. The expected rows are the hand-made store's communes (tests/fixtures.py).
"""

from __future__ import annotations

from pathlib import Path

from fixtures import C1, C3
from streamlit.testing.v1 import AppTest

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
