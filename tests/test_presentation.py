"""Presenter mode and its exports on the hand-made fixture (tests/fixtures.py).

Clock: IOC_NOW 2025-10-13 10:00 (Monday), so the last full week is 06/10 – 12/10/2025, the fixture
week of tests/test_kpi.py; every expected figure below is worked out there by hand.
"""

from __future__ import annotations

import functools
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from fixtures import C1, C2, C3, P1
from pptx import Presentation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from ioc import auth, exports, rollups, store
from ioc import presentation as pres
from ioc.scope import CITY, CITY_LEADER, PRESENTER, Scope

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2025, 10, 13, 10, 0)
WEEK = pres.period_for("week", NOW)
CODES = [C1, C2, C3]


def test_slide_sequence_from_the_url():
    refs = pres.parse_slides(f"kpis,league,commune:{C1},bogus,commune:99999,land:x", CODES)
    assert [r.token for r in refs] == ["kpis", "league", f"commune:{C1}"]
    assert pres.slides_param(refs) == f"kpis,league,commune:{C1}"
    assert [r.kind for r in pres.parse_slides("", CODES)] == list(pres.DEFAULT_SLIDES)
    assert [r.kind for r in pres.parse_slides("'; drop table x", CODES)] == list(
        pres.DEFAULT_SLIDES
    )
    assert pres.auto_seconds("20") == 20
    assert pres.auto_seconds("1") == 5
    assert pres.auto_seconds("x") is None
    assert pres.auto_seconds("0") is None


def test_last_full_week():
    assert pres.last_full_week(date(2025, 10, 13)) == (date(2025, 10, 6), date(2025, 10, 12))
    # on a Sunday the week is not over: the last full week is the one before
    assert pres.last_full_week(date(2025, 10, 12)) == (date(2025, 9, 29), date(2025, 10, 5))
    assert (WEEK.date_from, WEEK.date_to) == (date(2025, 10, 6), date(2025, 10, 12))


def slide_texts(data: bytes) -> list[list[str]]:
    """Every text of every deck slide (text boxes, shapes and table cells), in shape order; a
    slide continued on a second page ("… (tiếp)") is one entry."""
    texts: list[list[str]] = []
    for slide in Presentation(io.BytesIO(data)).slides:
        found = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found.extend(c.text for row in shape.table.rows for c in row.cells)
        if texts and found[0].endswith(" (tiếp)"):
            texts[-1].extend(found)
        else:
            texts.append(found)
    return texts


def charts(data: bytes) -> list[int]:
    """Native charts per deck slide (continuation pages counted with their slide)."""
    counts: list[int] = []
    for slide in Presentation(io.BytesIO(data)).slides:
        title = next(s for s in slide.shapes if s.has_text_frame).text_frame.text
        n = sum(1 for s in slide.shapes if s.has_chart)
        if counts and title.endswith(" (tiếp)"):
            counts[-1] += n
        else:
            counts.append(n)
    return counts


def test_weekly_deck_as_pptx(fixture_con):
    refs = pres.parse_slides(f"kpis,league,movers,commune:{C1}", CODES)
    deck = pres.build_deck(fixture_con, refs, WEEK, CITY)
    data = exports.deck_to_pptx(deck, pres.deck_title(WEEK, "week"))
    kpis, league_, movers, commune = slide_texts(data)

    assert kpis[:2] == ["Chỉ số toàn thành phố", "06/10/2025 – 12/10/2025"]
    cards = {t.split("\n")[0]: t.split("\n")[1:] for t in kpis[2:9]}
    assert cards["Hồ sơ tiếp nhận"][0] == "19"  # 13 (C1) + 6 (C2)
    assert cards["Tỷ lệ trực tuyến"][0] == "52,6%"  # 10 / 19
    assert cards["Tỷ lệ trực tuyến"][1].endswith("Mục tiêu 80%: Chưa đạt")
    assert cards["Tỷ lệ trực tuyến toàn trình"][0] == "36,8%"  # (4 + 3) / 19
    assert cards["Tỷ lệ trực tuyến toàn trình"][1].endswith("Mục tiêu 40%: Gần đạt")
    assert cards["Tỷ lệ giải quyết đúng hạn"][0] == "83,3%"  # (5 + 5) / (7 + 5)
    assert cards["Hồ sơ quá hạn đang xử lý"][0] == "3"  # d04 d12 e05
    footers = [t for t in kpis if t.startswith("Báo cáo tuần")]
    assert footers[0].startswith("Báo cáo tuần 06/10/2025 – 12/10/2025 · 1/")

    assert league_[0] == "Xếp hạng xã/phường"
    # Top table: rank, change, name, score, online, end-to-end, received (C3 has no score).
    # C2: 100 * (20*5/6 + 6*(4/6)/0.9 + 6 + 10*(1/3)/0.8 + 22*(4/6)/0.8) / 64 = 77.5
    # C1: 100 * (20*9/13 + 6*(6/13)/0.8 + 6*(4/13)/0.4 + 10*0.25/0.8 + 22*(6/13)/0.8) / 64 = 59.0
    rows = "|".join(league_)
    # beside the score chart at 18 pt the tables keep the columns that fit; the caption says so
    assert "1|▲ 1|Xã Hai|77,5|66,7%" in rows
    assert "2|▼ 1|Phường Một|59,0|46,2%" in rows
    assert "đủ cột trong tệp Excel" in rows
    assert "Xã Ba" not in rows

    # issue 16: movers by score change (previous week's scores worked out in test_meeting.py:
    # C1 57.3, C2 31.25; the fixture has no history for a noise threshold: "—")
    assert movers[0] == "Xã/phường thay đổi điểm nhiều nhất"
    rows = "|".join(movers)
    # (the verdict column does not fit beside the others at 18 pt: the caption says so)
    assert "Xã Hai|31,2|77,5|+46,3|▲ 1" in rows  # previous week: C1 first, C2 second
    assert "Phường Một|57,3|59,0|+1,7|▼ 1" in rows

    assert commune[0] == "Phường Một"
    cards = {t.split("\n")[0]: t.split("\n")[1:] for t in commune[2:8]}
    assert cards["Điểm (/100)"] == ["59,0", "Hạng 2/3 · ▼ 1"]
    assert cards["Tỷ lệ giải quyết đúng hạn"][0] == "71,4%"  # 5 / 7
    assert cards["Hồ sơ quá hạn đang xử lý"][0] == "2"  # d04 d12
    # a city leader's deck lists the overdue / due-soon dossiers (due by 13/10): d12 d04 d05 d13
    # (on the slide's second page, where the tables have room)
    assert {"d12", "d04", "d05", "d13"} <= set(commune)
    assert "Hồ sơ quá hạn / sắp đến hạn (đủ cột trong tệp Excel)" in commune
    # native charts; the league slide has one since issue 16 (how close the scores sit)
    assert charts(data) == [1, 1, 1, 1]


def test_presenter_deck_has_no_dossier_rows(fixture_con):
    refs = [pres.SlideRef("commune", C1)]
    deck = pres.build_deck(fixture_con, refs, WEEK, Scope(PRESENTER))
    assert [t.title for t in deck[0].tables] == ["Thủ tục tiếp nhận nhiều nhất"]
    assert deck[0].note == "Danh sách hồ sơ không hiển thị với vai trò của bạn."
    deck[0].figure = None  # the chart is not what this test is about; keep it fast
    texts = slide_texts(exports.deck_to_pptx(deck, "x"))[0]
    assert not any(re.fullmatch(r"[de]\d\d", t) for t in texts)
    assert "Danh sách hồ sơ không hiển thị với vai trò của bạn." in texts


def test_pdf_has_the_pages_of_the_pptx(fixture_con):
    refs = pres.parse_slides("league,movers", CODES)
    deck = pres.build_deck(fixture_con, refs, WEEK, CITY)
    deck[1].figure = None
    data = exports.deck_to_pdf(deck, pres.deck_title(WEEK, "week"))
    assert data.startswith(b"%PDF")
    pages = len(Presentation(io.BytesIO(exports.deck_to_pptx(deck, "x"))).slides)
    assert len(re.findall(rb"/Type /Page\b", data)) == pages == 2
    assert b"+DejaVuSans" in data  # the Unicode font is embedded for the Vietnamese text


def test_table_export_cells_formats_and_formula_text():
    frame = pl.DataFrame(
        {
            "commune_name": ['=HYPERLINK("http://x")', "+84 912", "-1+2", "@SUM(A1)", "Xã Hai"],
            "received": [1234, 5, 0, 7, None],
            "online_rate": [0.5, 2 / 3, None, 1.0, 0.0],
            "light": ["green", "amber", "red", None, "green"],
            "day": [date(2025, 10, 6)] * 5,
        }
    )
    spec = {
        "commune_name": ("league.col.commune_name", "text"),
        "received": ("league.col.received", "int"),
        "online_rate": ("kpi.online_rate", "pct"),
        "light": ("kpi.target", "light"),
        "day": ("col.due_at", "date"),
    }
    book = openpyxl.load_workbook(io.BytesIO(exports.spec_to_xlsx(frame, spec, sheet_name="T")))
    sheet = book["T"]
    assert [c.value for c in sheet[1]] == [
        "Xã/phường",
        "Tiếp nhận",
        "Tỷ lệ trực tuyến",
        "Mục tiêu",
        "Hạn xử lý",
    ]
    for row, text in enumerate(['=HYPERLINK("http://x")', "+84 912", "-1+2", "@SUM(A1)"], 2):
        cell = sheet.cell(row, 1)
        assert cell.value == text
        assert cell.data_type == "s"  # a string, never a formula
    assert sheet.cell(2, 2).value == 1234
    assert sheet.cell(2, 2).number_format == "#,##0"
    assert sheet.cell(6, 2).value is None
    assert sheet.cell(3, 3).value == pytest.approx(2 / 3)
    assert sheet.cell(3, 3).number_format == "0.0%"
    assert sheet.cell(4, 3).value is None  # no rate: blank, never 0%
    assert sheet.cell(2, 4).value == "Đạt"  # the word alone: spreadsheet fonts lack the marks
    assert sheet.cell(2, 5).value == datetime(2025, 10, 6)
    assert sheet.cell(2, 5).number_format == "dd/mm/yyyy"


def rows_of(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_deck_tables_as_excel(fixture_con):
    deck = pres.build_deck(fixture_con, pres.parse_slides("league,movers", CODES), WEEK, CITY)
    title = pres.deck_title(WEEK, "week")
    data = exports.deck_to_xlsx(deck, "vi", title, pres.period_label(WEEK), WEEK.as_of)
    book = openpyxl.load_workbook(io.BytesIO(data))
    # the whole ranking first, then the slide's tables, named after them (no cut names)
    assert book.sheetnames == [
        "Xếp hạng đầy đủ",
        "5 xã-phường dẫn đầu",
        "Tăng điểm",  # issue 16: movers by score change
        "Giảm điểm",
    ]
    assert book.properties.title == title
    assert book.properties.creator == "Trung tâm điều hành IOC"
    whole = book["Xếp hạng đầy đủ"]
    heading, header, *ranked = rows_of(whole)[:1] + rows_of(whole)[5:]
    assert rows_of(whole)[1:4] == [
        ["Báo cáo tuần 06/10/2025 – 12/10/2025"] + [None] * (len(header) - 1),
        ["06/10/2025 – 12/10/2025"] + [None] * (len(header) - 1),
        # as of the end of the week
        ["Số liệu đến 23:59 12/10/2025"] + [None] * (len(header) - 1),
    ]
    assert header[:6] == [
        "Hạng", "Thay đổi hạng", "Mã xã/phường", "Xã/phường", "Điểm (/100)", "Thay đổi điểm",
    ]  # fmt: skip
    assert len(ranked) == 3  # every commune of the fixture, C3 without a score
    # C2 77.5 first, up one place; C1 59.0 second, down one (hand figures in
    # test_weekly_deck_as_pptx). The rank change is a number (sortable) that reads "▲ 1".
    assert ranked[0][:5] == [1, 1, C2, "Xã Hai", pytest.approx(77.52, abs=0.01)]
    assert ranked[1][:4] == [2, -1, C1, "Phường Một"]
    assert whole.cell(7, 2).number_format == '"▲ "0;"▼ "0;"="'
    assert isinstance(ranked[0][5], float)  # the score change is a number too
    assert whole.freeze_panes == "A7"  # 4 heading lines, a blank, the header
    assert whole.page_setup.orientation == "landscape"
    # fit to one page wide (1 is the file format's default width, so it may be left unwritten)
    assert whole.sheet_properties.pageSetUpPr.fitToPage
    assert whole.page_setup.fitToWidth in (None, 1) and whole.page_setup.fitToHeight == 0
    assert whole.print_title_rows == "$6:$6"
    # columns as wide as the header's longest word or the widest value (+ 2), the header wrapped
    # in a row tall enough for its lines, so one page wide stays legible: "Tỷ lệ trực tuyến"
    # is 7 wide ("tuyến" + 2; its values such as 46,2% take 7 as well), not 18
    # (the file stores a width + 0,71: the cell padding spreadsheets add)
    widths = {
        header[i]: int(whole.column_dimensions[chr(65 + i)].width) for i in range(len(header))
    }
    assert widths["Tỷ lệ trực tuyến"] == 7
    assert widths["Xã/phường"] == len("Phường Một") + 2
    assert whole.row_dimensions[6].height >= 15 * 3  # "Tỷ lệ trực tuyến toàn trình": 3+ lines
    top = book["5 xã-phường dẫn đầu"]
    assert top.cell(6, 1).value == "Hạng" and top.cell(7, 4).value == pytest.approx(77.52, 0.001)
    assert top.cell(7, 5).number_format == "0.0%"


def test_kpi_sheets_hold_the_city_figures_as_numbers(fixture_con):
    deck = pres.build_deck(fixture_con, pres.parse_slides("kpis", CODES), WEEK, CITY)
    book = openpyxl.load_workbook(io.BytesIO(exports.deck_to_xlsx(deck)))
    rates = {r[0]: r[1:] for r in rows_of(book["Chỉ số - tỷ lệ"])[3:]}
    counts = {r[0]: r[1:] for r in rows_of(book["Chỉ số - số lượng"])[3:]}
    assert rates["Tỷ lệ trực tuyến"][0] == pytest.approx(10 / 19)
    assert rates["Tỷ lệ trực tuyến"][2:] == [0.8, "Chưa đạt"]
    assert rates["Tỷ lệ trực tuyến toàn trình"][0] == pytest.approx(7 / 19)
    assert rates["Tỷ lệ giải quyết đúng hạn"][0] == pytest.approx(10 / 12)
    assert counts["Hồ sơ tiếp nhận"][0] == 19  # 13 (C1) + 6 (C2)
    assert counts["Hồ sơ quá hạn đang xử lý"][0] == 3  # d04 d12 e05
    assert book["Chỉ số - tỷ lệ"].cell(5, 2).number_format == "0.0%"


LEADER = Scope(CITY_LEADER, username="lan")


def app(query: dict, scope: Scope = LEADER) -> AppTest:
    """The whole app signed in as `scope`, on the presenter page with a URL's parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    auth.sign_in_session(at.session_state, scope)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("pages/presentation.py").run()


def slide_title(at: AppTest) -> str:
    texts = [m.value for m in at.markdown if 'class="slide-title"' in m.value]
    return re.sub(r"<[^>]+>", "|", texts[0]).strip("|").split("|")[0]


def test_presenter_page_advances_slides(fixture_db):
    at = app({"slides": f"kpis,league,commune:{C1}", "period": "week", "theme": "light"})
    assert not at.exception
    assert slide_title(at) == "Chỉ số toàn thành phố"
    assert any("Trang 1/3" in m.value for m in at.markdown)
    at.button(key="present_next").click().run()
    assert slide_title(at) == "Xếp hạng xã/phường"
    assert at.query_params["i"] == "2"
    top = at.table[0].value
    assert top["Xã/phường"].tolist() == ["Xã Hai", "Phường Một"]
    at.button(key="present_next").click().run()
    assert slide_title(at) == "Phường Một"
    at.button(key="present_next").click().run()  # wraps to the first slide
    assert slide_title(at) == "Chỉ số toàn thành phố"
    at.button(key="present_prev").click().run()
    assert slide_title(at) == "Phường Một"
    assert any("d04" in t.value.index for t in at.table)  # a city leader sees dossier rows


def test_presenter_role_and_weekly_button(fixture_db):
    at = app({"slides": f"commune:{C1}", "period": "7d", "i": "1"}, Scope(PRESENTER, username="p"))
    assert not at.exception
    assert slide_title(at) == "Phường Một"
    assert len(at.table) == 1  # procedures only: no dossier rows for a presenter
    assert any("không hiển thị với vai trò" in m.value for m in at.markdown)
    weekly = next(b for b in at.button if b.label == "Báo cáo tuần")
    weekly.click().run()
    assert at.query_params["period"] == "week"
    # issue 16: the weekly deck runs the meeting, from the cover (no actions in the fixture: no
    # actions slide)
    assert at.query_params["slides"] == "cover,actions,kpis,trends,league,movers,overdue,late,land"
    assert slide_title(at) == "Những điểm chính của kỳ"
    assert any("06/10/2025 – 12/10/2025" in m.value for m in at.markdown)


def test_cli_weekly_report(fixture_db, tmp_path, capsys):
    from ioc import cli

    assert cli.main(["report", "--week", "--format", "xlsx", "--out", str(tmp_path)]) == 0
    path = tmp_path / "bao-cao-tuan_20251006-20251012.xlsx"
    # cover, kpis, 2 trends (online, end-to-end), league, movers, overdue, late, land (issue 16)
    assert f"{path}: 9 slides" in capsys.readouterr().out
    book = openpyxl.load_workbook(path)
    whole = book["Xếp hạng đầy đủ"]
    assert [c.value for c in whole[7]][:4] == [1, 1, C2, "Xã Hai"]


def run_fragments_only(at: AppTest) -> AppTest:
    """Re-run only the page's fragments, as an auto-advance tick does in the browser.

    AppTest has no public way to do that: queue the registered fragment ids on the rerun request,
    and hand the run the pages of the last full run (a server keeps them between runs; AppTest
    builds a new PagesManager each run and the slide bar's page_link needs them).
    """
    ids = list(at._fragment_storage._fragments)
    pages = at._registered_pages

    class KnownPages(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._set_pages(pages)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_test, "PagesManager", KnownPages)
        patch.setattr(
            local_script_runner,
            "RerunData",
            functools.partial(RerunData, fragment_id_queue=ids, is_auto_rerun=True),
        )
        at.run()
    return at


def cards(at: AppTest) -> dict[str, str]:
    """Big numbers of the shown slide: label -> value."""
    found = {}
    for m in at.markdown:
        hit = re.search(r'class="label">([^<]*)</div><div class="value">([^<]*)<', m.value)
        if hit:
            found[hit[1]] = hit[2]
    return found


def test_auto_advance_tick_moves_the_counter_and_refreshes_live_figures(fixture_db):
    # Monday 13/10 10:00: today's received dossiers are d14 only (09:00, C1).
    at = app({"slides": "hourly,kpis", "period": "today", "auto": "30"})
    assert not at.exception
    assert slide_title(at) == "Tiếp nhận và giải quyết theo giờ"
    assert cards(at)["Hồ sơ tiếp nhận"] == "1"
    assert any("Trang 1/2" in m.value for m in at.markdown)

    # An import lands during the meeting: one more dossier received today (C2, 09:40).
    with store.connect(fixture_db) as con:
        con.execute(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "service_level, submitted_at, received_at, due_at, status, has_fee, digitized) "
            "values ('x01', ?, ?, 'online', 'full', ?, ?, ?, 'accepted', false, true)",
            [P1, C2, datetime(2025, 10, 13, 9, 40), datetime(2025, 10, 13, 9, 40), NOW],
        )
        store.set_meta(con, "data_version", "2")
        rollups.ensure(con)  # as an import would, in its transaction
    # a tick before the interval is over: same slide, the live figures of the new data
    run_fragments_only(at)
    assert not at.exception
    assert slide_title(at) == "Tiếp nhận và giải quyết theo giờ"
    assert cards(at)["Hồ sơ tiếp nhận"] == "2"
    assert any("Trang 1/2" in m.value for m in at.markdown)

    # the interval is over: the tick moves on, and the counter (drawn in the fragment) with it
    at.session_state["present_shown_at"] -= 60
    run_fragments_only(at)
    assert not at.exception
    assert slide_title(at) == "Chỉ số toàn thành phố"
    assert any("Trang 2/2" in m.value for m in at.markdown)
    assert at.query_params["i"] == "2"


def test_a_second_prepared_link_in_the_session_opens_at_its_slide(fixture_db):
    at = app({"slides": f"kpis,league,commune:{C1}", "period": "week", "i": "1"})
    at.button(key="present_next").click().run()
    assert slide_title(at) == "Xếp hạng xã/phường"
    assert at.query_params["i"] == "2"
    # same session, another link: its `i` wins over the slide the session was on
    at.query_params["i"] = "3"
    at.run()
    assert slide_title(at) == "Phường Một"
    assert any("Trang 3/3" in m.value for m in at.markdown)
    # a new sequence with the same `i` also starts where the link says
    at.query_params["slides"] = "league,kpis,movers"
    at.query_params["i"] = "2"
    at.run()
    assert slide_title(at) == "Chỉ số toàn thành phố"
    # a plain rerun (no URL change) keeps the slide the presenter moved to
    at.button(key="present_next").click().run()
    assert slide_title(at) == "Xã/phường thay đổi điểm nhiều nhất"
    at.run()
    assert slide_title(at) == "Xã/phường thay đổi điểm nhiều nhất"


def png_downloads(at: AppTest) -> list:
    return [b for b in at.get("download_button") if b.proto.id.endswith("present_png")]


def test_chart_png_failure_shows_an_error_not_an_empty_file(fixture_db, monkeypatch):
    monkeypatch.setattr(exports, "figure_png", lambda figure: None)
    at = app({"slides": "kpis,league", "period": "week"})
    at.button(key="present_png_make").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Không tạo được ảnh PNG của biểu đồ (máy chủ không vẽ được biểu đồ). "
        "Vui lòng thử lại hoặc báo quản trị hệ thống."
    ]
    assert png_downloads(at) == []


def test_chart_png_rendered_on_request_then_offered(fixture_db, monkeypatch):
    monkeypatch.setattr(exports, "figure_png", lambda figure: b"\x89PNG\r\n\x1a\n" + b"x" * 2000)
    # the "who is late" slide has no chart (the league slide has one since issue 16)
    at = app({"slides": "kpis,late", "period": "week"})
    assert png_downloads(at) == []  # nothing rendered before it is asked for
    at.button(key="present_png_make").click().run()
    assert not at.exception
    assert not at.error
    assert len(png_downloads(at)) == 1
    at.run()  # stays on offer for the slide it was made for
    assert len(png_downloads(at)) == 1
    at.button(key="present_next").click().run()  # the "who is late" slide has no chart
    assert png_downloads(at) == []
    assert not [b for b in at.button if b.key == "present_png_make"]


def test_figure_png_is_a_real_png():
    figure = go.Figure(go.Bar(x=["Xã Một", "Phường Hai"], y=[3, 5]))
    data = exports.figure_png(figure, width=400, height=300)
    assert data is not None
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1024


def test_cli_report_while_the_app_holds_the_store(fixture_db, tmp_path, capsys, monkeypatch):
    """Issue 16 item 5: `ioc report` beside the running app succeeds (the app writes it from its
    own view of the store) with the same figures as with the app stopped."""
    import subprocess
    import sys

    from test_backup import HOLDER

    from ioc import backup, cli

    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))
    stopped, served = tmp_path / "stopped", tmp_path / "served"
    args = ["report", "--week", "--format", "xlsx", "pptx"]
    assert cli.main([*args, "--out", str(stopped)]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(fixture_db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert backup.store_is_held(fixture_db)
        capsys.readouterr()
        assert cli.main([*args, "--out", str(served)]) == 0
        out = capsys.readouterr().out
    finally:
        holder.kill()
        holder.wait()
    assert "held by the running app: asking it to write the report" in out
    assert "bao-cao-tuan_20251006-20251012.xlsx: 9 slides" in out
    for name in ("bao-cao-tuan_20251006-20251012.xlsx",):
        books = [openpyxl.load_workbook(folder / name) for folder in (stopped, served)]
        values = [
            [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
            for book in books
        ]
        assert values[0] == values[1]
    # the command's own .pptx came from a forked worker (write_report parallel), the app's from
    # its one process: the same slides, word for word
    from pptx import Presentation

    texts = [
        [
            [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            for slide in Presentation(folder / "bao-cao-tuan_20251006-20251012.pptx").slides
        ]
        for folder in (stopped, served)
    ]
    assert len(texts[0]) >= 9 and texts[0] == texts[1]
