"""Figures computed ahead of the views (ioc/precompute.py, issue 21): what is rolled to the next
minute, what is computed, and that a view is served the figure of its own arguments, version and
scope only."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from ioc import auth, kpi, league, precompute, quality, store
from ioc.kpi import Period
from ioc.scope import CITY, CITY_LEADER, Scope

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2025, 10, 13, 10, 0)  # the fixture's pinned clock
WEEK = Period.of(date(2025, 10, 6), date(2025, 10, 12), NOW)  # the fixture week: hand figures


@pytest.fixture
def precomputing(monkeypatch):
    monkeypatch.setenv("IOC_PRECOMPUTE", "1")
    precompute.stop()
    yield
    precompute.stop()


def cursor_of(path: Path):
    return lambda: store.connect(path)


def test_a_period_ending_today_is_rolled_to_the_next_minute():
    today = Period.of(date(2025, 10, 7), date(2025, 10, 13), NOW)
    later = datetime(2025, 10, 13, 10, 1)
    assert precompute.rolled((today, "01", None), later) == (
        Period.of(date(2025, 10, 7), date(2025, 10, 13), later),
        "01",
        None,
    )
    # the live page's moment, a whole minute of today
    assert precompute.rolled((NOW, "01"), later) == (later, "01")
    # a period of past days, a moment with seconds, and the next day are kept as they are
    assert precompute.rolled((WEEK,), later) == (WEEK,)
    odd = datetime(2025, 10, 13, 9, 59, 30)
    assert precompute.rolled((odd,), later) == (odd,)
    assert precompute.rolled((today,), datetime(2025, 10, 14, 0, 0)) == (today,)


def test_a_figure_asked_for_is_computed_ahead_and_served(fixture_db, precomputing):
    asked = precompute.recipe(league.league_table, (WEEK, "01", None), {})
    assert precompute.lookup(asked, "v1") is precompute.MISSING  # remembered as asked for
    done = precompute.refresh(cursor_of(fixture_db), "v1", NOW)
    assert (done.figures, done.failed, done.over_budget) == (1, 0, 0)

    table = precompute.lookup(asked, "v1")
    # the fixture week's hand figures (tests/test_pages_league.py): 4/6 and 6/13 online
    assert table["commune_name"].to_list() == ["Xã Hai", "Phường Một", "Xã Ba"]
    assert table["online_rate"].to_list()[:2] == pytest.approx([4 / 6, 6 / 13])
    assert table["received"].to_list()[1] == 13
    # another data version, other arguments: not served
    assert precompute.lookup(asked, "v2") is precompute.MISSING
    other = precompute.recipe(league.league_table, (WEEK, "01", "Tư pháp"), {})
    assert precompute.lookup(other, "v1") is precompute.MISSING
    # a view gets its own copy: changing it changes nothing served later
    table.insert_column(0, pl.Series("x", [0, 0, 0]))
    assert "x" not in precompute.lookup(asked, "v1").columns


def test_the_next_minute_is_computed_before_it_is_asked_for(fixture_db, precomputing):
    this_minute = Period.of(date(2025, 10, 7), date(2025, 10, 13), NOW)
    precompute.lookup(precompute.recipe(kpi.commune_ranking, (this_minute, "01", None), {}), "v1")
    later = datetime(2025, 10, 13, 10, 1)
    precompute.refresh(cursor_of(fixture_db), "v1", later)

    next_minute = Period.of(date(2025, 10, 7), date(2025, 10, 13), later)
    found = precompute.lookup(
        precompute.recipe(kpi.commune_ranking, (next_minute, "01", None), {}), "v1"
    )
    con = store.connect(fixture_db)
    assert found.equals(kpi.commune_ranking(con, next_minute, "01", None))
    con.close()


def test_only_recent_recipes_are_computed(fixture_db, precomputing):
    precompute.lookup(precompute.recipe(league.league_table, (WEEK, "01", None), {}), "v1")
    assert len(precompute.due()) == 1
    import time

    assert precompute.due(time.monotonic() + precompute.RECENT_SECONDS + 1) == []
    assert precompute.refresh(cursor_of(fixture_db), "v1", NOW).figures == 0


def test_a_figure_of_one_scope_is_never_served_to_another(fixture_db, precomputing):
    """quality.commune_quality takes the viewer's scope: a ward chair's rows and the city's are
    two figures, and a chair asking finds only their own."""
    chair = Scope("ward_chair", "00001", "chair")
    city = precompute.recipe(quality.commune_quality, (WEEK, "01", CITY), {})
    precompute.lookup(city, "v1")
    precompute.refresh(cursor_of(fixture_db), "v1", NOW)
    assert precompute.lookup(city, "v1") is not precompute.MISSING
    mine = precompute.recipe(quality.commune_quality, (WEEK, "01", chair), {})
    assert precompute.lookup(mine, "v1") is precompute.MISSING


def test_the_league_page_is_served_from_the_figures_computed_ahead(
    fixture_db, precomputing, monkeypatch
):
    """The first view remembers what it asked for; after a refresh, the page shows the same
    table with the league's computation made to fail: it was served what was computed ahead."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "test"))
    for key, value in {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/league.py").run()
    assert not at.exception
    first = at.dataframe[0].value

    from ioc import index766, ui

    precompute.stop()  # the page's own thread: the refresh is run here instead, then checked
    version = ui.data_version()
    precompute.lookup(precompute.recipe(league.league_table, (WEEK, "01", None), {}), version)
    assert precompute.refresh(cursor_of(fixture_db), version, NOW).figures == 1

    def broken(*args, **kwargs):
        raise AssertionError("the league was computed again")

    monkeypatch.setattr(index766, "commune_scores", broken)  # inside league.league_table
    ui._cached_call.clear()
    ui._shared.clear()
    at.run()
    assert not at.exception
    assert at.dataframe[0].value.equals(first)
    assert first["Xã/phường"].tolist() == ["Xã Hai", "Phường Một", "Xã Ba"]


def test_a_figure_of_past_days_is_kept_when_only_the_minute_turns(fixture_db, precomputing):
    asked = precompute.recipe(league.league_table, (WEEK, "01", None), {})
    precompute.lookup(asked, "v1")
    precompute.refresh(cursor_of(fixture_db), "v1", NOW)
    first = precompute._state.ready[(asked, "v1")]
    precompute.refresh(cursor_of(fixture_db), "v1", datetime(2025, 10, 13, 10, 1))
    assert precompute._state.ready[(asked, "v1")] is first  # the same object: not computed again
    precompute.refresh(cursor_of(fixture_db), "v2", datetime(2025, 10, 13, 10, 1))
    assert (asked, "v1") not in precompute._state.ready  # another version: computed anew
    assert precompute._state.ready[(asked, "v2")] is not first


def test_the_recipes_asked_for_most_come_first(precomputing):
    rare = precompute.recipe(league.league_table, (WEEK, "01", None), {})
    often = precompute.recipe(kpi.commune_ranking, (WEEK, "01", None), {})
    precompute.lookup(rare, "v1")
    for _ in range(3):
        precompute.lookup(often, "v1")
    assert precompute.due() == [often, rare]


CALLS: list[int] = []


def slow_figure(con, n: int) -> pl.DataFrame:
    """A figure that takes half a second, counting its computations."""
    import time

    CALLS.append(n)
    time.sleep(0.5)
    return pl.DataFrame({"n": [n]})


def test_a_view_waits_for_the_figure_being_computed_instead_of_computing_it(
    fixture_db, precomputing
):
    import threading
    import time

    CALLS.clear()
    asked = precompute.recipe(slow_figure, (7,), {})
    assert asked[0] == __name__
    precompute.lookup(asked, "v1")
    refresh = threading.Thread(target=precompute.refresh, args=(cursor_of(fixture_db), "v1", NOW))
    refresh.start()
    time.sleep(0.1)  # the refresh is computing it
    started = time.perf_counter()
    found = precompute.lookup(asked, "v1")
    refresh.join()
    assert found["n"].to_list() == [7]
    assert 0.2 < time.perf_counter() - started < 1.0  # waited for it, did not compute it
    assert CALLS == [7]  # computed once
    assert precompute._state.pending == {}


def test_the_thread_computes_the_next_minute_in_the_last_seconds_of_this_one(
    fixture_db, precomputing, monkeypatch
):
    import time

    this_minute = Period.of(date(2025, 10, 7), date(2025, 10, 13), NOW)
    now = precompute.recipe(kpi.commune_ranking, (this_minute, "01", None), {})
    precompute.lookup(now, "v1")
    precompute.refresh(cursor_of(fixture_db), "v1", NOW)  # this minute's, made earlier
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:45")  # 15 s before the minute turns
    precompute.start(cursor_of(fixture_db), lambda: "v1")

    later = datetime(2025, 10, 13, 10, 1)
    ahead = precompute.recipe(
        kpi.commune_ranking,
        (Period.of(date(2025, 10, 7), date(2025, 10, 13), later), "01", None),
        {},
    )
    deadline = time.monotonic() + 20
    while (ahead, "v1") not in precompute._state.ready and time.monotonic() < deadline:
        time.sleep(0.1)
    assert precompute.lookup(ahead, "v1") is not precompute.MISSING
    assert precompute.lookup(now, "v1") is not precompute.MISSING  # the minute still running
