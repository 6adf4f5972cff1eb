"""PowerPoint: the presenter deck, one slide per deck slide; text, numbers, tables and charts are
editable PowerPoint objects (charts are native charts, the land map is drawn as shapes)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ioc.exports.chart import CategoryChart, MapChart, chart_of
from ioc.exports.deck import (
    BOX_FILL,
    GREY,
    LIGHT_RGB,
    NAVY,
    ROW_INCHES,
    SLIDE_H,
    SLIDE_W,
    SUBTITLE_PT,
    TEXT_PT,
    VALUE_PT,
    Box,
    grid,
    map_layout,
    pages,
    title_pt,
)
from ioc.i18n import t

if TYPE_CHECKING:
    from ioc.presentation import Slide

EMU_PER_INCH = 914400
MAX_LABELLED_POINTS = 30  # more bars than this and the values are read off the axis


def deck_to_pptx(slides: Sequence[Slide], deck_title: str, lang: str = "vi") -> bytes:
    """The deck as a 16:9 PowerPoint with the title and author set, each slide's figure
    definitions in its speaker notes."""
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    props = deck.core_properties
    props.title, props.author = deck_title, t("present.workbook.author", lang)
    props.subject, props.language = deck_title, "vi-VN" if lang == "vi" else "en"
    blank = deck.slide_layouts[6]
    for one in pages(slides, deck_title, lang):
        slide, spots = one.slide, one.spots
        page = deck.slides.add_slide(blank)
        _text(page, spots.title, one.title, title_pt(one.title, spots.title.w), True, NAVY)
        _text(page, spots.subtitle, slide.subtitle, SUBTITLE_PT, colour=GREY)
        for number, box in zip(slide.numbers[spots.first_number :], spots.numbers, strict=False):
            _card(page, number, box)
        if spots.bullets is not None:
            _bullets(page, spots.bullets, slide.bullets)
        if spots.figure is not None:
            chart = chart_of(slide.figure)
            alt = f"{slide.title}: {slide.subtitle}"
            if isinstance(chart, CategoryChart):
                _category_chart(page, chart, spots.figure, lang, alt)
            elif isinstance(chart, MapChart):
                _map(page, chart, spots.figure, lang)
            else:
                _text(page, spots.figure, t("present.no_chart", lang), TEXT_PT, colour=GREY)
        for table, box in zip(slide.tables, spots.tables, strict=False):
            _table(page, grid(table, box, lang, spots.first_row), box, lang)
        if spots.note is not None:
            _text(page, spots.note, slide.note, TEXT_PT, colour=GREY)
        _text(page, spots.footer, one.footer, TEXT_PT, colour=GREY, align=PP_ALIGN.RIGHT)
        if slide.speaker_notes:
            page.notes_slide.notes_text_frame.text = slide.speaker_notes
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _inches(box: Box):
    from pptx.util import Inches

    return Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h)


def _run(paragraph, text: str, size: float, bold: bool = False, colour=(0, 0, 0)):
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    run.font.color.rgb = RGBColor(*colour)
    return run


def _text(page, box: Box, text: str, size: float, bold=False, colour=(0, 0, 0), align=None):
    shape = page.shapes.add_textbox(*_inches(box))
    frame = shape.text_frame
    frame.word_wrap = True
    _run(frame.paragraphs[0], text, size, bold, colour)
    if align is not None:
        frame.paragraphs[0].alignment = align
    return shape


def _bullets(page, box: Box, lines: Sequence[str]) -> None:
    from pptx.util import Pt

    frame = page.shapes.add_textbox(*_inches(box)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(6)
        _run(paragraph, f"• {line}", TEXT_PT + 2, colour=(20, 32, 46))


def _card(page, number, box: Box) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    card = page.shapes.add_shape(1, *_inches(box))
    card.fill.solid()
    card.fill.fore_color.rgb = RGBColor(*BOX_FILL)
    card.line.color.rgb = RGBColor(*LIGHT_RGB.get(number.light or "none"))
    card.line.width = Pt(3 if number.light else 0.75)
    frame = card.text_frame
    frame.word_wrap = True
    parts = ((number.label, TEXT_PT, False), (number.value, VALUE_PT, True))
    parts += ((number.note, TEXT_PT, False),) if number.note else ()
    for i, (text, size, bold) in enumerate(parts):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.CENTER
        _run(paragraph, text, size, bold, NAVY if bold else GREY)


def _table(page, table, box: Box, lang: str) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches

    _text(page, Box(box.x, box.y, box.w, table.caption_h), table.caption, TEXT_PT, True, NAVY)
    top = box.y + table.caption_h
    if not table.rows:
        _text(page, Box(box.x, top, box.w, 0.45), t("present.empty_table", lang), TEXT_PT)
        return
    rows = len(table.rows) + 1
    shape = page.shapes.add_table(
        rows,
        len(table.headers),
        Inches(box.x),
        Inches(top),
        Inches(sum(table.widths)),
        Inches(ROW_INCHES * rows),
    )
    cells = shape.table
    for col, width in enumerate(table.widths):
        cells.columns[col].width = Inches(width)
    align = {"R": PP_ALIGN.RIGHT, "L": PP_ALIGN.LEFT}
    for col, header in enumerate(table.headers):
        _cell(cells.cell(0, col), header, True, None, align[table.align[col]])
        for row, values in enumerate(table.rows, start=1):
            colour = table.colours[row - 1][col]
            _cell(cells.cell(row, col), values[col], False, colour, align[table.align[col]])


def _cell(target, text: str, bold: bool, colour, alignment) -> None:
    from pptx.util import Inches

    target.text = ""
    target.margin_left = target.margin_right = Inches(0.07)
    target.margin_top = target.margin_bottom = Inches(0.03)
    paragraph = target.text_frame.paragraphs[0]
    paragraph.alignment = alignment
    _run(paragraph, text, TEXT_PT, bold or colour is not None, colour or (0, 0, 0))


def _number_format(chart: CategoryChart, decimals: int) -> str:
    """An Excel number format for the chart's values; zeros left blank (a stacked bar's empty
    segment gets no '0' label)."""
    body = "0" if decimals == 0 else "0." + "0" * decimals
    suffix = f'"{chart.suffix}"' if chart.suffix else ""
    return f"{body}{suffix};-{body}{suffix};;"


def _category_chart(page, chart: CategoryChart, box: Box, lang: str, alt: str) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.enum.dml import MSO_LINE
    from pptx.util import Pt

    bars = chart.bars
    lines = [] if chart.horizontal and bars else chart.lines  # a line across sideways bars misleads
    order = bars + lines
    data = CategoryChartData(number_format=_number_format(chart, 1 if chart.suffix else 0))
    step = label_step(len(chart.categories), box, chart.horizontal)
    data.categories = [
        c if i % step == 0 else " " * (i + 1) for i, c in enumerate(chart.categories)
    ]
    for series in order:
        data.add_series(series.name or " ", series.values)
    if bars:
        kind = {
            (True, True): XL_CHART_TYPE.BAR_STACKED,
            (True, False): XL_CHART_TYPE.BAR_CLUSTERED,
            (False, True): XL_CHART_TYPE.COLUMN_STACKED,
            (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
        }[(chart.horizontal, chart.stacked)]
    else:
        kind = XL_CHART_TYPE.LINE_MARKERS
    frame = page.shapes.add_chart(kind, *_inches(box), data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", alt)
    plot_chart = frame.chart
    plot_chart.font.size = Pt(TEXT_PT)
    if bars and lines:
        _lines_over_bars(plot_chart, len(bars))
    if chart.horizontal and bars:
        _sideways(plot_chart)
    for series, drawn in zip(
        order, [s for plot in plot_chart.plots for s in plot.series], strict=True
    ):
        if series.line:
            drawn.format.line.color.rgb = RGBColor(*series.colour)
            drawn.format.line.width = Pt(2.25 if series.dashed else 3)
            drawn.smooth = False
            if series.dashed:
                drawn.format.line.dash_style = MSO_LINE.DASH
                drawn.marker.style = None
                _no_marker(drawn)
        else:
            drawn.format.fill.solid()
            drawn.format.fill.fore_color.rgb = RGBColor(*series.colour)
            for i, colour in enumerate(series.point_colours or ()):
                point = drawn.points[i].format.fill
                point.solid()
                point.fore_color.rgb = RGBColor(*colour)
    values = plot_chart.value_axis
    values.has_major_gridlines = True
    values.tick_labels.number_format = _number_format(chart, 0).split(";")[0]
    values.tick_labels.number_format_is_linked = False
    if chart.value_range is not None:
        values.minimum_scale, values.maximum_scale = chart.value_range
    for axis, title in (
        (values, chart.value_title),
        (plot_chart.category_axis, chart.category_title),
    ):
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(TEXT_PT)
    _skip_labels(plot_chart, step)
    per_bar = (box.h if chart.horizontal else box.w) * 0.6 / max(1, len(chart.categories))
    labelled = (
        bars
        and len(chart.categories) * (1 if chart.stacked else len(bars)) <= MAX_LABELLED_POINTS
        and per_bar >= (0.3 if chart.horizontal else 0.5)  # a label as thick as its bar
    )
    if labelled:
        bar_plot = plot_chart.plots[0]
        bar_plot.has_data_labels = True
        labels = bar_plot.data_labels
        labels.number_format = _number_format(chart, 1 if chart.suffix == "%" else 0)
        labels.number_format_is_linked = False
        labels.font.size = Pt(TEXT_PT)
        falling = any(v is not None and v < 0 for s in bars for v in s.values)
        labels.position = (
            XL_LABEL_POSITION.CENTER
            if chart.stacked
            else XL_LABEL_POSITION.INSIDE_BASE  # a falling bar's label would cover the names
            if falling
            else XL_LABEL_POSITION.OUTSIDE_END
        )
    legend_entries = [s.legend for s in order]
    if sum(legend_entries) > 1 or (len(order) > 1 and any(legend_entries)):
        plot_chart.has_legend = True
        plot_chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        plot_chart.legend.include_in_layout = False  # beside the plot, never over it
        plot_chart.legend.font.size = Pt(TEXT_PT)
        _hide_legend_entries(plot_chart, [i for i, shown in enumerate(legend_entries) if not shown])
    else:
        plot_chart.has_legend = False


def _c(tag: str, **attrs):
    from lxml import etree
    from pptx.oxml.ns import qn

    element = etree.Element(qn(f"c:{tag}"))
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _lines_over_bars(plot_chart, n_bars: int) -> None:
    """Move the series after the first n_bars into a line chart on the same axes (a combo
    chart: today's bars with the usual as a line, a target across the columns)."""
    from pptx.oxml.ns import qn

    bar = plot_chart._chartSpace.find(".//" + qn("c:barChart"))
    line = _c("lineChart")
    line.append(_c("grouping", val="standard"))
    line.append(_c("varyColors", val="0"))
    for ser in bar.findall(qn("c:ser"))[n_bars:]:
        for invert in ser.findall(qn("c:invertIfNegative")):
            ser.remove(invert)
        anchor = ser.find(qn("c:spPr"))
        if anchor is None:
            anchor = ser.find(qn("c:tx"))
        anchor.addnext(_c("marker"))
        ser.find(qn("c:marker")).append(_c("symbol", val="none"))
        ser.append(_c("smooth", val="0"))
        line.append(ser)
    line.append(_c("marker", val="1"))
    for ax in bar.findall(qn("c:axId")):
        line.append(_c("axId", val=ax.get("val")))
    bar.addnext(line)


def _no_marker(series) -> None:
    from pptx.oxml.ns import qn

    ser = series._element
    marker = ser.find(qn("c:marker"))
    if marker is None:
        marker = _c("marker")
        (ser.find(qn("c:spPr")) or ser.find(qn("c:tx"))).addnext(marker)
    for child in list(marker):
        marker.remove(child)
    marker.append(_c("symbol", val="none"))


def _hide_legend_entries(plot_chart, indexes: list[int]) -> None:
    from pptx.oxml.ns import qn

    legend = plot_chart._chartSpace.find(".//" + qn("c:legend"))
    position = legend.find(qn("c:legendPos"))
    for i in reversed(indexes):
        entry = _c("legendEntry")
        entry.append(_c("idx", val=str(i)))
        entry.append(_c("delete", val="1"))
        position.addnext(entry)


def _sideways(plot_chart) -> None:
    """Sideways bars: the first category on top as on screen, the value axis kept at the bottom
    and the names at the left edge whatever the sign of the bars."""
    from pptx.enum.chart import XL_TICK_LABEL_POSITION
    from pptx.oxml.ns import qn

    categories = plot_chart.category_axis
    categories.reverse_order = True
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    crosses = plot_chart.value_axis._element.find(qn("c:crosses"))
    if crosses is not None:  # the value axis crosses the reversed categories at the bottom
        crosses.set("val", "max")


def label_step(categories: int, box: Box, horizontal: bool) -> int:
    """Every how many categories a label is written, so that 18 pt labels never overlap."""
    room = box.h if horizontal else box.w
    fits = max(1, int(room / (0.42 if horizontal else 0.75)))
    return -(-categories // fits)


def _skip_labels(plot_chart, step: int) -> None:
    """Tell PowerPoint the label step too (the skipped names are already blank for viewers
    that ignore it)."""
    from pptx.oxml.ns import qn

    if step <= 1:
        return
    axis = plot_chart._chartSpace.find(".//" + qn("c:catAx"))
    anchor = axis.find(qn("c:noMultiLvlLbl"))  # the schema's order: the skips come before it
    for tag in ("tickLblSkip", "tickMarkSkip"):
        element = _c(tag, val=str(step))
        if anchor is not None:
            anchor.addprevious(element)
        else:
            axis.append(element)


def _map(page, chart: MapChart, box: Box, lang: str) -> None:
    """The commune outlines as filled shapes, the labelled communes numbered, their names and the
    colour scale beside the map."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    spots = map_layout(chart, box)
    for ring, colour in spots.polygons:
        points = [(round(x * EMU_PER_INCH), round(y * EMU_PER_INCH)) for x, y in ring]
        builder = page.shapes.build_freeform(*points[0])
        builder.add_line_segments(points[1:], close=True)
        shape = builder.convert_to_shape()
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(*colour)
        shape.line.color.rgb = RGBColor(120, 120, 120)
        shape.line.width = Pt(0.5)
    for x, y, diameter, colour in spots.points:
        r = diameter / 2
        dot = page.shapes.add_shape(
            9, *(Emu(round(v * EMU_PER_INCH)) for v in (x - r, y - r, 2 * r, 2 * r))
        )
        dot.fill.solid()
        dot.fill.fore_color.rgb = RGBColor(*colour)
    for number, (x, y) in enumerate(spots.markers, start=1):
        r = 0.2
        marker = page.shapes.add_shape(
            9, *(Emu(round(v * EMU_PER_INCH)) for v in (x - r, y - r, 2 * r, 2 * r))
        )
        marker.fill.solid()
        marker.fill.fore_color.rgb = RGBColor(*NAVY)
        marker.line.color.rgb = RGBColor(255, 255, 255)
        frame = marker.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        _run(frame.paragraphs[0], str(number), TEXT_PT, True, (255, 255, 255))
    key = page.shapes.add_textbox(*_inches(spots.key)).text_frame
    key.word_wrap = True
    _run(key.paragraphs[0], spots.key_title, TEXT_PT, True, NAVY)
    for line in spots.key_lines:
        _run(key.add_paragraph(), line, TEXT_PT)
    for swatch, colour in spots.scale:
        cell = page.shapes.add_shape(1, *_inches(swatch))
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor(*colour)
        cell.line.fill.background()
    for label_box, text, side in spots.scale_labels:
        align = PP_ALIGN.RIGHT if side == "right" else PP_ALIGN.LEFT
        _text(page, label_box, text, TEXT_PT, colour=GREY, align=align)
