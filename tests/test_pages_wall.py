"""Issue 16, item 6, through the real app (AppTest, no browser, hence no cookie): the admin page
issues a wall screen's link and revokes it; a session signed in from a wall's cookie sees only its
deck on the presentation page, no menu, no other page, no dossier rows, and the sign-in form once
the wall is revoked."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fixtures import C1
from streamlit.testing.v1 import AppTest
from test_pages_admin import admin_page

from ioc import audit, auth, sessions, startup
from ioc import presentation as pres

ROOT = Path(__file__).resolve().parent.parent
DECK = sessions.Wall("", "", f"commune:{C1},kpis", "light", 20, "7d")


@pytest.fixture
def con(fixture_db, monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    con = startup.open_store(fixture_db).cursor()
    auth.add_user(con, "admin1", "admin", "mat-khau-quan-tri")  # a store with an account
    return con


def wall_app(con, token: str) -> AppTest:
    """The app in a tab whose websocket carried the wall's cookie (as after /auth/wall)."""
    tab: dict = {}
    assert sessions.resume(tab, con, {sessions.COOKIE: token}) is not None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in tab.items():
        at.session_state[key] = value
    at.query_params["slides"] = "kpis"  # a hand-edited URL: the wall's deck wins
    return at.run()


def slide_title(at: AppTest) -> str:
    texts = [m.value for m in at.markdown if 'class="slide-title"' in m.value]
    return re.sub(r"<[^>]+>", "|", texts[0]).strip("|").split("|")[0]


def test_admin_issues_a_wall_link_and_revokes_it(con):
    at = admin_page("wall_screens")
    assert not at.exception
    at.button[0].click().run()  # the form without a name
    assert [e.value for e in at.error] == ["Hãy đặt tên cho màn hình."]
    at.text_input(key="wall_label").input("Sảnh tầng 1")
    at.button[0].click().run()
    assert not at.exception
    (link,) = [c.value for c in at.code]
    token = link.split("/auth/wall?token=")[1]
    wall = sessions.open_wall(con, token)
    assert (wall.label, wall.slides, wall.theme, wall.auto_seconds, wall.period) == (
        "Sảnh tầng 1",
        ",".join(pres.DEFAULT_SLIDES),  # the default deck
        "dark",
        30,
        "week",
    )
    table = at.dataframe[0].value
    assert table["Tên màn hình"].tolist() == ["Sảnh tầng 1"]
    assert table["Trạng thái"].tolist() == ["Đang hiệu lực"]
    at.button(key="wall_revoke").click().run()
    assert at.dataframe[0].value["Trạng thái"].tolist() == ["Đã thu hồi"]
    assert not [b for b in at.button if b.key == "wall_revoke"]  # nothing left to revoke
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), "admin1")
    assert set(log["action"]) >= {audit.WALL_ISSUE, audit.WALL_REVOKE}


def test_a_wall_shows_its_deck_only_and_falls_back_to_sign_in_once_revoked(con):
    wall_id, token = sessions.issue_wall(con, "admin1", "Sảnh", DECK, 30)
    at = wall_app(con, token)
    assert not at.exception
    assert slide_title(at) == "Phường Một"
    assert dict(at.query_params) == {
        "slides": f"commune:{C1},kpis",
        "theme": "light",
        "auto": "20",
        "period": "7d",
    }
    assert any("không hiển thị với vai trò" in m.value for m in at.markdown)  # no dossier rows
    assert not any("d04" in t.value.index for t in at.table)
    labels = [b.label for b in at.button]
    assert "Đăng xuất" not in labels and "Báo cáo tuần" not in labels  # no menu, no sign-out
    assert not at.get("popover") and not at.get("page_link")
    at.button(key="present_next").click().run()
    assert slide_title(at) == "Chỉ số toàn thành phố"

    sessions.revoke_wall(con, wall_id, "admin1")
    at.run()
    assert at.text_input(key="sign_in_username") is not None
    assert [i.value for i in at.info][0].startswith("Phiên đăng nhập đã kết thúc")
    assert not [m for m in at.markdown if 'class="slide-title"' in m.value]
