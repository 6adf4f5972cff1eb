"""The one offline pydeck deck builder used by every map of the dashboard.

Deployments run on closed networks, so a deck never asks a CDN for a map style: it is built with
`map_provider=None`, which pydeck serialises as the `__MAP_STYLE__` sentinel that Streamlit's
frontend drops instead of substituting its default Carto style. The commune cells drawn by the
callers are the base layer. A tile basemap is opt-in: IOC_MAP_TILES set to a raster tile URL
template (`http://tiles.local/{z}/{x}/{y}.png`) or to a MapLibre style JSON URL on the local network.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

# Hanoi's centre: the fallback view when there is nothing to frame.
DEFAULT_CENTER = (105.85, 21.03)
DEFAULT_ZOOM = 9.0
LINE_COLOUR = [90, 90, 90, 200]
HIGHLIGHT_COLOUR = [255, 215, 0, 160]
TOOLTIP_STYLE = {
    "backgroundColor": "rgba(33, 37, 41, 0.92)",
    "color": "white",
    "fontSize": "13px",
    "padding": "6px 8px",
}
_TILE_SIZE = 256  # pixels of a raster basemap tile image
# Width of the whole world in screen pixels at zoom 0 in deck.gl's web-mercator viewport (math.gl's
# TILE_SIZE; Mapbox and MapLibre use the same): a zoom computed with 256 frames twice too close.
WORLD_PX_AT_ZOOM_0 = 512


def tile_setting() -> str | None:
    """The configured basemap (IOC_MAP_TILES), or None: no basemap, the default."""
    value = os.environ.get("IOC_MAP_TILES", "").strip()
    return value or None


def basemap_style(tiles: str | None) -> str | None:
    """MapLibre style for a configured basemap: a style URL as is, a raster tile template inlined.

    Streamlit only passes a style as a string, so a raster template is wrapped in a one-source
    style carried by a data: URL (MapLibre fetches it without touching the network).
    """
    if not tiles:
        return None
    if "{z}" not in tiles:
        return tiles
    style = {
        "version": 8,
        "sources": {"tiles": {"type": "raster", "tiles": [tiles], "tileSize": _TILE_SIZE}},
        "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}],
    }
    return "data:application/json," + quote(json.dumps(style, separators=(",", ":")))


def view_state(lon: float, lat: float, zoom: float) -> pdk.ViewState:
    """A flat (no pitch) view centred on lon/lat."""
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0, bearing=0)


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(
    bounds: Sequence[float] | None,
    width_px: int = 900,
    height_px: int = 560,
    padding: float = 0.1,
    max_zoom: float = 18.0,
) -> pdk.ViewState:
    """The view framing bounds (min_lon, min_lat, max_lon, max_lat) in a width x height canvas."""
    if not bounds or any(v is None for v in bounds):
        return view_state(*DEFAULT_CENTER, DEFAULT_ZOOM)
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span = max(max_lon - min_lon, 1e-6) * (1 + 2 * padding)
    y_span = max(_mercator_y(max_lat) - _mercator_y(min_lat), 1e-8) * (1 + 2 * padding)
    # At zoom z the world is 512 * 2**z pixels wide: 360 degrees, or 2*pi in mercator y.
    zoom_x = math.log2(width_px * 360 / (lon_span * WORLD_PX_AT_ZOOM_0))
    zoom_y = math.log2(height_px * 2 * math.pi / (y_span * WORLD_PX_AT_ZOOM_0))
    centre_y = (_mercator_y(max_lat) + _mercator_y(min_lat)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    zoom = max(min(zoom_x, zoom_y, max_zoom), 0.0)
    return view_state((min_lon + max_lon) / 2, centre_lat, round(zoom, 2))


def geojson_bounds(collection: dict) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) of a GeoJSON FeatureCollection, None when empty."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for item in coords or ():
                walk(item)

    for feature in collection.get("features", ()):
        geometry = feature.get("geometry") or {}
        walk(geometry.get("coordinates"))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def geojson_layer(
    layer_id: str,
    data: dict | Iterable[dict],
    *,
    fill: str | Sequence[int] = "properties.fill",
    line: str | Sequence[int] = LINE_COLOUR,
    line_width_px: float = 1.0,
    filled: bool = True,
    pickable: bool = True,
) -> pdk.Layer:
    """A polygon layer: fill/line are colours or accessors over the feature (`properties.fill`)."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=data,
        filled=filled,
        stroked=True,
        get_fill_color=fill,
        get_line_color=line,
        # widths in metres floored in pixels: `*_units="pixels"` draws every shape over the whole
        # canvas in Streamlit's deck.gl under software WebGL (seen in the browser test)
        get_line_width=0,
        line_width_min_pixels=line_width_px,
        pickable=pickable,
        auto_highlight=pickable,
        highlight_color=HIGHLIGHT_COLOUR,
    )


def point_layer(
    layer_id: str,
    rows: list[dict],
    *,
    colour: Sequence[int] = HIGHLIGHT_COLOUR,
    radius_px: float = 8.0,
    pickable: bool = False,
) -> pdk.Layer:
    """Circles at rows' lon/lat (a search hit's marker, visible even when its polygon is tiny)."""
    return pdk.Layer(
        "ScatterplotLayer",
        id=layer_id,
        data=rows,
        get_position=["lon", "lat"],
        get_fill_color=list(colour),
        get_line_color=[0, 0, 0, 255],
        stroked=True,
        get_radius=0,
        radius_min_pixels=radius_px,
        line_width_min_pixels=2,
        pickable=pickable,
    )


class CompactDeck(pdk.Deck):
    """A Deck whose JSON (what st.pydeck_chart sends) has no indentation and keeps UTF-8 text.

    pydeck indents by two spaces and escapes Vietnamese letters, which triples a parcel layer's
    payload (0.53 MB against 0.14 MB for 400 parcels in benchmarks/bench_land.py)."""

    def to_json(self) -> str:
        written = self.__dict__.get("_written_json")
        if written is not None:
            return written
        return json.dumps(
            self,
            sort_keys=True,
            default=default_serialize,
            separators=(",", ":"),
            ensure_ascii=False,
        )

    def written(self) -> CompactDeck:
        """This deck with its JSON written once, for a deck shared by many sessions (ui.shared):
        st.pydeck_chart asks for the JSON on every view, and writing a city's commune cells was
        about 4 ms of each (issue 21). The deck must not change afterwards."""
        self.__dict__["_written_json"] = None
        self.__dict__["_written_json"] = self.to_json()
        return self


def deck(
    layers: list[pdk.Layer],
    view: pdk.ViewState,
    tooltip_html: str | None = None,
    tiles: str | None = None,
) -> CompactDeck:
    """An offline deck: no basemap unless `tiles` (default: the IOC_MAP_TILES setting) is set.

    tooltip_html is a template over the hovered feature's properties (`{name}`), shown by
    Streamlit's own tooltip renderer.
    """
    style = basemap_style(tiles if tiles is not None else tile_setting())
    tooltip = {"html": tooltip_html, "style": TOOLTIP_STYLE} if tooltip_html else False
    if style is None:
        return CompactDeck(
            layers=layers, initial_view_state=view, map_provider=None, tooltip=tooltip
        )
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        map_style=style,
        tooltip=tooltip,
    )


def hex_rgb(colour: str) -> list[int]:
    """'#2e7d32' as [46, 125, 50]."""
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def legend_html(pairs: Iterable[tuple[str, str]]) -> str:
    """(hex colour, label) pairs as lines of colour swatches, for st.markdown(...,
    unsafe_allow_html=True); labels come from ioc/i18n.py and are escaped all the same."""
    return "  \n".join(
        f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'border:1px solid #777"></span> {html.escape(label)}'
        for colour, label in pairs
    )


def payload_bytes(the_deck: pdk.Deck) -> int:
    """Size of the JSON Streamlit sends to the browser for this deck."""
    return len(the_deck.to_json().encode("utf-8"))


def feature(geometry: str, properties: dict, feature_id: str | None = None) -> dict:
    """A GeoJSON Feature from stored GeoJSON geometry text; `feature_id` lets a pydeck click name
    what it picked.

    Text properties are HTML-escaped: the deck's tooltip is an HTML template the browser fills with
    them, and a name from a file must show as text (`<img src=x onerror=…>` too). A click handler
    reading a text property back takes html.unescape() of it.
    """
    properties = {k: html.escape(v) if isinstance(v, str) else v for k, v in properties.items()}
    item = {"type": "Feature", "geometry": _geometry(geometry), "properties": properties}
    if feature_id is not None:
        item["id"] = feature_id
    return item


@lru_cache(maxsize=8192)
def _geometry(text: str) -> dict:
    """Stored GeoJSON geometry text parsed once: commune cells are the same on every page run.
    The dict is shared between features and never changed."""
    return json.loads(text)
