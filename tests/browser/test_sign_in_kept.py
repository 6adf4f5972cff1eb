"""Issue 16, item 6, in a real browser on the app `ioc serve` starts: a sign-in survives a reload
and a new tab, a sign-out does not; a wall screen's link opened in a fresh browser context shows the
slides, moves on by itself, survives a reload and a network cut, and stops once revoked."""

from __future__ import annotations

import re
import time

import pytest
from conftest import local_page, submit_sign_in, wait_idle

from ioc import sessions
from ioc.scope import ADMIN, CITY_LEADER

pytestmark = pytest.mark.browser

SIGNED_IN = "Đăng nhập: lanhdao"
USERNAME = "Tên đăng nhập"
FULL_HD = {"width": 1920, "height": 1080}


def session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == sessions.COOKIE), None)


def wait_cookie(context, present: bool = True, timeout: float = 15) -> dict | None:
    deadline = time.monotonic() + timeout
    while (session_cookie(context) is not None) != present:
        assert time.monotonic() < deadline, f"session cookie present={not present} still"
        time.sleep(0.2)
    return session_cookie(context)


def test_sign_in_survives_a_reload_and_a_new_tab_until_sign_out(page, app_url, outside_requests):
    page.goto(f"{app_url}/xep-hang")
    submit_sign_in(page, CITY_LEADER)
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    cookie = wait_cookie(page.context)
    assert (
        cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["value"].startswith("v1.u.")
    )

    page.reload()
    page.get_by_text(SIGNED_IN).wait_for(timeout=60_000)
    assert page.url.startswith(f"{app_url}/xep-hang")
    assert not page.get_by_label(USERNAME, exact=True).count()

    other = page.context.new_page()  # a link opened in a new tab
    other.goto(f"{app_url}/trinh-chieu?slides=kpis")
    other.locator(".slide-title").first.wait_for(timeout=60_000)
    assert not other.get_by_label(USERNAME, exact=True).count()

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_label(USERNAME, exact=True).wait_for(timeout=60_000)
    wait_cookie(page.context, present=False)
    page.reload()
    page.get_by_label(USERNAME, exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    assert not page.get_by_text(SIGNED_IN).count()
    other.reload()  # the other tab too: the session is revoked in the store
    other.get_by_label(USERNAME, exact=True).wait_for(timeout=60_000)
    assert outside_requests == []


def slide_counter(page) -> str:
    return page.get_by_text("Trang ").first.inner_text()


def test_wall_screen_link_shows_slides_survives_reload_and_blip_until_revoked(
    browser, app_url, artifacts
):
    outside: list[str] = []
    admin_context, admin = local_page(browser, {"width": 1600, "height": 1000}, outside)
    admin.goto(f"{app_url}/man-hinh-tuong")
    submit_sign_in(admin, ADMIN)
    admin.get_by_label("Tên màn hình (vị trí đặt)").fill("Sảnh tầng 1")
    admin.get_by_label("Chuyển trang sau (giây)").fill("10")
    admin.get_by_role("button", name="Cấp liên kết").click()
    admin.locator('[data-testid="stCode"]').wait_for(timeout=60_000)
    link = admin.locator('[data-testid="stCode"]').inner_text().strip()
    assert link.startswith(f"{app_url}/auth/wall?token=v1.w.")

    wall_context, wall = local_page(browser, FULL_HD, outside)  # the display: no cookie at all
    wall.goto(link)
    wall.locator(".slide-title", has_text="Những điểm chính của kỳ").wait_for(timeout=60_000)
    assert wall.url.startswith(f"{app_url}/trinh-chieu?slides=")
    assert session_cookie(wall_context)["httpOnly"]
    assert "Page not found" not in wall.inner_text("body")
    assert not wall.get_by_role("button", name="Đăng xuất").count()
    assert not wall.get_by_text("Báo cáo tuần").count()
    wall.screenshot(path=str(artifacts / "wall_screen.png"))
    wall.get_by_text(re.compile(r"^Trang 2/\d+$")).wait_for(timeout=40_000)  # moves on by itself

    wall.reload()
    wall.locator(".slide-title").first.wait_for(timeout=60_000)
    assert not wall.get_by_label(USERNAME, exact=True).count()
    shown = slide_counter(wall)

    wall_context.set_offline(True)  # a network cut longer than a slide
    time.sleep(15)
    wall_context.set_offline(False)
    deadline = time.monotonic() + 60
    while slide_counter(wall) == shown:
        assert time.monotonic() < deadline, "the wall did not move on after the network came back"
        time.sleep(1)
    assert not wall.get_by_label(USERNAME, exact=True).count()
    wall.screenshot(path=str(artifacts / "wall_screen_after_blip.png"))

    admin.reload()
    admin.get_by_role("button", name="Thu hồi").click()
    admin.get_by_text("Đã thu hồi màn hình").wait_for(timeout=60_000)  # the toast
    wall.get_by_label(USERNAME, exact=True).wait_for(timeout=40_000)  # at its next slide
    assert not wall.locator(".slide-title").count()
    wall.reload()
    wall.get_by_label(USERNAME, exact=True).wait_for(timeout=60_000)
    wall.goto(link)
    assert "Liên kết màn hình tường này không còn hiệu lực." in wall.inner_text("body")
    assert outside == []
    wall_context.close()
    admin_context.close()
