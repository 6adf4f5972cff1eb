"""Presenter mode in a real browser with the network blocked: a slide full screen in the dark
theme, the arrow key moves to the next one."""

from __future__ import annotations

import pytest

from ioc.scope import PRESENTER

pytestmark = pytest.mark.browser


def test_slide_full_screen_and_arrow_key(page, sign_in, app_url, artifacts, outside_requests):
    sign_in(f"{app_url}/trinh-chieu?slides=kpis,league,movers&period=week&theme=dark", PRESENTER)
    page.locator(".slide-title", has_text="Chỉ số toàn thành phố").wait_for(timeout=60_000)
    page.locator(".slide-card").first.wait_for(timeout=10_000)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    cards = page.locator(".slide-card").all_inner_texts()
    assert any("Hồ sơ tiếp nhận" in c and "19" in c for c in cards)
    page.wait_for_timeout(1_500)  # let plotly draw
    page.screenshot(path=str(artifacts / "present_kpis_dark.png"))
    page.locator("body").press("ArrowRight")
    page.locator(".slide-title", has_text="Xếp hạng xã/phường").wait_for(timeout=30_000)
    page.get_by_text("Trang 2/3").wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "present_league_dark.png"))
    assert outside_requests == []
