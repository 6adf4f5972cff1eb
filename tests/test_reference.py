"""Reference data: communes, cells, old units, the procedure catalogue and the default targets.

Expected values come from the packages' own data as read by hand (vietnam-provinces 2025.10.1,
vietnamadminunits 1.0.4) and from the national procedure codes, not from ioc.reference.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely

from ioc import store
from ioc.reference import PROCEDURES_CSV, approximate_cells, load_reference


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """A store filled once by load_reference; its connection and the counts returned."""
    path = tmp_path_factory.mktemp("reference") / "ref.duckdb"
    con = store.connect(path)
    counts = load_reference(con)
    yield con, counts
    con.close()


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def test_counts_of_provinces_and_communes(loaded):
    con, counts = loaded
    assert counts["provinces"] == 34
    assert counts["communes"] == 3321
    assert one(con, "select count(*) from communes where province_code = '01'")[0] == 126
    assert one(con, "select count(distinct province_code) from communes")[0] == 34
    types = {r[0] for r in con.execute("select distinct commune_type from communes").fetchall()}
    assert types == {"xã", "phường", "đặc khu"}
    assert one(con, "select count(*) from communes where commune_type = 'đặc khu'")[0] == 13
    bad = one(
        con,
        "select count(*) from communes where not regexp_full_match(commune_code, '[0-9]{5}') "
        "or not regexp_full_match(province_code, '[0-9]{2}')",
    )[0]
    assert bad == 0


@pytest.mark.parametrize(
    ("code", "name", "kind", "province", "province_name"),
    [
        ("00070", "Phường Hoàn Kiếm", "phường", "01", "Thành phố Hà Nội"),
        ("00073", "Phường Cửa Nam", "phường", "01", "Thành phố Hà Nội"),
        ("00004", "Phường Ba Đình", "phường", "01", "Thành phố Hà Nội"),
        ("00097", "Phường Hồng Hà", "phường", "01", "Thành phố Hà Nội"),
        ("26732", "Đặc khu Côn Đảo", "đặc khu", "79", "Thành phố Hồ Chí Minh"),
        ("01561", "Xã Hạ Lang", "xã", "04", "Tỉnh Cao Bằng"),
    ],
)
def test_known_communes(loaded, code, name, kind, province, province_name):
    con, _ = loaded
    row = one(
        con,
        "select commune_name, commune_type, province_code, province_name from communes "
        "where commune_code = ?",
        code,
    )
    assert row == (name, kind, province, province_name)


def test_centroids_and_areas(loaded):
    con, counts = loaded
    assert counts["communes_unmatched"] == 0
    assert counts["communes_matched_by_code"] + counts["communes_matched_by_name"] == 3321
    # Hoàn Kiếm lake is at about 21.03 N, 105.85 E; the ward is about 1.9 km².
    lat, lon, area = one(
        con, "select lat, lon, area_km2 from communes where commune_code = '00070'"
    )
    assert abs(lat - 21.03) < 0.02 and abs(lon - 105.85) < 0.02
    assert 1.0 < area < 3.0
    # vietnamadminunits files Xã Hạ Lang under 01558 (its 01561 is Xã Vinh Quý): matched by name,
    # so 01561 gets Hạ Lang's area (81.13 km²), not Vinh Quý's (143.05 km²).
    assert one(con, "select area_km2 from communes where commune_code = '01561'")[0] == 81.13
    # Two communes of Quảng Trị have no area in the package: left null, not invented.
    assert one(con, "select count(*) from communes where area_km2 is null")[0] == 2
    assert one(con, "select count(*) from communes where lat is null or lon is null")[0] == 0


def test_hanoi_cells_are_valid_polygons(loaded):
    con, _ = loaded
    rows = con.execute(
        "select commune_code, lon, lat, geometry, geometry_source from communes "
        "where province_code = '01'"
    ).fetchall()
    assert len(rows) == 126
    for code, lon, lat, text, source in rows:
        assert source == "approximate", code
        geojson = json.loads(text)
        assert geojson["type"] == "Polygon"
        ring = geojson["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert all(round(x, 5) == x and round(y, 5) == y for x, y in ring)
        shape = shapely.from_geojson(text)
        assert shape.is_valid, code
        assert shape.contains(shapely.Point(lon, lat)), code
    everywhere = one(con, "select count(*) from communes where geometry is null")[0]
    assert everywhere == 0


def test_old_units(loaded):
    con, counts = loaded
    # 10,040 pre-2025 units: 10,035 wards and 5 island districts without wards.
    assert one(con, "select count(distinct old_ward_code) from old_units")[0] == 10035
    assert one(con, "select count(*) from old_units where old_ward_code is null")[0] == 5
    assert counts["old_units"] > 10040
    orphans = one(
        con,
        "select count(*) from old_units o left join communes c using (commune_code) "
        "where c.commune_code is null",
    )[0]
    assert orphans == 0

    def targets(old_code: str) -> list[tuple]:
        return con.execute(
            "select old_district, old_ward, commune_code, is_split from old_units "
            "where old_ward_code = ? order by commune_code",
            [old_code],
        ).fetchall()

    # Phúc Xá and Trần Hưng Đạo went whole into Hồng Hà and Cửa Nam (NQ 1656/NQ-UBTVQH15);
    # Đồng Xuân was split between Ba Đình and Hoàn Kiếm.
    assert targets("00001") == [("Quận Ba Đình", "Phường Phúc Xá", "00097", False)]
    assert targets("00082") == [("Quận Hoàn Kiếm", "Phường Trần Hưng Đạo", "00073", False)]
    assert targets("00040") == [
        ("Quận Hoàn Kiếm", "Phường Đồng Xuân", "00004", True),
        ("Quận Hoàn Kiếm", "Phường Đồng Xuân", "00070", True),
    ]
    island = one(con, "select commune_code from old_units where old_district = 'Huyện Côn Đảo'")
    assert island == ("26732",)


LISTED_DAYS = {
    "1.001193": 0,
    "1.004222": 7,
    "1.013978": 20,
    "1.013949": 15,
}
LISTED_CODES = {
    "1.000894",
    "1.000656",
    "2.000815",
    "2.000884",
    "2.000986",
    "1.001612",
    "1.013831",
    "1.011441",
}


def test_procedure_catalogue(loaded):
    con, counts = loaded
    assert counts["procedures"] >= 40
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select procedure_code, statutory_days, is_land, field_name, service_level, "
            "code_status, procedure_name from procedures"
        ).fetchall()
    }
    for code, days in LISTED_DAYS.items():
        assert rows[code][0] == days, code
    assert LISTED_CODES <= set(rows)
    for code in ("1.013978", "1.013949", "1.013831", "1.011441"):
        assert rows[code][1] is True and rows[code][2] == "Đất đai", code
    for code in ("1.001193", "1.004222", "2.000815", "1.001612"):
        assert rows[code][1] is False, code
    assert "khai sinh" in rows["2.000986"][5] and "bảo hiểm y tế" in rows["2.000986"][5]
    fields = {r[2] for r in rows.values()}
    assert {"Hộ tịch", "Chứng thực", "Cư trú", "Đất đai", "Kinh doanh", "Lý lịch tư pháp"} <= fields
    assert {"Bảo trợ xã hội"} <= fields
    assert {r[3] for r in rows.values()} <= {"full", "partial", "info"}
    assert {r[4] for r in rows.values()} == {"verified", "uncertain"}


def test_procedure_csv_is_well_formed():
    with Path(PROCEDURES_CSV).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 40
    for row in rows:
        assert re.fullmatch(r"[1-3]\.\d{6}", row["procedure_code"]), row["procedure_code"]
        assert row["has_fee"] in ("true", "false") and row["is_land"] in ("true", "false")
        assert row["statutory_days"] == "" or float(row["statutory_days"]) >= 0


def test_default_targets(loaded):
    con, _ = loaded
    rows = con.execute(
        "select metric, scope, target, effective_from, effective_to from targets "
        "order by effective_from, metric"
    ).fetchall()
    assert rows == [
        ("end_to_end_rate", "city", 0.20, date(2025, 7, 21), None),
        ("online_rate", "city", 0.80, date(2025, 7, 21), None),
        ("end_to_end_rate", "city", 0.40, date(2025, 9, 1), None),
    ]


def snapshot(con) -> tuple:
    return (
        one(con, "select count(*), sum(hash(t)) from communes as t"),
        one(con, "select count(*), sum(hash(t)) from old_units as t"),
        one(con, "select count(*), sum(hash(t)) from procedures as t"),
        one(con, "select count(*), sum(hash(t)) from targets as t"),
    )


def test_idempotent(loaded):
    con, counts = loaded
    before = snapshot(con)
    assert load_reference(con) == counts
    assert snapshot(con) == before


def test_keeps_file_geometry_unknown_codes_and_existing_targets(tmp_path):
    con = store.connect(tmp_path / "kept.duckdb")
    boundary = '{"type":"Polygon","coordinates":[[[105,21],[106,21],[106,22],[105,21]]]}'
    con.execute(
        "insert into communes (commune_code, commune_name, province_code, geometry, "
        "geometry_source) values ('00070', 'old name', '01', ?, 'file')",
        [boundary],
    )
    con.execute(
        "insert into procedures (procedure_code, procedure_name, code_status) values "
        "('1.001193', 'Khai sinh (from an export)', 'unknown'), "
        "('9.999999', 'Not in the catalogue', 'unknown')"
    )
    con.execute(
        "insert into targets (metric, scope, target, effective_from) "
        "values ('online_rate', 'city', 0.9, date '2025-07-01')"
    )
    load_reference(con)
    assert one(
        con,
        "select commune_name, geometry, geometry_source from communes where commune_code = '00070'",
    ) == ("Phường Hoàn Kiếm", boundary, "file")
    assert one(
        con, "select procedure_name, code_status from procedures where procedure_code = '1.001193'"
    ) == ("Thủ tục đăng ký khai sinh", "verified")
    assert one(con, "select code_status from procedures where procedure_code = '9.999999'") == (
        "unknown",
    )
    assert one(con, "select count(*), max(target) from targets") == (1, 0.9)
    con.close()


def test_cells_of_two_communes_split_at_the_bisector():
    # Two communes 0.1° apart at the same latitude: the Voronoi edge is the meridian half way,
    # 105.05. The cells are cut to the centroids' hull widened by 0.6 x sqrt(100 km²) = 6 km
    # (0.0539° of latitude), narrower here than the disc of 1.8 radii of a 100 km² circle
    # (10.2 km), so the top edge is at 21.0539. The commune alone in its province still gets a
    # cell around its centroid; the one without a centroid gets none.
    province = np.array(["01", "01", "02", "02"])
    lon = np.array([105.0, 105.1, 106.0, np.nan])
    lat = np.array([21.0, 21.0, 20.0, np.nan])
    area = np.array([100.0, 100.0, 50.0, 10.0])
    west, east, alone, missing = approximate_cells(province, lon, lat, area)
    assert missing is None
    west_shape, east_shape, alone_shape = (shapely.from_geojson(c) for c in (west, east, alone))
    assert west_shape.bounds[2] == pytest.approx(105.05, abs=1e-5)
    assert east_shape.bounds[0] == pytest.approx(105.05, abs=1e-5)
    assert west_shape.bounds[3] == pytest.approx(21.0 + 6 / 111.32, abs=1e-5)
    assert east_shape.bounds[1] == pytest.approx(21.0 - 6 / 111.32, abs=1e-5)
    assert west_shape.intersection(east_shape).area == pytest.approx(0, abs=1e-9)
    assert alone_shape.contains(shapely.Point(106.0, 20.0))


def test_communes_sharing_a_centroid_get_a_cell_each():
    province = np.array(["01", "01", "01"])
    lon = np.array([105.0, 105.0, 105.2])
    lat = np.array([21.0, 21.0, 21.0])
    cells = approximate_cells(province, lon, lat, np.array([10.0, 10.0, 10.0]))
    shapes = [shapely.from_geojson(c) for c in cells]
    assert all(s.is_valid and s.area > 0 for s in shapes)
    assert shapes[0].intersection(shapes[1]).area == pytest.approx(0, abs=1e-9)
