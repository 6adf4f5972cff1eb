"""Latency of an app replica's writes through `ioc worker` (issue 17; ioc/writes.py).

Builds the hand-made fixture store (tests/fixtures.py) in a new lake (a throwaway PostgreSQL,
ioc.lake_server), starts `ioc worker` as a process, and times from this process, as an app
replica (the lake attached READ_ONLY), p50 and p95 of N runs each of:

* a sign-in: auth.authenticate (the password checked here; the account's counters and the audit
  record sent without waiting) and sessions.begin (the session row: one waited write);
* one waited write that does almost nothing (sessions._revoke of an unknown session): the
  channel's own cost;
* an action recorded (actions.add: one transaction, its history and audit record);
* an audit record (sent, not waited for: what a page view's write costs the replica);

and the same sign-in and action on a writing attach in this process (no channel) beside them.
The account's password hash has bcrypt cost 4, so the figures are the writes, not bcrypt.
Usage: python benchmarks/bench_write_channel.py [--reps 50]
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import C1, make_store  # noqa: E402
from timing import timed  # noqa: E402

from ioc import actions, audit, auth, sessions, store, worker  # noqa: E402
from ioc.lake_server import throwaway_postgres  # noqa: E402
from ioc.scope import PRESENTER, WARD_CHAIR, Scope  # noqa: E402

PASSWORD = "Mat-khau-9x!"
PRES = Scope(PRESENTER, None, "pres")


def cases(con) -> dict:
    numbers = itertools.count()

    def sign_in() -> None:
        scope = auth.authenticate(con, "chair1", PASSWORD, source="10.0.0.1")
        sessions.begin({}, con, scope, source="10.0.0.1")

    def nothing() -> None:
        sessions.end(con, "no-such-session", "sign_out")

    meeting = actions.meeting_for(con, PRES, "Giao ban tuần")

    def action() -> None:
        what = f"Việc số {next(numbers)} ({uuid.uuid4().hex[:6]})"
        actions.add(con, PRES, meeting, C1, what, None, date(2025, 10, 20))

    def record() -> None:
        audit.record(con, "chair1", audit.DOWNLOAD, C1, "the-card.png")

    return {"sign-in": sign_in, "empty write": nothing, "action": action, "audit (sent)": record}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=50)
    reps = parser.parse_args().reps
    os.environ.update({"IOC_DEMO": "0", "IOC_NOW": "2025-10-13T10:00:00", "IOC_BACKUP_AT": "off"})
    auth.BCRYPT_ROUNDS = 4
    with tempfile.TemporaryDirectory(prefix="ioc-bench-writes-") as tmp, throwaway_postgres() as pg:
        base = Path(tmp)
        os.environ.update(
            {
                "IOC_STORE": "ducklake",
                "IOC_LAKE_CATALOG": pg,
                "IOC_LAKE_SCHEMA": "bench_" + uuid.uuid4().hex[:8],
                "IOC_LAKE_DATA": str(base / "lake"),
                "IOC_INBOX": str(base / "inbox"),
                "IOC_DB": str(base / "unused.duckdb"),
            }
        )
        make_store(base / "unused.duckdb")
        writer = store.connect()
        auth.add_user(writer, "chair1", WARD_CHAIR, PASSWORD, C1)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        daemon = subprocess.Popen(
            [sys.executable, "-m", "ioc", "worker"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while worker.silent()[0]:
                if time.monotonic() > deadline or daemon.poll() is not None:
                    raise SystemExit("the worker did not start")
                time.sleep(0.1)
            replica = store.connect_replica()
            through = {name: timed(run, reps) for name, run in cases(replica).items()}
            direct = {name: timed(run, reps) for name, run in cases(writer).items()}
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.communicate(timeout=60)
    print(f"{reps} runs each, ms      replica→worker p50   p95   in-process writer p50   p95")
    for name, (p50, p95) in through.items():
        d50, d95 = direct[name]
        print(
            f"{name:<22} {p50 * 1000:>18.1f} {p95 * 1000:>5.1f} {d50 * 1000:>23.1f} {d95 * 1000:>5.1f}"
        )


if __name__ == "__main__":
    main()
