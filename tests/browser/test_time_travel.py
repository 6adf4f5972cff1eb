"""Time travel in a real browser (issue 17, ioc/history.py): `ioc serve` on a DuckLake store (a
replica, as deployed), a city leader opens last import's league table by its address and sees the
banner and the import that changed the figures since, then the overview at that moment; screenshots
in test-artifacts/time_travel_league.png and time_travel_overview.png (the figures themselves are
checked by tests/test_history.py)."""

from __future__ import annotations

import pytest
from conftest import NOW, _served, prepared_store, wait_idle
from test_lake import write_export

from ioc import auth, lake, store
from ioc.ingest import ingest_file
from ioc.scope import CITY_LEADER

pytestmark = pytest.mark.browser

WEEK = "period=custom&from=2025-10-06&to=2025-10-12"
PASSWORD = "Lanh-dao-2025!"


def test_the_league_at_a_past_import_in_a_browser(
    lake_settings,
    monkeypatch,
    tmp_path,
    tmp_path_factory,
    page,
    artifacts,
    outside_requests,
    request,
):
    """The served app is a read-only replica: its sign-in goes to the worker's write thread
    (`serving_writes`, started once the store is made) through the shared inbox."""
    monkeypatch.setenv("IOC_NOW", NOW)
    path = prepared_store(tmp_path / "store.duckdb")  # into the lake: IOC_STORE=ducklake
    with store.connect(path) as con:
        assert lake.is_lake(con)
        morning = write_export(
            tmp_path / "sang-thu-hai.csv",
            ["M1,1.001193,90003,2,4,13/10/2025 09:30,13/10/2025 17:00,"],
        )
        assert ingest_file(con, morning).status == "ok"
        version = lake.current_version(con)
        later = write_export(
            tmp_path / "chieu-thu-hai.csv",
            [
                f"T{n},1.001193,90003,2,10,0{n}/10/2025 09:00,0{n}/10/2025 17:00,0{n}/10/2025 11:00"
                for n in (7, 8, 9)
            ],
        )
        assert ingest_file(con, later).rows_inserted == 3
        # real imports end demo mode: a real account signs in
        rounds, auth.BCRYPT_ROUNDS = auth.BCRYPT_ROUNDS, 4
        try:
            auth.add_user(con, "lanhdao-thuc", CITY_LEADER, PASSWORD, None)
        finally:
            auth.BCRYPT_ROUNDS = rounds

    request.getfixturevalue("serving_writes")  # the worker's writes, on the lake made above
    with _served(path, tmp_path_factory, tmp_path / "inbox") as url:
        page.goto(f"{url}/xep-hang?{WEEK}&snapshot={version}")
        username = page.get_by_label("Tên đăng nhập", exact=True)
        username.wait_for(timeout=60_000)
        wait_idle(page)
        username.fill("lanhdao-thuc")
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.get_by_text(f"(bản chụp #{version}), không phải hiện tại").wait_for(timeout=60_000)
        page.get_by_text("Các lần nhập đã thay đổi số liệu kể từ thời điểm đó").wait_for()
        wait_idle(page)
        page.wait_for_timeout(1_000)  # the tables' canvases drawn
        page.screenshot(path=str(artifacts / "time_travel_league.png"), full_page=True)
        body = page.inner_text("body")
        assert "Traceback" not in body and "Đã xảy ra lỗi" not in body
        # the overview (opened now), then read at the same moment through the picker
        page.get_by_role("link", name="Tổng quan").click()
        page.get_by_text("Tổng quan thành phố").wait_for(timeout=60_000)
        wait_idle(page)
        assert not page.get_by_text("không phải hiện tại").count()
        page.get_by_role("combobox", name="Xem tại thời điểm").click()
        page.get_by_role("option", name="sang-thu-hai.csv").click()
        page.get_by_text(f"(bản chụp #{version}), không phải hiện tại").wait_for(timeout=60_000)
        wait_idle(page)
        page.wait_for_timeout(1_000)
        page.screenshot(path=str(artifacts / "time_travel_overview.png"), full_page=True)
        body = page.inner_text("body")
        assert "Traceback" not in body and "Đã xảy ra lỗi" not in body
        assert "Page not found" not in body
    assert outside_requests == []
