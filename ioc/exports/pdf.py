"""PDF: the presenter deck, one landscape page per slide, DejaVu Sans for the Vietnamese glyphs;
charts drawn as vector graphics from the same chart data as the .pptx (no browser)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ioc.exports.chart import CategoryChart, MapChart, chart_of, value_text
from ioc.exports.deck import (
    BOX_FILL,
    CARD_PAD,
    CELL_PAD,
    GREY,
    LIGHT_RGB,
    LINE_INCHES,
    NAVY,
    ROW_INCHES,
    SLIDE_H,
    SLIDE_W,
    SUBTITLE_PT,
    TEXT_PT,
    VALUE_PT,
    Box,
    grid,
    lines_needed,
    map_layout,
    pages,
    title_pt,
)
from ioc.i18n import t

if TYPE_CHECKING:
    from ioc.presentation import Slide

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

    regular, bold = font_files()
    pdf = FPDF(orientation="L", unit="in", format=(SLIDE_H, SLIDE_W))
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(deck_title)
    pdf.set_author(t("present.workbook.author", lang))
    pdf.set_subject(deck_title)
    pdf.set_lang("vi-VN" if lang == "vi" else "en")
    for one in pages(slides, deck_title, lang):
        slide, spots = one.slide, one.spots
        pdf.add_page()
        _write(pdf, spots.title, one.title, title_pt(one.title, spots.title.w), "B", NAVY)
        _write(pdf, spots.subtitle, slide.subtitle, SUBTITLE_PT, colour=GREY)
        for number, box in zip(slide.numbers[spots.first_number :], spots.numbers, strict=False):
            _card(pdf, number, box)
        if spots.bullets is not None:
            _write(
                pdf,
                spots.bullets,
                "\n".join(f"• {b}" for b in slide.bullets),
                TEXT_PT + 2,
                colour=(20, 32, 46),
                spacing=1.6,
            )
        if spots.figure is not None:
            chart = chart_of(slide.figure)
            if isinstance(chart, CategoryChart):
                CategoryDrawing(pdf, chart, spots.figure, lang).draw()
            elif isinstance(chart, MapChart):
                _map(pdf, chart, spots.figure)
            else:
                _write(pdf, spots.figure, t("present.no_chart", lang), TEXT_PT, colour=GREY)
        for table, box in zip(slide.tables, spots.tables, strict=False):
            _table(pdf, grid(table, box, lang, spots.first_row), box, lang)
        if spots.note is not None:
            _write(pdf, spots.note, slide.note, TEXT_PT, colour=GREY)
        _write(pdf, spots.footer, one.footer, TEXT_PT, colour=GREY, align="R")
    return bytes(pdf.output())


def _write(
    pdf,
    box: Box,
    text: str,
    size: float,
    style: str = "",
    colour=(0, 0, 0),
    align="L",
    spacing: float = 1.25,
) -> None:
    pdf.set_font("DejaVu", style, size)
    pdf.set_text_color(*colour)
    pdf.set_xy(box.x, box.y)
    pdf.multi_cell(box.w, size / 72 * spacing, text, align=align)


def _card(pdf, number, box: Box) -> None:
    pdf.set_fill_color(*BOX_FILL)
    pdf.set_draw_color(*LIGHT_RGB.get(number.light or "none"))
    pdf.set_line_width(0.04 if number.light else 0.01)
    pdf.rect(box.x, box.y, box.w, box.h, style="DF")
    inner_w = box.w - 2 * CARD_PAD
    label_h = lines_needed(number.label, inner_w) * TEXT_PT / 72 * 1.2
    _write(
        pdf,
        Box(box.x + CARD_PAD, box.y + 0.08, inner_w, label_h),
        number.label,
        TEXT_PT,
        colour=GREY,
        align="C",
        spacing=1.2,
    )
    value_y = box.y + 0.12 + label_h
    _write(
        pdf, Box(box.x + CARD_PAD, value_y, inner_w, 0.55), number.value, VALUE_PT, "B", NAVY, "C"
    )
    if number.note:
        _write(
            pdf,
            Box(box.x + CARD_PAD, value_y + 0.6, inner_w, box.h - label_h - 0.7),
            number.note,
            TEXT_PT,
            colour=GREY,
            align="C",
            spacing=1.2,
        )


def _table(pdf, table, box: Box, lang: str) -> None:
    """The fitted grid drawn cell by cell (its text was cut to the columns already): a navy
    header whose words may wrap, then one line a row; figures right-aligned, coloured cells
    bold."""
    _write(pdf, Box(box.x, box.y, box.w, table.caption_h), table.caption, TEXT_PT, "B", NAVY)
    top = box.y + table.caption_h
    if not table.rows:
        _write(pdf, Box(box.x, top, box.w, 0.4), t("present.empty_table", lang), TEXT_PT)
        return
    pad = CELL_PAD / 2
    margin, pdf.c_margin = pdf.c_margin, 0  # the cells pad themselves by CELL_PAD
    header_lines = max(
        lines_needed(h, w - CELL_PAD, bold=True)
        for h, w in zip(table.headers, table.widths, strict=True)
    )
    header_h = header_lines * LINE_INCHES + (ROW_INCHES - LINE_INCHES)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.01)
    pdf.set_fill_color(*NAVY)
    pdf.rect(box.x, top, sum(table.widths), header_h, style="FD")
    x = box.x
    for header, width, align in zip(table.headers, table.widths, table.align, strict=True):
        # a header sits at the bottom of its cell, as the rows below it
        lines = lines_needed(header, width - CELL_PAD, bold=True)
        y = top + header_h - lines * LINE_INCHES - (ROW_INCHES - LINE_INCHES) / 2
        pdf.set_font("DejaVu", "B", TEXT_PT)
        pdf.set_text_color(255, 255, 255)
        pdf.set_xy(x + pad, y)
        pdf.multi_cell(width - CELL_PAD, LINE_INCHES, header, align=align)
        x += width
    y = top + header_h
    for values, colours in zip(table.rows, table.colours, strict=True):
        x = box.x
        for value, colour, width, align in zip(
            values, colours, table.widths, table.align, strict=True
        ):
            pdf.rect(x, y, width, ROW_INCHES, style="D")
            pdf.set_font("DejaVu", "B" if colour else "", TEXT_PT)
            pdf.set_text_color(*(colour or (0, 0, 0)))
            pdf.set_xy(x + pad, y)
            pdf.cell(width - CELL_PAD, ROW_INCHES, value, align=align)
            x += width
        y += ROW_INCHES
    pdf.c_margin = margin


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 × 10^k steps) covering low..high."""
    import math

    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


class CategoryDrawing:
    """Bars and lines over categories drawn with fpdf2: value axis with round ticks and its
    title, category labels that never overlap (every k-th, long names cut), values on the bars,
    dashed target lines named in the legend below."""

    def __init__(self, pdf, chart: CategoryChart, box: Box, lang: str):
        self.pdf, self.chart, self.box, self.lang = pdf, chart, box, lang

    def draw(self) -> None:
        pdf, chart, box = self.pdf, self.chart, self.box
        pdf.set_font("DejaVu", "", TEXT_PT)
        legend = [s for s in chart.series if s.legend and s.name]
        if len(chart.series) == 1 and not chart.series[0].line:
            legend = []
        legend_rows = self._legend_rows(legend, box.w)
        legend_h = 0.42 * len(legend_rows)
        ticks = nice_ticks(*self._span())
        tick_w = max(pdf.get_string_width(self._tick(v)) for v in ticks) + 0.1
        title_w = 0.4 if chart.value_title and not chart.horizontal else 0.0
        line = TEXT_PT / 72 * 1.3
        if chart.horizontal:
            names_w = min(
                box.w * 0.38, max(pdf.get_string_width(c) for c in chart.categories) + 0.15
            )
            plot = Box(
                box.x + names_w,
                box.y + 0.1,
                box.w - names_w - 0.3,
                box.h - legend_h - line - (line if chart.value_title else 0) - 0.2,
            )
        else:
            bottom = line + (line if chart.category_title else 0)
            plot = Box(
                box.x + title_w + tick_w,
                box.y + 0.15,
                box.w - title_w - tick_w - 0.1,
                box.h - legend_h - bottom - 0.25,
            )
        self.plot, self.ticks = plot, ticks
        self._grid_and_ticks()
        self._categories()
        self._bars()
        self._lines()
        self._titles(title_w)
        for i, row in enumerate(legend_rows):
            self._legend(row, Box(box.x, box.y + box.h - legend_h + i * 0.42, box.w, 0.42))

    # --- scale -------------------------------------------------------------------------------
    def _span(self) -> tuple[float, float]:
        chart = self.chart
        if chart.value_range is not None:
            return chart.value_range
        values = [v for s in chart.series for v in s.values if v is not None]
        if chart.stacked and chart.bars:
            values += [
                sum(s.values[i] or 0 for s in chart.bars) for i in range(len(chart.categories))
            ]
        return min([0.0, *values]), max([0.0, *values]) or 1.0

    def _tick(self, value: float) -> str:
        return value_text(value, self.chart, self.lang).replace(",0%", "%")

    def _pos(self, value: float) -> float:
        """A value's distance along the value axis, in inches from the axis' start."""
        low, high = self.ticks[0], self.ticks[-1]
        length = self.plot.w if self.chart.horizontal else self.plot.h
        return (min(max(value, low), high) - low) / (high - low) * length

    def _value_point(self, value: float) -> float:
        plot = self.plot
        if self.chart.horizontal:
            return plot.x + self._pos(value)
        return plot.y + plot.h - self._pos(value)

    def _band(self, index: int) -> tuple[float, float]:
        """Start and width of a category's band along the category axis."""
        plot, n = self.plot, len(self.chart.categories)
        length = plot.h if self.chart.horizontal else plot.w
        width = length / n
        return (plot.y if self.chart.horizontal else plot.x) + index * width, width

    # --- parts -------------------------------------------------------------------------------
    def _grid_and_ticks(self) -> None:
        pdf, plot = self.pdf, self.plot
        pdf.set_line_width(0.008)
        pdf.set_font("DejaVu", "", TEXT_PT)
        pdf.set_text_color(*GREY)
        for value in self.ticks:
            at = self._value_point(value)
            pdf.set_draw_color(*((120, 120, 120) if value == 0 else (215, 220, 226)))
            text = self._tick(value)
            if self.chart.horizontal:
                pdf.line(at, plot.y, at, plot.y + plot.h)
                width = pdf.get_string_width(text)
                pdf.text(at - width / 2, plot.y + plot.h + TEXT_PT / 72 * 1.1, text)
            else:
                pdf.line(plot.x, at, plot.x + plot.w, at)
                width = pdf.get_string_width(text)
                pdf.text(plot.x - width - 0.08, at + TEXT_PT / 72 * 0.35, text)

    def _categories(self) -> None:
        pdf, plot, chart = self.pdf, self.plot, self.chart
        pdf.set_font("DejaVu", "", TEXT_PT)
        pdf.set_text_color(30, 30, 30)
        n = len(chart.categories)
        _, band = self._band(0)
        if chart.horizontal:
            skip = max(1, -(-int(TEXT_PT / 72 * 1.2 * 100) // max(1, int(band * 100))))
            room = plot.x - self.box.x - 0.1
        else:
            widest = max(pdf.get_string_width(c) for c in chart.categories) + 0.15
            skip = max(1, -(-int(widest * 100) // max(1, int(band * 100))))
            room = band * skip
        for i in range(0, n, skip):
            text = _cut(pdf, chart.categories[i], room)
            start, width = self._band(i)
            if chart.horizontal:
                pdf.text(
                    plot.x - pdf.get_string_width(text) - 0.1,
                    start + width / 2 + TEXT_PT / 72 * 0.35,
                    text,
                )
            else:
                pdf.text(
                    start + width / 2 - pdf.get_string_width(text) / 2,
                    plot.y + plot.h + TEXT_PT / 72 * 1.1,
                    text,
                )

    def _bars(self) -> None:
        pdf, chart = self.pdf, self.chart
        bars = chart.bars
        if not bars:
            return
        labelled = len(chart.categories) * (1 if chart.stacked else len(bars)) <= 30
        zero = self._value_point(max(0.0, self.ticks[0]))
        pdf.set_font("DejaVu", "", TEXT_PT)
        for i in range(len(chart.categories)):
            start, width = self._band(i)
            inner = width * 0.7
            base = 0.0
            for k, series in enumerate(bars):
                value = series.values[i]
                if value is None:
                    continue
                colour = series.point_colours[i] if series.point_colours else series.colour
                pdf.set_fill_color(*colour)
                if chart.stacked:
                    a, b = self._value_point(base), self._value_point(base + value)
                    slot, thick = start + (width - inner) / 2, inner
                    base += value
                else:
                    a, b = zero, self._value_point(value)
                    thick = inner / len(bars)
                    slot = start + (width - inner) / 2 + k * thick
                if chart.horizontal:
                    pdf.rect(min(a, b), slot, abs(b - a), thick, style="F")
                else:
                    pdf.rect(slot, min(a, b), thick, abs(b - a), style="F")
                if labelled and value:
                    text = (
                        series.labels[i] if series.labels else value_text(value, chart, self.lang)
                    )
                    self._bar_label(text, a, b, slot, thick, colour)

    def _bar_label(self, text: str, a: float, b: float, slot: float, thick: float, colour) -> None:
        pdf, chart = self.pdf, self.chart
        width = pdf.get_string_width(text)
        height = TEXT_PT / 72
        if chart.stacked:  # inside the segment, when it has room both ways
            room = abs(b - a)
            if (width if chart.horizontal else height) + 0.08 > room:
                return
            if (height if chart.horizontal else width) + 0.04 > thick:
                return
            pdf.set_text_color(255, 255, 255) if sum(colour) < 500 else pdf.set_text_color(0, 0, 0)
            mid = (a + b) / 2
            if chart.horizontal:
                pdf.text(mid - width / 2, slot + thick / 2 + height * 0.35, text)
            else:
                pdf.text(slot + thick / 2 - width / 2, mid + height * 0.35, text)
            return
        pdf.set_text_color(30, 30, 30)
        if chart.horizontal:  # a falling bar's value right of the zero line, clear of the names
            x = b + 0.06 if b >= a else a + 0.06
            pdf.text(x, slot + thick / 2 + height * 0.35, text)
        else:
            y = b - 0.06 if b <= a else b + height
            pdf.text(slot + thick / 2 - width / 2, y, text)

    def _lines(self) -> None:
        pdf, chart = self.pdf, self.chart
        if chart.horizontal and chart.bars:
            return
        for series in chart.lines:
            points = []
            for i, value in enumerate(series.values):
                start, width = self._band(i)
                if value is not None:
                    points.append((start + width / 2, self._value_point(value)))
            if len(points) < 1:
                continue
            pdf.set_draw_color(*series.colour)
            pdf.set_line_width(0.02 if series.dashed else 0.035)
            if series.dashed:
                pdf.set_dash_pattern(dash=0.1, gap=0.06)
                if len(points) == len(chart.categories):  # a target: across the whole plot
                    points = (
                        [(self.plot.x, points[0][1])]
                        + points
                        + [(self.plot.x + self.plot.w, points[-1][1])]
                    )
            if len(points) > 1:
                pdf.polyline(points)
            pdf.set_dash_pattern()
            if not series.dashed and len(points) <= 30:
                pdf.set_fill_color(*series.colour)
                for x, y in points:
                    pdf.ellipse(x - 0.04, y - 0.04, 0.08, 0.08, style="F")

    def _titles(self, title_w: float) -> None:
        pdf, chart, plot = self.pdf, self.chart, self.plot
        pdf.set_font("DejaVu", "", TEXT_PT)
        pdf.set_text_color(*GREY)
        line = TEXT_PT / 72 * 1.3
        if chart.value_title:
            width = pdf.get_string_width(chart.value_title)
            if chart.horizontal:
                pdf.text(
                    plot.x + plot.w / 2 - width / 2, plot.y + plot.h + 2 * line, chart.value_title
                )
            else:
                x, y = self.box.x + 0.28, plot.y + plot.h / 2 + width / 2
                with pdf.rotation(90, x, y):
                    pdf.text(x, y, _cut(pdf, chart.value_title, plot.h))
        if chart.category_title and not chart.horizontal:
            width = pdf.get_string_width(chart.category_title)
            pdf.text(
                plot.x + plot.w / 2 - width / 2, plot.y + plot.h + 2 * line, chart.category_title
            )

    def _legend_rows(self, series, width: float) -> list[list]:
        """The legend's entries in rows that fit the chart's width."""
        rows: list[list] = []
        used = width
        for s in series:
            need = 0.45 + self.pdf.get_string_width(s.name) + 0.3
            if used + need > width:
                rows.append([])
                used = 0.0
            rows[-1].append(s)
            used += need
        return rows

    def _legend(self, series, box: Box) -> None:
        pdf = self.pdf
        pdf.set_font("DejaVu", "", TEXT_PT)
        pdf.set_text_color(30, 30, 30)
        widths = [0.45 + pdf.get_string_width(s.name) + 0.3 for s in series]
        x = box.x + max(0.0, (box.w - sum(widths)) / 2)
        y = box.y + box.h / 2
        for s, width in zip(series, widths, strict=True):
            if s.line:
                pdf.set_draw_color(*s.colour)
                pdf.set_line_width(0.03)
                if s.dashed:
                    pdf.set_dash_pattern(dash=0.08, gap=0.05)
                pdf.line(x, y, x + 0.35, y)
                pdf.set_dash_pattern()
            else:
                pdf.set_fill_color(*s.colour)
                pdf.rect(x, y - 0.1, 0.35, 0.2, style="F")
            pdf.text(x + 0.45, y + TEXT_PT / 72 * 0.35, s.name)
            x += width


def _cut(pdf, text: str, room: float) -> str:
    """The text, cut with "…" to fit `room` inches in the current font."""
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _map(pdf, chart: MapChart, box: Box) -> None:
    spots = map_layout(chart, box)
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.006)
    for ring, colour in spots.polygons:
        pdf.set_fill_color(*colour)
        pdf.polygon(ring, style="DF")
    for x, y, diameter, colour in spots.points:
        pdf.set_fill_color(*colour)
        pdf.ellipse(x - diameter / 2, y - diameter / 2, diameter, diameter, style="DF")
    pdf.set_font("DejaVu", "B", TEXT_PT)
    for number, (x, y) in enumerate(spots.markers, start=1):
        pdf.set_fill_color(*NAVY)
        pdf.set_draw_color(255, 255, 255)
        pdf.ellipse(x - 0.2, y - 0.2, 0.4, 0.4, style="DF")
        pdf.set_text_color(255, 255, 255)
        text = str(number)
        pdf.text(x - pdf.get_string_width(text) / 2, y + TEXT_PT / 72 * 0.35, text)
    key = spots.key
    title_h = lines_needed(spots.key_title, key.w, bold=True) * TEXT_PT / 72 * 1.25 + 0.1
    _write(pdf, Box(key.x, key.y, key.w, title_h), spots.key_title, TEXT_PT, "B", NAVY)
    _write(
        pdf,
        Box(key.x, key.y + title_h, key.w, key.h - title_h),
        "\n".join(spots.key_lines),
        TEXT_PT,
        spacing=1.4,
    )
    for swatch, colour in spots.scale:
        pdf.set_fill_color(*colour)
        pdf.rect(swatch.x, swatch.y, swatch.w, swatch.h, style="F")
    for label_box, text, side in spots.scale_labels:
        _write(pdf, label_box, text, TEXT_PT, colour=GREY, align="R" if side == "right" else "L")
