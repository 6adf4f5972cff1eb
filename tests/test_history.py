"""Time travel for people (issue 17, ioc/history.py, docs/ducklake.md): the league table and the
overview read at a past import's snapshot, on a lake in the test session's PostgreSQL
(tests/conftest.py).

The story of every test: the hand-made store (tests/fixtures.py) goes into a lake; a morning
import lands one dossier of Xã Ba received on 13/10 (after the fixture week, so the week's figures
stay the hand-computed ones of tests/test_kpi.py and tests/test_pages_league.py); then a later
import lands three dossiers of Xã Ba received and returned on time in the week. Now Xã Ba has 3
received; at the morning import's snapshot it had none.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import polars as pl
import pytest
from fixtures import C1, C2, C3, PERIOD_FROM, PERIOD_TO
from streamlit.testing.v1 import AppTest
from test_fragments import bars
from test_lake import write_export
from test_shared_cache import page_as

from ioc import config, history, lake, league, store
from ioc.ingest import ingest_file
from ioc.kpi import Period
from ioc.scope import CITY_LEADER, WARD_CHAIR, Scope

ROOT = Path(__file__).resolve().parent.parent
WEEK = {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}
PERIOD = Period.of(PERIOD_FROM, PERIOD_TO)  # IOC_NOW is 13/10/2025 10:00 (tests/conftest.py)


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


@pytest.fixture
def story(fixture_con, tmp_path) -> dict:
    """The two imports; returns the morning import's snapshot, the league table computed before
    the later import, and both runs."""
    con = fixture_con
    morning = ingest_file(
        con,
        write_export(
            tmp_path / "sang-thu-hai.csv",
            ["M1,1.001193,90003,2,4,13/10/2025 09:30,13/10/2025 17:00,"],
        ),
    )
    assert morning.status == "ok"
    version = lake.current_version(con)
    before = league.league_table(con, PERIOD)
    later = ingest_file(
        con,
        write_export(
            tmp_path / "chieu-thu-hai.csv",
            [
                f"T{n},1.001193,90003,2,10,0{n}/10/2025 09:00,0{n}/10/2025 17:00,0{n}/10/2025 11:00"
                for n in (7, 8, 9)
            ],
        ),
    )
    assert later.rows_inserted == 3
    return {"version": version, "before": before, "morning": morning, "later": later}


def received(table: pl.DataFrame) -> dict[str, int]:
    return dict(zip(table["commune_code"], table["received"], strict=True))


def test_the_league_at_a_past_import_equals_the_one_computed_before_the_later_import(
    fixture_con, story
):
    now = league.league_table(fixture_con, PERIOD)
    past = league.league_table(store.cursor(history.connection(story["version"])), PERIOD)
    assert past.equals(story["before"])
    assert not now.equals(past)
    # tests/test_kpi.py by hand: C1 13 received, C2 6, C3 none (no score); now C3 has 3
    assert received(past) == {C2: 6, C1: 13, C3: 0}
    assert past["commune_code"].to_list() == [C2, C1, C3]
    assert past.filter(pl.col("commune_code") == C3)["score"][0] is None
    assert received(now) == {C2: 6, C1: 13, C3: 3}


def test_the_moments_offered_and_resolved(fixture_con, story):
    con = fixture_con
    moments = history.import_moments(con)
    # the imports before the snapshot read now (the later import's is now: not a past moment)
    assert moments["run_id"].to_list() == [story["morning"].run_id]
    morning = history.moment_of(con, story["version"])
    assert morning.source_file == "sang-thu-hai.csv"
    assert history.choice_label(moments.row(0, named=True)) == (
        f"{morning.at:%H:%M %d/%m/%Y} · sang-thu-hai.csv"
    )
    assert history.moment_of(con, lake.current_version(con)) is None
    # a moment picked between the imports is the morning import's snapshot
    later = lake.snapshots(con)["snapshot_time"][-1]
    between = morning.at + (later - morning.at) / 2
    assert history.moment_at(con, between).version == story["version"]
    assert history.moment_of(con, 999_999) is None
    assert history.moment_at(con, history.wall_clock() + timedelta(minutes=5)) is None
    assert history.moment_at(con, datetime(2000, 1, 1)) is None  # beyond the retention
    # the page's clock at a past moment is that moment, never later than the app's clock
    assert history.clock(morning) == datetime(2025, 10, 13, 10, 0)  # IOC_NOW is before it
    assert history.clock(history.Moment(1, datetime(2025, 10, 12, 9, 0))) == datetime(
        2025, 10, 12, 9, 0
    )


def test_the_imports_since_a_moment(fixture_con, story):
    since = lake.imports_since(fixture_con, None, story["version"])
    assert since.select("run_id", "source_file", "inserted", "updated").rows() == [
        (story["later"].run_id, "chieu-thu-hai.csv", 3, 0)
    ]
    assert lake.imports_since(fixture_con, C1, story["version"]).height == 0


# --- the pages ----------------------------------------------------------------------------------


def banner(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def column(at: AppTest, header: str, first: str = "Xã/phường") -> dict[str, str]:
    table = next(d.value for d in at.dataframe if header in d.value.columns)
    return dict(zip(table[first], table[header], strict=True))


def test_the_league_page_at_a_past_import(fixture_con, story, downloads):
    leader = Scope(CITY_LEADER, None, "leader")
    at = page_as("league", leader)
    assert banner(at) == []
    assert column(at, "Tiếp nhận") == {"Xã Ba": "3", "Xã Hai": "6", "Phường Một": "13"}
    picker = at.selectbox(key="moment_choice")
    morning = history.moment_of(fixture_con, story["version"])
    assert picker.value == "now"
    assert picker.options == [
        "Hiện tại",
        f"{morning.at:%H:%M %d/%m/%Y} · sang-thu-hai.csv",
        "Ngày giờ khác…",
    ]
    picker.set_value(story["version"]).run()
    assert not at.exception
    assert banner(at) == [
        f"Số liệu tại thời điểm {morning.at:%H:%M %d/%m/%Y} (bản chụp #{story['version']}), "
        "không phải hiện tại"
    ]
    assert at.query_params["snapshot"] in (str(story["version"]), [str(story["version"])])
    # the hand figures of tests/test_pages_league.py: before the later import
    table = at.dataframe[0].value
    assert table["Xã/phường"].tolist() == ["Xã Hai", "Phường Một", "Xã Ba"]
    assert table["Tiếp nhận"].tolist() == ["6", "13", "0"]
    assert table["Tỷ lệ trực tuyến"].tolist() == ["66,7%", "46,2%", "—"]
    # under it: the later import changed the figures since
    assert "Các lần nhập đã thay đổi số liệu kể từ thời điểm đó" in [s.value for s in at.subheader]
    since = column(at, "Hồ sơ mới", first="Tệp")
    assert since == {"chieu-thu-hai.csv": "3"}
    assert any(name.endswith(f"_ban-chup-{story['version']}.xlsx") for name in downloads)
    # the chart's own runs (a fragment: the picker does not run) read the same moment
    assert bars(at) == pytest.approx({"Xã Hai": 4 / 6, "Phường Một": 6 / 13})
    at.segmented_control(key="league_chart_metric").set_value("end_to_end_rate").run()
    assert not at.exception and banner(at)
    # end to end: Xã Hai e01 e02 e06 of 6, Phường Một 4 of 13 (tests/test_fragments.py); no Xã Ba
    assert bars(at) == pytest.approx({"Xã Hai": 3 / 6, "Phường Một": 4 / 13})

    # back to now
    at.selectbox(key="moment_choice").set_value("now").run()
    assert banner(at) == [] and "snapshot" not in at.query_params
    assert column(at, "Tiếp nhận")["Xã Ba"] == "3"
    # in English (the page alone, as a city leader: AppTest cannot run a second time a page whose
    # choices are worded in English, tests/test_pages_overview.py)
    english = AppTest.from_file(str(ROOT / "pages" / "league.py"), default_timeout=60)
    english.session_state["lang"] = "en"
    for key, value in (WEEK | {"snapshot": str(story["version"])}).items():
        english.query_params[key] = value
    english.run()
    assert not english.exception
    assert banner(english) == [
        f"Figures as at {morning.at:%H:%M %d/%m/%Y} (snapshot #{story['version']}), not now"
    ]
    assert column(english, "Received", first="Commune")["Xã Ba"] == "0"
    assert english.selectbox(key="moment_choice").label == "View as at"


def backdate(settings: dict, upto: int, at: datetime) -> None:
    """Stamp the lake's snapshots up to `upto` as made at `at` (Vietnam local) and the seconds
    after, in the catalog itself: the tests run within a minute, and a time picked has minutes."""
    con = lake.new_connection()
    try:
        con.execute(f"attach '{settings['IOC_LAKE_CATALOG']}' as pg (type postgres)")
        con.execute(  # the schema is the test's own (tests/conftest.py lake_settings)
            f"update pg.{settings['IOC_LAKE_SCHEMA']}.ducklake_snapshot "  # noqa: S608
            "set snapshot_time = ?::timestamptz + snapshot_id * interval 1 second "
            "where snapshot_id <= ?",
            [at.replace(tzinfo=config.TZ), upto],
        )
    finally:
        con.close()


def test_the_league_page_at_a_date_and_time_picked(lake_settings, story):
    # the store as it stood at the morning import, stamped 08:00 two days ago; a leader picks
    # 09:00 that day (the meeting): the last snapshot at or before it is the morning import's
    day = history.wall_clock().date() - timedelta(days=2)
    backdate(lake_settings, story["version"], datetime.combine(day, time(8, 0)))
    meeting = datetime.combine(day, time(9, 0))
    at = page_as("league", Scope(CITY_LEADER, None, "leader"), at=meeting.isoformat())
    assert at.selectbox(key="moment_choice").value == "other"
    assert at.date_input(key="moment_day").value == day
    assert at.time_input(key="moment_time").value == time(9, 0)
    assert banner(at) == [
        f"Số liệu tại thời điểm 09:00 {day:%d/%m/%Y} (bản chụp #{story['version']}), "
        "không phải hiện tại"
    ]
    assert column(at, "Tiếp nhận") == {"Xã Hai": "6", "Phường Một": "13", "Xã Ba": "0"}
    # a moment before the lake began: one line, and the figures now
    at.time_input(key="moment_time").set_value(time(7, 0)).run()
    assert not at.exception and banner(at) == []
    assert (
        f"Không có bản chụp dữ liệu lúc 07:00 {day:%d/%m/%Y}: đang hiển thị số liệu hiện tại"
        in [c.value for c in at.caption]
    )
    assert column(at, "Tiếp nhận")["Xã Ba"] == "3"
    # an address's day out of range is brought into it (35 days ago: no snapshot, the figures
    # now); one that is no time at all reads now
    for asked, day in (("2999-01-01T09:00", history.wall_clock().date()), ("1999-01-01", None)):
        odd = page_as("league", Scope(CITY_LEADER, None, "leader"), at=asked)
        assert odd.date_input(key="moment_day").value == (day or history.oldest_day())
        if day is None:
            assert banner(odd) == [] and column(odd, "Tiếp nhận")["Xã Ba"] == "3"
    odd = page_as("league", Scope(CITY_LEADER, None, "leader"), at="yesterday")
    assert odd.selectbox(key="moment_choice").value == "now" and banner(odd) == []


def test_the_overview_at_a_past_import(fixture_con, story):
    leader = Scope(CITY_LEADER, None, "leader")
    now = page_as("overview", leader)
    past = page_as("overview", leader, snapshot=str(story["version"]))
    metric = {m.label: m.value for m in past.metric}
    # tests/test_pages_overview.py by hand: 19 received in the week; the later import made 22
    assert {m.label: m.value for m in now.metric}["Hồ sơ tiếp nhận"] == "22"
    assert metric["Hồ sơ tiếp nhận"] == "19"
    assert metric["Tỷ lệ trực tuyến"] == "52,6%"
    assert banner(past)[0].endswith(f"(bản chụp #{story['version']}), không phải hiện tại")
    assert banner(now) == []


def test_a_past_moment_is_never_served_to_another_scope(fixture_con, story):
    version = str(story["version"])
    chair_three = Scope(WARD_CHAIR, C3, "chair-ba")
    chair_one = Scope(WARD_CHAIR, C1, "chair-mot")
    # the overview of each chair's own commune at the snapshot, one after the other in a process
    for scope, title, count in (
        (chair_three, "Tổng quan Xã Ba", "0"),
        (chair_one, "Tổng quan Phường Một", "13"),
        (chair_three, "Tổng quan Xã Ba", "0"),
    ):
        at = page_as("overview", scope, snapshot=version)
        assert at.title[0].value == title
        assert {m.label: m.value for m in at.metric}["Hồ sơ tiếp nhận"] == count
    # the imports since: a chair's own commune's, whatever commune the address asks for
    ba = page_as("league", chair_three, snapshot=version, commune=C1)
    assert column(ba, "Hồ sơ mới", first="Tệp") == {"chieu-thu-hai.csv": "3"}
    mot = page_as("league", chair_one, snapshot=version, commune=C3)
    assert "Chưa có lần nhập nào thay đổi số liệu kể từ thời điểm đó." in [
        c.value for c in mot.caption
    ]


@pytest.mark.parametrize("store_backend", ["duckdb"])
def test_the_file_store_offers_no_time_travel(fixture_db, store_backend):
    # the file keeps no history: no control, and an address asking for a snapshot reads now
    for page in ("league", "overview"):
        at = page_as(page, Scope(CITY_LEADER, None, "leader"), snapshot="3")
        assert not [s for s in at.selectbox if s.key == "moment_choice"]
        assert banner(at) == []
