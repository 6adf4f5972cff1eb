"""The layout a slide of the presenter deck has in every file format: boxes on the page, the
rows of a table that fit, captions and footers (pptx.py and pdf.py draw it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import polars as pl

from ioc.i18n import t
from ioc.tables import NUMERIC_KINDS, tone

if TYPE_CHECKING:
    from ioc.presentation import Slide

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
MARGIN = 0.45
GAP = 0.15
NAVY = (21, 57, 107)
GREY = (90, 90, 90)
BOX_FILL = (241, 244, 248)
LIGHT_RGB = {
    "green": (46, 125, 50),
    "amber": (249, 168, 37),
    "red": (198, 40, 40),
    "none": (158, 158, 158),
}
UP_RGB, DOWN_RGB = LIGHT_RGB["green"], LIGHT_RGB["red"]

# Type sizes in points: a projected room reads nothing smaller than 18 pt (issue 16).
TITLE_PT, SUBTITLE_PT, TEXT_PT, VALUE_PT = 30, 20, 18, 32
LINE_INCHES = TEXT_PT / 72 * 1.3  # one line of 18 pt text
ROW_INCHES = 0.42  # a table row of one line at 18 pt, padding included


MEASURE_PT = 100  # glyph advances read at this size, then scaled


@cache
def _measurer(bold: bool):
    """DejaVu Sans (the PDF's font) through FreeType, which reads a font in milliseconds."""
    from PIL import ImageFont

    from ioc.exports.pdf import font_files

    return ImageFont.truetype(str(font_files()[1 if bold else 0]), MEASURE_PT)


@lru_cache(maxsize=65536)
def text_width(text: str, size: float = TEXT_PT, bold: bool = False) -> float:
    """Inches the text takes in DejaVu Sans (PowerPoint's fonts are about as wide)."""
    return _measurer(bold).getlength(text) * size / MEASURE_PT / 72


MIN_TITLE_PT = 22


def title_pt(title: str, room: float) -> float:
    """The title's size: TITLE_PT, smaller (to MIN_TITLE_PT) until it takes one line."""
    size = TITLE_PT
    while size > MIN_TITLE_PT and text_width(title, size, bold=True) > room:
        size -= 1
    return size


def cut_to(text: str, room: float, size: float = TEXT_PT, bold: bool = False) -> str:
    """The text, cut with "…" to fit `room` inches."""
    if text_width(text, size, bold) <= room:
        return text
    while text and text_width(text + "…", size, bold) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def lines_needed(text: str, room: float, size: float = TEXT_PT, bold: bool = False) -> int:
    """Lines the text wraps into at word boundaries in `room` inches."""
    lines, current = 1, ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size, bold) > room:
            lines, current = lines + 1, word
        else:
            current = trial
    return lines


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Layout:
    """Where each part of a slide goes, in inches (shared by the .pptx and the .pdf)."""

    title: Box
    subtitle: Box
    numbers: list[Box]
    figure: Box | None
    tables: list[Box]
    bullets: Box | None
    note: Box | None
    footer: Box
    first_number: int = 0  # the slide's card the page's first card box holds
    first_row: int = 0  # the table's row the page's table starts at (a table continued)


CARD_PAD = 0.12
MIN_CHART_INCHES = 2.4  # a chart lower than this goes to a page of its own
MIN_TABLE_INCHES = 2.9  # a table lower than this (caption, header, three rows) too
MIN_TABLE_ROWS = 6  # a table shows this many rows (or all it has) on a page, else it moves on
TIGHT_TABLE_ROWS = 3  # ... or this many beside the cards, rather than cards alone on a page
CONTINUED_ROWS = 2  # ... or this many under the cards, the table going on over the next page


# Cards in a row at least, by density, when the roomy grid leaves too little for the rest (or
# the cards do not fit a page): their labels wrap.
DENSE_CARDS = (1, 4, 6)
CARDS_TOP = 1.45  # inches: under the title and subtitle


def _card_grid(slide: Slide, width: float, dense: int = 0) -> tuple[int, float]:
    """Cards per row (each wide enough for its label on one line, when the page allows; denser:
    at least DENSE_CARDS[dense], their labels wrapping) and the height of a card (label and note
    wrapped at 18 pt, the value at 32 pt)."""
    n = len(slide.numbers)
    widest = max(text_width(x.label) for x in slide.numbers) + 2 * CARD_PAD + 0.1
    per_row = max(1, min(n, int((width + GAP) / (widest + GAP))))
    per_row = max(per_row, min(n, DENSE_CARDS[dense]))
    rows = -(-n // per_row)
    per_row = -(-n // rows)  # balanced rows: 4 + 3, not 6 + 1
    inner = (width - GAP * (per_row - 1)) / per_row - 2 * CARD_PAD
    label = max(lines_needed(x.label, inner) for x in slide.numbers)
    note = max(lines_needed(x.note, inner) if x.note else 0 for x in slide.numbers)
    height = 2 * CARD_PAD + (label + note) * LINE_INCHES + VALUE_PT / 72 * 1.3
    return per_row, height


# The ways a slide is spread over pages, tried in order until every page has room (numbers,
# figure, tables on each page): all on one; the tables on a page of their own; the chart on a
# page of its own; the numbers on a page of their own; each part on its own page. Each is tried
# with the roomy card grid, then the dense one.
SPLITS = (
    ((True, True, True),),
    ((True, True, False), (False, False, True)),
    ((True, False, True), (False, True, False)),
    ((True, False, False), (False, True, True)),
    ((True, False, False), (False, True, False), (False, False, True)),
)


def _chart_room(slide: Slide) -> float:
    """Inches a chart needs: MIN_CHART_INCHES, and sideways bars a line per category."""
    from ioc.exports.chart import CategoryChart, chart_of

    chart = chart_of(slide.figure)
    if isinstance(chart, CategoryChart) and chart.horizontal:
        return max(MIN_CHART_INCHES, 0.3 * len(chart.categories) + 1.1)
    return MIN_CHART_INCHES


def _roomy(slide: Slide, page: Layout, lang: str, rows: int = MIN_TABLE_ROWS) -> bool:
    """The cards end above the footer, every table on the page shows `rows` rows (or all it
    has), the chart has room."""
    if page.numbers and page.numbers[-1].y + page.numbers[-1].h > page.footer.y - 0.05:
        return False
    for table, box in zip(slide.tables, page.tables, strict=False):
        shown = len(grid(table, box, lang, page.first_row).rows)
        if shown < min(rows, table.frame.height - page.first_row) or (
            rows == MIN_TABLE_ROWS and box.h < MIN_TABLE_INCHES
        ):
            return False
    return page.figure is None or page.figure.h >= _chart_room(slide)


def layouts(slide: Slide, lang: str = "vi") -> list[Layout]:
    """The pages a slide takes in a file: one when its parts have room at 18 pt, else the first
    split of SPLITS whose pages all have room (the later pages carry the same title, continued).
    A split that leaves the cards alone on a page (most of it empty) comes last: before it, the
    others are tried again with tables of TIGHT_TABLE_ROWS rows beside the cards."""
    parts = (bool(slide.numbers or slide.bullets), slide.figure is not None, bool(slide.tables))

    def spread(split) -> list[Layout]:
        return [
            flags
            for flags in split
            if any(want and has for want, has in zip(flags, parts, strict=True))
        ]

    def cards_alone(split) -> bool:  # key messages alone are a page's worth: not counted
        rest = [flags[1] and parts[1] or flags[2] and parts[2] for flags in spread(split)]
        return bool(slide.numbers) and any(parts[1:]) and not rest[0]

    def first_fit(tries) -> list[Layout] | None:
        for split, rows in tries:
            for dense in range(len(DENSE_CARDS)):
                pages = [layout(slide, *flags, dense=dense) for flags in spread(split)]
                if pages and all(_roomy(slide, page, lang, rows) for page in pages):
                    return pages
        return None

    found = (
        first_fit([(s, MIN_TABLE_ROWS) for s in SPLITS if not cards_alone(s)])
        or first_fit([(s, TIGHT_TABLE_ROWS) for s in SPLITS if not cards_alone(s)])
        or _table_continued(slide, lang)
        or first_fit([(s, MIN_TABLE_ROWS) for s in SPLITS if cards_alone(s)])
    )
    if found:
        return found
    if slide.numbers:  # more cards than a page holds: a page of cards, then the rest as ever
        return _cards_first(slide, lang)
    # none has room: each part on a page of its own
    last = [layout(slide, *f, dense=len(DENSE_CARDS) - 1) for f in spread(SPLITS[-1])]
    return last or [layout(slide)]


def _table_continued(slide: Slide, lang: str) -> list[Layout] | None:
    """The cards with the first CONTINUED_ROWS rows (or more) of the slide's one table under
    them, the table going on over the next page: rather than the cards alone on a page (a slide
    with no chart whose table's header leaves too little room under the cards)."""
    from dataclasses import replace

    if slide.figure is not None or len(slide.tables) != 1 or not slide.numbers:
        return None
    for dense in range(len(DENSE_CARDS)):
        first = layout(slide, True, False, True, dense=dense)
        if not _roomy(slide, first, lang, CONTINUED_ROWS):
            continue
        shown = len(grid(slide.tables[0], first.tables[0], lang).rows)
        rest = replace(layout(slide, False, False, True), first_row=shown)
        return [first, rest] if shown < slide.tables[0].frame.height else [first]
    return None


def _cards_first(slide: Slide, lang: str) -> list[Layout]:
    """A page of as many of the slide's cards (and its key messages) as it holds, four to a
    row; the other cards, the chart and the tables laid out after it as any slide's parts."""
    from dataclasses import replace

    per_row, box_h = _card_grid(slide, SLIDE_W - 2 * MARGIN, 1)
    size = per_row * max(1, int((SLIDE_H - 0.6 - CARDS_TOP + GAP) // (box_h + GAP)))
    first = layout(replace(slide, numbers=slide.numbers[:size]), True, False, False, dense=1)
    rest = replace(slide, numbers=slide.numbers[size:], bullets=[])
    if not (rest.numbers or rest.figure is not None or rest.tables):
        return [first]
    later = layouts(rest, lang)
    return [first, *(replace(page, first_number=page.first_number + size) for page in later)]


@dataclass(frozen=True)
class Page:
    """One page of a file: its slide, where the parts go, its title and its footer."""

    slide: Slide
    spots: Layout
    title: str
    footer: str


def pages(slides: Sequence[Slide], deck_title: str, lang: str) -> list[Page]:
    """Every page of the deck's files. The footer counts slides, as the screen and the cover's
    agenda do, so a slide's second page reads "3/12 (tiếp)"."""
    out = []
    for number, slide in enumerate(slides, start=1):
        for k, spots in enumerate(layouts(slide, lang)):
            title = t("export.continued", lang, title=slide.title) if k else slide.title
            footer = f"{deck_title} · {number}/{len(slides)}"
            out.append(
                Page(slide, spots, title, footer + (" " + t("export.more", lang) if k else ""))
            )
    return out


def layout(
    slide: Slide,
    numbers: bool = True,
    figure: bool = True,
    tables: bool = True,
    dense: int = 0,
) -> Layout:
    """Title and subtitle on top, the big numbers in rows, then the key messages, the chart
    (left) beside the tables (right, stacked); a note line and the footer at the bottom. A part
    that is missing gives its room to the others, so no quarter of a page stays empty.
    numbers / figure / tables False: the page without that part (it is on another page);
    dense: the cards closer (_card_grid)."""
    width = SLIDE_W - 2 * MARGIN
    title = Box(MARGIN, 0.25, width, 0.65)
    subtitle = Box(MARGIN, 0.9, width, 0.45)
    y = CARDS_TOP
    cards = []
    if slide.numbers and numbers:
        per_row, box_h = _card_grid(slide, width, dense)
        box_w = (width - GAP * (per_row - 1)) / per_row
        for i in range(len(slide.numbers)):
            row, col = divmod(i, per_row)
            cards.append(Box(MARGIN + col * (box_w + GAP), y + row * (box_h + GAP), box_w, box_h))
        y = cards[-1].y + box_h + 0.2
    footer = Box(MARGIN, SLIDE_H - 0.5, width, 0.4)
    bottom = footer.y - 0.1
    with_figure = figure and slide.figure is not None
    count = len(slide.tables) if tables else 0
    note = None
    # the note goes with the chart (or with the tables when the slide has no chart)
    if slide.note and (
        with_figure
        or (count and slide.figure is None)
        or not (slide.figure is not None or slide.tables)
    ):
        lines = lines_needed(slide.note, width)
        note = Box(MARGIN, bottom - lines * LINE_INCHES, width, lines * LINE_INCHES)
        bottom = note.y - 0.1
    bullets = None
    if slide.bullets and numbers:
        lines = sum(lines_needed(f"• {b}", width, TEXT_PT + 2) for b in slide.bullets)
        rest = with_figure or count
        high = min(lines * LINE_INCHES * 1.35, (bottom - y) * (0.5 if rest else 1))
        bullets = Box(MARGIN, y, width, high)
        y += high + 0.15
    height = bottom - y
    chart = None
    table_boxes: list[Box] = []
    if with_figure and count:
        fig_w = width * (0.5 if count == 1 else 0.45)
        chart = Box(MARGIN, y, fig_w, height)
        x = MARGIN + fig_w + GAP * 2
        table_w = width - fig_w - GAP * 2
        table_h = (height - GAP * (count - 1)) / count
        table_boxes = [Box(x, y + i * (table_h + GAP), table_w, table_h) for i in range(count)]
    elif with_figure:
        chart = Box(MARGIN, y, width, height)
    elif count:
        table_w = (width - GAP * 2 * (count - 1)) / count
        table_boxes = [
            Box(MARGIN + i * (table_w + GAP * 2), y, table_w, height) for i in range(count)
        ]
    return Layout(title, subtitle, cards, chart, table_boxes, bullets, note, footer)


@dataclass(frozen=True)
class Grid:
    """A table as a slide draws it: caption, headers, the rows that fit as text, each column's
    alignment ('R' for figures) and each cell's colour (None: the table's text colour)."""

    caption: str
    caption_h: float  # inches: one or two lines
    headers: list[str]
    rows: list[list[str]]
    align: list[str]
    colours: list[list[tuple[int, int, int] | None]]
    widths: list[float]  # inches


TONE_RGB = {"good": UP_RGB, "bad": DOWN_RGB, "warn": (176, 120, 0)}


CELL_PAD = 0.14  # left + right padding of a table cell, inches
MAX_COLUMN_INCHES = 3.6
FIT_SLACK = 0.05  # inches: PowerPoint's and LibreOffice's fonts run a little wider


def _fit_columns(shown: pl.DataFrame, room: float) -> tuple[list[int], list[float]]:
    """The columns that fit side by side in `room` inches (in order; the first always), and
    their widths: enough for the longest header word and the longest value (long text is cut
    to MAX_COLUMN_INCHES), the spare room shared out."""
    needs = []
    for header in shown.columns:
        word = max((text_width(w, bold=True) for w in header.split()), default=0.3)
        value = max([0.3] + [text_width(str(v)) for v in shown[header].to_list()])
        needs.append(max(word, min(value, MAX_COLUMN_INCHES)) + CELL_PAD + FIT_SLACK)
    kept, total = [], 0.0
    for i, need in enumerate(needs):
        if i == 0 or total + need <= room:
            kept.append(i)
            total += need
    widths = [min(needs[i], room) for i in kept]
    # spare room first to the headers that would wrap, shared evenly (a header on one line
    # takes no more than it needs), then to every column alike
    short = {
        k: text_width(shown.columns[i], bold=True) + CELL_PAD + FIT_SLACK - widths[k]
        for k, i in enumerate(kept)
    }
    short = {k: v for k, v in short.items() if v > 0}
    while short and room - sum(widths) > 0.01:
        share = (room - sum(widths)) / len(short)
        for k in list(short):
            extra = min(share, short[k])
            widths[k] += extra
            short[k] -= extra
            if short[k] <= 1e-9:
                del short[k]
    spare = max(0.0, room - sum(widths)) / len(kept)
    return kept, [w + spare for w in widths]


def grid(table, box: Box, lang: str, start: int = 0) -> Grid:
    """The table of a slide fitted to its box: the columns that fit its width (the workbook has
    them all), the rows from `start` (a table continued from the page before) that fit under its
    header, text cut to its column."""
    shown = table.display(lang)
    columns = list(table.spec.items())
    kept, widths = _fit_columns(shown.head(60), box.w)
    headers = [shown.columns[i] for i in kept]
    header_lines = max(
        lines_needed(h, w - CELL_PAD, bold=True) for h, w in zip(headers, widths, strict=True)
    )
    longest = _caption(table.title, 0, table.frame.height, lang, True)
    caption_h = min(2, lines_needed(longest, box.w, bold=True)) * LINE_INCHES + 0.08
    room = max(1, int((box.h - caption_h - header_lines * LINE_INCHES - 0.1) / ROW_INCHES))
    shown = shown.slice(start, room)
    raw = table.frame.slice(start, shown.height)
    kinds = [columns[i][1][1] for i in kept]
    rows = []
    for values in shown.iter_rows():
        row = []
        for i, kind, width in zip(kept, kinds, widths, strict=True):
            text = str(values[i])
            if kind == "light":  # the word alone: the fonts lack the marks
                text = text.split(" ", 1)[-1]
            row.append(cut_to(text, width - CELL_PAD))
        rows.append(row)
    colours = [
        [TONE_RGB.get(tone(raw[columns[i][0]][r], columns[i][1][1]) or "") for i in kept]
        for r in range(shown.height)
    ]
    caption = _caption(
        table.title, shown.height, table.frame.height, lang, len(kept) < len(columns), start
    )
    return Grid(
        caption=caption,
        caption_h=caption_h,
        headers=headers,
        rows=rows,
        align=["R" if k in NUMERIC_KINDS else "L" for k in kinds],
        colours=colours,
        widths=widths,
    )


def _caption(
    title: str, shown: int, total: int, lang: str, cut_columns: bool = False, start: int = 0
) -> str:
    """The table's title, saying how many rows (and whether columns) were left out for lack of
    room, or which rows a continued table's page shows: the workbook has them all."""
    if start:
        return f"{title} ({t('export.rows_from', lang, first=start + 1, last=start + shown, total=total)})"
    if shown < total and cut_columns:
        return f"{title} ({t('export.more_rows_columns', lang, shown=shown, total=total)})"
    if shown < total:
        return f"{title} ({t('present.more_rows', lang, shown=shown, total=total)})"
    if cut_columns:
        return f"{title} ({t('export.more_columns', lang)})"
    return title


@dataclass(frozen=True)
class MapLayout:
    """A map chart placed in a box, in inches: the outlines, the numbered markers of the
    labelled communes, and beside the map their names and the colour scale."""

    polygons: list[tuple[list[tuple[float, float]], tuple[int, int, int]]]
    points: list[tuple[float, float, float, tuple[int, int, int]]]
    markers: list[tuple[float, float]]
    key: Box
    key_title: str
    key_lines: list[str]
    scale: list[tuple[Box, tuple[int, int, int]]]
    scale_labels: list[tuple[Box, str, str]]  # box, text, "left" | "right"


SCALE_STEPS = 5


def map_layout(chart, box: Box) -> MapLayout:
    """Longitude and latitude to inches (equirectangular at the map's latitude, north up), the
    map filling the left of the box and the key the right."""
    import math

    key_w = min(4.2, box.w * 0.4)
    area = Box(box.x, box.y, box.w - key_w - GAP, box.h)
    xs = [x for ring, _ in chart.polygons for x, _ in ring] + [p[0] for p in chart.points]
    ys = [y for ring, _ in chart.polygons for _, y in ring] + [p[1] for p in chart.points]
    if not xs:
        xs, ys = [0.0, 1.0], [0.0, 1.0]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    stretch = 1 / max(0.2, math.cos(math.radians((south + north) / 2)))
    span_x, span_y = max(east - west, 1e-9), max((north - south) * stretch, 1e-9)
    scale = min(area.w / span_x, area.h / span_y)
    left = area.x + (area.w - span_x * scale) / 2
    top = area.y + (area.h - span_y * scale) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return left + (x - west) * scale, top + (north - y) * stretch * scale

    polygons = [([at(x, y) for x, y in ring], colour) for ring, colour in chart.polygons if ring]
    points = [(*at(x, y), size / 72, colour) for x, y, size, colour in chart.points]
    markers = [at(x, y) for x, y, _ in chart.labels]
    legend = chart.legend
    key = Box(box.x + box.w - key_w, box.y, key_w, box.h - 1.1)
    lines = [cut_to(f"{i}. {text}", key_w) for i, (_, _, text) in enumerate(chart.labels, start=1)]
    markers = _apart(markers, 0.42)
    swatches, labels = [], []
    if "low_colour" in legend and "high_colour" in legend:
        from ioc.exports.chart import colour_of

        low, high = colour_of(legend["low_colour"]), colour_of(legend["high_colour"])
        step_w = key_w / SCALE_STEPS
        y = box.y + box.h - 0.95
        for i in range(SCALE_STEPS):
            share = i / (SCALE_STEPS - 1)
            colour = tuple(round(a + (b - a) * share) for a, b in zip(low, high, strict=True))
            swatches.append((Box(key.x + i * step_w, y, step_w, 0.35), colour))
        labels = [
            (Box(key.x, y + 0.4, key_w / 2, 0.4), str(legend.get("low", "")), "left"),
            (Box(key.x + key_w / 2, y + 0.4, key_w / 2, 0.4), str(legend.get("high", "")), "right"),
        ]
    return MapLayout(
        polygons, points, markers, key, legend.get("title", ""), lines, swatches, labels
    )


def _apart(spots: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Markers moved down until none covers another."""
    placed: list[tuple[float, float]] = []
    for x, y in spots:
        while any(abs(x - a) < gap and abs(y - b) < gap for a, b in placed):
            y += gap / 2
        placed.append((x, y))
    return placed
