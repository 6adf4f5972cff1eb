"""Browser test infrastructure: the app served by `ioc serve` (the documented start command) on a
free localhost port over a small prepared store with one demo account per role, a Playwright page in
Debian's chromium with every non-localhost request blocked (and recorded, so a test can assert the
page asked for nothing outside), and `sign_in`, which signs in through the real sign-in page.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import C1  # noqa: E402
from land_fixture import make_land_store  # noqa: E402

from ioc import auth, store  # noqa: E402
from ioc.scope import WARD_CHAIR  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
NOW = "2025-10-13T10:00:00"
# The demo accounts (ioc/auth.py); the fixture store has no Phường Cửa Nam, so the ward chair is
# bound to its commune 90001 (Phường Một).
ACCOUNTS = {a.role: a for a in auth.DEMO_ACCOUNTS}


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


def prepared_store(path: Path) -> Path:
    """The hand-made fixture store (tests/fixtures.py), its parcels (tests/land_fixture.py) and the
    demo accounts, one per role."""
    make_land_store(path)
    rounds, auth.BCRYPT_ROUNDS = auth.BCRYPT_ROUNDS, 4  # the hash keeps its cost: fast sign-ins
    try:
        with store.connect(path) as con:
            for account in auth.DEMO_ACCOUNTS:
                commune = C1 if account.role == WARD_CHAIR else None
                auth.add_user(
                    con, account.username, account.role, account.password, commune, is_demo=True
                )
    finally:
        auth.BCRYPT_ROUNDS = rounds
    return path


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The prepared store served to the session's tests."""
    return prepared_store(tmp_path_factory.mktemp("browser") / "store.duckdb")


@contextmanager
def _served(
    store_path: Path, tmp_path_factory: pytest.TempPathFactory, inbox: Path | None = None
) -> Iterator[str]:
    """Start `python -m ioc serve` over store_path on a free localhost port; yield its base URL.
    `inbox`: the inbox to share (a lake replica's writes go to the worker through it), else a
    new one."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = os.environ | {
        "IOC_DB": str(store_path),
        "IOC_DEMO": "1",  # demo mode: the demo accounts are accepted (the store is not empty)
        "IOC_NOW": NOW,
        "IOC_INBOX": str(inbox or tmp_path_factory.mktemp("inbox")),
        "IOC_BACKUP_AT": "off",
    }
    env.pop("IOC_MAP_TILES", None)
    command = [
        sys.executable,
        "-m",
        "ioc",
        "serve",
        "--address=127.0.0.1",
        f"--port={port}",
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
def app_url(browser_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app served over browser_store, shared by the session's tests."""
    with _served(browser_store, tmp_path_factory) as url:
        yield url


@pytest.fixture
def fresh_app_url(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of an app started for this test alone (nothing has been loaded from it yet), over
    its own prepared store: the session's app holds browser_store's DuckDB lock."""
    with _served(prepared_store(tmp_path / "store.duckdb"), tmp_path_factory) as url:
        yield url


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


def local_page(browser, viewport: dict, outside: list[str]):
    """A new context at `viewport` (vi) and its page, on which every non-localhost request is
    aborted and recorded in `outside`."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")

    def guard(route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context, context.new_page()


@pytest.fixture
def page(browser, outside_requests: list[str]):
    """A fresh page (1600x1000, vi) on which every non-localhost request is aborted and recorded."""
    context, new_page = local_page(browser, {"width": 1600, "height": 1000}, outside_requests)
    yield new_page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """test-artifacts/ (git-ignored) for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the app's script run has finished."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=timeout
    )


def submit_sign_in(page, role: str) -> None:
    """On the sign-in page shown, type the role's demo account, submit, and wait until the form
    has gone."""
    account = ACCOUNTS[role]
    username = page.get_by_label("Tên đăng nhập", exact=True)
    username.wait_for(timeout=60_000)
    # Typing while the first run is still drawing the form can lose the text to its redraw.
    wait_idle(page)
    username.fill(account.username)
    page.get_by_label("Mật khẩu", exact=True).fill(account.password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    username.wait_for(state="detached", timeout=60_000)


@pytest.fixture
def sign_in(page) -> Callable[[str, str], None]:
    """`sign_in(url, role)`: the test's page opens url and signs in there as the role."""

    def sign_in(url: str, role: str) -> None:
        page.goto(url)
        submit_sign_in(page, role)

    return sign_in
