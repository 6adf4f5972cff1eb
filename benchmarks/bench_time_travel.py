"""Time travel on the Hanoi demo (issue 17, ioc/history.py): how long opening the lake at a past
snapshot takes, and the league table at a past snapshot against the league table now.

Builds the Hanoi demo store in a file and copies it into a new lake, as benchmarks/bench_lake.py
does (one snapshot), imports a later export of 1,000 dossiers of the largest commune through
ioc.ingest.ingest_file (a second snapshot), then prints:
* the time to open the lake at the first snapshot (lake.connect(version=…): a new in-memory DuckDB,
  the extensions loaded, the read-only attach at SNAPSHOT_VERSION), p50 / p95 of new connections;
* the league table (league.league_table, the page's function) now on a read-only replica, and at
  the first snapshot on the connection the page keeps per snapshot (history.connection), warm;
* the first league table on a newly opened past snapshot (what the first viewer of a moment waits).
Usage: python benchmarks/bench_time_travel.py [--reps 21]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_lake import PROVINCE, UNTIL, _league_args, copy_into_lake  # noqa: E402
from timing import timed  # noqa: E402

from ioc import demo, history, lake, league, store  # noqa: E402
from ioc.ingest import ingest_file  # noqa: E402
from ioc.lake_server import throwaway_postgres  # noqa: E402

HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"


def later_export(path: Path, commune: str, procedure: str, rows: int = 1000) -> Path:
    day = (UNTIL - timedelta(days=1)).strftime("%d/%m/%Y")
    lines = (
        f"LATER{n:05d},{procedure},{commune},2,10,{day} 09:00,{day} 17:00,{day} 11:00\n"
        for n in range(rows)
    )
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=21)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-time-travel-"))
    path = folder / "demo.duckdb"
    os.environ.update(IOC_DB=str(path), IOC_DEMO="0", IOC_NOW=UNTIL.isoformat())
    start = time.perf_counter()
    with store.connect(path) as con:
        demo.build(con, until=UNTIL, scale="hanoi")
        commune, procedure = con.execute(
            "select d.commune_code, d.procedure_code from dossiers d "
            "join communes c using (commune_code) where c.province_code = ? "
            "group by all order by count(*) desc limit 1",
            [PROVINCE],
        ).fetchone()
        total = con.execute("select count(*) from dossiers").fetchone()[0]
    print(f"file store of {total:,} dossiers built in {time.perf_counter() - start:.0f} s")
    with throwaway_postgres() as catalog:
        os.environ.update(
            IOC_STORE="ducklake",
            IOC_LAKE_CATALOG=catalog,
            IOC_LAKE_SCHEMA="bench",
            IOC_LAKE_DATA=str(folder / "lake"),
        )
        print(f"copied into the lake in {copy_into_lake(path):.1f} s")
        writer = store.connect()
        past = lake.current_version(writer)
        result = ingest_file(writer, later_export(folder / "later.csv", commune, procedure))
        print(f"later import: {result.status}, {result.rows_inserted} dossiers of {commune}")
        writer.close()

        def open_past() -> None:
            lake.connect(version=past).close()

        o50, o95 = timed(open_past, args.reps)
        print(f"open the lake at snapshot {past}: p50 {o50:.3f} s, p95 {o95:.3f} s")

        start = time.perf_counter()
        first = lake.connect(version=past)
        table_then = league.league_table(first, *_league_args())
        print(f"open + first league table at the snapshot: {time.perf_counter() - start:.3f} s")
        first.close()

        replica = store.connect(read_only=True)
        kept = history.connection(past)
        now = league.league_table(replica, *_league_args())
        print(f"league table differs now from then: {not now.equals(table_then)}")
        n50, n95 = timed(lambda: league.league_table(replica, *_league_args()), args.reps)
        p50, p95 = timed(lambda: league.league_table(kept, *_league_args()), args.reps)
        print(f"league now (replica): p50 {n50:.3f} s, p95 {n95:.3f} s")
        print(f"league at the past snapshot: p50 {p50:.3f} s, p95 {p95:.3f} s ({p50 / n50:.2f}x)")
        replica.close()


if __name__ == "__main__":
    main()
