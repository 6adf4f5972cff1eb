"""The land map in a real browser with the network blocked: find a parcel, see the deck drawn and
the parcel's sheet, number and area in the detail panel."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ioc.scope import CITY_LEADER

pytestmark = pytest.mark.browser


def _canvas_colours(page) -> int:
    """Distinct colours in the deck's canvas (a blank WebGL canvas has one or two)."""
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(state="visible", timeout=30_000)
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    return len(set(image.get_flattened_data()))


def test_city_view_draws_communes_offline(page, sign_in, app_url, artifacts, outside_requests):
    sign_in(f"{app_url}/ban-do-dat-dai", CITY_LEADER)
    page.get_by_text("Toàn thành phố: mỗi ô là một xã/phường").wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)  # let deck.gl draw the first frame
    page.screenshot(path=str(artifacts / "land_map_city.png"), full_page=True)
    assert _canvas_colours(page) > 3
    assert outside_requests == []


def test_search_flies_to_parcel_and_shows_details(
    page, sign_in, app_url, artifacts, outside_requests
):
    sign_in(f"{app_url}/ban-do-dat-dai?commune=90001", CITY_LEADER)
    page.get_by_label("Số tờ bản đồ", exact=True).wait_for(timeout=60_000)
    page.get_by_label("Số tờ bản đồ", exact=True).fill("5")
    page.get_by_label("Số thửa", exact=True).fill("12")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_text("Đã tìm thấy thửa đất tờ 5, thửa 12.").wait_for(timeout=30_000)
    detail = page.locator(".st-key-land_detail")
    detail.get_by_text("Số tờ bản đồ: 5").wait_for(timeout=10_000)
    text = detail.inner_text()
    assert "Số thửa: 12" in text
    assert "Diện tích: 120,5 m²" in text
    assert "Tình trạng: Quá hạn" in text
    page.wait_for_timeout(2_000)
    assert _canvas_colours(page) > 3
    page.screenshot(path=str(artifacts / "land_map_search.png"), full_page=True)
    assert outside_requests == []
