"""A prepared link opened before sign-in (issue 6 follow-up): the gate keeps the page and its query
parameters, and the session lands there, parameters intact, once signed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ioc import auth, store
from ioc.scope import PRESENTER

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-trinh-bay"
LINK = {"slides": "kpis,league", "theme": "dark", "auto": "20"}


@pytest.fixture
def presenter(fixture_db, monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    with store.connect(fixture_db) as con:
        auth.add_user(con, "trinhbay1", PRESENTER, PASSWORD)
    return fixture_db


def opened_link(url_path: str, query: dict[str, str]) -> AppTest:
    """A new session whose first request is /<url_path>?<query>, as a browser opening the link."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    # A browser names the page by its URL; AppTest only takes a page hash, which Streamlit derives
    # from the url_path alone.
    at._page_hash = calc_hash(url_path)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def test_remembered_request_is_taken_once():
    state: dict = {}
    auth.remember_request(state, "trinh-chieu", {"slides": ["kpis,league"], "auto": ["20"]})
    assert auth.take_request(state) == ("trinh-chieu", {"slides": ["kpis,league"], "auto": ["20"]})
    assert auth.take_request(state) is None


def test_prepared_link_lands_on_its_page_with_its_parameters(presenter):
    at = opened_link("trinh-chieu", LINK)
    assert not at.exception
    assert at.title[0].value == "Đăng nhập"  # the gate: the sign-in form, not the slides
    assert not any("slide-title" in m.value for m in at.markdown)
    assert at.session_state[auth.REQUEST_KEY] == (
        "trinh-chieu",
        {"slides": ["kpis,league"], "theme": ["dark"], "auto": ["20"]},
    )

    sign_in(at, "trinhbay1", PASSWORD)
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "Chỉ số toàn thành phố" in shown  # the first slide of ?slides=kpis,league
    assert "Trang 1/2" in shown or any("Trang 1/2" in c.value for c in at.caption)
    assert {k: at.query_params[k] for k in LINK} == LINK
    assert auth.REQUEST_KEY not in at.session_state


def test_link_to_a_page_the_role_may_not_open_lands_on_the_default_page(presenter):
    at = opened_link("nhap-du-lieu", {})  # the import page: admins only
    assert at.title[0].value == "Đăng nhập"
    sign_in(at, "trinhbay1", PASSWORD)
    assert not at.exception
    assert at.title[0].value != "Đăng nhập"
    assert auth.REQUEST_KEY not in at.session_state
    with pytest.raises(ValueError):
        at.switch_page(str(ROOT / "pages" / "ingest.py"))
