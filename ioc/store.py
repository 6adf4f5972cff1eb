"""The DuckDB store: opening it, its schema, and running the named queries of queries/.

Every query is a file in queries/ with named parameters ($commune, $date_from ...). `run_query`
refuses a call whose parameters differ from the ones the file declares, so a typo or a forgotten
filter fails loudly instead of silently widening a result.
"""

from __future__ import annotations

import functools
import random
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from ioc import config

_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT_RE = re.compile(r"--[^\n]*")
_READ_RE = re.compile(r"\s*(select|with)\b", re.IGNORECASE)
_STRING_RE = re.compile(r"'(?:[^']|'')*'")

# One writer at a time inside a process: the inbox watcher, the upload page and the CLI share it.
WRITE_LOCK = threading.RLock()

# A DuckLake refuses the commit of an UPDATE, DELETE or MERGE when another process wrote the same
# table since the transaction began ("Transaction conflict ..."): such a write is run again, up to
# this many times, after a short random wait that grows (docs/ducklake.md).
CONFLICT_TRIES = 12
CONFLICTS = [0]  # conflicts met and retried by this process (the worker logs it, tests read it)
_in_transaction: set[int] = set()  # id() of the connections inside `transaction`
T = TypeVar("T")


class QueryParameterError(ValueError):
    """The parameters passed to a query do not match the ones its file declares."""


class ReadOnlyQueryError(ValueError):
    """A query file that writes was run through the read-only path."""


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store: a new one gets the schema, an older one is upgraded (ioc/migrations.py),
    one written by a newer release is refused (migrations.StoreVersionError).

    IOC_STORE=ducklake opens the DuckLake of the IOC_LAKE_* settings instead (`path` is then
    ignored; ioc/lake.py): the same tables and queries, read-only for the app's replicas."""
    from ioc import migrations, rollups  # both run their queries through this module

    if config.store_backend() == "ducklake":
        return _connect_lake(read_only)
    path = Path(path) if path else config.db_path()
    if read_only:
        con = duckdb.connect(str(path), read_only=True)
        try:
            migrations.check_readable(con, path)
        except migrations.StoreVersionError:
            con.close()
            raise
        return con
    path.parent.mkdir(parents=True, exist_ok=True)
    con, _ = migrations.upgrade(duckdb.connect(str(path)), path)
    rollups.ensure(con)
    return con


def _connect_lake(read_only: bool) -> duckdb.DuckDBPyConnection:
    from ioc import lake, migrations, rollups

    con = lake.connect(read_only=read_only)
    name = f"DuckLake {config.lake_schema()}"
    if read_only:
        try:
            migrations.check_readable(con, name)
        except migrations.StoreVersionError:
            con.close()
            raise
        return con
    con, _ = migrations.upgrade(con, name)
    lake.set_options(con)
    rollups.ensure(con)
    return con


def connect_replica() -> duckdb.DuckDBPyConnection:
    """The lake as an app replica opens it (IOC_STORE=ducklake): attached READ_ONLY, never
    created, migrated or rebuilt here: `ioc worker` does that, every import, and the app's own
    small writes (sign-ins, sessions, audit, actions, targets, mappings), which a replica sends it
    (ioc/writes.py). A lake without the store yet, or of another release, is refused with what to
    do."""
    from ioc import lake, migrations

    name = f"DuckLake {config.lake_schema()}"
    no_store = lake.LakeError(
        f"{name} holds no store yet: start `ioc worker` first (it creates the store, and builds "
        "the demo in demo mode), or run `ioc init`"
    )
    try:
        con = lake.connect(read_only=True)
    except lake.LakeError as error:
        if "does not exist" in str(error):  # no lake in the catalog yet: nothing was made
            raise no_store from error
        raise
    try:
        if migrations.stored_version(con) is None:
            raise no_store
        migrations.check_readable(con, name)
    except (lake.LakeError, migrations.StoreVersionError):
        con.close()
        raise
    return con


def is_conflict(error: BaseException) -> bool:
    """A DuckLake commit refused because another process wrote the same table meanwhile, or a
    catalog statement PostgreSQL refused for a concurrent update (a checkpoint flushing inlined
    rows while another process updates them)."""
    text = str(error).lower()
    return (isinstance(error, duckdb.TransactionException) and "conflict" in text) or (
        isinstance(error, duckdb.Error) and "could not serialize access" in text
    )


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """End whatever a refused statement left open on `con` (nothing, usually)."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass


def retrying(
    work: Callable[[], T],
    tries: int = CONFLICT_TRIES,
    on: duckdb.DuckDBPyConnection | None = None,
) -> T:
    """Run `work` (which opens and commits its own transaction, or is one statement) and, on the
    lake, run it again while its commit is refused for a conflict with another process's write.
    `work` must read what it decides on inside its transaction (the import does). `on`: the
    connection a single statement runs on, rolled back before it runs again. On the file store it
    runs once, as before: one process writes a file."""
    if config.store_backend() != "ducklake":
        return work()
    for attempt in range(tries):
        try:
            return work()
        except duckdb.Error as error:
            if not is_conflict(error) or attempt == tries - 1:
                raise
            CONFLICTS[0] += 1
            if on is not None:
                rollback_quietly(on)
            time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def retried(func: Callable[..., T]) -> Callable[..., T]:
    """For a function whose writes are one transaction that reads what it decides on inside it
    (an action, a mapping and its quarantine retry, a secondment): on the lake, run it again whole
    when the commit is refused for a conflict with another process (`retrying`); once on the file
    store."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> T:
        return retrying(lambda: func(*args, **kwargs))

    return run


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of `con` (its own connection to the same database, for one thread). On the lake it
    is pointed at the lake too: DuckDB's USE holds for one connection only."""
    from ioc import lake

    cur = con.cursor()
    if lake.owns(con):
        cur.execute(f"use {lake.CATALOG}")
        lake.remember(cur, lake.is_read_only(con), of=con)
    return cur


@cache
def load_query(name: str) -> tuple[str, frozenset[str]]:
    """Return the SQL text of queries/<name>.sql, with the dossier states it names written out,
    and the parameter names it declares."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name: {name!r}")
    sql = (config.QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    sql = expand_states(_COMMENT_RE.sub("", sql))
    code = _STRING_RE.sub("''", sql)
    return sql, frozenset(_PARAM_RE.findall(code))


STATES_FILE = "dossier_states"
_STATE_DEF = re.compile(r"^(\w+)\(([\w\s,]*)\)\s*:=(.*?);", re.MULTILINE | re.DOTALL)
_STATE_USE = re.compile(r"@(\w+)\(")


@cache
def states() -> dict[str, tuple[tuple[str, ...], str]]:
    """The dossier states of queries/dossier_states.sql: name -> (parameters, SQL)."""
    text = (config.QUERIES_DIR / f"{STATES_FILE}.sql").read_text(encoding="utf-8")
    return {
        name: (tuple(a.strip() for a in params.split(",")), " ".join(body.split()))
        for name, params, body in _STATE_DEF.findall(_COMMENT_RE.sub("", text))
    }


def _arguments(sql: str, start: int) -> tuple[list[str], int]:
    """The comma-separated arguments of a call whose "(" ends at `start`, and where it ends."""
    depth, args, begin = 0, [], start
    for i in range(start, len(sql)):
        char = sql[i]
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif char in ",)" and depth == 0:
            args.append(sql[begin:i].strip())
            begin = i + 1
            if char == ")":
                return args, i + 1
    raise ValueError(f"unclosed state call: {sql[start - 20 : start + 20]!r}")


def expand_states(sql: str) -> str:
    """Every @state(alias[, expression ...]) replaced by its definition, in parentheses. The
    definitions come from the project's own file, never from input."""
    out, position = [], 0
    while match := _STATE_USE.search(sql, position):
        name = match.group(1)
        if name not in states():
            raise ValueError(f"unknown dossier state @{name} (see queries/{STATES_FILE}.sql)")
        params, body = states()[name]
        args, end = _arguments(sql, match.end())
        if len(args) != len(params):
            raise ValueError(f"@{name} takes {len(params)} arguments, given {len(args)}")
        alias, *values = args
        body = re.sub(rf"\b{params[0]}\b", alias, body)
        for param, value in zip(params[1:], values, strict=True):
            body = re.sub(rf"\b{param}\b", f"({value})", body)
        out += [sql[position : match.start()], f"({expand_states(body)})"]
        position = end
    return "".join(out) + sql[position:]


def _checked_sql(name: str, params: dict[str, Any]) -> str:
    sql, declared = load_query(name)
    given = set(params)
    if given != declared:
        missing = sorted(declared - given)
        extra = sorted(given - declared)
        raise QueryParameterError(f"{name}: missing {missing}, extra {extra}")
    return sql


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    """Like run_query, but on `con` itself rather than a new cursor: for writes inside the caller's
    open transaction, and for queries over frames registered on that connection. Outside a
    transaction a statement is its own commit: on the lake it is run again on a conflict."""
    sql = _checked_sql(name, params)
    if id(con) in _in_transaction:
        return _frame(con.execute(sql, params))
    with _guarded(con, writes=not _READ_RE.match(sql)):
        return retrying(lambda: _frame(con.execute(sql, params)), on=con)


@contextmanager
def _guarded(con: duckdb.DuckDBPyConnection, writes: bool = True) -> Iterator[None]:
    """A write on a lake holds the lake's write lock shared (lake.write_guard: never during a
    checkpoint); nothing on the file store."""
    from ioc import lake

    if writes and lake.owns(con):
        with lake.write_guard():
            yield
    else:
        yield


def _frame(result: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The executed query's result as Polars: read through DuckDB's Arrow stream, which costs
    0.2-0.5 ms less a query than DuckDB's own `.pl()` (it builds a whole Arrow table first), with
    the same types, except that Polars refuses an INTERVAL column: cast one in the query."""
    return pl.from_arrow(result.arrow().read_all())


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    """Run the question queries/<name>.sql with exactly its declared parameters; return Polars.

    Read-only: a file that writes is refused here and runs through `execute` inside a writer's
    transaction, so what pages reach (package functions over run_query) can never change the store.
    """
    sql = _checked_sql(name, params)
    if not _READ_RE.match(_COMMENT_RE.sub("", sql)):
        raise ReadOnlyQueryError(f"{name}: not a read-only query; use store.execute")
    from ioc import lake

    if lake.is_read_only(con):
        return _frame(_reader(con).execute(sql, params))
    cur = cursor(con)
    try:
        return _frame(cur.execute(sql, params))
    finally:
        cur.close()


_READERS = threading.local()


def _reader(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """This thread's cursor of a read-only lake connection (an app replica, a moment of the past),
    or of the one `con` is a cursor of, made once and kept while that connection lives: pointing
    a new cursor at the lake (USE) opens and closes a catalog transaction, about 3 ms a query
    (docs/ducklake.md). Each statement on it is still its own transaction, so it reads the
    newest snapshot (or the pinned one) as a new cursor would."""
    from ioc import lake

    kept = getattr(_READERS, "cursors", None)
    if kept is None:
        kept = _READERS.cursors = weakref.WeakKeyDictionary()
    con = lake.root(con)  # the app passes a cursor of its own per fetch (ui.reader)
    cur = kept.get(con)
    if cur is None:
        cur = kept[con] = cursor(con)
    return cur


# Workers of `concurrently`, shared by the sessions of the process.
_QUERY_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ioc-query")


def concurrently(*calls: Callable[[], Any]) -> list[Any]:
    """Run independent calls at once and return their results in order.

    DuckDB lets go of the GIL while it plans and runs a query (each run_query has its own
    cursor), and Polars while it computes, so one query is planned while another runs: a
    ranking's counts, targets and communes take the time of the slowest instead of their sum.
    The last call runs in the calling thread. A call must not use `concurrently` itself (it could
    wait for a worker that waits for it).
    """
    pending = [_QUERY_POOL.submit(call) for call in calls[:-1]]
    last = calls[-1]()
    return [future.result() for future in pending] + [last]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, label: str | None = None) -> Iterator[None]:
    """Begin/commit, or roll back everything on any error (the one transaction helper). On the
    lake one transaction is one snapshot; `label` (an import's run id) becomes its commit message,
    by which time travel finds it; the lake's write lock is held shared throughout."""
    from ioc import lake

    with _guarded(con):
        con.execute("begin transaction")
        _in_transaction.add(id(con))
        try:
            try:
                if label is not None and lake.owns(con):
                    lake.label(con, label)
                yield
            except BaseException:
                con.execute("rollback")
                raise
            try:
                con.execute("commit")
            except duckdb.Error:
                # a refused commit (a lake's conflict): make sure nothing stays open on `con`
                rollback_quietly(con)
                raise
        finally:
            _in_transaction.discard(id(con))


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> Iterator[None]:
    """A frame (Polars, Arrow) visible to the queries as a view for the duration of a block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store has no dossiers yet (first run)."""
    return con.execute("select count(*) from dossiers").fetchone()[0] == 0


def get_meta(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    row = con.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row else default


# Moves on whenever this process writes meta data_version (an import, a target, a secondment):
# ioc.ui reads the version once per script run and reads it again after such a write.
VERSION_WRITES = [0]


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    if key == "data_version":
        VERSION_WRITES[0] += 1
    # A MERGE on the key rather than INSERT ... ON CONFLICT: a DuckLake table has no primary key.
    sql = (
        "merge into meta using (select ?::varchar as key, ?::varchar as value) as new "
        "on meta.key = new.key when matched then update set value = new.value "
        "when not matched then insert (key, value) values (new.key, new.value)"
    )
    if id(con) in _in_transaction:
        con.execute(sql, [key, value])
    else:
        with _guarded(con):
            retrying(lambda: con.execute(sql, [key, value]), on=con)
