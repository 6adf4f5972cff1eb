"""Benchmark of the league, live, drill-down, overview and KPI-map figures.

Builds a store with ioc.demo.build(scale='national', dossiers=N) over the 3,321 communes (or
scale='hanoi': the Hanoi demo's 126 communes), then prints for every page its package functions'
p50 / p95 (DuckDB) against a plain pandas implementation of the same counts on the same data in
the same run, a full AppTest run of the page (signed in as a city leader, cold cache), and the
process RSS before and after the pandas copy is loaded.
Usage: python benchmarks/bench_pages.py [--scale national|hanoi] [--dossiers 10000000] [--db DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ioc import anomalies, auth, drilldown, kpi, kpi_map, league, live, store  # noqa: E402
from ioc.kpi import Period  # noqa: E402
from ioc.scope import CITY, CITY_LEADER, Scope  # noqa: E402
from ioc.workdays import next_working_day  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
REPS = 21  # enough runs for the 95th percentile to be one (with 7 it is the slowest run)
PAGES = (
    "pages/league.py",
    "pages/live.py",
    "pages/commune.py",
    "pages/overview.py",
    "pages/kpi_map.py",
)


def rss_mb() -> float:
    """Peak resident set size of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(func, reps: int = REPS) -> tuple[float, float]:
    """p50 and p95 of warm runs: one untimed run first reads the data into memory, as a running
    server has it (pandas' frame is in memory too)."""
    func()
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]


def pandas_frame(con) -> pd.DataFrame:
    return con.execute(
        "select d.*, c.province_code from dossiers d join communes c using (commune_code)"
    ).df()


def pandas_commune_counts(
    df: pd.DataFrame,
    period: Period,
    province: str,
    previous: bool = False,
    median: bool = False,
    key: str | list[str] = "commune_code",
) -> pd.DataFrame:
    """Every count of queries/kpi_counts.sql per commune (kpi.md), in pandas; with previous, the
    previous period's too (a ranking's rank change needs both); median_days_to_resolve when asked
    for, as kpi.kpi_counts(median=True)."""
    periods = [period, period.previous()] if previous else [period]
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    fin = d.finished_at.dt.normalize()
    due = d.due_at.dt.normalize()
    out = []
    for p in periods:
        lo, hi = pd.Timestamp(p.date_from), pd.Timestamp(p.date_to)
        as_of = pd.Timestamp(p.as_of.date())
        soon = pd.Timestamp(next_working_day(p.as_of.date()))
        rec = (day >= lo) & (day <= hi) & ~d.status.isin(["registered", "rejected"])
        res = d.status.isin(["finished", "returned"]) & (fin >= lo) & (fin <= hi)
        opened = (
            (day <= hi)
            & ~d.status.isin(["registered", "rejected", "withdrawn", "stopped"])
            & (d.finished_at.isna() | (fin > hi))
        )
        online = d.channel == "online"
        full = d.service_level == "full"
        flags = pd.DataFrame(
            {
                "commune_code": d.commune_code,
                "procedure_code": d.procedure_code,
                "received": rec,
                "received_online": rec & online,
                "received_end_to_end": rec & online & full,
                "received_full_level": rec & full,
                "received_with_fee": rec & d.has_fee.fillna(False).astype(bool),
                "received_paid_online": rec
                & d.has_fee.fillna(False).astype(bool)
                & d.paid_online.fillna(False).astype(bool),
                "received_digitized": rec & d.digitized.fillna(False).astype(bool),
                "resolved": res,
                "resolved_on_time": res & (due.isna() | (fin <= due)),
                "resolved_early": res & (fin < due),
                "resolved_late": res & (fin > due),
                "no_due_date": res & due.isna(),
                "open_at_end": opened,
                "open_overdue": opened & (due < as_of),
                "open_due_soon": opened & (due >= as_of) & (due <= soon),
            }
        )
        keys = [key] if isinstance(key, str) else key
        counts = flags.drop(
            columns=[c for c in ("commune_code", "procedure_code") if c not in keys]
        )
        counts = counts.groupby(keys).sum()
        if median:
            days = (d.finished_at - d.received_at).dt.total_seconds() / 86400.0
            counts["median_days_to_resolve"] = days[res].groupby(d.commune_code[res]).median()
        out.append(counts)
    return out[0] if not previous else pd.concat(out, keys=["now", "before"])


def pandas_ranking(df: pd.DataFrame, period: Period, province: str) -> pd.DataFrame:
    """kpi.commune_ranking in pandas: counts of both periods, rates, score, rank, rank change."""
    both = pandas_commune_counts(df, period, province, previous=True)
    ranks = {}
    for which in ("now", "before"):
        c = both.loc[which].copy()
        for name, (num, den) in kpi.RATES.items():
            c[name] = (c[num] / c[den]).where(c[den] > 0)
        progress = c.resolved_on_time + c.open_at_end - c.open_overdue
        c["progress_rate"] = (progress / (c.resolved + c.open_at_end)).where(
            c.resolved + c.open_at_end > 0
        )
        points, maxima = 0.0, 0.0
        for _, top, name, goal in kpi.SCORE_GROUPS:
            goal = goal or kpi.DEFAULT_TARGETS[name]
            got = (top * (c[name] / goal).clip(upper=1.0)).fillna(0.0)
            points, maxima = points + got, maxima + c[name].notna() * top
        c["score"] = (100 * points / maxima).where(maxima > 0)
        c = c.reset_index().sort_values(
            ["score", "online_rate", "commune_code"], ascending=[False, False, True]
        )
        c["rank"] = range(1, len(c) + 1)
        ranks[which] = c.set_index("commune_code")
    now = ranks["now"]
    now["rank_change"] = ranks["before"]["rank"] - now["rank"]
    return now


def pandas_open_now(df: pd.DataFrame, as_of: datetime, province: str) -> pd.DataFrame:
    """Open, overdue and due-soon dossiers at as_of per commune (live.open_by)."""
    d = df[df.province_code == province]
    day = pd.Timestamp(as_of.date())
    soon = pd.Timestamp(next_working_day(as_of.date()))
    due = d.due_at.dt.normalize()
    opened = (
        (d.received_at.dt.normalize() <= day)
        & ~d.status.isin(["registered", "rejected", "withdrawn", "stopped"])
        & (d.finished_at.isna() | (d.finished_at.dt.normalize() > day))
    )
    flags = pd.DataFrame(
        {
            "open_at_end": opened,
            "open_overdue": opened & (due < day),
            "open_due_soon": opened & (due >= day) & (due <= soon),
        }
    )
    counts = flags.groupby(d.commune_code).sum()
    return counts[(counts.open_overdue + counts.open_due_soon) > 0]


def pandas_commune_page(
    df: pd.DataFrame, period: Period, commune: str, as_of: datetime, province: str
) -> tuple:
    """The drill-down's figures: score lift (each procedure's online / end-to-end share against the
    province's 90th percentile, the commune's totals), the weekly trend against the city median,
    and the overdue / due-soon dossier list."""
    per = pandas_commune_procedure(df, period, province).reset_index()
    per = per[per.received > 0]
    per["online_share"] = per.online / per.received
    per["e2e_share"] = per.end_to_end / per.received
    p90 = per.groupby("procedure_code")[["online_share", "e2e_share"]].quantile(0.9)
    own = per[per.commune_code == commune].join(p90, on="procedure_code", rsuffix="_p90")
    totals = pandas_commune_counts(df, period, province).loc[commune]
    d = df[df.province_code == province]
    start = pd.Timestamp(period.date_to) - pd.Timedelta(days=7 * drilldown.TREND_WEEKS - 1)
    end = pd.Timestamp(period.date_to)
    rday, fday = d.received_at.dt.normalize(), d.finished_at.dt.normalize()
    rec = d[(rday >= start) & (rday <= end) & ~d.status.isin(["registered", "rejected"])]
    weeks_r = (end - rec.received_at.dt.normalize()).dt.days // 7
    weekly = pd.DataFrame({"received": 1, "online": rec.channel == "online"}, index=rec.index)
    weekly = weekly.groupby([rec.commune_code, weeks_r]).sum()
    res = d[(fday >= start) & (fday <= end) & d.status.isin(["finished", "returned"])]
    weeks_f = (end - res.finished_at.dt.normalize()).dt.days // 7
    on_time = res.due_at.isna() | (res.finished_at.dt.normalize() <= res.due_at.dt.normalize())
    done = on_time.groupby([res.commune_code, weeks_f]).agg(["size", "sum"])
    weekly = weekly.join(done, how="outer")
    weekly["online_rate"] = weekly.online / weekly.received
    median = weekly.groupby(level=1)["online_rate"].median()
    day = pd.Timestamp(as_of.date())
    soon = pd.Timestamp(next_working_day(as_of.date()))
    mine = d[d.commune_code == commune]
    listed = mine[
        (mine.received_at.dt.normalize() <= day)
        & ~mine.status.isin(["registered", "rejected", "withdrawn", "stopped"])
        & (mine.finished_at.isna() | (mine.finished_at.dt.normalize() > day))
        & (mine.due_at.dt.normalize() <= soon)
    ].sort_values(["due_at", "dossier_id"])
    return own, totals, weekly, median, listed.head(drilldown.OVERDUE_LIMIT)


def pandas_hourly(df: pd.DataFrame, day: date, as_of: datetime, province: str) -> pd.DataFrame:
    d = df[(df.province_code == province) & ~df.status.isin(["registered", "rejected"])]
    start = pd.Timestamp(day - timedelta(28))
    d = d[(d.received_at >= start) & (d.received_at <= pd.Timestamp(as_of))]
    back = (pd.Timestamp(day) - d.received_at.dt.normalize()).dt.days
    d = d[back % 7 == 0]
    return d.groupby([back[back % 7 == 0] // 7, d.received_at.dt.hour]).size()


def pandas_commune_procedure(df: pd.DataFrame, period: Period, province: str) -> pd.DataFrame:
    """Received, online and end-to-end per (commune, procedure) over the period."""
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    rec = d[
        (day >= pd.Timestamp(period.date_from))
        & (day <= pd.Timestamp(period.date_to))
        & ~d.status.isin(["registered", "rejected"])
    ]
    online = rec.channel == "online"
    flags = pd.DataFrame(
        {
            "received": 1,
            "online": online,
            "end_to_end": online & (rec.service_level == "full"),
        },
        index=rec.index,
    )
    return flags.groupby([rec.commune_code, rec.procedure_code]).sum()


def pandas_overview(df: pd.DataFrame, period: Period, province: str) -> tuple:
    """The overview extension's figures: the procedure mix and the anomaly windows' counts."""
    recent = Period.of(period.date_to - timedelta(anomalies.RECENT_DAYS - 1), period.date_to)
    base = Period.of(
        recent.date_from - timedelta(anomalies.BASELINE_DAYS),
        recent.date_from - timedelta(1),
    )
    return (
        pandas_commune_counts(df, period, province, key="procedure_code"),
        pandas_commune_counts(df, recent, province),
        pandas_commune_counts(df, base, province),
    )


def apptest_seconds(page: str, query: dict) -> tuple[float, float]:
    """A full run of the page in the app (navigation, sign-in gate, sidebar): cold then warm.

    The cache is cleared first so the cold run computes every figure; the warm run is the next
    visitor within the cache TTL."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "bench"))
    for k, v in query.items():
        at.query_params[k] = v
    at.run()  # the default page (overview) and the store opening: not counted
    at.switch_page(page)
    st.cache_data.clear()
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    assert not at.exception, at.exception
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    return cold, warm


def prepare_store(path: Path, scale: str, dossiers: int | None) -> None:
    """The demo store at `path` (built when empty) with its rollup tables up to date."""
    con = store.connect(path)  # a writable open brings the rollups up to date
    if store.is_empty(con):
        from ioc import demo

        start = time.perf_counter()
        demo.build(con, until=UNTIL, scale=scale, dossiers=dossiers)
        print(f"build: {time.perf_counter() - start:.1f} s", flush=True)
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=("national", "hanoi"), default="national")
    parser.add_argument(
        "--dossiers", type=int, default=None, help="national default 10M; Hanoi: its real volume"
    )
    parser.add_argument("--db", default=None, help="folder of the store (kept and reused)")
    args = parser.parse_args()
    if args.dossiers is None and args.scale == "national":
        args.dossiers = 10_000_000
    path = Path(args.db or tempfile.mkdtemp()) / "bench_pages.duckdb"
    os.environ.update(IOC_DB=str(path), IOC_DEMO="0", IOC_NOW=UNTIL.isoformat())
    # Building the store and its rollups (what an import does) happens in a child process, so
    # the RSS printed below is what serving the pages takes.
    child = multiprocessing.get_context("spawn").Process(
        target=prepare_store, args=(path, args.scale, args.dossiers)
    )
    child.start()
    child.join()
    if child.exitcode:
        sys.exit(f"building the store failed ({child.exitcode})")
    con = store.connect(path, read_only=True)
    total = con.execute("select count(*) from dossiers").fetchone()[0]
    communes = con.execute("select count(*) from communes").fetchone()[0]
    province = "01"  # the pages show Hanoi (config.DEFAULT_PROVINCE)
    commune = con.execute(
        "select d.commune_code from dossiers d join communes c using (commune_code) "
        "where c.province_code = '01' group by 1 order by count(*) desc limit 1"
    ).fetchone()[0]
    print(f"{total:,} dossiers, {communes:,} communes; province {province}, commune {commune}")
    period = Period.of(UNTIL.date() - timedelta(6), UNTIL.date(), now=UNTIL)

    cases = {
        "league": (
            lambda: league.league_table(con, period, province),
            lambda: pandas_ranking(df, period, province),
        ),
        "live": (
            lambda: (
                live.hourly(con, UNTIL, province),
                live.open_by(con, UNTIL, "commune", province),
            ),
            lambda: (
                pandas_hourly(df, UNTIL.date(), UNTIL, province),
                pandas_open_now(df, UNTIL, province),
            ),
        ),
        "commune": (
            lambda: (
                drilldown.score_lift(con, period, commune, province),
                drilldown.trend_vs_city(con, period.date_to, commune, province),
                drilldown.overdue_dossiers(con, CITY, UNTIL, commune, province),
            ),
            lambda: pandas_commune_page(df, period, commune, UNTIL, province),
        ),
        "overview (extension)": (
            lambda: (
                drilldown.procedure_mix(con, period, province),
                anomalies.anomalies(con, period.date_to, province),
            ),
            lambda: pandas_overview(df, period, province),
        ),
        "kpi_map": (
            lambda: kpi_map.map_features(con, period, "online_rate", province),
            lambda: pandas_ranking(df, period, province),
        ),
    }
    ours = {name: timed(case[0]) for name, case in cases.items()}
    con.close()
    apptests = {}
    for page in PAGES:
        # the drill-down needs a commune; the other pages show the whole province
        query = {"period": "7d"} | ({"commune": commune} if page == "pages/commune.py" else {})
        apptests[page] = apptest_seconds(page, query)
    app_rss = rss_mb()

    con = store.connect(path)  # the app's connection is still open, writable
    start = time.perf_counter()
    df = pandas_frame(con)
    print(f"pandas load: {time.perf_counter() - start:.1f} s (not counted in the ratios)")
    theirs = pandas_commune_counts(df, period, province, median=True).sort_index()
    mine = kpi.kpi_counts(con, period, "commune", province, median=True)
    mine = mine.to_pandas().set_index("group_key")
    same = all(
        (theirs[c].fillna(-1).round(9) == mine.loc[theirs.index, c].fillna(-1).round(9)).all()
        for c in mine.columns
    )
    print(f"pandas counts equal to kpi_counts.sql: {same} ({len(theirs)} communes)")
    print(f"{'page':<22}{'duckdb p50':>12}{'p95':>9}{'pandas p50':>12}{'p95':>9}{'ratio':>8}")
    for name, (_, theirs) in cases.items():
        p50, p95 = ours[name]
        q50, q95 = timed(theirs)
        print(f"{name:<22}{p50:>11.3f}s{p95:>8.3f}s{q50:>11.3f}s{q95:>8.3f}s{q95 / p95:>7.1f}x")
    con.close()
    for page, (cold, warm) in apptests.items():
        print(f"AppTest {page:<20} cold {cold:6.2f} s   warm {warm:6.2f} s")
    print(f"max RSS: {app_rss:.0f} MB before the pandas copy, {rss_mb():.0f} MB with it")


if __name__ == "__main__":
    main()
