"""AppTest of the Tổng quan page on the hand-made fixture store."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def overview(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_cards_and_charts(fixture_db):
    # IOC_NOW is 13/10/2025 10:00; "custom" period = the fixture week.
    at = overview({"period": "custom", "from": "2025-10-06", "to": "2025-10-12"})
    assert not at.exception
    assert at.title[0].value == "Tổng quan thành phố"
    assert metric(at, "Hồ sơ tiếp nhận") == "19"
    assert metric(at, "Tỷ lệ trực tuyến") == "52,6%"  # 10 / 19
    assert metric(at, "Hồ sơ quá hạn đang xử lý") == "3"
    assert len(at.get("plotly_chart")) == 3  # trend, lights, procedure mix
    # newest event 09:00 13/10 (d14), clock 10:00: older than 30 minutes, so shown in amber
    assert any(
        "Dữ liệu cập nhật lúc 09:00 13/10/2025" in m.value and ":orange[" in m.value
        for m in at.markdown
    )


def test_all_cards_deltas_and_lights(fixture_db):
    at = overview({"period": "custom", "from": "2025-10-06", "to": "2025-10-12"})
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    # week: C1 + C2; previous week (29/09-05/10): d11 d12 d15 + e07 received, d15 online
    assert cards["Hồ sơ tiếp nhận"] == ("19", "+15")
    assert cards["Tỷ lệ trực tuyến"] == ("52,6%", "+27,6 điểm %")  # 10/19 vs 1/4
    assert cards["Tỷ lệ trực tuyến toàn trình"][0] == "36,8%"  # 7/19
    assert cards["Tỷ lệ giải quyết đúng hạn"][0] == "83,3%"  # 10/12
    assert cards["Hồ sơ quá hạn đang xử lý"] == ("3", "+3")
    assert cards["Tỷ lệ thanh toán trực tuyến"][0] == "27,3%"  # 3/11
    assert cards["Tỷ lệ số hóa hồ sơ"][0] == "52,6%"  # 10/19
    # lights: online 52.6% < 70% red; end-to-end 36.8% within 10 points of 40% amber;
    # no on-time target in the fixture, so no light there
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges == [":red-badge[Chưa đạt]", ":orange-badge[Gần đạt]"]


def test_commune_filter_changes_figures(fixture_db):
    at = overview(
        {"period": "custom", "from": "2025-10-06", "to": "2025-10-12", "commune": "90001"}
    )
    assert not at.exception
    assert metric(at, "Hồ sơ tiếp nhận") == "13"
    at.selectbox(key="filter_commune").select("90002").run()
    assert metric(at, "Hồ sơ tiếp nhận") == "6"
    assert at.query_params["commune"] == ["90002"] or at.query_params["commune"] == "90002"


def test_english_switch(fixture_db):
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.query_params["period"] = "custom"
    at.query_params["from"] = "2025-10-06"
    at.query_params["to"] = "2025-10-12"
    at.run()
    assert not at.exception
    assert at.title[0].value == "City overview"
    assert metric(at, "Online rate") == "52.6%"


def test_top_bottom_mix_and_anomalies(fixture_db):
    at = overview({"period": "custom", "from": "2025-10-06", "to": "2025-10-12"})
    assert not at.exception
    top, bottom = (d.value for d in at.dataframe)  # dataframes without selection carry no key
    assert top["Xã/phường"].tolist() == ["Xã Hai", "Phường Một"]
    assert bottom.empty  # two scored communes: both in the top list
    # too few dossiers for any anomaly (at least 20 received in each window)
    assert any(c.value == "Không có bất thường." for c in at.caption)


def test_ward_chair_opens_on_own_commune(fixture_db):
    from ioc.scope import WARD_CHAIR, Scope

    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    at.session_state["scope"] = Scope(WARD_CHAIR, "90001", "chair")
    for key, value in {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}.items():
        at.query_params[key] = value
    at.run()
    assert metric(at, "Hồ sơ tiếp nhận") == "13"  # Phường Một's own week
    at.selectbox(key="filter_commune").select_index(0).run()
    assert metric(at, "Hồ sơ tiếp nhận") == "19"  # whole city aggregates stay open to a chair
    assert at.query_params["commune"] in (["all"], "all")
    at.run()
    assert metric(at, "Hồ sơ tiếp nhận") == "19"
