"""Who may open a page is said once, in ioc/navigation.py; every page asks ui.page_allowed, so a
page run by a role that may not open it shows one line and nothing else (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ioc import auth, navigation
from ioc.scope import ADMIN, PRESENTER, WARD_CHAIR, Scope

ROOT = Path(__file__).resolve().parent.parent
OPEN_TO_ALL = {"pages/sign_in.py", "pages/setup.py"}


def test_every_page_asks_the_registry():
    for page in sorted((ROOT / "pages").glob("*.py")):
        name = page.relative_to(ROOT).as_posix()
        if name not in OPEN_TO_ALL:
            assert "ui.page_allowed(__file__)" in page.read_text(encoding="utf-8"), name


@pytest.mark.parametrize(
    ("scope", "path"),
    [
        (Scope(PRESENTER, None, "trinhbay1"), "pages/ingest.py"),
        (Scope(PRESENTER, None, "trinhbay1"), "pages/mappings.py"),
        (Scope(WARD_CHAIR, "90001", "chair1"), "pages/audit.py"),
        (Scope(PRESENTER, None, "trinhbay1"), "pages/quality.py"),
    ],
)
def test_a_page_refuses_a_role_the_registry_does_not_name(fixture_db, scope, path):
    assert not navigation.may_open(scope.role, path)
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    auth.sign_in_session(at.session_state, scope)
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Tài khoản của bạn không được xem dữ liệu này."]
    assert not at.dataframe and not at.metric


def test_the_same_page_opens_for_a_role_it_names(fixture_db):
    at = AppTest.from_file(str(ROOT / "pages/audit.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, Scope(ADMIN, None, "quantri1"))
    at.run()
    assert not at.exception and not at.warning
