"""The weekly deck in its three files (`ioc report`: .pptx, .pdf, .xlsx) on the Hanoi demo, this
release against an earlier one (by default the release before the files were drawn without a
browser, whose charts were pictures rendered by chromium through kaleido), same store, same run.
No pandas baseline applies: the work is drawing files, so the comparison is the earlier release.

    python benchmarks/bench_deck.py [--store data/ioc.duckdb] [--before b1c25d2] [--runs 3]

The earlier release is checked out into a temporary git worktree and run in a child process with
that tree on PYTHONPATH; each run writes the standard weekly sequence plus one commune slide.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a child process with the tree to measure first on sys.path: prints one JSON line.
CHILD = r"""
import json, sys, time, tempfile
from pathlib import Path
import duckdb
from ioc import presentation as pres
from ioc.exports import deck_to_pdf, deck_to_pptx, deck_to_xlsx
from ioc.scope import CITY

con = duckdb.connect(sys.argv[1], read_only=True)
codes = [code for code, _ in pres.commune_codes(con, "01")]
runs = int(sys.argv[2])
times = {"build": [], "pptx": [], "pdf": [], "xlsx": [], "total": []}
sizes = {}
for _ in range(runs):
    started = time.perf_counter()
    period = pres.period_for("week")
    refs = pres.parse_slides(",".join(pres.STANDARD) + f",commune:{codes[3]}", codes)
    deck = pres.build_deck(con, refs, period, CITY, "01", "vi")
    title = pres.deck_title(period, "week", "vi")
    built = time.perf_counter()
    times["build"].append(built - started)
    writers = {
        "pptx": lambda: deck_to_pptx(deck, title, "vi"),
        "pdf": lambda: deck_to_pdf(deck, title, "vi"),
        "xlsx": lambda: deck_to_xlsx(deck, "vi", title, pres.period_label(period, "vi"), period.as_of),
    }
    for name, write in writers.items():
        mark = time.perf_counter()
        sizes[name] = len(write())
        times[name].append(time.perf_counter() - mark)
    times["total"].append(time.perf_counter() - started)
print(json.dumps({"times": times, "sizes": sizes, "slides": len(deck)}))
"""


def measure(tree: Path, store: Path, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "IOC_DEMO_FEED_SECONDS": "0"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), str(runs)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, help="a demo store (default: build one)")
    parser.add_argument("--before", default="b1c25d2", help="the earlier release's commit")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "demo.duckdb"
            env = {**os.environ, "IOC_DB": str(store), "PYTHONPATH": str(ROOT)}
            subprocess.run(
                [sys.executable, "-m", "ioc", "demo"], env=env, check=True, capture_output=True
            )
        before_tree = Path(tmp) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before_tree), args.before],
            check=True,
            capture_output=True,
        )
        try:
            copy = Path(tmp) / "before.duckdb"  # the earlier release reads its own schema
            copy.write_bytes(store.read_bytes())
            before = measure(before_tree, copy, args.runs)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)],
                check=False,
                capture_output=True,
            )
        now = measure(ROOT, store, args.runs)
    print(f"weekly deck, {now['slides']} slides, median of {args.runs} runs (seconds)")
    print(f"{'part':<8}{'before':>10}{'now':>10}{'ratio':>8}{'bytes before':>15}{'bytes now':>12}")
    for part in ("build", "pptx", "pdf", "xlsx", "total"):
        b = statistics.median(before["times"][part])
        n = statistics.median(now["times"][part])
        print(
            f"{part:<8}{b:>10.2f}{n:>10.2f}{b / n:>7.1f}×"
            f"{before['sizes'].get(part, 0):>15,}{now['sizes'].get(part, 0):>12,}"
        )


if __name__ == "__main__":
    main()
