"""A ward chair's pages on a slow phone connection (issue 23): time and bytes per page.

Starts the app (`python -m ioc serve`, as tests/browser/conftest.py does) over the Hanoi demo store
(or the hand-made fixture with --short, or a copy of --store), warms it (every page of a ward chair
opened once, unthrottled), then for each page a chair opens: a new Chromium context (cold cache)
at 390x844, throttled through the DevTools protocol (Network.emulateNetworkConditions: 150 ms
latency, 200,000 B/s down = 1.6 Mbit/s, 93,750 B/s up = 750 kbit/s), opens the page's link, signs
in as the demo ward chair and waits until the page has drawn (the chair's first screen: until its
rank shows), and first of all the light page /tom-tat (ioc/chair_page.py: the same first screen as
server-drawn HTML with its own sign-in form, no Streamlit). Printed per page:

- load s: from opening the link until the sign-in form is ready (the app's shell: fixed JS/CSS);
- page s: from the sign-in tap until the page is drawn (the rank shown, on the chair's screen);
- http kB: response bytes on the wire (Network.loadingFinished encodedDataLength);
- ws kB: websocket bytes received after the tap (the page's own figures, tables and charts), as
  DevTools shows them (inflated); wire kB: the same frames deflated, when the websocket
  negotiated permessage-deflate (server.enableWebsocketCompression), an estimate of the wire;
- largest: the biggest element the page sent (kind and kB), from the websocket frames decoded as
  Streamlit ForwardMsg protobufs.

    python benchmarks/bench_chair_mobile.py            # Hanoi demo store (built once, ~1 min)
    python benchmarks/bench_chair_mobile.py --short    # the hand-made fixture store
"""

from __future__ import annotations

import argparse
import base64
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from ioc import auth, navigation, store  # noqa: E402
from ioc.scope import WARD_CHAIR  # noqa: E402

NOW = "2025-10-13T10:00:00"
PHONE = {"width": 390, "height": 844}
THROTTLE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,
    "uploadThroughput": 93_750,
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
LOCAL = {"127.0.0.1", "localhost"}
CHAIR_MARK = ".ioc-chair .chair-rank"
BUDGET_SECONDS = 3.0


def build_store(target: Path, short: bool, copy: Path | None) -> tuple[str, str]:
    """The store to serve and the ward chair's (username, password)."""
    if copy:
        shutil.copy(copy, target)
    elif short:
        from fixtures import C1, make_store

        make_store(target)
        with store.connect(target) as con:
            account = next(a for a in auth.DEMO_ACCOUNTS if a.role == WARD_CHAIR)
            auth.add_user(con, account.username, WARD_CHAIR, account.password, C1, is_demo=True)
    else:
        from ioc import demo

        with store.connect(target) as con:
            demo.build(con, until=datetime.fromisoformat(NOW))
    with store.connect(target) as con:
        auth.ensure_demo_accounts(con)
    account = next(a for a in auth.DEMO_ACCOUNTS if a.role == WARD_CHAIR)
    return account.username, account.password


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(store_path: Path, work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {
        "IOC_DB": str(store_path),
        "IOC_DEMO": "1",
        "IOC_NOW": NOW,
        "IOC_INBOX": str(work / "inbox"),
        "IOC_BACKUP_AT": "off",
    }
    (work / "inbox").mkdir(exist_ok=True)
    log = (work / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ioc", "serve", "--address=127.0.0.1", f"--port={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"the app did not start: see {work / 'streamlit.log'}")


def wait_idle(page, timeout: float = 120_000) -> None:
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=timeout
    )


def element_kind(msg: ForwardMsg) -> str:
    """What a ForwardMsg carries: an element's type, or the message's own kind."""
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta":
        delta = msg.delta
        what = delta.WhichOneof("type")
        if what == "new_element":
            return delta.new_element.WhichOneof("type") or what
        return what or kind
    return kind


LIGHT = "tom-tat"  # the chair's light page (ioc/chair_page.py): no Streamlit, no script


def open_page(browser, url: str, spec, user: str, password: str, throttle: bool) -> dict:
    """One cold view of a page: a new context, the link opened, signed in, drawn. `spec` None:
    the light page /tom-tat (its own sign-in form, then the chair's block)."""
    light = spec is None
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("data:", "blob:"))
            or (urlparse(route.request.url).hostname or "") in LOCAL
            else route.abort()
        ),
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if throttle:
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    state = {"http": 0, "ws": 0, "deflated": 0, "after": False, "largest": (0, ""), "ext": "none"}
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    plain: set[str] = set()

    def on_response(event) -> None:
        response = event["response"]
        encoding = {k.lower(): v for k, v in response.get("headers", {}).items()}.get(
            "content-encoding", "plain"
        )
        urls[event["requestId"]] = f"{urlparse(response['url']).path} ({encoding})"
        if encoding == "plain" and "/static/" in response["url"]:
            plain.add(response["url"])

    def on_finished(event) -> None:
        size = int(event.get("encodedDataLength", 0))
        state["http"] += size
        name = urls.get(event["requestId"], "?")
        sizes[name] = sizes.get(name, 0) + size

    def on_frame(event) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        raw = base64.b64decode(data) if response.get("opcode") == 2 else data.encode()
        if not state["after"]:
            return
        state["ws"] += len(raw)
        if state["ext"] != "none":  # DevTools shows frames inflated: estimate the wire size
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            state["deflated"] += len(packer.compress(raw) + packer.flush(zlib.Z_SYNC_FLUSH)) - 4
        else:
            state["deflated"] += len(raw)
        if response.get("opcode") == 2 and len(raw) > state["largest"][0]:
            msg = ForwardMsg()
            try:
                msg.ParseFromString(raw)
                kind = element_kind(msg)
            except Exception:  # noqa: BLE001 - not a ForwardMsg: count it, name it raw
                kind = "raw"
            state["largest"] = (len(raw), kind)

    def on_handshake(event) -> None:
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        state["ext"] = headers.get("sec-websocket-extensions", "none").split(";")[0] or "none"

    cdp.on("Network.webSocketHandshakeResponseReceived", on_handshake)
    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    if light:
        link = f"{url}/{LIGHT}"
    else:
        link = url + ("/" + spec.url_path if spec.url_path != "xa-phuong" else "/")
    start = time.perf_counter()
    page.goto(link)
    username = page.get_by_label("Tên đăng nhập", exact=True)
    username.wait_for(timeout=120_000)
    if not light:
        wait_idle(page)
    shell = time.perf_counter() - start
    shell_bytes = state["http"]
    username.fill(user)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    state["after"] = True
    tapped = time.perf_counter()
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    username.wait_for(state="detached", timeout=120_000)
    if light:
        page.locator(CHAIR_MARK).wait_for(timeout=120_000)
        drawn = time.perf_counter()
    elif spec.url_path == "xa-phuong":
        page.locator(CHAIR_MARK).wait_for(timeout=120_000)
        drawn = time.perf_counter()
        wait_idle(page)
    else:
        page.wait_for_timeout(200)
        wait_idle(page)
        drawn = time.perf_counter()
    page.wait_for_timeout(300)  # frames still in flight
    result = {
        "page": f"{LIGHT} (light)" if light else spec.url_path,
        "load_s": shell,
        "page_s": drawn - tapped,
        "first_screen_s": drawn - start,
        "shell_kb": shell_bytes / 1000,
        "http_kb": state["http"] / 1000,
        "ws_kb": state["ws"] / 1000,
        "wire_kb": state["deflated"] / 1000,
        "ext": state["ext"],
        "largest": f"{state['largest'][1]} {state['largest'][0] / 1000:.0f} kB",
        "files": sorted(sizes.items(), key=lambda kv: -kv[1])[:6],
        "plain": plain,
    }
    context.close()
    return result


def gzip_estimate(urls: set[str]) -> tuple[int, int]:
    """(bytes as served, bytes gzip -6 would send) of the static files served uncompressed:
    Streamlit leaves /static/ uncompressed on purpose (a compressing proxy is expected)."""
    served = packed = 0
    for address in urls:
        with urllib.request.urlopen(address, timeout=30) as response:
            body = response.read()
        served += len(body)
        packed += len(gzip.compress(body, compresslevel=6))
    return served, packed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="the hand-made fixture store")
    parser.add_argument("--store", type=Path, help="a copy of this store instead")
    parser.add_argument("--runs", type=int, default=1, help="cold views of each page")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-chair-"))
    target = work / "store.duckdb"
    user, password = build_store(target, args.short, args.store)
    specs = navigation.pages_for(WARD_CHAIR)
    landing = navigation.default_page(WARD_CHAIR)
    specs = [None, landing, *(s for s in specs if s is not landing)]
    process, url = serve(target, work)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=CHROMIUM_ARGS,
            )
            for spec in specs:  # warm the app: imports, cached figures
                open_page(browser, url, spec, user, password, throttle=False)
            rows = [
                open_page(browser, url, spec, user, password, throttle=True)
                for spec in specs
                for _ in range(args.runs)
            ]
            browser.close()
        gzipped = gzip_estimate(rows[0]["plain"])
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)

    store_name = "fixture" if args.short else (args.store or "Hanoi demo")
    print(
        f"Ward chair on 390x844, throttled {THROTTLE['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s "
        f"down, {THROTTLE['latency']} ms, cold browser cache, app warm; store: {store_name}"
    )
    header = (
        f"{'page':<22}{'load s':>8}{'page s':>8}{'total s':>9}{'shell kB':>10}{'http kB':>9}"
        f"{'ws kB':>8}{'wire kB':>9}  largest element"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['page']:<22}{r['load_s']:>8.2f}{r['page_s']:>8.2f}{r['first_screen_s']:>9.2f}"
            f"{r['shell_kb']:>10.0f}{r['http_kb']:>9.0f}{r['ws_kb']:>8.0f}{r['wire_kb']:>9.0f}"
            f"  {r['largest']}"
        )
    light, first = rows[0], rows[args.runs]
    verdict = "within" if light["first_screen_s"] <= BUDGET_SECONDS else "over"
    print(
        f"\nThe light page /{LIGHT}: the sign-in form in {light['load_s']:.2f} s "
        f"({light['shell_kb']:.0f} kB), the chair's block {light['page_s']:.2f} s after the tap: "
        f"{light['first_screen_s']:.2f} s in all, {light['http_kb']:.0f} kB ({verdict} the "
        f"{BUDGET_SECONDS:.0f} s budget, typing excluded)."
    )
    print(f"\nWebsocket extension: {first['ext']} (ws kB: payload as DevTools shows it, inflated;")
    print(" wire kB: the same frames deflated here, an estimate of the bytes sent)")
    print("\nLargest responses of the first view (bytes on the wire, content-encoding):")
    for name, size in first["files"]:
        print(f"  {size / 1000:>8.0f} kB  {name}")
    served, packed = gzipped
    print(
        f"\nStatic files served uncompressed: {served / 1000:.0f} kB; gzipped by a proxy they would "
        f"be {packed / 1000:.0f} kB, about {packed / THROTTLE['downloadThroughput']:.1f} s at this "
        "speed (plus latency)."
    )
    verdict = "within" if first["page_s"] <= BUDGET_SECONDS else "over"
    print(
        f"\nThe chair's first screen: {first['page_s']:.2f} s from the sign-in tap to the rank "
        f"({verdict} the {BUDGET_SECONDS:.0f} s budget); the shell (Streamlit's JS/CSS, fixed) "
        f"{first['shell_kb']:.0f} kB in {first['load_s']:.2f} s before it."
    )


if __name__ == "__main__":
    main()
