"""A small store for the national index (ioc/index766.py, docs/index-766.md), worked out by hand in
tests/test_index766.py. Period: Monday 06/10/2025 – Sunday 12/10/2025, clock 13/10/2025 10:00, so
2.1 judges what is still in hand at the end of 12/10 (23:59:59). Each row's role is written beside
it; change a row and the hand computation must change too.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fixtures import C1, C2, COMMUNES, OTHER, PERIOD_FROM, PERIOD_TO

from ioc import rollups, store

__all__ = ["C1", "C2", "PERIOD_FROM", "PERIOD_TO", "make_index_store"]


def ts(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, minute)


P1, P2, P3, P4 = "1.001193", "2.000815", "1.013978", "9.000001"
PROCEDURES = [
    # code, name, field, level, max handling working days, fee, paper result, published
    (P1, "Đăng ký khai sinh", "Hộ tịch", "full", 0.0, False, False, True),
    (P2, "Chứng thực bản sao từ bản chính", "Chứng thực", "partial", 2.0, True, True, True),
    (P3, "Đăng ký đất đai lần đầu", "Đất đai", "partial", 20.0, True, True, False),
    (
        P4,
        "Xác nhận thông tin",
        "Hộ tịch",
        "info",
        5.0,
        False,
        None,
        None,
    ),  # not in the catalogue's publication data
]

# id, commune, procedure, channel, status, received, due, finished, paid, e_result, synced,
# digitized, vneid
DOSSIERS = [
    # 2.1 on time (15:00 <= 17:00); paid online but P1 is fee-free: out of 3.6
    (
        "a01",
        C1,
        P1,
        "online",
        "returned",
        ts(6),
        ts(6, 17),
        ts(6, 15),
        True,
        True,
        True,
        True,
        True,
    ),
    # 2.1 on time only with the 24 h supplement cycle subtracted (9/10 10:00 - 24 h <= 8/10 17:00);
    # paper result with an electronic one: online in 3.3; paid online
    (
        "a02",
        C1,
        P2,
        "online",
        "finished",
        ts(6),
        ts(8, 17),
        ts(9, 10),
        True,
        True,
        True,
        True,
        True,
    ),
    # 2.1 late: two supplement requests, although finished before its due time;
    # paper result without an electronic one: not online in 3.3
    (
        "a03",
        C1,
        P2,
        "online",
        "finished",
        ts(6),
        ts(8, 17),
        ts(8, 12),
        False,
        False,
        True,
        False,
        False,
    ),
    # 2.1 on time: no due date, P2's 2 working days from Thu 9/10 end Mon 13/10 17:00, in hand
    # at the end of 12/10; not synchronised
    ("a04", C1, P2, "direct", "processing", ts(9), None, None, None, None, False, False, False),
    # 2.1 late: no due date, same-day procedure: 10/10 17:00, still in hand at the end of 12/10
    ("a05", C1, P1, "direct", "processing", ts(10), None, None, None, None, True, False, False),
    # 2.1 on time: waiting for the citizen after one request (8/10 10:00), judged then;
    # paper result, electronic result unknown: not online in 3.3; fee, not paid
    (
        "a06",
        C1,
        P3,
        "online",
        "supplement_requested",
        ts(7),
        ts(31, 17),
        None,
        False,
        None,
        True,
        True,
        False,
    ),
    # registered only (submitted 11/10): in the period by its submission day, not in 2.1;
    # online, P1 gives no paper result: online in 3.3
    ("a07", C1, P1, "online", "registered", None, None, None, None, None, False, False, False),
    # received and finished before the period: in nothing
    (
        "a08",
        C1,
        P2,
        "direct",
        "returned",
        ts(30, month=9),
        ts(2, 17),
        ts(1, 10),
        False,
        None,
        True,
        False,
        False,
    ),
    # received before the period, still in hand past its due time: 2.1 late; not of the period
    (
        "a09",
        C1,
        P2,
        "direct",
        "processing",
        ts(1),
        ts(3, 17),
        None,
        False,
        None,
        True,
        False,
        False,
    ),
    # 2.1 on time; procedure P4 not offered online (info level), publication unknown
    (
        "a10",
        C1,
        P4,
        "direct",
        "finished",
        ts(7),
        ts(14, 17),
        ts(8, 10),
        None,
        False,
        True,
        True,
        False,
    ),
    # withdrawn with no step saying when: left out of 2.1; online, no paper result: online in 3.3
    ("a11", C1, P1, "online", "withdrawn", ts(8), ts(8, 17), None, None, None, True, False, False),
    # stopped by a step at 8/10 11:00 before its due time: 2.1 on time; fee, not paid
    ("a12", C1, P2, "direct", "stopped", ts(7), ts(9, 17), None, False, None, True, False, False),
    # C2: one dossier on time; no flag is known (no data for 1.4, 3.3, 4.1, 4.3, 4.5)
    (
        "b01",
        C2,
        P1,
        "direct",
        "returned",
        ts(7),
        ts(7, 17),
        ts(7, 10),
        None,
        None,
        None,
        None,
        None,
    ),
    # another province: never in Hanoi's figures
    (
        "z01",
        OTHER,
        P1,
        "online",
        "returned",
        ts(7),
        ts(7, 17),
        ts(7, 10),
        None,
        True,
        True,
        True,
        True,
    ),
]

# dossier, step time, status after
STEPS = [
    ("a02", ts(6), "accepted"),
    ("a02", ts(7), "supplement_requested"),  # cycle 1 opens
    ("a02", ts(8), "processing"),  # ... closes: 24 h of the citizen's time
    ("a03", ts(6), "accepted"),
    ("a03", ts(6, 14), "supplement_requested"),  # request 1
    ("a03", ts(7), "processing"),
    ("a03", ts(7, 10), "supplement_requested"),  # request 2: late whatever the times
    ("a03", ts(7, 15), "processing"),
    ("a06", ts(7), "accepted"),
    ("a06", ts(8, 10), "supplement_requested"),  # one request, still waiting: the end of handling
    ("a12", ts(7), "accepted"),
    ("a12", ts(8, 11), "stopped"),  # the end of handling
]

# feedback id, commune, received, transferred, answered, outcome, rated unsatisfied, complaint
FEEDBACK = [
    # answer due 15 working days after Mon 6/10: 27/10 17:00; answered 20/10: on time, satisfied
    ("f1", C1, ts(6), None, ts(20, 10), "answered", False, False),
    # rejection due in 2 working days: 8/10 17:00; rejected 9/10: late (5.2 and 5.3)
    ("f2", C1, ts(6), None, ts(9), "rejected", False, False),
    # transferred Fri 10/10: due 31/10 17:00; answered 24/10 on time, but rated unsatisfied (5.3)
    ("f3", C1, ts(7), ts(10), ts(24, 10), "answered", True, False),
    # open, within its time at the end of 12/10: on time, satisfied
    ("f4", C1, ts(8), None, None, None, False, False),
    # received before the period: not counted
    ("f5", C1, ts(1), None, ts(2), "answered", False, False),
    # request for information due in 5 working days from Thu 9/10: 16/10 17:00; sent 17/10: late
    ("f6", C1, ts(9), None, ts(17), "info_requested", False, False),
]

# rating id, dossier, commune, rated at, criterion, level
RATINGS = [
    ("r1", "a01", C1, ts(6, 16), None, "very_satisfied"),
    ("r2", "a02", C1, ts(9, 11), None, "not_satisfied"),  # replaced by the newer r3
    ("r3", "a02", C1, ts(10, 11), None, "satisfied"),
    ("r4", "a03", C1, ts(8, 13), None, "not_satisfied"),  # the one unsatisfied dossier
    ("r5", "a10", C1, ts(8, 11), None, "satisfied"),
    ("r6", "a10", C1, ts(8, 11), "Thời gian", "not_satisfied"),  # a criterion: not overall
    ("r7", "a09", C1, ts(2), None, "satisfied"),  # rated before the period
]


def fill(con) -> None:
    con.executemany(
        "insert into communes (commune_code, commune_name, commune_type, province_code, "
        "province_name, lat, lon) values (?, ?, ?, ?, ?, ?, ?)",
        COMMUNES,
    )
    con.executemany(
        "insert into procedures (procedure_code, procedure_name, field_name, service_level, "
        "statutory_days, has_fee, paper_result, published) values (?, ?, ?, ?, ?, ?, ?, ?)",
        PROCEDURES,
    )
    fee = {p[0]: p[5] for p in PROCEDURES}
    level = {p[0]: p[3] for p in PROCEDURES}
    con.executemany(
        "insert into dossiers (dossier_id, commune_code, procedure_code, channel, service_level, "
        "status, submitted_at, received_at, due_at, finished_at, returned_at, paid_online, "
        "has_fee, e_result_issued, synced_to_portal, digitized, vneid_verified, "
        "applicant_masked, source_file) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                did,
                commune,
                proc,
                channel,
                level[proc],
                status,
                received or ts(11),
                received,
                due,
                finished,
                finished if status == "returned" else None,
                paid,
                fee[proc],
                e_result,
                synced,
                digitized,
                vneid,
                "Nguyễn V. A.",
                "index-fixture",
            )
            for did, commune, proc, channel, status, received, due, finished, paid, e_result, synced, digitized, vneid in DOSSIERS
        ],
    )
    con.executemany(
        "insert into dossier_steps (dossier_id, step_at, unit, action, status_after) "
        "values (?, ?, 'Bộ phận Một cửa', 'bước', ?)",
        STEPS,
    )
    con.executemany(
        "insert into feedback (feedback_id, commune_code, received_at, transferred_at, "
        "answered_at, outcome, rated_unsatisfied, complaint_after) values (?, ?, ?, ?, ?, ?, ?, ?)",
        FEEDBACK,
    )
    con.executemany(
        "insert into dossier_ratings (rating_id, dossier_id, commune_code, rated_at, criterion, "
        "level) values (?, ?, ?, ?, ?, ?)",
        RATINGS,
    )
    store.set_meta(con, "data_version", "1")
    rollups.ensure(con)


def make_index_store(path: Path | str) -> Path:
    path = Path(path)
    with store.connect(path) as con:
        fill(con)
    return path
