"""Streamlit-side plumbing shared by every page: the store connection, cached figures, the
sidebar filters mirrored in st.query_params, the language switch and the data-age line.

Pages call these; they never open the store or write SQL themselves.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import importlib
import json
import logging
import os
import pickle
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import polars as pl
import streamlit as st
from streamlit import runtime

from ioc import actions, auth, config, history, live, mirror, precompute, store, tables, writes
from ioc.i18n import fmt_date, fmt_datetime, t
from ioc.kpi import Period
from ioc.scope import CITY, WARD_CHAIR, Scope, ScopeError

log = logging.getLogger(__name__)

CACHE_TTL = 60
STALE_MINUTES = 30
PERIOD_PRESETS = ("today", "7d", "month", "since_start", "custom")


def _open_store(path: str) -> duckdb.DuckDBPyConnection:
    """The app process's one DuckDB instance of the store (ioc.startup).

    Pages read through cursors of this instance; the in-process writers (inbox watcher, upload)
    use it too, so a reader never meets a lock and never sees a half-imported file.
    """
    from ioc import startup

    # A server started by `ioc serve` runs these already; one started by `streamlit run app.py`
    # from its first page view. AppTest runs pages on a mocked runtime: no background work there.
    if isinstance(runtime.get_instance(), runtime.Runtime):
        return startup.start(path)

    def building() -> None:
        st.toast(t("app.building_demo", lang()))

    return startup.open_store(path, on_demo_build=building)


# The store instance of each IOC_DB value once opened: a page view asks for a cursor a dozen times,
# and opening through ioc.startup resolves the path on the file system each time (issue 21: about
# 6% of a served view's CPU under 20 sessions). ioc.startup keeps the instances themselves.
_opened: dict[str, duckdb.DuckDBPyConnection] = {}


def connection() -> duckdb.DuckDBPyConnection:
    """A cursor on the app's store instance."""
    from ioc import startup

    path = str(config.db_path())
    con = _opened.get(path)
    if con is None or not startup.is_open(con):
        con = _opened[path] = _open_store(path)
    return store.cursor(con)


def page_allowed(page_file: str) -> None:
    """First call of a page: stop, with one line, a viewer whose role may not open it. Who may
    open what is said once, in ioc/navigation.py (app.py builds each role's navigation from it;
    this keeps a page closed however it is reached)."""
    from pathlib import Path

    from ioc import navigation

    path = Path(page_file).resolve().relative_to(config.PROJECT_ROOT).as_posix()
    if not navigation.may_open(current_scope().role, path):
        st.warning(tr("auth.no_access"))
        st.stop()


# The version read last per store path: (time.monotonic(), VERSION_WRITES then, the store
# instance, version). Another run within VERSION_SECONDS takes it instead of a query (issue 21:
# the read was 6% of a served view's CPU under 20 sessions).
_versions: dict[str, tuple[float, int, int, str]] = {}
VERSION_SECONDS = 1.0


def data_version() -> str:
    """Changes whenever an import lands; part of every cache key so figures follow the data.
    The store's path is part of it: two stores at the same version never share figures. On a
    page read at a past moment (moment_picker) it names that snapshot of that lake instead, and
    everything cached under it is read there (reader)."""
    moment = current_moment()
    return _live_version() if moment is None else _past_key(moment.version)


def _live_version() -> str:
    """The store's data version now (data_version on a page read now).

    Read once per script run (a view asks a dozen times; each read was a query, issue 21), and
    at most once a VERSION_SECONDS in the process: a write of the version in this process (an
    import, a form's secondment) or a store opened anew is read again at once, another process's
    (a DuckLake writer) within VERSION_SECONDS. The version read is a committed one and the data
    queried after it is the same or newer, so a figure is never cached under a newer version than
    its data."""
    import time

    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    path = str(config.db_path())
    ctx = get_script_run_ctx(suppress_warning=True)
    memo = getattr(ctx, "_ioc_data_version", None)
    # ctx.cursors is a new dict at the start of every run (ScriptRunContext.reset); a write of
    # the version in this process (a form's secondment, an import) is read again at once
    writes = store.VERSION_WRITES[0]
    if memo is not None and memo[0] is ctx.cursors and memo[1:3] == (path, writes):
        return memo[3]
    now = time.monotonic()
    seen = _versions.get(path)
    if (
        seen is not None
        and seen[1] == writes
        and seen[2] == id(_opened.get(path))
        and 0 <= now - seen[0] < VERSION_SECONDS
    ):
        version = seen[3]
    else:
        with connection() as con:
            live = store.get_meta(con, "data_version", "0") or "0"
        version = f"{path}#{mirror.version_to_serve(live, writes)}"
        _versions[path] = (now, writes, id(_opened.get(path)), version)
    if ctx is not None:
        ctx._ioc_data_version = (ctx.cursors, path, writes, version)
    return version


# --- a page read at a past moment (DuckLake only; ioc/history.py) ------------------------------

PAST = "snapshot:"  # data_version() of a page read at a past snapshot: PAST + N + "|" + lake
MOMENT_KEY = "ioc_moment"  # session state: (the page's script hash, the Moment it reads or None)
NOW, OTHER = "now", "other"  # the picker's choices besides the import snapshots


def _past_key(version: int) -> str:
    return f"{PAST}{int(version)}|{history.identity()}"


def _past_version(version: str) -> int | None:
    """The snapshot a data_version() names, None for the store now."""
    if not version.startswith(PAST):
        return None
    return int(version[len(PAST) :].partition("|")[0])


def reader(version: str) -> duckdb.DuckDBPyConnection:
    """A cursor on the store as data_version() `version` names it: the store now, or the lake as
    it stood at a past snapshot (one read-only attach per snapshot in the process). On an app
    replica of the lake, the store now is its mirror when the mirror holds that very version
    (ioc/mirror.py), else the lake itself."""
    past = _past_version(version)
    if past is not None:
        return store.cursor(history.connection(past))
    copy = mirror.serving(version.rpartition("#")[2])
    return connection() if copy is None else store.cursor(copy)


def _page_hash() -> str:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.page_script_hash if ctx is not None else ""


def current_moment() -> history.Moment | None:
    """The past moment this page is read at (None: now). Set by the page's moment_picker and
    kept in the session for the page's fragment runs (which do not run the picker); another page
    reads now."""
    held = st.session_state.get(MOMENT_KEY)
    return held[1] if held and held[0] == _page_hash() else None


def clock() -> datetime:
    """The 'now' of this page's periods: the past moment's time when read at one (history.clock),
    else the start of the current minute, as the live page's (with the second in it, a shared
    figure's key changed every second and every view of the day computed the page again)."""
    moment = current_moment()
    return live.minute(config.now()) if moment is None else history.clock(moment)


def moment_picker() -> history.Moment | None:
    """Xem tại thời điểm, in the sidebar, on the DuckLake store (nothing on the file store, which
    keeps no history): now, one of the recent imports, or a date and time (resolved to the last
    snapshot at or before it). Call it before sidebar_filters: the periods are then reckoned from
    the moment. The choice is kept in the URL (snapshot=N, or at=ISO time)."""
    moment = _pick_moment() if history.available() else None
    st.session_state[MOMENT_KEY] = (_page_hash(), moment)
    return moment


def _pick_moment() -> history.Moment | None:
    choices = fetch_now(history.import_moments)
    labels = {
        row["snapshot_id"]: history.choice_label(row) for row in choices.iter_rows(named=True)
    }
    options = [NOW, *labels, OTHER]
    asked = _param("snapshot")
    asked_at = _parse_datetime(_param("at"))
    wanted = int(asked) if asked and asked.isdigit() else (OTHER if asked_at else NOW)
    moment, at = None, None
    with st.sidebar:
        choice = st.selectbox(
            tr("history.pick"),
            options,
            index=options.index(wanted) if wanted in options else 0,
            format_func=lambda c: tr(f"history.{c}") if c in (NOW, OTHER) else labels[c],
            help=tr("history.help", days=config.lake_retention_days()),
            key="moment_choice",
        )
        if choice == OTHER:
            start = asked_at or datetime.combine(
                history.last_monday(history.wall_clock().date()), history.MEETING_TIME
            )
            first, last = history.oldest_day(), history.wall_clock().date()
            day, hour = st.columns(2)
            picked_day = day.date_input(
                tr("history.day"),
                value=min(max(start.date(), first), last),  # an address's day kept in range
                min_value=first,
                max_value=last,
                format="DD/MM/YYYY",
                key="moment_day",
            )
            picked_time = hour.time_input(
                tr("history.time"), value=start.time(), step=900, key="moment_time"
            )
            at = datetime.combine(picked_day, picked_time)
            moment = fetch_now(history.moment_at, at)
            if moment is None:
                st.caption(tr("history.none_at", at=fmt_datetime(at)))
        elif choice != NOW:
            moment = fetch_now(history.moment_of, choice)
    _mirror(
        snapshot=str(choice) if choice not in (NOW, OTHER) else None,
        at=at.isoformat(timespec="minutes") if at else None,
    )
    return moment


def _parse_datetime(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def moment_banner(moment: history.Moment) -> None:
    """The line that says a page is read at a past moment, so nobody takes it for now."""
    st.warning(
        tr("history.banner", at=fmt_datetime(moment.at), n=moment.version),
        icon=":material/history:",
    )


def imports_since_note(moment: history.Moment, commune: str | None) -> None:
    """Under a table read at a past moment: the imports that changed dossiers since, read from
    the lake's change feed now (lake.imports_since). A ward chair's are the own commune's; anyone
    else's the commune chosen, or every commune's."""
    from ioc import lake

    scope = current_scope()
    if scope.role == WARD_CHAIR:
        commune = scope.commune_code
    st.subheader(tr("history.changes"))
    st.caption(
        tr("history.changes_of", commune=md_text(commune_name(commune)))
        if commune
        else tr("history.changes_all")
    )
    changes = fetch_now(lake.imports_since, commune, moment.version)
    if changes.height == 0:
        st.caption(tr("history.changes_none"))
        return
    dataframe(tables.shown(changes, history.CHANGES_SPEC, lang()), hide_index=True, key="changes")


def lang() -> str:
    return st.session_state.get("lang", "vi")


def tr(key: str, **values: object) -> str:
    """t() in the session's language."""
    return t(key, lang(), **values)


def current_scope() -> Scope:
    """The signed-in user's scope (set at sign-in by ioc.auth). app.py lets no page run before
    sign-in; a page run on its own (an AppTest of pages/x.py) sees a city leader."""
    return st.session_state.get("scope", CITY)


def audit_event(action: str, commune: str | None = None, detail: str | None = None) -> None:
    """Audit something the signed-in user did (an export, a download, a dossier list shown).

    A dossier list is logged once per session for each commune and detail, not on every rerun.
    """
    from ioc import audit

    if action == audit.VIEW_DOSSIERS:
        seen = st.session_state.setdefault("audit_seen", set())
        if (commune, detail) in seen:
            return
        seen.add((commune, detail))
    with connection() as con:
        audit.record(con, current_scope().username or None, action, commune, detail)


@dataclass(frozen=True)
class Filters:
    period: Period
    preset: str
    commune: str | None
    field: str | None
    province: str = config.DEFAULT_PROVINCE


def _preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "today":
        return today, today
    if preset == "7d":
        return today - timedelta(days=6), today
    if preset == "month":
        return today.replace(day=1), today
    return config.START_DATE.date(), today


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def commune_options(province: str, version: str) -> pl.DataFrame:
    with reader(version) as con:
        return store.run_query(con, "communes_of_province", province=province)


def commune_name(code: str, province: str = config.DEFAULT_PROVINCE) -> str:
    """A commune's name (its code when the province has no such commune)."""
    communes = commune_options(province, data_version())
    hit = communes.filter(pl.col("commune_code") == code)["commune_name"]
    return hit[0] if hit.len() else code


def title_of(key: str, commune: str | None) -> str:
    """A page title that says whose figures it shows: the page's name, and the commune's when
    the figures are one commune's (a ward chair's own by default), as Markdown-safe text."""
    if commune is None:
        return tr(key)
    return tr("app.title_of", title=tr(key), commune=md_text(commune_name(commune)))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def field_options(version: str) -> list[str]:
    with reader(version) as con:
        return store.run_query(con, "procedure_fields")["field_name"].to_list()


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if value else None


def sidebar_filters() -> Filters:
    """Period preset, commune and field in the sidebar, read from and written to the URL."""
    version = data_version()
    now = clock()  # a page read at a past moment reckons its periods from that moment
    today = now.date()
    with st.sidebar:
        st.subheader(tr("filter.header"))
        preset = _param("period") if _param("period") in PERIOD_PRESETS else "7d"
        preset = st.selectbox(
            tr("filter.period"),
            PERIOD_PRESETS,
            index=PERIOD_PRESETS.index(preset),
            format_func=lambda p: tr(f"filter.period.{p}"),
            key="filter_period",
        )
        if preset == "custom":
            start = _parse_date(_param("from")) or today - timedelta(days=29)
            end = _parse_date(_param("to")) or today
            picked = st.date_input(
                tr("filter.date_range"),
                value=(start, end),
                min_value=config.START_DATE.date(),
                max_value=today,
                format="DD/MM/YYYY",
                key="filter_dates",
            )
            start, end = (
                (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (start, end)
            )
        else:
            start, end = _preset_range(preset, today)

        communes = commune_options(config.DEFAULT_PROVINCE, version)
        codes = [None, *communes["commune_code"].to_list()]
        names = dict(zip(communes["commune_code"], communes["commune_name"], strict=True))
        # A ward chair opens on the own commune; choosing the whole city is kept in the URL as "all".
        own = current_scope().commune_code
        wanted = _param("commune") or own
        commune = st.selectbox(
            tr("filter.commune"),
            codes,
            index=codes.index(wanted) if wanted in codes else 0,
            format_func=lambda c: tr("filter.commune.all") if c is None else names.get(c, c),
            key="filter_commune",
        )
        fields = [None, *field_options(version)]
        wanted_field = _param("field")
        field = st.selectbox(
            tr("filter.field"),
            fields,
            index=fields.index(wanted_field) if wanted_field in fields else 0,
            format_func=lambda f: tr("filter.field.all") if f is None else f,
            key="filter_field",
        )
    _mirror(period=preset, commune=commune or ("all" if own else None), field=field)
    if preset == "custom":
        _mirror(**{"from": start.isoformat(), "to": end.isoformat()})
    return Filters(Period.of(start, end, now), preset, commune, field)


def _mirror(**values: str | None) -> None:
    for key, value in values.items():
        if value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def newest_event(version: str, minute: str) -> datetime | None:
    with reader(version) as con:
        return store.run_query(con, "data_freshness")["newest_at"][0]


def data_time() -> datetime | None:
    """When the newest event in the store happened (the data time a page's figures are of)."""
    return newest_event(data_version(), config.now().strftime("%Y%m%d%H%M"))


def freshness_caption() -> None:
    """'Dữ liệu cập nhật lúc …' on every page; amber when older than 30 minutes. On a page read
    at a past moment: the banner saying so, and the data time of that moment."""
    moment = current_moment()
    if moment is not None:
        moment_banner(moment)
    newest = data_time()
    if newest is None:
        st.caption(tr("app.no_data"))
        return
    if moment is not None:
        st.caption(tr("app.data_updated", at=fmt_datetime(newest)))
        return
    now = config.now()
    text = tr("app.data_updated", at=fmt_datetime(newest))
    minutes = int((now - newest).total_seconds() // 60)
    worker_line = _worker_down_line()
    if worker_line:  # on the lake with no worker: nothing new comes in, whatever the age
        st.markdown(f":orange[{text} · {worker_line}]")
    elif minutes > STALE_MINUTES:
        st.markdown(f":orange[{text} · {tr('app.data_stale', minutes=minutes)}]")
    else:
        st.caption(text)


def _worker_down_line() -> str | None:
    """On the DuckLake store, one line when `ioc worker` (the one process that imports) has not
    said in the last minute that it runs; None on the file store or with the worker running."""
    if config.store_backend() != "ducklake":
        return None
    from ioc import worker

    down, beat = worker.silent()
    if not down:
        return None
    try:
        last = datetime.fromisoformat(str((beat or {})["at"]))
    except (KeyError, ValueError):  # no heartbeat, or one that cannot be read
        return tr("app.worker_never")
    return tr("app.worker_down", at=fmt_datetime(last))


_PLAIN = (str, int, float, bool, type(None), date, datetime, timedelta)


def cache_key(value: Any) -> str:
    """A text naming `value` exactly, for a cache's key: equal texts for equal values, different
    texts for different ones (each part carries its type). Streamlit's own hashing of the same
    arguments cost about 0.85 ms a fetch, several per view (issue 21); this is about 0.01 ms.
    What it does not know (a frame, say) is named by a digest of its pickle: at worst a miss."""
    if isinstance(value, _PLAIN):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__}({','.join(cache_key(v) for v in value)})"
    if isinstance(value, (set, frozenset)):
        return f"{type(value).__name__}({','.join(sorted(cache_key(v) for v in value))})"
    if isinstance(value, dict):
        items = sorted(f"{cache_key(k)}={cache_key(v)}" for k, v in value.items())
        return f"dict({','.join(items)})"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = (cache_key(getattr(value, f.name)) for f in dataclasses.fields(value))
        return f"{type(value).__module__}.{type(value).__qualname__}({','.join(parts)})"
    digest = hashlib.sha256(pickle.dumps(value, protocol=5)).hexdigest()
    return f"{type(value).__module__}.{type(value).__qualname__}#{digest}"


def _call(module: str, name: str, args: tuple, kwargs: tuple, version: str) -> Any:
    func = getattr(importlib.import_module(module), name)
    with reader(version) as con:
        return func(con, *args, **dict(kwargs))


# Keyed by cache_key of the call and the data version, given as keywords: Streamlit hashes two
# short texts; the call itself (_spec) is not hashed.
@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=500)
def _cached_call(key: str, version: str, _spec: tuple) -> Any:
    return _call(*_spec, version)


@st.cache_data(show_spinner=False, max_entries=500)
def _cached_past_call(key: str, version: str, _spec: tuple) -> Any:
    """_cached_call at a past snapshot, without a TTL: a snapshot never changes."""
    return _call(*_spec, version)


def fetch(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a package function `func(con, *args, **kwargs)` through the cache.

    The cache key is the function, its arguments and data_version(), so figures are shared by all
    sessions for CACHE_TTL seconds and follow every import at once; on a page read at a past
    moment they are read at its snapshot and kept (a snapshot never changes). A figure of now
    that the process computed ahead for this minute and data version (ioc.precompute) is served
    without a query.
    """
    version = data_version()
    spec = precompute.recipe(func, args, kwargs)
    if _past_version(version) is not None:
        return _cached_past_call(key=cache_key(spec), version=version, _spec=spec)
    if precompute.enabled():
        precompute.start(connection, _live_version)
        found = precompute.lookup(spec, version)
        if found is not precompute.MISSING:
            return found
    return _cached_call(key=cache_key(spec), version=version, _spec=spec)


def fetch_now(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """fetch() on the store now, whatever moment the page is read at (the moments themselves,
    the imports since one)."""
    spec = precompute.recipe(func, args, kwargs)
    return _cached_call(key=cache_key(spec), version=_live_version(), _spec=spec)


@st.cache_resource(ttl=CACHE_TTL, max_entries=500, show_spinner=False)
def _shared(key: str, version: str, _build: Callable[[], Any]) -> Any:
    from ioc import charts

    return charts.shared(_build())  # a figure's dict made once, not on every view


def shared(name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """What a page shows that is the same for everyone at the same data version (a figure, a
    table as sent), built once by `build()` and then served to every session without a copy
    (issue 21): the caller must never change it (st.plotly_chart and st.dataframe do not).

    The cache key is `name`, `key` (everything the object depends on besides the scope and the
    data: period, commune chosen, field, language), the viewer's role and commune, and
    data_version(), so one scope's rows are never shown to another and every import shows at
    once."""
    scope = current_scope()
    named = cache_key((name, key, (scope.role, scope.commune_code)))
    return _shared(key=named, version=data_version(), _build=build)


def arrow_table(frame: pl.DataFrame) -> Any:
    """tables.arrow: a Polars frame as the Arrow table st.dataframe sends as it is."""
    return tables.arrow(frame)


def dataframe(frame: Any, where: Any = None, **kwargs: Any) -> Any:
    """st.dataframe of a Polars frame (or an arrow_table already made) handed over as Arrow.
    `where`: a column or container (the page's main area by default)."""
    if isinstance(frame, pl.DataFrame):
        frame = arrow_table(frame)
    return (where or st).dataframe(frame, **kwargs)


BADGE_COLOURS = {"green": "green", "amber": "orange", "red": "red"}
CARDS_KEY = "ioc_cards"  # st.container(key=CARDS_KEY) around a page's rows of metric_card
# Phones (issue 23): narrower side padding, smaller titles and figures, and the cards of a
# CARDS_KEY container two to a row instead of Streamlit's one full-width card per row.
PHONE_CSS = (
    "@media (max-width:640px){"
    # the phone header (the sidebar button) is about 3.5rem tall: the title starts below it
    "[data-testid='stMainBlockContainer']{padding:3.75rem .75rem 1rem}"
    "h1{font-size:1.5rem!important;padding:.2rem 0!important}"
    "h3{font-size:1.15rem!important}"
    f".st-key-{CARDS_KEY} [data-testid='stHorizontalBlock']{{flex-wrap:wrap;gap:.5rem}}"
    f".st-key-{CARDS_KEY} [data-testid='stColumn']{{flex:1 1 calc(50% - .5rem)!important;"
    "min-width:calc(50% - .5rem)!important;width:calc(50% - .5rem)!important}"
    "[data-testid='stMetricValue']{font-size:1.4rem}"
    "}"
)


def metric_card(
    column: Any,
    label: str,
    value: str,
    *,
    delta: str | None = None,
    delta_color: str = "normal",
    help: str | None = None,
    light: str | None = None,
    badge: str | None = None,
) -> None:
    """A KPI card: a bordered box holding the figure and, when a target is in force, its light."""
    box = column.container(border=True)
    box.metric(label, value, delta, delta_color=delta_color, help=help)
    if light:
        box.badge(badge or tr(f"light.{light}"), color=BADGE_COLOURS[light])


def pinned(spec: dict[str, tuple[str, str]], columns: Sequence[str]) -> dict[str, Any]:
    """st.dataframe column_config pinning `columns` of a tables.display spec to the left, so a
    table keeps the commune's name and its main figure in view on a 390 px phone (issue 23)."""
    return {tr(spec[c][0]): st.column_config.Column(pinned=True) for c in columns if c in spec}


# --- meeting actions (issue 16; the data and who may: ioc/actions.py) --------------------------

ACTION_NOTICE = "action_notice"  # (kind, text) of the last action change, shown once


def _action_change(func: Callable[[], Any], done_text: str, clear: tuple[str, ...] = ()) -> None:
    """Run an action change from a widget callback (before the page redraws, so the slide and the
    lists show it): its one-line result kept for the next draw, the cached figures (the deck) dropped
    when it worked, and the form's text fields emptied."""
    try:
        with connection() as con:
            result = func(con)
    except actions.ActionError as error:
        st.session_state[ACTION_NOTICE] = ("error", error.message(lang()))
        return
    except ScopeError:
        st.session_state[ACTION_NOTICE] = ("error", tr("action.error.scope"))
        return
    except writes.WritesUnavailable:  # a callback is not under _shielded: said here
        st.session_state[ACTION_NOTICE] = ("error", tr(writes.WritesUnavailable.KEY))
        return
    _cached_call.clear()  # the deck's actions slide shows the change at once
    for key in clear:
        st.session_state[key] = ""
    st.session_state[ACTION_NOTICE] = ("success", done_text.format(n=result))


def _action_notice() -> None:
    notice = st.session_state.pop(ACTION_NOTICE, None)
    if notice:
        (st.error if notice[0] == "error" else st.success)(notice[1])


def _action_label(row: dict) -> str:
    state = tr(f"action.status.{row['status']}")
    return f"#{row['action_id']} · {state} · {row['commune_name']} · {row['what'][:60]}"


def _action_state_picker(frame: pl.DataFrame, key: str) -> None:
    """Pick one of the actions shown and mark it done (or, for a recorder, open again)."""
    scope = current_scope()
    choices = frame.filter(pl.col("status") != "done") if not actions.may_record(scope) else frame
    if choices.height == 0:
        return
    labels = {r["action_id"]: _action_label(r) for r in choices.iter_rows(named=True)}
    picked = st.selectbox(
        tr("action.pick"), list(labels), format_func=labels.get, key=f"{key}_pick"
    )
    done = choices.filter(pl.col("action_id") == picked)["status"][0] == "done"

    def change(con: duckdb.DuckDBPyConnection) -> int:
        # the pick as it is when the button is pressed (a callback's args are the last draw's)
        chosen = st.session_state[f"{key}_pick"]
        was_done = actions.rows(con, scope, action=chosen)["status"].to_list() == ["done"]
        actions.set_done(con, scope, chosen, not was_done)
        return chosen

    st.button(
        tr("action.reopen") if done else tr("action.mark_done"),
        key=f"{key}_state",
        on_click=_action_change,
        args=(change, tr("action.updated")),
    )


# The recorder is a light panel with dark text under the slides of either presenter theme (the
# page colours its text for the slide's background).
RECORDER_CSS = """<style>
.stApp .st-key-action_recorder{background:#fff;border-radius:.5rem}
.stApp .st-key-action_recorder :is(p,span,label,summary,input,textarea,div){color:#14202e}
.stApp .st-key-action_recorder button{background:#f1f4f8;border-color:#c5ced8}
.stApp .st-key-action_recorder svg{color:#14202e}
[data-baseweb="popover"] li, [data-baseweb="popover"] li *{color:#14202e}
</style>"""


def action_recorder(title: str, period: Period, slide: Any, names: dict[str, str]) -> None:
    """Ghi việc giao: an expander under the slides where a city leader or the presenter records the
    actions of the meeting held today on the deck titled `title` (the commune prefilled with the
    commune of the slide shown, an ioc.presentation.Slide) and marks actions done or open again;
    nothing for the other roles."""
    commune = slide.token.partition(":")[2] if slide.kind == "commune" else None
    scope = current_scope()
    if not actions.may_record(scope):
        return
    today = config.now().date()
    with connection() as con:
        meeting = actions.find_meeting(con, title, today)
        recorded = (
            actions.of_meeting(con, scope, meeting.meeting_id, lang())
            if meeting
            else actions.rows(con, scope, action=0)
        )
        carried = actions.carried(con, scope, period, lang()).rows
    st.markdown(RECORDER_CSS, unsafe_allow_html=True)
    # a constant label: an expander whose label changes is drawn anew, closed
    panel = st.container(key="action_recorder")
    with panel.expander(tr("action.record"), icon=":material/assignment:"):
        _action_notice()
        st.caption(
            tr("action.meeting", day=fmt_date(today), title=md_text(title), n=recorded.height)
        )
        if recorded.height:
            st.dataframe(
                tables.display(recorded, actions.COLUMNS, lang()),
                hide_index=True,
                key="action_recorded",
            )
        else:
            st.caption(tr("action.none_yet"))
        codes = [None, *names]
        with st.form("action_form", border=False):
            left, middle, right = st.columns([2, 2, 1])
            left.selectbox(
                tr("action.form.commune"),
                codes,
                index=codes.index(commune) if commune in codes else 0,
                format_func=lambda c: tr("filter.commune.all") if c is None else names.get(c, c),
                key=f"action_commune_{commune or 'city'}",
            )
            middle.text_input(
                tr("action.form.owner"),
                max_chars=actions.OWNER_MAX,
                help=tr("action.form.owner_help"),
                key="action_owner",
            )
            right.date_input(
                tr("action.form.deadline"),
                value=today + timedelta(days=actions.DEFAULT_DAYS),
                min_value=today,
                format="DD/MM/YYYY",
                key="action_deadline",
            )
            st.text_area(
                tr("action.form.what"), max_chars=actions.WHAT_MAX, height=80, key="action_what"
            )

            def add(con: duckdb.DuckDBPyConnection) -> int:
                state = st.session_state
                return actions.add(
                    con,
                    scope,
                    actions.meeting_for(con, scope, title, period, today),
                    state.get(f"action_commune_{commune or 'city'}"),
                    state.get("action_what"),
                    state.get("action_owner"),
                    state.get("action_deadline"),
                )

            st.form_submit_button(
                tr("action.form.save"),
                type="primary",
                on_click=_action_change,
                args=(add, tr("action.saved"), ("action_what", "action_owner")),
            )
        open_ones = pl.concat([carried, recorded]).unique("action_id", maintain_order=True)
        if open_ones.height:
            st.markdown(f"**{tr('action.update')}**")
            _action_state_picker(open_ones, "action_recorder")
            _action_editor(open_ones, names, today)


def _action_editor(frame: pl.DataFrame, names: dict[str, str], today: date) -> None:
    """Sửa việc: the recorder changes the picked action's commune, text, owner or deadline (each
    change kept in the action's history and audited by ioc.actions.edit). The form is keyed by the
    action, so its fields start from the action picked."""
    scope = current_scope()
    picked = st.session_state.get("action_recorder_pick")
    chosen = frame.filter(pl.col("action_id") == picked)
    if chosen.height == 0:
        return
    row = chosen.row(0, named=True)
    codes = [None, *names]
    key = f"action_edit_{picked}"
    with st.form(key, border=False):
        st.caption(tr("action.edit.title", n=picked))
        left, middle, right = st.columns([2, 2, 1])
        left.selectbox(
            tr("action.form.commune"),
            codes,
            index=codes.index(row["commune_code"]) if row["commune_code"] in codes else 0,
            format_func=lambda c: tr("filter.commune.all") if c is None else names.get(c, c),
            key=f"{key}_commune",
        )
        middle.text_input(
            tr("action.form.owner"),
            value=row["owner"] or "",
            max_chars=actions.OWNER_MAX,
            help=tr("action.form.owner_help"),
            key=f"{key}_owner",
        )
        right.date_input(
            tr("action.form.deadline"),
            value=row["deadline"],
            min_value=min(today, row["deadline"]),
            format="DD/MM/YYYY",
            key=f"{key}_deadline",
        )
        st.text_area(
            tr("action.form.what"),
            value=row["what"],
            max_chars=actions.WHAT_MAX,
            height=80,
            key=f"{key}_what",
        )

        def edit(con: duckdb.DuckDBPyConnection) -> int:
            state = st.session_state
            changed = actions.edit(
                con,
                scope,
                picked,
                state.get(f"{key}_commune"),
                state.get(f"{key}_what"),
                state.get(f"{key}_owner"),
                state.get(f"{key}_deadline"),
            )
            if not changed:
                raise actions.ActionError("action.edit.unchanged")
            return picked

        st.form_submit_button(
            tr("action.edit.save"), on_click=_action_change, args=(edit, tr("action.updated"))
        )


def commune_actions(commune: str) -> pl.DataFrame | None:
    """The actions addressed to a commune as the viewer may see them (None: not this viewer's)."""
    try:
        with connection() as con:
            return actions.for_commune(con, current_scope(), commune, lang())
    except ScopeError:
        return None


def commune_actions_section(frame: pl.DataFrame | None, anchor: str) -> None:
    """Việc được giao on the commune page: the commune's actions with their state lights, and the
    control that marks one done (its chair or a recorder)."""
    if frame is None:
        return
    st.subheader(tr("action.section"), anchor=anchor)
    _action_notice()
    if frame.height == 0:
        st.caption(tr("action.section_none"))
        return
    from ioc import drilldown

    st.caption(tr("action.section_help"))
    st.html(drilldown.actions_html(frame, lang()))
    _action_state_picker(frame, "commune_actions")


# --- text from files stays text (issue 20) ---------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:$~&=^])")


def md_text(value: object) -> str:
    """A value from a file or a user, made safe to put into Markdown (st.markdown, st.caption,
    st.warning, st.subheader, a tr() text shown through them): every Markdown, LaTeX ($), emoji
    (:x:) and HTML sign is backslash-escaped and line breaks become spaces, so `[x](http://evil)`,
    `![i](http://evil/a.png)`, `<img …>`, `**b**` and `$x$` show as typed, never as a link, an
    image or markup."""
    text = "—" if value is None else " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plain_lines(lines: Sequence[tuple[str, object]]) -> None:
    """'label: **value**' lines with the values as plain text: written as escaped HTML (st.html
    reads no Markdown, and escaped text is never markup), so no value becomes a link or image."""
    body = "".join(
        f"<div>{html.escape(label)}: <b>{html.escape('—' if value is None else str(value))}</b>"
        "</div>"
        for label, value in lines
    )
    st.html(f'<div class="ioc-plain" style="font-size:0.95rem;line-height:1.6">{body}</div>')


# --- downloads of dossier rows -----------------------------------------------------------------


def dossier_download(frame: pl.DataFrame, file_stem: str, commune: str | None, key: str) -> None:
    """The one way to download a table of dossier rows (the tables' own CSV download is off,
    client.disableDataExport): an .xlsx whose every text cell is written as text, so `=HYPERLINK(…)`
    in a file never becomes a formula, audited as a download when clicked."""
    from ioc import audit, exports

    name = f"{file_stem}-{config.now():%Y%m%d-%H%M}.xlsx"
    st.download_button(
        tr("table.download"),
        exports.table_to_xlsx(frame, {c: c for c in frame.columns}, sheet_name=file_stem),
        file_name=name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click=audit_event,
        args=(audit.DOWNLOAD, commune, name),
        key=key,
        icon=":material/download:",
    )


# --- sessions and errors -------------------------------------------------------------------------


def client_address() -> str:
    """The browser's address as the server sees it (for per-source sign-in lockout)."""
    try:
        address = st.context.ip_address  # None on localhost; a mock under AppTest
    except Exception:  # no request context
        address = None
    return address if isinstance(address, str) and address else "unknown"


def _record_timeout(scope: Scope) -> None:
    from ioc import audit

    with connection() as con:
        audit.record(con, scope.username, audit.SESSION_TIMEOUT, scope.commune_code)


def session_fragment(func: Callable[[], None]) -> Callable[[], None]:
    """Put under @st.fragment(run_every=…): a fragment's own runs skip app.py's sign-in gate, so
    each run first checks the session without counting the timer as activity. A session that timed
    out (or was signed out) is ended and the whole app rerun, which shows the sign-in page; the
    fragment's data is never drawn again. Errors show one line, as on pages (run_page)."""

    @functools.wraps(func)
    def guarded() -> None:
        from ioc import sessions

        with connection() as con:
            scope = sessions.resume(st.session_state, con, on_timeout=_record_timeout, touch=False)
        if scope is None:
            if auth.NOTICE_KEY not in st.session_state:
                auth.sign_out(st.session_state, "timeout")
            st.rerun(scope="app")
        _shielded(func)

    return guarded


def _fragment_run() -> bool:
    """Whether this run is a fragment's own (a widget of the fragment changed, its timer ran),
    which skips app.py and so its sign-in gate."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def widget_fragment(func: Callable[..., None]) -> Callable[..., None]:
    """A page section whose own widgets rerun only it (st.fragment; issue 21: a chart's metric
    choice does not run the page's queries, tables and sidebar again). A fragment's own run skips
    app.py's sign-in gate, so it checks the session first (a click is activity); a session that
    no longer holds reruns the whole app, which shows the sign-in page. The full run it is part
    of has passed the gate already. Errors show one line, as on pages (run_page)."""

    @functools.wraps(func)
    def gated(*args: Any, **kwargs: Any) -> None:
        if _fragment_run():
            from ioc import sessions

            with connection() as con:
                scope = sessions.resume(st.session_state, con, on_timeout=_record_timeout)
            if scope is None:
                if auth.NOTICE_KEY not in st.session_state:
                    auth.sign_out(st.session_state, "timeout")
                st.rerun(scope="app")
        _shielded(lambda: func(*args, **kwargs))

    return st.fragment(gated)


def request_cookies() -> dict[str, str]:
    """The cookies the browser opened this session's websocket with (none under AppTest)."""
    try:
        cookies = dict(st.context.cookies)
    except Exception:  # no request context
        return {}
    return {k: v for k, v in cookies.items() if isinstance(k, str) and isinstance(v, str)}


def _post_from_page(path: str, body: str) -> None:
    """Have the browser POST `body` to one of our routes (ioc/session_routes.py): a script cannot
    set or clear a cookie itself, the route's answer does."""
    script = (
        f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        "headers: {'Content-Type': 'application/x-www-form-urlencoded'}, "
        f"body: {json.dumps(body)}}});</script>"
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def sync_session_cookie() -> None:
    """app.py, on every run: give the browser the cookie of a new sign-in (its one-time code, until
    the route has taken it), or clear a cookie that no longer holds (ioc/sessions.py)."""
    from ioc import sessions

    code = st.session_state.get(sessions.HANDOFF_KEY)
    if code is not None:
        if sessions.handoff_pending(code):
            _post_from_page("/auth/session", f"code={code}")
            return
        del st.session_state[sessions.HANDOFF_KEY]
    if st.session_state.get(sessions.CLEAR_KEY) is True:
        _post_from_page("/auth/sign-out", "")
        st.session_state[sessions.CLEAR_KEY] = "done"


def _shielded(func: Callable[[], Any]) -> None:
    try:
        func()
    except writes.WritesUnavailable:  # an app replica of the lake without its worker
        st.error(tr(writes.WritesUnavailable.KEY))
    except Exception:  # Streamlit's stop/rerun are BaseExceptions and pass through
        if os.environ.get("IOC_DEBUG") == "1":  # the test suite wants the error itself
            raise
        log.exception("page failed")
        st.error(tr("app.error"))


def page_slots() -> int:
    """How many page scripts run at once in the app process (IOC_PAGE_SLOTS, default 2; 0: no
    limit)."""
    try:
        return max(0, int(os.environ.get("IOC_PAGE_SLOTS", "2")))
    except ValueError:
        return 2


# Page scripts run on one core at a time (the GIL): twenty run together take as long as twenty one
# after the other, each of them ends near the end, and the process's other threads (the websocket
# loop sending the views, the inbox's import) wait among twenty. A few at a time, the others
# waiting their turn, serves as many views a second with most of them done sooner (issue 21: p95
# 0.43-0.50 s against 0.57-0.61 s, 20 sessions, two alternated runs). A page that holds its slot
# long (an upload imported in the page) makes the others wait SLOT_WAIT_SECONDS at most.
_SLOTS = threading.BoundedSemaphore(page_slots()) if page_slots() else None
SLOT_WAIT_SECONDS = 3.0


def run_page(page: Any) -> None:
    """Run a navigation page, at most page_slots() at once in the process; an unexpected error
    shows one translated line (the details go to the server log), never a traceback or a server
    path."""
    if _SLOTS is None:
        _shielded(page.run)
        return
    held = _SLOTS.acquire(timeout=SLOT_WAIT_SECONDS)
    try:
        _shielded(page.run)
    finally:
        if held:
            _SLOTS.release()
