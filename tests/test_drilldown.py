"""Gap attribution ("what would lift the score most") and the target-date forecast, by hand."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from builders import at, build_store
from fixtures import C1, C2, P1, P2

from ioc import drilldown, store
from ioc.kpi import Period
from ioc.scope import PRESENTER, WARD_CHAIR, Scope, ScopeError

WEEK = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 20))


def lift_dossiers() -> list[dict]:
    """C1: P1 (full level) 10 direct, P2 (partial) 10 direct; C2: P1 10 online, P2 5 of 10 online.

    Every dossier is resolved on its day and on time, nothing digitised; P2 has a fee, paid online
    never. With no targets table rows the defaults apply: online 0.80, end-to-end 0.20.
    """
    rows = []
    for commune, proc, online in ((C1, P1, 0), (C1, P2, 0), (C2, P1, 10), (C2, P2, 5)):
        for n in range(10):
            rows.append(
                {
                    "id": f"{commune}-{proc}-{n}",
                    "commune": commune,
                    "procedure": proc,
                    "channel": "online" if n < online else "direct",
                    "received": at(6 + n % 5, 9),
                    "due": at(6 + n % 5, 17),
                    "finished": at(6 + n % 5, 15),
                    "status": "returned",
                    "paid_online": False if proc == P2 else None,
                }
            )
    return rows


@pytest.fixture
def lift_con(tmp_path):
    con = store.connect(build_store(tmp_path / "lift.duckdb", lift_dossiers()))
    yield con
    con.close()


def test_score_lift_by_hand(lift_con):
    lift = drilldown.score_lift(lift_con, WEEK, C1, "01")
    # C1 now: progress 20/20; online 0/6; end-to-end 0/6; payment 0/10 (0 of 10 with fee paid
    # online); digitisation 0/22 -> maxima 64, score 100 * 20 / 64.
    # 90th percentiles over {C1, C2} (linear): P1 online 0 .. 1 -> 0.9, P1 e2e 0.9;
    # P2 online 0 .. 0.5 -> 0.45, P2 e2e 0 (partial level: never end-to-end) -> no lever.
    # P1 e2e: e2e 9/20, online 9/20 -> 6 + 6 * 0.45 / 0.8 = 9.375 points -> +937.5 / 64
    # P1 online: online 9/20 -> 3.375 points -> +337.5 / 64
    # P2 online: online 4.5/20 -> 6 * 0.225 / 0.8 = 1.6875 points -> +168.75 / 64
    assert lift.select("procedure_code", "lever").rows() == [
        (P1, "end_to_end"),
        (P1, "online"),
        (P2, "online"),
    ]
    assert lift["score_gain"].to_list() == pytest.approx([937.5 / 64, 337.5 / 64, 168.75 / 64])
    assert lift["group_gain"].to_list() == pytest.approx([6.0, 3.375, 1.6875])
    assert lift["share_p90"].to_list() == pytest.approx([0.9, 0.9, 0.45])
    assert lift["extra_online"].to_list() == pytest.approx([9.0, 9.0, 4.5])


def test_score_lift_nothing_for_the_best(lift_con):
    # C2 is at or above the 90th percentile of every procedure: no lever gains anything
    assert drilldown.score_lift(lift_con, WEEK, C2, "01").height == 0


def weekly(rates: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"week": list(range(len(rates))), "online_rate": rates},
        schema={"week": pl.Int64, "online_rate": pl.Float64},
    )


def test_forecast_cases():
    end = date(2025, 10, 12)
    # weeks 3..0: 55% 60% 65% 70% -> +5 points a week; 80% is 2 weeks after the latest week
    (on_track,) = drilldown.forecast(weekly([0.70, 0.65, 0.60, 0.55]), {"online_rate": 0.8}, end)
    assert on_track.status == "on_track"
    assert on_track.slope_per_week == pytest.approx(0.05)
    assert on_track.reach_date == date(2025, 10, 26)
    (falling,) = drilldown.forecast(weekly([0.55, 0.60, 0.65, 0.70]), {"online_rate": 0.8}, end)
    assert falling.status == "not_at_this_pace" and falling.reach_date is None
    (met,) = drilldown.forecast(weekly([0.85, 0.9, None, None]), {"online_rate": 0.8}, end)
    assert met.status == "met"
    (thin,) = drilldown.forecast(weekly([0.5, None, None, None]), {"online_rate": 0.8}, end)
    assert thin.status == "no_data"
    # a week without data is left out of the line: weeks 0 and 2 -> slope 0.1 / 2 weeks
    (gap,) = drilldown.forecast(weekly([0.6, None, 0.5, None]), {"online_rate": 0.8}, end)
    assert gap.slope_per_week == pytest.approx(0.05)
    assert gap.reach_date == date(2025, 11, 9)  # 0.2 / 0.05 = 4 weeks after 12/10


def test_will_we_make_it_on_fixture(fixture_con):
    result = {f.metric: f for f in drilldown.will_we_make_it(fixture_con, date(2025, 10, 12), C1)}
    # C1 online: week 06-12/10 6/13, week 29/09-05/10 1/3 (d11 d12 direct, d15 online);
    # line through the two: +(6/13 - 1/3) a week; (0.8 - 6/13) / that * 7 = 18.5 -> 19 days
    online = result["online_rate"]
    assert online.status == "on_track"
    assert online.reach_date == date(2025, 10, 31)
    # end-to-end: 1/3 -> 4/13 falls; target 0.40 (city row from 01/09)
    assert result["end_to_end_rate"].status == "not_at_this_pace"
    assert result["end_to_end_rate"].target == pytest.approx(0.40)


def test_targets_for_commune_row_beats_city(fixture_con):
    assert drilldown.targets_for(fixture_con, C2, date(2025, 10, 12))["online_rate"] == 0.90
    assert drilldown.targets_for(fixture_con, C1, date(2025, 10, 12))["online_rate"] == 0.80


def test_neighbours_and_overdue_scope(fixture_con):
    near = drilldown.neighbours(fixture_con, WEEK, C1, "01", n=1)
    assert near["commune_code"].to_list() == [C2, C1, "90003"]
    as_of = datetime(2025, 10, 12, 23, 59, 59)
    rows = drilldown.overdue_dossiers(fixture_con, Scope(WARD_CHAIR, C1), as_of, None, "01")
    # open at the end of 12/10 and due by 13/10: d12 d04 overdue, d05 d13 due soon (C1 only)
    assert rows["dossier_id"].to_list() == ["d12", "d04", "d05", "d13"]
    assert rows["state"].to_list() == ["overdue", "overdue", "due_soon", "due_soon"]
    with pytest.raises(ScopeError):
        drilldown.overdue_dossiers(fixture_con, Scope(WARD_CHAIR, C1), as_of, C2, "01")
    with pytest.raises(ScopeError):
        drilldown.overdue_dossiers(fixture_con, Scope(PRESENTER), as_of, None, "01")


def test_procedure_table_and_mix(fixture_con):
    table = drilldown.procedure_table(fixture_con, WEEK, "01", C1)
    # C1 received: P1 d01 d02 d09 d13 d19 = 5; P2 d03 d04 d05 d10 d16 d18 = 6; P3 d06 d17 = 2
    assert table.select("procedure_code", "received").rows() == [(P2, 6), (P1, 5), ("1.013978", 2)]
    mix = drilldown.procedure_mix(fixture_con, WEEK, "01")
    assert mix.filter(pl.col("procedure_code") == P1)["share"][0] == pytest.approx(8 / 19)


def test_missing_to_target_by_hand():
    # smallest whole k with (num + k) / (den + k) >= target: k more dossiers, all meeting it
    # 6 of 13 online against 80%: (10.4 - 6) / 0.2 = 22 exactly -> 28/35 = 80% (no float slip)
    assert drilldown.missing_to_target(6, 13, 0.80) == 22
    # 4 of 13 end-to-end against 40%: (5.2 - 4) / 0.6 = 2 -> 6/15 = 40%
    assert drilldown.missing_to_target(4, 13, 0.40) == 2
    # 1 of 14 against 20%: (2.8 - 1) / 0.8 = 2.25 -> 3 (3/16 = 18.75% short, 4/17 = 23.5% enough)
    assert drilldown.missing_to_target(1, 14, 0.20) == 3
    assert drilldown.missing_to_target(9, 10, 0.80) == 0  # met
    assert drilldown.missing_to_target(8, 10, 0.80) == 0  # exactly met
    assert drilldown.missing_to_target(0, 0, 0.80) is None  # no rate yet
    assert drilldown.missing_to_target(3, 7, None) is None  # no target
    assert drilldown.missing_to_target(6, 7, 1.0) is None  # 100% is never reached by adding
    assert drilldown.missing_to_target(7, 7, 1.0) == 0


def test_chair_summary_on_fixture(fixture_con):
    summary = drilldown.chair_summary(fixture_con, WEEK, C1, "01")
    # figures worked out in tests/test_pages_drilldown.py (CHAIR_FIGURES)
    assert (summary.rank, summary.total, summary.rank_change) == (2, 3, -1)
    c1 = 100 * (20 * 9 / 13 + 6 * (6 / 13) / 0.8 + 6 * (4 / 13) / 0.4 + 10 * 0.25 / 0.8) / 64
    c1 += 100 * 22 * (6 / 13) / 0.8 / 64
    c2 = 100 * (20 * 5 / 6 + 6 * (4 / 6) / 0.9 + 6 + 10 * (1 / 3) / 0.8 + 22 * (4 / 6) / 0.8) / 64
    assert summary.score == pytest.approx(c1)
    assert summary.city_median_score == pytest.approx((c1 + c2) / 2)  # Xã Ba has no score
    rates = {r.metric: r for r in summary.rates}
    assert (rates["online_rate"].light, rates["online_rate"].missing) == ("red", 22)
    assert (rates["end_to_end_rate"].light, rates["end_to_end_rate"].missing) == ("amber", 2)
    assert rates["on_time_rate"].target is None and rates["on_time_rate"].missing is None
    assert (summary.open_at_end, summary.open_overdue, summary.oldest_open_days) == (6, 2, 9)
    (lift,) = summary.lifts
    assert (lift.procedure_code, lift.lever) == (P1, "end_to_end")
    assert lift.score_gain == pytest.approx(100 * (6 * 0.9 / 13 / 0.8 + 6 * 0.9 / 13 / 0.4) / 64)


def test_share_card_carries_ward_period_and_data_time(fixture_con, monkeypatch):
    from ioc import exports

    drawn = {}

    def spy(title, subtitle, lines, footer):
        drawn.update(title=title, subtitle=subtitle, lines=[x.text for x in lines])
        return real(title, subtitle, lines, footer)

    real = exports.card_png
    monkeypatch.setattr(exports, "card_png", spy)
    summary = drilldown.chair_summary(fixture_con, WEEK, C1, "01")
    png = drilldown.share_card_png(summary, WEEK, datetime(2025, 10, 13, 9, 30), "vi")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert drawn["title"] == "Phường Một"
    assert drawn["subtitle"] == [
        "Kỳ 06/10/2025 – 12/10/2025",
        "Dữ liệu cập nhật lúc 09:30 13/10/2025",
    ]
    assert drawn["lines"][0] == "Hạng 2/3 · ▼ 1 so với tuần trước"
    assert "Tỷ lệ trực tuyến: 46,2% · Chưa đạt" in drawn["lines"]
