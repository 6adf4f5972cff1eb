"""Actions that carry over (giao việc, issue 16) on the hand-made fixture (tests/fixtures.py).

The story, each step at its own pinned clock (IOC_NOW), checked by hand below:

  29/09 meeting M1 "tuần 22/09 – 28/09" (presenter "pres"):
     #1 Xã Hai (C2)      deadline 03/10, never done          -> still open, late 10 days on 13/10
     #2 Phường Một (C1)  deadline 03/10, done 02/10 by pres   -> done, not carried (older meeting)
  06/10 meeting M2 "tuần 29/09 – 05/10" (the last meeting before the week deck of 13/10):
     #3 Phường Một       deadline 10/10, open                 -> late 3 days on 13/10
     #4 Phường Một       deadline 20/10, open                 -> open
     #5 Xã Hai           deadline 09/10, done 08/10 by chair2 -> done
     #6 whole city, owner "Sở Nội vụ", deadline 17/10         -> open
  13/10 meeting M3 (today): #7 Phường Một deadline 24/10      -> not in today's deck

Week deck of Monday 13/10 (06/10 – 12/10): carried = M2's #3 #4 #5 #6 and the still open #1,
ordered late (by deadline) #1 03/10, #3 10/10; open #6 17/10, #4 20/10; done #5.
Counts: done 1, late 2, open 2. The chair of C1 sees #3 (late) and #4 (open) only.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime

import openpyxl
import polars as pl
import pytest
from fixtures import C1, C2, C3, OTHER
from pptx import Presentation

from ioc import actions, audit, auth, exports
from ioc import presentation as pres
from ioc.scope import ADMIN, CITY, CITY_LEADER, PRESENTER, WARD_CHAIR, Scope, ScopeError

NOW = datetime(2025, 10, 13, 10, 0)
WEEK = pres.period_for("week", NOW)
CODES = [C1, C2, C3]
PRES = Scope(PRESENTER, None, "pres")
LEADER = Scope(CITY_LEADER, None, "lanhdao")
CHAIR1 = Scope(WARD_CHAIR, C1, "chair1")
CHAIR2 = Scope(WARD_CHAIR, C2, "chair2")


def at(monkeypatch, moment: str) -> None:
    monkeypatch.setenv("IOC_NOW", moment)


@pytest.fixture
def story(fixture_con, monkeypatch):
    """The fixture store with the three meetings of the module's docstring; the clock back at
    Monday 13/10/2025 10:00. C1 has a ward chair account (chair1); C2 has none."""
    con = fixture_con
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    auth.add_user(con, "chair1", WARD_CHAIR, "chair1-password", C1)
    at(monkeypatch, "2025-09-29T09:00:00")
    m1 = actions.meeting_for(con, PRES, "Báo cáo tuần 22/09/2025 – 28/09/2025")
    actions.add(con, PRES, m1, C2, "Việc cũ còn mở", None, date(2025, 10, 3))
    actions.add(con, PRES, m1, C1, "Việc cũ đã xong", None, date(2025, 10, 3))
    at(monkeypatch, "2025-10-02T15:00:00")
    actions.set_done(con, PRES, 2)
    at(monkeypatch, "2025-10-06T09:30:00")
    m2 = actions.meeting_for(con, LEADER, "Báo cáo tuần 29/09/2025 – 05/10/2025")
    actions.add(con, LEADER, m2, C1, "Giải quyết hồ sơ quá hạn", None, date(2025, 10, 10))
    actions.add(con, LEADER, m2, C1, "Hướng dẫn nộp trực tuyến", None, date(2025, 10, 20))
    actions.add(con, LEADER, m2, C2, "Bổ sung cán bộ một cửa", None, date(2025, 10, 9))
    actions.add(con, LEADER, m2, None, "Tổng hợp danh sách", "Sở Nội vụ", date(2025, 10, 17))
    at(monkeypatch, "2025-10-08T16:00:00")
    actions.set_done(con, CHAIR2, 5)
    at(monkeypatch, "2025-10-13T10:00:00")
    m3 = actions.meeting_for(con, PRES, pres.deck_title(WEEK, "week"))
    actions.add(con, PRES, m3, C1, "Việc của cuộc họp hôm nay", None, date(2025, 10, 24))
    return con


def test_create_and_read_back(story):
    frame = actions.rows(story, CITY)
    assert frame["action_id"].to_list() == [1, 3, 6, 4, 7, 2, 5]  # late, open, done; by deadline
    one = frame.filter(pl.col("action_id") == 3).row(0, named=True)
    assert one["commune_name"] == "Phường Một"
    assert one["what"] == "Giải quyết hồ sơ quá hạn"
    assert one["owner_shown"] == "chair1"  # no owner given: the commune's ward chair account
    assert one["status"] == "late" and one["days_late"] == 3
    assert one["created_by"] == "lanhdao"
    assert one["created_at"] == datetime(2025, 10, 6, 9, 30)
    c2 = frame.filter(pl.col("action_id") == 5).row(0, named=True)
    assert c2["owner_shown"] == "Chủ tịch UBND Xã Hai"  # no chair account for C2
    assert (c2["status"], c2["done_by"], c2["done_at"]) == (
        "done",
        "chair2",
        datetime(2025, 10, 8, 16, 0),
    )
    city = frame.filter(pl.col("action_id") == 6).row(0, named=True)
    assert (city["commune_name"], city["owner_shown"]) == ("Toàn thành phố", "Sở Nội vụ")
    # the text is stored as one line
    assert actions.rows(story, CITY, action=1)["what"][0] == "Việc cũ còn mở"


def test_the_same_meeting_is_reused_on_the_same_day(story):
    again = actions.meeting_for(story, LEADER, pres.deck_title(WEEK, "week"))
    assert again.meeting_id == 3
    assert story.execute("select count(*) from meetings").fetchone()[0] == 3


def test_late_is_derived_from_the_clock(story, monkeypatch):
    # #4 is due 20/10: open on 20/10 itself, late from 21/10 (Vietnam dates)
    at(monkeypatch, "2025-10-20T23:59:00")
    assert actions.rows(story, CITY, action=4)["status"][0] == "open"
    at(monkeypatch, "2025-10-21T00:01:00")
    row = actions.rows(story, CITY, action=4).row(0, named=True)
    assert (row["status"], row["days_late"]) == ("late", 1)
    # done is done, whatever the deadline
    assert actions.rows(story, CITY, action=5)["status"][0] == "done"


@pytest.mark.parametrize(
    ("commune", "what", "owner", "deadline", "key"),
    [
        (C1, "", None, date(2025, 10, 20), "action.error.what_empty"),
        (C1, " \n\t ", None, date(2025, 10, 20), "action.error.what_empty"),
        (C1, "x" * 501, None, date(2025, 10, 20), "action.error.what_long"),
        (C1, "ok", "y" * 101, date(2025, 10, 20), "action.error.owner_long"),
        (None, "city-wide", "  ", date(2025, 10, 20), "action.error.owner_needed"),
        ("99999", "ok", None, date(2025, 10, 20), "action.error.commune_unknown"),
        (OTHER, "ok", None, date(2025, 10, 20), "action.error.commune_unknown"),  # other province
        (C1, "ok", None, None, "action.error.deadline_missing"),
        (C1, "ok", None, date(2025, 10, 12), "action.error.deadline_past"),
        (C1, "ok", None, date(2026, 10, 15), "action.error.deadline_far"),  # > 366 days
    ],
)
def test_input_is_validated_with_one_line(story, commune, what, owner, deadline, key):
    meeting = actions.meeting_for(story, PRES, "Báo cáo")
    with pytest.raises(actions.ActionError) as refused:
        actions.add(story, PRES, meeting, commune, what, owner, deadline)
    assert refused.value.key == key
    for lang in ("vi", "en"):
        message = refused.value.message(lang)
        assert message and "\n" not in message and "action." not in message
    assert story.execute("select count(*) from meeting_actions").fetchone()[0] == 7


def test_the_same_action_is_not_recorded_twice(story):
    meeting = actions.meeting_for(
        story, LEADER, "Báo cáo tuần 29/09/2025 – 05/10/2025", held_on=date(2025, 10, 6)
    )
    assert meeting.meeting_id == 2
    with pytest.raises(actions.ActionError) as refused:
        actions.add(
            story, PRES, meeting, C1, " Giải quyết hồ sơ  quá hạn", None, date(2025, 10, 20)
        )
    assert refused.value.message() == "Việc này đã được ghi trong cuộc họp (số 3)."
    # the same words for another commune, or at another meeting, are another action
    assert actions.add(
        story, PRES, meeting, C3, "Giải quyết hồ sơ quá hạn", None, date(2025, 10, 20)
    )
    other = actions.meeting_for(story, PRES, "Họp chuyên đề")
    assert actions.add(story, PRES, other, C1, "Giải quyết hồ sơ quá hạn", None, date(2025, 10, 20))


def test_limits_are_inclusive(story):
    meeting = actions.meeting_for(story, PRES, "Báo cáo")
    # today is allowed, so is a year and a day; 500 characters and an owner of 100 too
    assert actions.add(story, PRES, meeting, C1, "x" * 500, "y" * 100, date(2025, 10, 13)) == 8
    assert actions.add(story, PRES, meeting, C1, "ok", None, date(2026, 10, 14)) == 9


def test_ward_chair_sees_only_the_own_commune(story):
    mine = actions.rows(story, CHAIR1)
    assert mine["action_id"].to_list() == [3, 4, 7, 2]  # C1's; never C2's nor the city-wide #6
    assert set(mine["commune_code"]) == {C1}
    assert actions.for_commune(story, CHAIR1, C1)["action_id"].to_list() == [3, 4, 7, 2]
    with pytest.raises(ScopeError):
        actions.for_commune(story, CHAIR1, C2)
    with pytest.raises(ScopeError):
        actions.rows(story, Scope(WARD_CHAIR, None, "nobody"))  # a chair without a commune
    # another commune's action is not there for the chair: neither read nor closed
    assert actions.rows(story, CHAIR1, action=1).height == 0
    with pytest.raises(actions.ActionError):
        actions.set_done(story, CHAIR1, 1)
    # a city leader, a presenter and an admin read them all
    for scope in (LEADER, PRES, Scope(ADMIN, None, "quantri")):
        assert actions.rows(story, scope).height == 7
    with pytest.raises(ScopeError):
        actions.rows(story, Scope("guest"))


def test_who_may_record_edit_and_close(story):
    meeting = actions.meeting_for(story, PRES, "Báo cáo")
    for scope in (CHAIR1, Scope(ADMIN, None, "quantri")):
        with pytest.raises(ScopeError):
            actions.meeting_for(story, scope, "Báo cáo")
        with pytest.raises(ScopeError):
            actions.add(story, scope, meeting, C1, "x", None, date(2025, 10, 20))
        with pytest.raises(ScopeError):
            actions.edit(story, scope, 4, C1, "x", None, date(2025, 10, 20))
    # the chair marks the own commune's action done, but may not reopen it
    assert actions.set_done(story, CHAIR1, 3) is True
    assert actions.set_done(story, CHAIR1, 3) is False  # already done: nothing written
    with pytest.raises(ScopeError):
        actions.set_done(story, CHAIR1, 3, done=False)
    with pytest.raises(ScopeError):
        actions.set_done(story, Scope(ADMIN, None, "quantri"), 4)
    assert actions.set_done(story, LEADER, 3, done=False) is True
    row = actions.rows(story, CITY, action=3).row(0, named=True)
    assert (row["state"], row["status"], row["done_at"], row["done_by"]) == (
        "open",
        "late",
        None,
        None,
    )


def audit_rows(con) -> list[tuple]:
    return con.execute(
        "select username, action, commune_code, detail from audit_log "
        "where action like 'action_item%' order by logged_at, detail"
    ).fetchall()


def test_every_change_is_audited_and_kept(story, monkeypatch):
    logged = audit_rows(story)
    assert [(u, a, c) for u, a, c, _ in logged].count(("lanhdao", audit.ACTION_ITEM_ADD, C1)) == 2
    assert ("chair2", audit.ACTION_ITEM_CHANGE, C2, "#5 state: open → done") in logged
    assert len(logged) == 9  # 7 recorded, 2 marked done
    changed = actions.edit(
        story, LEADER, 4, C1, "Hướng dẫn nộp trực tuyến", "Ông A", date(2025, 10, 24)
    )
    assert changed == ["owner", "deadline"]
    assert audit_rows(story)[-1] == (
        "lanhdao",
        audit.ACTION_ITEM_CHANGE,
        C1,
        "#4 owner: None → Ông A; deadline: 2025-10-20 → 2025-10-24",
    )
    # an edit that changes nothing writes nothing
    assert (
        actions.edit(
            story, LEADER, 4, C1, "Hướng dẫn  nộp trực tuyến ", "Ông A", date(2025, 10, 24)
        )
        == []
    )
    assert len(audit_rows(story)) == 10
    kept = actions.history(story, LEADER, 4)
    assert kept.select("changed_by", "field", "old_value", "new_value").rows() == [
        ("lanhdao", "created", None, "2025-10-20 Hướng dẫn nộp trực tuyến"),
        ("lanhdao", "deadline", "2025-10-20", "2025-10-24"),
        ("lanhdao", "owner", None, "Ông A"),
    ]
    assert actions.history(story, LEADER, 5)["field"].to_list() == ["created", "state"]
    # an edit may keep a deadline that has passed since, not set a new past one
    at(monkeypatch, "2025-10-30T09:00:00")
    assert actions.edit(story, LEADER, 4, C1, "Hướng dẫn lại", "Ông A", date(2025, 10, 24)) == [
        "what"
    ]
    with pytest.raises(actions.ActionError):
        actions.edit(story, LEADER, 4, C1, "Hướng dẫn lại", "Ông A", date(2025, 10, 25))
    # the audit page names the new actions in both languages
    from ioc.i18n import t

    assert t("audit.action.action_item_add") == "Ghi việc giao"
    assert t("audit.action.action_item_change", "en") == "Action changed"


def test_the_next_deck_opens_with_the_last_meetings_actions(story):
    carried = actions.carried(story, CITY, WEEK)
    assert carried.meeting.meeting_id == 2 and carried.meeting.held_on == date(2025, 10, 6)
    assert carried.rows["action_id"].to_list() == [1, 3, 6, 4, 5]
    assert carried.counts == {"late": 2, "open": 2, "done": 1}

    deck = pres.build_deck(story, pres.parse_slides("", CODES), WEEK, CITY)
    # after the cover (whose agenda names it), before the figures
    assert [s.kind for s in deck][:3] == ["cover", "actions", "kpis"]
    assert deck[0].tables[0].frame["title"][0] == "Việc giao cuộc họp trước"
    slide = deck[1]
    assert slide.title == "Việc giao cuộc họp trước"
    assert slide.subtitle == "Cuộc họp ngày 06/10/2025: Báo cáo tuần 29/09/2025 – 05/10/2025"
    assert [(n.label, n.value, n.light) for n in slide.numbers] == [
        ("Đã xong", "1", "green"),
        ("Trễ hạn", "2", "red"),
        ("Đang thực hiện", "2", None),
    ]
    shown = slide.tables[0].display("vi")
    assert shown.rows() == [
        ("Trễ hạn", "Xã Hai", "Việc cũ còn mở", "Chủ tịch UBND Xã Hai", "03/10/2025", "—"),
        ("Trễ hạn", "Phường Một", "Giải quyết hồ sơ quá hạn", "chair1", "10/10/2025", "—"),
        ("Đang thực hiện", "Toàn thành phố", "Tổng hợp danh sách", "Sở Nội vụ", "17/10/2025", "—"),
        ("Đang thực hiện", "Phường Một", "Hướng dẫn nộp trực tuyến", "chair1", "20/10/2025", "—"),
        (
            "Đã xong",
            "Xã Hai",
            "Bổ sung cán bộ một cửa",
            "Chủ tịch UBND Xã Hai",
            "09/10/2025",
            "08/10/2025",
        ),
    ]
    # late reads red and done green on the screen and in the files
    assert slide.tables[0].tones()[0] == ["bad", "bad", None, None, "good"]
    assert "Đã xong 1, trễ hạn 2, đang thực hiện 2" in slide.speaker_notes
    # the chair's deck carries the own commune's actions only
    (mine,) = pres.build_deck(story, [pres.SlideRef("actions")], WEEK, CHAIR1)
    assert [n.value for n in mine.numbers] == ["0", "1", "1"]
    assert mine.tables[0].frame["action_id"].to_list() == [3, 4]


def test_what_this_meeting_records_goes_into_the_next_deck(story, monkeypatch):
    # next Monday: the week deck 13/10 – 19/10 opens with meeting 3 (today's) and the open ones
    at(monkeypatch, "2025-10-20T09:00:00")
    week = pres.period_for("week")
    carried = actions.carried(story, CITY, week)
    assert carried.meeting.meeting_id == 3
    # #7 of meeting 3; still open from earlier: #1 #3 late, #6 late since 18/10, #4 due 20/10
    assert carried.rows["action_id"].to_list() == [1, 3, 6, 4, 7]
    assert carried.counts == {"late": 3, "open": 2, "done": 0}


def test_no_actions_no_slide(fixture_con):
    deck = pres.build_deck(fixture_con, pres.parse_slides("", CODES), WEEK, CITY)
    assert [s.kind for s in deck][:2] == ["cover", "kpis"]
    assert "actions" not in [s.kind for s in deck]
    assert pres.build_deck(fixture_con, [pres.SlideRef("actions")], WEEK, CITY) == []


def test_the_actions_come_out_with_the_deck(story):
    deck = pres.build_deck(story, pres.parse_slides("actions,kpis", CODES), WEEK, CITY)
    title = pres.deck_title(WEEK, "week")
    pptx = Presentation(io.BytesIO(exports.deck_to_pptx(deck, title)))
    first = pptx.slides[0]
    texts = [s.text_frame.text for s in first.shapes if s.has_text_frame]
    cells = [c.text for s in first.shapes if s.has_table for row in s.table.rows for c in row.cells]
    assert "Việc giao cuộc họp trước" in texts
    # at 18 pt the files keep the columns that fit, in order, and name the rest in the caption
    assert cells[:5] == ["Tình trạng", "Xã/phường", "Nội dung", "Người chịu trách nhiệm", "Hạn"]
    assert cells.count("Trễ hạn") == 2 and cells.count("Đã xong") == 1
    assert "Giải quyết hồ sơ quá hạn" in cells

    book = openpyxl.load_workbook(io.BytesIO(exports.deck_to_xlsx(deck, "vi", title)))
    assert book.sheetnames[:2] == ["Việc giao đến 13-10-2025", "Việc giao và tình trạng"]
    name = book.sheetnames[0]
    sheet = book[name]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values.index(next(r for r in values if r[0] == "Số"))
    body = [r for r in values[header + 1 :] if r[0] is not None]
    assert [r[0] for r in body] == [1, 3, 6, 4, 5]  # numbers, in the slide's order
    assert body[0][values[header].index("Số ngày trễ")] == 10
    assert body[1][values[header].index("Nội dung")] == "Giải quyết hồ sơ quá hạn"
    assert body[4][values[header].index("Người báo xong")] == "chair2"


def test_the_demo_has_a_believable_last_meeting(tmp_path, monkeypatch):
    from test_demo_feed import T1, built

    from ioc import demo

    monkeypatch.setenv("IOC_NOW", T1.isoformat())
    con = built(tmp_path / "demo.duckdb", T1, flaws=False)
    carried = actions.carried(con, CITY, pres.period_for("week", T1))
    # T1 is Monday 13/10/2025: the demo meeting was held on Monday 06/10
    assert carried.meeting.held_on == date(2025, 10, 6)
    assert carried.counts == {"late": 3, "open": 2, "done": 3}
    ids = sorted(carried.rows["action_id"].to_list())
    cua_nam = actions.rows(con, Scope(WARD_CHAIR, "00073", "cuanam"))
    assert cua_nam.height == 2  # the demo chair's ward has two
    # the feed moves the dossiers on and leaves the actions alone; a rebuild replaces them
    demo.advance(con, datetime(2025, 10, 14, 15, 0))
    assert sorted(actions.rows(con, CITY)["action_id"].to_list()) == ids
    demo.build(con, until=T1, start=datetime(2025, 9, 1), parcels=1_500, flaws=False)
    assert actions.rows(con, CITY).height == 8
    assert con.execute("select count(*) from meetings").fetchone()[0] == 1
    con.close()


# --- pages ---------------------------------------------------------------------------------------


def test_presenter_records_an_action_from_a_commune_slide(story):
    from test_presentation import app, slide_title

    at = app({"slides": f"kpis,commune:{C1}", "i": "2"}, PRES)
    at.query_params["period"] = "week"  # (the first page's filters wrote 7d into the URL)
    at.run()
    assert not at.exception
    assert slide_title(at) == "Phường Một"
    # the meeting held today on this deck is meeting 3 (one action so far), below the slides
    assert at.expander[0].label == "Ghi việc giao"
    assert "Báo cáo tuần 06/10/2025 – 12/10/2025 · đã ghi 1 việc" in at.caption[1].value
    assert at.selectbox(key=f"action_commune_{C1}").value == C1  # the slide's commune
    at.button(key="FormSubmitter:action_form-Ghi việc giao").click().run()
    assert [e.value for e in at.error] == ["Nhập nội dung việc giao."]
    assert actions.rows(story, CITY, meeting=3).height == 1
    at.text_area(key="action_what").input("Báo cáo tiến độ giải quyết hồ sơ")
    at.text_input(key="action_owner").input("Phó Chủ tịch phụ trách")
    at.button(key="FormSubmitter:action_form-Ghi việc giao").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Đã ghi việc giao số 8."]
    assert "đã ghi 2 việc" in at.caption[1].value
    assert at.text_area(key="action_what").value == ""  # emptied for the next one
    row = actions.rows(story, CITY, action=8).row(0, named=True)
    assert (row["meeting_id"], row["commune_code"], row["owner"], row["deadline"]) == (
        3,
        C1,
        "Phó Chủ tịch phụ trách",
        date(2025, 10, 20),  # a week after the meeting by default
    )
    assert audit_rows(story)[-1][:3] == ("pres", audit.ACTION_ITEM_ADD, C1)


def test_closing_an_action_in_the_meeting_updates_the_slide(story):
    from test_presentation import app

    at = app({"slides": "actions,kpis", "i": "1"}, LEADER)
    at.query_params["period"] = "week"
    at.run()
    cards = [m.value for m in at.markdown if 'class="slide-card"' in m.value]
    assert ">Trễ hạn<" in cards[1] and ">2<" in cards[1]
    at.selectbox(key="action_recorder_pick").select(3)
    at.button(key="action_recorder_state").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Đã cập nhật việc số 3."]
    cards = [m.value for m in at.markdown if 'class="slide-card"' in m.value]
    assert ">Đã xong<" in cards[0] and ">2<" in cards[0]  # at once, not after the cache's minute
    assert ">1<" in cards[1]
    assert actions.rows(story, CITY, action=3)["done_by"][0] == "lanhdao"


def test_editing_an_action_in_the_meeting(story):
    """#4 (C1, "Hướng dẫn nộp trực tuyến", no owner, 20/10) picked in the recorder: its edit form
    starts from its values; a new owner and deadline are saved, kept in its history and audited."""
    from test_presentation import app

    at = app({"slides": "actions,kpis", "i": "1"}, LEADER)
    at.query_params["period"] = "week"
    at.run()
    at.selectbox(key="action_recorder_pick").select(4).run()
    assert at.text_area(key="action_edit_4_what").value == "Hướng dẫn nộp trực tuyến"
    assert at.selectbox(key="action_edit_4_commune").value == C1
    assert at.date_input(key="action_edit_4_deadline").value == date(2025, 10, 20)
    at.text_input(key="action_edit_4_owner").input("Ông A")
    at.date_input(key="action_edit_4_deadline").set_value(date(2025, 10, 24))
    at.button(key="FormSubmitter:action_edit_4-Lưu thay đổi").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Đã cập nhật việc số 4."]
    row = actions.rows(story, CITY, action=4).row(0, named=True)
    assert (row["owner"], row["deadline"]) == ("Ông A", date(2025, 10, 24))
    assert actions.history(story, LEADER, 4)["field"].to_list() == ["created", "deadline", "owner"]
    assert audit_rows(story)[-1][:3] == ("lanhdao", audit.ACTION_ITEM_CHANGE, C1)
    # saved again unchanged: one line, nothing written
    logged = len(audit_rows(story))
    at.button(key="FormSubmitter:action_edit_4-Lưu thay đổi").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Không có gì thay đổi: sửa xã/phường, nội dung, người chịu trách nhiệm hoặc hạn rồi lưu."
    ]
    assert len(audit_rows(story)) == logged


def test_other_roles_get_no_recorder(story):
    from test_presentation import app

    at = app({"slides": "actions,kpis", "period": "week"}, CHAIR1)
    assert not at.exception
    assert not [e for e in at.expander if e.label == "Ghi việc giao"]
    # the chair's deck opens with the own commune's actions
    assert at.table[0].value.index.tolist() == ["Trễ hạn", "Đang thực hiện"]


def test_commune_page_shows_the_chair_the_communes_actions(story):
    from test_pages_drilldown import as_chair, chair_text
    from test_pages_league import WEEK as WEEK_URL

    at = as_chair(WEEK_URL)
    assert not at.exception
    # C1: #3 late; #4 and #7 open; #2 done
    assert "Việc được giao: 1 trễ hạn, 2 đang thực hiện" in chair_text(at)
    assert "Giải quyết hồ sơ quá hạn hạn 10/10/2025" in chair_text(at)
    assert "Việc được giao" in [s.value for s in at.subheader]
    (block,) = [h.value for h in at.html if 'class="ioc-chair ioc-actions"' in h.value]
    words = " ".join(
        html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", block, flags=re.S)).split()
    )
    assert re.findall(r'data-status="(\w+)"', block) == ["late", "open", "open", "done"]
    assert words.startswith(
        "Trễ hạn #3 Giải quyết hồ sơ quá hạn Hạn 10/10/2025 · chair1 · giao ngày 06/10/2025"
    )
    assert words.endswith(
        "Đã xong #2 Việc cũ đã xong Hạn 03/10/2025 · chair1 · giao ngày 29/09/2025"
        " · xong ngày 02/10/2025"
    )
    # the chair reports #3 done; no reopening offered to a chair (only open ones to pick)
    picker = at.selectbox(key="commune_actions_pick")
    assert picker.options == [
        "#3 · Trễ hạn · Phường Một · Giải quyết hồ sơ quá hạn",
        "#4 · Đang thực hiện · Phường Một · Hướng dẫn nộp trực tuyến",
        "#7 · Đang thực hiện · Phường Một · Việc của cuộc họp hôm nay",
    ]
    at.button(key="commune_actions_state").click().run()
    assert not at.exception
    assert "Việc được giao: 0 trễ hạn, 2 đang thực hiện" in chair_text(at)
    assert audit_rows(story)[-1] == (
        "chair1",
        audit.ACTION_ITEM_CHANGE,
        C1,
        "#3 state: open → done",
    )


def test_commune_page_of_another_commune_has_no_actions_for_the_chair(story):
    from test_pages_drilldown import as_chair, chair_text
    from test_pages_league import WEEK as WEEK_URL

    at = as_chair(WEEK_URL | {"commune": C2})
    assert not at.exception
    assert "Việc được giao" not in chair_text(at)
    assert all(s.value != "Việc được giao" for s in at.subheader)
