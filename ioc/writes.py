"""The write channel of the DuckLake store (issue 17, docs/ducklake.md): an app replica attaches
the lake READ_ONLY and `ioc worker` makes its writes.

The package's app-side write functions (a sign-in's failure, a session, an audit record, an
action, a target, a mapping, a secondment ...) are registered with `@op`. Each takes a connection
first and otherwise JSON-able values (str, numbers, dates, the package's dataclasses, a small
Polars frame). Called on a connection attached to the lake READ_ONLY (a replica's), such a
function does not touch the store: it asks the worker, which runs the same function on its writer
connection and answers. Called on any other connection (the file store, the worker's, a CLI
command's) it runs in the process, as before. Only functions of this registry can be asked for by
name: a request never carries code or SQL.

The requests are files in REQUESTS (`.writes/`) of the inbox every machine shares (IOC_INBOX):

* the replica writes NAME.json (through a dot-name, renamed) and looks for NAME.answer every
  ANSWER_POLL_SECONDS;
* the worker's serving thread (`serve`) lists the folder every POLL_SECONDS, takes a request by
  renaming it NAME.run (atomic: a request runs at most once), runs it under the process's write lock (one write at a time: `max + 1`
  numbers are safe), writes NAME.answer (the value, or the error, re-raised in the replica as the
  same error when it is one of the package's or a ValueError/PermissionError) and removes NAME.run;
* no answer within wait_seconds(): the replica withdraws its request (removes NAME.json) and raises
  WritesUnavailable (one line: the worker is not running; pages keep reading). If the worker had
  taken it already it is running: the replica waits for it up to RUN_SECONDS, or until the
  worker's heartbeat goes silent. Without a worker's
  heartbeat at all (ioc/worker.py silent) it raises at once.

A write sent with `wait=False` (audit records, the last-seen touches of sessions and wall screens,
the revoke of a session signed out or timed out, a successful sign-in's counters) is not waited
for: it stays queued until a worker takes it; the worker runs all such requests it finds in one
poll together, in one transaction (one lake snapshot), after the waited ones.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from ioc import config, lake, store

log = logging.getLogger(__name__)

REQUESTS = ".writes"
POLL_SECONDS = 0.05  # how often the worker lists the requests
ANSWER_POLL_SECONDS = 0.01  # how often a replica looks for its answer (one stat)
RUN_SECONDS = 300.0  # a request the worker took is waited for this long (an import may run first)
# The modules whose functions are registered: the worker imports them before it serves.
MODULES = (
    "ioc.audit",
    "ioc.auth",
    "ioc.sessions",
    "ioc.actions",
    "ioc.targets",
    "ioc.capacity",
    "ioc.land",
    "ioc.ingest.quarantine",
)
REGISTRY: dict[str, Callable[..., Any]] = {}
# Set by the tests' runs of whole modules on the lake (IOC_TEST_STORE=ducklake, tests/conftest.py):
# every write is answered before the call returns, so a test reads its audit records at once.
ALWAYS_WAIT = False
T = TypeVar("T")


class WritesUnavailable(RuntimeError):
    """No worker took a replica's write: nothing was written. Pages show KEY's line."""

    KEY = "writes.unavailable"


class WriteFailed(RuntimeError):
    """The worker ran a replica's write and it failed with an error the replica cannot rebuild;
    the message is the worker's one line."""


def wait_seconds() -> float:
    """How long a replica waits for the worker to take a write (IOC_WRITE_WAIT_SECONDS, 10)."""
    return float(os.environ.get("IOC_WRITE_WAIT_SECONDS", "10"))


def folder() -> Path:
    return config.inbox_path() / REQUESTS


def op(func: Callable[..., T] | None = None, *, wait: bool = True) -> Callable[..., T]:
    """Register a write function (`@op`, or `@op(wait=False)` for one not waited for). Put it
    above `@store.retried`: the worker retries, not the replica. `func.later(con, ...)` sends a
    waited one without waiting."""
    if func is None:
        return functools.partial(op, wait=wait)  # type: ignore[return-value]
    name = f"{func.__module__}.{func.__qualname__}"
    REGISTRY[name] = func

    def send(waits: bool) -> Callable[..., Any]:
        def call(con: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> Any:
            if lake.is_read_only(con):
                return ask(name, args, kwargs, wait=waits)
            return func(con, *args, **kwargs)

        return call

    registered = functools.wraps(func)(send(wait))
    registered.later = send(False)  # type: ignore[attr-defined]
    return registered


# --- the replica's side -------------------------------------------------------------------------


def ask(name: str, args: tuple, kwargs: dict, wait: bool = True) -> Any:
    """Send a registered write to the worker; wait for its answer unless `wait` is False."""
    from ioc import worker

    wait = wait or ALWAYS_WAIT
    if wait and worker.silent()[0]:
        raise WritesUnavailable("writes are unavailable: no ioc worker is running")
    requests = folder()
    requests.mkdir(parents=True, exist_ok=True)
    stem = f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}"
    request = requests / f"{stem}.json"
    partial = requests / f".{stem}.tmp"
    body = {"op": name, "args": encode(list(args)), "kwargs": encode(kwargs), "wait": wait}
    partial.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, request)
    if not wait:
        return None
    answer = requests / f"{stem}.answer"
    deadline, taken, looked = time.monotonic() + wait_seconds(), False, time.monotonic()
    while not answer.exists():
        if taken and time.monotonic() - looked >= 1.0:  # is the worker running it still alive?
            looked = time.monotonic()
            if worker.silent()[0]:
                deadline = looked
        if time.monotonic() >= deadline:
            if taken:
                raise WritesUnavailable("writes are unavailable: ioc worker stopped mid-write")
            try:
                request.unlink()  # withdrawn: the worker will never run it
            except FileNotFoundError:  # the worker took it meanwhile: it is running
                taken, deadline = True, time.monotonic() + RUN_SECONDS
                continue
            raise WritesUnavailable(
                f"writes are unavailable: no ioc worker answered within {wait_seconds():g} s"
            )
        time.sleep(ANSWER_POLL_SECONDS)
    found = json.loads(answer.read_text(encoding="utf-8"))
    answer.unlink(missing_ok=True)
    store.VERSION_WRITES[0] += 1  # pages read the data version again at once
    if found["ok"]:
        return decode(found["value"])
    raise _rebuilt(found["error"])


# --- the worker's side --------------------------------------------------------------------------


def serve(
    cursor: Callable[[], duckdb.DuckDBPyConnection],
    stop: threading.Event,
    poll: float = POLL_SECONDS,
) -> threading.Thread:
    """Start the worker's thread answering the replicas' writes every `poll` seconds."""
    for module in MODULES:
        importlib.import_module(module)
    _clear_leftovers(folder())

    def loop() -> None:
        con = cursor()
        try:
            while not stop.is_set():
                try:
                    serve_once(con)
                except Exception:  # noqa: BLE001 - one bad poll must not stop the writes
                    log.exception("writes: a poll failed")
                stop.wait(poll)
        finally:
            con.close()

    thread = threading.Thread(target=loop, name="ioc-writes", daemon=True)
    thread.start()
    return thread


def _clear_leftovers(requests: Path) -> None:
    """At the worker's start: a request taken by a worker that stopped mid-way is not run again
    (its write may have committed; its replica was told so), and answers no replica read (one
    that gave up) go."""
    for path in requests.glob("*.run"):
        log.warning("writes: %s was taken by a worker that stopped; not run again", path.name)
        path.unlink(missing_ok=True)
    for path in requests.glob("*.answer"):
        if time.time() - path.stat().st_mtime > RUN_SECONDS:
            path.unlink(missing_ok=True)


def serve_once(con: duckdb.DuckDBPyConnection) -> int:
    """Take every request waiting, run it, answer it; returns how many were run."""
    requests = folder()
    if not requests.is_dir():
        return 0
    taken = []
    for path in sorted(requests.glob("*.json")):
        running = path.with_suffix(".run")
        try:
            os.replace(path, running)
        except FileNotFoundError:  # withdrawn by its replica
            continue
        try:
            taken.append((running, json.loads(running.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            log.warning("writes: %s is not a request; removed", path.name)
            running.unlink(missing_ok=True)
    if not taken:
        return 0
    later = [(path, asked) for path, asked in taken if not asked.get("wait", True)]
    with store.WRITE_LOCK:  # someone waits for these: first, in the order they were sent
        for path, asked in taken:
            if asked.get("wait", True):
                _answer(path, _run(con, asked))
        if later:
            _run_together(con, [asked for _, asked in later])
            for path, _ in later:
                path.unlink(missing_ok=True)
    return len(taken)


def _call(con: duckdb.DuckDBPyConnection, asked: dict) -> Any:
    func = REGISTRY.get(str(asked.get("op")))
    if func is None:
        raise ValueError(f"not a registered write: {asked.get('op')!r}")
    return func(con, *decode(asked.get("args", [])), **decode(asked.get("kwargs", {})))


def _run(con: duckdb.DuckDBPyConnection, asked: dict) -> dict:
    try:
        return {"ok": True, "value": encode(_call(con, asked))}
    except Exception as error:  # noqa: BLE001 - the replica gets it, the worker goes on
        log.info("writes: %s refused: %s", asked.get("op"), error)
        return {"ok": False, "error": _described(error)}


def _run_together(con: duckdb.DuckDBPyConnection, batch: list[dict]) -> None:
    """Writes nobody waits for, in one transaction (one snapshot); one by one if that fails."""

    def together() -> None:
        with store.transaction(con):
            for asked in batch:
                _call(con, asked)

    try:
        store.retrying(together)
        return
    except Exception:  # noqa: BLE001 - one bad request must not lose the others
        log.warning("writes: a batch of %d failed; running them one by one", len(batch))
    for asked in batch:
        try:
            store.retrying(lambda asked=asked: _call(con, asked))
        except Exception:  # noqa: BLE001
            log.exception("writes: %s failed", asked.get("op"))


def _answer(running: Path, answer: dict) -> None:
    target = running.with_suffix(".answer")
    partial = running.with_name(f".{target.name}.tmp")
    partial.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)
    running.unlink(missing_ok=True)


# --- values and errors as JSON ------------------------------------------------------------------

_BUILTIN_ERRORS = {"ValueError": ValueError, "PermissionError": PermissionError}


def encode(value: Any) -> Any:
    """A value as JSON: dates, datetimes, tuples, the package's dataclasses and Polars frames
    tagged with "$t"."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return {"$t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, (list, tuple)):
        items = [encode(item) for item in value]
        return items if isinstance(value, list) else {"$t": "tuple", "v": items}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, pl.DataFrame):
        return {"$t": "frame", "v": encode(value.to_dict(as_series=False))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$t": _name_of(type(value)), "v": fields}
    raise TypeError(f"not sendable to the worker: {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("$t")
    if kind is None:
        return {key: decode(item) for key, item in value.items()}
    inner = value["v"]
    if kind == "datetime":
        return datetime.fromisoformat(inner)
    if kind == "date":
        return date.fromisoformat(inner)
    if kind == "tuple":
        return tuple(decode(inner))
    if kind == "frame":
        return pl.DataFrame(decode(inner))
    cls = _package_type(kind)
    if not dataclasses.is_dataclass(cls):
        raise ValueError(f"not a dataclass: {kind}")
    return cls(**decode(inner))


def _name_of(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _package_type(name: str) -> type:
    """A class of the package named module:qualname (nothing outside `ioc` is ever imported)."""
    module, _, qualname = name.partition(":")
    if not module.startswith("ioc.") or not qualname.isidentifier():
        raise ValueError(f"not a class of the package: {name!r}")
    found = getattr(importlib.import_module(module), qualname, None)
    if not isinstance(found, type):
        raise ValueError(f"not a class of the package: {name!r}")
    return found


def _described(error: Exception) -> dict:
    described = {"type": _name_of(type(error)), "message": " ".join(str(error).split())[:500]}
    try:
        described["args"] = encode(list(error.args))
        described["attrs"] = encode(vars(error))
    except TypeError:  # the message alone then
        pass
    return described


def _rebuilt(described: dict) -> Exception:
    """The worker's error as the replica raises it: the same class when it is one of the
    package's exceptions or a ValueError / PermissionError, with its arguments and attributes
    (an ActionError's i18n key, an AuthError's `until`); WriteFailed with its line otherwise."""
    name, message = described.get("type", ""), described.get("message", "")
    module, _, qualname = name.partition(":")
    try:
        cls = _BUILTIN_ERRORS.get(qualname) if module == "builtins" else _package_type(name)
    except (ValueError, ImportError):
        cls = None
    if cls is None or not issubclass(cls, Exception) or "args" not in described:
        return WriteFailed(message)
    error = cls.__new__(cls)
    error.args = tuple(decode(described["args"]))
    vars(error).update(decode(described.get("attrs", {})))
    return error
