"""What a running app does once per process, whether `ioc serve` starts it or the first page view
of a server started another way does: open the store, give it what it needs to be used (the demo
in demo mode, the reference data otherwise), then start the inbox watcher and the daily backup,
and tell the console how to create the first administrator of a new production store.

`ioc serve` calls `start` before Streamlit takes over, so the inbox is watched and backups are taken
from the moment the server runs, not from the first browser session; the pages reach the same
DuckDB instance through `open_store` (one instance per file and process: DuckDB lets one process
write a file, and every writer of the app goes through this one).

On the DuckLake store (IOC_STORE=ducklake, docs/ducklake.md) an app process is a replica: it opens
the lake the worker made READ_ONLY (store.connect_replica) for its pages, sends its own small writes
(sign-ins, sessions, audit, actions, targets, mappings) to the worker (ioc/writes.py), and runs
none of the background work: `ioc worker`
(ioc/worker.py) builds the demo or loads the reference data, watches the inbox, takes the
backups, moves the demo feed, refreshes rollups and merges the lake's small files.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from ioc import auth, config, reference, store

log = logging.getLogger(__name__)

_instances: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()
APP_INFO_SUFFIX = ".app.json"


# Set by `ioc worker` (ioc/worker.py): this process owns the lake's background writes.
_WORKER = [False]


def is_replica() -> bool:
    """An app process on the lake: its background work belongs to `ioc worker`."""
    return config.store_backend() == "ducklake" and not _WORKER[0]


def become_worker() -> None:
    _WORKER[0] = True


def open_store(
    path: Path | str | None = None, on_demo_build: Callable[[], None] | None = None
) -> duckdb.DuckDBPyConnection:
    """The process's one connection to the store file, opened and made usable on first call.

    A new store in demo mode gets the demo (`on_demo_build` is told first: it takes about a
    minute); any other store without reference data gets it. A production store (`ioc init`, or
    demo mode off) never gets demo rows or accounts.
    """
    key = str(Path(path or config.db_path()).resolve())
    with _lock:
        con = _instances.get(key)
        if con is not None:
            return con
        if is_replica():
            con = _instances[key] = store.connect_replica()
            return con
        con = store.connect(key)
        if store.is_empty(con) and auth.demo_mode(con) and not is_production(con):
            from ioc import demo  # numpy/shapely work only needed on a first run

            if on_demo_build:
                on_demo_build()
            demo.build(con, until=config.now())
        else:
            loaded = reference.ensure_loaded(con)
            if loaded:
                print(
                    f"  IOC: reference data loaded into {key}: {loaded['communes']} communes of "
                    f"{loaded['provinces']} provinces, {loaded['procedures']} procedures",
                    file=sys.stderr,
                )
        auth.ensure_demo_accounts(con)
        auth.remove_demo_accounts(con)
        _instances[key] = con
        return con


def is_open(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` is still one of this process's store instances (no file-system call)."""
    return any(held is con for held in list(_instances.values()))


def is_production(con: duckdb.DuckDBPyConnection) -> bool:
    """A store made by `ioc init` (or holding real imports): the demo is never built into it."""
    return store.get_meta(con, "production") == "1" or store.get_meta(con, "real_data") == "1"


def mark_production(con: duckdb.DuckDBPyConnection) -> None:
    store.set_meta(con, "production", "1")


def start(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store and start the app's background work (once per process): the inbox
    watcher, the daily backup, the app's address for the CLI, the first-start token."""
    from ioc import backup
    from ioc.ingest import inbox

    path = Path(path or config.db_path())
    con = open_store(path, on_demo_build=_say_demo)
    if is_replica():  # on the lake `ioc worker` does the background work
        return con
    with _services_lock:
        key = str(path.resolve())
        if key not in _services:
            _services.add(key)
            backup.start_scheduler(lambda: store.cursor(con))
            inbox.start_watcher(lambda: store.cursor(con))
            start_demo_feed(con)
            publish(path)
            if auth.needs_setup(con):
                announce_setup_token()
    return con


_services: set[str] = set()
_services_lock = threading.Lock()


def start_demo_feed(con: duckdb.DuckDBPyConnection) -> threading.Thread | None:
    """In demo mode, a thread that catches the demo up to now at once (the time the app was off)
    and then moves it on every IOC_DEMO_FEED_SECONDS; never on a store with real data."""
    interval = config.demo_feed_seconds()
    if not interval or not auth.demo_mode(con) or is_production(con):
        return None
    from ioc import demo

    if not demo.can_advance(con):
        if store.get_meta(con, "demo") == "1" and store.get_meta(con, "demo_volume") is None:
            print(
                "  IOC: this demo was built by an earlier release and stands still; "
                "run `ioc demo` to rebuild it so that it moves with the clock.",
                file=sys.stderr,
            )
        return None
    thread = threading.Thread(
        target=_feed_loop,
        args=(lambda: store.cursor(con), interval),
        name="ioc-demo-feed",
        daemon=True,
    )
    thread.start()
    return thread


def _feed_loop(cursor: Callable[[], duckdb.DuckDBPyConnection], interval: float) -> None:
    from ioc import demo

    con = cursor()
    while True:
        try:
            if not demo.can_advance(con):
                return  # real data arrived, or the store left demo mode: the feed stops for good
            demo.advance(con)
        except Exception:  # noqa: BLE001 - the feed must never take the app down; next tick retries
            log.exception("demo feed: a step failed")
        time.sleep(interval)


def _say_demo() -> None:
    print("  IOC: building the Hanoi demo data (first start, about a minute)…", file=sys.stderr)


def publish(path: Path) -> None:
    """Write <store>.app.json: which process holds the store and where its inbox is, so that
    `ioc ingest` beside the running app hands files to the inbox the app watches."""
    info = {"pid": os.getpid(), "inbox": str(config.inbox_path().resolve())}
    target = path.with_name(path.name + APP_INFO_SUFFIX)
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_text(json.dumps(info), encoding="utf-8")
    partial.replace(target)
    atexit.register(target.unlink, missing_ok=True)


def running_app(path: Path) -> dict | None:
    """The published info of the app holding the store, if that process is alive."""
    try:
        info = json.loads(path.with_name(path.name + APP_INFO_SUFFIX).read_text(encoding="utf-8"))
        os.kill(int(info["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return info


_announced = threading.Event()


def announce_setup_token() -> None:
    """Print the first-start token on the server console, once per process (as Jupyter and
    Grafana do): only who can read the console can create the first administrator."""
    if _announced.is_set():
        return
    _announced.set()
    print(
        "\n  IOC: no account yet. Open the app and create the first administrator with this "
        f"set-up token:\n\n      {auth.setup_token()}\n\n"
        "  (or run: ioc user add NAME --role admin)\n",
        file=sys.stderr,
        flush=True,
    )
