"""The watched inbox: a daemon thread in the app process imports files dropped into
config.inbox_path() and moves them to processed/ or failed/.

It is the app's single writer for files from outside: it writes through a cursor of the app's own
DuckDB instance under store.WRITE_LOCK, so pages keep reading while it imports and never see half a
file (each file is one transaction). `ioc ingest` hands files here when the app holds the store.

On the DuckLake store (IOC_STORE=ducklake) the watcher runs in `ioc worker` instead (ioc/worker.py),
and the app's upload page hands its files here too, with who uploaded them and the land files'
meridian in a hidden note beside each (NOTE_PREFIX), read when the file is imported.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from ioc import config
from ioc.i18n import t
from ioc.ingest import SUFFIXES, ingest_file
from ioc.ingest.load import RunResult

POLL_SECONDS = 1.0  # a listing of the folder; a file dropped shows on the pages this much sooner
# A file whose size or time changed this recently may still be being copied in.
SETTLE_SECONDS = 1.0
PROCESSED, FAILED = "processed", "failed"
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")
REASON_SUFFIX = ".reason.txt"
IMPORTING = ".importing"  # names the file being imported while its import runs
NOTE_PREFIX = ".note-"  # .note-NAME.json: who handed NAME over, its meridian and upload name

log = logging.getLogger(__name__)
_watchers: dict[str, threading.Thread] = {}
_start_lock = threading.Lock()


def _waiting(folder: Path, now: float) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and not p.name.lower().endswith(PARTIAL_SUFFIXES)
        and now - p.stat().st_mtime >= SETTLE_SECONDS
    )


def _move(path: Path, folder: Path, stamp: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stamp}-{path.name}"
    shutil.move(str(path), target)
    return target


def poll_once(
    cursor: Callable[[], duckdb.DuckDBPyConnection], folder: Path | None = None
) -> list[RunResult]:
    """Import every settled file waiting in the inbox; move each to processed/ or failed/."""
    folder = folder or config.inbox_path()
    results = []
    _set_aside_interrupted(folder)
    for path in _waiting(folder, time.time()):
        stamp = config.now().strftime("%Y%m%d-%H%M%S")
        if path.suffix.lower() not in SUFFIXES:
            log.warning("inbox: %s is not an importable file type", path.name)
            _take_note(path)
            _fail(path, folder, stamp, t("ingest.not_importable", "vi", types=", ".join(SUFFIXES)))
            continue
        marker = folder / IMPORTING
        try:
            marker.write_text(path.name, encoding="utf-8")
            note = _take_note(path)
            started = time.perf_counter()
            con = cursor()
            try:
                result = ingest_file(
                    con,
                    path,
                    source_name=note.get("source_name"),
                    meridian=note.get("meridian", config_meridian()),
                    username=note.get("username"),
                )
            finally:
                con.close()
                marker.unlink(missing_ok=True)
        except Exception as error:  # noqa: BLE001 - one file must never stop the next
            log.exception("inbox: %s", path.name)
            _fail(path, folder, stamp, f"{type(error).__name__}: {error}")
            continue
        log.info(
            "inbox: %s -> %s in %.2f s %s",
            path.name,
            result.status,
            time.perf_counter() - started,
            result.message,
        )
        if result.ok:
            _move(path, folder / PROCESSED, stamp)
        else:
            _fail(path, folder, stamp, result.message)
        results.append(result)
    return results


def _note_of(path: Path) -> Path:
    return path.with_name(f"{NOTE_PREFIX}{path.name}.json")


def _take_note(path: Path) -> dict:
    """The note handed over with a file (empty for a file dropped by hand), removed once read."""
    note = _note_of(path)
    try:
        found = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    finally:
        note.unlink(missing_ok=True)
    return found if isinstance(found, dict) else {}


def _fail(path: Path, folder: Path, stamp: str, reason: str) -> Path:
    """Move a file to failed/, with why beside it (NAME.reason.txt), so the inbox goes on with
    the next file and the administrator sees what to fix."""
    target = _move(path, folder / FAILED, stamp)
    target.with_name(target.name + REASON_SUFFIX).write_text(reason + "\n", encoding="utf-8")
    return target


def _set_aside_interrupted(folder: Path) -> None:
    """A file whose import the process did not survive (its name still in the marker) goes to
    failed/ instead of being tried again: it would stop the app again at every start."""
    marker = folder / IMPORTING
    if not marker.is_file():
        return
    path = folder / Path(marker.read_text(encoding="utf-8").strip()).name
    if path.is_file() and path != marker:
        stamp = config.now().strftime("%Y%m%d-%H%M%S")
        _fail(
            path, folder, stamp, "the import of this file stopped the app; it was not tried again"
        )
        log.warning("inbox: %s set aside: its import stopped the app", path.name)
    marker.unlink(missing_ok=True)


def config_meridian() -> float | None:
    """VN-2000 central meridian for land files arriving without one (IOC_MERIDIAN)."""
    value = os.environ.get("IOC_MERIDIAN")
    return float(value) if value else None


def _loop(cursor: Callable[[], duckdb.DuckDBPyConnection], folder: Path, interval: float) -> None:
    while True:
        try:
            poll_once(cursor, folder)
        except Exception:  # keep watching: one bad poll must not stop the imports for good
            log.exception("inbox poll failed")
        time.sleep(interval)


def start_watcher(
    cursor: Callable[[], duckdb.DuckDBPyConnection],
    folder: Path | None = None,
    interval: float = POLL_SECONDS,
) -> threading.Thread:
    """Start the watcher thread for a folder once per process; return it."""
    folder = (folder or config.inbox_path()).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with _start_lock:
        running = _watchers.get(str(folder))
        if running is not None and running.is_alive():
            return running
        thread = threading.Thread(
            target=_loop, args=(cursor, folder, interval), name="ioc-inbox", daemon=True
        )
        thread.start()
        _watchers[str(folder)] = thread
        return thread


def hand_over(
    paths: list[Path],
    folder: Path | None = None,
    username: str | None = None,
    meridian: float | None = None,
) -> list[Path]:
    """Copy files into the inbox for the running app or worker (written under a dot-name, then
    renamed, so the watcher never reads half a copy). `username` / `meridian`, when given, go in a
    note beside each file for its import (the upload page on the lake)."""
    folder = folder or config.inbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    placed = []
    for path in paths:
        target = folder / path.name
        n = 1
        while target.exists():
            target = folder / f"{path.stem}-{n}{path.suffix}"
            n += 1
        if username is not None or meridian is not None:
            note = {"username": username, "source_name": path.name}
            if meridian is not None:
                note["meridian"] = meridian
            _note_of(target).write_text(json.dumps(note), encoding="utf-8")
        partial = folder / f".{target.name}.part"
        shutil.copyfile(path, partial)
        partial.replace(target)
        placed.append(target)
    return placed
