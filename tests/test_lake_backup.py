"""Backup and restore of the DuckLake store (issue 17, item 5; ioc/lake_backup.py): `ioc backup`
dumps the catalog and copies the data folder; `ioc restore` loads them as a new lake in another
schema and folder and checks its figures against the backup's before saying so. The figures are the
hand-computed ones of tests/test_kpi.py."""

from __future__ import annotations

from datetime import datetime

import pytest
from fixtures import C1, C2, C3, PERIOD_FROM, PERIOD_TO

from ioc import cli, kpi, lake, lake_backup
from ioc.ingest import ingest_file
from ioc.kpi import Period

PERIOD = Period.of(PERIOD_FROM, PERIOD_TO, now=datetime(2025, 10, 20, 9, 0))
HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


def received(ranking, code: str) -> int:
    return next(r["received"] for r in ranking.iter_rows(named=True) if r["commune_code"] == code)


def test_backup_then_restore_to_a_new_place_gives_the_same_kpis(
    fixture_con, lake_settings, tmp_path, capsys
):
    con = fixture_con
    before = kpi.commune_ranking(con, PERIOD, province="01", median=True)
    assert received(before, C1) == 13  # tests/test_kpi.py
    zipped = tmp_path / "lake-backup.zip"
    assert cli.main(["backup", str(zipped)]) == 0
    assert "at snapshot" in capsys.readouterr().out
    # the lake moves on after the backup: C1 receives one more dossier
    export = tmp_path / "later.csv"
    export.write_text(HEADER + "K1,1.001193,90001,2,4,08/10/2025 09:00,08/10/2025 17:00,\n")
    assert ingest_file(con, export).rows_inserted == 1
    assert received(kpi.commune_ranking(con, PERIOD, province="01", median=True), C1) == 14

    new_data = tmp_path / "elsewhere" / "lake"
    new_schema = lake_settings["IOC_LAKE_SCHEMA"] + "_r"
    args = ["restore", str(zipped), "--schema", new_schema, "--data", str(new_data)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("restored the backup of") and "KPIs checked equal" in out

    restored = lake.connect(schema=new_schema, data_path=new_data)
    try:
        again = kpi.commune_ranking(restored, PERIOD, province="01", median=True)
        assert again.equals(before)
        assert [received(again, c) for c in (C1, C2, C3)] == [13, 6, 0]
        # the restored lake is a lake of its own: a write lands in its folder only
        files = {p for p in (tmp_path / "lake").rglob("*") if p.is_file()}
        assert ingest_file(restored, export).rows_inserted == 1
        assert {p for p in (tmp_path / "lake").rglob("*") if p.is_file()} == files
        assert received(kpi.commune_ranking(restored, PERIOD, province="01"), C1) == 14
    finally:
        restored.close()

    # never over a lake or a folder in use; one line each
    assert cli.main(args) == 1
    assert capsys.readouterr().err.startswith("restore failed: ")
    assert cli.main(["restore", str(zipped)]) == 2
    assert "--schema NEW_SCHEMA and --data NEW_FOLDER" in capsys.readouterr().err


def test_rename_schema_leaves_the_rows_alone():
    dump = (
        "CREATE SCHEMA t_a;\n"
        "CREATE TABLE t_a.ducklake_metadata (key text);\n"
        "COPY t_a.ducklake_metadata (key) FROM stdin;\n"
        "t_a.path\n"
        "\\.\n"
        "ALTER TABLE ONLY t_a.x ADD CONSTRAINT t_a_b PRIMARY KEY (k);\n"
    )
    assert lake_backup.rename_schema(dump, "t_a", "t_b") == (
        "CREATE SCHEMA t_b;\n"
        "CREATE TABLE t_b.ducklake_metadata (key text);\n"
        "COPY t_b.ducklake_metadata (key) FROM stdin;\n"
        "t_a.path\n"
        "\\.\n"
        "ALTER TABLE ONLY t_b.x ADD CONSTRAINT t_a_b PRIMARY KEY (k);\n"
    )
