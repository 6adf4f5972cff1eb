"""`ioc kpi` prints the hand-computed figures of the fixture (same code path as the pages)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fixtures import C1, C2, C3

from ioc.cli import main


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_kpi_csv(fixture_db, capsys):
    out = run(capsys, "kpi", "--from", "2025-10-06", "--to", "2025-10-12")
    rows = {r["commune_code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert set(rows) == {C1, C2, C3}  # the commune of province 02 is not listed
    c1 = rows[C1]
    assert int(c1["received"]) == 13
    assert float(c1["online_rate"]) == pytest.approx(6 / 13)
    assert float(c1["on_time_rate"]) == pytest.approx(5 / 7)
    assert int(c1["open_overdue"]) == 2
    assert c1["rank"] == "2" and c1["rank_change"] == "-1"
    assert rows[C2]["rank"] == "1"
    assert rows[C3]["online_rate"] == ""  # no denominator: empty in csv
    assert list(rows[C1])[:3] == ["commune_code", "commune_name", "received"]


def test_kpi_json_one_commune(fixture_db, capsys):
    out = run(
        capsys,
        "kpi",
        "--from",
        "2025-10-06",
        "--to",
        "2025-10-12",
        "--commune",
        C3,
        "--format",
        "json",
    )
    (c3,) = json.loads(out)
    assert c3["commune_code"] == C3
    assert c3["online_rate"] is None and c3["score"] is None and c3["rank"] == 3


def test_demo_until_is_reproducible(tmp_path, monkeypatch, capsys):
    import duckdb

    def build(name: str) -> str:
        path = tmp_path / name
        monkeypatch.setenv("IOC_DB", str(path))
        run(capsys, "demo", "--until", "2025-07-04T11:00", "--seed", "7")
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(
                "select count(*), sum(hash(dossier_id, status, received_at, due_at, finished_at,"
                " channel, commune_code)) from dossiers"
            ).fetchone()

    first, second = build("a.duckdb"), build("b.duckdb")
    assert first == second
    assert first[0] > 3 * 3000  # three working days of Hanoi volume up to 11:00 on the fourth
