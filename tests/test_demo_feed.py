"""The living demo (issue 22): the store moves on to "now" through the import's write path, a
catch-up equals a build straight to the later moment, and the feed never touches real data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ioc import auth, demo, kpi, startup, store
from ioc.ingest import quarantine
from ioc.kpi import Period
from ioc.scope import CITY_LEADER, Scope

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2025, 9, 1)
T1 = datetime(2025, 10, 13, 10, 17)  # a Monday morning
T2 = datetime(2025, 10, 14, 15, 2)  # the next afternoon
PARCELS = 1_500


def built(path: Path, until: datetime, flaws: bool = True):
    con = store.connect(path)
    demo.build(con, until=until, start=START, parcels=PARCELS, flaws=flaws)
    return con


def one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def digest(con) -> dict:
    """Every row of the dossiers (lineage aside: the feed's rows name their run), the processing
    log, the rollups and the citizens' ratings and feedback, as count and order-free hash."""
    queries = (
        "select count(*), sum(hash(columns(* exclude (ingest_run_id, source_file)))) from dossiers",
        "select count(*), sum(hash(columns(*))) from dossier_steps",
        "select count(*), sum(hash(columns(*))) from rollup_received",
        "select count(*), sum(hash(columns(*))) from rollup_open",
        "select count(*), sum(hash(columns(*))) from rollup_resolved",
        "select count(*), sum(hash(columns(* exclude (ingest_run_id)))) from dossier_ratings",
        "select count(*), sum(hash(columns(* exclude (ingest_run_id)))) from feedback",
    )
    return {sql: one(con, sql) for sql in queries}


def test_catch_up_equals_a_build_straight_to_the_later_moment(tmp_path):
    # (without the flawed export: it is dated the working day before the build)
    paused = built(tmp_path / "paused.duckdb", T1, flaws=False)
    one_minute = demo.advance(paused, datetime(2025, 10, 13, 10, 18))
    caught_up = demo.advance(paused, T2)
    straight = built(tmp_path / "straight.duckdb", T2, flaws=False)

    assert digest(paused) == digest(straight)
    period = Period.of(datetime(2025, 10, 13).date(), T2.date(), T2)
    assert kpi.city_kpis(paused, period, "01") == kpi.city_kpis(straight, period, "01")
    # a working-hours minute brings dossiers; a day and a half brings thousands, and moves many on
    assert one_minute["inserted"] > 0 and one_minute["updated"] > 0
    assert caught_up["inserted"] > 1_000 and caught_up["updated"] > 1_000
    assert store.get_meta(paused, "demo_until") == T2.isoformat()


def test_a_tick_goes_through_the_import_path(tmp_path):
    con = built(tmp_path / "demo.duckdb", T1)
    version = store.get_meta(con, "data_version")
    audit_rows = one(con, "select count(*) from audit_log")[0]
    received_before = one(con, "select count(*) from dossiers where received_at is not null")[0]

    moved = demo.advance(con, datetime(2025, 10, 13, 10, 47))

    received_after = one(con, "select count(*) from dossiers where received_at is not null")[0]
    assert received_after > received_before
    run = one(
        con,
        "select status, rows_inserted, rows_updated, count(*) over () from ingest_runs "
        "where source_file = 'demo'",
    )
    assert run == ("ok", moved["inserted"], moved["updated"], 1)  # the feed's one run
    assert int(store.get_meta(con, "data_version")) == int(version) + 1
    assert store.get_meta(con, "real_data") != "1"  # still a demo, still fed
    assert one(con, "select count(*) from audit_log")[0] == audit_rows  # no audit row a minute
    # the rollups moved with the rows: received today per the rollup equals a count of the rows
    by_rows = one(
        con,
        "select count(*) from dossiers where status not in ('registered', 'rejected') "
        "and cast(received_at as date) = date '2025-10-13'",
    )[0]
    by_rollup = one(con, "select sum(received) from rollup_received where day = '2025-10-13'")[0]
    assert by_rows == by_rollup
    assert demo.advance(con, datetime(2025, 10, 13, 10, 47)) is None  # nothing to do


@pytest.mark.parametrize("mark", ["real_data", "production"])
def test_the_feed_never_runs_on_a_store_with_real_data(tmp_path, mark):
    con = built(tmp_path / "demo.duckdb", T1)
    store.set_meta(con, mark, "1")
    before = digest(con)
    assert demo.advance(con, T2) is None
    assert digest(con) == before
    assert startup.start_demo_feed(con) is None


def test_feed_setting_off(tmp_path, monkeypatch):
    con = built(tmp_path / "demo.duckdb", T1)
    monkeypatch.setenv("IOC_DEMO", "1")
    monkeypatch.setenv("IOC_DEMO_FEED_SECONDS", "0")
    assert startup.start_demo_feed(con) is None


def test_feed_thread_catches_up_at_start(tmp_path, monkeypatch):
    con = built(tmp_path / "demo.duckdb", T1)
    monkeypatch.setenv("IOC_DEMO", "1")
    monkeypatch.setenv("IOC_NOW", T2.isoformat())
    monkeypatch.setenv("IOC_DEMO_FEED_SECONDS", "3600")
    thread = startup.start_demo_feed(con)
    assert thread is not None
    for _ in range(300):
        if store.get_meta(con.cursor(), "demo_until") == T2.isoformat():
            break
        thread.join(0.1)
    assert store.get_meta(con.cursor(), "demo_until") == T2.isoformat()


def served_demo(tmp_path: Path, monkeypatch, flaws: bool = True):
    """A small demo store as the app's store (demo mode, the feed off: the test moves the clock
    and the demo), and the app's own connection to it, as the feed thread uses it."""
    path = tmp_path / "demo.duckdb"
    built(path, T1, flaws=flaws).close()
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "1")
    monkeypatch.setenv("IOC_DEMO_FEED_SECONDS", "0")
    monkeypatch.setenv("IOC_NOW", T1.isoformat())
    return startup.open_store(path)


def received_today(con, at_time: datetime) -> str:
    """Dossiers received on at_time's day up to at_time, counted from the rows, as the cards
    write it (1.234)."""
    count = one(
        con.cursor(),
        "select count(*) from dossiers where status not in ('registered', 'rejected') "
        "and received_at <= ? and cast(received_at as date) = ?",
        at_time,
        at_time.date(),
    )[0]
    return f"{count:,}".replace(",", ".")


def test_live_monitor_before_and_after_a_tick(tmp_path, monkeypatch):
    con = served_demo(tmp_path, monkeypatch)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "test"))
    at.run()
    at.switch_page("pages/live.py").run()
    assert not at.exception
    before = {m.label: m.value for m in at.metric}
    assert before["Tiếp nhận hôm nay"] == received_today(con, T1)

    later = datetime(2025, 10, 13, 11, 2)
    moved = demo.advance(con.cursor(), later)
    assert moved["inserted"] > 0
    monkeypatch.setenv("IOC_NOW", later.isoformat())
    at.run()
    after = {m.label: m.value for m in at.metric}
    assert after["Tiếp nhận hôm nay"] == received_today(con, later)
    assert after["Tiếp nhận hôm nay"] != before["Tiếp nhận hôm nay"]
    assert not any(":orange[" in m.value for m in at.markdown)  # the data-age line is not amber


def test_demo_flaws_show_where_a_city_would_see_them(tmp_path, monkeypatch):
    """The flawed export (demo._flawed_rows: 14 lines; 7 land, among them 3 of a procedure not in
    the catalogue, a dossier entered twice under two numbers and 2 whose dates contradict their
    status; 1 line given twice; 6 bad) and the late communes (demo.LATE_EXPORTS) appear on the
    quality and mapping pages with those counts."""
    con = served_demo(tmp_path, monkeypatch).cursor()
    run = one(
        con,
        "select rows_read, rows_inserted, rows_quarantined from ingest_runs where source_file = ?",
        demo.FLAWED_EXPORT,
    )
    assert run == (14, 7, 6)
    reasons = dict(
        con.execute("select reason_code, count(*) from quarantine group by 1").fetchall()
    )
    assert reasons == {
        "ambiguous_commune": 1,  # Phường Tràng Tiền: an old ward split between new ones
        "no_id": 1,
        "date_order": 1,  # due before received
        "unknown_status": 1,  # TT07
        "unknown_commune": 1,
        "no_received": 1,
    }
    values = {
        (r["problem_kind"], r["problem_value"])
        for r in quarantine.open_values(con).iter_rows(named=True)
    }
    assert ("status", "TT07") in values and ("commune", "Phường Tràng Tiền") in values
    assert store.get_meta(con, "real_data") != "1" and demo.can_advance(con)
    assert (
        store.run_query(con, "store_real_contents")["imports"].item() == 0
    )  # `ioc demo` may rebuild
    # the commune whose export stopped two days ago has nothing of today (Monday 13/10)
    stopped = one(
        con,
        "select commune_code from communes where province_code = '01' order by commune_code "
        "limit 1 offset ?",
        int(demo._export_lags(126, 2025).argmax()),
    )[0]
    today = one(
        con,
        "select count(*) from dossiers where commune_code = ? and received_at >= '2025-10-13'",
        stopped,
    )[0]
    assert today == 0
    at = AppTest.from_file(str(ROOT / "pages" / "quality.py"), default_timeout=120)
    at.query_params["period"] = "7d"
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Dòng bị cách ly"] == "6"
    tables = [d.value for d in at.dataframe]
    procedures = next(t for t in tables if "Mã thủ tục" in t.columns)
    row = procedures[procedures["Mã thủ tục"] == "1.999998"].iloc[0]
    assert (row["Số hồ sơ"], row["Số xã/phường"]) == ("3", "2")
    by_commune = tables[0].set_index("Xã/phường")
    first, second = (demo_commune_name(con, offset=i) for i in (0, 1))
    assert by_commune.loc[first, "Nghi trùng"] == "1"  # LOI-0009 and LOI-0010
    assert by_commune.loc[second, "Ngày mâu thuẫn trạng thái"] == "2"  # LOI-0011, LOI-0012


def demo_commune_name(con, offset: int) -> str:
    """The name of the demo's n-th Hanoi commune by code (the flawed export's first and second)."""
    return one(
        con,
        "select commune_name from communes where province_code = '01' order by commune_code "
        "limit 1 offset ?",
        offset,
    )[0]


def test_presenter_link_shows_the_demo_moving_between_two_passes(tmp_path, monkeypatch):
    """Issue 22 item 3: an auto-advancing presenter link over the living demo shows new figures
    on its next pass once the feed has moved the demo on."""
    from test_presentation import app, cards, run_fragments_only

    con = served_demo(tmp_path, monkeypatch, flaws=False)

    at = app({"slides": "kpis,hourly", "period": "today", "auto": "5"})
    assert not at.exception
    first_pass = cards(at)["Hồ sơ tiếp nhận"]
    assert first_pass == received_today(con, T1)

    later = datetime(2025, 10, 13, 11, 2)
    demo.advance(con.cursor(), later)
    monkeypatch.setenv("IOC_NOW", later.isoformat())
    for _ in range(2):  # the other slide, then back to the figures
        at.session_state["present_shown_at"] -= 60
        run_fragments_only(at)
    assert not at.exception
    assert cards(at)["Hồ sơ tiếp nhận"] == received_today(con, later) != first_pass


def test_a_demo_of_an_earlier_release_stands_still_and_says_how_to_rebuild(
    tmp_path, monkeypatch, capsys
):
    con = built(tmp_path / "demo.duckdb", T1, flaws=False)
    con.execute("delete from meta where key in ('demo_volume', 'demo_start')")
    monkeypatch.setenv("IOC_DEMO", "1")
    assert demo.advance(con, T2) is None
    assert startup.start_demo_feed(con) is None
    assert "run `ioc demo` to rebuild it" in capsys.readouterr().err
