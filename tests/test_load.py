"""The load script in its short mode: sessions on a running app while the inbox watcher imports
an export. Zero errors, and no session ever sees a dossier count other than before or after."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import load_test  # noqa: E402


@pytest.mark.slow
def test_load_short_mode():
    args = load_test.parse_args(["--short", "--import-timeout", "120"])
    report = load_test.run(args)
    assert report["errors"] == 0, report
    assert report["idle_views"] > 0 and report["import_views"] > 0
    assert report["count_before"] == 27  # the hand-made store
    assert report["count_after"] == 27 + args.rows  # every exported row is a new dossier
    assert set(report["counts_seen"]) <= {27, 27 + args.rows}
    assert not report["half_import_seen"]
