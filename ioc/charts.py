"""Plotly figures shared by the pages. Every chart of a targeted rate draws its target line."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ioc.i18n import t

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
SERIES_COLOURS = ("#1565c0", "#6a1b9a", "#00897b", "#ef6c00")
NAME_CHARS = 32  # a procedure's name on a chart axis, at most


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
    # Readable at 390 px (issue 23): at most 5 date ticks, the legend below in small type.
    fig.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, 1], "nticks": 6},
        xaxis={"tickformat": "%d/%m/%Y", "nticks": 5},
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.15, "yanchor": "top", "font": {"size": 11}},
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


def commune_bars(
    frame: pl.DataFrame,
    rate: str,
    target: float | None,
    light_column: str | None = None,
    lang: str = "vi",
) -> go.Figure:
    """One bar per commune (commune_name, rate 0..1), coloured by its traffic light column, with
    the target line; communes without a rate are left out."""
    frame = frame.filter(pl.col(rate).is_not_null()).sort(rate, descending=True)
    lights = frame[light_column].to_list() if light_column else [None] * frame.height
    colours = [LIGHT_COLOURS[x or "none"] for x in lights]
    fig = go.Figure(
        go.Bar(
            x=frame["commune_name"].to_list(),
            y=frame[rate].to_list(),
            marker_color=colours,
            name=t(f"kpi.{rate}", lang),
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": "#263238", "dash": "dash", "width": 1.5},
            annotation_text=f"{t('kpi.target', lang)} {target:.0%}",
            annotation_position="top right",
        )
    fig.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, 1]},
        xaxis={"showticklabels": frame.height <= 40, "tickangle": -45},
        separators=",." if lang == "vi" else ".,",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=360,
        showlegend=False,
    )
    return fig


def trend_vs_median(
    frame: pl.DataFrame,
    x: str,
    rates: list[str],
    targets: dict[str, float | None],
    lang: str = "vi",
) -> go.Figure:
    """A commune's rates (solid) against the city median of the same rate (dotted, column
    city_median_<rate>) over x, with the target lines."""
    fig = rate_trend(frame, x, rates, targets, lang)
    for colour, rate in zip(SERIES_COLOURS, rates, strict=False):
        fig.add_trace(
            go.Scatter(
                x=frame[x].to_list(),
                y=frame[f"city_median_{rate}"].to_list(),
                name=f"{t(f'kpi.{rate}', lang)} · {t('chart.city_median', lang)}",
                mode="lines",
                line={"color": colour, "width": 1.5, "dash": "dot"},
            )
        )
    fig.update_traces(mode="lines+markers", selector={"mode": "lines"})
    return fig


def hourly_flow(frame: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """Bars of today's received and resolved per hour, lines of the usual for this weekday/hour."""
    fig = go.Figure()
    hours = [f"{h:02d}h" for h in frame["hour"]]
    for colour, name in zip(SERIES_COLOURS, ("received", "resolved"), strict=False):
        fig.add_trace(
            go.Bar(
                x=hours,
                y=frame[name].to_list(),
                name=t(f"live.{name}", lang),
                marker_color=colour,
                opacity=0.85,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=hours,
                y=frame[f"usual_{name}"].to_list(),
                name=t(f"live.usual_{name}", lang),
                mode="lines",
                line={"color": colour, "dash": "dash", "width": 2, "shape": "hvh"},
            )
        )
    fig.update_layout(
        barmode="group",
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=340,
    )
    return fig


def procedure_mix(mix: pl.DataFrame, lang: str = "vi", top: int = 12) -> go.Figure:
    """Horizontal bars of received dossiers per procedure (the top ones, the rest as one bar)."""
    head = mix.head(top)
    full = head["procedure_name"].to_list()
    # long names would take a phone's whole width: cut on the axis, whole in the hover text
    names = [n if len(n) <= NAME_CHARS else n[: NAME_CHARS - 1] + "…" for n in full]
    values = head["received"].to_list()
    rest = mix["received"].sum() - sum(values)
    if rest > 0:
        names.append(t("chart.other_procedures", lang))
        full.append(names[-1])
        values.append(rest)
    fig = go.Figure(
        go.Bar(
            y=names[::-1],
            x=values[::-1],
            customdata=full[::-1],
            orientation="h",
            marker_color=SERIES_COLOURS[0],
            hovertemplate="%{customdata}: %{x:,}<extra></extra>",
        )
    )
    fig.update_layout(
        separators=",." if lang == "vi" else ".,",
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=max(260, 28 * len(names)),
        yaxis={"automargin": True},
    )
    return fig
