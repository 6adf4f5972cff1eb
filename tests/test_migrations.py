"""Schema versions (ioc/migrations.py): a store written by an earlier release opens with identical
KPIs, a newer one is refused, changed derived tables are rebuilt, a failed step changes nothing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pytest
from fixtures import PERIOD_FROM, PERIOD_TO, make_store

from ioc import kpi, migrations, store

RELEASES = sorted(p for p in (Path(__file__).parent / "stores").iterdir() if p.is_dir())


@pytest.fixture(autouse=True)
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))


def load_release(folder: Path, path: Path) -> Path:
    """The release's store as it wrote it: its own table definitions, then its rows."""
    with duckdb.connect(str(path)) as con:
        con.execute((folder / "export" / "schema.sql").read_text(encoding="utf-8"))
        for table in sorted((folder / "export").glob("*.parquet")):
            # table names come from the fixture's file names
            con.execute(f"insert into {table.stem} select * from read_parquet(?)", [str(table)])  # noqa: S608
    return path


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return a == b


@pytest.mark.parametrize("release", RELEASES, ids=[r.name for r in RELEASES])
def test_a_store_of_an_earlier_release_opens_with_identical_kpis(release, tmp_path):
    path = load_release(release, tmp_path / "old.duckdb")
    with duckdb.connect(str(path)) as con:
        assert migrations.stored_version(con) == 0  # 0.1.0 recorded no version
    con = store.connect(path)
    try:
        assert migrations.stored_version(con) == migrations.schema_version()
        figures = kpi.commune_ranking(
            con, kpi.Period.of(PERIOD_FROM, PERIOD_TO), province="01", median=True
        )
        got = figures.select(kpi.OUTPUT_COLUMNS).to_dicts()
        expected = json.loads((release / "kpis.json").read_text(encoding="utf-8"))
        assert len(got) == len(expected) == 3
        for row, want in zip(got, expected, strict=True):
            differing = {k: (row[k], want[k]) for k in want if not same(row[k], want[k])}
            assert differing == {}, row["commune_code"]
        # the rest of what the release held is still there
        assert con.execute("select count(*) from quarantine").fetchone()[0] == 1
        assert con.execute("select username from users").fetchall() == [("quantri",)]
    finally:
        con.close()
    copies = list((tmp_path / "backups").glob("old-v0-before-upgrade-*.duckdb"))
    assert len(copies) == 1
    with duckdb.connect(str(copies[0]), read_only=True) as copy:
        assert migrations.stored_version(copy) == 0  # the copy is the store before the upgrade


def test_a_new_store_records_its_version_and_copies_nothing(tmp_path):
    with store.connect(tmp_path / "new.duckdb") as con:
        assert migrations.stored_version(con) == migrations.schema_version()
        assert store.get_meta(con, "rollup_definition") == migrations.derived_fingerprint()
    assert not (tmp_path / "backups").exists()


def test_a_store_of_a_newer_release_is_refused_in_one_line(tmp_path):
    path = make_store(tmp_path / "s.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("update meta set value = '99' where key = 'schema_version'")
    for read_only in (False, True):
        with pytest.raises(migrations.StoreVersionError) as error:
            store.connect(path, read_only=read_only)
        assert "newer release" in str(error.value) and "\n" not in str(error.value)
    with duckdb.connect(str(path)) as con:  # refused, not changed, and not left locked
        assert store.get_meta(con, "schema_version") == "99"


def test_an_older_store_is_not_opened_read_only(tmp_path):
    path = load_release(RELEASES[0], tmp_path / "old.duckdb")
    with pytest.raises(migrations.StoreVersionError, match="ioc init"):
        store.connect(path, read_only=True)


def test_derived_tables_of_an_older_definition_are_rebuilt(tmp_path):
    """The defect this fixes: a rollup table with a column fewer than the code's refresh query
    ("table rollup_received has 11 columns but 12 values") after an upgrade."""
    path = make_store(tmp_path / "s.duckdb")
    with store.connect(path) as con:
        period = kpi.Period.of(PERIOD_FROM, PERIOD_TO)
        before = kpi.commune_ranking(con, period, province="01").to_dicts()
    with duckdb.connect(str(path)) as con:
        con.execute("alter table rollup_received drop column received_digitized")
        con.execute("update meta set value = 'older' where key = 'rollup_definition'")
    with store.connect(path) as con:
        columns = [r[0] for r in con.execute("describe rollup_received").fetchall()]
        assert "received_digitized" in columns
        assert kpi.commune_ranking(con, period, province="01").to_dicts() == before


def test_a_step_runs_once_and_a_failing_step_changes_nothing(tmp_path, monkeypatch):
    path = make_store(tmp_path / "s.duckdb")
    steps_dir = tmp_path / "steps"
    steps_dir.mkdir()
    for step in migrations.STEPS_DIR.glob("*.sql"):
        (steps_dir / step.name).write_text(step.read_text(encoding="utf-8"), encoding="utf-8")
    number = migrations.schema_version() + 1
    added = steps_dir / f"{number:04d}_add_note.sql"
    monkeypatch.setattr(migrations, "STEPS_DIR", steps_dir)
    migrations.steps.cache_clear()
    try:
        added.write_text(
            "alter table if exists dossiers add column if not exists note varchar;\n"
            "update dossiers set note = 'x';\n"
            "select 1 / 0 from dossiers where (select count(*) from nonexistent) > 0;\n",
            encoding="utf-8",
        )
        with pytest.raises(duckdb.Error):
            store.connect(path)
        with duckdb.connect(str(path)) as con:  # rolled back: no column, old version
            assert "note" not in [r[0] for r in con.execute("describe dossiers").fetchall()]
            assert migrations.stored_version(con) == number - 1
        added.write_text(
            "alter table if exists dossiers add column if not exists note varchar;\n"
            "update dossiers set note = 'x';\n",
            encoding="utf-8",
        )
        migrations.steps.cache_clear()
        with store.connect(path) as con:
            assert migrations.stored_version(con) == number
            assert con.execute("select count(*) from dossiers where note = 'x'").fetchone()[0] > 0
            con.execute("update dossiers set note = 'y'")
        with store.connect(path) as con:  # not run again
            assert con.execute("select count(*) from dossiers where note = 'x'").fetchone()[0] == 0
    finally:
        migrations.steps.cache_clear()
    assert len(list((tmp_path / "backups").glob(f"s-v{number - 1}-before-upgrade-*"))) == 2


def test_the_cli_answers_a_newer_store_in_one_line(tmp_path, monkeypatch, capsys):
    from ioc import cli

    path = make_store(tmp_path / "s.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("update meta set value = '99' where key = 'schema_version'")
    monkeypatch.setenv("IOC_DB", str(path))
    assert cli.main(["kpi", "--from", "2025-10-06", "--to", "2025-10-12"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ioc: s.duckdb was written by a newer release") and err.count("\n") == 1
