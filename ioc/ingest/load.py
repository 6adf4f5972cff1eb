"""Writing one import into the store: one transaction per file holding the dossiers (upsert by
dossier_id), their processing log, new procedure codes, the quarantine, the data version and any
rollups, so a reader sees the file entirely or not at all. The ingest_runs row is written in the
same transaction; a failed import is recorded afterwards in a transaction of its own.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from ioc import audit, rollups, store
from ioc.store import registered, transaction  # noqa: F401 (ingest's callers use them here)

DOSSIER_FRAME = "ingest_batch"
IDS_FRAME = "ingest_batch_ids"
PROCEDURES_FRAME = "ingest_batch_procedures"
STEPS_FRAME = "ingest_batch_steps"
QUARANTINE_FRAME = "ingest_batch_quarantine"
ROW_GROUP_SIZE = 122_880  # DuckDB's default rows per row group
QUARANTINE_EXTRA = (
    "source_key",
    "problem_kind",
    "problem_value",
    "applicant_masked",
    "applicant_key",
)


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
    # 'dossiers' | 'parcels' | 'boundaries' | 'roster' | 'ratings' | 'feedback'
    kind: str = "dossiers"
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


def bump_version(con: duckdb.DuckDBPyConnection, real: bool = True) -> None:
    """Move meta data_version on (caches key on it) and mark the store as holding real data
    (`real` False: the demo's own flawed export, which leaves the store a demo)."""
    current = store.get_meta(con, "data_version", "0") or "0"
    following = str(int(current) + 1) if current.isdigit() else f"{current}+1"
    store.set_meta(con, "data_version", following)
    if real:
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
    """Upsert the checked rows (one per dossier_id), their processing log and unknown procedure
    codes (no commit). The store holds each id once because the rows are split here into ids it
    holds (compared and updated where they differ) and new ids (inserted as they are)."""
    procedures = (
        rows.lazy()
        .filter(pl.col("procedure_code").is_not_null())
        .group_by("procedure_code")
        .agg(pl.col("procedure_name").max())
        .collect()
    )
    with registered(con, PROCEDURES_FRAME, procedures):
        added = store.execute(con, "ingest_add_procedures")
        defaults = store.execute(con, "ingest_procedure_defaults")
    result.unknown_procedures = _count(added)
    rows = _with_procedure_defaults(rows.drop("procedure_name"), defaults)
    ids = rows["dossier_id"]
    with registered(con, IDS_FRAME, rows.select("dossier_id")):
        held = store.execute(con, "ingest_existing_ids")["dossier_id"]
    params = {"run_id": result.run_id, "source_file": result.source_file}
    result.rows_updated = 0
    moved_from = pl.Series("commune_code", [], pl.String)
    if held.len():
        known = pl.col("dossier_id").is_in(held.implode())
        with registered(con, DOSSIER_FRAME, rows.filter(known)):
            moved_from = store.execute(con, "ingest_moved_communes")["commune_code"]
            result.rows_updated = _count(store.execute(con, "ingest_update_dossiers", **params))
        rows = rows.filter(~known)
    with registered(con, DOSSIER_FRAME, _row_groups(rows)):
        result.rows_inserted = _count(store.execute(con, "ingest_insert_dossiers", **params))
    written_in = store.execute(con, "ingest_run_communes", run_id=result.run_id)["commune_code"]
    result.touched_communes = {*moved_from, *written_in}
    if steps is not None and not steps.is_empty():
        write_steps(con, steps.filter(pl.col("dossier_id").is_in(ids.implode())))


def _count(changed: pl.DataFrame) -> int:
    """The row count a DuckDB insert or update returns."""
    return int(changed.item(0, 0)) if changed.height else 0


def _with_procedure_defaults(rows: pl.DataFrame, defaults: pl.DataFrame) -> pl.DataFrame:
    """The procedure's service level and fee where the export gives none."""
    if defaults.is_empty():
        return rows
    codes = defaults["procedure_code"]
    return rows.with_columns(
        pl.coalesce(
            column,
            pl.col("procedure_code").replace_strict(codes, defaults[column], default=None),
        ).alias(column)
        for column in ("service_level", "has_fee")
    )


def _row_groups(rows: pl.DataFrame) -> pa.Table:
    """The rows as Arrow batches of one DuckDB row group each: DuckDB then compresses and writes
    the batches in parallel, each into a full row group of its own (fewer, fuller blocks)."""
    table = rows.rechunk().to_arrow()
    return pa.Table.from_batches(table.to_batches(max_chunksize=ROW_GROUP_SIZE), table.schema)


def write_steps(con: duckdb.DuckDBPyConnection, steps: pl.DataFrame) -> None:
    with registered(con, STEPS_FRAME, steps):
        store.execute(con, "ingest_delete_steps")
        store.execute(con, "ingest_insert_steps")


def write_quarantine(con: duckdb.DuckDBPyConnection, result: RunResult, rows: pl.DataFrame) -> None:
    if rows.is_empty():
        return
    # What a retry needs (ioc/ingest/quarantine.py); null where the caller has none (land files).
    rows = rows.with_columns(
        pl.lit(None, pl.String).alias(c) for c in QUARANTINE_EXTRA if c not in rows.columns
    )
    with registered(con, QUARANTINE_FRAME, rows):
        store.execute(
            con, "ingest_insert_quarantine", run_id=result.run_id, source_file=result.source_file
        )


def record_run(con: duckdb.DuckDBPyConnection, result: RunResult, audited: bool = True) -> None:
    """The ingest_runs row and the audit record of the run, in the caller's transaction (so a
    committed import is always audited, and a rolled-back one leaves neither). The demo's live
    feed (a run a minute, no person behind it) is recorded without an audit record."""
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
    if not audited:
        return
    detail = (
        f"{result.source_file}: {result.status}; inserted {result.rows_inserted}, "
        f"updated {result.rows_updated}, quarantined {result.rows_quarantined}"
    )
    audit.record(con, result.username, audit.IMPORT, None, detail)
