"""A tiny hand-made store: 3 Hanoi communes (one without any dossier), one commune of another
province, 3 procedures, ~30 dossiers around the week 06/10/2025 – 12/10/2025.

The expected KPIs are worked out by hand in tests/test_kpi.py next to each dossier's role; change a
row here and the hand computation there must change too.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from ioc import store

PERIOD_FROM = date(2025, 10, 6)  # Monday
PERIOD_TO = date(2025, 10, 12)  # Sunday
C1, C2, C3, OTHER = "90001", "90002", "90003", "90009"

COMMUNES = [
    # code, name, type, province, province name, lat, lon
    (C1, "Phường Một", "phường", "01", "Thành phố Hà Nội", 21.03, 105.85),
    (C2, "Xã Hai", "xã", "01", "Thành phố Hà Nội", 21.10, 105.70),
    (C3, "Xã Ba", "xã", "01", "Thành phố Hà Nội", 20.90, 105.60),
    (OTHER, "Phường Khác", "phường", "02", "Tỉnh Khác", 22.00, 105.00),
]

PROCEDURES = [
    # code, name, field, level, days, has_fee, is_land
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", "full", 0.0, False, False),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "partial", 2.0, True, False),
    ("1.013978", "Đăng ký đất đai lần đầu", "Đất đai", "partial", 20.0, True, True),
]
P1, P2, P3 = "1.001193", "2.000815", "1.013978"
LEVEL = {P1: "full", P2: "partial", P3: "partial"}
FEE = {P1: False, P2: True, P3: True}


def ts(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, minute)


# dossier_id, commune, procedure, channel, status, received, due, finished, paid_online, digitized
DOSSIERS = [
    # --- C1 ---
    ("d01", C1, P1, "online", "returned", ts(6, 9), ts(6, 17), ts(6, 15), None, True),
    ("d02", C1, P1, "online", "returned", ts(7, 9), ts(7, 17), ts(8, 9), None, False),
    ("d03", C1, P2, "direct", "finished", ts(7, 10), ts(9, 17), ts(7, 16), False, True),
    ("d04", C1, P2, "online", "processing", ts(8, 9), ts(10, 17), None, True, True),
    ("d05", C1, P2, "online", "processing", ts(9, 9), ts(13, 17), None, True, False),
    ("d06", C1, P3, "direct", "supplement_requested", ts(10, 9), ts(30, 17), None, False, False),
    ("d07", C1, P1, "online", "registered", None, None, None, None, False),
    ("d08", C1, P2, "direct", "rejected", ts(8, 9), None, None, False, False),
    ("d09", C1, P1, "online", "withdrawn", ts(9, 9), ts(9, 17), None, None, False),
    ("d10", C1, P2, "direct", "finished", ts(9, 8), None, ts(10, 8), False, True),
    ("d11", C1, P2, "direct", "returned", ts(1, 8), ts(6, 17), ts(7, 8), False, False),
    ("d12", C1, P2, "direct", "processing", ts(3, 8), ts(8, 17), None, False, False),
    ("d13", C1, P1, "online", "accepted", ts(12, 10), ts(13, 17), None, None, True),
    ("d14", C1, P1, "online", "accepted", ts(13, 9), ts(13, 17), None, None, True),
    ("d15", C1, P1, "online", "returned", ts(5, 9), ts(5, 17), ts(5, 11), None, True),
    ("d16", C1, P2, "direct", "finished", ts(11, 23, 30), ts(14, 17), ts(13, 9), False, False),
    ("d17", C1, P3, "direct", "stopped", ts(7, 9), ts(31, 17), None, False, False),
    ("d18", C1, P2, "postal", "returned", ts(8, 8), ts(9, 17), ts(9, 8), False, True),
    ("d19", C1, P1, "direct", "returned", ts(10, 8), ts(10, 17), ts(10, 14), None, False),
    # --- C2 ---
    ("e01", C2, P1, "online", "returned", ts(6, 9), ts(6, 17), ts(6, 10), None, True),
    ("e02", C2, P1, "online", "returned", ts(7, 9), ts(7, 17), ts(7, 10), None, True),
    ("e03", C2, P2, "direct", "finished", ts(7, 9), ts(9, 17), ts(8, 9), False, False),
    ("e04", C2, P2, "online", "returned", ts(8, 9), ts(9, 17), ts(8, 15), True, True),
    ("e05", C2, P2, "direct", "processing", ts(9, 9), ts(11, 17), None, False, False),
    ("e06", C2, P1, "online", "returned", ts(10, 9), ts(10, 17), ts(10, 11), None, True),
    ("e07", C2, P2, "direct", "returned", ts(2, 9), ts(3, 17), ts(2, 15), False, False),
    # --- another province: never in Hanoi's figures ---
    ("z01", OTHER, P1, "online", "returned", ts(7, 9), ts(7, 17), ts(7, 10), None, True),
]

TARGETS = [
    # metric, scope, target, effective_from, effective_to
    ("online_rate", "city", 0.80, date(2025, 7, 21), None),
    ("end_to_end_rate", "city", 0.20, date(2025, 7, 21), None),
    ("end_to_end_rate", "city", 0.40, date(2025, 9, 1), None),
    ("online_rate", C2, 0.90, date(2025, 10, 1), None),
    ("online_rate", "city", 0.99, date(2025, 7, 1), date(2025, 7, 20)),  # expired
]


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the fixture rows into an open store with the schema."""
    con.executemany(
        "insert into communes (commune_code, commune_name, commune_type, province_code, "
        "province_name, lat, lon) values (?, ?, ?, ?, ?, ?, ?)",
        COMMUNES,
    )
    con.executemany(
        "insert into procedures (procedure_code, procedure_name, field_name, service_level, "
        "statutory_days, has_fee, is_land) values (?, ?, ?, ?, ?, ?, ?)",
        PROCEDURES,
    )
    rows = []
    for did, commune, proc, channel, status, received, due, finished, paid, digitized in DOSSIERS:
        submitted = received or ts(8, 7)
        rows.append(
            (
                did,
                proc,
                commune,
                channel,
                LEVEL[proc],
                submitted,
                received,
                due,
                finished,
                status,
                paid,
                FEE[proc],
                digitized,
                "Nguyễn V. A.",
                "fixture",
            )
        )
    con.executemany(
        "insert into dossiers (dossier_id, procedure_code, commune_code, channel, service_level, "
        "submitted_at, received_at, due_at, finished_at, status, paid_online, has_fee, digitized, "
        "applicant_masked, source_file) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.executemany(
        "insert into targets (metric, scope, target, effective_from, effective_to) "
        "values (?, ?, ?, ?, ?)",
        TARGETS,
    )
    store.set_meta(con, "data_version", "1")


def make_store(path: Path | str) -> Path:
    """Create a store file with the fixture rows; returns its path."""
    path = Path(path)
    with store.connect(path) as con, store.transaction(con):
        fill(con)
    return path
