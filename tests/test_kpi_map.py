"""KPI map features: colours by traffic light against each commune's own target, labels."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fixtures import C1, C2, C3

from ioc import kpi_map
from ioc.kpi import Period

WEEK = Period.of(date(2025, 10, 6), date(2025, 10, 12), now=datetime(2025, 10, 20))
SQUARE = '{"type": "Polygon", "coordinates": [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]]}'


@pytest.fixture
def cells(fixture_con):
    fixture_con.execute("update communes set geometry = ?", [SQUARE])
    return fixture_con


def props(collection: dict) -> dict[str, dict]:
    return {f["properties"]["commune_code"]: f["properties"] for f in collection["features"]}


def test_online_rate_lights(cells):
    found = props(kpi_map.map_features(cells, WEEK, "online_rate", "01"))
    assert set(found) == {C1, C2, C3}  # the other province's commune is not drawn
    # C1 6/13 vs 80%: red; C2 4/6 vs its own 90%: red (66.7 < 80); C3 no data: grey
    assert found[C1]["label"] == "46,2%"
    assert found[C1]["fill"] == [198, 40, 40, 200]
    assert found[C2]["fill"] == [198, 40, 40, 200]
    assert found[C3]["fill"] == [189, 189, 189, 200]
    # end-to-end: C2 50% vs 40% green, C1 30.8% amber
    e2e = props(kpi_map.map_features(cells, WEEK, "end_to_end_rate", "01"))
    assert e2e[C2]["fill"][:3] == [46, 125, 50]
    assert e2e[C1]["fill"][:3] == [249, 168, 37]


def test_untargeted_ramp_and_allowlist(cells):
    found = props(kpi_map.map_features(cells, WEEK, "received", "01"))
    assert found[C1]["fill"][:3] == [8, 69, 148]  # the highest (13) is the darkest
    assert found[C3]["fill"][:3] == [198, 219, 239]  # 0 is the lightest
    with pytest.raises(ValueError):
        kpi_map.map_features(cells, WEEK, "received; drop table dossiers", "01")


def test_legend_follows_the_metric(cells):
    lights = kpi_map.legend(kpi_map.map_features(cells, WEEK, "online_rate", "01"))
    assert lights[:3] == [("#2e7d32", "Đạt"), ("#f9a825", "Gần đạt"), ("#c62828", "Chưa đạt")]
    assert lights[-1] == ("#bdbdbd", "Không có dữ liệu")
    ramp = kpi_map.legend(kpi_map.map_features(cells, WEEK, "received", "01"))
    # received runs from 0 (C3) to 13 (C1): the ramp's ends carry those values
    assert ramp[0] == ("#c6dbef", "0")
    assert ramp[-2] == ("#084594", "13")


def test_picked_commune_reads_the_deck_selection():
    event = {"selection": {"indices": {"communes": [0]}, "objects": {"communes": [{"id": C2}]}}}
    assert kpi_map.picked_commune(event) == C2
    assert kpi_map.picked_commune({"selection": {"indices": {}, "objects": {}}}) is None
    assert kpi_map.picked_commune(None) is None
