"""The rollups behind kpi_counts: open / overdue / due-soon counts on days around a holiday,
worked out by hand, and a refresh of some communes giving the same rows as a full rebuild."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from builders import build_store
from fixtures import C1, C2, P1, P2

from ioc import drilldown, kpi, rollups, store
from ioc.kpi import Period
from ioc.scope import CITY

LATER = datetime(2025, 12, 31, 12, 0)


def on(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour)


# Around Quốc khánh: 30-31/8/2025 are a weekend and 1-2/9 holidays, so the next working day after
# Fri 29/8 is Wed 3/9.
DOSSIERS = [
    # a: open throughout, due Wed 3/9
    {"id": "a", "commune": C1, "procedure": P1, "received": on(8, 27), "due": on(9, 3, 17)},
    # b: due Thu 28/8, finished late on Tue 2/9
    {
        "id": "b",
        "commune": C1,
        "procedure": P2,
        "received": on(8, 25),
        "due": on(8, 28, 17),
        "finished": on(9, 2, 10),
        "status": "finished",
    },
    # c: withdrawn: never open
    {
        "id": "c",
        "commune": C1,
        "procedure": P1,
        "received": on(8, 29),
        "due": on(9, 4, 17),
        "status": "withdrawn",
    },
    # d: received on the holiday Mon 1/9, due and finished Wed 3/9
    {
        "id": "d",
        "commune": C1,
        "procedure": P1,
        "received": on(9, 1),
        "due": on(9, 3, 17),
        "finished": on(9, 3, 11),
        "status": "returned",
    },
    # e: another commune, open, no due date (never overdue nor due soon)
    {"id": "e", "commune": C2, "procedure": P1, "received": on(8, 20)},
]

# day -> (open_at_end, open_overdue, open_due_soon) of commune C1, by hand
EXPECTED = {
    date(2025, 8, 28): (2, 0, 1),  # a b open; b due today (next working day 29/8)
    date(2025, 8, 29): (2, 1, 1),  # b overdue; a due 3/9 = next working day after 29/8
    date(2025, 9, 1): (3, 1, 2),  # d received on the holiday; a and d due 3/9
    date(2025, 9, 2): (2, 0, 2),  # b finished: a and d left, both due 3/9
    date(2025, 9, 3): (1, 0, 1),  # d finished; a due today
    date(2025, 9, 4): (1, 1, 0),  # a overdue
}


@pytest.fixture
def con(tmp_path):
    path = build_store(tmp_path / "rollups.duckdb", DOSSIERS)
    with store.connect(path) as con:
        yield con


@pytest.mark.parametrize("day", sorted(EXPECTED))
def test_open_overdue_due_soon_by_hand(con, day):
    period = Period.of(day, day, LATER)
    for grain, key in (("commune", C1), ("procedure", None)):
        counts = kpi.kpi_counts(con, period, grain, "01", commune=C1)
        rows = counts.filter(counts["group_key"] == key) if key else counts
        figures = tuple(
            int(rows[c].sum()) for c in ("open_at_end", "open_overdue", "open_due_soon")
        )
        assert figures == EXPECTED[day], (grain, day)


def test_other_commune_open_without_due_date(con):
    row = kpi.kpi_counts(con, Period.of(on(9, 4).date(), on(9, 4).date(), LATER), "commune", "01")
    c2 = row.filter(row["group_key"] == C2).row(0, named=True)
    assert (c2["open_at_end"], c2["open_overdue"], c2["open_due_soon"]) == (1, 0, 0)


def tables(con) -> list[list[tuple]]:
    return [
        con.execute("select * from rollup_received order by all").fetchall(),
        con.execute("select * from rollup_resolved order by all").fetchall(),
        con.execute("select * from rollup_open order by all").fetchall(),
        con.execute("select * from rollup_open_commune order by all").fetchall(),
        con.execute("select * from rollup_unfinished order by all").fetchall(),
    ]


def test_refresh_of_some_communes_equals_a_full_rebuild(con):
    full = tables(con)
    assert len(full[0]) == 5  # a b c d e: one (commune, procedure, day) each
    con.execute(
        "update dossiers set status = 'finished', finished_at = ? where dossier_id = 'a'",
        [on(9, 4, 15)],
    )
    con.execute("begin transaction")
    rollups.refresh(con, [C1])
    con.execute("commit")
    partial = tables(con)
    con.execute("begin transaction")
    rollups.refresh(con)
    con.execute("commit")
    assert partial == tables(con) != full
    counts = kpi.kpi_counts(con, Period.of(date(2025, 9, 4), date(2025, 9, 4), LATER), "city", "01")
    assert counts["resolved"].to_list() == [1]  # a, finished 4/9
    assert counts["open_at_end"].to_list() == [1]  # only e (other commune) is still open


def test_rows_written_without_an_import_are_caught_on_open(tmp_path):
    path = build_store(tmp_path / "store.duckdb", DOSSIERS)
    with store.connect(path) as con:
        con.execute(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "received_at, status) values ('f', ?, ?, 'online', ?, 'accepted')",
            [P1, C2, on(9, 4)],
        )
    with store.connect(path) as con:  # opening notices the store changed and rebuilds
        day = date(2025, 9, 4)
        counts = kpi.kpi_counts(con, Period.of(day, day, LATER), "commune", "01")
        assert counts.filter(counts["group_key"] == C2)["received"].to_list() == [1]


def test_open_list_at_a_past_moment_and_now(con):
    # unfinished now: a c e (rollup_unfinished); b finished 2/9, d 3/9 (read from dossiers)
    assert sorted(
        r[0] for r in con.execute("select dossier_id from rollup_unfinished").fetchall()
    ) == [
        "a",
        "c",
        "e",
    ]
    # end of Friday 29/8, next working day 3/9: b overdue (due 28/8, finished only on 2/9), a due
    # 3/9; c is withdrawn, d not received yet, e (C2) has no due date
    rows = drilldown.overdue_dossiers(con, CITY, on(8, 29, 23), None, "01")
    assert list(zip(rows["dossier_id"], rows["state"], strict=True)) == [
        ("b", "overdue"),
        ("a", "due_soon"),
    ]
    # 4/9 at noon: a overdue (due 3/9); b d finished
    rows = drilldown.overdue_dossiers(con, CITY, on(9, 4, 12), None, "01")
    assert list(zip(rows["dossier_id"], rows["state"], strict=True)) == [("a", "overdue")]
