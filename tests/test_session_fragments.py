"""Issue 20, sessions end everywhere: a fragment's timer run (the live page every 60 s, the
presenter's auto-advance) checks the session before it draws anything, does not count as activity,
and after a timeout or sign-out shows the sign-in page and no data.

AppTest runs no timers, so a timer's run is made as Streamlit's runtime makes it: a rerun whose
queue holds only the page's fragments (RerunData.fragment_id_queue, is_auto_rerun)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit.testing.v1.local_script_runner as local_runner
from test_pages_league import app_on

from ioc import audit, auth, store


def timer_run(at, monkeypatch):
    """Run only the page's fragments, as their run_every timer does."""
    ids = list(at._fragment_storage._fragments)
    assert ids, "the page has no fragment"
    real = local_runner.RerunData

    def fragment_rerun(**values):
        return real(
            **values, fragment_id_queue=ids, is_fragment_scoped_rerun=True, is_auto_rerun=True
        )

    monkeypatch.setattr(local_runner, "RerunData", fragment_rerun)
    try:
        return at.run()
    finally:
        monkeypatch.setattr(local_runner, "RerunData", real)


@pytest.fixture(autouse=True)
def an_account(fixture_db, monkeypatch):
    """A store with an account: one without any opens on the first-start set-up page."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    with store.connect(fixture_db) as con:
        auth.add_user(con, "lanhdao1", "city_leader", "mat-khau-lanh-dao")


def dossier_ids(at) -> list[str]:
    return [v for d in at.dataframe if "Mã hồ sơ" in d.value for v in d.value["Mã hồ sơ"]]


def test_timer_runs_refresh_while_signed_in_without_counting_as_activity(fixture_db, monkeypatch):
    at = app_on("pages/live.py")
    assert dossier_ids(at)[:3] == ["d12", "d04", "e05"]
    seen = at.session_state[auth.LAST_SEEN_KEY]
    timer_run(at, monkeypatch)
    assert not at.exception
    assert dossier_ids(at)[:3] == ["d12", "d04", "e05"]  # still refreshing
    assert at.session_state[auth.LAST_SEEN_KEY] == seen  # a timer is not a person at work


def test_timer_run_after_the_idle_timeout_signs_out_and_shows_no_data(fixture_db, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    at = app_on("pages/live.py")
    assert dossier_ids(at)
    at.session_state[auth.LAST_SEEN_KEY] -= timedelta(minutes=31)
    timer_run(at, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Đăng nhập"
    assert not at.dataframe and not at.metric  # no figure, no dossier list
    assert at.info[0].value.startswith("Phiên làm việc đã hết hạn")
    assert "scope" not in at.session_state
    with store.connect(fixture_db) as con:
        log = audit.read(con, audit.wall_clock().date(), audit.wall_clock().date())
    assert log.filter(log["action"] == audit.SESSION_TIMEOUT)["username"].to_list() == ["test"]


def test_timer_run_after_sign_out_in_another_way_shows_no_data(fixture_db, monkeypatch):
    at = app_on("pages/live.py")
    del at.session_state[auth.SCOPE_KEY]  # e.g. signed out from the sidebar of a stale view
    timer_run(at, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Đăng nhập"
    assert not at.dataframe and not at.metric


def test_presenter_auto_advance_stops_after_the_timeout(fixture_db, monkeypatch):
    monkeypatch.setenv("IOC_SESSION_MINUTES", "30")
    at = app_on("pages/presentation.py", {"slides": "kpis,league", "auto": "20"})
    assert not at.exception and "present_shown_at" in at.session_state
    at.session_state[auth.LAST_SEEN_KEY] -= timedelta(minutes=31)
    timer_run(at, monkeypatch)
    assert not at.exception
    assert at.title[0].value == "Đăng nhập"
