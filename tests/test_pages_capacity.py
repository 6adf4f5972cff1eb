"""AppTest of Năng lực xử lý (issue 19) and the commune page's capacity section, on the capacity
fixture (tests/capacity_fixture.py, worked by hand in tests/test_capacity.py)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from capacity_fixture import projection_store, workload_store
from fixtures import C1, C2, C3
from streamlit.testing.v1 import AppTest

from ioc import audit, auth, capacity_ui, startup, store
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


def test_every_table_downloads_as_the_role_sees_it(workload_db, downloads):
    """The league, the officers (leader only), the projection and the plan as workbooks; the
    officers' download audited."""
    files = downloads
    at = app_on("pages/capacity.py", Scope(CITY_LEADER, None, "leader"), WEEK)
    assert not at.exception
    names = sorted(name.rsplit("-", 1)[0] for name in files)
    assert names == ["du-bao-hang-doi", "phuong-an-dieu-dong", "tai-can-bo", "tai-tung-can-bo"]
    officers = next(data for name, data in files.items() if name.startswith("tai-tung"))
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(officers)).active for c in row]
    assert {"Mã cán bộ", "A", "B", "C"} <= set(cells)
    (button,) = [b for b in at.get("download_button") if b.key == "capacity_officers_xlsx"]
    button.click().run()
    con = startup.open_store(workload_db).cursor()  # the app's own connection to the store
    log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), action=audit.DOWNLOAD)  # wall clock
    assert log["username"].to_list() == ["leader"]
    assert log["detail"].to_list()[0].startswith("tai-tung-can-bo-")
    files.clear()
    at = app_on("pages/capacity.py", Scope(PRESENTER, None, "p"), WEEK)
    assert not any(name.startswith("tai-tung") for name in files)  # no officers for a presenter


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


SQUARE = '{"type": "Polygon", "coordinates": [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]]}'


@pytest.fixture
def map_db(capacity_db, monkeypatch):
    """The projection store with a cell for every commune (the fixture has no geometry)."""
    monkeypatch.delenv("IOC_MAP_TILES", raising=False)
    with store.connect(capacity_db) as con:
        con.execute("update communes set geometry = ?", [SQUARE])
    return capacity_db


def map_cells(at: AppTest) -> tuple[dict, str]:
    """The projection map's features by commune code, and its hover template."""
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # offline: no basemap style fetched
    layer = next(layer for layer in spec["layers"] if layer["id"] == "communes")
    tooltip = json.loads(charts[0].proto.tooltip)["html"]
    return {f["id"]: f["properties"] for f in layer["data"]["features"]}, tooltip


def test_projection_map_by_verdict(map_db):
    """tests/test_capacity.py works the projection fixture out by hand: C1 clears on 21/10
    (open 5 -> 0, overdue 2 -> 0), C2 stays at 3 overdue with no roster ('late', overdue not
    falling), C3 has nothing received, resolved or open (no data)."""
    at = app_on("pages/capacity.py", Scope(CITY_LEADER, None, "leader"))
    assert not at.exception
    cells, tooltip = map_cells(at)
    assert set(cells) == {C1, C2, C3}  # one feature per commune of the projection
    for shown in ("{name}", "{verdict}", "{open_line}", "{overdue_line}", "{missing_line}"):
        assert shown in tooltip
    one, two, three = cells[C1], cells[C2], cells[C3]
    assert (one["map_class"], one["fill"]) == ("clears", [129, 199, 132, 200])
    assert one["verdict"] == "Hết quá hạn từ 21/10/2025"
    assert one["open_line"] == "Đang xử lý: 5 hiện nay → 0 sau 10 ngày"
    assert one["overdue_line"] == "Quá hạn: 2 hiện nay → 0 sau 10 ngày"
    assert one["missing_line"] == "Ngày công còn thiếu: 0"
    assert (two["map_class"], two["fill"]) == ("late", [198, 40, 40, 200])
    assert two["overdue_line"] == "Quá hạn: 3 hiện nay → 3 sau 10 ngày"
    assert two["missing_line"] == "Ngày công còn thiếu: —"  # no roster to count them
    assert two["verdict"].startswith("Không kịp")
    assert (three["map_class"], three["fill"]) == ("no_data", [158, 158, 158, 200])
    legend = "\n".join(m.value for m in at.markdown)
    assert "Kết luận sau 10 ngày làm việc" in legend
    for label in (
        "Không có hồ sơ quá hạn (0)",
        "Hết quá hạn trong kỳ dự báo (1)",
        "Không kịp, quá hạn giảm dần (0)",
        "Không kịp, quá hạn không giảm (1)",
        "Không có dữ liệu (1)",
    ):
        assert label in legend
    assert any("Màu theo cột «Kết luận»" in c.value for c in at.caption)


def test_projection_map_click_opens_the_commune_page(map_db):
    at = app_on("pages/capacity.py", Scope(CITY_LEADER, None, "leader"))
    at.session_state["capacity_map"] = {
        "selection": {"indices": {"communes": [0]}, "objects": {"communes": [{"id": C2}]}}
    }
    at.run()
    assert not at.exception
    assert at.title[0].value == "Xã Hai"


def test_presenter_sees_the_projection_map(map_db):
    at = app_on("pages/capacity.py", Scope(PRESENTER, None, "p"))
    assert not at.exception
    cells, _ = map_cells(at)
    assert set(cells) == {C1, C2, C3}  # commune aggregates only: no officer in a feature
    assert not any("officer" in key for props in cells.values() for key in props)


def row(verdict: str, overdue_now: float, overdue_end: float, **more) -> dict:
    return {"received_per_day": 1.0, "resolved_per_day": 1.0, "open_now": 4.0,
            "verdict": verdict, "overdue_now": overdue_now, "overdue_end": overdue_end} | more  # fmt: skip


def test_map_classes_follow_the_verdicts():
    assert capacity_ui.map_class(row("clear", 0, 0)) == "clear"
    assert capacity_ui.map_class(row("clears", 2, 0)) == "clears"
    assert capacity_ui.map_class(row("late", 5, 2.4)) == "late_falling"  # 5 -> 2 shown
    assert capacity_ui.map_class(row("late", 5, 4.6)) == "late"  # 5 -> 5 shown: not falling
    assert capacity_ui.map_class(row("late", 2, 3)) == "late"  # growing
    # nothing received, resolved or open: no data, whatever the (trivial) verdict
    idle = row("clear", 0, 0, received_per_day=0.0, resolved_per_day=0.0, open_now=0.0)
    assert capacity_ui.map_class(idle) == "no_data"
    # a commune without a cell is not drawn
    frame = pl.DataFrame([row("late", 5, 2.4, commune_code=C1, commune_name="Một",
                              verdict_text="x", open_end=3.0, officer_days_missing=2.25)])  # fmt: skip
    cells = pl.DataFrame({"commune_code": [C1, C2], "geometry": [None, SQUARE]})
    assert capacity_ui.map_features(frame, cells)["features"] == []
    cells = pl.DataFrame({"commune_code": [C1], "geometry": [SQUARE]})
    collection = capacity_ui.map_features(frame, cells)
    (feature,) = collection["features"]
    assert feature["properties"]["missing_line"] == "Ngày công còn thiếu: 2,2"  # 2.25, 1 decimal
    assert collection["counts"]["late_falling"] == 1
