"""Importing real exports (issue 3): dossier exports (Excel, CSV, Parquet, the portal's sync JSON)
and land files, each in one transaction, with rejected rows kept in quarantine.

    readers -> normalize -> validate -> load    (dossiers)
    land                                       (parcels and commune boundaries)

`ingest_file` is the one entry used by the CLI, the admin page and the inbox watcher.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb

from ioc import config, rollups, store
from ioc.i18n import t
from ioc.ingest import land, limits, load, normalize, readers, validate
from ioc.ingest.load import RunResult
from ioc.ingest.readers import ReadError

Progress = Callable[[str, float], None]
SUFFIXES = (*readers.DOSSIER_SUFFIXES, *land.LAND_SUFFIXES)

__all__ = ["ReadError", "RunResult", "ingest_file", "ingest_paths"]
log = logging.getLogger(__name__)


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
) -> RunResult:
    """Import one file; always returns the run (status 'ok', 'duplicate_file' or 'failed').

    `province` limits commune *names* to one province (codes match anywhere); `meridian` is the
    VN-2000 central meridian of a land file in degrees (e.g. 105.0 for Hanoi); `username` is who
    imports, for the audit record every run writes (None: the inbox watcher).
    """
    path = Path(path)
    step = progress or _quiet
    started = config.now()
    result = RunResult(
        run_id=load.new_run_id(started),
        source_file=source_name or path.name,
        sha256="",
        status="ok",
        started_at=started,
        username=username,
    )
    try:
        result.sha256 = load.file_sha256(path)
    except OSError as error:
        return _failed(con, result, path, error, step)
    with store.WRITE_LOCK:
        if load.seen_before(con, result.sha256):
            result.status, result.message = "duplicate_file", t("ingest.duplicate_file", "vi")
            return _finish_outside(con, result, step)
        # Any error from here to the write is the file's: a failed run saying why, never a
        # traceback (issue 20).
        try:
            step("read", 0.1)
            limits.check(path)
            if land.is_land_file(path):
                write = land.prepare(con, path, result, meridian=meridian, province=province)
            else:
                write = _prepare_dossiers(con, path, result, province, step)
        except Exception as error:
            return _failed(con, result, path, error, step)
        step("write", 0.8)
        try:
            with load.transaction(con):
                # Rollups already out of step (rows written some other way) are rebuilt whole;
                # otherwise only those of the communes the file touched.
                in_step = rollups.in_step(con)
                write(con)
                load.bump_version(con)
                load.refresh_rollups(con, result.touched_communes if in_step else None)
                result.finished_at = config.now()
                load.record_run(con, result)
        except Exception as error:  # any write failure: the store is as before; say why
            result.rows_inserted = result.rows_updated = 0
            return _failed(con, result, path, error, step)
    step("done", 1.0)
    return result


# Absolute paths in a library's message (a server's folders are nobody's business).
_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:[\\/][^\\/\s'\"():,]+){2,}[\\/]?")


def failure_message(error: BaseException, path: Path | None = None) -> str:
    """One readable line for a file's failure: the limit or reader message as it is, anything
    else prefixed with its kind; no server path (the file's own name at most)."""
    if isinstance(error, ReadError | limits.LimitError):
        text = str(error)
    elif isinstance(error, MemoryError):
        text = "the file needs more memory than the server has"
    elif isinstance(error, RecursionError):
        text = "the file is nested too deeply to read"
    else:
        text = f"the file could not be read ({type(error).__name__}: {error})"
    if path is not None:
        text = text.replace(str(path), path.name).replace(str(path.parent), "")
    text = _PATH.sub(lambda m: re.split(r"[\\/]", m.group(0).rstrip("/\\"))[-1], text)
    text = " ".join(text.split())
    return text[:497] + "..." if len(text) > 500 else text


def _failed(
    con: duckdb.DuckDBPyConnection, result: RunResult, path: Path, error: Exception, step: Progress
) -> RunResult:
    log.info("import of %s failed", path.name, exc_info=error)
    result.status, result.message = "failed", failure_message(error, path)
    return _finish_outside(con, result, step)


def _finish_outside(con: duckdb.DuckDBPyConnection, result: RunResult, step: Progress) -> RunResult:
    """Record a run that changed no data (duplicate or failed) in its own transaction; when even
    that fails (a full disk), the run is returned unrecorded with the reason added."""
    result.finished_at = config.now()
    try:
        with load.transaction(con):
            load.record_run(con, result)
    except Exception as error:
        log.warning("run of %s not recorded", result.source_file, exc_info=error)
        result.message = "; ".join(
            filter(None, [result.message, f"not recorded: {failure_message(error)}"])
        )
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
    if table.frame.is_empty():
        raise ReadError("no data rows below the header row")
    result.rows_read = table.frame.height
    step("normalise", 0.3)
    index = normalize.CommuneIndex.from_store(con, province)
    frame = normalize.normalize(table, index)
    step("check", 0.6)
    checked = validate.check(table, frame, config.now())
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
