"""Issue 21: a widget of a page section reruns only that section (ui.widget_fragment) and the page
still behaves: the league's chart metric and the KPI map's metric switch what they show, the rest
of the page stays as it was, and a section's own run checks the session as app.py's gate does.

The expected figures are the hand-made store's (tests/fixtures.py; worked out in test_kpi.py and
test_pages_league.py): in the week 06-12/10 Xã Hai received 6 dossiers, 4 online; Phường Một 13,
6 online and 4 end-to-end online; Xã Ba none."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from test_pages_league import WEEK, app_on
from test_presentation import run_fragments_only

from ioc import audit, auth


def bars(at) -> dict[str, float]:
    """The league chart's bars: commune -> rate."""
    (chart,) = at.get("plotly_chart")
    trace = json.loads(chart.proto.spec)["data"][0]
    return dict(zip(trace["x"], trace["y"], strict=True))


def test_league_chart_metric_changes_the_chart_and_keeps_the_table(fixture_db):
    at = app_on("pages/league.py", WEEK)
    assert not at.exception
    assert bars(at) == pytest.approx({"Xã Hai": 4 / 6, "Phường Một": 6 / 13})
    table = at.dataframe[0].value
    at.segmented_control(key="league_chart_metric").set_value("end_to_end_rate").run()
    assert not at.exception
    assert bars(at)["Phường Một"] == pytest.approx(4 / 13)
    assert at.dataframe[0].value.equals(table)
    assert at.text_input(key="league_search").value == ""


def test_a_section_s_own_run_of_a_timed_out_session_shows_the_gate(fixture_db):
    at = app_on("pages/league.py", WEEK)
    assert bars(at)  # the chart's section drawn once
    # the browser left open past the idle timeout; then the chart's metric is clicked
    at.session_state[auth.LAST_SEEN_KEY] = audit.wall_clock() - timedelta(
        minutes=auth.idle_minutes() + 1
    )
    run_fragments_only(at)
    assert not at.exception
    assert auth.SCOPE_KEY not in at.session_state
    assert at.session_state[auth.NOTICE_KEY] == "timeout"
    # the whole app ran again: its gate's page (the fixture store has no account yet: set-up)
    assert at.text_input(key="setup_token") is not None
    assert not at.get("plotly_chart")  # nothing of the page is drawn for a session that ended
