"""Sign-in in a real browser on a freshly started app: a prepared deep link opened as the very first
page load shows the sign-in form (no "Page not found" dialog) and, after sign-in, the requested page
with its query parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from conftest import submit_sign_in

from ioc.scope import PRESENTER

pytestmark = pytest.mark.browser

LINK = "/trinh-chieu?slides=kpis,league&theme=dark&auto=20"


def test_deep_link_on_fresh_server_survives_sign_in(
    page, fresh_app_url, artifacts, outside_requests
):
    page.goto(f"{fresh_app_url}{LINK}")
    page.get_by_label("Tên đăng nhập", exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(1_500)  # the dialog, when it came, arrived with the first run's messages
    page.screenshot(path=str(artifacts / "sign_in_deep_link.png"))
    assert "Page not found" not in page.inner_text("body")
    assert not page.get_by_role("dialog").count()

    submit_sign_in(page, PRESENTER)
    page.locator(".slide-title", has_text="Chỉ số toàn thành phố").wait_for(timeout=60_000)
    page.get_by_text("Trang 1/2").wait_for(timeout=10_000)
    assert "Page not found" not in page.inner_text("body")
    url = urlparse(page.url)
    assert url.path == "/trinh-chieu"
    query = parse_qs(url.query)
    assert query["slides"] == ["kpis,league"]
    assert query["theme"] == ["dark"]
    assert query["auto"] == ["20"]
    assert outside_requests == []
