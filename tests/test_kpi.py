"""KPIs of kpi.md on the hand-made fixture (tests/fixtures.py), each value worked out by hand.

Period: 06/10/2025 (Mon) – 12/10/2025 (Sun); as_of = end of 12/10; next working day = 13/10.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from fixtures import C1, C2, C3, PERIOD_FROM, PERIOD_TO

from ioc import kpi
from ioc.kpi import Period

PERIOD = Period.of(PERIOD_FROM, PERIOD_TO, now=datetime(2025, 10, 20, 9, 0))


@pytest.fixture(params=["duckdb", "ducklake"])
def store_backend(request) -> str:
    """Every hand-computed figure of this file on both stores (issue 17): the embedded file and a
    DuckLake in a PostgreSQL of the test session's own (tests/conftest.py)."""
    return request.param


def row(frame: pl.DataFrame, code: str) -> dict:
    return frame.filter(pl.col("commune_code") == code).row(0, named=True)


@pytest.fixture
def ranking(fixture_con):
    return kpi.commune_ranking(fixture_con, PERIOD, province="01", median=True)


def test_period_as_of_and_previous():
    assert PERIOD.as_of == datetime(2025, 10, 12, 23, 59, 59)
    today = Period.of(date(2025, 10, 13), date(2025, 10, 13), now=datetime(2025, 10, 13, 10, 30))
    assert today.as_of == datetime(2025, 10, 13, 10, 30)
    prev = PERIOD.previous()
    assert (prev.date_from, prev.date_to) == (date(2025, 9, 29), date(2025, 10, 5))


def test_commune_one_counts(ranking):
    c1 = row(ranking, C1)
    # received: d01 d02 d03 d04 d05 d06 d09(withdrawn) d10 d13(12/10) d16 d17(stopped) d18 d19;
    # not d07 (registered), d08 (rejected), d11/d12/d15 (before), d14 (13/10, after).
    assert c1["received"] == 13
    assert c1["received_online"] == 6  # d01 d02 d04 d05 d09 d13
    assert c1["received_end_to_end"] == 4  # online and full: d01 d02 d09 d13
    assert c1["received_full_level"] == 5  # + d19 (direct, full-level procedure)
    assert c1["received_with_fee"] == 8  # d03 d04 d05 d06 d10 d16 d17 d18
    assert c1["received_paid_online"] == 2  # d04 d05
    assert c1["received_digitized"] == 6  # d01 d03 d04 d10 d13 d18
    # resolved: finished/returned with finished day in the week: d01 d02 d03 d10 d11 d18 d19
    # (d16 finished 13/10 is after the period; d15 finished 05/10 before it).
    assert c1["resolved"] == 7
    assert c1["resolved_on_time"] == 5  # d01 d03 d10 (no due date) d18 (same day) d19
    assert c1["resolved_early"] == 1  # d03 (07/10 < 09/10)
    assert c1["resolved_late"] == 2  # d02 (a day after due), d11
    assert c1["no_due_date"] == 1  # d10
    # open at the end of 12/10: d04 d05 d06 d12 (received before the week) d13 d16 (finished later)
    assert c1["open_at_end"] == 6
    assert c1["open_overdue"] == 2  # d04 (due 10/10), d12 (due 08/10)
    assert c1["open_due_soon"] == 2  # d05, d13: due 13/10 = next working day
    assert c1["median_days_to_resolve"] == pytest.approx(1.0)  # 0.25 0.25 0.25 1 1 1 6


def test_commune_one_rates(ranking):
    c1 = row(ranking, C1)
    assert c1["online_rate"] == pytest.approx(6 / 13)
    assert c1["end_to_end_rate"] == pytest.approx(4 / 13)
    assert c1["end_to_end_eligible_rate"] == pytest.approx(4 / 5)
    assert c1["online_payment_rate"] == pytest.approx(2 / 8)
    assert c1["digitized_rate"] == pytest.approx(6 / 13)
    assert c1["on_time_rate"] == pytest.approx(5 / 7)
    assert c1["progress_rate"] == pytest.approx((5 + 6 - 2) / (7 + 6))


def test_score_by_hand(ranking):
    c1 = row(ranking, C1)
    # targets in force on 12/10: online 0.80 (city), end-to-end 0.40 (the 01/09 row beats 0.20)
    points = [
        20 * (9 / 13),
        6 * ((6 / 13) / 0.80),
        6 * ((4 / 13) / 0.40),
        10 * (0.25 / 0.80),
        22 * ((6 / 13) / 0.80),
    ]
    assert c1["score"] == pytest.approx(100 * sum(points) / 64)
    assert c1["points_progress"] == pytest.approx(points[0])
    c2 = row(ranking, C2)
    # C2 has its own online target 0.90 (commune row beats the city row); end-to-end capped at 6.
    points2 = [
        20 * (5 / 6),
        6 * ((4 / 6) / 0.90),
        6.0,
        10 * ((1 / 3) / 0.80),
        22 * ((4 / 6) / 0.80),
    ]
    assert c2["score"] == pytest.approx(100 * sum(points2) / 64)
    assert c2["online_rate"] == pytest.approx(4 / 6)
    assert c2["on_time_rate"] == pytest.approx(1.0)


def test_zero_denominators_and_ranking(ranking):
    c3 = row(ranking, C3)
    assert c3["received"] == 0
    assert c3["online_rate"] is None  # shown as "—", never 0%
    assert c3["score"] is None
    assert sorted(c3["groups_left_out"]) == sorted(
        ["progress", "online", "end_to_end", "online_payment", "digitization"]
    )
    assert ranking["commune_code"].to_list() == [C2, C1, C3]
    assert ranking["rank"].to_list() == [1, 2, 3]
    assert ranking["thin_data"].to_list() == [True, True, True]  # all below 30 received
    # previous week: C1 score 57.3 > C2 31.25, so C2 moved up one and C1 down one.
    assert row(ranking, C2)["rank_change"] == 1
    assert row(ranking, C1)["rank_change"] == -1
    assert row(ranking, C3)["rank_change"] == 0


def test_previous_period_scores(fixture_con):
    prev = kpi.commune_ranking(fixture_con, PERIOD.previous(), province="01")
    c1 = row(prev, C1)
    # d11 d12 d15 received; d15 resolved on time; d11 d12 open, none overdue on 05/10.
    assert c1["received"] == 3
    assert c1["progress_rate"] == pytest.approx(1.0)
    expected = 20 + 6 * ((1 / 3) / 0.8) + 6 * ((1 / 3) / 0.4) + 0 + 22 * ((1 / 3) / 0.8)
    assert c1["score"] == pytest.approx(100 * expected / 64)
    assert row(prev, C2)["score"] == pytest.approx(100 * 20 / 64)


def test_targets_in_force_on_several_days(fixture_con):
    # fixtures.TARGETS: 0.99 online only 01-20/07; from 21/07 online 0.80 and end-to-end 0.20;
    # end-to-end 0.40 from 01/09 (the later row wins); C2's own online 0.90 from 01/10.
    days = [date(2025, 7, 10), date(2025, 8, 15), date(2025, 10, 12), date(2025, 6, 1)]
    found = [sorted(frame.iter_rows()) for frame in kpi.targets_in_force_on(fixture_con, days)]
    assert found == [
        [("online_rate", "city", 0.99)],
        [("end_to_end_rate", "city", 0.20), ("online_rate", "city", 0.80)],
        [
            ("end_to_end_rate", "city", 0.40),
            ("online_rate", C2, 0.90),
            ("online_rate", "city", 0.80),
        ],
        [],
    ]


def test_traffic_lights(ranking):
    c1 = row(ranking, C1)
    assert c1["light_online_rate"] == "red"  # 46% vs 80%
    assert c1["light_end_to_end_rate"] == "amber"  # 30.8% vs 40%: within 10 points
    c2 = row(ranking, C2)
    assert c2["light_end_to_end_rate"] == "green"  # 50% vs 40%
    assert row(ranking, C3)["light_online_rate"] is None
    assert kpi.light(0.70, 0.80) == "amber"
    assert kpi.light(0.6999, 0.80) == "red"
    assert kpi.light(0.80, 0.80) == "green"


def test_city_totals_exclude_other_province(fixture_con):
    city = kpi.city_kpis(fixture_con, PERIOD, province="01")
    assert city["received"] == 13 + 6  # z01 (province 02) is not counted
    assert city["received_online"] == 6 + 4
    assert city["online_rate"] == pytest.approx(10 / 19)
    assert city["open_overdue"] == 2 + 1  # + e05 (due 11/10)
    one = kpi.city_kpis(fixture_con, PERIOD, province="01", commune=C1)
    assert one["received"] == 13


def test_field_filter(fixture_con):
    city = kpi.city_kpis(fixture_con, PERIOD, province="01", field="Hộ tịch")
    # Hộ tịch = P1: C1 d01 d02 d09 d13 d19, C2 e01 e02 e06
    assert city["received"] == 8
    assert city["end_to_end_rate"] == pytest.approx(7 / 8)


def test_empty_period_is_dashes(fixture_con):
    empty = Period.of(date(2025, 8, 1), date(2025, 8, 1), now=datetime(2025, 10, 20))
    city = kpi.city_kpis(fixture_con, empty, province="01")
    assert city["received"] == 0
    assert city["online_rate"] is None
    assert city["score"] is None


def test_ranking_ties():
    frame = pl.DataFrame(
        {
            "commune_code": ["00003", "00001", "00002", "00004"],
            "score": [80.0, 80.0, 80.0, None],
            "online_rate": [0.9, 0.9, 0.95, 0.99],
            "received": [100, 10, 100, 0],
        }
    )
    ranked = kpi.rank_communes(frame)
    # same score: higher online rate first, then code ascending; no score last
    assert ranked["commune_code"].to_list() == ["00002", "00001", "00003", "00004"]
    assert ranked["thin_data"].to_list() == [False, True, False, True]


def test_light_counts(ranking):
    from ioc.overview import light_counts

    counts = {(r["metric"], r["light"]): r["communes"] for r in light_counts(ranking).to_dicts()}
    # online: C1 46% and C2 67% (own target 90%) red, C3 no data
    assert counts[("online_rate", "red")] == 2 and counts[("online_rate", "none")] == 1
    # end-to-end vs 40%: C1 30.8% amber, C2 50% green
    assert counts[("end_to_end_rate", "amber")] == 1
    assert counts[("end_to_end_rate", "green")] == 1
    # no on-time target in the fixture: that rate is left out, not shown as "no data"
    assert not any(metric == "on_time_rate" for metric, _ in counts)


def test_kpi_formats():
    from ioc.i18n import fmt_kpi

    assert fmt_kpi("online_rate", 6 / 13) == "46,2%"
    assert fmt_kpi("online_rate", None) == "—"
    assert fmt_kpi("score", 58.9697) == "59,0"
    assert fmt_kpi("received", 12345) == "12.345"
    assert fmt_kpi("received", 12345, "en") == "12,345"
    assert fmt_kpi("median_days_to_resolve", 1.25, "en") == "1.2"  # half to even


def test_postal_rate_the_registry_example(ranking):
    """The rate added as ioc/metrics.py's worked example: received with channel postal / received."""
    c1, c2, c3 = row(ranking, C1), row(ranking, C2), row(ranking, C3)
    assert c1["received_postal"] == 1  # d18, the one postal dossier, received 08/10
    assert c1["postal_rate"] == pytest.approx(1 / 13)
    assert (c2["received_postal"], c2["postal_rate"]) == (0, 0.0)  # 7 received, none by post
    assert c3["postal_rate"] is None  # nothing received: no rate, not 0%
