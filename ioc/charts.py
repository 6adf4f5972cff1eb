"""Plotly figures shared by the pages. Every chart of a targeted rate draws its target line."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ioc import kpi
from ioc.i18n import fmt_number, fmt_pct, t
from ioc.tables import signed

LIGHT_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
SERIES_COLOURS = ("#1565c0", "#6a1b9a", "#00897b", "#ef6c00")
NAME_CHARS = 32  # a procedure's name on a chart axis, at most


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks of the language (85,3 / 1.234 in Vietnamese)."""
    return ",." if lang == "vi" else ".,"


def percent(values: list) -> list:
    """Rates 0..1 as percent numbers 0..100 (charts show rates with a "%" tick suffix, so every
    output, a converted chart included, reads 80%, never 0.8)."""
    return [None if v is None else 100 * v for v in values]


TARGET_COLOUR = "#1e88e5"  # a target line: blue, apart from the lights' green / amber / red


def figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain trace and layout specs, without Plotly's check of every property on
    every call (issue 21: about five times cheaper to build, the same figure). The specs are this
    module's own; tests/test_charts.py builds each chart through Plotly's checking constructor
    too, so a misspelt property fails there rather than vanishing in the browser."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


class SharedFigure(go.Figure):
    """A figure shown to many sessions unchanged (ui.shared): its dict, which st.plotly_chart asks
    for on every view (a deep copy of the whole figure, about 1 ms), is made once."""

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_shared_spec")
        return spec if spec is not None else super().to_dict()


def shared(value: object) -> object:
    """A figure made a SharedFigure (its dict made now, never changed afterwards); any other value
    as it is."""
    if type(value) is go.Figure:
        value.__class__ = SharedFigure
        value._shared_spec = go.Figure.to_dict(value)
    return value


def _target_spec(x: list, targets: list, lang: str, colour: str) -> dict:
    last = next((v for v in reversed(targets) if v is not None), None)
    return {
        "type": "scatter",
        "x": x,
        "y": percent(targets),
        "name": f"{t('kpi.target', lang)} {fmt_pct(last, lang, 0)}",
        "mode": "lines",
        "line": {"color": colour, "dash": "dash", "width": 3, "shape": "hv"},
        "hoverinfo": "skip",
    }


def target_trace(
    x: list, targets: list, lang: str = "vi", colour: str = TARGET_COLOUR
) -> go.Scatter:
    """The target of a rate as a dashed line trace named with its value ("Mục tiêu 80%"): a trace,
    not a layout shape, so a legend names it and the exports can redraw it; drawn with steps when
    the target changed within the range (the newest value names it)."""
    spec = _target_spec(x, targets, lang, colour)
    del spec["type"]
    return go.Scatter(**spec)


PERCENT_AXIS = {"range": [0, 100], "ticksuffix": "%", "dtick": 20, "automargin": True}


def _rate_traces(
    frame: pl.DataFrame,
    x: str,
    rates: list[str],
    targets: dict[str, float | None],
    lang: str,
    mode: str = "lines",
) -> list[dict]:
    xs = frame[x].to_list()
    traces = []
    for colour, rate in zip(SERIES_COLOURS, rates, strict=False):
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": percent(frame[rate].to_list()),
                "name": t(f"kpi.{rate}", lang),
                "mode": mode,
                "line": {"color": colour, "width": 2},
                "hovertemplate": "%{y:.1f}%",
            }
        )
        target = targets.get(rate)
        if target is not None and xs:
            line = _target_spec(xs, [target] * len(xs), lang, colour)
            line["name"] = f"{t(f'kpi.{rate}', lang)} · {line['name']}"
            traces.append(line)
    return traces


def _rate_layout(lang: str) -> dict:
    # Readable at 390 px (issue 23): at most 5 date ticks, the legend below in small type.
    return {
        "yaxis": {**PERCENT_AXIS, "title": {"text": t("present.axis.rate", lang)}},
        "xaxis": {"tickformat": "%d/%m/%Y", "nticks": 5, "automargin": True},
        "separators": separators(lang),
        "legend": {"orientation": "h", "y": -0.15, "yanchor": "top", "font": {"size": 11}},
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "height": 360,
    }


def rate_trend(
    frame: pl.DataFrame,
    x: str,
    rates: list[str],
    targets: dict[str, float | None],
    lang: str = "vi",
) -> go.Figure:
    """Lines of rates (0..1, drawn as percent) over x with a dashed target line per targeted rate."""
    return figure(_rate_traces(frame, x, rates, targets, lang), _rate_layout(lang))


def light_bars(counts: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """Stacked bars: communes green / amber / red / no data for each targeted rate, the count on
    each segment; a colour no rate has is left out (no legend entry without a segment), and the
    legend reads in the order of the segments."""
    traces = []
    for colour in ("green", "amber", "red", "none"):
        part = counts.filter(pl.col("light") == colour)
        if part.height == 0 or part["communes"].sum() == 0:
            continue
        values = part["communes"].to_list()
        traces.append(
            {
                "type": "bar",
                "y": [t(f"kpi.{m}", lang) for m in part["metric"]],
                "x": values,
                "name": t(f"light.{colour}", lang),
                "orientation": "h",
                "marker": {"color": LIGHT_COLOURS[colour]},
                "text": [fmt_number(v, lang) if v else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
            }
        )
    return figure(
        traces,
        {
            "barmode": "stack",
            "separators": separators(lang),
            "xaxis": {"title": {"text": t("present.axis.communes", lang)}, "automargin": True},
            "yaxis": {"automargin": True, "autorange": "reversed"},
            "legend": {"orientation": "h", "y": -0.25, "traceorder": "normal"},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": 260,
        },
    )


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
    bars = {
        "type": "bar",
        "x": frame["commune_name"].to_list(),
        "y": frame[rate].to_list(),
        "marker": {"color": colours},
        "name": t(f"kpi.{rate}", lang),
        "hovertemplate": "%{x}: %{y:.1%}<extra></extra>",
    }
    layout = {
        "yaxis": {"tickformat": ".0%", "range": [0, 1]},
        "xaxis": {"showticklabels": frame.height <= 40, "tickangle": -45},
        "separators": separators(lang),
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "height": 360,
        "showlegend": False,
    }
    if target is not None:  # the target as a line across the plot, named at its right end
        layout["shapes"] = [
            {
                "type": "line",
                "line": {"color": "#263238", "dash": "dash", "width": 1.5},
                "x0": 0,
                "x1": 1,
                "xref": "x domain",
                "y0": target,
                "y1": target,
                "yref": "y",
            }
        ]
        layout["annotations"] = [
            {
                "showarrow": False,
                "text": f"{t('kpi.target', lang)} {target:.0%}",
                "x": 1,
                "xanchor": "right",
                "xref": "x domain",
                "y": target,
                "yanchor": "bottom",
                "yref": "y",
            }
        ]
    return figure([bars], layout)


def trend_vs_median(
    frame: pl.DataFrame,
    x: str,
    rates: list[str],
    targets: dict[str, float | None],
    lang: str = "vi",
) -> go.Figure:
    """A commune's rates (solid, with markers) against the city median of the same rate (dotted,
    column city_median_<rate>) over x, with the target lines."""
    traces = _rate_traces(frame, x, rates, targets, lang, mode="lines+markers")
    for trace in traces:
        if trace["line"].get("dash") is not None:
            trace["mode"] = "lines"  # a target line keeps its plain line
    for colour, rate in zip(SERIES_COLOURS, rates, strict=False):
        traces.append(
            {
                "type": "scatter",
                "x": frame[x].to_list(),
                "y": percent(frame[f"city_median_{rate}"].to_list()),
                "name": f"{t(f'kpi.{rate}', lang)} · {t('chart.city_median', lang)}",
                "mode": "lines",
                "line": {"color": colour, "width": 1.5, "dash": "dot"},
                "hovertemplate": "%{y:.1f}%",
            }
        )
    return figure(traces, _rate_layout(lang))


def hourly_flow(frame: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """Bars of today's received and resolved per hour, lines of the usual for this weekday/hour."""
    traces = []
    hours = [f"{h:02d}h" for h in frame["hour"]]
    for colour, name in zip(SERIES_COLOURS, ("received", "resolved"), strict=False):
        # a series with nothing in it is left out: no legend entry without a bar or a line
        if any(frame[name].fill_null(0)):
            traces.append(
                {
                    "type": "bar",
                    "x": hours,
                    "y": frame[name].to_list(),
                    "name": t(f"live.{name}", lang),
                    "marker": {"color": colour},
                    "opacity": 0.85,
                }
            )
        if not any(frame[f"usual_{name}"].fill_null(0)):
            continue
        traces.append(
            {
                "type": "scatter",
                "x": hours,
                "y": frame[f"usual_{name}"].to_list(),
                "name": t(f"live.usual_{name}", lang),
                "mode": "lines",
                "line": {"color": colour, "dash": "dash", "width": 2, "shape": "hvh"},
            }
        )
    return figure(
        traces,
        {
            "barmode": "group",
            "separators": separators(lang),
            "xaxis": {
                "title": {"text": t("present.axis.hour", lang)},
                "dtick": 2,
                "automargin": True,
            },
            "yaxis": {"title": {"text": t("present.axis.dossiers", lang)}, "automargin": True},
            "legend": {"orientation": "h", "y": -0.25, "traceorder": "normal"},
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": 340,
        },
    )


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
    bars = {
        "type": "bar",
        "y": names[::-1],
        "x": values[::-1],
        "customdata": full[::-1],
        "orientation": "h",
        "marker": {"color": SERIES_COLOURS[0]},
        "hovertemplate": "%{customdata}: %{x:,}<extra></extra>",
    }
    return figure(
        [bars],
        {
            "separators": separators(lang),
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
            "height": max(260, 28 * len(names)),
            "yaxis": {"automargin": True},
        },
    )


# --- the meeting's slides (issue 16): only go.Bar and go.Scatter, rates in percent, a target as a
# dashed line trace, axis titles with units, values on the bars (the exports redraw these as
# native charts) ---


def weekly_rate_bars(weekly: pl.DataFrame, rate: str, lang: str = "vi") -> go.Figure:
    """One bar per week (week_from, the rate 0..1, target_<rate>) coloured by its traffic light
    against that week's target, the value on each bar, and the dashed target line."""
    weeks = [f"{d:%d/%m}" for d in weekly["week_from"]]
    values = weekly[rate].to_list()
    targets = weekly[f"target_{rate}"].to_list()
    lights = [kpi.light(v, g) for v, g in zip(values, targets, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=weeks,
            y=percent(values),
            name=t(f"kpi.{rate}", lang),
            marker_color=[LIGHT_COLOURS[x or "none"] for x in lights],
            text=[fmt_pct(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    if any(g is not None for g in targets):
        fig.add_trace(target_trace(weeks, targets, lang))
    fig.update_layout(
        separators=separators(lang),
        xaxis={"title": {"text": t("present.axis.week", lang)}, "automargin": True},
        yaxis={**PERCENT_AXIS, "range": [0, 105], "title": {"text": t("present.axis.rate", lang)}},
        legend={"orientation": "h", "y": -0.22, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        bargap=0.25,
        height=420,
    )
    return fig


LATE_COLOURS = ("#f9a825", "#ef6c00", "#c62828", "#6d1b1b")  # more days late: darker


def overdue_bars(frame: pl.DataFrame, buckets: list[str], lang: str = "vi") -> go.Figure:
    """Horizontal bars of overdue dossiers per row (name, late_0.. per days-late bucket), stacked
    by days late, first row on top, each row's total at its end; a bucket no row has is left out
    of the bars and the legend."""
    names = frame[frame.columns[1]].to_list()
    fig = go.Figure()
    for index, (label, colour) in enumerate(zip(buckets, LATE_COLOURS, strict=False)):
        values = frame[f"late_{index}"].to_list()
        if not any(values):
            continue
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                name=label,
                orientation="h",
                marker_color=colour,
                text=[fmt_number(v, lang) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
            )
        )
    totals = frame["overdue"].to_list()
    fig.add_trace(
        go.Scatter(
            y=names,
            x=totals,
            mode="text",
            text=[f"  {fmt_number(v, lang)}" for v in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    most = max(totals, default=0)
    fig.update_layout(
        barmode="stack",
        separators=separators(lang),
        xaxis={
            "title": {"text": t("present.axis.overdue", lang)},
            "range": [0, most * 1.15 or 1],
            "nticks": 8,
            "automargin": True,
        },
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.18, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=480,
    )
    return fig


def score_changes(frame: pl.DataFrame, threshold: float | None, lang: str = "vi") -> go.Figure:
    """Horizontal bars of score change (points) per commune (commune_name, score_change), first
    row on top: green up, red down, grey within the noise threshold, drawn as two dashed lines at
    ± the threshold; the signed change on each bar."""
    names = frame["commune_name"].to_list()
    changes = frame["score_change"].to_list()

    def colour(change: float) -> str:
        if threshold is not None and abs(change) <= threshold:
            return LIGHT_COLOURS["none"]
        return LIGHT_COLOURS["green" if change > 0 else "red"]

    fig = go.Figure(
        go.Bar(
            y=names,
            x=changes,
            orientation="h",
            name=t("league.col.score_change", lang),
            marker_color=[colour(c) for c in changes],
            text=[signed(c, lang) for c in changes],
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    reach = max([abs(c) for c in changes] + [threshold or 0, 1.0]) * 1.25
    if threshold is not None:
        label = t("present.noise_line", lang, points=fmt_number(threshold, lang, 1))
        for side, show in ((-1, False), (1, True)):
            fig.add_trace(
                go.Scatter(
                    x=[side * threshold, side * threshold],
                    y=[names[0], names[-1]] if names else [],
                    mode="lines",
                    name=label,
                    legendgroup="noise",
                    showlegend=show,
                    line={"color": "#546e7a", "dash": "dash", "width": 2},
                    hoverinfo="skip",
                )
            )
    fig.update_layout(
        separators=separators(lang),
        xaxis={
            "title": {"text": t("present.axis.score_change", lang)},
            "range": [-reach, reach],
            "nticks": 9,
            "zeroline": True,
            "automargin": True,
        },
        yaxis={"automargin": True, "autorange": "reversed"},
        legend={"orientation": "h", "y": -0.18},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=480,
    )
    return fig


def score_histogram(scores: list[float], lang: str = "vi") -> go.Figure:
    """How many communes have each score (bars of one point, of two when the scores spread over
    more than 30 points), the count on each bar: how close the ranking's scores sit."""
    scores = [s for s in scores if s is not None]
    fig = go.Figure()
    if scores:
        low, high = int(min(scores)), int(max(scores))
        width = 1 if high - low <= 30 else 2
        edges = list(range(low - low % width, high + width, width))
        counts = [sum(1 for s in scores if a <= s < a + width) for a in edges]
        counts[-1] += sum(1 for s in scores if s >= edges[-1] + width)  # a score of exactly 100
        fig.add_trace(
            go.Bar(
                x=[a + width / 2 for a in edges],
                y=counts,
                width=width * 0.9,
                name=t("present.axis.communes", lang),
                marker_color=SERIES_COLOURS[0],
                text=[fmt_number(c, lang) if c else "" for c in counts],
                textposition="outside",
                cliponaxis=False,
                showlegend=False,
            )
        )
    fig.update_layout(
        separators=separators(lang),
        xaxis={"title": {"text": t("league.col.score", lang)}, "nticks": 10, "automargin": True},
        yaxis={"title": {"text": t("present.axis.communes", lang)}, "automargin": True},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        height=420,
    )
    return fig
