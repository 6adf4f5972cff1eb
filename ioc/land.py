"""Data of the Bản đồ đất đai page: the city view (communes with land aggregates), the commune view
(that commune's parcels, simplified for the zoom, with the state of their latest dossier), the
parcel search and the detail panel, and the decks drawing them.

Scale: the browser never gets every parcel. The city view sends ~126 commune cells; the commune
view sends one commune's parcels with geometry simplified to half a pixel of the zoom the commune is
framed at (DuckDB spatial's ST_SimplifyPreserveTopology, which never collapses a small parcel), with
coordinates as stored (on a 1e-6 / 1e-7 degree grid), so the JSON stays well under 5 MB. Parcels
are stored grouped by commune, which keeps the commune view's scan to a few row groups.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pydeck as pdk

from ioc import config, maps, store, writes
from ioc.i18n import fmt_number, t
from ioc.scope import Scope
from ioc.store import run_query
from ioc.workdays import next_working_day

# Circular 08/2024/TT-BTNMT land-use codes with a fill colour close to the cadastral map's legend
# (names are in ioc/i18n.py as land.use.<CODE>); any other code is drawn grey as "other".
LAND_USE_COLOURS: dict[str, tuple[int, int, int]] = {
    "ODT": (255, 128, 192),
    "ONT": (255, 190, 230),
    "LUC": (255, 240, 100),
    "LUK": (240, 250, 160),
    "HNK": (255, 220, 140),
    "CLN": (200, 230, 120),
    "RSX": (110, 190, 110),
    "RPH": (60, 150, 90),
    "NTS": (140, 210, 250),
    "TMD": (240, 100, 90),
    "SKC": (200, 120, 200),
    "DGT": (200, 170, 130),
    "DTL": (90, 170, 230),
    "DGD": (255, 160, 80),
    "DYT": (230, 60, 60),
    "TSC": (200, 80, 120),
    "NTD": (160, 160, 160),
    "BCS": (225, 225, 210),
}
OTHER_USE_COLOUR = (200, 200, 200)
STATES = ("none", "processing", "due_soon", "overdue", "done")
STATE_COLOURS: dict[str, tuple[int, int, int]] = {
    "none": (215, 215, 215),
    "processing": (66, 133, 244),
    "due_soon": (255, 170, 0),
    "overdue": (220, 40, 40),
    "done": (50, 160, 80),
}
COLOUR_MODES = ("land_use", "state")
FILL_ALPHA = 190
# Commune cells at city zoom: white to red by overdue land dossiers.
CELL_LOW, CELL_HIGH = (245, 245, 240), (200, 30, 30)
CITY_ZOOM = 9.0
CITY_MAX_ZOOM = 11.5
PARCEL_ZOOM = 18.0
SIMPLIFY_PIXELS = 0.5
MAP_WIDTH_PX, MAP_HEIGHT_PX = 900, 600


def ensure_spatial(con: duckdb.DuckDBPyConnection) -> None:
    """Load DuckDB's spatial extension, installing it first from the duckdb-extension-spatial
    package's own file (never from the network)."""
    try:
        con.execute("load spatial")
        return
    except duckdb.Error:
        pass
    import duckdb_extension_spatial

    folder = Path(duckdb_extension_spatial.__file__).parent / "extensions"
    files = sorted(folder.glob(f"v{duckdb.__version__}/spatial.duckdb_extension")) or sorted(
        folder.glob("*/spatial.duckdb_extension")
    )
    if not files:
        raise RuntimeError(f"no spatial extension file under {folder}")
    con.execute(f"install '{files[-1].as_posix()}'")
    con.execute("load spatial")


def degrees_per_pixel(zoom: float) -> float:
    """Degrees of longitude covered by one screen pixel at a web-mercator zoom."""
    return 360.0 / (maps.WORLD_PX_AT_ZOOM_0 * 2**zoom)


def grid_for(zoom: float) -> float:
    """Coordinate grid about a tenth of a pixel (a power of ten): shorter JSON, nothing visible."""
    return 10 ** math.floor(math.log10(degrees_per_pixel(zoom) / 10))


def _tolerance(zoom: float) -> float:
    return SIMPLIFY_PIXELS * degrees_per_pixel(zoom)


@writes.op
def refresh_cells(con: duckdb.DuckDBPyConnection, province: str, zoom: float) -> None:
    """Simplify the new or changed cells of a province for `zoom` and keep them in the store (on
    the lake the worker does it for an app replica, ioc/writes.py)."""
    ensure_spatial(con)
    with store.WRITE_LOCK:
        store.execute(
            con,
            "land_cells_refresh",
            province=province,
            zoom=zoom,
            tolerance=_tolerance(zoom),
            grid=grid_for(zoom),
        )


def city_view(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    province: str = config.DEFAULT_PROVINCE,
    zoom: float = CITY_ZOOM,
) -> pl.DataFrame:
    """One row per commune: parcels, area_m2, open_dossiers / overdue / due_soon (land dossiers
    open at as_of), lat/lon and the cell as GeoJSON text simplified for `zoom` (null without one).
    The simplified cells are kept in the store: only a new or changed cell loads the spatial
    extension (about half a second) to be simplified again."""

    def ask() -> pl.DataFrame:
        return run_query(
            con,
            "land_city",
            province=province,
            as_of=as_of,
            due_soon_until=next_working_day(as_of),
            zoom=zoom,
        )

    city = ask()
    if city["cell_stale"].any():
        try:
            refresh_cells(con, province, zoom)
        except writes.WritesUnavailable:  # an app replica without its worker: the old cells
            return city.drop("cell_stale")
        city = ask()
    return city.drop("cell_stale")


def commune_zoom(city: pl.DataFrame, commune: str) -> float:
    """The zoom at which the commune's cell fills the map (its parcels' simplification follows)."""
    row = city.filter(pl.col("commune_code") == commune)
    if row.height and row["geometry"][0]:
        bounds = maps.geojson_bounds({"features": [{"geometry": json.loads(row["geometry"][0])}]})
        return maps.fit_view(bounds, MAP_WIDTH_PX, MAP_HEIGHT_PX).zoom
    return 14.0


def commune_view(
    con: duckdb.DuckDBPyConnection,
    commune: str,
    as_of: date,
    zoom: float,
    land_use: str | None = None,
    state: str | None = None,
) -> pl.DataFrame:
    """The commune's parcels (optionally of one land-use code / dossier state) with their state and
    geometry simplified for `zoom`: parcel_id, map_sheet, parcel_no, area_m2, land_use_code,
    address, lon, lat, state, geometry."""
    if state is not None and state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    ensure_spatial(con)
    return run_query(
        con,
        "land_parcels",
        commune=commune,
        as_of=as_of,
        due_soon_until=next_working_day(as_of),
        land_use=land_use,
        state=state,
        map_sheet=None,
        parcel_no=None,
        tolerance=_tolerance(zoom),
    )


def find_parcel(
    con: duckdb.DuckDBPyConnection, commune: str, map_sheet: str, parcel_no: str, as_of: date
) -> dict | None:
    """The parcel at (commune, sheet, number) as typed, with its state and whole geometry; None
    when it does not exist or sheet / number are blank."""
    if not (map_sheet or "").strip() or not (parcel_no or "").strip():
        return None
    ensure_spatial(con)
    rows = run_query(
        con,
        "land_parcels",
        commune=commune,
        as_of=as_of,
        due_soon_until=next_working_day(as_of),
        land_use=None,
        state=None,
        map_sheet=map_sheet,
        parcel_no=parcel_no,
        tolerance=0.0,
    )
    return rows.row(0, named=True) if rows.height else None


def latest_dossier(
    con: duckdb.DuckDBPyConnection, scope: Scope, commune: str, map_sheet: str, parcel_no: str
) -> dict | None:
    """The parcel's latest dossier (procedure, status, dates, masked applicant) or None; raises
    ScopeError when the role may not see that commune's dossiers."""
    rows = run_query(
        con,
        "land_parcel_dossier",
        commune=scope.dossier_commune(commune),
        map_sheet=map_sheet,
        parcel_no=parcel_no,
    )
    return rows.row(0, named=True) if rows.height else None


def land_use_name(code: str | None, lang: str = "vi") -> str:
    """The Circular 08/2024 name of a code ("Loại đất khác (XYZ)" for codes without one)."""
    if code in LAND_USE_COLOURS:
        return t(f"land.use.{code}", lang)
    return t("land.use.other", lang, code=code or "?")


def _fill(rgb: tuple[int, int, int]) -> list[int]:
    return [*rgb, FILL_ALPHA]


def parcel_fill(row: dict, colour_by: str) -> list[int]:
    """Fill colour of a parcel: by land-use code, or by its latest dossier's state."""
    if colour_by == "state":
        return _fill(STATE_COLOURS[row["state"]])
    return _fill(LAND_USE_COLOURS.get(row["land_use_code"], OTHER_USE_COLOUR))


def area_label(area_m2: float | None, lang: str = "vi") -> str:
    return fmt_number(area_m2, lang, 1) + " m²" if area_m2 is not None else fmt_number(None)


def parcel_features(frame: pl.DataFrame, colour_by: str, lang: str = "vi") -> dict:
    """GeoJSON FeatureCollection of parcels with the properties the hover and the click need."""
    features = []
    for row in frame.iter_rows(named=True):
        if not row["geometry"]:
            continue
        properties = {
            "sheet": row["map_sheet"],
            "no": row["parcel_no"],
            "area": area_label(row["area_m2"], lang),
            "use": land_use_name(row["land_use_code"], lang),
            "state": t(f"land.state.{row['state']}", lang),
            "fill": parcel_fill(row, colour_by),
        }
        features.append(maps.feature(row["geometry"], properties))
    return {"type": "FeatureCollection", "features": features}


def _cell_fill(overdue: int, most: int) -> list[int]:
    share = overdue / most if most else 0.0
    return _fill(
        tuple(round(a + (b - a) * share) for a, b in zip(CELL_LOW, CELL_HIGH, strict=True))
    )


def city_features(city: pl.DataFrame, lang: str = "vi") -> dict:
    """GeoJSON FeatureCollection of the commune cells, shaded by overdue land dossiers."""
    most = int(city["overdue"].max() or 0) if city.height else 0
    features = []
    for row in city.iter_rows(named=True):
        if not row["geometry"]:
            continue
        properties = {
            "code": row["commune_code"],
            "name": row["commune_name"],
            "parcels": fmt_number(row["parcels"], lang),
            "area": fmt_number(row["area_m2"] / 10_000, lang, 1),
            "open": fmt_number(row["open_dossiers"], lang),
            "overdue": fmt_number(row["overdue"], lang),
            "fill": _cell_fill(row["overdue"], most),
        }
        features.append(maps.feature(row["geometry"], properties))
    return {"type": "FeatureCollection", "features": features}


def city_deck(city: pl.DataFrame, lang: str = "vi") -> pdk.Deck:
    """The city view: commune cells with their land aggregates in the hover."""
    cells = city_features(city, lang)
    tooltip = (
        "<b>{name}</b><br/>"
        + t("land.tip.parcels", lang)
        + ": {parcels}<br/>"
        + t("land.tip.area_ha", lang)
        + ": {area}<br/>"
        + t("land.tip.open", lang)
        + ": {open}<br/>"
        + t("land.tip.overdue", lang)
        + ": {overdue}"
    )
    # Capped below 12: past it deck.gl switches to offset coordinates, and software WebGL
    # (SwiftShader, common on office VMs) then drops shapes far from the centre (browser test).
    view = maps.fit_view(
        maps.geojson_bounds(cells), MAP_WIDTH_PX, MAP_HEIGHT_PX, max_zoom=CITY_MAX_ZOOM
    )
    return maps.deck([maps.geojson_layer("communes", cells)], view, tooltip)


def commune_deck(
    city: pl.DataFrame,
    commune: str,
    parcels: pl.DataFrame,
    colour_by: str,
    found: dict | None = None,
    fly: bool = False,
    lang: str = "vi",
) -> pdk.Deck:
    """The commune view: all commune boundaries as the base layer, the commune's parcels on top,
    and the found parcel outlined with a marker; framed on the commune, or flown to the parcel
    (fly: a search; a click keeps the framing so the user's pan is not reset)."""
    if colour_by not in COLOUR_MODES:
        raise ValueError(f"unknown colour mode {colour_by!r}")
    cells = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": json.loads(g), "properties": {}}
            for g in city["geometry"].drop_nulls().to_list()
        ],
    }
    own = city.filter(pl.col("commune_code") == commune)["geometry"].drop_nulls().to_list()
    layers = [
        maps.geojson_layer(
            "boundaries",
            cells,
            fill=[250, 250, 247, 255],
            line=[120, 120, 120, 255],
            pickable=False,
        ),
        maps.geojson_layer("parcels", parcel_features(parcels, colour_by, lang)),
    ]
    if found is not None:
        outline = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": json.loads(found["geometry"]), "properties": {}}
            ],
        }
        layers.append(
            maps.geojson_layer(
                "found",
                outline,
                filled=False,
                line=[0, 0, 0, 255],
                line_width_px=3,
                pickable=False,
            )
        )
        layers.append(
            maps.point_layer("found_marker", [{"lon": found["lon"], "lat": found["lat"]}])
        )
    if found is not None and fly:
        view = maps.view_state(found["lon"], found["lat"], PARCEL_ZOOM)
    elif own:
        bounds = maps.geojson_bounds({"features": [{"geometry": json.loads(own[0])}]})
        view = maps.fit_view(bounds, MAP_WIDTH_PX, MAP_HEIGHT_PX)
    else:
        bounds = (
            (parcels["lon"].min(), parcels["lat"].min(), parcels["lon"].max(), parcels["lat"].max())
            if parcels.height
            else None
        )
        view = maps.fit_view(bounds, MAP_WIDTH_PX, MAP_HEIGHT_PX)
    tooltip = (
        "<b>{use}</b><br/>"
        + t("land.tip.sheet_no", lang)
        + "<br/>{area}<br/>"
        + t("land.tip.state", lang)
        + ": {state}"
    )
    return maps.deck(layers, view, tooltip)


def commune_summary(parcels: pl.DataFrame, lang: str = "vi") -> dict:
    """Parcels, total area, parcels per state, and count and area per land-use code (largest area
    first) of the parcels shown."""
    by_use = (
        parcels.group_by("land_use_code")
        .agg(pl.len().alias("parcels"), pl.col("area_m2").sum().alias("area_m2"))
        .sort(["area_m2", "land_use_code"], descending=[True, False])
        .with_columns(
            pl.col("land_use_code")
            .map_elements(lambda c: land_use_name(c, lang), return_dtype=pl.String)
            .alias("name")
        )
    )
    states = dict(parcels.group_by("state").len().iter_rows())
    return {
        "parcels": parcels.height,
        "area_m2": float(parcels["area_m2"].sum() or 0.0),
        "states": {s: int(states.get(s, 0)) for s in STATES},
        "by_use": by_use,
    }


def city_summary(city: pl.DataFrame) -> dict:
    """City totals of the city view's aggregates."""
    return {
        name: int(city[name].sum() or 0) if name != "area_m2" else float(city[name].sum() or 0)
        for name in ("parcels", "area_m2", "open_dossiers", "overdue", "due_soon")
    }


def legend(colour_by: str, codes: list[str] | None = None, lang: str = "vi") -> list[tuple]:
    """(hex colour, label) pairs of the legend: the land-use codes shown, or the five states."""
    if colour_by == "state":
        pairs = [(STATE_COLOURS[s], t(f"land.state.{s}", lang)) for s in STATES]
    else:
        shown = codes if codes is not None else list(LAND_USE_COLOURS)
        pairs = [
            (LAND_USE_COLOURS.get(c, OTHER_USE_COLOUR), f"{c} · {land_use_name(c, lang)}")
            for c in shown
        ]
    return [("#{:02x}{:02x}{:02x}".format(*rgb), label) for rgb, label in pairs]


def by_use_table(by_use: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The summary's per-land-use rows with translated headers and vi/en formatted figures."""
    return pl.DataFrame(
        {
            t("land.detail.use", lang): [
                f"{c} · {n}" for c, n in zip(by_use["land_use_code"], by_use["name"], strict=True)
            ],
            t("land.sum.parcels", lang): [fmt_number(v, lang) for v in by_use["parcels"]],
            t("land.sum.area", lang): [fmt_number(v / 10_000, lang, 2) for v in by_use["area_m2"]],
        },
        schema={
            t("land.detail.use", lang): pl.String,
            t("land.sum.parcels", lang): pl.String,
            t("land.sum.area", lang): pl.String,
        },
    )
