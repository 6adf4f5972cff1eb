"""The layout a slide of the presenter deck has in every file format: boxes on the page, the
rows of a table that fit, captions and footers (pptx.py and pdf.py draw it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from ioc.exports.png import figures_png
from ioc.i18n import t

if TYPE_CHECKING:
    from ioc.presentation import Slide

# format name -> xlsxwriter number format

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
PX_PER_INCH = 96


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
    note: Box
    footer: Box


def layout(slide: Slide) -> Layout:
    """Title and subtitle on top, the big numbers in a row, then the chart (left) beside the
    tables (right, stacked); a part that is missing gives its room to the others."""
    width = SLIDE_W - 2 * MARGIN
    title = Box(MARGIN, 0.3, width, 0.75)
    subtitle = Box(MARGIN, 1.0, width, 0.4)
    y = 1.5
    numbers = []
    if slide.numbers:
        n = len(slide.numbers)
        box_w = (width - GAP * (n - 1)) / n
        numbers = [Box(MARGIN + i * (box_w + GAP), y, box_w, 1.45) for i in range(n)]
        y += 1.45 + 0.25
    bottom = SLIDE_H - 0.75
    height = bottom - y
    figure = None
    table_boxes: list[Box] = []
    count = len(slide.tables)
    if slide.figure is not None and count:
        fig_w = width * (0.58 if count == 1 else 0.5)
        figure = Box(MARGIN, y, fig_w, height)
        x = MARGIN + fig_w + GAP * 2
        table_w = width - fig_w - GAP * 2
        table_h = (height - GAP * (count - 1)) / count
        table_boxes = [Box(x, y + i * (table_h + GAP), table_w, table_h) for i in range(count)]
    elif slide.figure is not None:
        figure = Box(MARGIN, y, width, height)
    elif count:
        table_w = (width - GAP * 2 * (count - 1)) / count
        table_boxes = [
            Box(MARGIN + i * (table_w + GAP * 2), y, table_w, height) for i in range(count)
        ]
    note = Box(MARGIN, bottom + 0.05, width * 0.75, 0.35)
    footer = Box(MARGIN + width * 0.75, bottom + 0.05, width * 0.25, 0.35)
    return Layout(title, subtitle, numbers, figure, table_boxes, note, footer)


def _chart_images(slides: Sequence[Slide]) -> list[bytes | None]:
    boxes = [layout(s).figure for s in slides]
    sizes = [(round(b.w * PX_PER_INCH), round(b.h * PX_PER_INCH)) if b else (0, 0) for b in boxes]
    return figures_png([s.figure for s in slides], sizes)


def _footer(index: int, total: int, deck_title: str) -> str:
    return f"{deck_title} · {index}/{total}"


def _column_weights(frame: pl.DataFrame) -> list[float]:
    """Relative column widths: the longest value (capped, long text wraps) but never narrower
    than the longest word of the header, which would otherwise break inside a word."""
    weights = []
    for header in frame.columns:
        longest_word = max(len(w) for w in header.split()) if header.strip() else 4
        longest_value = max([4] + [len(str(v)) for v in frame[header].to_list()])
        weights.append(max(longest_word * 1.1, min(longest_value, 24)))
    total = sum(weights)
    return [w / total for w in weights]


ROW_INCHES = 0.26  # a table row of one line in the slide's table type, padding included


MAX_CELL_CHARS = 34  # longer text (procedure names) is cut with "…": rows stay one or two lines


def fit_rows(frame: pl.DataFrame, box: Box) -> pl.DataFrame:
    """The rows that fit in a table box under its caption and header (a slide never overflows).

    Long text is shortened so that a row keeps the height the count assumes; the Excel export
    carries the full text.
    """
    room = max(1, int((box.h - 0.4) / ROW_INCHES) - 2)
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    return frame.head(room).with_columns(
        pl.when(pl.col(c).str.len_chars() > MAX_CELL_CHARS)
        .then(pl.col(c).str.slice(0, MAX_CELL_CHARS - 1) + "…")
        .otherwise(pl.col(c))
        for c in text
    )


def _caption(title: str, shown: int, total: int, lang: str) -> str:
    """The table's title, saying how many rows were left out for lack of room."""
    if shown >= total:
        return title
    return f"{title} ({t('present.more_rows', lang, shown=shown, total=total)})"
