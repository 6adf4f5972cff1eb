"""The deck's files drawn without a browser: charts read out of the slides' Plotly figures into
native PowerPoint charts and PDF vector drawing, type for a room, tables fitted to their boxes.

The slides here are made by hand, so every expected value is written beside its input."""

from __future__ import annotations

import io
import re

import plotly.graph_objects as go
import polars as pl
import pytest
from lxml import etree
from pptx import Presentation

from ioc import exports
from ioc.exports.chart import CategoryChart, MapChart, chart_of
from ioc.exports.deck import MIN_TITLE_PT, TITLE_PT, Box, grid, layouts, text_width, title_pt
from ioc.exports.pdf import nice_ticks
from ioc.presentation import Number, Slide, Table


def trend_figure() -> go.Figure:
    """Two weeks of the online rate (fractions on a % axis) and its 80% target as add_hline."""
    fig = go.Figure(go.Scatter(x=["06/10", "13/10"], y=[0.5, 0.75], name="Tỷ lệ trực tuyến"))
    fig.add_hline(y=0.8, line={"dash": "dash"}, annotation_text="Mục tiêu 80%")
    fig.update_layout(yaxis={"tickformat": ".0%", "title": {"text": "Tỷ lệ (%)"}})
    return fig


def bars_figure() -> go.Figure:
    fig = go.Figure(
        [
            go.Bar(x=["Xã A", "Xã B", "Xã C"], y=[3, 0, 5], name="Quá hạn"),
            go.Bar(x=["Xã A", "Xã C"], y=[1, 2], name="Sắp đến hạn"),
        ]
    )
    fig.update_layout(barmode="stack", yaxis={"title": {"text": "Hồ sơ"}})
    return fig


def test_a_trend_with_its_target_read_as_chart_data():
    chart = chart_of(trend_figure())
    assert isinstance(chart, CategoryChart)
    assert chart.categories == ["06/10", "13/10"]
    line, target = chart.series
    assert (line.name, line.values, line.line, line.dashed) == (
        "Tỷ lệ trực tuyến",
        [50.0, 75.0],  # 0.5 and 0.75 on a % axis
        True,
        False,
    )
    assert (target.name, target.values, target.dashed) == ("Mục tiêu 80%", [80.0, 80.0], True)
    assert (chart.suffix, chart.value_title) == ("%", "Tỷ lệ (%)")


def test_stacked_bars_keep_their_categories_and_gaps():
    chart = chart_of(bars_figure())
    assert chart.stacked and not chart.horizontal
    assert chart.categories == ["Xã A", "Xã B", "Xã C"]
    assert [s.values for s in chart.series] == [[3.0, 0.0, 5.0], [1.0, None, 2.0]]


def test_filled_outlines_read_as_a_map():
    fig = go.Figure(
        go.Scatter(x=[105, 106, 106], y=[21, 21, 22], fill="toself", fillcolor="rgb(200, 40, 40)")
    )
    chart = chart_of(fig)
    assert isinstance(chart, MapChart)
    assert chart.polygons == [([(105, 21), (106, 21), (106, 22)], (200, 40, 40))]


def test_a_trace_of_several_rings_and_labelled_markers_read_as_a_map():
    rings = go.Scatter(  # two cells of one colour class, apart by None
        x=[105, 106, 106, None, 107, 108, 108],
        y=[21, 21, 22, None, 21, 21, 22],
        fill="toself",
        fillcolor="rgb(200, 40, 40)",
    )
    labels = go.Scatter(x=[105.5], y=[21.5], mode="markers+text", text=["Xã A: 5"])
    chart = chart_of(go.Figure([rings, labels]))
    assert [ring for ring, _ in chart.polygons] == [
        [(105, 21), (106, 21), (106, 22)],
        [(107, 21), (108, 21), (108, 22)],
    ]
    assert chart.labels == [(105.5, 21.5, "Xã A: 5")] and chart.points == []


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (0, 42, [0, 10, 20, 30, 40, 50]),
        (-89, 110, [-100, -50, 0, 50, 100, 150]),
    ],
)
def test_round_ticks(low, high, ticks):
    assert nice_ticks(low, high) == ticks


def hand_deck() -> list[Slide]:
    cards = [
        Number("Tỷ lệ trực tuyến", "75,0%", "Mục tiêu 80%: Chưa đạt", "red"),
        Number("Hồ sơ tiếp nhận", "1.234"),
    ]
    table = Table(
        "Xếp hạng",
        pl.DataFrame(
            {"commune_name": ["Xã A", "Xã B"], "rank_change": [2, -1], "online_rate": [0.8, 0.5]}
        ),
        {
            "commune_name": ("league.col.commune_name", "text"),
            "rank_change": ("league.col.rank_change", "rank_change"),
            "online_rate": ("kpi.online_rate", "pct"),
        },
    )
    return [
        Slide(
            "kpis",
            "kpis",
            "Chỉ số",
            "06/10/2025 – 12/10/2025",
            cards,
            [table],
            trend_figure(),
            note="Ghi chú",
            speaker_notes="Tỷ lệ trực tuyến = trực tuyến / tiếp nhận",
        ),
        Slide(
            "overdue",
            "overdue",
            "Quá hạn",
            "tuần",
            figure=bars_figure(),
            bullets=["Xã C tăng 5 hồ sơ quá hạn"],
        ),
    ]


def font_sizes(data: bytes) -> list[float]:
    """Every font size set in the deck: text runs, table cells and the charts' XML (sz in
    hundredths of a point)."""
    sizes = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [c.text_frame for row in shape.table.rows for c in row.cells]
            for frame in frames:
                sizes += [r.font.size.pt for p in frame.paragraphs for r in p.runs if r.font.size]
            if shape.has_chart:
                xml = etree.tostring(shape.chart._chartSpace).decode()
                sizes += [int(v) / 100 for v in re.findall(r'sz="(\d+)"', xml)]
    return sizes


def test_pptx_has_native_charts_notes_properties_and_room_sized_type():
    data = exports.deck_to_pptx(hand_deck(), "Báo cáo tuần")
    deck = Presentation(io.BytesIO(data))
    assert deck.core_properties.title == "Báo cáo tuần"
    assert deck.core_properties.author == "Trung tâm điều hành IOC"
    found = [s for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert len(found) == 2
    trend = found[0].chart
    assert [(s.name, list(s.values)) for p in trend.plots for s in p.series] == [
        ("Tỷ lệ trực tuyến", [50.0, 75.0]),
        ("Mục tiêu 80%", [80.0, 80.0]),
    ]
    assert found[0]._element.nvGraphicFramePr.cNvPr.get("descr").startswith("Chỉ số")
    stacked = found[1].chart
    assert [s.name for p in stacked.plots for s in p.series] == ["Quá hạn", "Sắp đến hạn"]
    assert not any(s.shape_type == 13 for slide in deck.slides for s in slide.shapes)  # no picture
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert "Tỷ lệ trực tuyến = trực tuyến / tiếp nhận" in notes
    sizes = font_sizes(data)
    assert sizes and min(sizes) >= 18
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert "• Xã C tăng 5 hồ sơ quá hạn" in texts


def test_pdf_draws_the_charts_without_pictures():
    deck = hand_deck()
    data = exports.deck_to_pdf(deck, "Báo cáo tuần")
    pages = len(Presentation(io.BytesIO(exports.deck_to_pptx(deck, "x"))).slides)
    assert len(re.findall(rb"/Type /Page\b", data)) == pages
    assert b"/Subtype /Image" not in data  # vector drawing, not a rendered picture
    assert b"/Title" in data and b"/Author" in data


def test_table_fitted_to_its_box_aligns_figures_and_colours_changes():
    table = hand_deck()[0].tables[0]
    fitted = grid(table, Box(0, 0, 8, 3), "vi")
    assert fitted.headers == ["Xã/phường", "Thay đổi hạng", "Tỷ lệ trực tuyến"]
    assert fitted.rows == [["Xã A", "▲ 2", "80,0%"], ["Xã B", "▼ 1", "50,0%"]]
    assert fitted.align == ["L", "R", "R"]
    assert fitted.colours[0][1] == (46, 125, 50) and fitted.colours[1][1] == (198, 40, 40)
    narrow = grid(table, Box(0, 0, 1.8, 3), "vi")  # room for the names only
    assert narrow.headers == ["Xã/phường"]
    assert narrow.caption == "Xếp hạng (đủ cột trong tệp Excel)"


def test_headers_that_would_wrap_share_the_spare_room():
    table = Table(
        "Ai đang chậm",
        pl.DataFrame({"name": ["Xã A"], "overdue": [45], "soon": [24], "rate": [0.877]}),
        {
            "name": ("league.col.commune_name", "text"),  # "Xã/phường"
            "overdue": ("kpi.open_overdue", "int"),  # "Hồ sơ quá hạn đang xử lý"
            "soon": ("land.sum.due_soon", "int"),  # "Sắp đến hạn"
            "rate": ("kpi.on_time_rate", "pct"),  # "Tỷ lệ giải quyết đúng hạn"
        },
    )
    fitted = grid(table, Box(0, 0, 5, 3), "vi")
    # every header word fits its column (no word broken), and no header took all the spare room
    for header, width in zip(fitted.headers, fitted.widths, strict=True):
        assert max(text_width(word, bold=True) for word in header.split()) <= width - 0.14
    assert max(fitted.widths[1:]) - min(fitted.widths[1:]) < 0.6


def test_a_long_title_is_set_smaller_to_keep_one_line():
    assert title_pt("Xếp hạng", 12.4) == TITLE_PT
    long = "Ai đang chậm: xã/phường và người chịu trách nhiệm (tiếp)"
    size = title_pt(long, 12.4)
    assert MIN_TITLE_PT <= size < TITLE_PT and text_width(long, size, bold=True) <= 12.4


def test_cards_are_not_left_alone_on_a_page_when_tables_fit_beside_them():
    frame = pl.DataFrame({"name": [f"Xã {i}" for i in range(12)], "n": list(range(12))})
    spec = {"name": ("league.col.commune_name", "text"), "n": ("kpi.open_overdue", "int")}
    sideways = go.Figure(
        go.Bar(y=[f"Xã {i}" for i in range(12)], x=list(range(12)), orientation="h")
    )
    slide = Slide(
        "overdue",
        "overdue",
        "Quá hạn",
        "tuần",
        [Number("Quá hạn", "1.135"), Number("> 20 ngày", "172"), Number("Xã", "126")],
        [Table("Theo thủ tục", frame, spec), Table("Theo số ngày", frame, spec)],
        sideways,  # 12 sideways bars: 0,3 inch each, too tall beside the cards
    )
    first, second = layouts(slide)
    assert first.numbers and len(first.tables) == 2 and first.figure is None
    assert second.figure is not None and not second.numbers and not second.tables


def test_a_table_too_tall_under_the_cards_goes_on_over_the_next_page():
    """The "who is late" slide: two cards, a note, one table of 14 rows whose headers wrap to
    four lines, so under the cards only 2 rows fit (not the 3 a page beside cards needs). The
    cards keep the table's first 2 rows and the next page goes on from row 3, rather than the
    cards alone on a page."""
    n = 14
    frame = pl.DataFrame(
        {
            "name": [f"Phường Số {i}" for i in range(n)],
            "owner": [f"Chủ tịch UBND Phường Số {i} (tài khoản chutich{i})" for i in range(n)],
            "overdue": [45 - i for i in range(n)],
            "soon": [24 - i for i in range(n)],
            "rate": [0.877] * n,
            "open": [184 - i for i in range(n)],
        }
    )
    spec = {
        "name": ("league.col.commune_name", "text"),
        "owner": ("action.col.owner", "text"),
        "overdue": ("kpi.open_overdue", "int"),  # "Hồ sơ quá hạn đang xử lý"
        "soon": ("land.sum.due_soon", "int"),
        "rate": ("kpi.on_time_rate", "pct"),  # "Tỷ lệ giải quyết đúng hạn"
        "open": ("kpi.open_at_end", "int"),
    }
    slide = Slide(
        "late",
        "late",
        "Ai đang chậm",
        "tuần",
        [
            Number("Xã/phường đang chậm", "126", "trên 126 xã/phường"),
            Number("14 xã/phường đầu bảng chiếm", "24,6%", "279 / 1.135"),
        ],
        [Table("14/126 xã/phường nhiều hồ sơ quá hạn nhất", frame, spec)],
        note="Đang chậm: có hồ sơ quá hạn hoặc tỷ lệ đúng hạn dưới mục tiêu. Người chịu trách "
        "nhiệm: Chủ tịch UBND xã/phường (trong ngoặc: tài khoản chủ tịch trên hệ thống).",
    )
    first, second = layouts(slide)
    table = slide.tables[0]
    top = grid(table, first.tables[0], "vi", first.first_row)
    assert len(first.numbers) == 2 and first.first_row == 0
    assert [row[0] for row in top.rows] == ["Phường Số 0", "Phường Số 1"]
    assert top.caption.endswith("(2/14 dòng, xem đủ trong tệp Excel)")
    rest = grid(table, second.tables[0], "vi", second.first_row)
    assert not second.numbers and second.first_row == 2
    assert rest.rows[0][0] == "Phường Số 2"  # on from row 3, none twice
    assert rest.caption.endswith(f"(dòng 3–{2 + len(rest.rows)}/14, xem đủ trong tệp Excel)")
    # the files draw the pages so: two pages in the .pdf, two slides in the .pptx, whose second
    # table starts at row 3
    pdf = exports.deck_to_pdf([slide], "Báo cáo tuần")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 2
    deck = Presentation(io.BytesIO(exports.deck_to_pptx([slide], "x")))
    tables = [shape.table for shape in deck.slides[1].shapes if shape.has_table]
    assert tables[0].cell(1, 0).text == "Phường Số 2"


def test_the_weekly_deck_of_the_fixture_read_back(fixture_con):
    """The standard weekly deck (tests/test_meeting.py works its figures out by hand) as the
    .pptx a presenter hands out: slide order, the cover's messages, a trend as a native chart
    with its target, 18 pt type, speaker notes on every page."""
    from fixtures import C1, C2, C3
    from test_presentation import WEEK, charts, slide_texts

    from ioc import presentation as pres
    from ioc.scope import CITY

    refs = pres.parse_slides(",".join(pres.STANDARD), [C1, C2, C3])
    deck = pres.build_deck(fixture_con, refs, WEEK, CITY)
    data = exports.deck_to_pptx(deck, pres.deck_title(WEEK, "week"))
    texts = slide_texts(data)
    assert [t[0] for t in texts] == [s.title for s in deck]
    assert [t[0] for t in texts][:4] == [
        "Những điểm chính của kỳ",
        "Chỉ số toàn thành phố",
        "Tỷ lệ trực tuyến: 12 tuần so với mục tiêu",
        "Tỷ lệ trực tuyến toàn trình: 12 tuần so với mục tiêu",
    ]
    cover = "\n".join(texts[0]).splitlines()  # one paragraph a message
    assert "• Tăng điểm nhiều nhất: Xã Hai +46,3 điểm (31,2 → 77,5)." in cover  # C2
    assert "• Hồ sơ quá hạn đang xử lý: 3, tăng 3 so với cuối kỳ trước (0)." in cover
    assert all(n >= 1 for n in charts(data)[1:4])  # kpis and both trends carry a chart
    pages = Presentation(io.BytesIO(data)).slides
    trend = next(
        s.chart
        for page in pages
        if page.shapes[0].text_frame.text.startswith("Tỷ lệ trực tuyến: 12 tuần")
        for s in page.shapes
        if s.has_chart
    )
    series = {s.name: list(s.values) for p in trend.plots for s in p.series}
    # the last two weeks: 1 of 4 online (25%), 10 of 19 (52.6%); the target 80% across
    assert series["Tỷ lệ trực tuyến"][-2:] == pytest.approx([25.0, 100 * 10 / 19])
    assert set(series["Mục tiêu 80%"]) == {80.0}
    assert min(font_sizes(data)) >= 18
    for page in pages:
        assert page.notes_slide.notes_text_frame.text.startswith("Kỳ số liệu: 06/10/2025")


def test_more_cards_than_a_page_holds_go_on_over_pages_each_once():
    cards = [
        Number(f"Tỷ lệ chỉ số thứ {i} của thành phố", f"{i},0%", "+0,1 điểm %") for i in range(14)
    ]
    slide = Slide("kpis", "kpis", "Chỉ số", "tuần", cards, figure=trend_figure())
    pages = layouts(slide)
    shown = [cards[page.first_number + k].label for page in pages for k in range(len(page.numbers))]
    assert shown == [c.label for c in cards]  # every card once, in order
    for page in pages:
        assert all(box.y + box.h <= page.footer.y for box in page.numbers)
    assert sum(page.figure is not None for page in pages) == 1
