"""Benchmark of the league, live, drill-down, overview and KPI-map figures at national scale.

Builds a store with ioc.demo.build(scale='national', dossiers=N) over the 3,321 communes, then
prints for every page its package functions' p50 / p95 (DuckDB) against a plain pandas
implementation of the same counts on the same data in the same run, a full AppTest run of the
page, and the process RSS. Usage: python benchmarks/bench_pages.py [--dossiers 10000000]
"""

from __future__ import annotations

import argparse
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

from ioc import anomalies, drilldown, kpi, league, live, store  # noqa: E402
from ioc.kpi import Period  # noqa: E402
from ioc.scope import CITY  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
REPS = 7


def timed(func, reps: int = REPS) -> tuple[float, float]:
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


def pandas_commune_counts(df: pd.DataFrame, period: Period, province: str) -> pd.DataFrame:
    """received / online / end-to-end / resolved on time per commune (kpi.md), in pandas."""
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    fin = d.finished_at.dt.normalize()
    lo, hi = pd.Timestamp(period.date_from), pd.Timestamp(period.date_to)
    rec = d[(day >= lo) & (day <= hi) & ~d.status.isin(["registered", "rejected"])]
    res = d[d.status.isin(["finished", "returned"]) & (fin >= lo) & (fin <= hi)]
    out = rec.groupby("commune_code").agg(
        received=("dossier_id", "size"),
        received_online=("channel", lambda s: (s == "online").sum()),
    )
    on_time = res.due_at.isna() | (res.finished_at.dt.normalize() <= res.due_at.dt.normalize())
    out["resolved"] = res.groupby("commune_code").size()
    out["resolved_on_time"] = on_time.groupby(res.commune_code).sum()
    return out


def pandas_hourly(df: pd.DataFrame, day: date, as_of: datetime, province: str) -> pd.DataFrame:
    d = df[(df.province_code == province) & ~df.status.isin(["registered", "rejected"])]
    start = pd.Timestamp(day - timedelta(28))
    d = d[(d.received_at >= start) & (d.received_at <= pd.Timestamp(as_of))]
    back = (pd.Timestamp(day) - d.received_at.dt.normalize()).dt.days
    d = d[back % 7 == 0]
    return d.groupby([back[back % 7 == 0] // 7, d.received_at.dt.hour]).size()


def pandas_commune_procedure(df: pd.DataFrame, period: Period, province: str) -> pd.DataFrame:
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    rec = d[
        (day >= pd.Timestamp(period.date_from))
        & (day <= pd.Timestamp(period.date_to))
        & ~d.status.isin(["registered", "rejected"])
    ]
    return rec.groupby(["commune_code", "procedure_code"]).agg(
        received=("dossier_id", "size"),
        online=("channel", lambda s: (s == "online").sum()),
    )


def apptest_seconds(page: str, query: dict) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    start = time.perf_counter()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    path = Path(args.db or tempfile.mkdtemp()) / "bench_pages.duckdb"
    os.environ.update(IOC_DB=str(path), IOC_DEMO="0", IOC_NOW=UNTIL.isoformat())
    con = store.connect(path)
    if store.is_empty(con):
        from ioc import demo

        start = time.perf_counter()
        demo.build(con, until=UNTIL, scale="national", dossiers=args.dossiers)
        print(f"build: {time.perf_counter() - start:.1f} s")
    total = con.execute("select count(*) from dossiers").fetchone()[0]
    communes = con.execute("select count(*) from communes").fetchone()[0]
    province = "01"  # the pages show Hanoi (config.DEFAULT_PROVINCE)
    commune = con.execute(
        "select d.commune_code from dossiers d join communes c using (commune_code) "
        "where c.province_code = '01' group by 1 order by count(*) desc limit 1"
    ).fetchone()[0]
    print(f"{total:,} dossiers, {communes:,} communes; province {province}, commune {commune}")
    period = Period.of(UNTIL.date() - timedelta(6), UNTIL.date(), now=UNTIL)
    start = time.perf_counter()
    df = pandas_frame(con)
    print(f"pandas load: {time.perf_counter() - start:.1f} s (not counted in the ratios)")

    cases = {
        "league": (
            lambda: league.league_table(con, period, province),
            lambda: pandas_commune_counts(df, period, province),
        ),
        "live": (
            lambda: (
                live.hourly(con, UNTIL, province),
                live.open_by(con, UNTIL, "commune", province),
            ),
            lambda: pandas_hourly(df, UNTIL.date(), UNTIL, province),
        ),
        "commune": (
            lambda: (
                drilldown.score_lift(con, period, commune, province),
                drilldown.trend_vs_city(con, period.date_to, commune, province),
                drilldown.overdue_dossiers(con, CITY, UNTIL, commune, province),
            ),
            lambda: pandas_commune_procedure(df, period, province),
        ),
        "overview (extension)": (
            lambda: (
                drilldown.procedure_mix(con, period, province),
                anomalies.anomalies(con, period.date_to, province),
            ),
            lambda: pandas_commune_counts(df, period, province),
        ),
        "kpi_map (ranking)": (
            lambda: kpi.commune_ranking(con, period, province),
            lambda: pandas_commune_counts(df, period, province),
        ),
    }
    print(f"{'page':<22}{'duckdb p50':>12}{'p95':>9}{'pandas p50':>12}{'p95':>9}{'ratio':>8}")
    for name, (ours, theirs) in cases.items():
        p50, p95 = timed(ours)
        q50, q95 = timed(theirs, reps=3)
        print(f"{name:<22}{p50:>11.3f}s{p95:>8.3f}s{q50:>11.3f}s{q95:>8.3f}s{q95 / p95:>7.1f}x")
    con.close()
    query = {"period": "7d", "commune": commune}
    for page in ("pages/league.py", "pages/live.py", "pages/commune.py", "pages/overview.py"):
        print(f"AppTest {page}: {apptest_seconds(page, query):.2f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS: {rss:.0f} MB (includes the pandas copy)")


if __name__ == "__main__":
    main()
