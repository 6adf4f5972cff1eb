"""Citizens' ratings and feedback for the hand-made store of tests/fixtures.py (period 06/10/2025 –
12/10/2025). Each row's role is written beside it; tests/test_voice.py works the KPIs out by hand
from these rows.

Dossiers resolved in the period (finished day 6–12/10): C1 d01 d02 d03 d10 d11 d18 d19 (7), C2 e01
e02 e03 e04 e06 (5).
"""

from __future__ import annotations

import duckdb
from fixtures import C1, C2, OTHER, P1, P2, ts

# rating_id, dossier, commune, procedure, rated_at, criterion (None: overall), level, comment
RATINGS = [
    # --- C1: rated (resolved in the period, rated by 12/10) d01 d02 d03 d10 d11 = 5 of 7
    #     ratings given in the period: d01 d02 d03 d10 d11 d15 = 6, satisfied d01 d02 d15 = 3
    ("r01", "d01", C1, P1, ts(6, 16), None, "very_satisfied", None),  # satisfied
    ("r02", "d02", C1, P1, ts(8, 10), None, "satisfied", "Nhanh gọn"),  # satisfied
    ("r03", "d03", C1, P2, ts(7, 17), None, "not_satisfied", "Cán bộ Nguyễn V. A. hướng dẫn chưa rõ"),
    ("r04", "d03", C1, P2, ts(7, 17), "Thời gian giải quyết", "not_satisfied", None),  # a criterion beside the overall: adds no rating
    ("r05", "d10", C1, P2, ts(10, 9), None, "satisfied", None),  # rated again below: the latest counts
    ("r06", "d10", C1, P2, ts(11, 9), None, "not_satisfied", "Phải đi lại hai lần"),  # d10 not satisfied
    ("r07", "d11", C1, P2, ts(7, 10), "Thái độ phục vụ", "satisfied", None),  # criteria only: the
    ("r08", "d11", C1, P2, ts(7, 10), "Thời gian giải quyết", "not_satisfied", "Chờ lâu"),  # lowest: not satisfied
    ("r09", "d15", C1, P1, ts(6, 9), None, "very_satisfied", None),  # resolved 5/10: a rating of the period, not rated
    ("r10", "d18", C1, P2, ts(13, 9), None, "satisfied", None),  # rated after the period: neither
    # --- C2: rated e01 e03 e04 = 3 of 5; ratings in the period e01 e03 e04 = 3, satisfied e01 e03
    ("r11", "e01", C2, P1, ts(6, 11), None, "satisfied", None),
    ("r15", "e03", C2, P2, ts(8, 12), None, "satisfied", None),
    ("r12", "e04", C2, P2, ts(9, 9), None, "not_satisfied", "Gọi *** không ai nghe"),
    ("r13", "e07", C2, P2, ts(3, 9), None, "satisfied", None),  # rated before the period: neither
    # --- another province: never in Hanoi's figures
    ("r14", "z01", OTHER, P1, ts(7, 11), None, "not_satisfied", "Chậm"),
]  # fmt: skip

# feedback_id, commune, procedure, topic, received, transferred, due, answered, outcome
# Without a due date an item is due on the 15th working day after its transfer (else receipt).
FEEDBACK = [
    # --- C1: received in the period f02 f03 f05 f06 = 4; answered in it f01 f02 f05 = 3, on time
    #     f01 f05 = 2; open at the end of 12/10 f03 f04 f06 = 3, overdue f04 f06 = 2
    ("f01", C1, P2, "Thái độ cán bộ", ts(1), None, None, ts(8), "answered"),  # due 22/10: on time
    ("f02", C1, P2, "Thời gian giải quyết", ts(6), None, ts(7, 17), ts(9, 10), "answered"),  # late
    ("f03", C1, None, "Thời gian giải quyết", ts(7), None, None, None, None),  # open, due 28/10
    ("f04", C1, P1, "Thủ tục rườm rà", ts(2), None, ts(10, 17), None, None),  # open, overdue
    ("f05", C1, P1, "Thời gian giải quyết", ts(8), ts(9), None, ts(10), "rejected"),  # on time
    ("f06", C1, P1, "Thái độ cán bộ", ts(9), None, ts(10, 17), ts(13), "answered"),  # open at 12/10, overdue
    # --- C2: received f07 f08 = 2; answered f07 = 1 on time; open f08 = 1, not overdue
    ("f07", C2, P2, "Phí, lệ phí", ts(10), None, ts(12, 17), ts(11), "info_requested"),
    ("f08", C2, None, "Phí, lệ phí", ts(12), None, ts(20, 17), None, None),
    # --- another province: never in Hanoi's figures
    ("f09", OTHER, P1, "Khác", ts(7), None, None, None, None),
]  # fmt: skip


def fill_voice(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the ratings and feedback above into a store holding tests/fixtures.py's rows."""
    con.executemany(
        "insert into dossier_ratings (rating_id, dossier_id, commune_code, procedure_code, "
        "rated_at, criterion, level, comment_masked, source_file) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, 'fixture')",
        RATINGS,
    )
    con.executemany(
        "insert into feedback (feedback_id, commune_code, procedure_code, topic, received_at, "
        "transferred_at, due_at, answered_at, outcome, channel, content_masked, source_file) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'portal', 'Nội dung', 'fixture')",
        FEEDBACK,
    )
