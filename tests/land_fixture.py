"""A hand-made parcel set on top of the fixture store, for the land map's tests.

Clock: IOC_NOW 2025-10-13 10:00 (Monday); the next working day is 14/10. Each parcel's expected
state is worked out by hand next to its dossiers below.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from fixtures import C1, C2, C3, P3, make_store

from ioc import store

AS_OF = datetime(2025, 10, 13, 10, 0).date()


def square(lon: float, lat: float, size: float = 0.0005, jog: bool = False) -> str:
    """A square parcel; jog adds a vertex 0.1 m off the bottom edge (gone once simplified)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    if jog:
        ring.insert(1, [lon + size / 2, lat + 0.000001])
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def cell(lon: float, lat: float, size: float) -> str:
    return square(lon, lat, size)


# parcel_id suffix, commune, sheet, number, area, land use, address, lon, lat, jog
PARCELS = [
    (C1, "5", "12", 120.5, "ODT", "Số 1 phố Tràng Tiền", 105.850, 21.030, True),  # overdue
    (C1, "5", "13", 200.0, "ODT", "Số 3 phố Tràng Tiền", 105.851, 21.030, False),  # due soon
    (C1, "5", "14", 300.0, "LUC", "Cánh đồng Đông", 105.852, 21.030, False),  # processing
    (C1, "6", "1", 1000.0, "LUC", "Cánh đồng Tây", 105.853, 21.030, False),  # done (latest)
    (C1, "6", "2", 50.0, "DGT", None, 105.854, 21.030, False),  # none: no dossier
    (C1, "6", "3", 80.0, "TMD", "Số 5 phố Tràng Tiền", 105.855, 21.030, False),  # none: withdrawn
    (C2, "1", "1", 500.0, "ONT", "Thôn Hai", 105.700, 21.100, False),  # none
]


def ts(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 9, 0)


# dossier_id, commune, sheet, number, status, received, due, finished
LAND_DOSSIERS = [
    ("L1", C1, "5", "12", "processing", ts(10, 1), ts(10, 10), None),  # due 10/10 < 13/10
    ("L2", C1, "5", "13", "accepted", ts(10, 2), ts(10, 14), None),  # due 14/10 = next w. day
    ("L3", C1, "5", "14", "supplement_requested", ts(10, 3), ts(10, 30), None),
    ("L4a", C1, "6", "1", "processing", ts(9, 1), ts(9, 10), None),  # older, still open, overdue
    ("L4b", C1, "6", "1", "returned", ts(9, 15), ts(9, 30), ts(9, 25)),  # latest: done
    ("L6", C1, "6", "3", "withdrawn", ts(10, 5), ts(10, 20), None),
    ("L8", C2, None, None, "processing", ts(9, 20), ts(10, 1), None),  # no parcel, overdue
]


def add_land(con) -> None:
    """Insert the commune cells, parcels and land dossiers into an open fixture store."""
    cells = {C1: cell(105.849, 21.029, 0.008), C2: cell(105.69, 21.09, 0.02), C3: None}
    for code, geometry in cells.items():
        con.execute(
            "update communes set geometry = ?, geometry_source = 'file' where commune_code = ?",
            [geometry, code],
        )
    con.executemany(
        "insert into parcels values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                f"{c}-{sheet}-{no}",
                c,
                sheet,
                no,
                area,
                use,
                address,
                lon + 0.00025,
                lat + 0.00025,
                square(lon, lat, jog=jog),
            )
            for c, sheet, no, area, use, address, lon, lat, jog in PARCELS
        ],
    )
    con.executemany(
        "insert into dossiers (dossier_id, procedure_code, commune_code, channel, service_level, "
        "submitted_at, received_at, due_at, finished_at, status, has_fee, digitized, "
        "applicant_masked, map_sheet, parcel_no, source_file) "
        "values (?, ?, ?, 'direct', 'partial', ?, ?, ?, ?, ?, true, false, ?, ?, ?, 'land')",
        [
            (did, P3, c, rec, rec, due, fin, status, "Lê V. C.", sheet, no)
            for did, c, sheet, no, status, rec, due, fin in LAND_DOSSIERS
        ],
    )


def make_land_store(path: Path | str) -> Path:
    """The fixture store plus the parcel set."""
    path = make_store(path)
    with store.connect(path) as con:
        add_land(con)
        store.set_meta(con, "data_version", "land-1")
    return path
