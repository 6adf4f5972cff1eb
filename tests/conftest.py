"""Shared test fixtures: a hand-made store in a temporary file, and settings pointing at it."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A translation key missing from ioc/i18n.py fails the test that shows it (and the app servers the
# browser tests start inherit it).
os.environ["IOC_STRICT_I18N"] = "1"
# A page's unexpected error reaches AppTest's at.exception instead of the one-line message users see.
os.environ.setdefault("IOC_DEBUG", "1")
# No figures computed ahead in a background thread (ioc/precompute.py): it would outlive the test
# and its store. tests/test_precompute.py switches it on and runs its refreshes itself.
os.environ["IOC_PRECOMPUTE"] = "0"
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import make_store  # noqa: E402

from ioc import auth, lake_server, store  # noqa: E402


@pytest.fixture
def store_backend() -> str:
    """The store the fixtures build: the embedded file, or the lake with IOC_TEST_STORE=ducklake
    (to run a module's fixture tests on the lake). A test module that overrides this fixture with
    params BOTH_STORES runs its tests on both (tests/test_kpi.py)."""
    return os.environ.get("IOC_TEST_STORE", "duckdb")


BOTH_STORES = ["duckdb", "ducklake"]


@pytest.fixture
def fixture_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, store_backend
) -> Path:
    """The hand-made store as IOC_DB, demo mode off, the clock pinned after the fixture week. With
    store_backend "ducklake" the same rows go into a new lake (IOC_STORE=ducklake; the path is
    then unused); with IOC_TEST_STORE=ducklake the worker's serving of the app's writes runs too
    (`serving_writes`): the app in an AppTest is a replica that cannot write itself."""
    if store_backend == "ducklake":
        request.getfixturevalue("lake_settings")
    path = make_store(tmp_path / "fixture.duckdb")
    if os.environ.get("IOC_TEST_STORE") == "ducklake":
        request.getfixturevalue("serving_writes")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    auth.forget_failures()  # sign-in failure counters live in the process, not the store
    return path


@pytest.fixture(autouse=True)
def _no_mirror_left():
    """A replica's mirror thread (ioc/mirror.py) ends with the test that started it, before its
    lake and PostgreSQL schema go."""
    yield
    from ioc import mirror

    mirror.stop_all()


@pytest.fixture
def fixture_con(fixture_db: Path):
    con = store.connect(fixture_db)
    yield con
    con.close()


# --- a throwaway PostgreSQL for the DuckLake store (issue 17; .ci/run installs PostgreSQL) ---


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL of its own for the session (ioc/lake_server.py: a temporary folder, 127.0.0.1
    and a free port), stopped at the end; yields its libpq connection words."""
    if lake_server.binaries() is None:
        message = "no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql"
        if os.environ.get("IOC_REQUIRE_POSTGRES") == "1":  # .ci/run installs them: never skip
            pytest.fail(message)
        pytest.skip(message)
    with lake_server.throwaway_postgres() as catalog:
        yield catalog


@pytest.fixture
def lake_settings(postgres_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """IOC_STORE=ducklake on a new lake of its own: a catalog schema named for the test in the
    session's PostgreSQL, its Parquet files under tmp_path."""
    settings = {
        "IOC_STORE": "ducklake",
        "IOC_LAKE_CATALOG": postgres_server,
        "IOC_LAKE_SCHEMA": "t_" + uuid.uuid4().hex[:12],
        "IOC_LAKE_DATA": str(tmp_path / "lake"),
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return settings


@pytest.fixture
def serving_writes(lake_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """What `ioc worker` does for the app replicas' writes (ioc/writes.py) while the test runs:
    its serving thread on a writing connection of the test's lake, and its heartbeat (the inbox in
    tmp_path)."""
    import threading

    from ioc import worker, writes

    monkeypatch.setenv("IOC_INBOX", str(tmp_path / "inbox"))  # a test may point it elsewhere
    monkeypatch.setattr(writes, "ALWAYS_WAIT", True)  # a test reads its audit records at once
    con = store.connect()
    stop = threading.Event()

    def beat() -> None:
        while True:
            worker.beat()
            if stop.wait(worker.TICK_SECONDS):
                return

    beating = threading.Thread(target=beat, daemon=True)
    beating.start()
    served = writes.serve(lambda: store.cursor(con), stop)
    yield
    stop.set()
    served.join(timeout=30)
    beating.join(timeout=30)
    con.close()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Files a page hands to the browser (st.download_button data), by file name; the last run
    wins."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        files[filename or "?"] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return files
