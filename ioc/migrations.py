"""Schema versions: a store built by any earlier release opens with this one, and a store built by
a later release is refused rather than misread.

    base tables      ioc/schema.sql (as a new store gets them) + ioc/migrations/NNNN_*.sql
    derived tables   ioc/rollups.sql + queries/rollup_*.sql (rebuilt, never migrated)

The store records meta schema_version. A store without it was built before versions were recorded
(release 0.1.0): version 0. Opening a store of an older version copies its file into the backup
folder first, then, in one transaction, runs every step newer than the store (each step is written
for stores that lack what it adds: `alter table if exists t add column if not exists ...`),
creates the tables it lacks from schema.sql and records the new version.

Changing a base table is therefore two edits: the table in schema.sql (for new stores) and a new
step file numbered SCHEMA_VERSION + 1 (for old ones); SCHEMA_VERSION follows the files. Changing a
derived table or its refresh query needs nothing more: the fingerprint of their definitions is
stored as meta rollup_definition, and a store whose fingerprint differs has them dropped and
rebuilt from the base tables on open.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb

from ioc import config, store

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
DERIVED_FILE = Path(__file__).with_name("rollups.sql")
STEPS_DIR = Path(__file__).with_name("migrations")
_STEP_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")
_TABLE = re.compile(r"create table if not exists (\w+)", re.IGNORECASE)


class StoreVersionError(RuntimeError):
    """The store was written by a newer release than this one (or cannot be upgraded read-only)."""


@cache
def steps() -> tuple[tuple[int, str], ...]:
    """(number, SQL) of every migration step, in order; numbers run 1, 2, 3 ... without a gap."""
    found = sorted(
        (int(m.group(1)), path.read_text(encoding="utf-8"))
        for path in STEPS_DIR.glob("*.sql")
        if (m := _STEP_NAME.fullmatch(path.name))
    )
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"{STEPS_DIR}: steps must be numbered 1..N without a gap: {numbers}")
    return tuple(found)


def schema_version() -> int:
    """The version this release writes: the number of its last step."""
    return len(steps())


@cache
def derived_fingerprint() -> str:
    """What the derived tables are built from: their DDL and their refresh queries."""
    digest = hashlib.sha256(DERIVED_FILE.read_bytes())
    for path in sorted(config.QUERIES_DIR.glob("rollup_*.sql")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def derived_tables() -> list[str]:
    return _TABLE.findall(DERIVED_FILE.read_text(encoding="utf-8"))


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The store's schema version; None for a new (empty) store, 0 for one built before versions
    (any table, and no version recorded)."""
    tables = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_catalog = current_database()"
        ).fetchall()
    }
    if not tables:
        return None
    if "meta" not in tables:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _name(path: Path | str) -> str:
    """A store file's name, or the words naming a lake (IOC_STORE=ducklake)."""
    return path.name if isinstance(path, Path) else str(path)


def _too_new(found: int, path: Path | str) -> StoreVersionError:
    return StoreVersionError(
        f"{_name(path)} was written by a newer release (store version {found}, this release "
        f"reads up to {schema_version()}): install that release, or restore a backup of this one"
    )


def check_readable(con: duckdb.DuckDBPyConnection, path: Path | str) -> None:
    """For a read-only connection: the store must be of this release's version (none is migrated)."""
    found = stored_version(con)
    if found is not None and found > schema_version():
        raise _too_new(found, path)
    if found is not None and found < schema_version():
        raise StoreVersionError(
            f"{_name(path)} was written by an earlier release (store version {found}): run "
            "`ioc init` once to upgrade it"
        )


def upgrade(
    con: duckdb.DuckDBPyConnection, path: Path | str
) -> tuple[duckdb.DuckDBPyConnection, dict]:
    """Bring a store opened for writing to this release's schema. Returns the connection to use
    (a new one when the file was copied first) and what was done: from/to version, the backup
    copy, and whether the derived tables were rebuilt.

    `path` a str: a DuckLake (ioc/lake.py), whose tables are made without the keys DuckLake lacks
    (lake.lake_ddl); it is not copied before an upgrade: its earlier snapshots keep it as it was."""
    lake = not isinstance(path, Path)
    found = stored_version(con)
    target = schema_version()
    if found is not None and found > target:
        con.close()
        raise _too_new(found, path)
    done: dict = {"from": found, "to": target, "backup": None, "derived_rebuilt": False}
    if found is not None and found < target and not lake:
        con.close()
        done["backup"] = _copy_before_upgrade(path, found)
        con = duckdb.connect(str(path))
    elif found == target and _derived_current(con) and not _missing_base_tables(con):
        return con, done  # the common case: nothing to do, nothing written
    with store.transaction(con):
        for number, sql in steps():
            if found is not None and number > found:
                con.execute(sql)
        con.execute(_ddl(SCHEMA_FILE, lake))
        done["derived_rebuilt"] = _rebuild_derived_if_changed(con, lake)
        store.set_meta(con, "schema_version", str(target))
    return con, done


def _missing_base_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """A table of schema.sql the store lacks although its version is current (a store made while
    this version's tables were still being added): the upgrade creates it."""
    have = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_catalog = current_database()"
        ).fetchall()
    }
    return not set(_TABLE.findall(SCHEMA_FILE.read_text(encoding="utf-8"))) <= have


def _derived_current(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("select value from meta where key = 'rollup_definition'").fetchone()
    return bool(row) and row[0] == derived_fingerprint()


def _ddl(file: Path, lake: bool) -> str:
    text = file.read_text(encoding="utf-8")
    if lake:
        from ioc.lake import lake_ddl

        return lake_ddl(text)
    return text


def _rebuild_derived_if_changed(con: duckdb.DuckDBPyConnection, lake: bool = False) -> bool:
    """Drop and recreate the derived tables when their definitions changed (empty: the next
    rollups.ensure fills them, since their recorded state is cleared with them)."""
    if _derived_current(con):
        return False
    for table in derived_tables():
        con.execute(f"drop table if exists {table}")  # names from ioc/rollups.sql, not from input
    con.execute(_ddl(DERIVED_FILE, lake))
    con.execute("delete from meta where key in ('rollup_state', 'calendar_holidays')")
    store.set_meta(con, "rollup_definition", derived_fingerprint())
    return True


def _copy_before_upgrade(path: Path, found: int) -> Path:
    """A copy of the closed store file (and its WAL) beside the other backups."""
    from ioc.backup import backup_dir

    folder = backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(config.TZ).strftime("%Y%m%d-%H%M%S")
    copy = folder / f"{path.stem}-v{found}-before-upgrade-{stamp}{path.suffix}"
    n = 1
    while copy.exists():  # two upgrades in one second (a failed one, then the retry)
        copy = folder / f"{path.stem}-v{found}-before-upgrade-{stamp}-{n}{path.suffix}"
        n += 1
    shutil.copy2(path, copy)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    return copy
