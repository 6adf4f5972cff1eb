"""Land files: a WGS84 GeoJSON of parcels, a VN-2000 CSV with WKT, a commune boundary file, and
a GeoPackage read through DuckDB spatial."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_fixture import CN, HK, make_ingest_store
from pyproj import Transformer

from ioc import rollups
from ioc.ingest import ingest_file

SQUARE = [[105.850, 21.030], [105.851, 21.030], [105.851, 21.031], [105.850, 21.031]]


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    connection = make_ingest_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def polygon(ring):
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_geojson_parcels_land_in_their_commune(con, tmp_path):
    path = tmp_path / "thua_dat.geojson"
    features = [
        {"type": "Feature", "properties": {"ma_xa": HK, "so_to": 12, "so_thua": 345,
         "dien_tich": 110.5, "loai_dat": "ODT"}, "geometry": polygon(SQUARE)},
        {"type": "Feature", "properties": {"Xã/Phường": "Phường Cửa Nam", "so_to": "3",
         "so_thua": "7"}, "geometry": polygon(SQUARE)},
        {"type": "Feature", "properties": {"ma_xa": HK, "so_to": 1, "so_thua": 2},
         "geometry": None},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    result = ingest_file(con, path)
    assert (result.kind, result.rows_inserted, result.rows_quarantined) == ("parcels", 2, 1)
    # no dossier changed: no rollup rebuilt, and the rollups stay marked as in step
    assert result.touched_communes == set()
    assert rollups.ensure(con) is False
    rows = con.execute(
        "select parcel_id, commune_code, area_m2, land_use_code, round(lon, 4), round(lat, 4) "
        "from parcels order by parcel_id"
    ).fetchall()
    # centroid of the 0.001° square: (105.8505, 21.0305)
    assert rows == [
        (f"{HK}-12-345", HK, 110.5, "ODT", 105.8505, 21.0305),
        (f"{CN}-3-7", CN, None, None, 105.8505, 21.0305),
    ]
    assert con.execute("select reason_code from quarantine").fetchall() == [("bad_geometry",)]
    again = tmp_path / "thua_dat_2.geojson"
    features[0]["properties"]["loai_dat"] = "TMD"
    again.write_text(json.dumps({"type": "FeatureCollection", "features": features[:1]}), "utf-8")
    second = ingest_file(con, again)
    assert (second.rows_inserted, second.rows_updated) == (0, 1)
    assert con.execute(
        "select land_use_code from parcels where parcel_id = ?", [f"{HK}-12-345"]
    ).fetchone() == ("TMD",)


def test_vn2000_csv_with_wkt_is_reprojected_on_the_meridian(con, tmp_path):
    # Hà Nội's TM-3 zone: central meridian 105°00', scale 0.9999, false easting 500 km
    to_vn2000 = Transformer.from_crs(
        "EPSG:4326",
        "+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,"
        "-0.00427372,0.252906278 +units=m +no_defs",
        always_xy=True,
    )
    corners = [to_vn2000.transform(lon, lat) for lon, lat in SQUARE]
    # about 588 km east (0.85° east of the meridian at 21°N) and 2 326 km north
    assert 587_000 < corners[0][0] < 590_000 and 2_320_000 < corners[0][1] < 2_330_000
    ring = ", ".join(f"{x:.3f} {y:.3f}" for x, y in [*corners, corners[0]])
    path = tmp_path / "vn2000.csv"
    path.write_text(f'ma_xa,so_to,so_thua,wkt\n{HK},5,9,"POLYGON (({ring}))"\n', "utf-8")
    result = ingest_file(con, path, meridian=105.0)
    assert (result.status, result.kind, result.rows_inserted) == ("ok", "parcels", 1)
    lon, lat = con.execute("select lon, lat from parcels").fetchone()
    assert lon == pytest.approx(105.8505, abs=1e-6) and lat == pytest.approx(21.0305, abs=1e-6)


def test_boundary_file_replaces_the_approximate_cell(con, tmp_path):
    con.execute("update communes set geometry = '{}', geometry_source = 'approximate'")
    path = tmp_path / "ranh_gioi.geojson"
    feature = {"type": "Feature", "properties": {"ma_xa": CN}, "geometry": polygon(SQUARE)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    result = ingest_file(con, path)
    assert (result.status, result.kind, result.rows_updated) == ("ok", "boundaries", 1)
    rows = con.execute(
        "select commune_code, geometry_source from communes order by commune_code"
    ).fetchall()
    assert dict(rows)[CN] == "file" and dict(rows)[HK] == "approximate"
    geometry = json.loads(
        con.execute("select geometry from communes where commune_code = ?", [CN]).fetchone()[0]
    )
    assert geometry["type"] == "Polygon" and geometry["coordinates"][0][0] == SQUARE[0]


def test_geopackage_through_duckdb_spatial(con, tmp_path):
    from ioc.land import ensure_spatial

    path = tmp_path / "thua.gpkg"
    ring = ", ".join(f"{x} {y}" for x, y in [*SQUARE, SQUARE[0]])
    with __import__("duckdb").connect() as writer:
        ensure_spatial(writer)
        writer.execute(
            "create table t as select '00070' as ma_xa, '8' as so_to, '21' as so_thua, "
            f"st_geomfromtext('POLYGON (({ring}))') as geom"
        )
        writer.execute(f"copy t to '{path}' with (format gdal, driver 'GPKG')")
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted) == ("ok", 1), result.message
    assert con.execute("select parcel_id from parcels").fetchall() == [(f"{HK}-8-21",)]
