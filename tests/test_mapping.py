"""Mappings an administrator teaches, quarantine retry and the dry run (issue 14 §3-§5), on the
small ingest store (tests/ingest_fixture.py). Expected figures are worked out by hand below.

The export (IOC_NOW 13/10/2025 10:00), three rows with the label «Hồ sơ treo» nobody reads:
    E1  Phường Cửa Nam    online  Đang xử lý   09/10   -> lands
    E2  Phường Cửa Nam    online  Hồ sơ treo   09/10   -> quarantine (unknown status)
    E3  Phường Cửa Nam    direct  Hồ sơ treo   10/10   -> quarantine
    E4  Phường Hoàn Kiếm  online  Hồ sơ treo   10/10   -> quarantine
    E5  Phường Không Có   direct  Đang xử lý   10/10   -> quarantine (unknown commune)
Mapping «Hồ sơ treo» -> processing lands E2-E4 (k = 3): Cửa Nam received +2, online +1, open +2;
Hoàn Kiếm received +1, online +1, open +1.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from ingest_fixture import CN, HK, make_ingest_store

from ioc import audit, cli
from ioc.ingest import ingest_file, mappings, quarantine

HEADER = (
    "Mã hồ sơ,Mã TTHC,Xã/Phường,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Họ tên người nộp,CCCD\n"
)
EXPORT = HEADER + (
    "E1,1.001193,Phường Cửa Nam,Trực tuyến,Đang xử lý,09/10/2025 09:00,Nguyễn Văn An,001\n"
    "E2,1.001193,Phường Cửa Nam,Trực tuyến,Hồ sơ treo,09/10/2025 10:00,Lê Thị Hoa,002\n"
    "E3,1.001193,Phường Cửa Nam,Trực tiếp,Hồ sơ treo,10/10/2025 09:00,Trần Văn Bình,003\n"
    "E4,1.001193,Phường Hoàn Kiếm,Trực tuyến,Hồ sơ treo,10/10/2025 11:00,,\n"
    "E5,1.001193,Phường Không Có,Trực tiếp,Đang xử lý,10/10/2025 11:00,,\n"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.setenv("IOC_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.setenv("IOC_INBOX", str(tmp_path / "inbox"))
    make_ingest_store(tmp_path / "store.duckdb").close()
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    return tmp_path


def figures(con: duckdb.DuckDBPyConnection, commune: str) -> tuple[int, int, int]:
    """received, received online, open (no dossier is finished here): counted by hand rules."""
    return con.execute(
        "select count(*), count(*) filter (where channel = 'online'), "
        "count(*) filter (where finished_at is null) from dossiers where commune_code = ?",
        [commune],
    ).fetchone()


def test_mapping_lands_the_quarantined_rows_and_moves_the_figures(env):
    with duckdb.connect(str(env / "store.duckdb")) as con:
        first = ingest_file(con, env / "export.csv", username="admin")
        assert (first.rows_inserted, first.rows_quarantined) == (1, 4)
        values = quarantine.open_values(con)
        row = values.filter(pl.col("problem_kind") == "status").row(0, named=True)
        assert (row["problem_value"], row["row_count"]) == ("Hồ sơ treo", 3)
        assert row["source_files"] == "export.csv"
        assert figures(con, CN) == (1, 1, 1)
        assert figures(con, HK) == (0, 0, 0)
        kept = con.execute("select applicant_key from quarantine where row_number = 3").fetchone()[
            0
        ]
        assert kept is not None  # the salted hash of ID 002 is kept for the retry

        moved = quarantine.add_mapping(con, "status", "Hồ sơ treo", "processing", "admin")

        assert moved.rows_landed == 3
        assert moved.rows_still == 0
        changes = {c["commune_code"]: c for c in moved.communes}
        assert {k: changes[CN][k] for k in ("received", "received_online", "open_at_end")} == {
            "received": 2,
            "received_online": 1,
            "open_at_end": 2,
        }
        assert {k: changes[HK][k] for k in ("received", "received_online", "open_at_end")} == {
            "received": 1,
            "received_online": 1,
            "open_at_end": 1,
        }
        assert moved.summary("vi").startswith(
            "3 dòng đã được nhập; Phường Hoàn Kiếm: +1 hồ sơ tiếp nhận, +1 trực tuyến, "
            "+1 đang xử lý; Phường Cửa Nam: +2 hồ sơ tiếp nhận, +1 trực tuyến, +2 đang xử lý"
        ) or moved.summary("vi").startswith("3 dòng đã được nhập; Phường Cửa Nam: +2")
        assert figures(con, CN) == (3, 2, 3)
        assert figures(con, HK) == (1, 1, 1)
        # The landed rows keep the applicant's masked name and key; rollups moved with them.
        landed = con.execute(
            "select applicant_masked, applicant_key from dossiers where dossier_id = 'E2'"
        ).fetchone()
        assert landed == ("Lê T. H.", kept)
        rollup = con.execute(
            "select sum(received), sum(received_online) from rollup_received where commune_code = ?",
            [CN],
        ).fetchone()
        assert rollup == (3, 2)
        states = dict(
            con.execute("select row_number, status from quarantine order by 1").fetchall()
        )
        assert states == {3: "resolved", 4: "resolved", 5: "resolved", 6: "open"}
        log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), action=audit.MAPPING)
        assert log.height == 1
        assert "«Hồ sơ treo» - -> processing" in log["detail"][0]
        assert log["username"][0] == "admin"
        hist = mappings.history(con)
        assert hist.select("old_canonical", "new_canonical").row(0) == (None, "processing")

        # A later export with the same label needs no mapping.
        second = env / "later.csv"
        second.write_text(
            HEADER + "E9,1.001193,Phường Cửa Nam,Trực tuyến,Hồ sơ treo,11/10/2025 09:00,,\n",
            encoding="utf-8",
        )
        later = ingest_file(con, second)
        assert (later.rows_inserted, later.rows_quarantined) == (1, 0)
        assert con.execute("select status from dossiers where dossier_id = 'E9'").fetchone() == (
            "processing",
        )
        # Importing the first file again changes nothing.
        before = con.execute("select count(*), max(ingest_run_id) from dossiers").fetchone()
        again = ingest_file(con, env / "export.csv")
        assert again.status == "duplicate_file"
        assert con.execute("select count(*), max(ingest_run_id) from dossiers").fetchone() == before


def test_a_value_marked_invalid_stays_quarantined_with_that_reason(env):
    with duckdb.connect(str(env / "store.duckdb")) as con:
        ingest_file(con, env / "export.csv")
        moved = quarantine.add_mapping(con, "commune", "Phường Không Có", None, "admin")
        assert moved.rows_landed == 0
        reason = con.execute(
            "select reason_code, reason_vi, status from quarantine where row_number = 6"
        ).fetchone()
        assert reason == (
            "marked_invalid",
            "Giá trị «Phường Không Có» đã được quản trị viên đánh dấu là không hợp lệ",
            "open",
        )
        # Re-marking it as a real commune lands it (history keeps old and new).
        moved = quarantine.add_mapping(con, "commune", "Phường Không Có", CN, "admin")
        assert moved.rows_landed == 1
        assert mappings.history(con)["old_canonical"].to_list() == ["(invalid)", None]


def test_retry_and_reimport_land_what_a_mapping_taught_later(env):
    with duckdb.connect(str(env / "store.duckdb")) as con:
        ingest_file(con, env / "export.csv")
        # Taught without re-processing (as an older release or a vocabulary upgrade would).
        mappings.teach(con, "status", "HỒ SƠ TREO", "processing", "x", now=audit.wall_clock())
        assert figures(con, CN) == (1, 1, 1)
        again = ingest_file(con, env / "export.csv")
        assert again.status == "duplicate_file"
        assert "3 dòng đã được nhập" in again.message
        assert figures(con, CN) == (3, 2, 3)
        assert quarantine.retry(con, "admin").rows_landed == 0  # nothing more maps


def test_settling_a_split_old_unit_per_row(env):
    path = env / "split.csv"
    path.write_text(
        HEADER + "S1,1.001193,Phường Tràng Tiền,Trực tuyến,Đang xử lý,09/10/2025 09:00,,\n"
        "S2,1.001193,Phường Tràng Tiền,Trực tiếp,Đang xử lý,09/10/2025 09:00,,\n",
        encoding="utf-8",
    )
    with duckdb.connect(str(env / "store.duckdb")) as con:
        run = ingest_file(con, path)
        assert run.rows_quarantined == 2
        rows = quarantine.rows_of_value(con, "commune", "Phường Tràng Tiền")
        assert rows.height == 2
        moved = quarantine.settle_rows(con, rows.filter(pl.col("row_number") == 2), CN, "admin")
        assert moved.rows_landed == 1
        assert con.execute(
            "select commune_code from dossiers where dossier_id = 'S1'"
        ).fetchone() == (CN,)
        assert quarantine.delete_rows(con, rows.filter(pl.col("row_number") == 3), "admin") == 1
        assert quarantine.listing(con).filter(pl.col("source_file") == "split.csv").height == 0
        log = audit.read(con, date(2000, 1, 1), date(2100, 1, 1), action=audit.QUARANTINE_DELETE)
        assert log.height == 1


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_writes_nothing_and_predicts_the_real_run(env, capsys):
    db = env / "store.duckdb"
    with duckdb.connect(str(db)) as con:
        ingest_file(con, env / "export.csv")
    # A re-export: E1 unchanged, E2 now readable (updated? no: new, it was quarantined), E5 moved
    # to Cửa Nam (new), E6 new, E7 with an unknown channel.
    update = env / "update.csv"
    update.write_text(
        HEADER
        + "E1,1.001193,Phường Cửa Nam,Trực tuyến,Đang xử lý,09/10/2025 09:00,Nguyễn Văn An,001\n"
        "E1B,1.001193,Phường Cửa Nam,Trực tuyến,Đang xử lý,09/10/2025 09:00,,\n"
        "E5,1.001193,Phường Cửa Nam,Trực tiếp,Đang xử lý,10/10/2025 11:00,,\n"
        "E7,1.001193,Phường Cửa Nam,Fax,Đang xử lý,10/10/2025 11:00,,\n"
        "E8,1.001193,Phường Cửa Nam,Fax,Hồ sơ treo,10/10/2025 11:00,,\n",
        encoding="utf-8",
    )
    with duckdb.connect(str(db)) as con:
        con.execute("update dossiers set channel = 'direct' where dossier_id = 'E1'")
    before = checksum(db)
    assert cli.main(["ingest", "--dry-run", str(update)]) == 0
    assert checksum(db) == before
    out = capsys.readouterr().out
    assert "update.csv: ok — read 5, to insert 2, to update 1, unchanged 0, to quarantine 2" in out
    assert "unmapped channel «Fax»: 2 row(s)" in out
    with duckdb.connect(str(db), read_only=True) as con:
        seen = quarantine.preview(con, update)
    with duckdb.connect(str(db)) as con:
        real = ingest_file(con, update)
    assert (
        (seen.to_insert, seen.to_update, seen.to_quarantine)
        == (
            real.rows_inserted,
            real.rows_updated,
            real.rows_quarantined,
        )
        == (2, 1, 2)
    )
    assert seen.quarantine == {"unknown_channel": 2}


def test_cli_mapping_and_quarantine(env, capsys):
    with duckdb.connect(str(env / "store.duckdb")) as con:
        ingest_file(con, env / "export.csv")
    assert cli.main(["quarantine", "list"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("export.csv") == 4
    assert cli.main(["mapping", "add", "status", "hồ sơ treo", "nonsense"]) == 1
    assert "not a canonical status value" in capsys.readouterr().err
    assert cli.main(["mapping", "add", "status", "hồ sơ treo", "processing"]) == 0
    assert "3 dòng đã được nhập" in capsys.readouterr().out
    assert cli.main(["mapping", "list"]) == 0
    assert 'status,"",hosotreo,hồ sơ treo,processing,false' in capsys.readouterr().out
    assert cli.main(["quarantine", "retry"]) == 0
    assert "0 dòng đã được nhập" in capsys.readouterr().out


def test_mapping_page_lists_values_and_a_save_lands_the_rows(env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ioc.scope import ADMIN, Scope

    monkeypatch.setenv("IOC_DEMO", "0")
    with duckdb.connect(str(env / "store.duckdb")) as con:
        ingest_file(con, env / "export.csv")
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "pages" / "mappings.py"), default_timeout=60)
    at.session_state["scope"] = Scope(ADMIN, username="admin")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ánh xạ dữ liệu"
    listed = at.dataframe[0].value
    assert list(listed["Giá trị"]) == ["Hồ sơ treo", "Phường Không Có"]
    assert list(listed["Số dòng"]) == [3, 1]
    # A sample row shows no personal data.
    samples = at.dataframe[1].value
    assert list(samples["Dòng trong tệp"]) == [3, 4, 5]
    assert "Lê Thị Hoa" not in " ".join(samples["Giá trị gốc (đã che dữ liệu cá nhân)"])
    at.selectbox(key="mapping_canonical").set_value("processing")
    at.button[0].click().run()  # Lưu ánh xạ
    assert not at.exception
    assert at.success[0].value.startswith("3 dòng đã được nhập; ")
    assert "Phường Cửa Nam: +2 hồ sơ tiếp nhận, +1 trực tuyến, +2 đang xử lý" in at.success[0].value
    assert list(at.dataframe[0].value["Giá trị"]) == ["Phường Không Có"]


def test_the_likely_canonical_value_is_proposed():
    statuses = {s: s for s in mappings.FIXED_CHOICES["status"]}
    assert mappings.propose("status", "Đang xử lí", statuses) == "processing"
    assert mappings.propose("channel", "Nộp trực tuyến qua cổng", {"online": "online"}) == "online"
    communes = {CN: "Phường Cửa Nam", HK: "Phường Hoàn Kiếm"}
    assert mappings.propose("commune", "P Cua Nam", communes) == CN


def test_a_store_of_the_previous_release_opens_and_keeps_its_quarantine(tmp_path):
    from ioc import store

    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table quarantine (run_id varchar, source_file varchar, row_number bigint, "
            "raw_values varchar, reason_code varchar, reason_vi varchar, reason_en varchar)"
        )
        con.execute("insert into quarantine values ('r', 'a.csv', 2, '{}', 'no_id', 'x', 'x')")
    with store.connect(path) as con:
        assert con.execute("select status, applicant_key from quarantine").fetchall() == [
            (None, None)
        ]
        assert quarantine.listing(con)["row_number"].to_list() == [2]


def test_cli_teaches_a_rating_level(env, capsys):
    """`ioc mapping add rating ...` (issue 18): a rating export naming its commune (no dossier in
    this store) with one level nobody reads."""
    ratings = env / "danh-gia.csv"
    ratings.write_text(
        "Mã hồ sơ;Xã/Phường;Ngày đánh giá;Mức độ hài lòng\n"
        "R1;Phường Cửa Nam;10/10/2025;Hài lòng\n"  # 2: loads
        "R2;Phường Cửa Nam;10/10/2025;5 sao\n"  # 3: quarantined; lands once «5 sao» is taught
        "R3;Phường Hoàn Kiếm;11/10/2025;5 sao\n",  # 4: the same
        encoding="utf-8",
    )
    with duckdb.connect(str(env / "store.duckdb")) as con:
        assert ingest_file(con, ratings).rows_quarantined == 2
    assert cli.main(["mapping", "add", "rating", "5 sao", "excellent"]) == 1
    assert "not a canonical rating value" in capsys.readouterr().err
    assert cli.main(["mapping", "add", "rating", "5 sao", "very_satisfied"]) == 0
    assert "2 dòng đã được nhập" in capsys.readouterr().out
    with duckdb.connect(str(env / "store.duckdb")) as con:
        assert con.execute(
            "select dossier_id, commune_code, level from dossier_ratings order by dossier_id"
        ).fetchall() == [
            ("R1", CN, "satisfied"),
            ("R2", CN, "very_satisfied"),
            ("R3", HK, "very_satisfied"),
        ]
