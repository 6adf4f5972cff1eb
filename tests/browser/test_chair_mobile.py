"""A ward chair's morning on a phone (issue 23), in a real browser at 390x844: after sign-in the
first screen is the own ward's, titled with its name, and shows the rank, its change, both targeted
rates with their lights and the first procedure to fix without scrolling; the overview names the
ward too. Screenshots at phone and desktop sizes go to /tmp/chair_*.png (and test-artifacts/)."""

from __future__ import annotations

import gzip
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from conftest import local_page, submit_sign_in, wait_idle

from ioc.scope import WARD_CHAIR

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
# what must be on the first screen, as CSS selectors of the chair's block (ioc.drilldown.chair_html)
FIRST_SCREEN = {
    "rank": ".ioc-chair .chair-rank .big",
    "change": ".ioc-chair .chair-change",
    "online light": '.ioc-chair [data-metric="online_rate"] .chair-light',
    "online gap": '.ioc-chair [data-metric="online_rate"] .chair-gap',
    "end-to-end light": '.ioc-chair [data-metric="end_to_end_rate"] .chair-light',
    "end-to-end gap": '.ioc-chair [data-metric="end_to_end_rate"] .chair-gap',
    "top procedure": ".ioc-chair .chair-lift",
}


def shoot(page, name: str, artifacts: Path) -> None:
    path = artifacts / name
    page.screenshot(path=str(path))
    shutil.copy(path, Path("/tmp") / name)


def assert_first_screen_in_view(page) -> None:
    """Every item of FIRST_SCREEN lies inside the phone's first screen; nothing scrolls sideways."""
    for what, selector in FIRST_SCREEN.items():
        box = page.locator(selector).first.bounding_box()
        assert box is not None, what
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (what, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (what, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def open_as_chair(page, url: str, drawn) -> None:
    """Open `url`, sign in as the demo ward chair and wait until `drawn` (a locator) shows and
    the page is idle."""
    page.goto(url)
    submit_sign_in(page, WARD_CHAIR)
    drawn.wait_for(timeout=60_000)
    wait_idle(page)


def open_signed_in(page, url: str, drawn) -> None:
    """Open `url` in the browser that signed in (its session cookie keeps it signed in, issue 16)
    and wait until `drawn` shows and the page is idle."""
    page.goto(url)
    drawn.wait_for(timeout=60_000)
    wait_idle(page)


def test_chair_first_screen_on_a_phone(browser, app_url, artifacts, outside_requests):
    context, page = local_page(browser, PHONE, outside_requests)
    try:
        open_as_chair(page, app_url, page.locator(FIRST_SCREEN["rank"]))
        assert page.locator("h1").first.inner_text().strip() == "Phường Một"
        assert page.locator(FIRST_SCREEN["rank"]).inner_text().startswith("Hạng ")
        assert page.locator(FIRST_SCREEN["online gap"]).inner_text().startswith("còn thiếu")
        assert_first_screen_in_view(page)
        shoot(page, "chair_phone.png", artifacts)
        page.mouse.wheel(0, 900)
        page.wait_for_timeout(500)
        shoot(page, "chair_phone_below.png", artifacts)

        # the overview, asked for by its link, names the ward, not the city
        open_signed_in(page, f"{app_url}/tong-quan", page.locator("h1", has_text="Tổng quan"))
        assert page.locator("h1").first.inner_text().strip() == "Tổng quan Phường Một"
        shoot(page, "chair_overview_phone.png", artifacts)

        # the league keeps rank, commune and score in view (pinned columns), looked at by eye
        open_signed_in(page, f"{app_url}/xep-hang", page.locator("h1", has_text="Xếp hạng"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        page.wait_for_timeout(2_000)  # the grid draws on a canvas after the run
        shoot(page, "chair_league_phone.png", artifacts)
    finally:
        context.close()
    assert outside_requests == []


def test_chair_first_screen_on_a_desktop(browser, app_url, artifacts, outside_requests):
    context, page = local_page(browser, DESKTOP, outside_requests)
    try:
        open_as_chair(page, app_url, page.locator(FIRST_SCREEN["rank"]))
        for what, selector in FIRST_SCREEN.items():
            box = page.locator(selector).first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= DESKTOP["height"], what
        shoot(page, "chair_desktop.png", artifacts)
    finally:
        context.close()
    assert outside_requests == []


def test_streamlit_javascript_is_served_gzipped(app_url):
    # `ioc serve` gzips Streamlit's static files (ioc.cli._compress_static): 3 MB plain on a
    # phone's first visit otherwise (benchmarks/bench_chair_mobile.py)
    with urllib.request.urlopen(app_url, timeout=10) as response:
        page = response.read().decode()
    script = re.search(r'src="\.?/?(static/js/index\.[^"]+\.js)"', page)
    assert script, page[:500]
    request = urllib.request.Request(
        f"{app_url}/{script.group(1)}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers.get("Content-Encoding") == "gzip"
        packed = response.read()
    assert len(gzip.decompress(packed)) > 2 * len(packed)


def test_the_light_page_on_a_phone(browser, app_url, artifacts, outside_requests):
    """/tom-tat: the same first screen as server-drawn HTML, signed in through its own form; the
    session it starts is the dashboard's (the full page opens signed in)."""
    from conftest import ACCOUNTS

    context, page = local_page(browser, PHONE, outside_requests)
    try:
        page.goto(f"{app_url}/tom-tat?period=week")
        account = ACCOUNTS[WARD_CHAIR]
        page.get_by_label("Tên đăng nhập").fill(account.username)
        page.get_by_label("Mật khẩu").fill(account.password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.locator(FIRST_SCREEN["rank"]).wait_for(timeout=30_000)
        assert page.locator("h1").inner_text().strip() == "Phường Một"
        assert_first_screen_in_view(page)
        shoot(page, "chair_light_phone.png", artifacts)
        # its links lead into the dashboard, already signed in
        page.locator(".chair-lift").first.click()
        page.locator(FIRST_SCREEN["rank"]).wait_for(timeout=60_000)
        assert page.get_by_label("Tên đăng nhập", exact=True).count() == 0
        assert page.locator("h1").first.inner_text().strip() == "Phường Một"  # same week
        assert "from=2025-10-06" in page.url and "to=2025-10-12" in page.url
    finally:
        context.close()
    assert outside_requests == []
