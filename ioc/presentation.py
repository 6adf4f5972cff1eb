"""The slide model of presenter mode (Trình chiếu) and of its exports (PowerPoint, PDF, Excel).

A deck is a list of slides built from the package's figures (ioc.kpi, overview, league, live,
land, drilldown): each slide has a title, a few big numbers, tables and one chart. The page shows
the slides; ioc.exports writes the same slides as .pptx / .pdf / .xlsx, so what is handed out is
what was on the screen.

The sequence comes from the URL (`?slides=kpis,league,movers,hourly,land,commune:00070`): slide
kinds are an allowlist and commune codes must be communes of the province, anything else is
dropped. A deck is built for a Scope: dossier rows appear only where the role may see them (a
presenter's deck has none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import plotly.graph_objects as go
import polars as pl

from ioc import charts, config, drilldown, kpi, land, league, live, metrics, overview, tables
from ioc.i18n import fmt_date, fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.scope import Scope, ScopeError
from ioc.store import run_query

KINDS = ("kpis", "league", "movers", "hourly", "land", "commune")
STANDARD = ("kpis", "league", "movers", "land")  # the weekly report ("báo cáo tuần")
DEFAULT_SLIDES = ("kpis", "league", "movers", "hourly", "land")
PERIOD_PRESETS = ("week", "7d", "today", "month", "since_start")
THEMES = ("dark", "light")
TOP_N = 5
TABLE_ROWS = 8
AUTO_MIN_SECONDS = 5
AUTO_MAX_SECONDS = 600
# A deck builds every slide's figures on each request (about 75 ms a slide): a link may ask for at
# most this many, the rest are left out with a message (200 slides cost 15 s a request).
MAX_SLIDES = 40

# column -> (header key, ioc.tables.cell kind): one spec per slide table, for screen and exports
# (the league slide's is ioc.league.RANKING_COLUMNS).
MOVER_COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "previous_rank": ("present.col.previous_rank", "int"),
    "rank": ("league.col.rank", "int"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "score": ("league.col.score", "num"),
}
LAND_COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "open_dossiers": ("land.sum.open", "int"),
    "overdue": ("land.sum.overdue", "int"),
    "due_soon": ("kpi.open_due_soon", "int"),
}
COMMUNE_PROCEDURE_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "received": ("league.col.received", "int"),
    "online_rate": ("kpi.online_rate", "pct"),
    "open_overdue": ("kpi.open_overdue", "int"),
}
DOSSIER_COLUMNS = {
    "dossier_id": ("col.dossier_id", "text"),
    "procedure_name": ("col.procedure_name", "text"),
    "due_at": ("col.due_at", "date"),
    "state": ("col.state", "key:state."),
}


@dataclass(frozen=True)
class SlideRef:
    """One entry of the sequence: a kind, and the commune code of a commune slide."""

    kind: str
    commune: str | None = None

    @property
    def token(self) -> str:
        return f"{self.kind}:{self.commune}" if self.commune else self.kind


@dataclass(frozen=True)
class Number:
    """A big number: label, formatted value, a note (change, target) and its traffic light."""

    label: str
    value: str
    note: str = ""
    light: str | None = None


@dataclass(frozen=True)
class Table:
    """Raw rows and the column spec (column -> (header key, cell kind)) that formats them."""

    title: str
    frame: pl.DataFrame
    spec: dict[str, tuple[str, str]]

    def display(self, lang: str = "vi") -> pl.DataFrame:
        """Text cells in the language's formats with translated headers (screen, pptx, pdf)."""
        return tables.display(self.frame, self.spec, lang)


@dataclass
class Slide:
    kind: str
    token: str
    title: str
    subtitle: str
    numbers: list[Number] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figure: go.Figure | None = None
    note: str = ""
    # tables for the workbook only (the handout's full figures: every KPI, the whole ranking)
    sheets: list[Table] = field(default_factory=list)
    # short sentences shown as a list (the cover's key messages), in the slide's language
    bullets: list[str] = field(default_factory=list)
    # the presenter's notes (the .pptx speaker notes): how each figure on the slide is defined
    speaker_notes: str = ""


def parse_slides(text: str | None, communes: list[str] | tuple[str, ...]) -> list[SlideRef]:
    """The slide sequence of a URL value; unknown kinds and communes not in `communes` dropped,
    and no more than MAX_SLIDES slides (slides_cut tells when some were left out).

    An empty or fully invalid value gives the default sequence.
    """
    return _valid_refs(text, communes, MAX_SLIDES) or [SlideRef(k) for k in DEFAULT_SLIDES]


def slides_cut(text: str | None, communes: list[str] | tuple[str, ...]) -> bool:
    """True when the URL value asks for more valid slides than MAX_SLIDES."""
    return len(_valid_refs(text, communes, MAX_SLIDES + 1)) > MAX_SLIDES


def _valid_refs(text: str | None, communes: list[str] | tuple[str, ...], limit: int) -> list:
    refs: list[SlideRef] = []
    for token in (text or "").split(","):
        if len(refs) == limit:
            break
        kind, _, code = token.strip().partition(":")
        if kind == "commune":
            if code in communes:
                refs.append(SlideRef("commune", code))
        elif kind in KINDS and not code:
            refs.append(SlideRef(kind))
    return refs


def slides_param(refs: list[SlideRef]) -> str:
    """The URL value of a sequence (inverse of parse_slides)."""
    return ",".join(r.token for r in refs)


def last_full_week(today: date) -> tuple[date, date]:
    """Monday to Sunday of the last week that has ended before `today`."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def period_for(preset: str | None, now: datetime | None = None) -> Period:
    """The period of a URL preset: week = last full week (Mon–Sun), 7d, today, month,
    since_start; an unknown preset is the last full week."""
    now = now or config.now()
    today = now.date()
    if preset == "7d":
        start, end = today - timedelta(days=6), today
    elif preset == "today":
        start, end = today, today
    elif preset == "month":
        start, end = today.replace(day=1), today
    elif preset == "since_start":
        start, end = config.START_DATE.date(), today
    else:
        start, end = last_full_week(today)
    return Period.of(start, end, now)


def auto_seconds(text: str | None) -> int | None:
    """Auto-advance interval of the URL (`auto=20`), clamped to 5–600 s; None when off."""
    try:
        seconds = int(text or 0)
    except ValueError:
        return None
    if seconds <= 0:
        return None
    return max(AUTO_MIN_SECONDS, min(AUTO_MAX_SECONDS, seconds))


def period_label(period: Period, lang: str = "vi") -> str:
    if period.date_from == period.date_to:
        return fmt_date(period.date_from, lang)
    return f"{fmt_date(period.date_from, lang)} – {fmt_date(period.date_to, lang)}"


def build_deck(
    con: duckdb.DuckDBPyConnection,
    refs: tuple[SlideRef, ...] | list[SlideRef],
    period: Period,
    scope: Scope,
    province: str = config.DEFAULT_PROVINCE,
    lang: str = "vi",
) -> list[Slide]:
    """The slides of a sequence for a period, as the role may see them."""
    context = _Context(con, period, scope, province, lang)
    builders = {
        "kpis": _kpis,
        "league": _league,
        "movers": _movers,
        "hourly": _hourly,
        "land": _land,
        "commune": _commune,
    }
    return [builders[ref.kind](context, ref) for ref in refs]


class _Context:
    """What every slide of one deck shares: the connection, period and the ranking (computed once)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, period: Period, scope: Scope, province: str, lang: str
    ):
        self.con, self.period, self.scope, self.province, self.lang = (
            con,
            period,
            scope,
            province,
            lang,
        )
        self.label = period_label(period, lang)
        self._ranking: pl.DataFrame | None = None

    @property
    def ranking(self) -> pl.DataFrame:
        if self._ranking is None:
            self._ranking = kpi.commune_ranking(self.con, self.period, self.province)
        return self._ranking

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def _rate_number(ctx: _Context, name: str, value, previous, target, light) -> Number:
    lang = ctx.lang
    notes = []
    if value is not None and previous is not None:
        delta = (value - previous) * 100
        notes.append(f"{'+' if delta > 0 else ''}{fmt_number(delta, lang, 1)} {ctx.tr('unit.pp')}")
    if target is not None:
        verdict = ctx.tr(f"light.{light or 'none'}")
        notes.append(f"{ctx.tr('kpi.target')} {fmt_pct(target, lang, 0)}: {verdict}")
    return Number(ctx.tr(f"kpi.{name}"), fmt_pct(value, lang), " · ".join(notes), light)


def _count_number(ctx: _Context, name: str, value, previous=None) -> Number:
    note = ""
    if value is not None and previous is not None:
        delta = value - previous
        note = f"{'+' if delta > 0 else ''}{fmt_number(delta, ctx.lang)} {ctx.tr('present.vs_previous')}"
    return Number(ctx.tr(f"kpi.{name}"), fmt_number(value, ctx.lang), note)


def _kpis(ctx: _Context, ref: SlideRef) -> Slide:
    cards = overview.kpi_cards(ctx.con, ctx.period, ctx.province)
    numbers = [
        _rate_number(ctx, c.kpi, c.value, c.previous, c.target, c.light)
        if c.kind == "rate"
        else _count_number(ctx, c.kpi, c.value, c.previous)
        for c in cards
    ]
    figure = charts.light_bars(overview.light_counts(ctx.ranking), ctx.lang)
    return Slide(
        "kpis",
        ref.token,
        ctx.tr("present.slide.kpis"),
        ctx.label,
        numbers,
        figure=figure,
        note=ctx.tr("present.lights_caption"),
        sheets=_kpi_sheets(ctx, cards),
    )


# column -> (header key, cell kind) of the workbook's KPI sheets: rates as percentages with their
# target and light, counts as whole numbers.
RATE_SHEET = {
    "label": ("present.col.kpi", "text"),
    "value": ("present.col.value", "pct"),
    "previous": ("present.col.previous", "pct"),
    "target": ("kpi.target", "pct"),
    "light": ("present.col.light", "light"),
}
COUNT_SHEET = {
    "label": ("present.col.kpi", "text"),
    "value": ("present.col.value", "int"),
    "previous": ("present.col.previous", "int"),
}


def _kpi_sheets(ctx: _Context, cards: list) -> list[Table]:
    """The city KPIs of the slide as numbers: one sheet of rates, one of counts."""
    sheets = []
    for kinds, spec, key in (
        (("rate",), RATE_SHEET, "present.sheet.rates"),
        (("count", "count_bad"), COUNT_SHEET, "present.sheet.counts"),
    ):
        rows = [c for c in cards if c.kind in kinds]
        frame = pl.DataFrame(
            {
                "label": [ctx.tr(metrics.BY_NAME[c.kpi].label_key) for c in rows],
                "value": [c.value for c in rows],
                "previous": [c.previous for c in rows],
                "target": [c.target for c in rows],
                "light": [c.light for c in rows],
            },
            schema={
                "label": pl.String,
                "value": pl.Float64,
                "previous": pl.Float64,
                "target": pl.Float64,
                "light": pl.String,
            },
        )
        sheets.append(Table(ctx.tr(key), frame, spec))
    return sheets


# The workbook's whole ranking: every commune with its score and how it moved.
FULL_RANKING = {
    "rank": ("league.col.rank", "int"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "commune_code": ("league.col.commune_code", "text"),
    "commune_name": ("league.col.commune_name", "text"),
    "score": ("league.col.score", "num"),
    "score_change": ("league.col.score_change", "num"),
    **{m: spec for m, spec in league.TABLE_SPEC.items() if spec[1] in ("pct", "light")},
    "received": ("league.col.received", "int"),
}


def _league(ctx: _Context, ref: SlideRef) -> Slide:
    top, bottom = league.top_bottom(ctx.ranking, TOP_N)
    parts = [Table(ctx.tr("present.top", n=TOP_N), top, league.RANKING_COLUMNS)]
    if bottom.height:
        parts.append(Table(ctx.tr("present.bottom", n=TOP_N), bottom, league.RANKING_COLUMNS))
    scored = ctx.ranking.filter(pl.col("score").is_not_null())
    numbers = [
        Number(ctx.tr("present.communes_scored"), fmt_number(scored.height, ctx.lang)),
        Number(
            ctx.tr("present.median_score"),
            fmt_number(scored["score"].median() if scored.height else None, ctx.lang, 1),
        ),
    ]
    whole = Table(ctx.tr("present.sheet.ranking"), ctx.ranking, FULL_RANKING)
    return Slide(
        "league",
        ref.token,
        ctx.tr("present.slide.league"),
        ctx.label,
        numbers,
        parts,
        sheets=[whole],
    )


def movers(ranking: pl.DataFrame, n: int = TOP_N) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The n communes that moved up most and the n that moved down most (rank change vs the
    previous period of the same length); ties by rank."""
    moved = ranking.filter(pl.col("rank_change").is_not_null() & (pl.col("rank_change") != 0))
    up = moved.filter(pl.col("rank_change") > 0).sort(
        ["rank_change", "rank"], descending=[True, False]
    )
    down = moved.filter(pl.col("rank_change") < 0).sort(["rank_change", "rank"])
    return up.head(n), down.head(n)


def _movers(ctx: _Context, ref: SlideRef) -> Slide:
    up, down = movers(ctx.ranking)
    parts = [
        Table(ctx.tr("present.moved_up"), up, MOVER_COLUMNS),
        Table(ctx.tr("present.moved_down"), down, MOVER_COLUMNS),
    ]
    both = pl.concat([up, down.sort("rank_change", descending=True)])
    figure = None
    if both.height:
        figure = go.Figure(
            go.Bar(
                y=both["commune_name"].to_list()[::-1],
                x=both["rank_change"].to_list()[::-1],
                orientation="h",
                marker_color=[
                    charts.LIGHT_COLOURS["green" if v > 0 else "red"]
                    for v in both["rank_change"].to_list()[::-1]
                ],
                text=[tables.rank_arrow(v) for v in both["rank_change"].to_list()[::-1]],
                textposition="auto",
            )
        )
        figure.update_layout(
            xaxis={
                "title": {"text": ctx.tr("league.col.rank_change")},
                "zeroline": True,
                "dtick": 1,
            },
            yaxis={"automargin": True},
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
            height=360,
            showlegend=False,
        )
    note = "" if both.height else ctx.tr("present.no_movers")
    return Slide(
        "movers",
        ref.token,
        ctx.tr("present.slide.movers"),
        ctx.tr("present.movers_subtitle", period=ctx.label),
        tables=parts,
        figure=figure,
        note=note,
    )


def _hourly(ctx: _Context, ref: SlideRef) -> Slide:
    as_of = ctx.period.as_of
    flow = live.hourly(ctx.con, as_of, ctx.province)
    totals = live.totals(ctx.con, as_of, ctx.province)
    numbers = [
        _count_number(ctx, "received", totals["received"]),
        _count_number(ctx, "resolved", totals["resolved"]),
        _count_number(ctx, "open_at_end", totals["open_at_end"]),
        _count_number(ctx, "open_overdue", totals["open_overdue"]),
        _count_number(ctx, "open_due_soon", totals["open_due_soon"]),
    ]
    return Slide(
        "hourly",
        ref.token,
        ctx.tr("present.slide.hourly"),
        ctx.tr("present.hourly_subtitle", day=fmt_date(as_of.date()), at=as_of.strftime("%H:%M")),
        numbers,
        figure=charts.hourly_flow(flow, ctx.lang),
    )


def _land(ctx: _Context, ref: SlideRef) -> Slide:
    day = ctx.period.as_of.date()
    city = land.city_view(ctx.con, day, ctx.province)
    totals = land.city_summary(city)
    numbers = [
        Number(ctx.tr("land.sum.open"), fmt_number(totals["open_dossiers"], ctx.lang)),
        Number(
            ctx.tr("land.sum.overdue"),
            fmt_number(totals["overdue"], ctx.lang),
            light="red" if totals["overdue"] else None,
        ),
        Number(ctx.tr("kpi.open_due_soon"), fmt_number(totals["due_soon"], ctx.lang)),
    ]
    worst = (
        city.filter(pl.col("overdue") > 0)
        .sort(["overdue", "open_dossiers", "commune_code"], descending=[True, True, False])
        .head(TABLE_ROWS)
    )
    return Slide(
        "land",
        ref.token,
        ctx.tr("present.slide.land"),
        ctx.tr("land.as_of", day=fmt_date(day)),
        numbers,
        [Table(ctx.tr("present.land_worst"), worst, LAND_COLUMNS)],
        figure=land_figure(city, ctx.lang),
    )


def land_figure(city: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """A static map of the commune cells shaded by overdue land dossiers (no basemap), for the
    exports; the page draws the interactive pydeck map of ioc.land instead."""
    fig = go.Figure()
    most = int(city["overdue"].max() or 0) if city.height else 0
    for row in city.iter_rows(named=True):
        share = row["overdue"] / most if most else 0.0
        rgb = tuple(
            round(a + (b - a) * share) for a, b in zip(land.CELL_LOW, land.CELL_HIGH, strict=True)
        )
        colour = f"rgb{rgb}"
        if row["geometry"]:
            for ring in _outer_rings(json.loads(row["geometry"])):
                fig.add_trace(
                    go.Scatter(
                        x=[p[0] for p in ring],
                        y=[p[1] for p in ring],
                        fill="toself",
                        fillcolor=colour,
                        line={"color": "#777", "width": 0.5},
                        mode="lines",
                        hoverinfo="skip",
                        showlegend=False,
                    )
                )
        elif row["lon"] is not None:
            fig.add_trace(
                go.Scatter(
                    x=[row["lon"]],
                    y=[row["lat"]],
                    mode="markers",
                    marker={"size": 14 + 30 * share, "color": colour, "line": {"color": "#777"}},
                    showlegend=False,
                )
            )
    labelled = city.filter(pl.col("overdue") > 0).sort("overdue", descending=True).head(TOP_N)
    fig.add_trace(
        go.Scatter(
            x=labelled["lon"].to_list(),
            y=labelled["lat"].to_list(),
            mode="text",
            text=[
                f"{n}: {fmt_number(v, lang)}"
                for n, v in zip(labelled["commune_name"], labelled["overdue"], strict=True)
            ],
            textfont={"size": 13, "color": "#111"},
            showlegend=False,
        )
    )
    low, high = (f"#{v[0]:02x}{v[1]:02x}{v[2]:02x}" for v in (land.CELL_LOW, land.CELL_HIGH))
    legend = {  # the exports draw this scale beside the map (ioc/exports/chart.MapChart)
        "title": t("present.land_scale", lang),
        "low": fmt_number(0, lang),
        "high": fmt_number(most, lang),
        "low_colour": low,
        "high_colour": high,
    }
    fig.update_layout(
        meta={"legend": legend},
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.07},
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=420,
    )
    return fig


def _outer_rings(geometry: dict) -> list[list]:
    if geometry.get("type") == "Polygon":
        return geometry["coordinates"][:1]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _commune(ctx: _Context, ref: SlideRef) -> Slide:
    code = ref.commune
    hit = ctx.ranking.filter(pl.col("commune_code") == code)
    if hit.height == 0:
        raise KeyError(code)
    row = hit.row(0, named=True)
    targets = drilldown.targets_for(ctx.con, code, ctx.period.date_to)
    rank_note = tables.rank_arrow(row["rank_change"]) if row["rank_change"] is not None else ""
    numbers = [
        Number(
            ctx.tr("league.col.score"),
            fmt_number(row["score"], ctx.lang, 1),
            ctx.tr("present.rank_of", rank=row["rank"], total=ctx.ranking.height)
            + (f" · {rank_note}" if rank_note else ""),
        ),
        _count_number(ctx, "received", row["received"]),
        *[
            _rate_number(ctx, m, row[m], None, targets.get(m), drilldown.light_of(row, m, targets))
            for m in drilldown.FORECAST_RATES
        ],
        _count_number(ctx, "open_overdue", row["open_overdue"]),
    ]
    procedures = drilldown.procedure_table(ctx.con, ctx.period, ctx.province, code)
    parts = [
        Table(
            ctx.tr("present.commune_procedures"),
            procedures.filter(pl.col("received") > 0).head(TABLE_ROWS),
            COMMUNE_PROCEDURE_COLUMNS,
        )
    ]
    note = ""
    try:
        overdue = drilldown.overdue_dossiers(
            ctx.con, ctx.scope, ctx.period.as_of, code, ctx.province, TABLE_ROWS
        )
    except ScopeError:
        note = ctx.tr("present.dossiers_hidden")
    else:
        parts.append(Table(ctx.tr("present.commune_overdue"), overdue, DOSSIER_COLUMNS))
    trend = drilldown.trend_vs_city(ctx.con, ctx.period.date_to, code, ctx.province)
    figure = charts.trend_vs_median(
        trend, "week_end", list(drilldown.FORECAST_RATES), targets, ctx.lang
    )
    return Slide(
        "commune",
        ref.token,
        row["commune_name"],
        ctx.label,
        numbers,
        parts,
        figure,
        note,
    )


def commune_codes(con: duckdb.DuckDBPyConnection, province: str = config.DEFAULT_PROVINCE):
    """(code, name) of the province's communes, the allowlist of commune slides."""
    frame = run_query(con, "communes_of_province", province=province)
    return list(zip(frame["commune_code"].to_list(), frame["commune_name"].to_list(), strict=True))


THEME_COLOURS = {
    "dark": {"background": "#0e1621", "text": "#eef2f7", "card": "#1b2838", "grid": "#33475b"},
    "light": {"background": "#ffffff", "text": "#14202e", "card": "#f1f4f8", "grid": "#d5dde6"},
}


def styled_figure(figure: go.Figure, theme: str) -> go.Figure:
    """A copy of a slide's chart in the screen theme with type large enough for a room."""
    colours = THEME_COLOURS[theme if theme in THEMES else "dark"]
    styled = go.Figure(figure)
    styled.update_layout(
        template="plotly_dark" if theme == "dark" else "plotly_white",
        paper_bgcolor=colours["background"],
        plot_bgcolor=colours["background"],
        font={"size": 18, "color": colours["text"]},
        height=520,
    )
    if figure.layout.yaxis.scaleanchor is None:
        styled.update_xaxes(gridcolor=colours["grid"])
        styled.update_yaxes(gridcolor=colours["grid"])
    return styled


def deck_title(period: Period, preset: str, lang: str = "vi") -> str:
    """'Báo cáo tuần 06/10/2025 – 12/10/2025' for the weekly report, else 'Trình chiếu …'."""
    key = "present.deck.week" if preset == "week" else "present.deck.title"
    return t(key, lang, period=period_label(period, lang))


def file_stem(period: Period, preset: str) -> str:
    """bao-cao-tuan_20251006-20251012 / trinh-chieu_20251006-20251012."""
    name = "bao-cao-tuan" if preset == "week" else "trinh-chieu"
    return f"{name}_{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
