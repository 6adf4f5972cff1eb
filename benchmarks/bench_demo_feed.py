"""The living demo's feed on the full Hanoi demo: catching up a whole day the app was off, and the
one-minute tick it then runs, against the plain way of getting the same store (building the demo
again straight to the later moment). The catch-up is checked to equal that rebuild row for row.
No pandas baseline applies: the work is generating and writing dossiers, so the comparison is the
full rebuild the feed replaces.

    python benchmarks/bench_demo_feed.py [--until 2026-11-24T09:00] [--ticks 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from ioc import demo, store

DIGEST = "select count(*), sum(hash(columns(* exclude (ingest_run_id, source_file)))) from dossiers"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--until", default="2026-11-24T09:00", help="the moment the demo stops")
    parser.add_argument("--ticks", type=int, default=5, help="one-minute ticks timed")
    args = parser.parse_args()
    paused_at = datetime.fromisoformat(args.until)
    resumed_at = paused_at + timedelta(days=1)

    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "paused.duckdb")
        started = time.perf_counter()
        counts = demo.build(con, until=paused_at, flaws=False)  # compared with a rebuild below
        build_first = time.perf_counter() - started
        print(
            f"demo built to {paused_at:%d/%m/%Y %H:%M}: {counts['dossiers']:,} dossiers "
            f"in {build_first:.1f} s"
        )

        caught = demo.advance(con, resumed_at)
        print(
            f"catch-up of one day to {resumed_at:%d/%m/%Y %H:%M}: "
            f"{caught['seconds_total']:.2f} s (generation {caught['seconds_generate']:.2f} s, "
            f"from {caught['first_day']:%d/%m/%Y}), {caught['inserted']:,} new, "
            f"{caught['updated']:,} changed, {caught['communes']} communes"
        )

        ticks = []
        moment = resumed_at
        for _ in range(args.ticks):
            moment += timedelta(minutes=1)
            tick = demo.advance(con, moment)
            ticks.append(tick)
        seconds = [t["seconds_total"] for t in ticks]
        print(
            f"one-minute tick x{len(ticks)}: median {statistics.median(seconds):.2f} s, "
            f"max {max(seconds):.2f} s; rows per tick (new/changed) "
            + ", ".join(f"{t['inserted']}/{t['updated']}" for t in ticks)
        )

        rebuilt = store.connect(Path(tmp) / "rebuilt.duckdb")
        started = time.perf_counter()
        demo.build(rebuilt, until=moment, flaws=False)
        rebuild = time.perf_counter() - started
        same = con.execute(DIGEST).fetchone() == rebuilt.execute(DIGEST).fetchone()
        print(
            f"full rebuild to {moment:%d/%m/%Y %H:%M}: {rebuild:.1f} s; fed store equals it: {same}"
        )
        print(
            f"ratio rebuild / catch-up of a day: {rebuild / caught['seconds_total']:.0f}x; "
            f"rebuild / tick: {rebuild / statistics.median(seconds):.0f}x"
        )


if __name__ == "__main__":
    main()
