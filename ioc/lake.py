"""The DuckLake backend (issue 17, docs/ducklake.md): the store's tables in a DuckLake whose
catalog lives in PostgreSQL and whose rows are Parquet files in a shared folder, so several app
processes can read while one writer imports.

A lake connection is an in-memory DuckDB with the lake attached as `lake` and made the default
catalog: every query of queries/ runs on it unchanged. DuckDB's `USE` holds for one connection
only, so a cursor is made through store.cursor, which repeats it.

The ducklake and postgres extensions come from their PyPI packages' own files (never from the
network): automatic install and load of known extensions are off, else ATTACH tries to download.
"""

from __future__ import annotations

import fcntl
import os
import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ioc import config

CATALOG = "lake"  # the name the lake is attached as
AUTHOR = "ioc"  # author of the snapshots the app commits
_EXTENSIONS = (
    # (PyPI module, extension file, name to LOAD it by)
    ("duckdb_extension_ducklake", "ducklake", "ducklake"),
    ("duckdb_extension_postgres", "postgres", "postgres_scanner"),
)


# The connections attached to a lake, and their cursors made by store.cursor: a cursor of one is
# pointed at the lake too. Decided by the connection, not by IOC_STORE, so that a thread holding a
# file connection keeps working whatever the environment says later (the tests switch it).
_LAKE_CONNECTIONS: weakref.WeakSet = weakref.WeakSet()
# Those attached READ_ONLY (an app replica, a moment of the past): their writes go to the worker
# (ioc/writes.py).
_READ_ONLY: weakref.WeakSet = weakref.WeakSet()


# A cursor of a lake connection -> the connection `lake.connect` made (its root).
_ROOTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember(
    con: duckdb.DuckDBPyConnection,
    read_only: bool = False,
    of: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyConnection:
    """Mark `con` as attached to a lake (READ_ONLY or not); `of`: the connection it is a cursor
    of."""
    _LAKE_CONNECTIONS.add(con)
    if read_only:
        _READ_ONLY.add(con)
    if of is not None:
        _ROOTS[con] = root(of)
    return con


def forget(con: duckdb.DuckDBPyConnection) -> None:
    """`con` is no longer to be treated as a lake connection (a replica's mirror, ioc/mirror.py:
    its default catalog is its own memory)."""
    _LAKE_CONNECTIONS.discard(con)
    _READ_ONLY.discard(con)


def root(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The connection `lake.connect` made that `con` is (a cursor of)."""
    return _ROOTS.get(con, con)


def owns(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` (or the connection it is a cursor of) is attached to a lake."""
    return con in _LAKE_CONNECTIONS


def is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` (or the connection it is a cursor of) is attached to a lake READ_ONLY."""
    return con in _READ_ONLY


def lock_path() -> Path:
    """The file every process writing the lake locks (IOC_LAKE_LOCK; default .lake.lock in the
    inbox, which the worker and every replica share)."""
    return Path(os.environ.get("IOC_LAKE_LOCK") or config.inbox_path() / ".lake.lock")


@contextmanager
def write_guard(exclusive: bool = False) -> Iterator[None]:
    """Writers of the lake hold this lock shared, `CHECKPOINT` holds it alone.

    Measured here with DuckLake 1.5.5: a CHECKPOINT run while another process updates a table
    and a third inserts into it can leave the updated rows twice (the old version comes back
    beside the new one), although each of the checkpoint's steps run alone did not. So no
    checkpoint runs while a write is under way anywhere, and no write starts during one (a file
    lock, fcntl: local folders and NFSv4)."""
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class LakeError(RuntimeError):
    """The lake cannot be reached or opened; the message says what to check."""


def extension_file(module_name: str, name: str) -> Path:
    """The extension file a duckdb-extension-* package ships for this DuckDB version."""
    import importlib

    module = importlib.import_module(module_name)
    folder = Path(module.__file__).parent / "extensions"
    found = sorted(folder.glob(f"v{duckdb.__version__}/{name}.duckdb_extension"))
    if not found:
        raise LakeError(
            f"no {name} extension for DuckDB {duckdb.__version__} under {folder}: "
            f"pip install duckdb-extension-{name}=={duckdb.__version__}"
        )
    return found[0]


def _literal(text: str) -> str:
    """A SQL string literal. ATTACH takes no prepared parameters; what is quoted here comes from
    the settings (IOC_LAKE_*), never from a page."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        raise LakeError(f"IOC_LAKE_SCHEMA={text!r}: letters, digits and _ only")
    return text


def new_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the ducklake and postgres extensions loaded from package files."""
    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    for module_name, name, load_as in _EXTENSIONS:
        try:
            con.execute(f"load {load_as}")  # a fixed name from _EXTENSIONS
        except duckdb.Error:
            con.execute(f"install {_literal(extension_file(module_name, name).as_posix())}")
            con.execute(f"load {load_as}")
    return con


def connect(
    read_only: bool = False,
    version: int | None = None,
    at: datetime | None = None,
    data_path: Path | str | None = None,
    schema: str | None = None,
    catalog: str | None = None,
    override_data_path: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Attach the lake of the settings (or of the arguments) as the default catalog.

    `version` / `at` (a Vietnam local time, naive) open the lake as it stood at that snapshot or
    moment: read-only, every query of queries/ then answers for the past (time travel).
    """
    data = Path(data_path or config.lake_data_path())
    read_only = read_only or version is not None or at is not None
    if not read_only:
        data.mkdir(parents=True, exist_ok=True)
    con = new_connection()
    try:
        _attach(con, CATALOG, data, schema, catalog, override_data_path, version, at, read_only)
    except LakeError:
        con.close()
        raise
    con.execute(f"use {CATALOG}")
    return remember(con, read_only)


def attach_pinned(con: duckdb.DuckDBPyConnection, alias: str, version: int) -> None:
    """Attach the lake of the settings to `con` a second time, as `alias`, read-only and pinned
    at snapshot `version` (a replica's mirror, ioc/mirror.py: a pinned attach looks its snapshot
    up once, where `AT (VERSION => n)` looks it up at every query)."""
    data = Path(config.lake_data_path())
    _attach(con, _identifier(alias), data, None, None, False, version, None, True)


def _attach(
    con: duckdb.DuckDBPyConnection,
    alias: str,
    data: Path,
    schema: str | None,
    catalog: str | None,
    override_data_path: bool,
    version: int | None,
    at: datetime | None,
    read_only: bool,
) -> None:
    options = [
        f"data_path {_literal(data.as_posix().rstrip('/') + '/')}",
        f"metadata_schema {_literal(_identifier(schema or config.lake_schema()))}",
    ]
    if override_data_path:
        options.append("override_data_path true")
    if version is not None:
        options.append(f"snapshot_version {int(version)}")
    if at is not None:
        moment = at.replace(tzinfo=config.TZ) if at.tzinfo is None else at
        options.append(f"snapshot_time {_literal(moment.isoformat())}")
    if read_only:
        options.append("read_only")
    target = "ducklake:postgres:" + (catalog or config.lake_catalog())
    try:
        con.execute(f"attach {_literal(target)} as {alias} ({', '.join(options)})")
    except duckdb.Error as error:
        raise LakeError(_attach_failure(error)) from error


def _attach_failure(error: duckdb.Error) -> str:
    text = " ".join(str(error).split())
    if "connect" in text.lower() or "connection" in text.lower():
        return (
            "the lake's PostgreSQL catalog cannot be reached: check IOC_LAKE_CATALOG and that "
            f"PostgreSQL runs ({text[:200]})"
        )
    if "snapshot" in text.lower():
        return f"no snapshot of the lake at that moment ({text[:200]})"
    return f"the lake cannot be opened: {text[:300]}"


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select current_database()").fetchone()[0] == CATALOG


_PRIMARY_KEY_COLUMN = re.compile(r"\s+primary key\b", re.IGNORECASE)
_PRIMARY_KEY_CLAUSE = re.compile(r",\s*primary key\s*\([^)]*\)", re.IGNORECASE)
_UNIQUE = re.compile(r"\s+unique\b", re.IGNORECASE)


def lake_ddl(sql: str) -> str:
    """A table definition of ioc/schema.sql or ioc/rollups.sql as DuckLake takes it: DuckLake
    has no indexes, PRIMARY KEY or UNIQUE. NOT NULL and DEFAULT stay. The keys they held are kept
    by the writers instead: every upsert of queries/ is a MERGE on the key columns, and the
    import keeps ids unique itself (ioc/ingest/load.py)."""
    sql = _PRIMARY_KEY_CLAUSE.sub("", sql)
    sql = _PRIMARY_KEY_COLUMN.sub("", sql)
    return _UNIQUE.sub("", sql)


# Options of every lake this release writes, set once when absent (an operator's own choice
# stays). Uncompressed Parquet: the page queries that scan the dossiers read about 1.5x faster
# than from Snappy, DuckLake's default (index_766_dossiers at 10M dossiers: 711 ms against
# 1,063 ms; the embedded file 406 ms), for 1.45x the disk (850 MB against 590 MB). Files written
# before keep theirs until they are rewritten (a checkpoint rewrites the small files it merges).
OPTIONS = {"parquet_compression": "uncompressed"}


def set_options(con: duckdb.DuckDBPyConnection) -> None:
    """Give the lake of writer `con` the OPTIONS it does not have yet."""
    present = {
        row[0]
        for row in con.execute("select option_name from ducklake_options(?)", [CATALOG]).fetchall()
    }
    for name, value in OPTIONS.items():
        if name not in present:
            con.execute(f"call {CATALOG}.set_option(?, ?)", [name, value])


def label(con: duckdb.DuckDBPyConnection, message: str) -> None:
    """Label the snapshot the open transaction will commit (its commit message)."""
    con.execute(f"call {CATALOG}.set_commit_message(?, ?)", [AUTHOR, message])


def local_times(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame's snapshot_time (UTC, as DuckLake stamps it) in Vietnam local time, naive."""
    return frame.with_columns(
        pl.col("snapshot_time").dt.convert_time_zone(str(config.TZ)).dt.replace_time_zone(None)
    )


def snapshots(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The lake's snapshots: id, time (Vietnam local, naive), commit message, what changed."""
    from ioc import store

    return local_times(store.run_query(con, "lake_snapshots"))


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The snapshot `con` reads: the newest, or the one it was opened at."""
    from ioc import store

    return store.run_query(con, "lake_current_snapshot")["snapshot_id"][0]


def imports_since(
    con: duckdb.DuckDBPyConnection, commune: str | None, version: int
) -> pl.DataFrame:
    """The imports that inserted or changed dossiers of `commune` (of every commune when None)
    after snapshot `version`: their snapshot, time (Vietnam local), run id, file, and dossiers
    inserted / updated."""
    from ioc import store

    until = current_version(con)
    if version >= until:  # nothing committed since
        return pl.DataFrame(schema=_IMPORTS_SINCE)
    return local_times(
        store.run_query(con, "lake_imports_since", commune=commune, since=version, until=until)
    )


_IMPORTS_SINCE = {
    "snapshot_id": pl.Int64,
    "snapshot_time": pl.Datetime("us"),
    "run_id": pl.String,
    "source_file": pl.String,
    "inserted": pl.Int64,
    "updated": pl.Int64,
}
