"""Land files: parcels (thửa đất) and commune boundaries from GeoJSON, zipped Shapefile,
GeoPackage or CSV with a WKT column, in WGS84 or VN-2000.

Shapefile and GeoPackage are read with DuckDB spatial's ST_Read (GDAL inside the
duckdb-extension-spatial wheel the project already depends on): no second GDAL build (pyogrio or
fiona) to install. VN-2000 is reprojected with pyproj as TM-3 on the central meridian the admin
names (Hà Nội: 105°00'), with the national 7-parameter shift to WGS84.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import shapely
from pyproj import Transformer

from ioc.ingest import load, normalize, validate
from ioc.ingest.aliases import fold
from ioc.ingest.load import RunResult
from ioc.ingest.readers import ReadError
from ioc.store import execute

LAND_SUFFIXES = (".geojson", ".gpkg", ".zip", ".shp")
COORD_GRID = 1e-7  # degrees
LAND_FRAME = "ingest_land_batch"
WKT_HEADERS = frozenset({"wkt", "geometry", "geom", "hinhhoc", "the_geom"})
# Province -> VN-2000 central meridian used when the admin names none.
DEFAULT_MERIDIANS = {"01": 105.0}
VN2000_TOWGS84 = (
    "-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278"
)
PROPERTY_ALIASES = {
    "commune": ("commune_code", "ma_xa", "maxa", "Mã xã", "xa_phuong", "Xã/Phường", "commune",
                "commune_name", "ten_xa", "maDVHC"),
    "map_sheet": ("map_sheet", "so_to", "soto", "Số tờ", "to_ban_do", "shbando", "Tờ bản đồ"),
    "parcel_no": ("parcel_no", "so_thua", "sothua", "Số thửa", "shthua", "thua_dat"),
    "area_m2": ("area_m2", "dien_tich", "dientich", "Diện tích", "area"),
    "land_use_code": ("land_use_code", "loai_dat", "loaidat", "Mã loại đất", "kyhieumdsd",
                      "MucDichSuDung"),
    "address": ("address", "dia_chi", "diachi", "Địa chỉ"),
}  # fmt: skip
PROPERTY_OF = {fold(a): k for k, names in PROPERTY_ALIASES.items() for a in names}


def is_land_file(path: Path) -> bool:
    """A land file by its type, or a CSV whose header has a WKT geometry column."""
    suffix = path.suffix.lower()
    if suffix in LAND_SUFFIXES:
        return True
    if suffix == ".csv":
        head = path.read_bytes()[:4096].decode("utf-8-sig", errors="ignore").splitlines()[:1]
        cells = head[0].replace(";", ",").split(",") if head else []
        return any(fold(c) in WKT_HEADERS for c in cells)
    return False


def vn2000_to_wgs84(meridian: float) -> Transformer:
    """VN-2000 TM-3 (scale 0.9999, false easting 500 km) on a central meridian -> lon/lat."""
    crs = (
        f"+proj=tmerc +lat_0=0 +lon_0={meridian} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        f"+towgs84={VN2000_TOWGS84} +units=m +no_defs"
    )
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def _features(path: Path) -> list[tuple[dict, object]]:
    """(properties, shapely geometry or None) per feature."""
    suffix = path.suffix.lower()
    if suffix == ".geojson":
        document = json.loads(path.read_text(encoding="utf-8-sig"))
        features = document.get("features") if isinstance(document, dict) else None
        if not isinstance(features, list):
            raise ReadError("not a GeoJSON FeatureCollection (no list of features)")
        # A feature that is no object, or properties that are none, is one bad feature (its
        # geometry unreadable), not a bad file.
        return [
            (_properties(f.get("properties")), _shape(f.get("geometry")))
            if isinstance(f, dict)
            else ({}, None)
            for f in features
        ]
    if suffix == ".csv":
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        wkt = next(c for c in frame.columns if fold(c) in WKT_HEADERS)
        return [(row, _wkt(row.pop(wkt))) for row in frame.to_dicts()]
    source = f"/vsizip/{path}" if suffix == ".zip" else str(path)
    frame = _read_with_gdal(source)
    return [(row, _wkt(row.pop("wkt"))) for row in frame.to_dicts()]


def _read_with_gdal(source: str) -> pl.DataFrame:
    """A Shapefile or GeoPackage read by DuckDB spatial's GDAL in a child process: GDAL ends the
    process on some damaged files (a segmentation fault on a garbage .shp inside a zip), and the
    app must outlive any file."""
    with tempfile.TemporaryDirectory(prefix="ioc-land-") as folder:
        out = Path(folder) / "features.parquet"
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, *sys.path])}
        child = subprocess.run(
            [sys.executable, "-c", _GDAL_CHILD, source, str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=GDAL_SECONDS,
            check=False,
        )
        if child.returncode < 0:
            raise ReadError(
                f"the land file is damaged: its reader stopped (signal {-child.returncode})"
            )
        if child.returncode:
            lines = child.stderr.strip().splitlines()
            raise ReadError(lines[-1] if lines else "the land file cannot be read")
        return pl.read_parquet(out)


GDAL_SECONDS = 600
_GDAL_CHILD = """
import sys
import duckdb
from ioc.land import ensure_spatial
from ioc.store import execute
try:
    with duckdb.connect() as con:
        ensure_spatial(con)
        execute(con, "ingest_land_read", path=sys.argv[1]).write_parquet(sys.argv[2])
except Exception as error:
    sys.exit(f"{type(error).__name__}: {error}".replace(chr(10), " "))
"""


def _properties(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _shape(geometry: dict | None):
    try:
        return shapely.geometry.shape(geometry) if geometry else None
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None


def _wkt(text: str | None):
    try:
        return shapely.from_wkt(text) if text else None
    except shapely.errors.GEOSException:
        return None


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    result: RunResult,
    meridian: float | None = None,
    province: str | None = None,
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Read and check a land file; return the writer to run inside the import's transaction."""
    try:
        features = _features(path)
    except Exception as error:  # GDAL / JSON / CSV errors alike: the file cannot be read
        raise ReadError(f"{type(error).__name__}: {error}") from error
    if not features:
        raise ReadError("no features in the land file")
    index = normalize.CommuneIndex.from_store(con, province)
    meridian = meridian or DEFAULT_MERIDIANS.get(province or "")
    transformer = vn2000_to_wgs84(meridian) if meridian else None
    rows, rejected = [], []
    for number, (properties, geometry) in enumerate(features, start=1):
        values = {}
        for key, value in properties.items():
            target = PROPERTY_OF.get(fold(key))
            if target and target not in values and value not in (None, ""):
                values[target] = value
        reason = None
        code, _problem = (
            index.resolve(str(values["commune"])) if "commune" in values else (None, "unknown")
        )
        reason = _geometry_problem(geometry)
        if reason is None and code is None:
            reason = "ambiguous_commune" if _problem == "ambiguous" else "unknown_commune"
        if reason is None and abs(geometry.bounds[0]) > 180:  # metres: VN-2000
            if transformer is None:
                raise ReadError("VN-2000 coordinates need the central meridian (--meridian)")
            geometry = shapely.transform(
                geometry, lambda xy: _reproject(transformer, xy), include_z=False
            )
        if reason is None:
            reason = _placement_problem(geometry, values)
        if reason:
            rejected.append((number, properties, reason, values.get("commune")))
            continue
        # Coordinates on a ~1 cm grid once here: the land map then sends short numbers without
        # reducing precision per request (costly in DuckDB spatial).
        geometry = shapely.set_precision(geometry, COORD_GRID, mode="pointwise")
        centre = geometry.centroid
        rows.append(
            {
                "commune_code": code,
                "map_sheet": _text(values.get("map_sheet")),
                "parcel_no": _text(values.get("parcel_no")),
                "area_m2": _number(values.get("area_m2")),
                "land_use_code": _text(values.get("land_use_code")),
                "address": _text(values.get("address")),
                "lon": centre.x,
                "lat": centre.y,
                "geometry": shapely.to_geojson(geometry),
            }
        )
    frame = (
        pl.DataFrame(rows, schema=_SCHEMA, orient="row") if rows else pl.DataFrame(schema=_SCHEMA)
    )
    parcel_rows = frame.filter(pl.col("parcel_no").is_not_null())
    result.kind = (
        "parcels" if parcel_rows.height or "parcel_no" in _keys(features) else "boundaries"
    )
    if result.kind == "parcels":
        missing = frame.filter(pl.col("map_sheet").is_null() | pl.col("parcel_no").is_null())
        frame = frame.filter(pl.col("map_sheet").is_not_null() & pl.col("parcel_no").is_not_null())
        frame = frame.with_columns(
            pl.concat_str("commune_code", "map_sheet", "parcel_no", separator="-").alias(
                "parcel_id"
            )
        ).unique("parcel_id", keep="last", maintain_order=True)
        rejected += [(None, {}, "no_parcel_key", None)] * missing.height
    result.rows_read = len(features)
    result.rows_quarantined = len(rejected)
    quarantine = _quarantine(rejected)

    def write(con: duckdb.DuckDBPyConnection) -> None:
        with load.registered(con, LAND_FRAME, frame):
            if result.kind == "parcels":
                counts = execute(con, "ingest_parcel_counts").row(0, named=True)
                result.rows_inserted, result.rows_updated = counts["inserted"], counts["updated"]
                execute(con, "ingest_upsert_parcels")
            else:
                execute(con, "ingest_update_boundaries")
                result.rows_updated = frame.height
        load.write_quarantine(con, result, quarantine)

    return write


_SCHEMA = {
    "commune_code": pl.String,
    "map_sheet": pl.String,
    "parcel_no": pl.String,
    "area_m2": pl.Float64,
    "land_use_code": pl.String,
    "address": pl.String,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "geometry": pl.String,
}


# Where a parcel or commune of Vietnam can be (lon, lat, islands included), how large a parcel
# (10 km²) or a commune (5,000 km²) can be, and how far projected metres can reach.
VIETNAM_BOUNDS = (100.0, 5.0, 120.0, 25.0)
MAX_PARCEL_M2, MAX_BOUNDARY_M2 = 1e7, 5e9
MAX_METRES = 1e7


def _geometry_problem(geometry) -> str | None:
    """Why a feature's geometry cannot be a parcel or a boundary, before it is placed: none,
    empty, not a polygon, self-crossing, or coordinates no map has (±1e300, NaN)."""
    if geometry is None or geometry.is_empty:
        return "bad_geometry"
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return "not_polygon"
    bounds = geometry.bounds
    if not all(math.isfinite(b) and abs(b) < MAX_METRES for b in bounds):
        return "geometry_out_of_range"
    try:
        valid = shapely.is_valid(geometry)
    except shapely.errors.GEOSException:
        valid = False
    return None if valid else "invalid_geometry"


def _placement_problem(geometry, values: dict) -> str | None:
    """A geometry (lon/lat) outside Vietnam, or larger than any parcel (or commune) is."""
    west, south, east, north = geometry.bounds
    lon0, lat0, lon1, lat1 = VIETNAM_BOUNDS
    if not (lon0 <= west and east <= lon1 and lat0 <= south and north <= lat1):
        return "geometry_out_of_range"
    metres_per_degree = 111_320.0
    scale = metres_per_degree**2 * math.cos(math.radians((south + north) / 2))
    limit = MAX_PARCEL_M2 if values.get("parcel_no") not in (None, "") else MAX_BOUNDARY_M2
    return "geometry_too_large" if geometry.area * scale > limit else None


def _keys(features: list[tuple[dict, object]]) -> set[str]:
    return {PROPERTY_OF.get(fold(k), "") for props, _ in features[:50] for k in props}


def _reproject(transformer: Transformer, xy):
    import numpy as np

    lon, lat = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _number(value: object) -> float | None:
    try:
        return float(str(value).replace(",", ".")) if value not in (None, "") else None
    except ValueError:
        return None


def _quarantine(rejected: list) -> pl.DataFrame:
    return validate.quarantine_frame(
        [
            validate.quarantine_record(number, properties, code, {"value": commune or ""})
            for number, properties, code, commune in rejected
        ]
    )
