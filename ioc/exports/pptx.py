"""PowerPoint: the presenter deck, one slide per deck slide."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

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
