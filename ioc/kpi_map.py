"""Data of the Bản đồ chỉ số page: one KPI per commune over the commune cells, as GeoJSON
features carrying their fill colour and the figures the hover shows. The deck itself is built by
ioc.maps (the one offline deck builder)."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from ioc import charts, config, kpi
from ioc.i18n import fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.store import run_query

# KPIs the map can show (an allowlist: the widget value picks one of these columns)
METRICS = (
    "score",
    "online_rate",
    "end_to_end_rate",
    "on_time_rate",
    "progress_rate",
    "online_payment_rate",
    "digitized_rate",
    "received",
    "open_overdue",
)
RATE_METRICS = {m for m in METRICS if m.endswith("_rate")}
TARGETED = {"online_rate", "end_to_end_rate", "on_time_rate"}
LOW, HIGH = (198, 219, 239), (8, 69, 148)  # light to dark blue for untargeted figures
NO_DATA = (189, 189, 189)


def _hex_rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def _ramp(share: float) -> list[int]:
    return [round(a + (b - a) * share) for a, b in zip(LOW, HIGH, strict=True)]


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
    ranking = kpi.commune_ranking(con, period, province, field)
    cells = run_query(con, "commune_cells", province=province).filter(
        pl.col("geometry").is_not_null()
    )
    frame = cells.select("commune_code", "geometry").join(ranking, on="commune_code", how="left")
    values = frame[metric].drop_nulls()
    low, high = (values.min(), values.max()) if values.len() else (0, 0)
    features = []
    for row in frame.iter_rows(named=True):
        value = row[metric]
        if value is None:
            fill = NO_DATA
        elif metric in TARGETED:
            fill = _hex_rgb(charts.LIGHT_COLOURS[row[f"light_{metric}"] or "none"])
        else:
            fill = _ramp((value - low) / (high - low) if high > low else 1.0)
        label = (
            fmt_pct(value, lang)
            if metric in RATE_METRICS
            else fmt_number(value, lang, 1 if metric == "score" else 0)
        )
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(row["geometry"]),
                "properties": {
                    "commune_code": row["commune_code"],
                    "name": row["commune_name"],
                    "metric": t(f"kpi.{metric}", lang),
                    "value": value,
                    "label": label,
                    "rank": row["rank"],
                    "score": fmt_number(row["score"], lang, 1),
                    "online": fmt_pct(row["online_rate"], lang),
                    "end_to_end": fmt_pct(row["end_to_end_rate"], lang),
                    "received": fmt_number(row["received"], lang),
                    "fill": [*fill, 200],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
