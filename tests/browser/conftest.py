"""Browser test infrastructure: the app served by `streamlit run` on a free localhost port over a
small prepared store, and a Playwright page in Debian's chromium with every non-localhost request
blocked (and recorded, so a test can assert the page asked for nothing outside).

Chromium is installed by the project's set-up (.ci/run); when it is missing these tests fail, they
never skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from land_fixture import make_land_store  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
NOW = "2025-10-13T10:00:00"


def chromium_path() -> str:
    """Debian's chromium; a missing browser is a failure, since CI installs it."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("chromium is not installed (apt-get install -y chromium)", pytrace=False)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited:\n{log.read_text(errors='replace')}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit did not start:\n{log.read_text(errors='replace')}", pytrace=False)


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made fixture store (tests/fixtures.py) plus its parcels (tests/land_fixture.py)."""
    return make_land_store(tmp_path_factory.mktemp("browser") / "store.duckdb")


@pytest.fixture(scope="session")
def app_url(browser_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app started with `streamlit run app.py` over browser_store."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = os.environ | {
        "IOC_DB": str(browser_store),
        "IOC_DEMO": "0",
        "IOC_NOW": NOW,
        "IOC_INBOX": str(tmp_path_factory.mktemp("inbox")),
    }
    env.pop("IOC_MAP_TILES", None)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--global.developmentMode=false",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, software WebGL (swiftshader) for the maps."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """URLs of the requests the page tried to send off localhost (all of them were aborted)."""
    return []


@pytest.fixture(scope="session")
def warm_app(app_url: str, browser) -> str:
    """app_url after one full page load: Streamlit answers the very first session of a fresh
    server with a "Page not found" dialog over the requested page, which would spoil screenshots."""
    context = browser.new_context()
    first = context.new_page()
    first.goto(app_url)
    first.locator('[data-testid="stSidebarNav"]').wait_for(timeout=60_000)
    first.wait_for_timeout(1_000)
    context.close()
    return app_url


@pytest.fixture
def page(browser, warm_app: str, outside_requests: list[str]):
    """A fresh page (1600x1000, vi) on which every non-localhost request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="vi-VN")

    def guard(route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    new_page = context.new_page()
    yield new_page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """test-artifacts/ (git-ignored) for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
