"""Load test of a DuckLake deployment (issue 17): N app replicas and one `ioc worker` on one
PostgreSQL catalog and one data folder, real Streamlit sessions spread over the replicas while the
worker imports an export of new dossiers and a second export that updates earlier ones.

Starts a throwaway PostgreSQL (ioc.lake_server), copies a file store into a new lake
(bench_lake.copy_into_lake), starts `ioc worker` and N `streamlit run app.py` replicas with
IOC_STORE=ducklake, then runs the sessions of benchmarks/load_test.py (sign in, then the overview
and the data-quality page in turn) round-robin over the replicas: idle, then while both exports
are imported. Reported: errors, p50/p95 per phase (and per replica), views per second, every
dossier count a session saw (only the count before or after the new dossiers, never between),
and whether each updated dossier is stored once with its new status.

    python benchmarks/load_test_replicas.py                      # 3 replicas, 60 sessions, 100k rows
    python benchmarks/load_test_replicas.py --short              # 3 replicas, 6 sessions, 2k rows
    python benchmarks/load_test_replicas.py --store /tmp/x.duckdb  # copy this store, not the demo
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_lake  # noqa: E402
import load_test  # noqa: E402
from load_test import Results, session_loop, view_figures, wait_health  # noqa: E402

from ioc import store  # noqa: E402
from ioc.lake_server import throwaway_postgres  # noqa: E402

FINISHED = datetime(2025, 10, 13, 9, 30)
UPDATE_PREFIX = "Đã trả kết quả"


def write_updates(path: Path, con, rows: int) -> tuple[Path, list[str]]:
    """An export that finishes `rows` dossiers the store holds open, received before FINISHED
    (the same CSV layout as load_test.write_export): every row an update of an earlier dossier."""
    found = con.execute(
        "select dossier_id, procedure_code, commune_code, received_at, due_at from dossiers "
        "where finished_at is null and received_at is not null and due_at is not null "
        "and received_at < ? order by dossier_id limit ?",
        [FINISHED, rows],
    ).fetchall()
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(load_test.EXPORT_HEADER)
        for dossier_id, procedure, commune, received, due in found:
            stamp = received.strftime("%d/%m/%Y %H:%M:%S")
            out.writerow(
                [dossier_id, procedure, commune, "Trực tuyến", UPDATE_PREFIX, stamp, stamp]
                + [due.strftime("%d/%m/%Y %H:%M:%S"), FINISHED.strftime("%d/%m/%Y %H:%M:%S")]
            )
    return partial, [row[0] for row in found]


def start_process(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="ioc_replicas_"))
    inbox = work / "inbox"
    inbox.mkdir()
    with throwaway_postgres() as catalog:
        env = os.environ | {
            "IOC_STORE": "ducklake",
            "IOC_LAKE_CATALOG": catalog,
            "IOC_LAKE_SCHEMA": "ioc_load",
            "IOC_LAKE_DATA": str(work / "lake"),
            "IOC_INBOX": str(inbox),
            "IOC_DB": str(work / "unused.duckdb"),
            "IOC_DEMO": "0",
            "IOC_NOW": "2025-10-13T10:00:00",
            "IOC_BACKUP_AT": "off",
            "IOC_LOAD_TEST": "1",
            "IOC_DEMO_FEED_SECONDS": "0",
            "IOC_PRECOMPUTE": str(args.precompute),  # off as by default
        }
        file_store = load_test.prepare_store(args, work)  # a file copy, with the load account
        saved = dict(os.environ)
        os.environ.update(env)  # this process reads the lake too (put back at the end)
        try:
            return _run_on_lake(args, work, inbox, env, file_store)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _run_on_lake(args, work: Path, inbox: Path, env: dict, file_store: Path) -> dict:
    copy_seconds = bench_lake.copy_into_lake(file_store)
    con = store.connect(read_only=True)
    before = con.execute("select count(*) from dossiers").fetchone()[0]
    new = load_test.write_export(work / "new.csv", con, args.rows, 7, "REPL")
    updates, updated_ids = write_updates(work / "updates.csv", con, args.update_rows)
    con.close()

    processes = [start_process([sys.executable, "-m", "ioc", "worker"], env, work / "worker.log")]
    ports = [load_test.free_port() for _ in range(args.replicas)]
    for n, port in enumerate(ports):
        processes.append(
            start_process(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
                + ["--server.port", str(port), "--server.address", "127.0.0.1"]
                + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
                env,
                work / f"replica{n}.log",
            )
        )
    results, phase, stop = Results(), ["warmup"], threading.Event()
    try:
        for port, app in zip(ports, processes[1:], strict=True):
            wait_health(port, app)
        threads = [
            threading.Thread(
                target=session_loop,
                args=(ports[n % len(ports)], results, phase, stop, n),
                daemon=True,
            )
            for n in range(args.sessions)
        ]
        for thread in threads:  # signed in and a first view each before the timing starts
            thread.start()
        ready = time.perf_counter() + load_test.VIEW_TIMEOUT
        while time.perf_counter() < ready:
            if sum(v.phase == "warmup" for v in results.views) >= args.sessions:
                break
            time.sleep(0.1)
        phase[0] = "idle"
        time.sleep(args.idle_seconds)
        phase[0] = "import"
        dropped = time.perf_counter()
        os.replace(new, inbox / "new.csv")
        os.replace(updates, inbox / "updates.csv")
        expected = before + args.rows
        seen_at = None
        while time.perf_counter() - dropped < args.import_timeout:
            imported = not (inbox / "new.csv").exists() and not (inbox / "updates.csv").exists()
            counts = [v.count for v in results.views if v.phase == "import" and v.count]
            if imported and expected in counts:
                seen_at = time.perf_counter() - dropped
                break
            time.sleep(0.1)
        time.sleep(args.after_seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=load_test.VIEW_TIMEOUT)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    con = store.connect(read_only=True)
    after = con.execute("select count(*) from dossiers").fetchone()[0]
    stored = con.execute(
        "select count(*), count(distinct dossier_id), "
        "count(*) filter (where finished_at is not null) "
        "from dossiers where dossier_id in (select unnest($ids))",
        {"ids": updated_ids},
    ).fetchone()
    con.close()

    _, figures = view_figures(results)
    seen = figures["counts_seen"]
    report = {
        "replicas": args.replicas,
        "sessions": args.sessions,
        "rows": args.rows,
        "update_rows": len(updated_ids),
        "lake_copy_seconds": copy_seconds,
        "count_before": before,
        "count_after": after,
        **figures,
        "only_before_or_after_seen": set(seen) <= {before, before + args.rows},
        "updated_rows_stored": stored[0],
        "updated_dossiers_distinct": stored[1],
        "updated_dossiers_finished": stored[2],
        "drop_to_seen_seconds": seen_at,
    }
    if report["errors"] or seen_at is None:
        for log in sorted(work.glob("*.log")):
            report[f"log_{log.stem}"] = log.read_text(errors="replace")[-2000:]
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small run for the test suite")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--update-rows", type=int)
    parser.add_argument("--store", help="copy this file store instead of building one")
    parser.add_argument("--idle-seconds", type=float)
    parser.add_argument("--after-seconds", type=float)
    parser.add_argument("--import-timeout", type=float, default=600.0)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument("--precompute", type=int, choices=(0, 1), default=0)
    args = parser.parse_args(argv)
    defaults = (6, 2_000, 200, 6.0, 3.0) if args.short else (60, 100_000, 10_000, 30.0, 10.0)
    names = ("sessions", "rows", "update_rows", "idle_seconds", "after_seconds")
    for name, value in zip(names, defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.demo_feed = None  # load_test.prepare_store: the demo of 13/10/2025, not the live one
    return args


def main(argv: list[str] | None = None) -> int:
    report = run(parse_args(argv))
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    good = (
        report["errors"] == 0
        and report["only_before_or_after_seen"]
        and report["updated_rows_stored"] == report["updated_dossiers_distinct"]
    )
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
