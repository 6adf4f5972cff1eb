"""Data of the Bản đồ chỉ số page: one KPI per commune over the commune cells, as GeoJSON
features carrying their fill colour and the figures the hover shows. The deck itself is built by
ioc.maps (the one offline deck builder)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl
import pydeck as pdk

from ioc import charts, config, kpi, maps, metrics
from ioc.i18n import fmt_kpi, fmt_number, fmt_pct, t
from ioc.kpi import Period

# KPIs the map can show (an allowlist: the widget value picks one of these columns)
METRICS = metrics.names(place=metrics.MAP)
RATE_METRICS = set(metrics.names(kind="rate"))
TARGETED = set(kpi.TARGETED_RATES)
LOW, HIGH = (198, 219, 239), (8, 69, 148)  # light to dark blue for untargeted figures
NO_DATA = (189, 189, 189)
LAYER_ID = "communes"
MAP_WIDTH_PX, MAP_HEIGHT_PX = 900, 600
# Same cap as the land map's city view: past zoom 12 software WebGL drops far shapes.
MAX_ZOOM = 11.5
RAMP_STEPS = 5
# what a feature is built from: the hover's figures (the metric and its light are added)
HOVER_COLUMNS = [
    "commune_code",
    "commune_name",
    "geometry",
    "rank",
    "score",
    "online_rate",
    "end_to_end_rate",
    "received",
]


def _ramp(share: float) -> list[int]:
    return [round(a + (b - a) * share) for a, b in zip(LOW, HIGH, strict=True)]


def _light_column(metric: str) -> list[str]:
    return [f"light_{metric}"] if metric in TARGETED else []


def _label(metric: str, value: float | None, lang: str) -> str:
    return fmt_kpi(metric, value, lang)


def map_features(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    metric: str,
    province: str = config.DEFAULT_PROVINCE,
    field: str | None = None,
    lang: str = "vi",
) -> dict:
    """A GeoJSON FeatureCollection of the province's commune cells (those with a geometry).

    Each feature's properties: commune_code, name, value (the KPI, null when undefined), label
    (formatted value), rank, score and online / end-to-end labels for the hover, and fill
    [r, g, b, a]: the traffic-light colour against the commune's target in force for a targeted
    rate, else a blue ramp from the lowest to the highest value; grey without data.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    # ranked over all the province's communes, drawn where a cell exists
    frame = (
        kpi.commune_ranking(
            con,
            period,
            province,
            field,
            communes_query="commune_cells",
            voice=metrics.uses_voice(metric),  # the hover shows no voice figure
        )
        .filter(pl.col("geometry").is_not_null())
        .sort("commune_code")
        .select(*dict.fromkeys([*HOVER_COLUMNS, metric, *_light_column(metric)]))
    )
    values = frame[metric].drop_nulls()
    low, high = (values.min(), values.max()) if values.len() else (0, 0)
    features = []
    for row in frame.iter_rows(named=True):
        value = row[metric]
        if value is None:
            fill = NO_DATA
        elif metric in TARGETED:
            fill = maps.hex_rgb(charts.LIGHT_COLOURS[row[f"light_{metric}"] or "none"])
        else:
            fill = _ramp((value - low) / (high - low) if high > low else 1.0)
        properties = {
            "commune_code": row["commune_code"],
            "name": row["commune_name"],
            "metric": t(f"kpi.{metric}", lang),
            "value": value,
            "label": _label(metric, value, lang),
            "rank": row["rank"],
            "rank_label": "—" if row["rank"] is None else str(row["rank"]),
            "score": fmt_number(row["score"], lang, 1),
            "online": fmt_pct(row["online_rate"], lang),
            "end_to_end": fmt_pct(row["end_to_end_rate"], lang),
            "received": fmt_number(row["received"], lang),
            "fill": [*fill, 200],
        }
        features.append(maps.feature(row["geometry"], properties, row["commune_code"]))
    return {
        "type": "FeatureCollection",
        "features": features,
        "metric": metric,
        "low": low if values.len() else None,
        "high": high if values.len() else None,
    }


def _hex(rgb: list[int] | tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def legend(collection: dict, lang: str = "vi") -> list[tuple[str, str]]:
    """(hex colour, label) pairs explaining the fills of a map_features() collection: the traffic
    lights for a targeted rate, else the blue ramp from the lowest to the highest value."""
    metric, low, high = collection["metric"], collection["low"], collection["high"]
    if metric in TARGETED:
        pairs = [
            (charts.LIGHT_COLOURS[light], t(f"light.{light}", lang))
            for light in ("green", "amber", "red")
        ]
        pairs.append((charts.LIGHT_COLOURS["none"], t("kpi_map.no_target", lang)))
    elif low is None:
        pairs = []
    elif high <= low:
        pairs = [(_hex(HIGH), _label(metric, high, lang))]
    else:
        steps = [i / (RAMP_STEPS - 1) for i in range(RAMP_STEPS)]
        pairs = [(_hex(_ramp(s)), _label(metric, low + (high - low) * s, lang)) for s in steps]
    return [*pairs, (_hex(NO_DATA), t("light.none", lang))]


def deck(collection: dict, commune: str | None = None, lang: str = "vi") -> pdk.Deck:
    """The choropleth (no basemap): one pickable cell per commune with its figures in the hover;
    the commune chosen in the filter outlined on top."""
    tooltip = (
        "<b>{name}</b><br/>{metric}: <b>{label}</b><br/>"
        + t("kpi_map.tip.rank", lang)
        + ": {rank_label}<br/>"
        + t("kpi.received", lang)
        + ": {received}<br/>"
        + t("kpi_map.tip.score", lang)
        + ": {score}<br/>"
        + t("kpi.online_rate", lang)
        + ": {online}<br/>"
        + t("kpi.end_to_end_rate", lang)
        + ": {end_to_end}"
    )
    return commune_deck(collection, tooltip, commune)


def commune_deck(collection: dict, tooltip: str, commune: str | None = None) -> pdk.Deck:
    """The offline deck of a commune collection (features with `properties.fill` and the
    commune code as id): one pickable cell per commune with `tooltip` (a template over the
    properties) on hover, the chosen commune outlined on top, framed on the cells. Shared by
    this map and the capacity projection map (ioc/capacity_ui.py)."""
    features = collection["features"]
    layers = [maps.geojson_layer(LAYER_ID, {"type": "FeatureCollection", "features": features})]
    chosen = [f for f in features if f["id"] == commune]
    if chosen:
        layers.append(
            maps.geojson_layer(
                "chosen",
                {"type": "FeatureCollection", "features": chosen},
                filled=False,
                line=maps.HIGHLIGHT_COLOUR[:3] + [255],
                line_width_px=3.0,
                pickable=False,
            )
        )
    view = maps.fit_view(
        maps.geojson_bounds(collection), MAP_WIDTH_PX, MAP_HEIGHT_PX, max_zoom=MAX_ZOOM
    )
    return maps.deck(layers, view, tooltip)


@dataclass(frozen=True)
class MapView:
    """The map of one metric as shown: the deck (its JSON written once), the legend's HTML; no
    deck when no commune has a cell."""

    deck: maps.CompactDeck | None
    legend_html: str


def map_view(collection: dict, commune: str | None = None, lang: str = "vi") -> MapView:
    """map_features' collection as the page shows it (built once per scope, metric and data
    version, ui.shared)."""
    if not collection["features"]:
        return MapView(None, "")
    return MapView(
        deck(collection, commune, lang).written(), maps.legend_html(legend(collection, lang))
    )


def picked_commune(event: dict | None) -> str | None:
    """The commune code picked in st.pydeck_chart's selection state (a dict), or None."""
    objects = ((event or {}).get("selection") or {}).get("objects") or {}
    for feature in objects.get(LAYER_ID) or ():
        code = feature.get("id") or (feature.get("properties") or {}).get("commune_code")
        if code:
            return code
    return None
