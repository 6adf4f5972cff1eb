"""Small stores for the capacity figures (issue 19), worked out by hand in tests/test_capacity.py.

WORKLOAD: the fixture week 06/10/2025 (Mon) - 12/10/2025 (Sun), five working days, commune C1:
    officer A   Bộ phận Một cửa  full time from 01/07/2025                -> 5 officer-days
    officer B   Bộ phận Một cửa  half time 01/07/2025 - 08/10/2025        -> 6, 7, 8: 1.5
    officer C   Tư pháp          full time from 09/10/2025                -> 9, 10: 2
    secondment  2 officers at half time 10/10/2025 - 20/10/2025           -> 10: 1 (commune only)
    dossier  received  due    finished  steps (day officer)   role
    x1       6/10      7/10   7/10      6 A, 7 B              received, resolved
    x2       7/10      8/10   -         7 A, 8 B              received, open overdue, held by B
    x3       9/10      20/10  -         9 C                   received, open, held by C
    x4       10/10     10/10  -         10 A                  received, open overdue, held by A
    x5       3/10      6/10   -         3 A, 9 C              open overdue, held by C (received before)
    x6       8/10      15/10  -         none                  received, open, held by nobody

PROJECTION: today 13/10/2025 (Mon); the 20 working days before it are 15/09 - 10/10/2025.
    C1: each of those days one dossier of P1 (same day) and one of P2 (2 working days) received
        and resolved the same day: R = 2, S = 2, mix half due the same day, half 2 days later;
        officer A full time (20 officer-days: 2 resolved per officer-day), officer B half time
        from 20/10/2025: capacity 2 a day on 14-17/10, 3 from 20/10.
        open now: o1, o2 due 10/10 (overdue now), o3 due 13/10 (today), o4 due 15/10, o5 no due.
    C2: no roster, nothing received or resolved lately; open now: three dossiers due 10/10.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from builders import at, build_store
from fixtures import C1, C2, P1, P2, P3

from ioc import store

DESK = "Bộ phận Một cửa"


def _roster(con, rows) -> None:
    con.executemany(
        "insert into staff_roster (officer_id, officer_masked, commune_code, desk, from_date, "
        "to_date, time_share, seconded_from, source_file) values (?, ?, ?, ?, ?, ?, ?, ?, 'test')",
        rows,
    )


def _steps(con, rows) -> None:
    con.executemany(
        "insert into dossier_steps (dossier_id, step_at, unit, action, officer_id) "
        "values (?, ?, 'u', 'a', ?)",
        rows,
    )


def workload_store(path: Path) -> Path:
    build_store(
        path,
        [
            {"id": "x1", "commune": C1, "procedure": P2, "received": at(6), "due": at(7, 17),
             "finished": at(7, 15), "status": "finished"},
            {"id": "x2", "commune": C1, "procedure": P2, "received": at(7), "due": at(8, 17)},
            {"id": "x3", "commune": C1, "procedure": P3, "received": at(9), "due": at(20, 17)},
            {"id": "x4", "commune": C1, "procedure": P1, "received": at(10), "due": at(10, 17),
             "status": "accepted"},
            {"id": "x5", "commune": C1, "procedure": P2, "received": at(3), "due": at(6, 17)},
            {"id": "x6", "commune": C1, "procedure": P2, "received": at(8), "due": at(15, 17)},
        ],
    )  # fmt: skip
    with store.connect(path) as con:
        _roster(
            con,
            [
                ("A", "Nguyễn V. A.", C1, DESK, date(2025, 7, 1), None, 1.0, None),
                ("B", "Trần T. B.", C1, DESK, date(2025, 7, 1), date(2025, 10, 8), 0.5, None),
                ("C", "Lê V. C.", C1, "Tư pháp", date(2025, 10, 9), None, 1.0, None),
            ],
        )
        con.execute(
            "insert into secondments values ('s1', ?, 2, date '2025-10-10', date '2025-10-20', "
            "0.5, 'test', 'leader', timestamp '2025-10-09 08:00:00')",
            [C1],
        )
        _steps(
            con,
            [
                ("x1", at(6, 9), "A"), ("x1", at(7, 10), "B"),
                ("x2", at(7, 9), "A"), ("x2", at(8, 10), "B"),
                ("x3", at(9, 9), "C"),
                ("x4", at(10, 9), "A"),
                ("x5", at(3, 9), "A"), ("x5", at(9, 10), "C"),
            ],
        )  # fmt: skip
    return path


def _window_days() -> list[date]:
    day, days = date(2025, 9, 15), []
    while day <= date(2025, 10, 10):
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(1)
    return days


def projection_store(path: Path) -> Path:
    def on(day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, datetime.min.time()).replace(hour=hour)

    flow = [
        {"id": f"w{day:%m%d}{p}", "commune": C1, "procedure": p, "received": on(day),
         "due": on(day, 17) if p == P1 else on(day, 17) + timedelta(days=2),
         "finished": on(day, 15), "status": "returned"}
        for day in _window_days()
        for p in (P1, P2)
    ]  # fmt: skip
    before = datetime(2025, 9, 1, 9)
    open_now = [
        {"id": "o1", "commune": C1, "procedure": P3, "received": before, "due": at(10, 17)},
        {"id": "o2", "commune": C1, "procedure": P3, "received": before, "due": at(10, 17)},
        {"id": "o3", "commune": C1, "procedure": P3, "received": before, "due": at(13, 17)},
        {"id": "o4", "commune": C1, "procedure": P3, "received": before, "due": at(15, 17)},
        {"id": "o5", "commune": C1, "procedure": P3, "received": before},
        *[
            {"id": f"q{i}", "commune": C2, "procedure": P3, "received": before, "due": at(10, 17)}
            for i in range(3)
        ],
    ]
    build_store(path, flow + open_now)
    with store.connect(path) as con:
        _roster(
            con,
            [
                ("A", "Nguyễn V. A.", C1, DESK, date(2025, 7, 1), None, 1.0, None),
                ("B", "Trần T. B.", C1, DESK, date(2025, 10, 20), None, 0.5, None),
            ],
        )
    return path
