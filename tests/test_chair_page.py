"""Issue 23: the chair's first screen as a light page beside Streamlit (ioc/chair_page.py, /tom-tat)
on the hand-made store: the sign-in form, the session cookie, the same hand-worked figures as the
commune page's block (tests/test_pages_drilldown.py CHAIR_FIGURES, last full week 06–12/10/2025),
who sees which commune, the share card and the audit rows."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from builders import asgi_call
from fixtures import C1, C2
from test_pages_drilldown import CHAIR_FIGURES

from ioc import audit, auth, chair_page, sessions, startup
from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, WARD_CHAIR

PASSWORD = "Mat-khau-9x!"
ORIGIN = ("origin", "http://ioc.local")


@pytest.fixture(autouse=True)
def accounts(fixture_db, monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    con = startup.open_store(fixture_db).cursor()
    auth.add_user(con, "chair1", WARD_CHAIR, PASSWORD, C1)
    auth.add_user(con, "leader1", CITY_LEADER, PASSWORD)
    auth.add_user(con, "show1", PRESENTER, PASSWORD)
    auth.add_user(con, "admin1", ADMIN, PASSWORD)
    return con


def call(method: str, path: str = chair_page.PATH, query: str = "", body=b"", cookie=None):
    headers = [ORIGIN] + ([("cookie", f"{sessions.COOKIE}={cookie}")] if cookie else [])
    return asgi_call(chair_page.ROUTES, method, path, query, body, headers)


def sign_in(username: str, password: str = PASSWORD, query: str = "") -> tuple:
    return call("POST", query=query, body=f"username={username}&password={password}".encode())


def cookie_of(username: str) -> str:
    status, headers, _ = sign_in(username)
    assert status == 303
    (set_cookie,) = headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
    return re.match(rf"{sessions.COOKIE}=([^;]+)", set_cookie).group(1)


def words(body: bytes) -> str:
    text = re.sub(r"<(style|title)>.*?</\1>|<[^>]+>", " ", body.decode(), flags=re.S)
    return " ".join(html.unescape(text).split())


def audit_actions(con, username: str) -> list[tuple[str, str | None]]:
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), username)
    return list(zip(log["action"], log["detail"], strict=True))[::-1]


def test_without_a_session_the_page_is_a_sign_in_form():
    status, headers, body = call("GET", query="period=week")
    assert status == 200 and headers["cache-control"] == ["no-store"]
    assert "Tên đăng nhập" in words(body) and "Hạng" not in words(body)
    assert b'action="/tom-tat?period=week&amp;lang=vi"' in body  # the form keeps the period
    status, headers, _ = call("GET", chair_page.CARD_PATH)  # no card either: to the form
    assert status == 303 and headers["location"] == ["/tom-tat?lang=vi"]


def test_a_wrong_password_an_empty_form_or_another_site_is_refused(accounts):
    status, _, body = sign_in("chair1", "sai-mat-khau")
    assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in words(body)
    assert audit_actions(accounts, "chair1")[-1] == ("sign_in_failed", "wrong password (1)")
    assert sign_in("chair1", "")[0] == 400
    foreign = asgi_call(
        chair_page.ROUTES,
        "POST",
        chair_page.PATH,
        body=f"username=chair1&password={PASSWORD}".encode(),
        headers=[("origin", "http://evil.example")],
    )
    assert foreign[0] == 403


def test_a_ward_chair_sees_the_own_wards_first_screen_whatever_the_link_says(accounts):
    status, headers, _ = sign_in("chair1", query="period=week")
    assert headers["location"] == ["/tom-tat?period=week&lang=vi"]
    cookie = cookie_of("chair1")
    status, _, body = call("GET", query=f"period=week&commune={C2}", cookie=cookie)
    assert status == 200
    text = words(body)
    assert text.startswith("Phường Một 06/10/2025 – 12/10/2025")  # the own ward, not Xã Hai
    for figure in CHAIR_FIGURES:
        assert figure in text, figure
    # every item links to its section of the dashboard's commune page for the same week; no
    # script, a few kB
    page = f"/xa-phuong?commune={C1}&amp;period=custom&amp;from=2025-10-06&amp;to=2025-10-12"
    assert f'href="{page}#commune-lift"' in body.decode()
    assert b"<script" not in body and len(body) < 15_000
    assert [a for a, _ in audit_actions(accounts, "chair1")] == ["sign_in", "sign_in"]


def test_english_on_the_switch():
    cookie = cookie_of("chair1")
    text = words(call("GET", query="period=week&lang=en", cookie=cookie)[2])
    assert "Rank 2 of 3 ▼ 1 since last week" in text
    assert "22 more online dossiers needed to reach 80%" in text


def test_other_roles_see_the_linked_commune_or_go_to_the_dashboard():
    leader = cookie_of("leader1")
    status, _, body = call("GET", query=f"period=week&commune={C2}", cookie=leader)
    assert status == 200 and words(body).startswith("Xã Hai")
    status, headers, _ = call("GET", query="commune=nowhere", cookie=leader)
    assert status == 303 and headers["location"] == ["/xa-phuong"]  # pick a commune there
    presenter = cookie_of("show1")  # the block has no dossier row: a presenter may see it
    assert words(call("GET", query=f"commune={C1}", cookie=presenter)[2]).startswith("Phường Một")
    admin = cookie_of("admin1")  # no commune page for an administrator
    status, headers, _ = call("GET", query=f"commune={C1}", cookie=admin)
    assert status == 303 and headers["location"] == ["/"]


def test_the_share_card_is_a_png_and_audited(accounts):
    cookie = cookie_of("chair1")
    status, headers, body = call("GET", chair_page.CARD_PATH, "period=week", cookie=cookie)
    assert status == 200 and body.startswith(b"\x89PNG\r\n\x1a\n")
    assert headers["content-disposition"] == ['attachment; filename="the-90001-20251012.png"']
    assert audit_actions(accounts, "chair1")[-1] == ("download", "the-90001-20251012.png")


def test_a_session_ended_elsewhere_shows_the_form_again(accounts):
    cookie = cookie_of("chair1")
    verified = sessions.verify(accounts, cookie)
    sessions.end(accounts, verified[1], "sign_out")  # signed out in the dashboard
    assert "Tên đăng nhập" in words(call("GET", cookie=cookie)[2])
    assert "Tên đăng nhập" in words(call("GET", cookie="v1.u.forged.1.x")[2])
