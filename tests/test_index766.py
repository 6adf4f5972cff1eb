"""The national index (ioc/index766.py) against values worked out by hand on tests/index_fixture.py.

Commune C1, period 06/10–12/10/2025 (rows' roles are in the fixture):

2.1  counted a01 a02 a03 a04 a05 a06 a09 a10 a12 = 9 (a07 registered, a08 ended before the period,
     a11 withdrawn with no step); on time a01 a02 a04 a06 a10 a12 = 6  -> 6/9, 10 × 6/9 = 6.6667
dossiers of the period: a01–a07, a10–a12 = 10
1.4  synchronised: all but a04, a07 = 8/10 = 0.8                       -> 4.5 × 0.8 = 3.6
3.3  online and counted: a01, a02, a07, a11 = 4/10 = 0.4; × 1.4 = 0.32  -> 4.4 × 0.32/0.5 = 2.816
3.6  fee-bearing (P2, P3): a02 a03 a04 a06 a12 = 5; paid: a02 = 1/5    -> 4.4 × 0.2 = 0.88
     (a01 paid online but P1 carries no fee: neither numerator nor denominator)
1.2  procedures in use P1 P2 P3 P4; publication known for P1 P2 P3, published P1 P2 = 2/3 -> 3.0
3.1  offered online (full/partial): P1 P2 P3 of 4 = 0.75                -> 4.4 × 0.75/0.8 = 4.125
3.2  of those, with an online dossier: P1 (a01) P2 (a02) P3 (a06) = 3/3 -> 4.4
3.5  fee-bearing procedures P2 P3; paid online at least once: P2 = 1/2 -> 4.4 × 0.5/0.8 = 2.75
4.1  with a result: a01 a02 a03 a10; electronic: a01 a02 = 2/4          -> 4.4 × 0.5 = 2.2
4.3  digitised: a01 a02 a06 a10 = 4/10                                  -> 4.4 × 0.4/0.8 = 2.2
4.5  VNeID: a01 a02 = 2/10                                              -> 4.4 × 0.2 = 0.88
5.2  feedback f1 f2 f3 f4 f6 = 5; on time f1 f3 f4 = 3/5                -> 4.5 × 0.6 = 2.7
5.3  neither late, unsatisfied nor complained of: f1 f4 = 2/5           -> 4.5 × 0.4 = 1.8
5.4  rated (overall, newest, in the period) a01 a02 a03 a10 = 4, unsatisfied a03 = 1/4;
     1 − (1 − 6/9) − 1/4 = 5/12                                         -> 4.5 × (5/12)/0.9 = 2.0833
index = 40.101 (sum of the above), possible = 100 − (1.1 4.5 + 1.3 4.5 + 2.2 10 + 5.1 4.5
        + 4.2 4.4 + 4.4 4.4) = 67.7
"""

from __future__ import annotations

from datetime import date

import pytest
from index_fixture import C1, C2, PERIOD_FROM, PERIOD_TO, make_index_store

from ioc import index766, kpi, store

EXPECTED_C1 = {
    "i2_1": (6 / 9, 10 * 6 / 9),
    "i1_4": (0.8, 3.6),
    "i3_3": (0.32, 2.816),
    "i3_6": (0.2, 0.88),
    "i1_2": (2 / 3, 3.0),
    "i3_1": (0.75, 4.125),
    "i3_2": (1.0, 4.4),
    "i3_5": (0.5, 2.75),
    "i4_1": (0.5, 2.2),
    "i4_3": (0.4, 2.2),
    "i4_5": (0.2, 0.88),
    "i5_2": (0.6, 2.7),
    "i5_3": (0.4, 1.8),
    "i5_4": (5 / 12, 4.5 * (5 / 12) / 0.9),
}


@pytest.fixture
def con(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    connection = store.connect(make_index_store(tmp_path / "index.duckdb"))
    yield connection
    connection.close()


def period():
    return kpi.Period.of(PERIOD_FROM, PERIOD_TO)


def rows(con, **options):
    frame = index766.index_766(con, period(), "01", **options)
    key = "commune_code" if options.get("grain", "commune") == "commune" else "group_key"
    return {r[key]: r for r in frame.to_dicts()}


def test_every_indicator_of_c1_as_worked_out_by_hand(con):
    row = rows(con)[C1]
    for key, (value, points) in EXPECTED_C1.items():
        assert row[f"value_{key}"] == pytest.approx(value), key
        assert row[f"points_{key}"] == pytest.approx(points), key
    assert row["index_766"] == pytest.approx(40.101)
    assert row["index_766_possible"] == pytest.approx(67.7)


def test_the_points_add_up_to_100_and_the_missing_ones_are_named(con):
    assert sum(i.points for i in index766.INDICATORS) == pytest.approx(100.0)
    assert {g: sum(i.points for i in index766.INDICATORS if i.group == g) for g in range(1, 6)} == {
        1: 18.0,
        2: 20.0,
        3: 22.0,
        4: 18.0,
        5: 22.0,
    }
    row = rows(con)[C1]
    missing = dict(index766.missing_points(row))
    assert missing == pytest.approx(
        {"1.1": 4.5, "1.3": 4.5, "2.2": 10.0, "5.1": 4.5, "4.2": 4.4, "4.4": 4.4}
    )


def test_a_commune_without_flags_feedback_or_ratings_shows_no_data_not_zero(con):
    # C2: b01 on time (2.1 = 1/1 -> 10); P1 published (1.2 -> 4.5); offered online (3.1 -> 4.4);
    # no online dossier (3.2 = 0/1 -> 0); no fee-bearing dossier (3.5, 3.6: zero denominators);
    # no flag known (1.4, 3.3, 4.1, 4.3, 4.5) and no feedback or rating (5.x): no data.
    row = rows(con)[C2]
    assert row["value_i2_1"] == 1.0
    assert row["value_i3_2"] == 0.0 and row["points_i3_2"] == 0.0
    for key in ("i1_4", "i3_3", "i3_5", "i3_6", "i4_1", "i4_3", "i4_5", "i5_2", "i5_3", "i5_4"):
        assert row[f"value_{key}"] is None, key
        assert row[f"points_{key}"] is None, key
    assert row["index_766"] == pytest.approx(10 + 4.5 + 4.4)
    assert row["index_766_possible"] == pytest.approx(10 + 4.5 + 4.4 + 4.4)
    table = index766.indicator_table(row, "vi")
    shown = dict(zip(table["Chỉ tiêu"].to_list(), table["Giá trị"].to_list(), strict=True))
    assert shown["3.6 Hồ sơ thanh toán trực tuyến"] == "chưa có dữ liệu"
    assert shown["3.2 Dịch vụ trực tuyến phát sinh hồ sơ"] == "0,00%"


def test_the_city_figure_counts_every_commune_of_the_province(con):
    # 2.1: C1's 6 of 9 and C2's 1 of 1 = 7/10; 1.4: 8 of the 11 dossiers of the period (b01's
    # unknown flag is not synchronised); z01 of another province is in neither.
    city = rows(con, grain="city")["city"]
    assert city["value_i2_1"] == pytest.approx(0.7)
    assert city["value_i1_4"] == pytest.approx(8 / 11)
    assert city["value_i3_3"] == pytest.approx(4 / 11 * 8 / 11)
    # the whole city figure: 1.2 3.0, 1.4 4.5 × 8/11, 2.1 7.0, 3.1 4.125, 3.2 4.4,
    # 3.3 4.4 × (32/121)/0.5, 3.5 2.75, 3.6 0.88 (b01 is fee-free), 4.1 4.4 × 2/5 (b01 has a
    # result, no electronic one known), 4.3 4.4 × (4/11)/0.8, 4.5 4.4 × 2/11, 5.2 2.7, 5.3 1.8,
    # 5.4 4.5 × (1 − 0.3 − 1/4)/0.9
    assert city["index_766"] == pytest.approx(39.065)


def test_supplement_cycles_and_deadlines_per_dossier(con):
    facts = store.run_query(
        con,
        "index_766_dossiers",
        province="01",
        commune=C1,
        date_from=PERIOD_FROM,
        date_to=PERIOD_TO,
    )
    judged = {r["dossier_id"]: r for r in index766.judge_on_time(facts, period()).to_dicts()}
    assert judged["a02"]["requests"] == 1 and judged["a02"]["supplement_seconds"] == 24 * 3600
    assert judged["a03"]["requests"] == 2 and not judged["a03"]["on_time"]
    assert str(judged["a04"]["deadline"]) == "2025-10-13 17:00:00"  # 2 working days from Thu 9/10
    assert str(judged["a05"]["deadline"]) == "2025-10-10 17:00:00"  # same day
    assert str(judged["a06"]["judged_at"]) == "2025-10-08 10:00:00"  # the one request
    assert not judged["a11"]["counted"]  # withdrawn, no step saying when
    assert "a08" not in judged


def test_zero_denominators_are_no_data(con):
    # mid-September: no dossier received yet, no feedback, no rating
    september = kpi.Period.of(date(2025, 9, 15), date(2025, 9, 21))
    assert index766.index_766(con, september, "01").height == 0
    table = index766.indicator_table(None, "en")
    assert set(table["Value"].to_list()) <= {"no data yet", "no formula described"}


def test_comparison_shows_both_definitions(con):
    ranking = kpi.commune_ranking(con, period(), "01")
    kpis = ranking.filter(ranking["commune_code"] == C1).to_dicts()[0]
    lines = index766.comparisons(kpis, rows(con)[C1], "vi").to_dicts()
    assert [line["Chỉ số 766"] for line in lines] == ["66,67%", "32,00%"]
    assert all(line["Vì sao khác"] for line in lines)
