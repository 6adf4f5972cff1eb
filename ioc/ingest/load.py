"""Writing one import into the store: one transaction per file holding the dossiers (upsert by
dossier_id), their processing log, new procedure codes, the quarantine, the data version and any
rollups, so a reader sees the file entirely or not at all. The ingest_runs row is written in the
same transaction; a failed import is recorded afterwards in a transaction of its own.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ioc import audit, rollups, store

DOSSIER_FRAME = "ingest_batch"
STEPS_FRAME = "ingest_batch_steps"
QUARANTINE_FRAME = "ingest_batch_quarantine"


@dataclass
class RunResult:
    """What one import did (the ingest_runs row, plus a few details for the screen)."""

    run_id: str
    source_file: str
    sha256: str
    status: str  # 'ok' | 'duplicate_file' | 'failed'
    started_at: datetime
    finished_at: datetime | None = None
    rows_read: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_quarantined: int = 0
    rows_merged: int = 0
    unknown_procedures: int = 0
    kind: str = "dossiers"  # 'dossiers' | 'parcels' | 'boundaries'
    message: str = ""
    username: str | None = None  # who imported (app user, "cli:<os user>"); None: the inbox
    # communes whose dossiers the import changed (new and old commune of a moved dossier): the
    # rollups of these, and only these, are rebuilt
    touched_communes: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"


def seen_before(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """The earlier successful import of the same bytes, if any."""
    rows = store.run_query(con, "ingest_seen_file", sha256=sha256).to_dicts()
    return rows[0] if rows else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Begin/commit, or roll back everything on any error."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """A frame visible to the queries as a view for the duration of a block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def bump_version(con: duckdb.DuckDBPyConnection) -> None:
    """Move meta data_version on (caches key on it) and mark the store as holding real data."""
    current = store.get_meta(con, "data_version", "0") or "0"
    following = str(int(current) + 1) if current.isdigit() else f"{current}+1"
    store.set_meta(con, "data_version", following)
    store.set_meta(con, "real_data", "1")


def refresh_rollups(con: duckdb.DuckDBPyConnection, communes: Iterable[str] | None) -> None:
    """Keep the rollups in step, in the import's transaction: rebuild those of `communes` (None:
    every commune)."""
    rollups.refresh(con, communes)


def write_dossiers(
    con: duckdb.DuckDBPyConnection,
    result: RunResult,
    rows: pl.DataFrame,
    steps: pl.DataFrame | None,
) -> None:
    """Upsert the checked rows, their processing log and unknown procedure codes (no commit)."""
    with registered(con, DOSSIER_FRAME, rows):
        added = store.execute(con, "ingest_add_procedures")
        result.unknown_procedures = int(added.item(0, 0)) if added.height else 0
        store.execute(con, "ingest_stage_changes")
        try:
            moved_from = store.execute(con, "ingest_moved_communes")["commune_code"]
            # Changed dossiers first, so the update's join does not meet the new ones.
            params = {"run_id": result.run_id, "source_file": result.source_file}
            updated = store.execute(con, "ingest_update_dossiers", **params)
            inserted = store.execute(con, "ingest_insert_dossiers", **params)
        finally:
            con.execute("drop view if exists ingest_rows")
    result.rows_inserted, result.rows_updated = int(inserted.item(0, 0)), int(updated.item(0, 0))
    written_in = store.execute(con, "ingest_run_communes", run_id=result.run_id)["commune_code"]
    result.touched_communes = {*moved_from, *written_in}
    if steps is not None and not steps.is_empty():
        write_steps(con, steps.filter(pl.col("dossier_id").is_in(rows["dossier_id"].implode())))


def write_steps(con: duckdb.DuckDBPyConnection, steps: pl.DataFrame) -> None:
    with registered(con, STEPS_FRAME, steps):
        store.execute(con, "ingest_delete_steps")
        store.execute(con, "ingest_insert_steps")


def write_quarantine(con: duckdb.DuckDBPyConnection, result: RunResult, rows: pl.DataFrame) -> None:
    if rows.is_empty():
        return
    with registered(con, QUARANTINE_FRAME, rows):
        store.execute(
            con, "ingest_insert_quarantine", run_id=result.run_id, source_file=result.source_file
        )


def record_run(con: duckdb.DuckDBPyConnection, result: RunResult) -> None:
    """The ingest_runs row and the audit record of the run, in the caller's transaction (so a
    committed import is always audited, and a rolled-back one leaves neither)."""
    store.execute(
        con,
        "ingest_insert_run",
        run_id=result.run_id,
        source_file=result.source_file,
        sha256=result.sha256,
        started_at=result.started_at,
        finished_at=result.finished_at,
        rows_read=result.rows_read,
        rows_inserted=result.rows_inserted,
        rows_updated=result.rows_updated,
        rows_quarantined=result.rows_quarantined,
        status=result.status,
        message=result.message,
    )
    detail = (
        f"{result.source_file}: {result.status}; inserted {result.rows_inserted}, "
        f"updated {result.rows_updated}, quarantined {result.rows_quarantined}"
    )
    audit.record(con, result.username, audit.IMPORT, None, detail)
