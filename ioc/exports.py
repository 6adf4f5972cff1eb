"""Downloads: tables written as Excel workbooks with Vietnamese headers and proper number formats;
a chart as PNG; the presenter deck (ioc.presentation) as PowerPoint, PDF and Excel.

Cells are written by type: numbers stay numbers (so a leader can sort and sum in Excel), text is
always written as text, so a commune or applicant string starting with = + - @ can never become a
formula in the reader's spreadsheet (CSV/formula injection).

Charts are rendered to PNG by plotly + kaleido 1.x, which drives the system chromium (Debian's
/usr/bin/chromium) with plotly.js from the plotly package and MathJax off: no network. The PDF uses
the DejaVu Sans TTF (Debian package fonts-dejavu-core) for the Vietnamese glyphs.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import threading
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import polars as pl
import xlsxwriter

from ioc.i18n import t
from ioc.tables import cell

if TYPE_CHECKING:
    from ioc.presentation import Slide

# format name -> xlsxwriter number format
NUMBER_FORMATS = {
    "percent": "0.0%",
    "integer": "#,##0",
    "number": "#,##0.0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "text": "@",
}


def table_to_xlsx(
    frame: pl.DataFrame,
    headers: Mapping[str, str],
    formats: Mapping[str, str] | None = None,
    sheet_name: str = "Sheet1",
) -> bytes:
    """An .xlsx file of the columns named in `headers` (column -> header text, in that order).

    `formats` maps a column to a key of NUMBER_FORMATS ('percent' for 0..1 rates, 'integer',
    'number', 'date', 'datetime', 'text'). Nulls are left blank; booleans are written as booleans.
    """
    formats = dict(formats or {})
    unknown = set(formats.values()) - set(NUMBER_FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    _add_sheet(book, frame, headers, formats, sheet_name)
    book.close()
    return buffer.getvalue()


def _add_sheet(
    book: xlsxwriter.Workbook,
    frame: pl.DataFrame,
    headers: Mapping[str, str],
    formats: Mapping[str, str],
    sheet_name: str,
) -> None:
    name = re.sub(r"[\[\]:*?/\\]", "-", sheet_name)[:31]
    taken = {s.get_name() for s in book.worksheets()}
    for n in range(2, 100):
        if name not in taken:
            break
        name = f"{name[: 31 - len(str(n)) - 1]}~{n}"
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    cell_formats = {name: book.add_format({"num_format": f}) for name, f in NUMBER_FORMATS.items()}
    columns = list(headers)
    for col, name in enumerate(columns):
        sheet.write_string(0, col, str(headers[name]), bold)
        kind = formats.get(name)
        fmt = cell_formats.get(kind) if kind else None
        width = max(10, min(40, len(str(headers[name])) + 2))
        for row, value in enumerate(frame[name].to_list(), start=1):
            _write(sheet, row, col, value, fmt)
            if isinstance(value, str):
                width = max(width, min(40, len(value) + 2))
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(frame.height, 1), max(len(columns) - 1, 0))


def _write(sheet, row: int, col: int, value: object, fmt) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, list | tuple):
        sheet.write_string(row, col, ", ".join(str(v) for v in value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


# ioc.tables.display cell kind -> NUMBER_FORMATS key; other kinds are words (written as text).
KIND_FORMATS = {
    "int": "integer",
    "num": "number",
    "pct": "percent",
    "date": "date",
    "datetime": "datetime",
    "text": "text",
}


def spec_frame(
    frame: pl.DataFrame, spec: Mapping[str, tuple[str, str]], lang: str = "vi"
) -> tuple[pl.DataFrame, dict[str, str], dict[str, str]]:
    """A table spec (column -> (header key, cell kind), as ioc.tables.display takes) as the
    frame, headers and formats of table_to_xlsx: numbers and dates stay values, word kinds
    (lights, rank arrows, translated codes) become their words."""
    columns = {}
    formats = {}
    for column, (_, kind) in spec.items():
        if kind in KIND_FORMATS:
            columns[column] = frame[column]
            formats[column] = KIND_FORMATS[kind]
        else:
            words = [str(cell(v, kind, lang)) for v in frame[column].to_list()]
            columns[column] = pl.Series(column, words, dtype=pl.String)
            formats[column] = "text"
    headers = {column: t(key, lang) for column, (key, _) in spec.items()}
    return pl.DataFrame(columns), headers, formats


def spec_to_xlsx(
    frame: pl.DataFrame,
    spec: Mapping[str, tuple[str, str]],
    lang: str = "vi",
    sheet_name: str = "Sheet1",
) -> bytes:
    """Any table shown through a spec as an .xlsx with its on-screen headers and real numbers."""
    values, headers, formats = spec_frame(frame, spec, lang)
    return table_to_xlsx(values, headers, formats, sheet_name)


def deck_to_xlsx(slides: Sequence[Slide], lang: str = "vi") -> bytes:
    """Every table of a deck, one sheet each, named after its slide and table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for slide in slides:
        for table in slide.tables:
            values, headers, formats = spec_frame(table.frame, table.spec, lang)
            _add_sheet(book, values, headers, formats, f"{slide.title} - {table.title}")
    if not book.worksheets():
        book.add_worksheet(t("present.no_tables", lang)[:31])
    book.close()
    return buffer.getvalue()


_KALEIDO_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def figures_png(
    figures: Sequence[go.Figure | None], sizes: Sequence[tuple[int, int]], scale: float = 2.0
) -> list[bytes | None]:
    """PNG bytes of each figure at (width, height) CSS pixels; None for a missing figure or when
    no chromium can render (the export then goes without the chart instead of failing)."""
    import kaleido

    out: list[bytes | None] = [None] * len(figures)
    if not any(f is not None for f in figures):
        return out
    # One kaleido server (one chromium) for the whole batch: about 0.3 s a chart instead of 2 s.
    with _KALEIDO_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        except Exception:  # noqa: BLE001 - no browser: the deck is still useful without charts
            log.exception("kaleido could not start; charts left out")
            return out
        try:
            for i, (figure, (width, height)) in enumerate(zip(figures, sizes, strict=True)):
                if figure is None:
                    continue
                try:
                    out[i] = figure.to_image(format="png", width=width, height=height, scale=scale)
                except Exception:  # noqa: BLE001
                    log.exception("chart %d could not be rendered", i)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return out


def figure_png(figure: go.Figure, width: int = 1200, height: int = 600) -> bytes | None:
    """One chart as PNG (None when it cannot be rendered)."""
    return figures_png([figure], [(width, height)])[0]


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


def deck_to_pptx(slides: Sequence[Slide], deck_title: str, lang: str = "vi") -> bytes:
    """The deck as a 16:9 PowerPoint: text, numbers and tables as editable shapes, each chart
    as a picture."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = deck.slide_layouts[6]
    images = _chart_images(slides)

    def text_box(page, box: Box, text: str, size: float, bold=False, colour=(0, 0, 0), align=None):
        shape = page.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
        frame = shape.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = text
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = RGBColor(*colour)
        if align:
            frame.paragraphs[0].alignment = align
        return shape

    for index, (slide, image) in enumerate(zip(slides, images, strict=True), start=1):
        page = deck.slides.add_slide(blank)
        spots = layout(slide)
        text_box(page, spots.title, slide.title, 30, True, NAVY)
        text_box(page, spots.subtitle, slide.subtitle, 16, colour=GREY)
        for number, box in zip(slide.numbers, spots.numbers, strict=True):
            card = page.shapes.add_shape(
                1, Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)
            )
            card.fill.solid()
            card.fill.fore_color.rgb = RGBColor(*BOX_FILL)
            card.line.color.rgb = RGBColor(*LIGHT_RGB.get(number.light or "none"))
            card.line.width = Pt(2.5 if number.light else 0.75)
            frame = card.text_frame
            frame.word_wrap = True
            for i, (text, size, bold) in enumerate(
                ((number.label, 11, False), (number.value, 26, True), (number.note, 9, False))
            ):
                paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.CENTER
                run = paragraph.add_run()
                run.text = text
                run.font.size, run.font.bold = Pt(size), bold
                run.font.color.rgb = RGBColor(*(NAVY if bold else GREY))
        if image is not None and spots.figure is not None:
            box = spots.figure
            page.shapes.add_picture(
                io.BytesIO(image), Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)
            )
        elif spots.figure is not None:
            text_box(page, spots.figure, t("present.no_chart", lang), 14, colour=GREY)
        for table, box in zip(slide.tables, spots.tables, strict=True):
            frame = fit_rows(table.display(lang), box)
            caption = _caption(table.title, frame.height, table.frame.height, lang)
            _pptx_table(page, caption, frame, box, lang)
        if slide.note:
            text_box(page, spots.note, slide.note, 11, colour=GREY)
        text_box(
            page,
            spots.footer,
            _footer(index, len(slides), deck_title),
            10,
            colour=GREY,
            align=PP_ALIGN.RIGHT,
        )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _pptx_table(page, title: str, frame: pl.DataFrame, box: Box, lang: str) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    caption = page.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(0.35))
    run = caption.text_frame.paragraphs[0].add_run()
    run.text = title
    run.font.size, run.font.bold = Pt(13), True
    run.font.color.rgb = RGBColor(*NAVY)
    if frame.height == 0:
        note = page.shapes.add_textbox(
            Inches(box.x), Inches(box.y + 0.4), Inches(box.w), Inches(0.35)
        )
        note.text_frame.paragraphs[0].add_run().text = t("present.empty_table", lang)
        return
    rows = frame.height + 1
    size = 11 if rows <= 7 else 9
    row_h = min(0.36, (box.h - 0.4) / rows)
    shape = page.shapes.add_table(
        rows,
        frame.width,
        Inches(box.x),
        Inches(box.y + 0.4),
        Inches(box.w),
        Inches(row_h * rows),
    )
    grid = shape.table
    widths = _column_weights(frame)
    for col, weight in enumerate(widths):
        grid.columns[col].width = Inches(box.w * weight)
    for col, header in enumerate(frame.columns):
        _pptx_cell(grid.cell(0, col), header, size, True)
        for row, value in enumerate(frame[header].to_list(), start=1):
            _pptx_cell(grid.cell(row, col), str(value), size, False)


def _pptx_cell(target, text: str, size: int, bold: bool) -> None:
    from pptx.util import Inches, Pt

    target.text = text
    target.margin_left = target.margin_right = Inches(0.05)
    target.margin_top = target.margin_bottom = Inches(0.02)
    for paragraph in target.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size, run.font.bold = Pt(size), bold


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


FONT_DIRS = (
    os.environ.get("IOC_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
)


def font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold (Vietnamese glyphs); IOC_FONT_DIR may point elsewhere."""
    for folder in filter(None, FONT_DIRS):
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise RuntimeError(
        "DejaVu Sans not found: install fonts-dejavu-core or set IOC_FONT_DIR to a folder with "
        "DejaVuSans.ttf and DejaVuSans-Bold.ttf"
    )


def deck_to_pdf(slides: Sequence[Slide], deck_title: str, lang: str = "vi") -> bytes:
    """The deck as a PDF with one 16:9 page per slide, the same layout as the .pptx."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = font_files()
    pdf = FPDF(orientation="L", unit="in", format=(SLIDE_H, SLIDE_W))
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(deck_title)
    images = _chart_images(slides)

    def write(box: Box, text: str, size: float, style: str = "", colour=(0, 0, 0), align="L"):
        pdf.set_font("DejaVu", style, size)
        pdf.set_text_color(*colour)
        pdf.set_xy(box.x, box.y)
        pdf.multi_cell(box.w, size / 72 * 1.25, text, align=align)

    for index, (slide, image) in enumerate(zip(slides, images, strict=True), start=1):
        pdf.add_page()
        spots = layout(slide)
        write(spots.title, slide.title, 26, "B", NAVY)
        write(spots.subtitle, slide.subtitle, 14, colour=GREY)
        for number, box in zip(slide.numbers, spots.numbers, strict=True):
            pdf.set_fill_color(*BOX_FILL)
            pdf.set_draw_color(*LIGHT_RGB.get(number.light or "none"))
            pdf.set_line_width(0.035 if number.light else 0.01)
            pdf.rect(box.x, box.y, box.w, box.h, style="DF")
            inner = Box(box.x + 0.05, box.y + 0.08, box.w - 0.1, 0.35)
            write(inner, number.label, 9.5, colour=GREY, align="C")
            write(Box(inner.x, box.y + 0.5, inner.w, 0.45), number.value, 22, "B", NAVY, "C")
            write(
                Box(inner.x, box.y + 0.95, inner.w, 0.45), number.note, 7.5, colour=GREY, align="C"
            )
        if image is not None and spots.figure is not None:
            box = spots.figure
            pdf.image(io.BytesIO(image), box.x, box.y, box.w, box.h)
        elif spots.figure is not None:
            write(spots.figure, t("present.no_chart", lang), 12, colour=GREY)
        for table, box in zip(slide.tables, spots.tables, strict=True):
            frame = fit_rows(table.display(lang), box)
            caption = _caption(table.title, frame.height, table.frame.height, lang)
            write(Box(box.x, box.y, box.w, 0.3), caption, 12, "B", NAVY)
            pdf.set_xy(box.x, box.y + 0.4)
            if frame.height == 0:
                write(Box(box.x, box.y + 0.4, box.w, 0.3), t("present.empty_table", lang), 10)
                continue
            pdf.set_font("DejaVu", "", 11 if frame.height <= 4 and box.w > 6 else 9)
            pdf.set_text_color(0, 0, 0)
            pdf.set_draw_color(200, 200, 200)
            pdf.set_line_width(0.01)
            margin = pdf.l_margin
            pdf.set_left_margin(box.x)
            with pdf.table(
                width=box.w,
                col_widths=_column_weights(frame),
                align="LEFT",
                text_align="LEFT",
                line_height=0.2,
                headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=NAVY),
                padding=0.03,
            ) as grid:
                grid.row(list(frame.columns))
                for values in frame.iter_rows():
                    grid.row([str(v) for v in values])
            pdf.set_left_margin(margin)
        if slide.note:
            write(spots.note, slide.note, 10, colour=GREY)
        write(spots.footer, _footer(index, len(slides), deck_title), 9, colour=GREY, align="R")
    return bytes(pdf.output())
