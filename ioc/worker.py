"""`ioc worker`: the one process that writes the DuckLake store in the background (issue 17,
docs/ducklake.md), beside any number of app replicas (ioc/startup.py is_replica).

It opens the lake for writing as the app opens a file (ioc/startup.py open_store: the schema and
its upgrades, the demo in demo mode or the reference data otherwise, the demo accounts), then runs
the app's own background work in its threads, unchanged: the inbox watcher (files dropped in the
inbox, `ioc ingest` runs and the app's uploads handed to it, each import one snapshot labelled with
its run id), the daily backup and the demo feed. Its own loop adds what a lake needs:

* rollups brought back in step when the lake changed without them (rollups.ensure);
* `CHECKPOINT lake` every IOC_LAKE_CHECKPOINT_MINUTES (default 60): each commit writes small files
  (or inlines its rows in the catalog); the checkpoint merges them and expires the snapshots older
  than the retention (IOC_LAKE_RETENTION_DAYS, default 35 days: time travel reaches that far back);
* a heartbeat file (.worker.json in the inbox, which every replica shares) saying it is alive;
* the app replicas' own writes (sign-ins, sessions, audit, actions, targets, mappings,
  secondments), which they send it through files in the inbox (ioc/writes.py), answered by a
  thread of their own every writes.POLL_SECONDS (50 ms).

Writes that conflict with another process's (a command's) are run again (store.retrying). On the file store the app does all this itself: the command says so.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from ioc import config, lake, rollups, startup, store, writes

log = logging.getLogger(__name__)

HEARTBEAT = ".worker.json"
TICK_SECONDS = 5.0
STALE_SECONDS = 60.0  # a heartbeat older than this: the worker is not running


def checkpoint_minutes() -> float:
    return float(os.environ.get("IOC_LAKE_CHECKPOINT_MINUTES", "60"))


def heartbeat_path() -> Path:
    return config.inbox_path() / HEARTBEAT


def beat(state: str = "running") -> None:
    """Write the heartbeat (pid, host, time, state) atomically."""
    target = heartbeat_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "at": datetime.now(config.TZ).replace(tzinfo=None).isoformat(timespec="seconds"),
        "state": state,
        "conflicts_retried": store.CONFLICTS[0],
    }
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_text(json.dumps(info), encoding="utf-8")
    partial.replace(target)


def last_beat() -> dict | None:
    """The worker's last heartbeat, if one was written."""
    try:
        found = json.loads(heartbeat_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def beat_age_seconds(found: dict | None) -> float | None:
    """How long ago a heartbeat was written (None without one)."""
    if not found:
        return None
    try:
        at = datetime.fromisoformat(str(found["at"]))
    except (KeyError, ValueError):
        return None
    return (datetime.now(config.TZ).replace(tzinfo=None) - at).total_seconds()


def silent() -> tuple[bool, dict | None]:
    """(True, its last heartbeat or None) when no worker has said in the last STALE_SECONDS that
    it is running (or its last word was that it stopped): on the lake nothing is imported then."""
    found = last_beat()
    age = beat_age_seconds(found)
    down = age is None or age > STALE_SECONDS or (found or {}).get("state") == "stopped"
    return down, found


def _on_own_connection(sql: str) -> None:
    """Run one maintenance statement on a lake connection of its own, closed after: a statement
    PostgreSQL refused mid-way (a concurrent update) leaves the catalog connection's transaction
    aborted, and that must not be the connection the imports use."""
    con = lake.connect()
    try:
        con.execute(sql)
    finally:
        con.close()


def set_retention(days: int) -> None:
    """Snapshots older than `days` are expired by the checkpoints (DuckLake's expire_older_than);
    the option takes no bound parameter, and `days` is an int."""
    sql = f"call {lake.CATALOG}.set_option('expire_older_than', '{int(days)} days')"
    store.retrying(lambda: _on_own_connection(sql))


def checkpoint() -> float:
    """Merge the lake's small files (and expire old snapshots, remove unused files); seconds it
    took. Under the process's write lock: no import of this process runs meanwhile; one refused
    for another process's write runs again."""
    started = time.perf_counter()
    with store.WRITE_LOCK, lake.write_guard(exclusive=True):
        store.retrying(lambda: _on_own_connection(f"checkpoint {lake.CATALOG}"))
    return time.perf_counter() - started


def run(stop: threading.Event | None = None, tick: float = TICK_SECONDS) -> int:
    """Open the lake, start the background work, and loop until `stop` is set (or SIGTERM)."""
    stop = stop or threading.Event()
    startup.become_worker()
    con = startup.start()
    set_retention(config.lake_retention_days())
    beat("started")
    print(
        f"ioc worker: DuckLake {config.lake_schema()} (data {config.lake_data_path()}), inbox "
        f"{config.inbox_path()}; checkpoint every {checkpoint_minutes():g} min, snapshots kept "
        f"{config.lake_retention_days()} days",
        flush=True,
    )
    last_checkpoint = time.monotonic()
    cur = store.cursor(con)
    serving = writes.serve(lambda: store.cursor(con), stop)
    try:
        while not stop.is_set():
            try:
                with store.WRITE_LOCK:
                    if rollups.ensure(cur):
                        log.info("worker: rollups rebuilt (the lake changed without them)")
                if time.monotonic() - last_checkpoint >= checkpoint_minutes() * 60:
                    seconds = checkpoint()
                    last_checkpoint = time.monotonic()
                    log.info("worker: checkpoint in %.1f s", seconds)
                beat()
            except Exception:  # noqa: BLE001 - the worker must outlive one failed step
                log.exception("worker: a maintenance step failed; next tick retries")
            stop.wait(tick)
    finally:
        serving.join(timeout=30)
        cur.close()
        beat("stopped")
    return 0


def main() -> int:
    """`ioc worker`: on the lake, run until stopped (Ctrl-C or SIGTERM)."""
    if config.store_backend() != "ducklake":
        print(
            "ioc worker is for the DuckLake store (IOC_STORE=ducklake); on the file store the "
            "app imports, backs up and refreshes itself",
            file=sys.stderr,
        )
        return 2
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    return run(stop)
