"""Land map queries on the hand-made parcel set of tests/land_fixture.py (expected values by hand)."""

from __future__ import annotations

import json

import pytest
from fixtures import C1, C2, C3
from land_fixture import AS_OF, add_land

from ioc import land, maps
from ioc.scope import CITY, PRESENTER, WARD_CHAIR, Scope, ScopeError


@pytest.fixture
def con(fixture_con):
    add_land(fixture_con)
    return fixture_con


def test_city_view_aggregates_per_commune(con):
    city = land.city_view(con, AS_OF)
    rows = {r["commune_code"]: r for r in city.iter_rows(named=True)}
    # C1: 6 parcels, 120.5+200+300+1000+50+80 m²; open land dossiers at 13/10: d06 (fixture,
    # due 30/10), L1 (due 10/10, overdue), L2 (due 14/10, due soon), L3, L4a (due 10/09, overdue);
    # L4b returned, L6 withdrawn, d17 stopped are not open.
    assert (rows[C1]["parcels"], rows[C1]["area_m2"]) == (6, 1750.5)
    assert (rows[C1]["open_dossiers"], rows[C1]["overdue"], rows[C1]["due_soon"]) == (5, 2, 1)
    # C2: one parcel; L8 is a land dossier without a parcel, due 01/10: open and overdue.
    assert (rows[C2]["parcels"], rows[C2]["open_dossiers"], rows[C2]["overdue"]) == (1, 1, 1)
    assert (rows[C3]["parcels"], rows[C3]["open_dossiers"], rows[C3]["geometry"]) == (0, 0, None)
    assert set(rows) == {C1, C2, C3}  # the other province's commune is not in Hanoi's view
    assert land.city_summary(city) == {
        "parcels": 7,
        "area_m2": 2250.5,
        "open_dossiers": 6,
        "overdue": 3,
        "due_soon": 1,
    }


def test_simplified_cells_are_kept_and_made_again_when_a_cell_changes(con, monkeypatch):
    loads = []
    real = land.ensure_spatial
    monkeypatch.setattr(land, "ensure_spatial", lambda c: loads.append(1) or real(c))
    first = land.city_view(con, AS_OF)
    assert loads == [1]  # C1 and C2 have cells, none simplified yet: spatial loaded once
    kept = con.execute("select commune_code from simplified_cells order by 1").fetchall()
    assert kept == [(C1,), (C2,)]  # C3 has no cell, nothing to keep
    assert land.city_view(con, AS_OF).equals(first) and loads == [1]  # read as text
    square = {
        "type": "Polygon",
        "coordinates": [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]],
    }
    con.execute("update communes set geometry = ? where commune_code = ?", [json.dumps(square), C2])
    changed = land.city_view(con, AS_OF)
    assert loads == [1, 1]  # C2's new cell simplified again
    cell = json.loads(changed.filter(changed["commune_code"] == C2)["geometry"][0])
    assert cell["coordinates"][0][1] == [105.1, 21]


def test_parcel_state_is_the_latest_dossiers(con):
    parcels = land.commune_view(con, C1, AS_OF, zoom=16)
    states = dict(zip(parcels["parcel_no"], parcels["state"], strict=True))
    assert states == {
        "12": "overdue",  # L1 due 10/10 < 13/10
        "13": "due_soon",  # L2 due 14/10, the next working day
        "14": "processing",  # L3 due 30/10
        "1": "done",  # L4b (15/09) is later than the still-open L4a (01/09)
        "2": "none",  # no dossier
        "3": "none",  # latest dossier withdrawn
    }


def test_state_colouring_and_land_use_colouring(con):
    parcels = land.commune_view(con, C1, AS_OF, zoom=16)
    by_state = land.parcel_features(parcels, "state")["features"]
    fills = {f["properties"]["no"]: f["properties"]["fill"] for f in by_state}
    assert fills["12"] == [220, 40, 40, 190]  # overdue: red
    assert fills["13"] == [255, 170, 0, 190]  # due soon: amber
    assert fills["1"] == [50, 160, 80, 190]  # done: green
    assert fills["2"] == [215, 215, 215, 190]  # none: grey
    by_use = land.parcel_features(parcels, "land_use")["features"]
    props = {f["properties"]["no"]: f["properties"] for f in by_use}
    assert props["12"]["fill"] == [255, 128, 192, 190]  # ODT
    assert props["12"]["use"] == "Đất ở tại đô thị"
    assert props["12"]["area"] == "120,5 m²"
    assert props["12"]["state"] == "Quá hạn"


@pytest.mark.parametrize(
    ("land_use", "state", "expected"),
    [
        ("LUC", None, ["14", "1"]),
        (None, "none", ["2", "3"]),
        ("LUC", "done", ["1"]),
        ("ODT", "done", []),
        ("NTS", None, []),
    ],
)
def test_commune_view_filters(con, land_use, state, expected):
    parcels = land.commune_view(con, C1, AS_OF, zoom=16, land_use=land_use, state=state)
    assert parcels["parcel_no"].to_list() == expected


def test_unknown_state_is_refused(con):
    with pytest.raises(ValueError):
        land.commune_view(con, C1, AS_OF, zoom=16, state="lost")


def test_geometry_is_simplified_for_the_zoom_but_whole_when_found(con):
    parcels = land.commune_view(con, C1, AS_OF, zoom=14)
    ring = json.loads(parcels["geometry"][0])["coordinates"][0]
    assert len(ring) == 5  # the 0.1 m jog is below half a pixel at zoom 14 (~4.5 m)
    found = land.find_parcel(con, C1, "5", "12", AS_OF)
    assert len(json.loads(found["geometry"])["coordinates"][0]) == 6


def test_search_hit_ignores_spaces_and_leading_zeros(con):
    found = land.find_parcel(con, C1, " 05", "012 ", AS_OF)
    assert found["parcel_id"] == "90001-5-12"
    assert (found["area_m2"], found["land_use_code"], found["state"]) == (120.5, "ODT", "overdue")
    assert (found["lon"], found["lat"]) == pytest.approx((105.85025, 21.03025))


@pytest.mark.parametrize(
    ("commune", "sheet", "number"),
    [(C1, "5", "99"), (C1, "7", "12"), (C2, "5", "12"), (C1, "", "12"), (C1, "5", "  ")],
)
def test_search_miss(con, commune, sheet, number):
    assert land.find_parcel(con, commune, sheet, number, AS_OF) is None


def test_latest_dossier_detail_is_scoped(con):
    dossier = land.latest_dossier(con, CITY, C1, "6", "1")
    assert (dossier["dossier_id"], dossier["status"]) == ("L4b", "returned")
    assert dossier["procedure_name"] == "Đăng ký đất đai lần đầu"
    assert dossier["applicant_masked"] == "Lê V. C."
    assert land.latest_dossier(con, CITY, C1, "6", "2") is None
    own = Scope(WARD_CHAIR, C1)
    assert land.latest_dossier(con, own, C1, "5", "12")["dossier_id"] == "L1"
    with pytest.raises(ScopeError):
        land.latest_dossier(con, Scope(WARD_CHAIR, C2), C1, "5", "12")
    with pytest.raises(ScopeError):
        land.latest_dossier(con, Scope(PRESENTER), C1, "5", "12")


def test_commune_summary_by_land_use(con):
    summary = land.commune_summary(land.commune_view(con, C1, AS_OF, zoom=16))
    assert summary["parcels"] == 6
    assert summary["states"] == {"none": 2, "processing": 1, "due_soon": 1, "overdue": 1, "done": 1}
    by_use = summary["by_use"]
    assert by_use["land_use_code"].to_list() == ["LUC", "ODT", "TMD", "DGT"]
    assert by_use["area_m2"].to_list() == [1300.0, 320.5, 80.0, 50.0]


def test_decks_are_offline_and_fly_to_the_found_parcel(con, monkeypatch):
    monkeypatch.delenv("IOC_MAP_TILES", raising=False)
    city = land.city_view(con, AS_OF)
    spec = json.loads(land.city_deck(city).to_json())
    assert spec["mapStyle"] == "__MAP_STYLE__"  # Streamlit drops it: no Carto style request
    assert "mapProvider" not in spec
    assert [f["properties"]["name"] for f in spec["layers"][0]["data"]["features"]] == [
        "Phường Một",
        "Xã Hai",
    ]  # C3 has no cell
    found = land.find_parcel(con, C1, "5", "12", AS_OF)
    parcels = land.commune_view(con, C1, AS_OF, zoom=16)
    flown = json.loads(land.commune_deck(city, C1, parcels, "state", found, fly=True).to_json())
    view = flown["initialViewState"]
    assert (view["longitude"], view["latitude"]) == pytest.approx((105.85025, 21.03025))
    assert view["zoom"] == 18.0
    assert [layer["id"] for layer in flown["layers"]] == [
        "boundaries",
        "parcels",
        "found",
        "found_marker",
    ]
    framed = json.loads(land.commune_deck(city, C1, parcels, "state", found).to_json())
    # C1's cell spans 105.849..105.857 x 21.029..21.037: a click keeps the commune framing
    assert framed["initialViewState"]["longitude"] == pytest.approx(105.853)


def test_tile_basemap_only_when_configured(monkeypatch):
    monkeypatch.setenv("IOC_MAP_TILES", "http://tiles.local/{z}/{x}/{y}.png")
    style = json.loads(maps.deck([], maps.fit_view(None)).to_json())["mapStyle"]
    assert style.startswith("data:application/json,")
    assert "tiles.local" in style
    monkeypatch.setenv("IOC_MAP_TILES", "http://tiles.local/style.json")
    assert json.loads(maps.deck([], maps.fit_view(None)).to_json())["mapStyle"].endswith(
        "style.json"
    )


def test_fit_view_frames_bounds():
    # 0.1° of longitude at the equator in 900 px, the world 512 px wide at zoom 0 (deck.gl):
    # 900*360/(0.1*1.2*512) = 5273.4 → zoom 12.36
    view = maps.fit_view((0.0, -0.01, 0.1, 0.01), width_px=900, height_px=560)
    assert (view.longitude, view.zoom) == (0.05, 12.36)
    assert view.latitude == pytest.approx(0.0, abs=1e-9)
    assert maps.fit_view(None).zoom == maps.DEFAULT_ZOOM
