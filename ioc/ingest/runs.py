"""What the Nhập dữ liệu page shows: the import runs, a run's quarantine (and as an Excel file),
and imports of uploaded files."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ioc.ingest import ingest_file, quarantine
from ioc.ingest.load import RunResult
from ioc.scope import ADMIN, CITY_LEADER, Scope, ScopeError
from ioc.store import run_query


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pl.DataFrame:
    """The latest import runs, newest first."""
    return run_query(con, "ingest_runs_list", limit=limit)


def run_quarantine(
    con: duckdb.DuckDBPyConnection, run_id: str, scope: Scope, lang: str = "vi"
) -> pl.DataFrame:
    """A run's rejected rows: row number, reason in the language, raw values (personal data
    masked). Rejected rows carry no trusted commune to scope them by, so only city-wide roles
    (admin, city leader) see them."""
    if scope.role not in (ADMIN, CITY_LEADER):
        raise ScopeError("quarantine rows: city-wide roles only")
    frame = run_query(con, "ingest_run_quarantine", run_id=run_id)
    reason = "reason_en" if lang == "en" else "reason_vi"
    return frame.select("row_number", "reason_code", pl.col(reason).alias("reason"), "raw_values")


def quarantine_excel(frame: pl.DataFrame, headers: dict[str, str]) -> bytes:
    """The quarantine rows as an .xlsx file, columns titled in the page's language."""
    buffer = io.BytesIO()
    frame.rename(headers).write_excel(buffer, worksheet="quarantine", autofit=True)
    return buffer.getvalue()


def import_uploads(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[str, bytes]],
    progress: Callable[[int, str, float], None] | None = None,
    meridian: float | None = None,
    username: str | None = None,
) -> list[RunResult]:
    """Import uploaded files (name, content) one by one; progress(file_index, stage, fraction);
    `username`: the signed-in admin, for the audit record of each run."""
    results = []
    with tempfile.TemporaryDirectory(prefix="ioc-upload-") as folder:
        for index, (name, content) in enumerate(files):
            path = Path(folder) / Path(name).name
            path.write_bytes(content)

            def step(stage: str, fraction: float, i: int = index) -> None:
                if progress:
                    progress(i, stage, fraction)

            results.append(
                ingest_file(
                    con,
                    path,
                    source_name=path.name,
                    meridian=meridian,
                    progress=step,
                    username=username,
                )
            )
    return results


def hands_over() -> bool:
    """On the DuckLake store an app replica does not import: `ioc worker` does (ioc/worker.py)."""
    from ioc import startup

    return startup.is_replica()


def hand_uploads(
    files: list[tuple[str, bytes]], meridian: float | None = None, username: str | None = None
) -> list[str]:
    """Hand uploaded files (name, content) to the worker through its inbox, with who uploaded
    them; returns the names handed over. Nothing is written to the store here."""
    from ioc.ingest import inbox

    with tempfile.TemporaryDirectory(prefix="ioc-upload-") as folder:
        paths = []
        for name, content in files:
            path = Path(folder) / Path(name).name
            path.write_bytes(content)
            paths.append(path)
        inbox.hand_over(paths, username=username, meridian=meridian)
    return [path.name for path in paths]


def preview_uploads(
    con: duckdb.DuckDBPyConnection, files: list[tuple[str, bytes]]
) -> list[quarantine.Preview]:
    """The dry run of importing uploaded files (name, content): nothing is written."""
    with tempfile.TemporaryDirectory(prefix="ioc-preview-") as folder:
        previews = []
        for name, content in files:
            path = Path(folder) / Path(name).name
            path.write_bytes(content)
            previews.append(quarantine.preview(con, path, source_name=path.name))
    return previews
