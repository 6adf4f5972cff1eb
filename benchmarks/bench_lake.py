"""Benchmark of the pages' queries on the DuckLake store against the embedded DuckDB file, side by
side (issue 17: the lake must stay within 2x of the file).

Builds the Hanoi demo store (ioc.demo.build, scale='hanoi') in a file, starts a throwaway PostgreSQL
(ioc.lake_server), copies every table of the file into a new lake (its catalog there, its Parquet
files in a temporary folder), runs CHECKPOINT on the lake (what the worker will do on schedule),
then prints for each page's package functions the p50 / p95 on the file, on a read-only replica
of the lake, and on that replica's mirror (ioc/mirror.py: what an app replica computes its figures
on), with the ratios to the file, after checking that the mirror's results equal the file's.
Usage: python benchmarks/bench_lake.py [--reps 31] [--store FILE]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import timed  # noqa: E402

from ioc import (  # noqa: E402
    anomalies,
    demo,
    drilldown,
    kpi_map,
    league,
    live,
    migrations,
    mirror,
    store,
)
from ioc.kpi import Period  # noqa: E402
from ioc.lake_server import throwaway_postgres  # noqa: E402
from ioc.scope import CITY  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
PROVINCE = "01"


def cases(con, commune: str) -> dict:
    period = Period.of(UNTIL.date() - timedelta(6), UNTIL.date(), now=UNTIL)
    return {
        "league": lambda: league.league_table(con, period, PROVINCE),
        "live": lambda: (
            live.hourly(con, UNTIL, PROVINCE),
            live.open_by(con, UNTIL, "commune", PROVINCE),
        ),
        "commune": lambda: (
            drilldown.score_lift(con, period, commune, PROVINCE),
            drilldown.trend_vs_city(con, period.date_to, commune, PROVINCE),
            drilldown.overdue_dossiers(con, CITY, UNTIL, commune, PROVINCE),
        ),
        "overview (extension)": lambda: (
            drilldown.procedure_mix(con, period, PROVINCE),
            anomalies.anomalies(con, period.date_to, PROVINCE),
        ),
        "kpi_map": lambda: kpi_map.map_features(con, period, "online_rate", PROVINCE),
    }


def copy_into_lake(file_path: Path) -> float:
    """Every table of the file store into the lake of the settings, in one snapshot; seconds."""
    start = time.perf_counter()
    con = store.connect()  # a new lake: the schema, without keys
    tables = migrations.derived_tables() + sorted(
        set(migrations._TABLE.findall(migrations.SCHEMA_FILE.read_text(encoding="utf-8")))
    )
    con.execute(f"attach '{file_path.as_posix()}' as src (read_only)")  # a path made above
    with store.transaction(con, label="bench_lake copy"):
        for table in tables:
            # names from ioc/schema.sql and ioc/rollups.sql, not from input
            con.execute(f"delete from lake.main.{table}")  # noqa: S608
            con.execute(f"insert into lake.main.{table} by name select * from src.main.{table}")  # noqa: S608
    con.execute("detach src")
    con.execute("checkpoint lake")
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=31)
    parser.add_argument(
        "--store",
        help="a file store built to 10/12/2025 15:00 to copy (the national one of bench_pages.py "
        "--db DIR: DIR/bench_pages.duckdb); default: the Hanoi demo, built here",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-lake-"))
    path = Path(args.store) if args.store else folder / "demo.duckdb"
    os.environ.update(IOC_DB=str(path), IOC_DEMO="0", IOC_NOW=UNTIL.isoformat())
    if not args.store:
        start = time.perf_counter()
        with store.connect(path) as con:
            demo.build(con, until=UNTIL, scale="hanoi")
        print(f"file store built in {time.perf_counter() - start:.0f} s")
    with throwaway_postgres() as catalog:
        os.environ.update(
            IOC_STORE="ducklake",
            IOC_LAKE_CATALOG=catalog,
            IOC_LAKE_SCHEMA="bench",
            IOC_LAKE_DATA=str(folder / "lake"),
        )
        print(
            f"copied into the lake (one snapshot) and checkpointed in {copy_into_lake(path):.1f} s"
        )
        replica = store.connect(read_only=True)
        os.environ["IOC_STORE"] = "duckdb"
        embedded = store.connect(path, read_only=True)
        total = embedded.execute("select count(*) from dossiers").fetchone()[0]
        commune = embedded.execute(
            "select d.commune_code from dossiers d join communes c using (commune_code) "
            "where c.province_code = '01' group by 1 order by count(*) desc limit 1"
        ).fetchone()[0]
        os.environ["IOC_STORE"] = "ducklake"
        lake_total = replica.execute("select count(*) from dossiers").fetchone()[0]
        print(f"{total:,} dossiers in the file, {lake_total:,} in the lake; commune {commune}")
        catalog_con = mirror.catalog_connection()
        copy = mirror.build(catalog_con)
        print(
            f"mirror of snapshot {copy.snapshot}: {copy.rows:,} rows copied in {copy.seconds:.1f} s"
        )
        results = {}
        runs = (("duckdb", embedded), ("ducklake", replica), ("mirror", copy.con))
        for backend, con in runs:
            # store.cursor points a lake cursor at the lake; the mirror's default catalog is its own
            os.environ["IOC_STORE"] = "duckdb" if backend == "mirror" else backend
            for name, call in cases(con, commune).items():
                results[(backend, name)] = timed(call, args.reps)
        os.environ["IOC_STORE"] = "ducklake"
        same = league.league_table(replica, *_league_args()).equals(
            _with_backend("duckdb", lambda: league.league_table(embedded, *_league_args()))
        )
        print(f"league table equal on both stores: {same}")
        unequal = [
            name
            for name, call in cases(copy.con, commune).items()
            if not _equal(call(), _with_backend("duckdb", cases(embedded, commune)[name]))
        ]
        print(f"every page's results equal on the mirror and the file: {not unequal} {unequal}")
        print(
            f"{'page':<22}{'file p50':>10}{'p95':>9}{'lake p50':>10}{'p95':>9}{'ratio':>8}"
            f"{'mirror p50':>12}{'p95':>9}{'ratio':>8}"
        )
        for name in cases(embedded, commune):
            f50, f95 = results[("duckdb", name)]
            l50, l95 = results[("ducklake", name)]
            m50, m95 = results[("mirror", name)]
            print(
                f"{name:<22}{f50:>9.3f}s{f95:>8.3f}s{l50:>9.3f}s{l95:>8.3f}s{l50 / f50:>7.2f}x"
                f"{m50:>11.3f}s{m95:>8.3f}s{m50 / f50:>7.2f}x"
            )
        catalog_con.close()
        replica.close()
        embedded.close()


def _league_args():
    return Period.of(UNTIL.date() - timedelta(6), UNTIL.date(), now=UNTIL), PROVINCE


def _equal(a, b) -> bool:
    """Whether two pages' results (frames, tuples of them, dicts, plain values) are the same."""
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if hasattr(a, "equals"):
        return a.equals(b)
    return a == b


def _with_backend(backend: str, call):
    previous = os.environ.get("IOC_STORE")
    os.environ["IOC_STORE"] = backend
    try:
        return call()
    finally:
        os.environ["IOC_STORE"] = previous or "duckdb"


if __name__ == "__main__":
    main()
