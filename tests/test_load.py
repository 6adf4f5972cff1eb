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


@pytest.mark.slow
def test_three_replicas_and_a_worker_during_an_import(postgres_server):
    """Issue 17: real Streamlit sessions over 3 app replicas on a DuckLake while the worker imports
    2,000 new dossiers and finishes 9 open ones of the hand-made store: no error, every count a
    session saw is 27 or 2,027, and each finished dossier is stored once with its end."""
    import load_test_replicas

    args = load_test_replicas.parse_args(["--short", "--import-timeout", "180"])
    report = load_test_replicas.run(args)
    assert report["errors"] == 0, report
    assert report["idle_views"] > 0 and report["import_views"] > 0, report
    assert (report["count_before"], report["count_after"]) == (27, 27 + args.rows)
    assert set(report["counts_seen"]) <= {27, 27 + args.rows} and report["counts_seen"]
    # the hand-made store's open dossiers with a receipt and a due date: 9, each finished once
    assert report["update_rows"] == 9
    assert report["updated_rows_stored"] == report["updated_dossiers_distinct"] == 9
    assert report["updated_dossiers_finished"] == 9
