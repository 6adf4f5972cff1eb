"""PDF: the presenter deck, one landscape page per slide, DejaVu Sans for the Vietnamese glyphs."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ioc.exports.deck import (
    BOX_FILL,
    GREY,
    LIGHT_RGB,
    NAVY,
    SLIDE_H,
    SLIDE_W,
    Box,
    _caption,
    _chart_images,
    _column_weights,
    _footer,
    fit_rows,
    layout,
)
from ioc.i18n import t

if TYPE_CHECKING:
    from ioc.presentation import Slide

# format name -> xlsxwriter number format

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
