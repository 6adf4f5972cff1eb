"""Hourly rates and the usual-for-this-hour figure (kpi.md "real-time processing rate"), by hand."""

from __future__ import annotations

from datetime import datetime

import pytest
from builders import at, build_store
from fixtures import C1, C2, P1, P2

from ioc import kpi, live, store

# Monday 13/10/2025, 10:30. Previous Mondays: 06/10, 29/09, 22/09, 15/09 (all after 01/07/2025).
NOW = datetime(2025, 10, 13, 10, 30)
DOSSIERS = [
    # today, hour 9: two received (one of them in C2), one registered (not received)
    {"id": "t1", "commune": C1, "procedure": P1, "received": at(13, 9, 15)},
    {"id": "t2", "commune": C2, "procedure": P1, "received": at(13, 9, 40)},
    {"id": "t3", "commune": C1, "procedure": P1, "received": at(13, 9, 5), "status": "registered"},
    # today after NOW: not counted yet
    {"id": "t4", "commune": C1, "procedure": P1, "received": at(13, 10, 45)},
    # resolved today at 09:30 (received last Monday at 09:10, so also a received of 06/10 h9)
    {
        "id": "r1",
        "commune": C1,
        "procedure": P2,
        "received": at(6, 9, 10),
        "status": "returned",
        "due": at(8, 17),
        "finished": at(13, 9, 30),
    },
    # the previous Mondays, hour 9: 29/09 twice, 15/09 once; 22/09 none
    {"id": "p1", "commune": C1, "procedure": P1, "received": at(29, 9, 20, month=9)},
    {"id": "p2", "commune": C1, "procedure": P1, "received": at(29, 9, 50, month=9)},
    {"id": "p3", "commune": C1, "procedure": P1, "received": at(15, 9, 30, month=9)},
    # resolved on 22/09 at 14:10 (received that morning at 08:00)
    {
        "id": "p4",
        "commune": C1,
        "procedure": P2,
        "received": at(22, 8, 0, month=9),
        "status": "finished",
        "due": at(24, 17, month=9),
        "finished": at(22, 14, 10, month=9),
    },
    # a Tuesday and a Monday five weeks back: not part of the usual
    {"id": "x1", "commune": C1, "procedure": P1, "received": at(7, 9, 0)},
    {"id": "x2", "commune": C1, "procedure": P1, "received": at(8, 9, 0, month=9)},
]


@pytest.fixture
def con(tmp_path):
    c = store.connect(build_store(tmp_path / "live.duckdb", DOSSIERS))
    yield c
    c.close()


def hour(frame, h):
    return frame.filter(frame["hour"] == h).row(0, named=True)


def test_hourly_counts_and_usual(con):
    flow = kpi.hourly_flow(con, NOW.date(), NOW, province="01")
    assert flow.height == 24
    nine = hour(flow, 9)
    assert nine["received"] == 2  # t1 t2 (t3 registered)
    assert nine["resolved"] == 1  # r1
    # received at 9h on the previous Mondays: 06/10 r1, 29/09 p1 p2, 22/09 none, 15/09 p3 -> 4 / 4
    assert nine["usual_received"] == pytest.approx(1.0)
    assert nine["usual_resolved"] == pytest.approx(0.0)
    assert hour(flow, 14)["usual_resolved"] == pytest.approx(0.25)  # p4 on 22/09
    assert hour(flow, 8)["usual_received"] == pytest.approx(0.25)  # p4 received 22/09 08:00
    assert hour(flow, 10)["received"] == 0  # t4 is after now
    assert hour(flow, 11)["received"] is None  # not yet known
    one = kpi.hourly_flow(con, NOW.date(), NOW, province="01", commune=C2)
    assert hour(one, 9)["received"] == 1


def test_the_hour_so_far_comes_from_the_rollup_unless_it_holds_later_events(con, monkeypatch):
    asked = []
    real = kpi.run_query
    monkeypatch.setattr(
        kpi, "run_query", lambda c, name, **p: asked.append(name) or real(c, name, **p)
    )
    # 10:50: t4 (10:45) is the hour's latest event, so the rollup's row is the hour so far
    after_t4 = kpi.hourly_flow(con, NOW.date(), datetime(2025, 10, 13, 10, 50), province="01")
    assert hour(after_t4, 10)["received"] == 1
    assert hour(after_t4, 9)["received"] == 2
    assert asked == ["hourly_flow"]  # the dossiers are not read
    # 10:44: t4 is later, so the hour is counted from the dossiers up to 10:44
    before_t4 = kpi.hourly_flow(con, NOW.date(), datetime(2025, 10, 13, 10, 44), province="01")
    assert hour(before_t4, 10)["received"] == 0
    assert asked == ["hourly_flow", "hourly_flow", "hourly_flow_this_hour"]
    # 09:35, in C1 only: t1 (09:15) received, r1 (09:30) resolved; t3 is registered only
    nine = kpi.hourly_flow(con, NOW.date(), datetime(2025, 10, 13, 9, 35), "01", C1)
    assert (hour(nine, 9)["received"], hour(nine, 9)["resolved"]) == (1, 1)
    assert hour(nine, 10)["received"] is None


def test_usual_leaves_out_weeks_before_data_start(con):
    # Monday 14/07/2025: the four Mondays before are 07/07 and (before 01/07) 30/06, 23/06, 16/06.
    day = datetime(2025, 7, 14, 12, 0)
    flow = kpi.hourly_flow(con, day.date(), day, province="01")
    assert hour(flow, 9)["usual_received"] == pytest.approx(0.0)  # mean over one week, no data


def test_live_totals_and_open_by_commune(con):
    totals = live.totals(con, NOW, "01")
    # today's received follows kpi.md (calendar day): t1 t2 t4; resolved today: r1
    assert totals["received"] == 3
    assert totals["resolved"] == 1
    # backlog: every processing dossier (t1 t2 t4 p1 p2 p3 x1 x2); none has a due date
    assert totals["open_at_end"] == 8
    assert totals["open_overdue"] == 0
    assert live.open_by(con, NOW, "commune", "01").height == 0
