"""Small stores built dossier by dossier for the hand-computed cases of the pages' tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fixtures import COMMUNES, FEE, LEVEL, PROCEDURES

from ioc import rollups, store


def build_store(path: Path, dossiers: list[dict], targets: list[tuple] = ()) -> Path:
    """A store with the fixture's communes and procedures and the given dossiers.

    Each dossier dict needs id, commune, procedure, received; optional channel ('direct'),
    status ('processing'), due, finished, digitized (False), paid_online (None).
    """
    with store.connect(path) as con:
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
        rows = [
            (
                d["id"],
                d["procedure"],
                d["commune"],
                d.get("channel", "direct"),
                LEVEL[d["procedure"]],
                d["received"],
                d["received"],
                d.get("due"),
                d.get("finished"),
                d.get("status", "processing"),
                d.get("paid_online"),
                FEE[d["procedure"]],
                d.get("digitized", False),
                "Trần T. B.",
                "test",
            )
            for d in dossiers
        ]
        con.executemany(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "service_level, submitted_at, received_at, due_at, finished_at, status, paid_online, "
            "has_fee, digitized, applicant_masked, source_file) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        if targets:
            con.executemany(
                "insert into targets (metric, scope, target, effective_from, effective_to) "
                "values (?, ?, ?, ?, ?)",
                list(targets),
            )
        store.set_meta(con, "data_version", "1")
        rollups.ensure(con)  # as an import would, in its transaction
    return path


def at(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, minute)
