"""The slide model of presenter mode (Trình chiếu) and of its exports (PowerPoint, PDF, Excel).

A deck is a list of slides built from the package's figures (ioc.kpi, overview, league, live,
land, drilldown): each slide has a title, a few big numbers, tables and one chart. The page shows
the slides; ioc.exports writes the same slides as .pptx / .pdf / .xlsx, so what is handed out is
what was on the screen.

A weekly deck runs the review meeting (issue 16): a cover with the week's key messages, the city
KPIs, a 12-week trend of each targeted KPI against its target, the league table, the movers by
score change against a stated noise threshold, overdue dossiers by commune, procedure and days
late, who is late and who owns it, then the communes chosen for discussion. The figures behind
the new slides are in ioc.meeting; every slide carries speaker notes saying how each figure on it
is defined (../shared/spec/kpi.md) and the period.

The sequence comes from the URL (`?slides=cover,kpis,trends,movers,commune:00070`): slide kinds
are an allowlist, commune codes must be communes of the province and a trend's rate a targeted
rate (`trend:on_time_rate`; `trends` is one slide per rate with a target in force), anything
else is dropped. A deck is built for a Scope: dossier rows appear only where the role may see them (a
presenter's deck has none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import duckdb
import plotly.graph_objects as go
import polars as pl

from ioc import (
    charts,
    config,
    drilldown,
    kpi,
    land,
    league,
    live,
    meeting,
    metrics,
    overview,
    tables,
)
from ioc.i18n import DASH, fmt_date, fmt_datetime, fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.scope import Scope, ScopeError
from ioc.store import run_query

KINDS = (
    "cover",
    "actions",
    "kpis",
    "trends",
    "league",
    "movers",
    "overdue",
    "late",
    "hourly",
    "land",
    "commune",
    "trend",
)
# kinds that name what they show after a colon (commune:00070, trend:on_time_rate); the rest never
PARAM_KINDS = ("commune", "trend")
# the weekly report ("báo cáo tuần"), in meeting order: last meeting's actions after the cover
STANDARD = ("cover", "actions", "kpis", "trends", "league", "movers", "overdue", "late", "land")
DEFAULT_SLIDES = (
    "cover",
    "actions",
    "kpis",
    "trends",
    "league",
    "movers",
    "overdue",
    "late",
    "hourly",
    "land",
)
PERIOD_PRESETS = ("week", "7d", "today", "month", "since_start")
THEMES = ("dark", "light")
TOP_N = 5
TABLE_ROWS = 8
SCREEN_ROWS = 5  # rows of a table beside a chart on screen (a slide fits one 1920×1080 screen)
LATE_ROWS = 14  # communes on the "who is late" slide (the workbook has them all)
AUTO_MIN_SECONDS = 5
AUTO_MAX_SECONDS = 600
# A deck builds every slide's figures on each request (about 75 ms a slide): a link may ask for at
# most this many, the rest are left out with a message (200 slides cost 15 s a request).
MAX_SLIDES = 40

# column -> (header key, ioc.tables.cell kind): one spec per slide table, for screen and exports
# (the league slide's is ioc.league.RANKING_COLUMNS).
MOVER_COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "previous_score": ("present.col.previous_score", "num"),
    "score": ("league.col.score", "num"),
    "score_change": ("league.col.score_change", "signed"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "verdict": ("present.col.verdict", "key:present.verdict."),
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
TREND_COLUMNS = {
    "week_from": ("present.col.week_from", "date"),
    "week_to": ("present.col.week_to", "date"),
    "numerator": ("present.col.numerator", "int"),
    "denominator": ("present.col.denominator", "int"),
    "rate": ("present.col.rate", "pct"),
    "target": ("kpi.target", "pct"),
    "light": ("present.col.light", "light"),
}
OVERDUE_COMMUNE_COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "overdue": ("kpi.open_overdue", "int"),
    **{c: (f"present.late_bucket.{i}", "int") for i, c in enumerate(meeting.BUCKET_COLUMNS)},
}
OVERDUE_PROCEDURE_COLUMNS = {
    "procedure_name": ("col.procedure_name", "text"),
    "overdue": ("kpi.open_overdue", "int"),
    **{c: (f"present.late_bucket.{i}", "int") for i, c in enumerate(meeting.BUCKET_COLUMNS)},
}
OVERDUE_SLIDE_PROCEDURES = {
    "procedure_name": ("col.procedure_name", "text"),
    "overdue": ("kpi.open_overdue", "int"),
    "share": ("present.col.share", "pct"),
}
BUCKET_TABLE = {
    "bucket": ("present.col.days_late", "key:present.late_bucket."),
    "overdue": ("kpi.open_overdue", "int"),
    "share": ("present.col.share", "pct"),
}
LATE_COLUMNS = {
    "commune_name": ("league.col.commune_name", "text"),
    "owner": ("present.col.owner", "text"),
    "open_overdue": ("kpi.open_overdue", "int"),
    "open_due_soon": ("kpi.open_due_soon", "int"),
    "on_time_rate": ("kpi.on_time_rate", "pct"),
    "open_at_end": ("kpi.open_at_end", "int"),
}
AGENDA_COLUMNS = {
    "number": ("present.col.number", "int"),
    "title": ("present.col.agenda", "text"),
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

    def numeric(self) -> list[bool]:
        """Per column (spec order): whether it holds numbers (right-aligned on screen)."""
        return [kind in tables.NUMERIC_KINDS for _, kind in self.spec.values()]

    def tones(self) -> list[list[str | None]]:
        """Per column (spec order), per row: ioc.tables.tone of the cell; a rate's light is read
        from the frame's light_<column> when it has one (below target: 'warn' / 'bad')."""
        found = []
        for column, (_, kind) in self.spec.items():
            values = self.frame[column].to_list()
            lights = (
                self.frame[f"light_{column}"].to_list()
                if f"light_{column}" in self.frame.columns
                else [None] * len(values)
            )
            found.append([tables.tone(v, kind, x) for v, x in zip(values, lights, strict=True)])
        return found


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
        if kind in PARAM_KINDS:
            if code in (communes if kind == "commune" else kpi.TARGETED_RATES):
                refs.append(SlideRef(kind, code))
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
    """The slides of a sequence for a period, as the role may see them (`trends` gives one slide
    per targeted rate); the cover lists the deck's slides as the meeting's agenda."""
    context = _Context(con, period, scope, province, lang)
    builders = {
        "cover": _cover,
        "actions": _actions,
        "kpis": _kpis,
        "trends": _trends,
        "trend": _trends,
        "league": _league,
        "movers": _movers,
        "overdue": _overdue,
        "late": _late,
        "hourly": _hourly,
        "land": _land,
        "commune": _commune,
    }
    slides: list[Slide] = []
    for ref in refs:
        made = builders[ref.kind](context, ref)
        slides.extend(made if isinstance(made, list) else [made])
    for slide in slides:
        if slide.kind == "cover":
            slide.tables = [_agenda(context, slides)]
    return slides


class _Context:
    """What every slide of one deck shares: the connection, the period and the figures several
    slides show (ranking, city cards, weekly trend, overdue breakdown, noise threshold), each
    computed once and only when a slide asks for it."""

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
        self._cache: dict[str, object] = {}

    def _once(self, name: str, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def ranking(self) -> pl.DataFrame:
        return self._once(
            "ranking", lambda: kpi.commune_ranking(self.con, self.period, self.province)
        )

    @property
    def cards(self) -> list:
        return self._once("cards", lambda: overview.kpi_cards(self.con, self.period, self.province))

    @property
    def weekly(self) -> pl.DataFrame:
        return self._once(
            "weekly", lambda: meeting.weekly_city(self.con, self.period.date_to, self.province)
        )

    @property
    def overdue(self) -> meeting.OverdueBreakdown:
        return self._once(
            "overdue",
            lambda: meeting.overdue_breakdown(self.con, self.period.as_of, self.province),
        )

    @property
    def noise(self) -> float | None:
        return self._once(
            "noise", lambda: meeting.noise_threshold(self.con, self.period, self.province)
        )

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def notes(self, *keys: str, **values: object) -> str:
        """Speaker notes: the period the figures cover, then one line per definition key
        (present.def.<name>, worded after ../shared/spec/kpi.md)."""
        lines = [
            self.tr("present.notes.period", period=self.label, at=fmt_datetime(self.period.as_of))
        ]
        lines += [self.tr(f"present.def.{key}", **values) for key in keys]
        return "\n".join(lines)


def _rate_number(ctx: _Context, name: str, value, previous, target, light, label=None) -> Number:
    lang = ctx.lang
    notes = []
    if value is not None and previous is not None:
        change = tables.signed((value - previous) * 100, lang)
        # no change reads "0 điểm %", never "−0,0 điểm %"
        notes.append(f"{'0' if change == '=' else change} {ctx.tr('unit.pp')}")
    if target is not None:
        verdict = ctx.tr(f"light.{light or 'none'}")
        notes.append(f"{ctx.tr('kpi.target')} {fmt_pct(target, lang, 0)}: {verdict}")
    return Number(label or ctx.tr(f"kpi.{name}"), fmt_pct(value, lang), " · ".join(notes), light)


def _count_number(ctx: _Context, name: str, value, previous=None) -> Number:
    note = ""
    if value is not None and previous is not None:
        change = tables.signed(value - previous, ctx.lang, 0)
        note = f"{change} {ctx.tr('present.vs_previous')}"
    return Number(ctx.tr(f"kpi.{name}"), fmt_number(value, ctx.lang), note)


# --- the cover: the meeting's key messages -------------------------------------------------------


def _cover(ctx: _Context, ref: SlideRef) -> Slide:
    return Slide(
        "cover",
        ref.token,
        ctx.tr("present.slide.cover"),
        ctx.tr("present.cover_subtitle", period=ctx.label, at=fmt_datetime(ctx.period.as_of)),
        bullets=key_messages(ctx),
        speaker_notes=ctx.notes("key_messages", "score", "score_change", "noise", "open_overdue"),
    )


def key_messages(ctx: _Context) -> list[str]:
    """The week's key messages, each one sentence computed from the figures of the deck: the
    biggest score rise and the biggest fall (said to be within the noise threshold when they
    are), the city targets missed (and how many communes miss one), and how the overdue
    dossiers moved since the end of the previous period."""
    lang = ctx.lang
    up, down = meeting.movers(ctx.ranking, 1)
    messages = []
    for frame, key in ((up, "present.msg.up"), (down, "present.msg.down")):
        if frame.height == 0:
            messages.append(ctx.tr(f"{key}_none"))
            continue
        row = frame.row(0, named=True)
        text = ctx.tr(
            key,
            commune=row["commune_name"],
            change=tables.signed(row["score_change"], lang),
            before=fmt_number(row["previous_score"], lang, 1),
            after=fmt_number(row["score"], lang, 1),
        )
        if meeting.is_noise(row["score_change"], ctx.noise):
            text += " " + ctx.tr("present.msg.in_noise", points=fmt_number(ctx.noise, lang, 1))
        messages.append(text)
    missed = [c for c in ctx.cards if c.kind == "rate" and c.target is not None]
    missed = [c for c in missed if c.light != "green"]
    lights = [f"light_{m}" for m in kpi.TARGETED_RATES]
    behind = ctx.ranking.filter(
        pl.any_horizontal(pl.col(c).is_in(["amber", "red"]) for c in lights)
    ).height
    tail = ctx.tr("present.msg.communes_behind", n=behind, total=ctx.ranking.height)
    if missed:
        parts = [
            ctx.tr(
                "present.msg.missed_one",
                kpi=ctx.tr(f"kpi.{c.kpi}"),
                value=fmt_pct(c.value, lang),
                target=fmt_pct(c.target, lang, 0),
            )
            for c in missed
        ]
        messages.append(ctx.tr("present.msg.missed", items="; ".join(parts)) + " " + tail)
    else:
        messages.append(ctx.tr("present.msg.all_met") + " " + tail)
    overdue = next(c for c in ctx.cards if c.kpi == "open_overdue")
    now, before = overdue.value or 0, overdue.previous or 0
    key = "up" if now > before else "down" if now < before else "same"
    messages.append(
        ctx.tr(
            f"present.msg.overdue_{key}",
            now=fmt_number(now, lang),
            change=fmt_number(abs(now - before), lang),
            before=fmt_number(before, lang),
        )
    )
    return messages


def _agenda(ctx: _Context, slides: list[Slide]) -> Table:
    """The deck's slides after the cover, numbered as they are shown."""
    rows = [(n, s.title) for n, s in enumerate(slides, start=1) if s.kind != "cover"]
    frame = pl.DataFrame(
        {"number": [n for n, _ in rows], "title": [x for _, x in rows]},
        schema={"number": pl.Int64, "title": pl.String},
    )
    return Table(ctx.tr("present.agenda"), frame, AGENDA_COLUMNS)


def _kpis(ctx: _Context, ref: SlideRef) -> Slide:
    cards = ctx.cards
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
        speaker_notes=ctx.notes(*(c.kpi for c in cards), "light", "change"),
    )


# --- trends: 12 full weeks of each targeted KPI against its target ------------------------------


def _trends(ctx: _Context, ref: SlideRef) -> list[Slide]:
    rates = [ref.commune] if ref.kind == "trend" else meeting.trended_rates(ctx.weekly)
    return [_trend(ctx, rate) for rate in rates]


def _trend(ctx: _Context, rate: str) -> Slide:
    weekly = ctx.weekly
    numerator, denominator = kpi.RATES[rate]
    last = weekly.row(-1, named=True)
    before = weekly.row(-2, named=True) if weekly.height > 1 else {}
    target = last[f"target_{rate}"]
    lang = ctx.lang
    week_label = f"{fmt_date(last['week_from'], lang)} – {fmt_date(last['week_to'], lang)}"
    met = sum(
        1
        for v, g in zip(weekly[rate], weekly[f"target_{rate}"], strict=True)
        if v is not None and g is not None and v >= g
    )
    measured = weekly.filter(pl.col(rate).is_not_null()).height
    missing = drilldown.missing_to_target(last[numerator], last[denominator], target)
    whole = kpi.safe_rate(pl.lit(weekly[numerator].sum()), pl.lit(weekly[denominator].sum()))
    overall = pl.select(whole).item()
    numbers = [
        _rate_number(
            ctx,
            rate,
            last[rate],
            before.get(rate),
            target,
            kpi.light(last[rate], target),
            label=ctx.tr("present.last_week", week=week_label),
        ),
        Number(
            ctx.tr("present.weeks_met"),
            ctx.tr("present.weeks_met_value", met=met, total=measured)
            if weekly[f"target_{rate}"].is_not_null().any()
            else DASH,
            "" if target is not None else ctx.tr("present.no_target"),
        ),
        Number(
            ctx.tr("present.missing_to_target"),
            fmt_number(missing, lang),
            ctx.tr(f"present.missing_unit.{rate}") if missing else "",
        ),
        Number(
            ctx.tr("present.weeks_overall", n=weekly.height),
            fmt_pct(overall, lang),
            f"{fmt_number(weekly[numerator].sum(), lang)} / "
            f"{fmt_number(weekly[denominator].sum(), lang)}",
        ),
    ]
    sheet = weekly.select(
        "week_from",
        "week_to",
        pl.col(numerator).alias("numerator"),
        pl.col(denominator).alias("denominator"),
        pl.col(rate).alias("rate"),
        pl.col(f"target_{rate}").alias("target"),
    ).with_columns(
        pl.Series(
            "light",
            [kpi.light(v, g) for v, g in zip(weekly[rate], weekly[f"target_{rate}"], strict=True)],
            dtype=pl.String,
        )
    )
    first = weekly.row(0, named=True)
    weeks_label = f"{fmt_date(first['week_from'], lang)} – {fmt_date(last['week_to'], lang)}"
    return Slide(
        "trend",
        f"trend:{rate}",
        ctx.tr("present.slide.trend", kpi=ctx.tr(f"kpi.{rate}")),
        ctx.tr("present.trend_subtitle", n=weekly.height, weeks=weeks_label),
        numbers,
        figure=charts.weekly_rate_bars(weekly, rate, lang),
        sheets=[
            Table(ctx.tr("present.sheet.trend", kpi=ctx.tr(f"kpi.{rate}")), sheet, TREND_COLUMNS)
        ],
        speaker_notes=ctx.notes(rate, "weeks", "light", "missing_to_target", weeks=weeks_label),
    )


# The workbook's KPI sheets: rates as percentages with their target and light, counts as whole
# numbers.
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
        Number(
            ctx.tr("present.score_range"),
            f"{fmt_number(scored['score'].min(), ctx.lang, 1)} – "
            f"{fmt_number(scored['score'].max(), ctx.lang, 1)}"
            if scored.height
            else DASH,
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
        charts.score_histogram(scored["score"].to_list(), ctx.lang) if scored.height else None,
        sheets=[whole],
        speaker_notes=ctx.notes("score", "rank", "rank_change", "thin_data"),
    )


def _movers(ctx: _Context, ref: SlideRef) -> Slide:
    threshold = ctx.noise
    up, down = meeting.movers(ctx.ranking, TOP_N)

    def judged(frame: pl.DataFrame) -> pl.DataFrame:
        verdicts = [
            None if noise is None else ("noise" if noise else "real")
            for noise in (meeting.is_noise(c, threshold) for c in frame["score_change"])
        ]
        return frame.with_columns(pl.Series("verdict", verdicts, dtype=pl.String))

    up, down = judged(up), judged(down)
    parts = [
        Table(ctx.tr("present.moved_up"), up, MOVER_COLUMNS),
        Table(ctx.tr("present.moved_down"), down, MOVER_COLUMNS),
    ]
    both = pl.concat([up, down.sort("score_change", descending=True)])
    figure = charts.score_changes(both, threshold, ctx.lang) if both.height else None
    lang = ctx.lang
    if threshold is None:
        rule = ctx.tr("present.noise_none")
    else:
        rule = ctx.tr("present.noise_rule", points=fmt_number(threshold, lang, 1))
    note = rule if both.height else ctx.tr("present.no_movers")
    return Slide(
        "movers",
        ref.token,
        ctx.tr("present.slide.movers"),
        ctx.tr("present.movers_subtitle", period=ctx.label),
        tables=parts,
        figure=figure,
        note=note,
        speaker_notes=ctx.notes(
            "score",
            "score_change",
            "rank_change",
            "noise",
            points=fmt_number(threshold, lang, 1),
            periods=meeting.NOISE_PERIODS,
        ),
    )


# --- overdue dossiers by commune, procedure and days late ---------------------------------------


def _overdue(ctx: _Context, ref: SlideRef) -> Slide:
    lang = ctx.lang
    found = ctx.overdue
    buckets = [ctx.tr(f"present.late_bucket.{i}") for i in range(len(meeting.LATE_BUCKETS))]
    card = next(c for c in ctx.cards if c.kpi == "open_overdue")
    worst = found.by_bucket.row(-1, named=True)
    top = found.by_commune.head(TABLE_ROWS + 2)
    rest = found.total - int(top["overdue"].sum() or 0)
    numbers = [
        Number(
            ctx.tr("kpi.open_overdue"),
            fmt_number(found.total, lang),
            _count_number(ctx, "open_overdue", card.value, card.previous).note,
            "red" if card.previous is not None and (card.value or 0) > card.previous else None,
        ),
        Number(
            ctx.tr("present.late_longest", bucket=buckets[-1]),
            fmt_number(worst["overdue"], lang),
            fmt_pct(worst["share"], lang),
        ),
        Number(
            ctx.tr("present.communes_with_overdue"),
            fmt_number(found.by_commune.height, lang),
            ctx.tr("present.of_communes", total=ctx.ranking.height),
        ),
    ]
    shares = found.by_procedure.with_columns(
        (pl.col("overdue") / found.total if found.total else pl.lit(None, pl.Float64)).alias(
            "share"
        )
    )
    procedures = meeting.head_and_rest(
        shares, TOP_N, "procedure_name", ctx.tr("present.other_procedures")
    )
    figure = charts.overdue_bars(top, buckets, lang) if top.height else None
    note = ""
    if rest > 0:
        note = ctx.tr(
            "present.overdue_rest",
            shown=top.height,
            rest=fmt_number(rest, lang),
            others=found.by_commune.height - top.height,
        )
    return Slide(
        "overdue",
        ref.token,
        ctx.tr("present.slide.overdue"),
        ctx.tr("present.overdue_subtitle", at=fmt_datetime(ctx.period.as_of)),
        numbers,
        [
            Table(ctx.tr("present.overdue_procedures"), procedures, OVERDUE_SLIDE_PROCEDURES),
            Table(ctx.tr("present.overdue_days"), found.by_bucket, BUCKET_TABLE),
        ],
        figure,
        note,
        sheets=[
            Table(
                ctx.tr("present.sheet.overdue_communes"), found.by_commune, OVERDUE_COMMUNE_COLUMNS
            ),
            Table(
                ctx.tr("present.sheet.overdue_procedures"),
                found.by_procedure,
                OVERDUE_PROCEDURE_COLUMNS,
            ),
        ],
        speaker_notes=ctx.notes("open_overdue", "days_late", "change"),
    )


# --- who is late: communes behind and the chair who owns it -------------------------------------


def _late(ctx: _Context, ref: SlideRef) -> Slide:
    lang = ctx.lang
    late = meeting.late_communes(ctx.ranking)
    chairs = meeting.chairs(ctx.con, ctx.province)
    owners = [
        ctx.tr("present.owner", commune=name) + (f" ({chairs[code]})" if code in chairs else "")
        for code, name in zip(late["commune_code"], late["commune_name"], strict=True)
    ]
    late = late.with_columns(pl.Series("owner", owners, dtype=pl.String))
    total = int(ctx.ranking["open_overdue"].sum() or 0)
    shown = late.head(LATE_ROWS)
    in_shown = int(shown["open_overdue"].sum() or 0)
    below = late.filter(pl.col("light_on_time_rate").is_in(["amber", "red"])).height
    on_time_target = kpi.resolve_target(
        kpi.targets_in_force(ctx.con, ctx.period.date_to), "on_time_rate"
    )
    numbers = [
        Number(
            ctx.tr("present.communes_late"),
            fmt_number(late.height, lang),
            ctx.tr("present.of_communes", total=ctx.ranking.height),
        ),
        Number(
            ctx.tr("present.late_top_share", n=shown.height),
            fmt_pct(in_shown / total if total else None, lang),
            f"{fmt_number(in_shown, lang)} / {fmt_number(total, lang)}",
        ),
    ]
    if on_time_target is not None:
        numbers.append(
            Number(
                ctx.tr("present.below_on_time"),
                fmt_number(below, lang),
                f"{ctx.tr('kpi.target')} {fmt_pct(on_time_target, lang, 0)}",
            )
        )
    return Slide(
        "late",
        ref.token,
        ctx.tr("present.slide.late"),
        ctx.label,
        numbers,
        [
            Table(
                ctx.tr("present.late_table", n=shown.height, total=late.height), shown, LATE_COLUMNS
            )
        ],
        note=ctx.tr("present.owner_rule"),
        sheets=[Table(ctx.tr("present.sheet.late"), late, LATE_COLUMNS)],
        speaker_notes=ctx.notes(
            "open_overdue", "open_due_soon", "on_time_rate", "open_at_end", "owner"
        ),
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
        speaker_notes=ctx.notes("hourly", "received", "resolved", "open_at_end", "open_overdue"),
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
        speaker_notes=ctx.notes("land", "open_overdue", "open_due_soon"),
    )


LAND_CLASSES = 4  # colour classes of the land map: none overdue, then three equal ranges
LABEL_SPACING = 0.06  # degrees: a map label closer than this to a placed one is left out


def land_classes(most: int) -> list[tuple[int, int]]:
    """(low, high) overdue counts of each colour class: (0, 0), then 1..most in up to three
    ranges of equal width (fewer when most is small)."""
    classes = [(0, 0)]
    low = 1
    for step in range(1, LAND_CLASSES):
        high = -(-most * step // (LAND_CLASSES - 1))
        if high >= low:
            classes.append((low, high))
            low = high + 1
    return classes


def land_figure(city: pl.DataFrame, lang: str = "vi") -> go.Figure:
    """A static map of the commune cells shaded by overdue land dossiers in a few classes, each
    named in the legend (no basemap), the communes with the most overdue labelled where their
    labels do not overlap; for the exports (the page draws the interactive pydeck map)."""
    fig = go.Figure()
    most = int(city["overdue"].max() or 0) if city.height else 0
    classes = land_classes(most)
    # one filled trace per class, its rings apart by None (Plotly fills each ring), and one
    # marker trace per class for communes without a cell: a few traces, not one per ring
    rings: dict[int, tuple[list, list]] = {}
    dots: dict[int, tuple[list, list]] = {}
    for row in city.iter_rows(named=True):
        index = next(i for i, (_, high) in enumerate(classes) if row["overdue"] <= high)
        if row["geometry"]:
            xs, ys = rings.setdefault(index, ([], []))
            for ring in _outer_rings(json.loads(row["geometry"])):
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
        elif row["lon"] is not None:
            xs, ys = dots.setdefault(index, ([], []))
            xs.append(row["lon"])
            ys.append(row["lat"])
    for index, (low, high) in enumerate(classes):
        share = index / max(len(classes) - 1, 1)
        rgb = tuple(
            round(a + (b - a) * share) for a, b in zip(land.CELL_LOW, land.CELL_HIGH, strict=True)
        )
        style = {
            "name": fmt_number(low, lang) if low == high else f"{low}–{high}",
            "legendgroup": str(index),
            "legendrank": index,
            "hoverinfo": "skip",
        }
        if index in rings:
            fig.add_trace(
                go.Scatter(
                    x=rings[index][0],
                    y=rings[index][1],
                    fill="toself",
                    fillcolor=f"rgb{rgb}",
                    line={"color": "#777", "width": 0.5},
                    mode="lines",
                    **style,
                )
            )
        if index in dots:
            fig.add_trace(
                go.Scatter(
                    x=dots[index][0],
                    y=dots[index][1],
                    mode="markers",
                    marker={
                        "size": 14 + 30 * share,
                        "color": f"rgb{rgb}",
                        "line": {"color": "#777"},
                    },
                    showlegend=index not in rings,
                    **style,
                )
            )
    placed: list[tuple[float, float, str]] = []
    for row in (
        city.filter(pl.col("overdue") > 0).sort("overdue", descending=True).iter_rows(named=True)
    ):
        if len(placed) == TOP_N or row["lon"] is None:
            break
        if all(
            abs(row["lon"] - x) > LABEL_SPACING * 2 or abs(row["lat"] - y) > LABEL_SPACING
            for x, y, _ in placed
        ):
            placed.append((row["lon"], row["lat"], f"{row['commune_name']}: {row['overdue']}"))
    fig.add_trace(
        go.Scatter(
            x=[x for x, _, _ in placed],
            y=[y for _, y, _ in placed],
            mode="markers+text",
            text=[label for _, _, label in placed],
            textposition="top center",
            marker={"size": 8, "color": "#111"},
            textfont={"size": 14, "color": "#111"},
            showlegend=False,
            hoverinfo="skip",
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
        legend={
            "title": {"text": t("land.sum.overdue", lang)},
            "orientation": "v",
            "x": 0,
            "y": 0,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
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
        speaker_notes=ctx.notes(
            "score",
            "rank_change",
            "received",
            *drilldown.FORECAST_RATES,
            "open_overdue",
            "city_median",
        ),
    )


def commune_codes(con: duckdb.DuckDBPyConnection, province: str = config.DEFAULT_PROVINCE):
    """(code, name) of the province's communes, the allowlist of commune slides."""
    frame = run_query(con, "communes_of_province", province=province)
    return list(zip(frame["commune_code"].to_list(), frame["commune_name"].to_list(), strict=True))


THEME_COLOURS = {
    "dark": {"background": "#0e1621", "text": "#eef2f7", "card": "#1b2838", "grid": "#33475b"},
    "light": {"background": "#ffffff", "text": "#14202e", "card": "#f1f4f8", "grid": "#d5dde6"},
}


def styled_figure(figure: go.Figure, theme: str, height: int = 520) -> go.Figure:
    """A copy of a slide's chart in the screen theme with type large enough for a room."""
    colours = THEME_COLOURS[theme if theme in THEMES else "dark"]
    styled = go.Figure(figure)
    styled.update_layout(
        template="plotly_dark" if theme == "dark" else "plotly_white",
        paper_bgcolor=colours["background"],
        plot_bgcolor=colours["background"],
        font={"size": 20, "color": colours["text"]},
        legend={"font": {"size": 20}},
        height=height,
    )
    if figure.layout.yaxis.scaleanchor is None:
        styled.update_xaxes(gridcolor=colours["grid"], title_font={"size": 20})
        styled.update_yaxes(gridcolor=colours["grid"], title_font={"size": 20})
    # text on the bars (and beside them) in the slide's type
    styled.update_traces(textfont={"size": 20}, selector={"type": "bar"})
    styled.update_traces(textfont={"size": 20, "color": colours["text"]}, selector={"mode": "text"})
    return styled


def deck_title(period: Period, preset: str, lang: str = "vi") -> str:
    """'Báo cáo tuần 06/10/2025 – 12/10/2025' for the weekly report, else 'Trình chiếu …'."""
    key = "present.deck.week" if preset == "week" else "present.deck.title"
    return t(key, lang, period=period_label(period, lang))


def file_stem(period: Period, preset: str) -> str:
    """bao-cao-tuan_20251006-20251012 / trinh-chieu_20251006-20251012."""
    name = "bao-cao-tuan" if preset == "week" else "trinh-chieu"
    return f"{name}_{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"


def _actions(ctx: _Context, ref: SlideRef) -> list[Slide]:
    """Việc giao cuộc họp trước (issue 16): the last meeting's actions and those still open from
    earlier ones, done / late / open as of today, with their counts; the workbook gets every
    column. No slide when no meeting has carried anything the role may see."""
    from ioc import actions

    carried = actions.carried(ctx.con, ctx.scope, ctx.period, ctx.lang)
    if carried.meeting is None:
        return []
    numbers = [
        Number(
            ctx.tr(f"action.status.{s}"),
            fmt_number(carried.counts[s], ctx.lang),
            light=actions.LIGHTS[s],
        )
        for s in ("done", "late", "open")
    ]
    today = fmt_date(config.now().date(), ctx.lang)
    return [
        Slide(
            "actions",
            ref.token,
            ctx.tr("present.slide.actions"),
            ctx.tr(
                "action.slide.subtitle",
                day=fmt_date(carried.meeting.held_on, ctx.lang),
                title=carried.meeting.title,
            ),
            numbers,
            [Table(ctx.tr("action.table"), carried.rows, actions.COLUMNS)],
            note=ctx.tr("action.slide.note", today=today),
            sheets=[Table(ctx.tr("action.sheet", day=today), carried.rows, actions.SHEET_COLUMNS)],
            speaker_notes=ctx.tr("action.slide.speaker_notes", **carried.counts),
        )
    ]
