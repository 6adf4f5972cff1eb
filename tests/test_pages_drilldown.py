"""AppTest of the Xã/phường drill-down on the hand-made fixture."""

from __future__ import annotations

from test_pages_league import WEEK, app_on

from ioc.scope import PRESENTER, Scope


def test_drill_down_page(fixture_db):
    at = app_on("pages/drilldown.py", WEEK | {"commune": "90001"})
    assert not at.exception
    assert at.title[0].value == "Phường Một"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ trực tuyến"] == "46,2%"
    assert metrics["Hồ sơ quá hạn đang xử lý"] == "2"
    assert any("Hạng 2/3 (▼ 1" in c.value for c in at.caption)
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
