"""Time travel for people (issue 17, docs/ducklake.md "Time travel on the pages"): the past moments
the league table and the overview can be read at on the DuckLake store, the store as it stood at
one of them, and which imports changed figures since.

A moment is a snapshot of the lake: the snapshot of an import (the choices offered), or the last
snapshot at or before a time picked. Its figures are read from the snapshot (a read-only attach at
SNAPSHOT_VERSION, one per snapshot in the process), never computed again; a snapshot never changes.
On the file store there is no history: `available()` is False and nothing here is used.

Snapshot times are wall-clock times (DuckLake stamps each commit), so the choices and the
retention are reckoned on the wall clock even when IOC_NOW pins the app's clock (tests, demos).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import duckdb
import polars as pl

from ioc import config, lake, store
from ioc.audit import wall_clock  # real Vietnam local time: the clock snapshots are stamped with
from ioc.i18n import fmt_datetime

CHOICES = 30  # the import snapshots offered, newest first (older ones through the time picker)
MEETING_TIME = time(9, 0)  # the time the picker starts at: a Monday meeting's


@dataclass(frozen=True)
class Moment:
    """A past moment a page is read at."""

    version: int  # the snapshot read
    at: datetime  # Vietnam local, naive: the snapshot's time, or the time picked
    source_file: str | None = None  # the import whose snapshot it is, when chosen from the list


def available() -> bool:
    """Whether the store keeps history (the DuckLake store)."""
    return config.store_backend() == "ducklake"


def oldest_day() -> date:
    """The first day time travel reaches (IOC_LAKE_RETENTION_DAYS back; older snapshots expire)."""
    return (wall_clock() - timedelta(days=config.lake_retention_days())).date()


def import_moments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The snapshots of the imports that landed rows, within the retention and before the
    snapshot `con` reads, newest first (at most CHOICES): snapshot_id, snapshot_time (Vietnam
    local), run_id, source_file."""
    since = datetime.combine(oldest_day(), time()).replace(tzinfo=config.TZ)
    frame = store.run_query(
        con,
        "lake_import_snapshots",
        since=since,
        before=lake.current_version(con),
        limit=CHOICES,
    )
    return lake.local_times(frame)


def moment_of(con: duckdb.DuckDBPyConnection, version: int) -> Moment | None:
    """The import moment of snapshot `version` among import_moments (None when it is not one:
    an unknown or expired snapshot, or one from a hand-made address)."""
    hit = import_moments(con).filter(pl.col("snapshot_id") == int(version))
    if hit.height == 0:
        return None
    row = hit.row(0, named=True)
    return Moment(int(row["snapshot_id"]), row["snapshot_time"], row["source_file"])


def moment_at(con: duckdb.DuckDBPyConnection, at: datetime) -> Moment | None:
    """The store as it stood at `at` (Vietnam local): the last snapshot at or before it; None
    when there is none (before the lake began, or expired) or `at` is not in the past."""
    if at >= wall_clock() or at.date() < oldest_day():
        return None
    found = store.run_query(con, "lake_snapshot_at", at=at.replace(tzinfo=config.TZ))
    version = found["snapshot_id"][0]
    return None if version is None else Moment(int(version), at)


def last_monday(today: date) -> date:
    """The Monday of `today`'s week (today when it is Monday): the meeting the picker starts at."""
    return today - timedelta(days=today.weekday())


def choice_label(row: dict) -> str:
    """An import moment as offered: its time (HH:MM dd/mm/yyyy) and the file imported."""
    return f"{fmt_datetime(row['snapshot_time'])} · {row['source_file'] or row['run_id']}"


def clock(moment: Moment | None) -> datetime:
    """The 'now' a page's periods are reckoned from: the moment's time when reading the past (so
    "7 days" means the 7 days up to it), never later than the app's clock (config.now(), which
    IOC_NOW may pin before the wall clock the snapshots are stamped with)."""
    now = config.now()
    return now if moment is None else min(now, moment.at)


# --- the store as it stood: one read-only attach per snapshot in the process -----------------

_PAST: OrderedDict[tuple, duckdb.DuckDBPyConnection] = OrderedDict()
_PAST_LOCK = threading.Lock()
PAST_CONNECTIONS = 8  # kept open; the least recently used one is let go beyond


def identity() -> str:
    """Which lake the settings name (catalog and schema): part of every cache key of the past, so
    the same snapshot number of two lakes never shares figures."""
    return f"{config.lake_catalog()}|{config.lake_schema()}"


def connection(version: int) -> duckdb.DuckDBPyConnection:
    """The lake as it stood at snapshot `version` (read-only), opened once per snapshot; take
    cursors of it with store.cursor. Raises lake.LakeError for a snapshot the lake does not have."""
    key = (identity(), str(config.lake_data_path()), int(version))
    with _PAST_LOCK:
        con = _PAST.get(key)
        if con is not None:
            _PAST.move_to_end(key)
            return con
    con = lake.connect(version=int(version))
    with _PAST_LOCK:
        con = _PAST.setdefault(key, con)
        _PAST.move_to_end(key)
        while len(_PAST) > PAST_CONNECTIONS:
            # not closed: a page may still read a cursor of it; it closes when the last one goes
            _PAST.popitem(last=False)
    return con


# column -> (header key, tables.cell kind) of the note under the league table: lake.imports_since
# read on the store now (DuckLake's change feed), not figures computed again
CHANGES_SPEC = {
    "snapshot_time": ("history.col.time", "datetime"),
    "source_file": ("history.col.file", "text"),
    "run_id": ("history.col.run", "text"),
    "inserted": ("history.col.inserted", "int"),
    "updated": ("history.col.updated", "int"),
}
