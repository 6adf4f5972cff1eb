"""The meeting deck of issue 16 on the hand-made fixture (tests/fixtures.py).

Clock: IOC_NOW 2025-10-13 10:00 (Monday): the deck's period is the week 06/10 – 12/10/2025, the
fixture week of tests/test_kpi.py, and the "previous period" the week 29/09 – 05/10/2025.

The previous week, by hand (every other dossier was received from 06/10 on):
  C1 d11  P2 direct, received 01/10, due 06/10, finished 07/10: received; open at 05/10, not overdue
     d12  P2 direct, received 03/10, due 08/10, still open:    received; open at 05/10, not overdue
     d15  P1 online (full), received 05/10, finished 05/10:      received online, end-to-end,
                                                                 digitised, resolved on time
     received 3, online 1, end-to-end 1, with fee 2 (P2), paid online 0, digitised 1,
     resolved 1 (on time 1), open 2 (overdue 0)
     score = 100 * (20 * (1 + 2) / 3 + 6 * (1/3) / 0.8 + 6 * (1/3) / 0.4 + 10 * 0 / 2
                    + 22 * (1/3) / 0.8) / 64
           = 100 * (20 + 2.5 + 5 + 0 + 9.1667) / 64 = 57.29
  C2 e07  P2 direct, received 02/10, finished 02/10 (due 03/10): received, resolved on time
     received 1, online 0, end-to-end 0, with fee 1, paid 0, digitised 0, resolved 1 on time
     score = 100 * (20 + 0 + 0 + 0 + 0) / 64 = 31.25
  C3 no dossier: no score.
This week (test_presentation.py): C2 77.52, C1 58.97. Changes: C2 +46.27, C1 +1.68.
"""

from __future__ import annotations

from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl
import pytest
from fixtures import C1, C2, C3, P2
from test_presentation import WEEK, app, slide_title

from ioc import charts, config, i18n, kpi, meeting, tables
from ioc import presentation as pres
from ioc.kpi import Period
from ioc.scope import CITY, PRESENTER, Scope

CODES = [C1, C2, C3]
PREVIOUS = Period.of(date(2025, 9, 29), date(2025, 10, 5), datetime(2025, 10, 13, 10, 0))


def test_new_slide_tokens_parse():
    refs = pres.parse_slides(
        "cover,trends,trend:on_time_rate,trend:bogus,trend,overdue,late,cover:x", CODES
    )
    assert [r.token for r in refs] == ["cover", "trends", "trend:on_time_rate", "overdue", "late"]
    assert pres.slides_param(refs) == "cover,trends,trend:on_time_rate,overdue,late"
    # meeting order: cover, last meeting's actions, KPIs, trends, league / movers, overdue, who is
    # late
    assert pres.STANDARD[:4] == ("cover", "actions", "kpis", "trends")
    assert pres.DEFAULT_SLIDES[0] == "cover"
    for kind in pres.KINDS:
        assert f"present.slide.{kind}" in i18n.TEXT


def test_commune_scores_of_previous_week(fixture_con):
    (scores,) = kpi.commune_scores_of(fixture_con, [PREVIOUS])
    found = dict(zip(scores["commune_code"], scores["score"], strict=True))
    assert found[C1] == pytest.approx(100 * (20 + 2.5 + 5 + 22 * (1 / 3) / 0.8) / 64)  # 57.29
    assert found[C2] == pytest.approx(31.25)
    assert found[C3] is None
    # the same figures as the ranking's previous_score (one implementation)
    ranking = kpi.commune_ranking(fixture_con, WEEK)
    previous = dict(zip(ranking["commune_code"], ranking["previous_score"], strict=True))
    assert previous[C1] == pytest.approx(found[C1]) and previous[C2] == pytest.approx(31.25)


def test_cover_key_messages(fixture_con):
    (cover,) = pres.build_deck(fixture_con, [pres.SlideRef("cover")], WEEK, CITY)
    assert cover.title == "Những điểm chính của kỳ"
    assert cover.bullets == [
        # C2 31.25 -> 77.52; no noise threshold on the fixture (no history before 29/09)
        "Tăng điểm nhiều nhất: Xã Hai +46,3 điểm (31,2 → 77,5).",
        # C1 rose too (+1.68): nobody fell
        "Không xã/phường nào giảm điểm so với kỳ trước.",
        # online 10/19 against 80%, end-to-end 7/19 against 40% (test_presentation.py);
        # C1 online 46.2% < 80% and C2 66.7% < its own 90%: red; C3 has no rate
        "Toàn thành phố chưa đạt mục tiêu: Tỷ lệ trực tuyến 52,6% (mục tiêu 80%); "
        "Tỷ lệ trực tuyến toàn trình 36,8% (mục tiêu 40%). "
        "2/3 xã/phường chưa đạt ít nhất một mục tiêu.",
        # overdue at the end of 12/10: d04 d12 e05; at the end of 05/10: none (d11 due 06/10,
        # d12 due 08/10)
        "Hồ sơ quá hạn đang xử lý: 3, tăng 3 so với cuối kỳ trước (0).",
    ]
    assert cover.speaker_notes.startswith(
        "Kỳ số liệu: 06/10/2025 – 12/10/2025; số liệu đến 23:59 12/10/2025"
    )


def test_standard_deck_order_agenda_and_notes(fixture_con):
    refs = pres.parse_slides(",".join(pres.STANDARD), CODES)
    deck = pres.build_deck(fixture_con, refs, WEEK, Scope(PRESENTER))
    assert [s.token for s in deck] == [
        "cover",
        "kpis",
        "trend:online_rate",  # the rates with a target in force: online and end-to-end
        "trend:end_to_end_rate",
        "league",
        "movers",
        "overdue",
        "late",
        "land",
    ]
    agenda = deck[0].tables[0].frame
    assert agenda["number"].to_list() == list(range(2, 10))
    assert agenda["title"][2] == "Tỷ lệ trực tuyến toàn trình: 12 tuần so với mục tiêu"
    for slide in deck:
        assert slide.speaker_notes.startswith("Kỳ số liệu: 06/10/2025 – 12/10/2025"), slide.token
        assert len(slide.speaker_notes.splitlines()) >= 2, slide.token


def test_trend_weeks_and_values(fixture_con):
    weeks = meeting.trend_weeks(date(2025, 10, 12))
    assert (weeks[0].date_from, weeks[-1].date_to) == (date(2025, 7, 21), date(2025, 10, 12))
    assert all(w.date_from.weekday() == 0 and w.days == 7 for w in weeks)
    # a period ending on a Wednesday: the weeks end with the Sunday before
    assert meeting.trend_weeks(date(2025, 10, 15))[-1].date_to == date(2025, 10, 12)

    deck = pres.build_deck(fixture_con, [pres.SlideRef("trends")], WEEK, CITY)
    online, e2e = deck
    assert online.title == "Tỷ lệ trực tuyến: 12 tuần so với mục tiêu"
    numbers = {n.label: (n.value, n.note) for n in online.numbers}
    # this week 10/19, the week before 1/4 (d15 of d11 d12 d15 e07): +27.6 points
    assert numbers["Tuần 06/10/2025 – 12/10/2025"] == (
        "52,6%",
        "+27,6 điểm % · Mục tiêu 80%: Chưa đạt",
    )
    assert numbers["Số tuần đạt mục tiêu"][0] == "0/2"  # two weeks with dossiers, none at 80%
    # smallest k with (10 + k) / (19 + k) >= 0.8: k = 26
    assert numbers["Còn thiếu để đạt (tuần cuối)"] == ("26", "hồ sơ trực tuyến")
    assert numbers["Cả 12 tuần"] == ("47,8%", "11 / 23")  # (1 + 10) / (4 + 19)
    numbers = {n.label: (n.value, n.note) for n in e2e.numbers}
    # 7/19 = 36.8% against 40% (amber); 1/4 the week before; k = 1: 8/20 = 40%
    assert numbers["Tuần 06/10/2025 – 12/10/2025"][0] == "36,8%"
    assert numbers["Còn thiếu để đạt (tuần cuối)"][0] == "1"
    assert numbers["Cả 12 tuần"] == ("34,8%", "8 / 23")
    sheet = e2e.sheets[0].frame
    # the target in force at each week's end: 20% until 31/08, 40% from the week ending 07/09
    targets = dict(zip(sheet["week_to"], sheet["target"], strict=True))
    assert targets[date(2025, 8, 31)] == 0.2 and targets[date(2025, 9, 7)] == 0.4
    assert sheet.filter(pl.col("week_to") == date(2025, 10, 12))["light"].item() == "amber"
    # the chart: bars in percent, the target as a dashed trace named with its value
    bars, target = online.figure.data
    assert bars.y[-2:] == pytest.approx((25.0, 100 * 10 / 19))
    assert target.name == "Mục tiêu 80%" and target.line.dash == "dash"
    assert online.figure.layout.yaxis.ticksuffix == "%"


def test_working_days_late_and_buckets():
    # due Friday 29/08/2025; 30-31/08 weekend, 01-02/09 National Day: Wednesday 03/09 is the first
    # working day late
    late = meeting.working_days_late(
        [date(2025, 8, 29), date(2025, 8, 28), date(2025, 9, 2)], date(2025, 9, 3)
    )
    assert late == {date(2025, 8, 29): 1, date(2025, 8, 28): 2, date(2025, 9, 2): 1}
    assert [meeting.bucket_of(d) for d in (0, 5, 6, 10, 11, 20, 21, 400)] == [
        0, 0, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_overdue_slide(fixture_con):
    (slide,) = pres.build_deck(fixture_con, [pres.SlideRef("overdue")], WEEK, Scope(PRESENTER))
    # open overdue at the end of Sunday 12/10: d04 (C1 P2, due Fri 10/10: 0 working days late),
    # d12 (C1 P2, due Wed 08/10: Thu, Fri = 2), e05 (C2 P2, due Sat 11/10: 0): all "<= 5"
    assert [n.value for n in slide.numbers] == ["3", "0", "2"]
    assert slide.numbers[0].note == "+3 so với kỳ trước"  # none at the end of 05/10
    by_commune = slide.sheets[0].frame
    assert by_commune.select("commune_code", "overdue", "late_0", "late_3").rows() == [
        (C1, 2, 2, 0),
        (C2, 1, 1, 0),
    ]
    procedures, days = slide.tables
    assert procedures.frame.select("procedure_code", "overdue", "share").rows() == [(P2, 3, 1.0)]
    assert days.frame["overdue"].to_list() == [3, 0, 0, 0]
    # the chart: one stacked bar per commune, only the buckets that have a segment in the legend
    assert [t.name for t in slide.figure.data if t.type == "bar"] == ["≤ 5 ngày làm việc"]


def test_who_is_late_names_the_chair(fixture_con):
    fixture_con.execute(
        "insert into users (username, role, commune_code, password_hash) "
        "values ('chair2', 'ward_chair', ?, 'x'), ('lead', 'city_leader', null, 'x')",
        [C2],
    )
    (slide,) = pres.build_deck(fixture_con, [pres.SlideRef("late")], WEEK, Scope(PRESENTER))
    table = slide.tables[0].frame
    # C1: 2 overdue (d04 d12), C2: 1 (e05); C3 nothing overdue and no on-time target
    assert table.select("commune_name", "owner", "open_overdue").rows() == [
        ("Phường Một", "Chủ tịch UBND Phường Một", 2),
        ("Xã Hai", "Chủ tịch UBND Xã Hai (chair2)", 1),
    ]
    assert [n.value for n in slide.numbers] == ["2", "100,0%"]  # no on-time target: no card


def test_noise_threshold_by_hand(monkeypatch):
    # median 0; absolute deviations 3 2 1 1 0 0 1 1 2 3 -> median 1; 2 * 1.4826 * 1
    changes = [1, -1, 2, -2, 0, 3, -3, 1, -1, 0]
    assert meeting.robust_threshold(changes) == pytest.approx(2.9652)
    assert meeting.robust_threshold(changes[:9]) is None  # too little history
    assert meeting.is_noise(-2.9, 2.9652) and not meeting.is_noise(3.0, 2.9652)
    assert meeting.is_noise(5.0, None) is None

    # consecutive periods are paired newest to oldest, communes without a score left out:
    # A: 1 - 0, 0 - 4; B: 2 - 4, then no older score; C never scored
    def scores(con, periods, province):
        assert len(periods) == meeting.NOISE_PERIODS + 1
        frame = {"commune_code": ["A", "B", "C"]}
        values = [[1.0, 2.0, None], [0.0, 4.0, None], [4.0, None, None]]
        return [pl.DataFrame(frame | {"score": v}) for v in values[: len(periods)]]

    monkeypatch.setattr(kpi, "commune_scores_of", scores)
    monkeypatch.setattr(meeting, "NOISE_MIN_CHANGES", 2)
    period = Period.of(date(2026, 3, 2), date(2026, 3, 8), datetime(2026, 3, 9))
    # changes [1, -2, -4]: median -2, absolute deviations 3 0 2 -> median 2; 2 * 1.4826 * 2
    assert meeting.noise_threshold(None, period) == pytest.approx(5.9304)
    # a period just after the start of the data: no earlier period, no threshold
    start = config.START_DATE.date()
    assert meeting.noise_threshold(None, Period.of(start, start, datetime(2025, 7, 2))) is None


def test_movers_by_score_change(fixture_con):
    (slide,) = pres.build_deck(fixture_con, [pres.SlideRef("movers")], WEEK, CITY)
    up, down = slide.tables
    assert up.frame.select("commune_code", "score_change", "rank_change", "verdict").rows() == [
        (C2, pytest.approx(77.52 - 31.25, abs=0.01), 1, None),
        (C1, pytest.approx(58.97 - 57.29, abs=0.01), -1, None),
    ]
    assert down.frame.height == 0
    assert slide.note == "Chưa đủ số liệu các kỳ trước để tính ngưỡng nhiễu."
    assert up.tones()[3] == ["good", "good"] and up.tones()[4] == ["good", "bad"]
    assert up.numeric() == [False, True, True, True, True, False]
    # the chart: signed changes on the bars; no threshold line without a threshold
    (bars,) = slide.figure.data
    assert list(bars.text) == ["+46,3", "+1,7"]


def test_signed_changes_never_read_minus_zero():
    assert tables.signed(-0.04) == "=" and tables.signed(0.0) == "="
    assert tables.signed(-1.25, "vi") == "−1,2" and tables.signed(4.26, "en") == "+4.3"
    assert tables.cell(None, "signed", "vi") == "—"


def test_slide_charts_keep_to_the_export_subset(fixture_con):
    """Bars and lines only, no layout shapes (a target is a trace), titled axes, rates in
    percent: what the exports convert into native charts."""
    refs = pres.parse_slides(",".join(pres.DEFAULT_SLIDES) + f",commune:{C1}", CODES)
    deck = pres.build_deck(fixture_con, refs, WEEK, CITY)
    for slide in deck:
        figure = slide.figure
        if figure is None or slide.kind == "land":
            continue
        assert {t.type for t in figure.data} <= {"bar", "scatter"}, slide.token
        assert not figure.layout.shapes and not figure.layout.annotations, slide.token
        assert figure.layout.xaxis.title.text or figure.layout.yaxis.title.text, slide.token
        if figure.layout.yaxis.ticksuffix == "%":
            values = [v for t in figure.data for v in (t.y or []) if isinstance(v, float)]
            assert max(values) > 1, slide.token  # percent numbers, not fractions
    commune = deck[-1].figure
    names = [t.name for t in commune.data]
    assert "Tỷ lệ trực tuyến · Mục tiêu 80%" in names
    # the lights: online red C1 C2 (none C3), end-to-end green C2, amber C1 (none C3), in the
    # order of the segments
    lights = deck[1].figure
    assert [t.name for t in lights.data] == ["Đạt", "Gần đạt", "Chưa đạt", "Không có dữ liệu"]
    assert lights.layout.legend.traceorder == "normal"
    # a colour no rate has gets no legend entry
    counts = pl.DataFrame(
        {"metric": ["online_rate"] * 4, "light": ["green", "amber", "red", "none"]}
        | {"communes": [3, 0, 1, 0]}
    )
    assert [t.name for t in charts.light_bars(counts).data] == ["Đạt", "Chưa đạt"]


def test_land_classes():
    assert pres.land_classes(0) == [(0, 0)]
    assert pres.land_classes(2) == [(0, 0), (1, 1), (2, 2)]
    assert pres.land_classes(9) == [(0, 0), (1, 3), (4, 6), (7, 9)]


def test_styled_figure_keeps_a_target_trace_visible():
    figure = go.Figure([go.Bar(y=[50.0]), charts.target_trace([0], [0.8])])
    styled = pres.styled_figure(figure, "light", 600)
    assert styled.layout.height == 600 and styled.data[1].name == "Mục tiêu 80%"
    assert styled.data[1].y == (80.0,)


def test_presenter_screen_opens_on_the_cover(fixture_db):
    at = app({"slides": "cover,trends,overdue,late"}, Scope(PRESENTER, "p"))
    # the app's first page (Tổng quan) writes its own period into the URL: ask for the week here
    at.query_params["period"] = "week"
    at.run()
    assert not at.exception
    assert slide_title(at) == "Những điểm chính của kỳ"
    bullets = [m.value for m in at.markdown if 'class="slide-bullets"' in m.value]
    assert "Tăng điểm nhiều nhất: Xã Hai +46,3 điểm" in bullets[0]
    assert any("Trang 1/5" in m.value for m in at.markdown)  # trends: two slides
    agenda = at.table[0].value
    # cells go through ui.md_text (Markdown signs escaped: "\:" shows as ":")
    last = agenda["Nội dung"].tolist()[-1].replace("\\", "")
    assert last == "Ai đang chậm: xã/phường và người chịu trách nhiệm"
    for title in (
        "Tỷ lệ trực tuyến: 12 tuần so với mục tiêu",
        "Tỷ lệ trực tuyến toàn trình: 12 tuần so với mục tiêu",
        "Hồ sơ quá hạn đang xử lý",
        "Ai đang chậm: xã/phường và người chịu trách nhiệm",
    ):
        at.button(key="present_next").click().run()
        assert not at.exception
        assert slide_title(at) == title
    assert at.table[0].value.index.tolist() == ["Phường Một", "Xã Hai"]
