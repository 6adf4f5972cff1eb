"""The DuckLake store (issue 17, docs/ducklake.md) on a PostgreSQL of the test session's own
(tests/conftest.py postgres_server): a new lake's schema, replicas that cannot write, one labelled
snapshot per import, upserts without keys, and the league table as it stood at a past snapshot.
The KPI figures themselves are checked on both stores by tests/test_kpi.py."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from fixtures import C1, C2, C3, OTHER, PERIOD_FROM, PERIOD_TO

from ioc import kpi, lake, migrations, store
from ioc.ingest import ingest_file
from ioc.kpi import Period

PERIOD = Period.of(PERIOD_FROM, PERIOD_TO, now=datetime(2025, 10, 20, 9, 0))
HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


def row(frame, code: str) -> dict:
    return next(r for r in frame.iter_rows(named=True) if r["commune_code"] == code)


def test_lake_ddl_drops_keys_and_keeps_the_rest():
    sql = (
        "create table if not exists a (\n    k varchar primary key,\n    n integer not null\n);\n"
        "create table if not exists b (\n    x varchar not null,\n    y double,\n"
        "    primary key (x, y)\n);\n"
        "create table if not exists c (\n    day date primary key, -- a day\n"
        "    flag boolean not null default false\n);"
    )
    assert lake.lake_ddl(sql) == (
        "create table if not exists a (\n    k varchar,\n    n integer not null\n);\n"
        "create table if not exists b (\n    x varchar not null,\n    y double\n);\n"
        "create table if not exists c (\n    day date, -- a day\n"
        "    flag boolean not null default false\n);"
    )
    text = lake.lake_ddl(migrations.SCHEMA_FILE.read_text(encoding="utf-8"))
    assert not re.search(r"primary key|unique", text, re.IGNORECASE)


def test_a_new_lake_has_every_table_and_keeps_one_row_per_meta_key(fixture_con):
    con = fixture_con
    assert lake.is_lake(con)
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'lake'"
        ).fetchall()
    }
    wanted = set(
        re.findall(r"create table if not exists (\w+)", migrations.SCHEMA_FILE.read_text())
    )
    assert wanted | set(migrations.derived_tables()) <= tables
    assert "users" in tables and "dossiers" in tables and "rollup_received" in tables
    assert store.get_meta(con, "schema_version") == str(migrations.schema_version())
    # meta has no primary key in the lake: set_meta is a MERGE on the key
    store.set_meta(con, "probe", "1")
    store.set_meta(con, "probe", "2")
    assert con.execute("select value from meta where key = 'probe'").fetchall() == [("2",)]
    # the fixture's rows are there: 19 dossiers of C1, 7 of C2, 1 of the other province
    counts = dict(con.execute("select commune_code, count(*) from dossiers group by 1").fetchall())
    assert counts == {C1: 19, C2: 7, OTHER: 1}


def test_a_replica_reads_the_lake_and_cannot_write(fixture_con):
    replica = store.connect(read_only=True)
    try:
        assert replica.execute("select count(*) from dossiers").fetchone()[0] == 27
        with pytest.raises(duckdb.Error):
            replica.execute("insert into meta values ('x', 'y')")
        # a write of the writer is seen by the replica's next query
        store.set_meta(fixture_con, "seen", "yes")
        assert store.get_meta(replica, "seen") == "yes"
    finally:
        replica.close()


def test_a_replica_keeps_one_cursor_a_thread_and_each_query_reads_the_newest_snapshot(fixture_con):
    replica = store.connect(read_only=True)
    try:
        codes = set(store.run_query(replica, "procedure_catalogue")["procedure_code"])
        fixture_con.execute(
            "insert into procedures (procedure_code, procedure_name) values ('9.999', 'Mới')"
        )
        # the kept cursor is not held at the snapshot of its first query
        assert set(store.run_query(replica, "procedure_catalogue")["procedure_code"]) == codes | {
            "9.999"
        }
        mine = store._reader(replica)
        assert store._reader(replica) is mine
        assert store._reader(store.cursor(replica)) is mine  # the app's cursor of a fetch
        pooled = store.concurrently(lambda: store._reader(replica), lambda: None)[0]
        assert pooled is not mine  # a cursor is one thread's
    finally:
        replica.close()


def test_a_new_lake_writes_uncompressed_parquet_and_keeps_an_operators_choice(fixture_con):
    def options() -> dict:
        return dict(
            fixture_con.execute(
                "select option_name, value from ducklake_options('lake') "
                "where option_name = 'parquet_compression'"
            ).fetchall()
        )

    assert options() == {"parquet_compression": "uncompressed"}
    fixture_con.execute("call lake.set_option('parquet_compression', 'zstd')")
    lake.set_options(fixture_con)
    assert options() == {"parquet_compression": "zstd"}


def write_export(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(line + "\n" for line in rows), encoding="utf-8")
    return path


def test_each_import_is_one_snapshot_labelled_with_its_run_id(fixture_con, tmp_path):
    con = fixture_con
    before = lake.snapshots(con)
    first = ingest_file(
        con,
        write_export(
            tmp_path / "morning.csv",
            [
                "L1,1.001193,90003,2,4,08/10/2025 09:00,08/10/2025 17:00,",
                "L2,1.001193,90003,2,4,08/10/2025 10:00,08/10/2025 17:00,",
            ],
        ),
    )
    assert (first.status, first.rows_inserted, first.rows_updated) == ("ok", 2, 0)
    after = lake.snapshots(con)
    assert after.height == before.height + 1
    assert after["commit_message"].to_list()[-1] == first.run_id
    # a later export of the same dossiers updates them: still one row per dossier, no key needed
    later = ingest_file(
        con,
        write_export(
            tmp_path / "evening.csv",
            [
                "L1,1.001193,90003,2,10,08/10/2025 09:00,08/10/2025 17:00,08/10/2025 11:00",
                "L2,1.001193,90003,2,4,08/10/2025 10:00,08/10/2025 17:00,",
                "L3,1.001193,90003,2,4,09/10/2025 10:00,09/10/2025 17:00,",
            ],
        ),
    )
    assert (later.rows_inserted, later.rows_updated) == (1, 1)
    rows = con.execute(
        "select dossier_id, status, finished_at from dossiers where commune_code = '90003' "
        "order by 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["L1", "L2", "L3"]
    assert rows[0][1:] == ("returned", datetime(2025, 10, 8, 11, 0))
    # the same file again: a duplicate run, recorded in a snapshot of its own with its run id
    again = ingest_file(con, tmp_path / "evening.csv")
    assert again.status == "duplicate_file"
    messages = lake.snapshots(con)["commit_message"].to_list()
    assert messages[-3:] == [first.run_id, later.run_id, again.run_id]


def test_the_league_table_as_it_stood_before_a_later_import(fixture_con, tmp_path):
    con = fixture_con
    before = kpi.commune_ranking(con, PERIOD, province="01", median=True)
    version = lake.current_version(con)
    stood_at = lake.snapshots(con).filter(pl.col("snapshot_id") == version)["snapshot_time"][0]
    # a later import: three dossiers of C3 received, on time, in the week
    result = ingest_file(
        con,
        write_export(
            tmp_path / "c3.csv",
            [
                f"T{n},1.001193,90003,2,10,0{n}/10/2025 09:00,0{n}/10/2025 17:00,0{n}/10/2025 11:00"
                for n in (7, 8, 9)
            ],
        ),
    )
    assert result.rows_inserted == 3
    now = kpi.commune_ranking(con, PERIOD, province="01", median=True)
    assert row(now, C3)["received"] == 3
    # which imports changed a commune since that snapshot: this one for C3, none for C1
    since = lake.imports_since(con, C3, version)
    assert since.select("run_id", "source_file", "inserted", "updated").rows() == [
        (result.run_id, "c3.csv", 3, 0)
    ]
    assert lake.imports_since(con, C1, version).height == 0
    assert lake.imports_since(con, C3, lake.current_version(con)).height == 0

    for past in (lake.connect(version=version), lake.connect(at=stood_at)):
        try:
            ranking = kpi.commune_ranking(past, PERIOD, province="01", median=True)
        finally:
            past.close()
        # as tests/test_kpi.py works them out by hand: C2 first, C1 13 received, C3 none
        assert ranking["commune_code"].to_list() == [C2, C1, C3]
        assert row(ranking, C1)["received"] == 13
        assert row(ranking, C3)["received"] == 0 and row(ranking, C3)["score"] is None
        assert row(ranking, C2)["online_rate"] == pytest.approx(4 / 6)
        assert ranking.equals(before)


def test_ioc_kpi_prints_the_figures_as_they_stood(fixture_con, tmp_path, capsys):
    from ioc import cli

    version = lake.current_version(fixture_con)
    ingest_file(
        fixture_con,
        write_export(
            tmp_path / "c1.csv", ["K1,1.001193,90001,2,4,08/10/2025 09:00,08/10/2025 17:00,"]
        ),
    )
    week = ["kpi", "--from", "2025-10-06", "--to", "2025-10-12", "--as-of", "2025-10-20T09:00"]
    received = {}
    for extra in ([], ["--snapshot", str(version)]):
        assert cli.main([*week, "--commune", C1, "--format", "json", *extra]) == 0
        received[bool(extra)] = json.loads(capsys.readouterr().out)[0]["received"]
    # tests/test_kpi.py: 13 received by C1 in the week; K1 (08/10) makes 14 now
    assert received == {False: 14, True: 13}
    assert cli.main([*week, "--snapshot", "999"]) == 2
    assert "snapshot" in capsys.readouterr().err


def test_time_travel_needs_the_lake(fixture_db, monkeypatch, capsys):
    from ioc import cli

    monkeypatch.setenv("IOC_STORE", "duckdb")
    monkeypatch.setenv("IOC_DB", str(fixture_db))
    week = ["kpi", "--from", "2025-10-06", "--to", "2025-10-12", "--store-at", "2025-10-12T18:00"]
    assert cli.main(week) == 2
    assert capsys.readouterr().err.strip() == (
        "--snapshot / --store-at need the DuckLake store (IOC_STORE=ducklake)"
    )
