"""A replica's copy of the lake at one snapshot (issue 17, docs/ducklake.md "The replica's mirror").

Every table a DuckLake query names costs a round of catalog statements in PostgreSQL (about 8)
before a row is read: the small pages, which read a few rows of many tables, took 2.3-4.2x the
file's time at 10M dossiers. An app replica therefore keeps, in its own memory, a copy of the
tables that only change with the data (`COPIED`: reference rows and rollups) as they stood at one
snapshot, with the big dossier tables read from the lake at that same snapshot (`PINNED_VIEWS`)
and the tables people write as they go (`LIVE`: sessions, audit, actions, quarantine ...) read from
the lake as they are now. The page figures cached under a data version (ui.fetch) are computed on
the mirror of that very version, so a figure never mixes two imports.

A thread of the replica looks once a second at what the lake's snapshots since the mirror's
changed; when a copied or pinned table changed (an import, a target, a roster) it builds a new
mirror beside the old one and swaps it in. Meanwhile the replica's views stay at the mirror's data
version (for CATCH_UP_SECONDS at most, and not after a write of their own: version_to_serve), so a
new import's figures are computed on the new mirror, not on the lake. IOC_LAKE_MIRROR=0 turns it
off.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass

import duckdb

from ioc import config, lake, store

log = logging.getLogger(__name__)

# Read from the lake at the mirror's snapshot: too big to copy into each replica's memory.
PINNED_VIEWS = frozenset({"dossiers", "dossier_steps", "dossier_ratings", "feedback", "parcels"})
# Copied into the replica's memory at the mirror's snapshot: written only by imports, the rollups'
# refresh and the writes that move the data version (targets, secondments, the demo).
COPIED = frozenset(
    {
        "communes",
        "old_units",
        "procedures",
        "workday_calendar",
        "targets",
        "staff_roster",
        "secondments",
        "rollup_hourly",
        "rollup_open",
        "rollup_open_commune",
        "rollup_received",
        "rollup_resolved",
        "rollup_unfinished",
    }
)
# Read from the lake as it is now: what people write as they use the app, and the store's meta
# (the data version itself, the worker's heartbeat).
LIVE = frozenset(
    {
        "meta",
        "ingest_runs",
        "quarantine",
        "users",
        "user_sessions",
        "audit_log",
        "wall_screens",
        "value_mappings",
        "value_mapping_history",
        "meetings",
        "meeting_actions",
        "meeting_action_history",
        "simplified_cells",
    }
)
PINNED_CATALOG = "pinned"  # the lake attached a second time, at the mirror's snapshot
CHECK_SECONDS = 1.0  # how often the thread looks for changes
# How long a replica's views stay at its mirror's data version after a newer import landed (while
# the mirror is rebuilt: seconds) before they read the lake itself: version_to_serve.
CATCH_UP_SECONDS = 15.0
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
# A snapshot's changes (ducklake_snapshot_changes.changes_made) that leave every row as it was, as
# seen after a CHECKPOINT; any other kind naming a mirrored table builds a new mirror, to be safe.
_NO_DATA_CHANGE = ("inline_flush", "rewrite_delete")


def enabled() -> bool:
    """On for an app replica of the lake, unless IOC_LAKE_MIRROR=0."""
    from ioc import startup

    off = os.environ.get("IOC_LAKE_MIRROR", "1").strip().lower() in ("0", "false", "no", "off")
    return not off and startup.is_replica()


@dataclass(frozen=True)
class Mirror:
    """The lake at `snapshot` in a DuckDB of the replica's own (`con`: take cursors of it with
    store.cursor; its default catalog holds a table or view by every store table's name), and the
    store's data version at that snapshot."""

    con: duckdb.DuckDBPyConnection
    snapshot: int
    data_version: str
    table_ids: frozenset[str]  # the lake's ids of the copied and pinned tables
    seconds: float  # how long it took to build
    rows: int  # rows copied


def _identifier(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


def catalog_connection() -> duckdb.DuckDBPyConnection:
    """A read-only connection to the lake whose default schema is the lake's catalog tables in
    PostgreSQL (ducklake_table, ducklake_snapshot_changes ...): store.execute runs the lake_*
    catalog queries on it."""
    con = lake.connect(read_only=True)
    metadata = f"__ducklake_metadata_{lake.CATALOG}.{_identifier(config.lake_schema())}"
    con.execute(f"use {metadata}")
    return con


def build(catalog: duckdb.DuckDBPyConnection) -> Mirror:
    """A new mirror of the lake of the settings at its newest snapshot (`catalog`: a
    catalog_connection)."""
    started = time.perf_counter()
    lake_tables = {
        name: str(table_id)
        for name, table_id in store.execute(catalog, "lake_catalog_tables").iter_rows()
    }
    # the newest snapshot, read on the catalog connection (it names `lake` too), then pinned
    snapshot = int(store.execute(catalog, "lake_current_snapshot")["snapshot_id"][0])
    con = lake.connect(read_only=True)
    try:
        lake.attach_pinned(con, PINNED_CATALOG, snapshot)
        con.execute("use memory")
        rows = 0
        # the names are the lake's own tables, checked by _identifier
        for name in sorted(lake_tables):
            table = _identifier(name)
            pinned = f"select * from {PINNED_CATALOG}.main.{table}"  # noqa: S608
            if name in COPIED:
                con.execute(f"create table memory.main.{table} as {pinned}")
                rows += con.execute(f"select count(*) from memory.main.{table}").fetchone()[0]  # noqa: S608
            elif name in PINNED_VIEWS:
                con.execute(f"create view memory.main.{table} as {pinned}")
            else:  # LIVE, and a table this release does not know: read now, as without a mirror
                source = f"{lake.CATALOG}.main.{table}"
                con.execute(f"create view memory.main.{table} as select * from {source}")  # noqa: S608
        version = con.execute(
            f"select value from {PINNED_CATALOG}.main.meta where key = 'data_version'"  # noqa: S608
        ).fetchone()
    except BaseException:
        con.close()
        raise
    # no longer a lake connection for store.cursor / run_query: its default catalog is memory
    lake.forget(con)
    return Mirror(
        con=con,
        snapshot=snapshot,
        data_version=(version[0] if version else None) or "0",
        table_ids=frozenset(lake_tables[n] for n in lake_tables if n in COPIED | PINNED_VIEWS),
        seconds=time.perf_counter() - started,
        rows=rows,
    )


def is_stale(catalog: duckdb.DuckDBPyConnection, mirror: Mirror) -> bool:
    """Whether a snapshot after the mirror's changed the rows of a copied or pinned table, or any
    table's definition (`catalog`: a catalog_connection)."""
    changes = store.execute(catalog, "lake_catalog_changes_since", since=mirror.snapshot)
    for (made,) in changes.iter_rows():
        for change in (made or "").split(","):
            kind, _, table = change.partition(":")
            if kind.startswith(_NO_DATA_CHANGE):
                continue
            if table in mirror.table_ids or not table.isdigit():  # created, altered, dropped
                return True
    return False


class Refresher:
    """The process's mirror and the thread that keeps it up to date."""

    def __init__(self) -> None:
        self.current: Mirror | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        # version_to_serve's last answer, since when the lake was seen ahead of it (or None), and
        # store.VERSION_WRITES then
        self._served: tuple[str | None, float | None, int] = (None, None, 0)

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="ioc-lake-mirror", daemon=True
                )
                self._thread.start()

    def serving(self, data_version: str) -> duckdb.DuckDBPyConnection | None:
        """The mirror's connection when it holds `data_version` (the store's meta value), else
        None: the caller reads the lake itself."""
        self.start()
        mirror = self.current
        return mirror.con if mirror is not None and mirror.data_version == data_version else None

    def version_to_serve(self, live: str, writes: int) -> str:
        """The data version this process's views read when the lake's is `live`: the mirror's,
        while the views were at it and a newer import has been in the lake for less than
        CATCH_UP_SECONDS (the mirror is being rebuilt), so that the new import's figures are
        computed on the new mirror a few seconds later instead of on the lake meanwhile; else
        `live`. Never older than an answer before: once at `live`, the views stay there until
        the mirror holds it. A write this process sent (`writes`, store.VERSION_WRITES, moved)
        goes to `live` at once: its sender sees it."""
        mirror = self.current
        with self._lock:
            served, behind_since, seen_writes = self._served
            if mirror is not None and mirror.data_version != live:
                now = time.monotonic()
                if served == mirror.data_version and writes == seen_writes:
                    since = now if behind_since is None else behind_since
                    if now - since < CATCH_UP_SECONDS:
                        self._served = (served, since, writes)
                        return served
            self._served = (live, None, writes)
            return live

    def refresh(self, catalog: duckdb.DuckDBPyConnection) -> bool:
        """Build a new mirror if there is none or it is stale (`catalog`: a catalog_connection);
        True when one was built."""
        mirror = self.current
        if mirror is not None and not is_stale(catalog, mirror):
            return False
        self.current = build(catalog)  # the old one closes when its last cursor goes
        log.info(
            "lake mirror at snapshot %s (data version %s): %s rows copied in %.1f s",
            self.current.snapshot,
            self.current.data_version,
            self.current.rows,
            self.current.seconds,
        )
        return True

    def _run(self) -> None:
        con: duckdb.DuckDBPyConnection | None = None
        while True:
            try:
                if con is None:
                    con = catalog_connection()
                self.refresh(con)
            except Exception as error:  # the lake unreachable for a while: pages read it direct
                log.warning("lake mirror not refreshed: %s", " ".join(str(error).split())[:300])
                if con is not None:
                    con.close()
                con = None
            if self._stop.wait(CHECK_SECONDS):
                if con is not None:
                    con.close()
                return

    def stop(self) -> None:
        """End the thread (tests; a process simply exits)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


_REFRESHERS: dict[tuple[str, str, str], Refresher] = {}
_REFRESHERS_LOCK = threading.Lock()


def refresher() -> Refresher:
    """The refresher of the lake the settings name (one per lake in the process)."""
    key = (config.lake_catalog(), config.lake_schema(), str(config.lake_data_path()))
    with _REFRESHERS_LOCK:
        return _REFRESHERS.setdefault(key, Refresher())


def stop_all() -> None:
    """Stop every refresher of the process and forget their mirrors (tests)."""
    with _REFRESHERS_LOCK:
        stopping = list(_REFRESHERS.values())
        _REFRESHERS.clear()
    for each in stopping:
        each.stop()


def version_to_serve(live: str, writes: int) -> str:
    """Refresher.version_to_serve when the mirror is on, else `live`."""
    return refresher().version_to_serve(live, writes) if enabled() else live


def serving(data_version: str) -> duckdb.DuckDBPyConnection | None:
    """The mirror to compute a figure of `data_version` on, when there is one (and the mirror is
    on); starts the refresher on first call."""
    return refresher().serving(data_version) if enabled() else None
