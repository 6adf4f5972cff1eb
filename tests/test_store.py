"""The query loader: declared parameters must match exactly; the read path cannot write."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest

from ioc import config, store


def test_missing_and_extra_parameters_are_refused(fixture_con):
    with pytest.raises(store.QueryParameterError, match="missing \\['province'\\]"):
        store.run_query(fixture_con, "communes_of_province")
    with pytest.raises(store.QueryParameterError, match="extra \\['commune'\\]"):
        store.run_query(fixture_con, "communes_of_province", province="01", commune="90001")
    rows = store.run_query(fixture_con, "communes_of_province", province="01")
    assert rows["commune_code"].to_list() == ["90001", "90002", "90003"]


def test_writes_refused_on_the_read_path(fixture_con):
    params = {
        "metric": "online_rate",
        "scope": "city",
        "target": 0.9,
        "effective_from": date(2026, 1, 1),
        "note": None,
        "created_at": None,
    }
    declared = store.load_query("target_insert")[1]
    params = {k: v for k, v in params.items() if k in declared} | {
        k: None for k in declared if k not in params
    }
    before = fixture_con.execute("select count(*) from targets").fetchone()[0]
    with pytest.raises(store.ReadOnlyQueryError):
        store.run_query(fixture_con, "target_insert", **params)
    assert fixture_con.execute("select count(*) from targets").fetchone()[0] == before


def test_injection_text_is_a_value_not_sql(fixture_con):
    rows = store.run_query(fixture_con, "communes_of_province", province="01' or 1=1 --")
    assert rows.height == 0


def test_concurrent_reads_answer_in_order_and_raise_what_fails(fixture_con):
    """store.concurrently: the answers of independent queries in the order asked, each on its own
    cursor, the same as run one after the other; a failing call's error reaches the caller."""
    calls = [
        lambda: store.run_query(fixture_con, "communes_of_province", province="01"),
        lambda: store.run_query(fixture_con, "communes_of_province", province="02"),
        lambda: fixture_con.cursor().execute("select 42").fetchone()[0],
    ]
    together = store.concurrently(*calls)
    assert together[0].equals(calls[0]()) and together[1].equals(calls[1]())
    assert together[0]["commune_code"].to_list() == ["90001", "90002", "90003"]
    assert together[1]["commune_code"].to_list() == ["90009"] and together[2] == 42

    def broken():
        raise store.QueryParameterError("missing $province")

    with pytest.raises(store.QueryParameterError, match="missing"):
        store.concurrently(broken, calls[2])


# A status list or a received/resolved test spelled out by hand in a query: the states of kpi.md are
# defined once, in queries/dossier_states.sql, and named as @state(alias) elsewhere.
HAND_MADE_STATE = re.compile(
    r"status\s+(not\s+)?in\s*\(\s*'(registered|rejected|finished|returned|withdrawn|stopped|"
    r"accepted|processing)'",
    re.IGNORECASE,
)
# Queries that write statuses (demo generation, imports) rather than ask what a status means.
WRITERS = ("demo_", "ingest_")


def test_no_query_defines_a_dossier_state_by_hand():
    offending = [
        path.name
        for path in sorted(config.QUERIES_DIR.glob("*.sql"))
        if path.stem != store.STATES_FILE
        and not path.stem.startswith(WRITERS)
        and HAND_MADE_STATE.search(path.read_text(encoding="utf-8"))
    ]
    assert offending == []


def test_a_state_is_written_out_with_the_alias_and_day_given():
    sql = store.expand_states("where @open_on(x, cast($as_of as date)) and not @resolved(y)")
    assert sql == (
        "where (((x.status not in ('registered', 'rejected', 'withdrawn', 'stopped')) and "
        "x.received_at is not null) and cast(x.received_at as date) <= (cast($as_of as date)) "
        "and (x.finished_at is null or cast(x.finished_at as date) > (cast($as_of as date)))) "
        "and not ((y.status in ('finished', 'returned')) and y.finished_at is not null)"
    )
    with pytest.raises(ValueError, match="unknown dossier state"):
        store.expand_states("where @no_such_state(d)")
    with pytest.raises(ValueError, match="takes 2 arguments"):
        store.expand_states("where @open_on(d)")


def test_the_states_behave_as_kpi_md_says():
    """Each state evaluated on hand-picked rows (day = 10/10/2025, next working day 13/10). On
    time is asked of resolved dossiers only (an unfinished one with a due date gives null)."""
    rows = [
        # status, received, finished, due -> received, resolved, open on the 10th, on time,
        # overdue on the 10th, due soon on the 10th
        ("registered", None, None, None, False, False, False, True, None, None),
        ("rejected", "2025-10-09", None, None, False, False, False, True, None, None),
        ("processing", "2025-10-09", None, "2025-10-09", True, False, True, None, True, False),
        ("processing", "2025-10-11", None, "2025-10-13", True, False, False, None, False, True),
        ("withdrawn", "2025-10-09", None, "2025-10-20", True, False, False, None, False, False),
        (
            "returned",
            "2025-10-01",
            "2025-10-10",
            "2025-10-09",
            True,
            True,
            False,
            False,
            True,
            False,
        ),
        ("finished", "2025-10-01", "2025-10-11", "2025-10-13", True, True, True, True, False, True),
    ]
    con = duckdb.connect()
    con.execute(
        "create table d (status varchar, received_at timestamp, finished_at timestamp, "
        "due_at timestamp)"
    )
    con.executemany("insert into d values (?, ?, ?, ?)", [r[:4] for r in rows])
    got = con.execute(
        store.expand_states(
            "select @received(d), @resolved(d), @open_on(d, $day), @on_time(d), "
            "@overdue_on(d, $day), @due_soon_on(d, $day, $next_day) from d"
        ),
        {"day": date(2025, 10, 10), "next_day": date(2025, 10, 13)},
    ).fetchall()
    assert got == [r[4:] for r in rows]
