"""Figures computed ahead of the views that will ask for them (issue 21).

A page's figures for a period ending today are taken at the start of the current minute (ioc.ui
keys its cache by the minute and the data version). So when the minute turns, every page in use
is computed again, and while the first view computes it (Streamlit computes a cached figure once,
the other views wait for it) every view of that page waits: on the Hanoi demo (1.45M dossiers),
with the real clock, 20 sessions saw p95 of 2.5 s where a pinned clock gave 0.4 s.

This module keeps what the pages asked for in the last RECENT_SECONDS (a "recipe": the package
function and its arguments, and how often it was asked for) and, in the last LEAD_SECONDS of each
minute, computes those figures for the next minute in a background thread, at the data version
then. When the minute turns the views find them ready (`lookup`); one that comes while they are
still being computed waits for them rather than computing them again. A new data version (an
import) is not predicted: its first views compute their figures, as without this module.

Correctness does not depend on the guess: a figure is found only under the exact function,
arguments and data version a view asks for; a recipe rolled to the next minute that no view asks
for again costs only its computation. An idle app computes nothing (no recipe is recent), and one
refresh stops after REFRESH_BUDGET_SECONDS of work, begun with the recipes asked for most.

Off by default (IOC_PRECOMPUTE=1 switches it on): measured with the real clock on the Hanoi demo,
it removed the views of over 1 s at the turn of each minute with 10 sessions (none against 1-6),
but with 20 sessions its refresh competed with the views and idle p95 was 1.94 s against 1.47 s
without it (benchmarks/load_test.py --demo-feed 0 --precompute 1 / 0).
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb
import polars as pl

from ioc import config
from ioc.kpi import Period

# Recipes asked for in the last two minutes are computed ahead: a page open on a screen (the live
# page reruns every minute, a wall rotates) or a leader clicking through; one view long ago is not.
RECENT_SECONDS = 120.0
# One refresh stops after this much work, the recipes asked for most first; the rest is computed
# by its next view, as without this module.
REFRESH_BUDGET_SECONDS = 10.0
TICK_SECONDS = 0.5  # how often the thread looks at the clock
# The next minute's figures are computed in the last this-many seconds of a minute: a refresh of
# the pages in use takes a few seconds (REFRESH_BUDGET_SECONDS at most).
LEAD_SECONDS = 20
# A view asking for a figure the refresh is computing waits for it this long at most, instead of
# computing it again beside it (twenty views at the turn of a minute would otherwise all compute
# the same page at once).
WAIT_SECONDS = 10.0
MISSING = object()

log = logging.getLogger(__name__)
Recipe = tuple[str, str, tuple, tuple]  # module, function name, args, sorted kwargs


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    # recipe -> [time.monotonic() it was last asked for, how often since it was first]
    recipes: dict[Recipe, list] = field(default_factory=dict)
    ready: dict[tuple, Any] = field(default_factory=dict)  # (recipe, version) -> figure
    pending: dict[tuple, threading.Event] = field(default_factory=dict)  # being computed
    last: set[tuple] = field(default_factory=set)  # the keys the last refresh made
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)


_state = _State()


def enabled() -> bool:
    return os.environ.get("IOC_PRECOMPUTE", "0") == "1"


def recipe(func: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Recipe:
    return (func.__module__, func.__name__, args, tuple(sorted(kwargs.items())))


def _copy(figure: Any) -> Any:
    """What a view gets: its own copy (a page may change what it is given), cheap for frames
    (Polars shares the column buffers)."""
    if isinstance(figure, pl.DataFrame):
        return figure.clone()
    return copy.deepcopy(figure)


def lookup(found: Recipe, version: str) -> Any:
    """The figure computed ahead for `found` at `version` (waiting for it while the refresh is
    computing it), or MISSING. Either way the recipe is remembered as asked for now."""
    key = (found, version)
    with _state.lock:
        asked = _state.recipes.setdefault(found, [0.0, 0])
        asked[0] = time.monotonic()
        asked[1] += 1
        figure = _state.ready.get(key, MISSING)
        computing = _state.pending.get(key) if figure is MISSING else None
    if computing is not None and computing.wait(WAIT_SECONDS):
        with _state.lock:
            figure = _state.ready.get(key, MISSING)
    return figure if figure is MISSING else _copy(figure)


def rolled(args: tuple, minute: datetime) -> tuple:
    """`args` as the same view asks for them in `minute`: a period ending today and taken at an
    earlier minute of the same day (Period.as_of on a whole minute) is taken at `minute`, and so
    is a moment that is an earlier whole minute of that day (the live page's). Everything else is
    kept: a period of past days does not change with the clock."""

    def roll(value: Any) -> Any:
        if isinstance(value, Period):
            moment = value.as_of
            if moment.date() == minute.date() == value.date_to and _earlier_minute(moment, minute):
                return Period.of(value.date_from, value.date_to, minute)
        elif isinstance(value, datetime) and _earlier_minute(value, minute):
            return minute
        return value

    return tuple(roll(value) for value in args)


def _earlier_minute(moment: datetime, minute: datetime) -> bool:
    return (
        moment.date() == minute.date()
        and moment < minute
        and moment.second == 0
        and moment.microsecond == 0
    )


def due(now: float | None = None) -> list[Recipe]:
    """The recipes asked for in the last RECENT_SECONDS, the most asked for first; older ones
    are forgotten."""
    now = time.monotonic() if now is None else now
    with _state.lock:
        for old in [r for r, (at, _) in _state.recipes.items() if now - at > RECENT_SECONDS]:
            del _state.recipes[old]
        return sorted(_state.recipes, key=lambda r: -_state.recipes[r][1])


@dataclass(frozen=True)
class Refresh:
    figures: int
    seconds: float
    failed: int
    over_budget: int


def refresh(
    cursor: Callable[[], duckdb.DuckDBPyConnection],
    version: str,
    minute: datetime,
    recipes: list[Recipe] | None = None,
    budget: float = REFRESH_BUDGET_SECONDS,
) -> Refresh:
    """Compute every due recipe, rolled to `minute`, at `version` (one already computed with the
    same arguments at this version, a period of past days, is kept); keep these figures and the
    previous refresh's of the same version (the minute still running), no older ones. A recipe
    that fails is skipped (its view computes it and shows the failure as pages do)."""
    import importlib

    started = time.perf_counter()
    fresh: dict[tuple, Any] = {}
    failed = skipped = 0
    plan = [
        ((module, name, rolled(args, minute), kwargs), version)
        for module, name, args, kwargs in (recipes if recipes is not None else due())
    ]
    with _state.lock:
        for key in plan:
            # a figure of past days at the same version is kept, not computed again
            if key in _state.ready:
                fresh[key] = _state.ready[key]
            else:
                _state.pending.setdefault(key, threading.Event())
    con = cursor()
    try:
        for key in plan:
            if key in fresh:
                continue
            if time.perf_counter() - started > budget:
                skipped += 1
                _done(key)
                continue
            (module, name, args, kwargs), _ = key
            try:
                func = getattr(importlib.import_module(module), name)
                fresh[key] = func(con, *args, **dict(kwargs))
            except Exception:  # noqa: BLE001 - one figure must not stop the others
                failed += 1
                log.exception("precompute: %s.%s", module, name)
            else:
                with _state.lock:  # a view of this minute may be waiting for it
                    _state.ready[key] = fresh[key]
            _done(key)
    finally:
        con.close()
        for key in plan:  # nobody waits for a figure this refresh will not compute
            _done(key)
    with _state.lock:  # the last refresh's figures stay (this minute's, while the next is made)
        kept = {k: _state.ready[k] for k in _state.last if k[1] == version and k in _state.ready}
        _state.ready = kept | fresh
        _state.last = set(fresh)
    return Refresh(len(fresh), time.perf_counter() - started, failed, skipped)


def _done(key: tuple) -> None:
    with _state.lock:
        computing = _state.pending.pop(key, None)
    if computing is not None:
        computing.set()


def _loop(
    cursor: Callable[[], duckdb.DuckDBPyConnection],
    version: Callable[[], str],
    stop: threading.Event,
) -> None:
    """In the last LEAD_SECONDS of each minute, compute the next minute's figures at the data
    version now (once per minute and version)."""
    done: tuple[str, datetime] | None = None
    while not stop.wait(TICK_SECONDS):
        try:
            now = config.now()
            if now.second < 60 - LEAD_SECONDS:
                continue
            moment = (version(), now.replace(second=0, microsecond=0) + timedelta(minutes=1))
            if moment == done:
                continue
            if due():
                result = refresh(cursor, *moment)
                log.info(
                    "precompute: %d figures in %.2f s (%d failed, %d over budget)",
                    result.figures,
                    result.seconds,
                    result.failed,
                    result.over_budget,
                )
            done = moment
        except Exception:  # keep going: the views compute what is missing
            log.exception("precompute refresh failed")


def start(
    cursor: Callable[[], duckdb.DuckDBPyConnection], version: Callable[[], str]
) -> threading.Thread | None:
    """Start the refresh thread once per process (None when IOC_PRECOMPUTE=0)."""
    if not enabled():
        return None
    with _state.lock:
        if _state.thread is not None and _state.thread.is_alive():
            return _state.thread
        _state.stop = threading.Event()
        _state.thread = threading.Thread(
            target=_loop,
            args=(cursor, version, _state.stop),
            name="ioc-precompute",
            daemon=True,
        )
        _state.thread.start()
        return _state.thread


def stop() -> None:
    """Stop the refresh thread (tests) and forget every recipe and figure."""
    _state.stop.set()
    if _state.thread is not None:
        _state.thread.join(timeout=30)
    with _state.lock:
        _state.thread = None
        _state.recipes.clear()
        _state.ready = {}
        _state.pending.clear()
        _state.last = set()
