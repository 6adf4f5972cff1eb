"""A slide's chart read out of its Plotly figure into plain data that the file formats draw
themselves: a native PowerPoint chart (pptx.py) and vector drawing in the PDF (pdf.py), so no
browser renders a picture for an export.

The slides draw with a small part of Plotly (ioc/charts.py, ioc/presentation.py): bars (vertical
or horizontal, grouped or stacked), lines over the same categories, dashed target lines (a
horizontal line shape with its annotation, or a dashed line trace) and, for the land slide, filled
commune outlines. Anything else is left out of the files with a note rather than drawn wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import plotly.graph_objects as go

from ioc.i18n import fmt_number

RGB = tuple[int, int, int]
PALETTE: tuple[RGB, ...] = ((21, 101, 192), (106, 27, 154), (0, 137, 123), (239, 108, 0))
TARGET_COLOUR: RGB = (38, 50, 56)
_RGB_TEXT = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)")


@dataclass
class Series:
    """One trace: bars or a line over the chart's categories (None where it has no value)."""

    name: str
    values: list[float | None]
    line: bool = False
    colour: RGB = PALETTE[0]
    point_colours: list[RGB] | None = None  # a bar's own colour (traffic lights)
    dashed: bool = False
    labels: list[str] | None = None  # text written on the bars
    legend: bool = True


@dataclass
class CategoryChart:
    """Bars and lines over categories. Values are as the axis shows them: a rate is in percent
    (0..100) with suffix "%"."""

    categories: list[str]
    series: list[Series]
    horizontal: bool = False
    stacked: bool = False
    value_title: str = ""
    category_title: str = ""
    suffix: str = ""
    decimals: int = 0
    value_range: tuple[float, float] | None = None

    @property
    def bars(self) -> list[Series]:
        return [s for s in self.series if not s.line]

    @property
    def lines(self) -> list[Series]:
        return [s for s in self.series if s.line]


@dataclass
class MapChart:
    """Filled outlines (x = longitude, y = latitude) with a colour scale legend."""

    polygons: list[tuple[list[tuple[float, float]], RGB]]
    points: list[tuple[float, float, float, RGB]]  # x, y, diameter in points, colour
    labels: list[tuple[float, float, str]]
    legend: dict = field(default_factory=dict)  # title, low, high, low_colour, high_colour


def colour_of(value, default: RGB = PALETTE[0]) -> RGB:
    """An RGB triple from '#rrggbb' / 'rgb(r, g, b)'; the default for anything else."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("#") and len(text) == 7:
            return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
        if m := _RGB_TEXT.match(text):
            return tuple(int(g) for g in m.groups())  # type: ignore[return-value]
    return default


def _category(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m")
    return str(value)


def _percent_axis(axis) -> bool:
    return "%" in (axis.tickformat or "")


def _axis_title(axis) -> str:
    return (axis.title.text or "") if axis.title is not None else ""


def chart_of(figure: go.Figure | None) -> CategoryChart | MapChart | None:
    """The figure as plain chart data, or None when it has nothing these formats draw."""
    if figure is None or not figure.data:
        return None
    if any(getattr(trace, "fill", None) == "toself" for trace in figure.data):
        return _map_of(figure)
    return _categories_of(figure)


def _categories_of(figure: go.Figure) -> CategoryChart | None:
    layout = figure.layout
    traces = [tr for tr in figure.data if tr.type in ("bar", "scatter")]
    if not traces:
        return None
    horizontal = any(tr.type == "bar" and tr.orientation == "h" for tr in traces)
    value_axis, category_axis = (
        (layout.xaxis, layout.yaxis)
        if horizontal
        else (
            layout.yaxis,
            layout.xaxis,
        )
    )
    scale = 100.0 if _percent_axis(value_axis) else 1.0
    suffix = "%" if scale == 100.0 else (value_axis.ticksuffix or "")

    def cats(trace) -> list:
        return list((trace.y if horizontal else trace.x) or [])

    def vals(trace) -> list:
        return list((trace.x if horizontal else trace.y) or [])

    categories: list = []
    for trace in traces:
        for c in cats(trace):
            if c not in categories:
                categories.append(c)
    position = {c: i for i, c in enumerate(categories)}
    series = []
    for i, trace in enumerate(traces):
        values: list[float | None] = [None] * len(categories)
        for c, v in zip(cats(trace), vals(trace), strict=False):
            values[position[c]] = None if v is None else float(v) * scale
        marker = getattr(trace, "marker", None)
        line = getattr(trace, "line", None)
        colour_value = (
            (marker.color if marker is not None else None)
            if trace.type == "bar"
            else (line.color if line is not None else None)
        )
        point_colours = None
        if isinstance(colour_value, list | tuple):
            point_colours = [PALETTE[0]] * len(categories)
            for c, col in zip(cats(trace), colour_value, strict=False):
                point_colours[position[c]] = colour_of(col)
            colour_value = None
        text = trace.text if trace.type == "bar" else None
        labels = None
        if isinstance(text, list | tuple) and text:
            labels = [""] * len(categories)
            for c, label in zip(cats(trace), text, strict=False):
                labels[position[c]] = str(label)
        series.append(
            Series(
                name=trace.name or "",
                values=values,
                line=trace.type == "scatter",
                colour=colour_of(colour_value, PALETTE[i % len(PALETTE)]),
                point_colours=point_colours,
                dashed=bool(line is not None and line.dash not in (None, "solid")),
                labels=labels,
                legend=trace.showlegend is not False and bool(trace.name),
            )
        )
    series += _target_lines(figure, len(categories), scale)
    value_range = None
    if value_axis.range is not None:
        low, high = value_axis.range
        value_range = (float(low) * scale, float(high) * scale)
    return CategoryChart(
        categories=[_category(c) for c in categories],
        series=series,
        horizontal=horizontal,
        stacked=layout.barmode in ("stack", "relative"),
        value_title=_axis_title(value_axis),
        category_title=_axis_title(category_axis),
        suffix=suffix,
        value_range=value_range,
    )


def _target_lines(figure: go.Figure, n: int, scale: float) -> list[Series]:
    """add_hline's shapes as dashed constant lines named by their annotations."""
    names = [a.text for a in figure.layout.annotations or () if a.text]
    out = []
    for i, shape in enumerate(figure.layout.shapes or ()):
        if shape.type != "line" or shape.y0 is None or shape.y0 != shape.y1:
            continue
        name = names[i] if i < len(names) else ""
        out.append(
            Series(
                name=name,
                values=[float(shape.y0) * scale] * n,
                line=True,
                colour=colour_of(shape.line.color, TARGET_COLOUR),
                dashed=True,
            )
        )
    return out


def _map_of(figure: go.Figure) -> MapChart:
    polygons, points, labels = [], [], []
    for trace in figure.data:
        xs, ys = list(trace.x or []), list(trace.y or [])
        if getattr(trace, "fill", None) == "toself":  # rings apart by None
            ring: list[tuple[float, float]] = []
            for x, y in [*zip(xs, ys, strict=False), (None, None)]:
                if x is None or y is None:
                    if ring:
                        polygons.append((ring, colour_of(trace.fillcolor)))
                    ring = []
                else:
                    ring.append((x, y))
        elif trace.mode and "text" in trace.mode:  # the labelled communes: numbered markers
            labels += list(zip(xs, ys, [str(s) for s in trace.text or []], strict=False))
        elif trace.mode and "markers" in trace.mode:
            size = trace.marker.size if trace.marker.size is not None else 10
            for x, y in zip(xs, ys, strict=False):
                points.append((x, y, float(size), colour_of(trace.marker.color)))
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    return MapChart(polygons, points, labels, dict(meta.get("legend", {})))


def value_text(value: float | None, chart: CategoryChart, lang: str) -> str:
    """A value as the chart's axis reads it: 81,5% / 1.234."""
    if value is None:
        return ""
    decimals = 1 if chart.suffix == "%" else chart.decimals
    return fmt_number(value, lang, decimals) + chart.suffix
