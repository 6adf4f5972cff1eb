"""Load test: concurrent Streamlit sessions against a running app while an export is imported.

Starts `streamlit run app.py` on a free localhost port over a copy of a store, then opens real
sessions through Streamlit's own websocket protocol (the BackMsg / ForwardMsg protobufs a browser
sends and receives). Each page view is a new connection that asks for a page and waits for its
script to finish: that wall time is the page time. It measures the views idle, then drops an
export of N rows into the inbox and measures again while the app's watcher imports it.

Reported: errors (exceptions on a page, failed or timed-out views), p50/p95 page time idle vs
under load, the import's duration, and every dossier count a session saw on the data-quality page
(it must always be the count before or after an import, never one in between), with the same
figures for a plain pandas import of the file as the baseline of the import's cost.

Inbox to screen (issue 21): with --drops N, N exports of --rows rows each are dropped one after
the other (the next once a session has seen the previous one's count), and the seconds from each
drop to the first view showing its count are reported with their p50 and p95.

    python benchmarks/load_test.py                 # 20 sessions, 100k rows, demo store
    python benchmarks/load_test.py --short         # 4 sessions, 2k rows, hand-made store (CI)
    python benchmarks/load_test.py --demo-feed 60  # a demo store up to an hour ago, fed every 60 s
    python benchmarks/load_test.py --demo-feed 0   # the same store, the feed off
    python benchmarks/load_test.py --drops 20 --rows 10000  # inbox to screen, p95 of 20 drops
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PAGES = ("", "chat-luong-du-lieu")  # the default page (overview, the meeting page), data quality
# --pages monitor: a leader clicking through every monitoring page (the count is on data quality)
MONITOR_PAGES = (
    "",
    "xep-hang",
    "xa-phuong",
    "ban-do-chi-so",
    "thoi-gian-thuc",
    "chat-luong-du-lieu",
)
COUNT_LABELS = ("Hồ sơ trong kho", "Dossiers in the store")
VIEW_TIMEOUT = 120.0
USERNAME, PASSWORD = "tai-thu", "tai-thu-mat-khau"  # an account the script adds to its store copy
# The one-stop systems' CSV layout of the exports written here (Vietnamese headers)
EXPORT_HEADER = [
    "Mã hồ sơ",
    "Mã TTHC",
    "Mã xã",
    "Kênh thực hiện",
    "Trạng thái",
    "Ngày nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
]


@dataclass
class View:
    page: str
    phase: str
    seconds: float
    error: str | None = None
    count: int | None = None
    elements: list = field(default_factory=list, repr=False)
    ended: float = 0.0  # time.perf_counter() when the view was done


@dataclass
class Results:
    views: list[View] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, view: View) -> None:
        with self.lock:
            self.views.append(view)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """One user's websocket session: signs in once, then asks for page after page."""

    def __init__(self, port: int) -> None:
        self._connection = ws_connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            open_timeout=VIEW_TIMEOUT,
            max_size=None,
        )
        self.ws = self._connection.__enter__()

    def close(self) -> None:
        self._connection.__exit__(None, None, None)

    def run(self, page: str, phase: str, widgets: list[WidgetState] | None = None) -> View:
        """Ask for a page; wait until its script (and any st.rerun it makes) has finished."""
        started = time.perf_counter()
        view = View(page, phase, 0.0)
        ask = BackMsg()
        ask.rerun_script.page_name = page
        ask.rerun_script.query_string = ""
        ask.rerun_script.widget_states.widgets.extend(widgets or [])
        try:
            self.ws.send(ask.SerializeToString())
            deadline = started + VIEW_TIMEOUT
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    view.error = "timeout"
                    break
                msg = ForwardMsg()
                msg.ParseFromString(self.ws.recv(timeout=left))
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    element = msg.delta.new_element
                    view.elements.append(element)
                    which = element.WhichOneof("type")
                    if which == "exception":
                        view.error = f"exception: {element.exception.message[:200]}"
                    elif which == "metric" and element.metric.label in COUNT_LABELS:
                        view.count = int(element.metric.body.replace(".", "").replace(",", ""))
                elif kind == "page_not_found":
                    view.error = f"page not found: {page}"
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        view.elements.clear()
                        continue
                    if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        view.error = view.error or f"script status {msg.script_finished}"
                    break
        except Exception as exc:  # noqa: BLE001 - every failure of a view is a finding
            view.error = f"{type(exc).__name__}: {exc}"
        view.ended = time.perf_counter()
        view.seconds = view.ended - started
        return view

    def sign_in(self, username: str, password: str) -> View:
        """Fill the sign-in form and submit it, as a browser would."""
        first = self.run("", "sign_in")
        ids = {}
        for element in first.elements:
            which = element.WhichOneof("type")
            if which in ("text_input", "button"):
                widget = getattr(element, which)
                ids[widget.id.rsplit("-", 1)[-1] if which == "text_input" else "submit"] = widget.id
        if not {"sign_in_username", "sign_in_password"} <= set(ids):
            return first  # no sign-in gate: nothing to do
        values = {"sign_in_username": username, "sign_in_password": password}
        widgets = [WidgetState(id=ids[k], string_value=v) for k, v in values.items()]
        widgets.append(WidgetState(id=ids["submit"], trigger_value=True))
        return self.run("", "sign_in", widgets)


def session_loop(
    port: int,
    results: Results,
    phase: list[str],
    stop: threading.Event,
    seed: int,
    pages: tuple[str, ...] = PAGES,
):
    """One user: signs in, then page after page of `pages` in turn (by default the overview and
    data quality)."""
    rng = random.Random(seed)
    try:
        session = Session(port)
    except Exception as exc:  # noqa: BLE001
        results.add(View("", "sign_in", 0.0, f"connect: {exc}"))
        return
    try:
        results.add(session.sign_in(USERNAME, PASSWORD))
        n = rng.randrange(len(pages))
        while not stop.is_set():
            results.add(session.run(pages[n % len(pages)], phase[0]))
            n += 1
            time.sleep(rng.uniform(0.1, 0.5))
    finally:
        session.close()


def write_export(path: Path, con, rows: int, seed: int = 7, prefix: str = "LOAD") -> Path:
    """An export of `rows` new dossiers in the one-stop systems' CSV layout (Vietnamese headers),
    spread over the store's communes and procedures; written aside, then moved into place."""
    communes = [r[0] for r in con.execute("select commune_code from communes").fetchall()]
    procedures = [r[0] for r in con.execute("select procedure_code from procedures").fetchall()]
    rng = random.Random(seed)
    start = datetime(2025, 10, 1, 8)
    partial = path.with_name(path.name + ".part")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(EXPORT_HEADER)
        for n in range(rows):
            received = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
            finished = received + timedelta(hours=rng.randrange(1, 72))
            due = received + timedelta(days=3)
            out.writerow(
                [
                    f"{prefix}-{n:07d}",
                    rng.choice(procedures),
                    rng.choice(communes),
                    rng.choice(["Trực tuyến", "Trực tiếp"]),
                    "Đã trả kết quả",
                    received.strftime("%d/%m/%Y %H:%M:%S"),
                    received.strftime("%d/%m/%Y %H:%M:%S"),
                    due.strftime("%d/%m/%Y %H:%M:%S"),
                    finished.strftime("%d/%m/%Y %H:%M:%S"),
                ]
            )
    return partial


def pandas_import_seconds(path: Path) -> float:
    """Baseline: pandas reading the same file and parsing its dates (no validation, no upsert)."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str)
    for column in ("Ngày nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý"):
        frame[column] = pd.to_datetime(frame[column], format="%d/%m/%Y %H:%M:%S")
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) the process has used so far: the server's own cost of the views,
    which a busy machine stretches far less than their wall time (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def prepare_store(args: argparse.Namespace, work: Path) -> Path:
    from ioc import store

    target = work / "load.duckdb"
    if args.store:
        shutil.copy(args.store, target)
    elif args.short:
        from fixtures import make_store

        make_store(target)
    else:
        from ioc import config, demo

        # With the live demo feed the store stops an hour ago: the app catches it up, then ticks.
        until = config.now() - timedelta(hours=1) if args.demo_feed else datetime(2025, 10, 13, 10)
        with store.connect(target) as con:
            demo.build(con, until=until)
    with store.connect(target) as con:
        add_load_user(con)
    return target


def add_load_user(con) -> None:
    """The city-leader account the sessions sign in with (when the app has a sign-in gate)."""
    try:
        from ioc import auth
    except ImportError:
        return
    if USERNAME not in auth.list_users(con)["username"].to_list():
        auth.add_user(con, USERNAME, "city_leader", PASSWORD)


def view_figures(results: Results) -> tuple[list[View], dict]:
    """The views of the idle and import phases, and their figures: errors, every dossier count
    seen, and per phase the views without error with their p50 / p95 (seconds)."""
    measured = [v for v in results.views if v.phase in ("idle", "import")]
    errors = [v for v in results.views if v.error]
    figures = {
        "views": len(measured),
        "errors": len(errors),
        "error_samples": sorted({e.error for e in errors})[:5],
        "counts_seen": sorted({v.count for v in measured if v.count is not None}),
    }
    for name in ("idle", "import"):
        times = [v.seconds for v in measured if v.phase == name and not v.error]
        figures[f"{name}_views"] = len(times)
        figures[f"{name}_p50"] = percentile(times, 50)
        figures[f"{name}_p95"] = percentile(times, 95)
    return measured, figures


def wait_health(port: int, app: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"the app exited with {app.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the app did not answer /_stcore/health")


def run(args: argparse.Namespace) -> dict:
    from ioc import store

    work = Path(tempfile.mkdtemp(prefix="ioc_load_"))
    db = prepare_store(args, work)
    inbox = work / "inbox"
    inbox.mkdir()
    with store.connect(db) as con:
        before = con.execute("select count(*) from dossiers").fetchone()[0]
        exports = [
            write_export(work / f"export{k}.csv", con, args.rows, 7 + k, f"LOAD{k}")
            for k in range(args.drops)
        ]
    baseline = pandas_import_seconds(exports[0])

    port = free_port()
    env = os.environ | {
        "IOC_DB": str(db),
        "IOC_INBOX": str(inbox),
        "IOC_DEMO": "0",
        "IOC_NOW": "2025-10-13T10:00:00",
        "IOC_BACKUP_AT": "off",
        "IOC_LOAD_TEST": "1",
        "IOC_DEMO_FEED_SECONDS": "0",
        # IOC_PRECOMPUTE of the app, off as by default (--precompute 1 for the comparison)
        "IOC_PRECOMPUTE": str(args.precompute),
    }
    if args.demo_feed is not None:
        # the live demo: demo mode, the real clock, a tick every --demo-feed seconds
        env |= {"IOC_DEMO": "1", "IOC_DEMO_FEED_SECONDS": str(args.demo_feed)}  # 0: off
        env.pop("IOC_NOW")
    log = (work / "app.log").open("w")
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(args.app)]
        + ["--server.port", str(port), "--server.address", "127.0.0.1"]
        + ["--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results, phase, stop = Results(), ["warmup"], threading.Event()
    try:
        wait_health(port, app)
        warm = Session(port)  # fill the caches once, as the first visitor of the day does
        results.add(warm.sign_in(USERNAME, PASSWORD))
        pages = MONITOR_PAGES if args.pages == "monitor" else PAGES
        for page in pages:
            results.add(warm.run(page, "warmup"))
        warm.close()
        sessions = [
            threading.Thread(
                target=session_loop, args=(port, results, phase, stop, n, pages), daemon=True
            )
            for n in range(args.sessions)
        ]
        phase[0] = "idle"
        idle_started = time.perf_counter()
        for thread in sessions:
            thread.start()
        # the server's CPU per view is counted once every session has signed in (a password's
        # check is a tenth of a second of CPU on purpose)
        signed_in = idle_started + args.idle_seconds / 2
        while time.perf_counter() < signed_in:
            if sum(v.phase == "sign_in" for v in results.views) > args.sessions:  # + warm-up
                break
            time.sleep(0.05)
        cpu = {"idle": cpu_seconds(app.pid)}
        marked = time.perf_counter()
        time.sleep(max(0.0, idle_started + args.idle_seconds - marked))
        phase[0] = "import"
        cpu["import"] = cpu_seconds(app.pid)
        dropped = time.perf_counter()
        spans = {"idle": dropped - idle_started}
        after, import_seconds, seen_after, imported_after = None, None, [], []
        for k, partial in enumerate(exports):
            expected = before + (k + 1) * args.rows
            at = time.perf_counter()
            os.replace(partial, inbox / f"export{k}.csv")
            deadline = at + args.import_timeout
            dropped_file, moved = inbox / f"export{k}.csv", None
            while time.perf_counter() < deadline:
                if moved is None and not dropped_file.exists():
                    moved = time.perf_counter() - at  # imported: the watcher moved it away
                counts = [
                    v.count for v in results.views if v.count is not None and v.phase == "import"
                ]
                if counts and counts[-1] == expected:
                    seen_after.append(time.perf_counter() - at)
                    imported_after.append(moved if moved is not None else seen_after[-1])
                    break
                time.sleep(0.05)
            else:
                break
        if seen_after:
            after = before + len(seen_after) * args.rows
            import_seconds = seen_after[0]
        time.sleep(args.after_seconds)
        spans["import"] = time.perf_counter() - dropped
        stop.set()
        for thread in sessions:
            thread.join(timeout=VIEW_TIMEOUT)
        cpu["end"] = cpu_seconds(app.pid)
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
        log.close()

    measured, figures = view_figures(results)
    report = {
        "sessions": args.sessions,
        "rows": args.rows,
        "count_before": before,
        "count_after": after,
        **figures,
        "half_import_seen": any((c - before) % args.rows for c in figures["counts_seen"]),
        "new_count_seen_after_seconds": import_seconds,
        "drops": args.drops,
        "drops_seen": len(seen_after),
        "inbox_to_screen_p50": percentile(seen_after, 50),
        "inbox_to_screen_p95": percentile(seen_after, 95),
        "inbox_to_screen_max": max(seen_after, default=None),
        # the same drops split: until the watcher had imported the file, then until a view showed it
        "inbox_to_imported_p50": percentile(imported_after, 50),
        "inbox_to_imported_p95": percentile(imported_after, 95),
        "imported_to_screen_p95": percentile(
            [s - i for s, i in zip(seen_after, imported_after, strict=True)], 95
        ),
        "pandas_read_parse_seconds": baseline,
        "inbox_files": sorted(str(p.relative_to(inbox)) for p in inbox.rglob("*") if p.is_file()),
    }
    for name in ("idle", "import"):
        # views the one process served per second of the phase (all sessions together)
        views = report[f"{name}_views"]
        report[f"{name}_views_per_second"] = views / spans[name] if spans[name] else None
    # idle p50 / p95 of each page
    report["idle_by_page"] = {
        page or "(default)": [
            percentile(times, 50),
            percentile(times, 95),
        ]
        for page in sorted({v.page for v in measured})
        if (times := [v.seconds for v in measured if v.page == page and v.phase == "idle"])
    }
    # the app process's CPU seconds per view of the idle phase (the import phase's include the
    # import's own work)
    counted = sum(v.phase == "idle" and v.ended > marked and not v.error for v in measured)
    if None not in cpu.values() and counted:
        report["idle_cpu_ms_per_view"] = 1000 * (cpu["import"] - cpu["idle"]) / counted
    if None not in cpu.values() and report["import_views"]:
        report["import_cpu_seconds"] = cpu["end"] - cpu["import"]
    if report["idle_p50"] and report["import_p50"]:
        report["p50_ratio_load_vs_idle"] = report["import_p50"] / report["idle_p50"]
    if report["errors"] or after is None:
        report["app_log_tail"] = (work / "app.log").read_text(errors="replace")[-3000:]
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small run for the test suite")
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--store", help="copy this store instead of building one")
    parser.add_argument("--idle-seconds", type=float)
    parser.add_argument("--after-seconds", type=float)
    parser.add_argument("--import-timeout", type=float, default=600.0)
    parser.add_argument(
        "--drops", type=int, default=1, help="exports dropped one after the other (inbox to screen)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument(
        "--demo-feed",
        type=float,
        help="a demo store built to an hour ago, the live demo feed every N seconds (0: off)",
    )
    parser.add_argument("--app", default=str(ROOT / "app.py"), help="the app script to serve")
    parser.add_argument(
        "--precompute", type=int, choices=(0, 1), default=0, help="IOC_PRECOMPUTE of the app"
    )
    parser.add_argument(
        "--pages",
        choices=("two", "monitor"),
        default="two",
        help="two: overview and data quality; monitor: every monitoring page in turn",
    )
    args = parser.parse_args(argv)
    defaults = (4, 2_000, 4.0, 3.0) if args.short else (20, 100_000, 20.0, 10.0)
    for name, value in zip(
        ("sessions", "rows", "idle_seconds", "after_seconds"), defaults, strict=True
    ):
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv: list[str] | None = None) -> int:
    report = run(parse_args(argv))
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    return 0 if report["errors"] == 0 and not report["half_import_seen"] else 1


if __name__ == "__main__":
    sys.exit(main())
