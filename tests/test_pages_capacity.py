"""AppTest of Năng lực xử lý (issue 19) and the commune page's capacity section, on the capacity
fixture (tests/capacity_fixture.py, worked by hand in tests/test_capacity.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from capacity_fixture import projection_store, workload_store
from fixtures import C1
from streamlit.testing.v1 import AppTest

from ioc import auth, store
from ioc.scope import CITY_LEADER, PRESENTER, WARD_CHAIR, Scope

ROOT = Path(__file__).resolve().parent.parent
WEEK = {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}


def app_on(page: str, scope: Scope, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, scope)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


@pytest.fixture
def capacity_db(tmp_path, monkeypatch):
    path = projection_store(tmp_path / "p.duckdb")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    return path


@pytest.fixture
def workload_db(tmp_path, monkeypatch):
    path = workload_store(tmp_path / "w.duckdb")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    return path


def test_leader_sees_load_officers_projection_and_plan(workload_db):
    at = app_on("pages/capacity.py", Scope(CITY_LEADER, None, "leader"), WEEK)
    assert not at.exception
    assert at.title[0].value == "Năng lực xử lý"
    league = at.dataframe[0].value
    one = league[league["Xã/phường"] == "Phường Một"].iloc[0]
    assert one["Ngày công"] == "9,5"  # A 5 + B 1,5 + C 2 + the secondment's 1
    assert one["Hồ sơ tiếp nhận / ngày công"] == "0,5"  # 5 / 9,5
    assert one["Tỷ lệ quá hạn trong hàng đợi"] == "60,0%"  # 3 / 5
    officers = at.dataframe[1].value
    assert set(officers["Mã cán bộ"]) == {"A", "B", "C"}
    assert "Nguyễn V. A." in set(officers["Họ tên (che)"])


def test_projection_and_secondment_on_screen(capacity_db):
    at = app_on("pages/capacity.py", Scope(CITY_LEADER, None, "leader"))
    assert not at.exception
    projection = at.dataframe[2].value
    one = projection[projection["Xã/phường"] == "Phường Một"].iloc[0]
    assert one["Kết luận"] == "Hết quá hạn từ 21/10/2025"
    two = projection[projection["Xã/phường"] == "Xã Hai"].iloc[0]
    assert two["Kết luận"].startswith("Không kịp")
    assert any("Mô hình:" in c.value for c in at.caption)  # the model on screen
    assert any("Giả định:" in c.value for c in at.caption)
    # record a secondment through the form: stored, audited, shown before/after
    at.selectbox(key="capacity_secondment_commune").set_value(C1)
    at.number_input(key="capacity_secondment_officers").set_value(1)
    next(b for b in at.button if b.label == "Ghi nhận").click().run()
    assert not at.exception
    with store.connect(capacity_db) as con:
        assert con.execute("select commune_code, officers from secondments").fetchall() == [(C1, 1)]
        assert con.execute(
            "select count(*) from audit_log where action = 'secondment'"
        ).fetchone() == (1,)
    assert "Phường Một" in set(at.dataframe[-1].value["Xã/phường"])


def test_presenter_sees_aggregates_only(workload_db):
    at = app_on("pages/capacity.py", Scope(PRESENTER, None, "p"), WEEK)
    assert not at.exception
    assert any("chỉ hiển thị cho lãnh đạo" in c.value for c in at.caption)
    assert all("Mã cán bộ" not in frame.value.columns for frame in at.dataframe)
    assert not at.get("form")  # no secondment form


def test_ward_chair_section_on_the_commune_page(capacity_db):
    at = app_on("pages/drilldown.py", Scope(WARD_CHAIR, C1, "chair"))
    assert not at.exception
    assert "Năng lực xử lý của xã/phường" in [s.value for s in at.subheader]
    verdict = next(s.value for s in at.success if "Đang xử lý" in s.value)
    assert verdict == "Đang xử lý 5 hồ sơ, 2 quá hạn. Hết quá hạn từ 21/10/2025."
    assert set(at.dataframe[-1].value["Mã cán bộ"]) == {"A"}  # B starts on 20/10


def test_city_page_closed_to_ward_chairs_and_admins(capacity_db):
    from ioc import navigation

    assert not navigation.may_open(WARD_CHAIR, "pages/capacity.py")
    assert not navigation.may_open("admin", "pages/capacity.py")
    at = AppTest.from_file(str(ROOT / "pages" / "capacity.py"), default_timeout=60)
    at.session_state["scope"] = Scope(WARD_CHAIR, C1, "chair")
    at.run()
    assert [w.value for w in at.warning] and not at.dataframe  # stopped with one line
