"""Importing real exports (issue 3): dossier exports (Excel, CSV, Parquet, the portal's sync JSON)
and land files, each in one transaction, with rejected rows kept in quarantine.

    readers -> normalize -> validate -> load    (dossiers)
    land                                       (parcels and commune boundaries)
    roster                                     (staffing rosters, issue 19)
    catalogue                                  (procedure catalogue flags, issue 18)
    voice                                      (citizens' ratings and feedback, issue 18)

`ingest_file` is the one entry used by the CLI, the admin page and the inbox watcher.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb

from ioc import config, rollups, store
from ioc.i18n import t
from ioc.ingest import (
    catalogue,
    land,
    limits,
    load,
    mappings,
    normalize,
    quarantine,
    readers,
    roster,
    voice,
)
from ioc.ingest.load import RunResult
from ioc.ingest.readers import ReadError

Progress = Callable[[str, float], None]
SUFFIXES = (*readers.DOSSIER_SUFFIXES, *land.LAND_SUFFIXES)
log = logging.getLogger(__name__)

__all__ = ["ReadError", "RunResult", "ingest_file", "ingest_paths"]


def _quiet(stage: str, fraction: float) -> None:
    """No progress display."""


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    source_name: str | None = None,
    province: str | None = config.DEFAULT_PROVINCE,
    meridian: float | None = None,
    progress: Progress | None = None,
    username: str | None = None,
    demo: bool = False,
) -> RunResult:
    """Import one file; always returns the run (status 'ok', 'duplicate_file' or 'failed').

    `province` limits commune *names* to one province (codes match anywhere); `meridian` is the
    VN-2000 central meridian of a land file in degrees (e.g. 105.0 for Hanoi); `username` is who
    imports, for the audit record every run writes (None: the inbox watcher); `demo` True: the
    demo's own flawed export (ioc.demo), which leaves the store a demo.
    """
    path = Path(path)
    step = progress or _quiet
    started = config.now()
    sha = load.file_sha256(path)
    result = RunResult(
        run_id=load.new_run_id(started),
        source_file=source_name or path.name,
        sha256=sha,
        status="ok",
        started_at=started,
        username=username,
    )
    with store.WRITE_LOCK:
        if load.seen_before(con, sha):
            result.status, result.message = "duplicate_file", t("ingest.duplicate_file", "vi")
            # Its quarantined rows that mappings taught since then resolve land (nothing else).
            try:
                moved = quarantine.retry(con, username, province=province, sha256=sha)
            except Exception:  # noqa: BLE001 - the retry is extra; the run is still recorded
                log.exception("ingest: quarantine retry for %s failed", path.name)
            else:
                if moved.rows_landed:
                    result.message += "; " + moved.summary("vi")
            return _finish_outside(con, result, step)
        try:
            step("read", 0.1)
            limits.check_file(path)
            if land.is_land_file(path):
                write = land.prepare(con, path, result, meridian=meridian, province=province)
            elif roster.is_roster_file(path):
                write = roster.prepare(con, path, result, province=province)
            elif kind := voice.kind_of(path):
                write = voice.prepare(con, path, result, kind, province=province)
            elif catalogue.is_catalogue_file(path):
                write = catalogue.prepare(con, path, result)
            else:
                write = _prepare_dossiers(con, path, result, province, step)
        except (ReadError, limits.LimitError) as error:
            result.status, result.message = "failed", _plain(str(error), path)
            return _finish_outside(con, result, step)
        except Exception as error:  # noqa: BLE001 - a file must never crash the importer
            log.exception("ingest: %s could not be read", path.name)
            result.status = "failed"
            result.message = _plain(
                f"{t('ingest.unreadable', 'vi')} ({type(error).__name__}: {error})", path
            )
            return _finish_outside(con, result, step)
        step("write", 0.8)

        def commit() -> None:
            # On a DuckLake store the import is one snapshot labelled with its run id; a commit
            # refused for another process's write runs again whole (store.retrying): which ids
            # the store holds is read inside it, so the updates land once.
            with load.transaction(con, label=result.run_id):
                # Rollups already out of step (rows written some other way) are rebuilt whole;
                # otherwise only those of the communes the file touched.
                in_step = rollups.in_step(con)
                write(con)
                load.bump_version(con, real=not demo)
                load.refresh_rollups(con, result.touched_communes if in_step else None)
                result.finished_at = config.now()
                load.record_run(con, result)

        try:
            store.retrying(commit)
        except Exception as error:  # any write failure: the store is as before; say why
            result.status = "failed"
            result.message = _plain(f"{type(error).__name__}: {error}", path)
            result.rows_inserted = result.rows_updated = 0
            return _finish_outside(con, result, step)
    step("done", 1.0)
    return result


def _plain(message: str, path: Path) -> str:
    """A failure's message for a person: one line, no server paths, not endless."""
    text = " ".join(message.split())
    for place in (str(path.resolve().parent), str(path.parent)):
        if place not in ("", "."):
            text = text.replace(place + "/", "").replace(place, "")
    return text[:300] + ("…" if len(text) > 300 else "")


def _finish_outside(con: duckdb.DuckDBPyConnection, result: RunResult, step: Progress) -> RunResult:
    """Record a run that changed no data (duplicate or failed) in its own transaction."""
    result.finished_at = config.now()

    def commit() -> None:
        with load.transaction(con, label=result.run_id):
            load.record_run(con, result)

    store.retrying(commit)
    step("done", 1.0)
    return result


def _prepare_dossiers(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    result: RunResult,
    province: str | None,
    step: Progress,
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    table = readers.read(path)
    result.rows_read = table.frame.height
    step("normalise", 0.3)
    index = normalize.CommuneIndex.from_store(con, province)
    taught = mappings.Taught.from_store(con)  # mappings an administrator taught (issue 14)
    mapped = taught.apply(table)
    frame = normalize.normalize(mapped, index)
    step("check", 0.6)
    checked = taught.check(table, mapped, frame, config.now())
    steps = normalize.normalize_steps(table.steps)
    result.rows_quarantined = checked.quarantine.height
    result.rows_merged = checked.merged
    result.message = "; ".join(table.notes)

    def write(con: duckdb.DuckDBPyConnection) -> None:
        load.write_dossiers(con, result, checked.rows, steps)
        load.write_quarantine(con, result, checked.quarantine)

    return write


def expand(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files to import: the files given, and the importable files directly inside folders given."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        else:
            yield path


def ingest_paths(
    con: duckdb.DuckDBPyConnection, paths: Iterable[Path | str], **options
) -> list[RunResult]:
    """ingest_file for every file of `paths` (folders expanded), in order."""
    return [ingest_file(con, p, **options) for p in expand(paths)]
