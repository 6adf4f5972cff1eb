"""Plotly figures shared by the pages. Every chart of a targeted rate draws its target line."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ioc.i18n import t

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
SERIES_COLOURS = ("#1565c0", "#6a1b9a", "#00897b", "#ef6c00")


def rate_trend(
    frame: pl.DataFrame,
    x: str,
    rates: list[str],
    targets: dict[str, float | None],
    lang: str = "vi",
) -> go.Figure:
    """Lines of rates (0..1) over x with a dashed target line per targeted rate."""
    fig = go.Figure()
    for colour, rate in zip(SERIES_COLOURS, rates, strict=False):
        fig.add_trace(
            go.Scatter(
                x=frame[x].to_list(),
                y=frame[rate].to_list(),
                name=t(f"kpi.{rate}", lang),
                mode="lines",
                line={"color": colour, "width": 2},
            )
        )
        target = targets.get(rate)
        if target is not None:
            fig.add_hline(
                y=target,
                line={"color": colour, "dash": "dash", "width": 1},
                annotation_text=f"{t('kpi.target', lang)} {target:.0%}",
                annotation_position="top left",
            )
    fig.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, 1]},
        xaxis={"tickformat": "%d/%m/%Y"},
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=360,
    )
    return fig


def light_bars(counts: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """Stacked bars: communes green / amber / red / no data for each targeted rate."""
    fig = go.Figure()
    for colour in ("green", "amber", "red", "none"):
        part = counts.filter(pl.col("light") == colour)
        fig.add_trace(
            go.Bar(
                y=[t(f"kpi.{m}", lang) for m in part["metric"]],
                x=part["communes"].to_list(),
                name=t(f"light.{colour}", lang),
                orientation="h",
                marker_color=LIGHT_COLOURS[colour],
            )
        )
    fig.update_layout(
        barmode="stack",
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=260,
    )
    return fig
