"""Reference tables: communes with approximate cells, old units, the procedure catalogue, targets.

Sources, all installed or committed (nothing is downloaded):
- vietnam-provinces: the 34 provinces and 3,321 communes since 1/7/2025, official codes and names;
- vietnamadminunits: commune centroids and areas, and its 2025 converter data (which pre-2025
  ward went into which new commune);
- ioc/data/procedures.csv: the commune-level procedure catalogue with national codes.

The two packages do not always agree on codes (about 120 communes carry a different code, or a
code that belongs to another commune, in vietnamadminunits), so centroids are joined by code only
when the names agree too, and otherwise by name within the province. The store's codes are always
those of vietnam-provinces.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import shapely

from ioc import store
from ioc.ingest.aliases import fold

PROCEDURES_CSV = Path(__file__).with_name("data") / "procedures.csv"
COUNTS_QUERY = "reference_counts"

# Hanoi's KPI for its 126 communes from 21/7/2025, and the later end-to-end decision. Inserted only
# into an empty targets table: history is never edited, later decisions are new rows.
DEFAULT_TARGETS = (
    ("online_rate", "city", 0.80, date(2025, 7, 21), "KPI Hà Nội cho 126 xã, phường"),
    ("end_to_end_rate", "city", 0.20, date(2025, 7, 21), "KPI Hà Nội cho 126 xã, phường"),
    (
        "end_to_end_rate",
        "city",
        0.40,
        date(2025, 9, 1),
        "Quyết định sau: toàn trình từ 40% kể từ 01/09/2025",
    ),
)

# Cell shaping, in degrees of latitude (about 111 km): the hull of a province's centroids is
# widened by a share of a typical commune's width, and each cell is cut to a disc a little wider
# than a circle of the commune's own area, so border communes do not swallow the sea or the
# neighbouring province.
_HULL_MARGIN = 0.6
_DISC_FACTOR = 1.8
_MIN_RADIUS_DEG = 0.01
_KM_PER_DEG = 111.32
_COORD_DECIMALS = 5

_SPACES = re.compile(r"\s+")


def ensure_loaded(con: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """Load the reference tables into a store that has none yet (a production store's first
    start: `ioc init`, `ioc serve`, `ioc ingest` and the upload page all come through here).
    Returns load_reference's counts, or None when the store had them already."""
    if store.execute(con, "reference_counts")["communes"][0] > 0:
        return None
    return load_reference(con)


def refresh(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, dict[str, int]]:
    """Update the reference rows from the installed packages (dossiers are not touched): the
    changes (queries/reference_changes.sql: change, code, before, after), then load_reference's
    counts."""
    frames = {
        "ref_communes": _communes()[0],
        "ref_procedures": _procedures(),
        "ref_old_units": _old_units(),
    }
    with contextlib.ExitStack() as stack:
        for name, frame in frames.items():
            stack.enter_context(store.registered(con, name, frame))
        changes = store.execute(con, "reference_changes")
    return changes, load_reference(con)


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Fill communes, old_units, procedures and (when empty) targets in one transaction.

    Idempotent: communes and procedures are upserted (a commune geometry loaded from a boundary
    file, geometry_source 'file', is kept), old_units is replaced, targets are only inserted
    into an empty table. Opens its own transaction, so call it outside one. Returns the row count
    of each table, the number of provinces, and how the centroids were matched.
    """
    communes, matched, _ = _communes()
    old_units = _old_units()
    procedures = _procedures()
    targets = pl.DataFrame(
        DEFAULT_TARGETS,
        schema={
            "metric": pl.String,
            "scope": pl.String,
            "target": pl.Float64,
            "effective_from": pl.Date,
            "note": pl.String,
        },
        orient="row",
    )
    frames = {
        "ref_communes": communes,
        "ref_old_units": old_units,
        "ref_procedures": procedures,
        "ref_targets": targets,
    }
    with store.WRITE_LOCK, contextlib.ExitStack() as stack:
        for name, frame in frames.items():
            stack.enter_context(store.registered(con, name, frame))
        with store.transaction(con):
            store.execute(con, "reference_upsert_communes")
            store.execute(con, "reference_delete_old_units")
            store.execute(con, "reference_insert_old_units")
            store.execute(con, "reference_upsert_procedures")
            store.execute(con, "reference_insert_targets")
        counts = store.execute(con, "reference_counts").row(0, named=True)
    return {**counts, **matched}


@cache
def _communes() -> tuple[pl.DataFrame, dict[str, int], dict[str, str]]:
    """The 3,321 communes with centroid, area and approximate cell; the match counts; and the
    translation of vietnamadminunits' ward codes to the store's commune codes."""
    from vietnam_provinces import Province, VietNamDivisionType, Ward

    province_names = {
        int(p.code): (
            f"Tỉnh {p.name}"
            if p.division_type == VietNamDivisionType.TINH and not p.name.startswith("Tỉnh")
            else p.name
        )
        for p in Province.iter_all()
    }
    wards = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    frame = pl.DataFrame(
        {
            "commune_code": [f"{int(w.code):05d}" for w in wards],
            "commune_name": [_clean(w.name) for w in wards],
            "commune_type": [w.division_type.value for w in wards],
            "province_code": [f"{int(w.province_code):02d}" for w in wards],
            "province_name": [province_names[int(w.province_code)] for w in wards],
        }
    )
    lat, lon, area, matched, translation = _match_centroids(frame)
    frame = frame.with_columns(
        pl.Series("lat", lat, dtype=pl.Float64),
        pl.Series("lon", lon, dtype=pl.Float64),
        pl.Series("area_km2", area, dtype=pl.Float64),
    )
    geometry = approximate_cells(
        frame["province_code"].to_numpy(),
        frame["lon"].to_numpy(),
        frame["lat"].to_numpy(),
        frame["area_km2"].to_numpy(),
    )
    frame = frame.with_columns(
        pl.Series("geometry", geometry, dtype=pl.String),
        pl.when(pl.Series(geometry).is_not_null())
        .then(pl.lit("approximate"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("geometry_source"),
    )
    return frame, matched, translation


def _clean(name: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


def _admin_units(table: str, fields: list[str]) -> list[dict]:
    from vietnamadminunits.database import get_data

    return get_data(fields=fields, table=table)


def _match_centroids(
    frame: pl.DataFrame,
) -> tuple[list, list, list, dict[str, int], dict[str, str]]:
    """Centroid and area for each commune: by code when the names agree, else by name (unique
    within the province, among the units no other commune took). Also returns the counts and
    the ward-code translation (vietnamadminunits -> store) the match implies."""
    units = _admin_units(
        "admin_units", ["provinceCode", "ward", "wardCode", "wardLat", "wardLon", "wardAreaKm2"]
    )
    by_code = {u["wardCode"]: u for u in units}
    rows = list(frame.select("commune_code", "commune_name", "province_code").iter_rows())
    chosen: dict[str, dict] = {}
    for code, name, province in rows:
        unit = by_code.get(code)
        if unit and unit["provinceCode"] == province and fold(unit["ward"]) == fold(name):
            chosen[code] = unit
    by_code_count = len(chosen)
    taken = {unit["wardCode"] for unit in chosen.values()}
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for unit in units:
        if unit["wardCode"] not in taken:
            by_name[(unit["provinceCode"], fold(unit["ward"]))].append(unit)
    left = [(code, (province, fold(name))) for code, name, province in rows if code not in chosen]
    wanted = Counter(key for _, key in left)
    for code, key in left:
        candidates = by_name.get(key, [])
        if len(candidates) == 1 and wanted[key] == 1:
            chosen[code] = candidates[0]
    translation = {unit["wardCode"]: code for code, unit in chosen.items()}

    picked = [chosen.get(code) for code, _, _ in rows]
    matched = {
        "communes_matched_by_code": by_code_count,
        "communes_matched_by_name": len(chosen) - by_code_count,
        "communes_unmatched": len(rows) - len(chosen),
    }
    return (
        [u["wardLat"] if u else None for u in picked],
        [u["wardLon"] if u else None for u in picked],
        [u["wardAreaKm2"] if u else None for u in picked],
        matched,
        translation,
    )


def approximate_cells(
    province: np.ndarray, lon: np.ndarray, lat: np.ndarray, area_km2: np.ndarray
) -> list[str | None]:
    """One approximate cell per commune as GeoJSON text (None without a centroid).

    Voronoi on the centroids of each province, in a plane scaled by cos(latitude) so cells are
    not stretched east-west, cut to the province's widened centroid hull and to a disc sized by
    the commune's area. Coordinates are rounded to 5 decimals (about 1 m).
    """
    cells: list[str | None] = [None] * len(province)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    area = np.asarray(area_km2, dtype=float)
    known = ~(np.isnan(lon) | np.isnan(lat))
    for code in np.unique(province):
        index = np.flatnonzero((province == code) & known)
        if index.size == 0:
            continue
        lat0 = float(lat[index].mean())
        scale = math.cos(math.radians(lat0))
        xy = np.column_stack((lon[index] * scale, lat[index]))
        xy = _separate_duplicates(xy)
        sizes = area[index]
        typical = float(np.nanmedian(sizes)) if np.isfinite(sizes).any() else 20.0
        sizes = np.where(np.isfinite(sizes) & (sizes > 0), sizes, typical)

        points = shapely.points(xy)
        hull = shapely.convex_hull(shapely.multipoints(points)).buffer(
            max(_HULL_MARGIN * math.sqrt(typical) / _KM_PER_DEG, _MIN_RADIUS_DEG)
        )
        radius = np.maximum(_DISC_FACTOR * np.sqrt(sizes / math.pi) / _KM_PER_DEG, _MIN_RADIUS_DEG)
        discs = shapely.buffer(points, radius, quad_segs=4)
        if index.size == 1:
            voronoi = np.array([hull])
        else:
            voronoi = shapely.get_parts(
                shapely.voronoi_polygons(
                    shapely.multipoints(points), extend_to=hull.envelope, ordered=True
                )
            )
        shapes = shapely.intersection(shapely.intersection(voronoi, hull), discs)
        for i, shape in zip(index, shapes, strict=True):
            cells[i] = _geojson(shape, scale)
    return cells


def _separate_duplicates(xy: np.ndarray) -> np.ndarray:
    """Nudge repeated centroids apart (a few metres) so each keeps its own Voronoi cell."""
    if len(np.unique(xy, axis=0)) == len(xy):
        return xy
    xy = xy.copy()
    seen: dict[tuple[float, float], int] = {}
    for i, point in enumerate(map(tuple, xy)):
        k = seen.get(point, 0)
        seen[point] = k + 1
        if k:
            xy[i] += (1e-4 * k, 1e-4 * k)
    return xy


def _geojson(shape: shapely.Geometry, scale: float) -> str | None:
    """GeoJSON text of the largest polygon of `shape`, back in lon/lat, rounded."""
    if shape is None or shape.is_empty:
        return None
    polygon = max(shapely.get_parts(shape), key=lambda part: part.area)
    if polygon.geom_type != "Polygon":
        return None
    ring = np.asarray(polygon.exterior.coords)
    ring = np.column_stack((ring[:, 0] / scale, ring[:, 1])).round(_COORD_DECIMALS)
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = (np.diff(ring, axis=0) != 0).any(axis=1)
    ring = ring[keep]
    if len(ring) < 4:
        return None
    coordinates = [[float(x), float(y)] for x, y in ring]
    return json.dumps({"type": "Polygon", "coordinates": [coordinates]}, separators=(",", ":"))


@cache
def _old_units() -> pl.DataFrame:
    """Every pre-2025 ward (and ward-less island district) -> the new commune(s) it went into.

    Built from vietnamadminunits' converter tables in bulk: wards kept whole map to one commune;
    a ward split across several new communes gets one row per commune, flagged is_split.
    """
    from vietnamadminunits.converter.converter_2025 import converter_data

    legacy = _admin_units(
        "admin_units_legacy",
        ["province", "district", "ward", "wardCode", "provinceKey", "districtKey", "wardKey"],
    )
    old = {f"{u['provinceKey']}_{u['districtKey']}_{u['wardKey'] or ''}": u for u in legacy}
    new_units = _admin_units("admin_units", ["provinceKey", "wardKey", "wardCode"])
    _, _, translate = _communes()
    new_code = {(u["provinceKey"], u["wardKey"]): translate.get(u["wardCode"]) for u in new_units}

    rows: list[tuple] = []

    def add(old_key: str, commune_code: str | None, is_split: bool) -> None:
        unit = old.get(old_key)
        if unit is None or commune_code is None:
            return
        rows.append(
            (
                unit["province"],
                unit["district"],
                unit["ward"],
                unit["wardCode"],
                commune_code,
                is_split,
            )
        )

    for province_key, wards in converter_data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, new_code.get((province_key, ward_key)), False)
    for province_key, splits in converter_data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, targets in splits.items():
            codes = {new_code.get((province_key, t["newWardKey"])) for t in targets}
            for code in sorted(c for c in codes if c):
                add(old_key, code, len(codes) > 1)
    return pl.DataFrame(
        rows,
        schema={
            "old_province": pl.String,
            "old_district": pl.String,
            "old_ward": pl.String,
            "old_ward_code": pl.String,
            "commune_code": pl.String,
            "is_split": pl.Boolean,
        },
        orient="row",
    ).sort("old_ward_code", "commune_code", nulls_last=True)


@cache
def _procedures() -> pl.DataFrame:
    """The committed catalogue, checked: unique codes, known service levels and statuses."""
    with PROCEDURES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [r["procedure_code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{PROCEDURES_CSV}: duplicate procedure codes")
    for row in rows:
        if row["service_level"] not in ("full", "partial", "info"):
            raise ValueError(f"{row['procedure_code']}: bad service_level {row['service_level']!r}")
        if row["code_status"] not in ("verified", "uncertain"):
            raise ValueError(f"{row['procedure_code']}: bad code_status {row['code_status']!r}")
    return pl.DataFrame(
        {
            "procedure_code": codes,
            "procedure_name": [_clean(r["procedure_name"]) for r in rows],
            "field_name": [r["field_name"] for r in rows],
            "service_level": [r["service_level"] for r in rows],
            "statutory_days": [
                float(r["statutory_days"]) if r["statutory_days"] else None for r in rows
            ],
            "has_fee": [r["has_fee"] == "true" for r in rows],
            "fee_note": [r["fee_note"] or None for r in rows],
            "is_land": [r["is_land"] == "true" for r in rows],
            "code_status": [r["code_status"] for r in rows],
        },
        schema_overrides={"statutory_days": pl.Float64},
    )
