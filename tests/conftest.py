"""Shared test fixtures: a hand-made store in a temporary file, and settings pointing at it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A translation key missing from ioc/i18n.py fails the test that shows it (and the app servers the
# browser tests start inherit it).
os.environ["IOC_STRICT_I18N"] = "1"
# A page's unexpected error reaches AppTest's at.exception instead of the one-line message users see.
os.environ.setdefault("IOC_DEBUG", "1")
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import make_store  # noqa: E402

from ioc import auth, store  # noqa: E402


@pytest.fixture
def fixture_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hand-made store as IOC_DB, demo mode off, the clock pinned after the fixture week."""
    path = make_store(tmp_path / "fixture.duckdb")
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    auth.forget_failures()  # sign-in failure counters live in the process, not the store
    return path


@pytest.fixture
def fixture_con(fixture_db: Path):
    con = store.connect(fixture_db)
    yield con
    con.close()
