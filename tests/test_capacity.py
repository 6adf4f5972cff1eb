"""Capacity (issue 19): workload, queue projection and allocation, against values worked out by
hand on tests/capacity_fixture.py (each dossier's and officer's role is written there); roster
ingest with bad rows; scope; secondments audited."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import polars as pl
import pytest
from capacity_fixture import projection_store, workload_store
from fixtures import C1, C2, PERIOD_FROM, PERIOD_TO

from ioc import capacity, store
from ioc.ingest import ingest_file, quarantine
from ioc.kpi import Period
from ioc.scope import ADMIN, CITY, PRESENTER, WARD_CHAIR, Scope, ScopeError

WEEK = Period.of(PERIOD_FROM, PERIOD_TO, datetime(2025, 10, 13, 10))
TODAY = datetime(2025, 10, 13, 10)


@pytest.fixture
def workload_con(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    con = store.connect(workload_store(tmp_path / "w.duckdb"))
    yield con
    con.close()


@pytest.fixture
def projection_con(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    con = store.connect(projection_store(tmp_path / "p.duckdb"))
    yield con
    con.close()


def test_officer_workload_by_hand(workload_con):
    rows = {
        r["officer_id"]: r
        for r in capacity.officer_workload(workload_con, CITY, WEEK, "01").to_dicts()
    }
    a, b, c = rows["A"], rows["B"], rows["C"]
    # A: 5 working days full time; took in x1, x2, x4; steps x1@6, x2@7, x4@10 (x5@3 is before);
    # holds x4 (overdue)
    assert (a["officer_days"], a["received"], a["steps"], a["open"], a["overdue"]) == (
        5,
        3,
        3,
        1,
        1,
    )
    assert a["received_per_day"] == pytest.approx(3 / 5)
    assert a["steps_per_day"] == pytest.approx(3 / 5)
    assert a["overdue_share"] == 1.0
    # B: half time on 6, 7, 8: 1.5 officer-days; steps x1@7, x2@8; holds x2 (overdue)
    assert (b["officer_days"], b["received"], b["steps"], b["open"], b["overdue"]) == (
        1.5, 0, 2, 1, 1,
    )  # fmt: skip
    assert b["steps_per_day"] == pytest.approx(2 / 1.5)
    # C: 9 and 10: 2 officer-days at Tư pháp; took in x3; steps x3@9, x5@9; holds x3, x5 (overdue)
    assert (c["desk"], c["officer_days"], c["received"], c["steps"]) == ("Tư pháp", 2, 1, 2)
    assert (c["open"], c["overdue"], c["overdue_share"]) == (2, 1, 0.5)
    assert c["received_per_day"] == pytest.approx(0.5)
    assert (a["officer_masked"], a["commune_name"]) == ("Nguyễn V. A.", "Phường Một")


def test_commune_and_desk_workload_by_hand(workload_con):
    row = capacity.commune_workload(workload_con, WEEK, "01", C1).row(0, named=True)
    # received x1, x2, x3, x4, x6; open at the end of 12/10 x2..x6, overdue x2, x4, x5
    assert (row["received"], row["open_at_end"], row["open_overdue"]) == (5, 5, 3)
    # officer-days: A 5 + B 1.5 + C 2 + the secondment's 2 x 0.5 on 10/10 = 9.5; on 12/10: A, C
    # and the secondment's 1
    assert (row["officer_days"], row["officers"], row["steps"]) == (9.5, 3.0, 7)
    assert row["received_per_officer_day"] == pytest.approx(5 / 9.5)
    assert row["steps_per_officer_day"] == pytest.approx(7 / 9.5)
    assert row["open_per_officer"] == pytest.approx(5 / 3)
    assert row["overdue_share"] == pytest.approx(3 / 5)
    desks = {
        r["desk"]: r for r in capacity.desk_workload(workload_con, CITY, WEEK, "01", C1).to_dicts()
    }
    one_stop = desks["Bộ phận Một cửa"]  # A and B
    assert (one_stop["officer_count"], one_stop["officer_days"], one_stop["steps"]) == (2, 6.5, 5)
    assert one_stop["received_per_officer_day"] == pytest.approx(5 / 6.5)
    assert desks["Tư pháp"]["steps_per_officer_day"] == pytest.approx(1.0)


def test_officers_only_to_leaders_and_the_own_chair(workload_con):
    chair = Scope(WARD_CHAIR, C1, "chair")
    assert set(capacity.officer_workload(workload_con, chair, WEEK, "01")["officer_id"]) == {
        "A", "B", "C",
    }  # fmt: skip
    with pytest.raises(ScopeError):
        capacity.officer_workload(workload_con, Scope(WARD_CHAIR, C2, "other"), WEEK, "01", C1)
    for role in (PRESENTER, ADMIN):
        with pytest.raises(ScopeError):
            capacity.officer_workload(workload_con, Scope(role, None, "x"), WEEK, "01")
        with pytest.raises(ScopeError):
            capacity.desk_workload(workload_con, Scope(role, None, "x"), WEEK, "01")
    # aggregates: anyone
    assert capacity.commune_workload(workload_con, WEEK, "01").height == 3


def test_simulate_by_hand():
    """The projection fixture's C1 worked day by day (docs/capacity.md):
    buckets b0 = 3 (o1, o2 overdue; o3 due today), b2 = 1 (o4), last = 1 (o5, no due date);
    each day one arrival due that day and one due 2 working days later; capacity 2, 2, 2, 2,
    then 3 (officer B joins on 20/10). Served: due today, then overdue, then by due day.
      d1 +b1 +b3; serve b1, one b0            open 5 overdue 2 (late 1)
      d2 +b2 +b4; serve b2 x2                 open 5 overdue 2
      d3 +b3 +b5; serve b3 x2                 open 5 overdue 2
      d4 +b4 +b6; serve b4 x2                 open 5 overdue 2
      d5 +b5 +b7; serve b5 x2, one b0         open 4 overdue 1 (late 1)
      d6 +b6 +b8; serve b6 x2, the last b0    open 3 overdue 0 (late 1)
      d7 +b7 +b9; serve b7 x2, b8             open 2
      d8 +b8 +b10; serve b8, b9, b10          open 1 (o5)
      d9 +b9 +b11; serve b9, b11, o5          open 0
      d10 +b10 +b12; serve both               open 0"""
    queue = np.zeros((1, 14))
    queue[0, 0], queue[0, 2], queue[0, 13] = 3, 1, 1
    mix = np.array([[0.5, 0.0, 0.5]])
    cap = np.array([[2, 2, 2, 2, 3, 3, 3, 3, 3, 3]], dtype=float)
    run = capacity.simulate(queue, np.array([2.0]), mix, cap)
    assert run.open[0].tolist() == [5, 5, 5, 5, 4, 3, 2, 1, 0, 0]
    assert run.overdue[0].tolist() == [2, 2, 2, 2, 1, 0, 0, 0, 0, 0]
    assert (run.resolved[0], run.late[0]) == (25, 3)


def test_projection_by_hand(projection_con):
    frame = capacity.project(projection_con, TODAY, "01")
    one = frame.filter(frame["commune_code"] == C1).row(0, named=True)
    # R = S = 40 / 20; 40 resolved over A's 20 officer-days; officers 1 a day, 1.5 from 20/10
    assert (one["received_per_day"], one["resolved_per_day"]) == (2, 2)
    assert one["resolved_per_officer_day"] == 2
    assert one["officers"] == pytest.approx((4 * 1 + 6 * 1.5) / 10)
    assert (one["open_now"], one["overdue_now"]) == (5, 2)
    assert one["open"] == [5, 5, 5, 5, 4, 3, 2, 1, 0, 0]  # as test_simulate_by_hand
    assert one["overdue"] == [2, 2, 2, 2, 1, 0, 0, 0, 0, 0]
    assert (one["verdict"], one["clear_date"]) == ("clears", date(2025, 10, 21))
    assert one["officer_days_missing"] == 0
    two = frame.filter(frame["commune_code"] == C2).row(0, named=True)
    # nothing resolved lately and no roster: capacity 0, three overdue stay; missing officer-days
    # need a roster's rate, so none is given
    assert two["overdue"] == [3] * 10
    assert (two["verdict"], two["officer_days_missing"]) == ("late", None)
    # a commune with nothing open and nothing coming
    three = frame.filter(frame["commune_code"] == "90003").row(0, named=True)
    assert three["verdict"] == "clear"


def test_missing_officer_days_by_hand():
    """5 overdue, nothing arriving, no capacity: x extra a day for 10 days leaves 5 - 10x
    overdue; below half a dossier from x = 0.45; at 2 resolved per officer-day that is
    10 x 0.45 / 2 = 2.25 officer-days."""
    queue = np.zeros((1, 12))
    queue[0, 0] = 5
    state = capacity.Queue(
        communes=[C1], names=["x"], days=[], queue=queue, arrive=np.zeros(1),
        mix=np.array([[1.0]]), resolve_rate=np.zeros(1), per_officer_day=np.array([2.0]),
        officers=np.ones((1, 10)), capacity=np.zeros((1, 10)), overdue_now=np.array([5.0]),
    )  # fmt: skip
    extra = capacity.missing_resolutions(state, state.capacity)
    assert extra[0] == pytest.approx(0.45, abs=1e-6)


def test_greedy_allocation_by_hand():
    """Two communes over 5 working days, every arrival due the same day:
    P: 6 overdue, 2 arrive and 2 resolved a day, 1 resolved per officer-day;
    Q: 3 overdue, 1 arrives and 1 resolved a day, 2 resolved per officer-day.
    Nothing extra: the day's arrivals take the day; 6 and 3 stay overdue.
    1st officer: to P, 5 left over on 5 days: 6 -> 1 (avoids 5); to Q: 2 a day: 3 -> 0 (3). P.
    2nd officer: to P again: 1 -> 0 (1); to Q: 3 (3). Q.
    P's on-time rate over the 5 days: 10 resolved on time before; after, 15 resolved, 5 late."""
    queue = np.zeros((2, 8))
    queue[:, 0] = [6, 3]
    state = capacity.Queue(
        communes=["P", "Q"], names=["Pe", "Qu"], days=[], queue=queue,
        arrive=np.array([2.0, 1.0]), mix=np.array([[1.0], [1.0]]),
        resolve_rate=np.array([2.0, 1.0]), per_officer_day=np.array([1.0, 2.0]),
        officers=np.ones((2, 5)), capacity=np.array([[2.0] * 5, [1.0] * 5]),
        overdue_now=np.array([6.0, 3.0]),
    )  # fmt: skip
    result = {r["commune_code"]: r for r in capacity.greedy(state, 2).to_dicts()}
    assert {c: r["officers"] for c, r in result.items()} == {"P": 1, "Q": 1}
    assert (result["P"]["overdue_before"], result["P"]["overdue_after"]) == (6, 1)
    assert (result["Q"]["overdue_before"], result["Q"]["overdue_after"]) == (3, 0)
    assert result["P"]["on_time_before"] == 1.0
    assert result["P"]["on_time_after"] == pytest.approx(10 / 15)


def test_secondment_recorded_audited_and_counted(projection_con):
    leader = Scope("city_leader", None, "leader")
    of_c1 = pl.col("commune_code") == C1
    before = capacity.project(projection_con, TODAY, "01").filter(of_c1)
    capacity.record_secondment(
        projection_con, leader, C1, 1, date(2025, 10, 14), date(2025, 10, 31), 1.0, "tăng cường"
    )
    after = capacity.project(projection_con, TODAY, "01").filter(of_c1)
    # one more officer at 2 resolved per officer-day: 4 a day from 14/10: the two overdue and
    # o3 (due today) go on the first day
    assert before["overdue"][0][0] == 2
    assert after["overdue"][0].to_list() == [0] * 10
    log = projection_con.execute(
        "select username, action, commune_code from audit_log where action = 'secondment'"
    ).fetchall()
    assert log == [("leader", "secondment", C1)]
    with pytest.raises(ScopeError):
        capacity.record_secondment(
            projection_con, Scope(WARD_CHAIR, C1, "c"), C1, 1, date(2025, 10, 14),
            date(2025, 10, 20),
        )  # fmt: skip
    effects = capacity.secondment_effects(projection_con, datetime(2025, 10, 20, 10), "01")
    row = effects.row(0, named=True)
    # since: 14-20/10, 5 working days, nothing resolved; before: the 5 working days 7-13/10, two
    # resolved on time on each of 7-10/10, none on 13/10
    assert row["resolved_per_day_before"] == pytest.approx(8 / 5)
    assert (row["resolved_per_day_after"], row["on_time_before"]) == (0, 1.0)
    # overdue at the end of 13/10: o1, o2; at the end of 20/10 also o3 (13/10) and o4 (15/10)
    assert (row["overdue_before"], row["overdue_after"]) == (2, 4)


def test_roster_import_with_bad_rows(fixture_con, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "DANH SÁCH CÁN BỘ\n"
        "Mã cán bộ;Họ tên;Xã/Phường;Bộ phận;Từ ngày;Đến ngày;Tỷ lệ thời gian\n"
        "CB01;Nguyễn Văn An;Phường Một;Bộ phận Một cửa;01/07/2025;;100%\n"  # line 3: loads
        "CB02;Trần Thị Bình;90001;Bộ phận Một cửa;01/07/2025;31/12/2025;50\n"  # 4: loads, 0.5
        ";Lê Văn Cường;Xã Hai;Bộ phận Một cửa;01/07/2025;;0,5\n"  # 5: loads, id = masked name
        ";;Xã Hai;Bộ phận Một cửa;01/07/2025;;1\n"  # 6: no officer
        "CB05;Phạm Văn D;Xã Không Có;Bộ phận Một cửa;01/07/2025;;1\n"  # 7: unknown commune
        "CB06;Hồ Văn E;Xã Hai;;01/07/2025;;1\n"  # 8: no desk
        "CB07;Vũ Văn G;Xã Hai;Bộ phận Một cửa;32/13/2025;;1\n"  # 9: bad date
        "CB08;Đỗ Văn H;Xã Hai;Bộ phận Một cửa;;;1\n"  # 10: no first day
        "CB09;Ngô Văn I;Xã Hai;Bộ phận Một cửa;01/10/2025;01/09/2025;1\n"  # 11: ends before
        "CB10;Bùi Văn K;Xã Hai;Bộ phận Một cửa;01/07/2025;;150%\n"  # 12: share over 100%
        "CB11;Lý Văn L;Xã Hai;Bộ phận Một cửa;01/07/2025;;1\n"  # 13, 14: one key, two shares
        "CB11;Lý Văn L;Xã Hai;Bộ phận Một cửa;01/07/2025;;0,5\n"
        "CB01;Nguyễn Văn An;Phường Một;Bộ phận Một cửa;01/07/2025;;100%\n",  # 15: line 3 again
        encoding="utf-8",
    )
    # the upload's dry run says what the import will do, writing nothing
    seen = quarantine.preview(fixture_con, path)
    assert (seen.status, seen.rows_read, seen.to_insert, seen.to_update) == ("ok", 13, 3, 0)
    assert (seen.to_quarantine, seen.quarantine["roster_conflict"]) == (9, 2)
    assert fixture_con.execute("select count(*) from staff_roster").fetchone()[0] == 0
    result = ingest_file(fixture_con, path)
    assert (result.status, result.kind) == ("ok", "roster")
    assert (result.rows_read, result.rows_inserted, result.rows_quarantined) == (13, 3, 9)
    stored = fixture_con.execute(
        "select officer_id, officer_masked, commune_code, to_date, time_share from staff_roster "
        "order by officer_id"
    ).fetchall()
    assert stored == [
        ("CB01", "Nguyễn V. A.", C1, None, 1.0),
        ("CB02", "Trần T. B.", C1, date(2025, 12, 31), 0.5),
        ("Lê V. C.", "Lê V. C.", C2, None, 0.5),
    ]
    reasons = fixture_con.execute(
        "select row_number, reason_code from quarantine order by row_number"
    ).fetchall()
    assert reasons == [
        (6, "no_officer"), (7, "unknown_commune"), (8, "no_desk"), (9, "bad_date"),
        (10, "no_from_date"), (11, "date_order"), (12, "bad_share"), (13, "roster_conflict"),
        (14, "roster_conflict"),
    ]  # fmt: skip
    raw = fixture_con.execute("select raw_values from quarantine").fetchall()
    assert not any("Văn" in r[0] for r in raw)  # names masked in quarantine too
    # the same roster again, saved anew (another file): nothing changes
    again = tmp_path / "roster-again.csv"
    again.write_bytes(path.read_bytes() + b"\n")
    second = ingest_file(fixture_con, again)
    assert (second.status, second.rows_inserted, second.rows_updated) == ("ok", 0, 0)
    assert fixture_con.execute("select count(*) from staff_roster").fetchone()[0] == 3


def test_portal_log_officer(fixture_con, tmp_path):
    import json

    path = tmp_path / "dvcqg.json"
    document = {"hoSo": [{
        "MaHoSo": "H-1", "MaTTHC": "1.001193", "DonViXuLy": "Phường Một", "TrangThaiHoSo": 4,
        "NgayTiepNhan": "20251010090000", "NgayHenTra": "20251010170000",
        "QuaTrinhXuLy": [{"ThoiDiemXuLy": "20251010090000", "PhongBanXuLy": "Một cửa",
                          "Cán bộ xử lý": "CB01", "NoiDungXuLy": "Tiếp nhận"}],
    }]}  # fmt: skip
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert ingest_file(fixture_con, path).status == "ok"
    assert fixture_con.execute("select unit, officer_id from dossier_steps").fetchall() == [
        ("Một cửa", "CB01")
    ]
