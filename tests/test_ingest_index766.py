"""The national index's dossier fields (issue 18; docs/index-766.md) come in with the export's own
wording: the portal's field names and the one-stop systems' Vietnamese headers, yes/no as codes or
words; a store built by the release before them upgrades and gains them."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from ingest_fixture import HK, make_ingest_store

from ioc import migrations, store
from ioc.ingest import ingest_file


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.setenv("IOC_SALT", "test-salt")
    connection = make_ingest_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def flags(con) -> dict[str, tuple]:
    rows = con.execute(
        "select dossier_id, e_result_issued, synced_to_portal from dossiers order by dossier_id"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_vietnamese_headers_of_a_one_stop_export(con, tmp_path):
    text = (
        "Mã hồ sơ;Mã TTHC;Mã xã;Kênh thực hiện;Trạng thái;Ngày tiếp nhận;Ngày hẹn trả;"
        "Ngày kết thúc xử lý;Đã cấp kết quả điện tử;Đã đồng bộ Cổng DVCQG\n"
        "K1;1.001193;70;Trực tuyến;Đã trả kết quả;08/10/2025 09:00;08/10/2025 17:00;"
        "08/10/2025 10:00;Có;Có\n"
        "K2;1.001193;70;Trực tiếp;Đã xử lý xong;08/10/2025 09:00;08/10/2025 17:00;"
        "08/10/2025 11:00;Không;Không\n"
        "K3;1.001193;70;Trực tiếp;Đang xử lý;08/10/2025 09:00;08/10/2025 17:00;;;\n"
    )
    path = tmp_path / "mot-cua.csv"
    path.write_text(text, encoding="utf-8")
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", 3, 0)
    assert flags(con) == {"K1": (True, True), "K2": (False, False), "K3": (None, None)}


def test_portal_field_names_of_the_sync_json(con, tmp_path):
    document = [
        {
            "MaHoSo": "000.00.70.H26-251008-0001",
            "MaTTHC": "1.001193",
            "DonViXuLy": "70",
            "KenhThucHien": 2,
            "TrangThaiHoSo": 10,
            "NgayTiepNhan": "20251008090000",
            "NgayHenTra": "20251008170000",
            "NgayKetThucXuLy": "20251008100000",
            "CoKetQuaDienTu": 1,
            "DaDongBoDVCQG": 0,
        }
    ]
    path = tmp_path / "dvcqg.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = ingest_file(con, path)
    assert (result.status, result.rows_inserted) == ("ok", 1)
    assert flags(con) == {"000.00.70.H26-251008-0001": (True, False)}
    commune = con.execute("select commune_code from dossiers").fetchone()[0]
    assert commune == HK


def test_a_store_of_the_previous_release_gains_the_columns(tmp_path, monkeypatch):
    # The store of the release before this step: schema version 3, no index columns.
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))
    path = tmp_path / "v3.duckdb"
    with duckdb.connect(str(path)) as con:
        schema = migrations.SCHEMA_FILE.read_text(encoding="utf-8")
        for column in ("e_result_issued", "synced_to_portal", "paper_result", "published"):
            schema = "\n".join(line for line in schema.splitlines() if column not in line)
        schema = schema.replace("code_status varchar,", "code_status varchar")
        schema = schema.replace("ingest_run_id varchar,\n);", "ingest_run_id varchar\n);")
        con.execute(schema)
        con.execute("insert into meta values ('schema_version', '3')")
        con.execute("insert into dossiers (dossier_id, commune_code) values ('old', '00070')")
        before = {r[0] for r in con.execute("select column_name from information_schema.columns where table_name = 'dossiers'").fetchall()}  # fmt: skip
        assert "synced_to_portal" not in before
    with store.connect(path) as con:
        assert migrations.stored_version(con) == migrations.schema_version() == 4
        columns = {
            (r[0], r[1])
            for r in con.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_name in ('dossiers', 'procedures')"
            ).fetchall()
        }
        assert {
            ("dossiers", "e_result_issued"),
            ("dossiers", "synced_to_portal"),
            ("procedures", "paper_result"),
            ("procedures", "published"),
        } <= columns
        assert con.execute("select dossier_id, synced_to_portal from dossiers").fetchall() == [
            ("old", None)
        ]
