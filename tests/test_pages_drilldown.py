"""AppTest of the Xã/phường drill-down on the hand-made fixture, and of the chair's first screen at
its top (issue 23)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from fixtures import C1
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from test_pages_league import ROOT, WEEK, app_on

from ioc import audit, auth, store
from ioc.scope import PRESENTER, WARD_CHAIR, Scope

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_drill_down_page(fixture_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": "90001"})
    assert not at.exception
    assert at.title[0].value == "Phường Một"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ trực tuyến"] == "46,2%"
    assert metrics["Hồ sơ quá hạn đang xử lý"] == "2"
    assert "Hạng 2/3 ▼ 1 so với tuần trước" in chair_text(at)
    texts = [m.value for m in at.markdown]
    assert any("đạt vào khoảng 31/10/2025" in t for t in texts)  # online, see test_drilldown
    assert any("chưa đạt với tốc độ hiện tại" in t for t in texts)  # end-to-end
    near, lift, procedures, overdue = (d.value for d in at.dataframe)
    assert near["Xã/phường"].tolist() == ["Xã Hai", "Phường Một", "Xã Ba"]
    assert lift["Thủ tục"].tolist()[0] == "Đăng ký khai sinh"
    assert procedures["Tiếp nhận"].tolist() == ["6", "5", "2"]
    assert overdue["Mã hồ sơ"].tolist() == ["d12", "d04", "d05", "d13"]


def test_no_commune_asks_for_one(fixture_db):
    at = app_on("pages/drilldown.py", WEEK)
    assert not at.exception
    assert at.info[0].value.startswith("Chọn một xã/phường")


def test_presenter_sees_no_dossier_rows(fixture_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": "90001"})
    at.session_state["scope"] = Scope(PRESENTER)
    at.run()
    # the page is for viewers; whatever the navigation shows, no dossier list is rendered
    assert not at.exception
    assert all("Mã hồ sơ" not in d.value.columns for d in at.dataframe)


def chair_block(at: AppTest) -> str:
    """The HTML of the chair's block (st.html)."""
    (block,) = [h.value for h in at.html if 'class="ioc-chair"' in h.value]
    return block


def chair_text(at: AppTest) -> str:
    """The chair's block as the words on screen."""
    words = re.sub(r"<style>.*?</style>|<[^>]+>", " ", chair_block(at), flags=re.S)
    return " ".join(html.unescape(words).split())


def as_chair(query: dict | None = None) -> AppTest:
    """The whole app signed in as the ward chair of C1 (Phường Một), on its default page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, Scope(WARD_CHAIR, C1, "chair1"))
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


# The fixture's week 06-12/10/2025 for C1 (tests/test_kpi.py lists every dossier's part):
# - rank 2 of 3 (Xã Hai 1st, Xã Ba without a score 3rd), 1st the week before: ▼ 1;
# - score 100 * (20*9/13 + 6*(6/13)/0.8 + 6*(4/13)/0.4 + 10*0.25/0.8 + 22*(6/13)/0.8) / 64
#   = 100 * 37.740 / 64 = 59.0; Xã Hai 100 * 49.611 / 64 = 77.5; Xã Ba none: median of the two
#   = (58.97 + 77.52) / 2 = 68.2;
# - online 6/13 = 46.2% against 80%: red (below 70%); missing k: (6+k)/(13+k) >= 0.8
#   <=> k >= (0.8*13 - 6) / 0.2 = 22 -> 22 (28/35 is exactly 80%);
# - end-to-end 4/13 = 30.8% against 40% (the city row from 01/09): amber (within 10 points);
#   (4+k)/(13+k) >= 0.4 <=> k >= (5.2 - 4) / 0.6 = 2 -> 2 (6/15);
# - on time 5/7 = 71.4%, no target in force: no light;
# - open at the end of 12/10: d04 d05 d06 d12 d13 d16 = 6, overdue d04 d12 = 2; the oldest open
#   one is d12, received 03/10: 9 days;
# - lift: only Đăng ký khai sinh is below the city's 90th percentile: its end-to-end share 4/5
#   against p90(0.8, 1.0) = 0.98 -> 0.9 more end-to-end (and online) dossiers of 13:
#   online points + 6*0.9/13/0.8, end-to-end + 6*0.9/13/0.4 -> +100*1.5577/64 = +2.4 points.
CHAIR_FIGURES = [
    "Hạng 2/3",
    "▼ 1 so với tuần trước",
    "Điểm 59,0 · trung vị thành phố 68,2",
    "Tỷ lệ trực tuyến 46,2% Chưa đạt còn thiếu 22 hồ sơ trực tuyến để đạt 80%",
    "Tỷ lệ trực tuyến toàn trình 30,8% Gần đạt còn thiếu 2 hồ sơ trực tuyến toàn trình để đạt 40%",
    "Tỷ lệ giải quyết đúng hạn 71,4% chưa có mục tiêu",
    "Đang xử lý 6 · quá hạn 2 · hồ sơ lâu nhất 9 ngày",
    "Làm gì trước để tăng điểm Đăng ký khai sinh Tăng trực tuyến toàn trình, +2,4 điểm",
]


def test_ward_chair_lands_on_the_own_commune_with_the_chair_screen(fixture_db):
    at = as_chair(WEEK)
    assert not at.exception
    assert at.title[0].value == "Phường Một"  # the commune page, not "Tổng quan thành phố"
    text = chair_text(at)
    for figure in CHAIR_FIGURES:
        assert figure in text, figure
    block = chair_block(at)
    assert 'data-metric="online_rate" href="#commune-forecast"' in block
    assert re.search(r'data-metric="online_rate".*?data-light="red"', block)
    assert re.search(r'data-metric="end_to_end_rate".*?data-light="amber"', block)
    # each item links to its section of the page
    assert '<a class="chair-lift" href="#commune-lift">Đăng ký khai sinh</a>' in block
    assert 'href="#commune-overdue"' in block and 'href="#commune-neighbours"' in block


def test_city_leader_sees_the_same_block_for_a_chosen_commune(fixture_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": C1})
    assert not at.exception
    text = chair_text(at)
    for figure in CHAIR_FIGURES:
        assert figure in text, figure
    english = app_on("pages/drilldown.py", WEEK | {"commune": C1})
    english.session_state["lang"] = "en"
    english.run()
    assert "22 more online dossiers needed to reach 80%" in chair_text(english)
    assert "Rank 2 of 3 ▼ 1 since last week" in chair_text(english)


def test_a_month_compares_the_rank_with_the_previous_period(fixture_db):
    at = app_on("pages/drilldown.py", {"period": "month", "commune": C1})
    assert not at.exception
    assert "so với kỳ trước" in chair_text(at)


@pytest.fixture
def deferred(monkeypatch):
    """Downloads drawn when tapped (st.download_button with a callable): file name -> callable."""
    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spy(self, callable_, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name or "?"] = callable_
        return original(self, callable_, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return found


def test_share_card_png_is_audited(fixture_db, deferred):
    at = as_chair(WEEK)
    name = "the-90001-20251012.png"
    assert deferred[name]().startswith(PNG_SIGNATURE)  # the ward's card, drawn on the tap
    (button,) = [b for b in at.get("download_button") if b.key == "chair_card_png"]
    button.click().run()
    assert not at.exception
    today = audit.wall_clock().date()
    with store.connect(fixture_db) as con:
        log = audit.read(con, today, today, action=audit.DOWNLOAD)
    assert log.select("username", "commune_code", "detail").rows() == [("chair1", C1, name)]
    assert date(2025, 10, 12).strftime("%Y%m%d") in name


def test_a_chair_s_titles_name_the_ward(fixture_db):
    at = as_chair(WEEK)
    at.switch_page(str(ROOT / "pages" / "overview.py")).run()
    assert not at.exception
    assert at.title[0].value == "Tổng quan Phường Một"  # not "Tổng quan thành phố"
    at.switch_page(str(ROOT / "pages" / "live.py")).run()
    assert not at.exception
    assert at.title[0].value == "Giám sát thời gian thực · Phường Một"
    city = app_on("pages/overview.py", WEEK)  # a city leader without a commune: the city's
    assert city.title[0].value == "Tổng quan thành phố"
