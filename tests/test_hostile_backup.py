"""Issue 20: a restore keeps the audit log's later entries and records itself; a backup's entries
are checked against the manifest's size before anything is unpacked; a store holding years 0026
and 9999 still backs up, restores and shows every page; a presentation link is capped; an
unexpected error on a page is one translated line, no traceback, no server path."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from fixtures import C1
from test_pages_league import app_on

from ioc import audit, backup, rollups, store, tables
from ioc import presentation as pres


def _audit_rows(path: Path) -> list[tuple]:
    with store.connect(path, read_only=True) as con:
        return con.execute(
            "select action, username, detail from audit_log order by logged_at"
        ).fetchall()


def test_restore_keeps_the_later_audit_entries_and_records_itself(fixture_con, tmp_path):
    audit.record(fixture_con, "leader", audit.SIGN_IN)
    backup.backup(fixture_con, tmp_path / "b.zip")
    target = tmp_path / "live" / "ioc.duckdb"
    backup.restore(tmp_path / "b.zip", target)
    with store.connect(target) as con:  # the app goes on after the backup was taken
        audit.record(con, "chair1", audit.DOWNLOAD, C1, "ho-so.xlsx")
        audit.record(con, "leader", audit.SIGN_OUT)
    backup.restore(tmp_path / "b.zip", target)
    rows = _audit_rows(target)
    assert rows[:-1] == [
        ("sign_in", "leader", None),
        ("restore", None, f"b.zip ({backup.read_manifest(tmp_path / 'b.zip')['created_at']})"),
        ("download", "chair1", "ho-so.xlsx"),
        ("sign_out", "leader", None),
    ]
    assert rows[-1][0] == "restore"  # the second restore, last


def _rewrite(src: Path, dest: Path, store_entry: bytes | None = None, **manifest_changes) -> None:
    with zipfile.ZipFile(src) as source:
        manifest = json.loads(source.read(backup.MANIFEST_NAME))
        entries = {n: source.read(n) for n in source.namelist() if n != backup.MANIFEST_NAME}
    manifest.update(manifest_changes)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries.items():
            if name == backup.STORE_NAME and store_entry is not None:
                with out.open(name, "w", force_zip64=True) as handle:
                    handle.write(store_entry)
            else:
                out.writestr(name, data)
        out.writestr(backup.MANIFEST_NAME, json.dumps(manifest))


def test_an_entry_larger_than_declared_is_refused_before_unpacking(fixture_con, tmp_path):
    backup.backup(fixture_con, tmp_path / "ok.zip")
    target = tmp_path / "live.duckdb"
    target.write_bytes(b"the current store")
    # 64 MB of zeros (a zip bomb in small) where the manifest declares the real few MB
    _rewrite(tmp_path / "ok.zip", tmp_path / "bomb.zip", store_entry=bytes(64 << 20))
    assert (tmp_path / "bomb.zip").stat().st_size < 1 << 20
    with pytest.raises(backup.BackupError, match="larger than it should be"):
        backup.restore(tmp_path / "bomb.zip", target)
    assert target.read_bytes() == b"the current store"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("ioc_")] == []
    # a manifest without the store's size is refused too
    _rewrite(tmp_path / "ok.zip", tmp_path / "nosize.zip", store_bytes="big")
    with pytest.raises(backup.BackupError, match="does not give the store's size"):
        backup.restore(tmp_path / "nosize.zip", target)
    assert target.read_bytes() == b"the current store"


def test_restore_hashes_the_store_before_writing_it(fixture_con, tmp_path, monkeypatch):
    backup.backup(fixture_con, tmp_path / "ok.zip")
    manifest = backup.read_manifest(tmp_path / "ok.zip")
    with zipfile.ZipFile(tmp_path / "ok.zip") as source:
        real = source.read(backup.STORE_NAME)
    damaged = real[:-1] + bytes([real[-1] ^ 1])  # same size, one bit changed
    _rewrite(tmp_path / "ok.zip", tmp_path / "bad.zip", store_entry=damaged)
    written = []
    original = Path.open

    def watch(self, mode="r", *args, **kwargs):
        if "w" in mode and self.name == backup.STORE_NAME:
            written.append(self)
        return original(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watch)
    with pytest.raises(backup.BackupError, match="sha256 differs"):
        backup.restore(tmp_path / "bad.zip", tmp_path / "live.duckdb")
    assert written == []  # refused before a byte was unpacked
    assert manifest["store_bytes"] == len(real)


@pytest.fixture
def odd_years(fixture_db):
    """Dossiers stored before the readers checked dates: year 0026 and year 9999."""
    with store.connect(fixture_db) as con:
        rows = [
            ("y26", datetime(26, 12, 1, 8), datetime(26, 12, 5, 17), None),
            ("y9999", datetime(2025, 10, 10, 8), datetime(9999, 12, 31, 23, 59), None),
            ("y9999b", datetime(9999, 12, 30, 8), None, datetime(9999, 12, 31, 9)),
        ]
        for dossier, received, due, finished in rows:
            con.execute(
                "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
                "service_level, received_at, due_at, finished_at, status, has_fee, digitized, "
                "applicant_masked) values (?, '1.001193', ?, 'online', 'full', ?, ?, ?, "
                "'accepted', false, true, 'X')",
                [dossier, C1, received, due, finished],
            )
        store.set_meta(con, "data_version", "odd-years")
        rollups.ensure(con)
    return fixture_db


def test_backup_and_restore_survive_years_0026_and_9999(odd_years, tmp_path):
    with store.connect(odd_years) as con:
        manifest = backup.backup(con, tmp_path / "odd.zip")
    assert manifest["dossiers"] == 30
    result = backup.restore(tmp_path / "odd.zip", tmp_path / "restored.duckdb")
    assert result["dossiers"] == 30


@pytest.mark.parametrize(
    "page",
    [
        "pages/overview.py",
        "pages/live.py",
        "pages/league.py",
        "pages/drilldown.py",
        "pages/kpi_map.py",
        "pages/quality.py",
        "pages/presentation.py",
    ],
)
def test_pages_survive_years_0026_and_9999(odd_years, page):
    at = app_on(page, {"commune": C1} if page == "pages/drilldown.py" else None)
    assert not at.exception, at.exception
    assert not at.error


def test_a_presentation_link_is_capped(fixture_db):
    communes = [C1]
    text = ",".join(["kpis", "league"] * 100)
    assert len(pres.parse_slides(text, communes)) == pres.MAX_SLIDES == 40
    assert pres.slides_cut(text, communes)
    assert not pres.slides_cut(",".join(["kpis"] * 40), communes)
    assert not pres.slides_cut(",".join(["kpis"] * 40 + ["nonsense"] * 50), communes)
    at = app_on("pages/presentation.py", {"slides": ",".join(["kpis"] * 41)})
    assert not at.exception
    assert at.warning[0].value == (
        "Liên kết yêu cầu quá nhiều trang; chỉ trình chiếu 40 trang đầu."
    )


def test_an_unexpected_error_is_one_line_without_paths(fixture_db, monkeypatch):
    monkeypatch.setenv("IOC_DEBUG", "0")

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/ioc/data/ioc.duckdb: disk I/O error")

    monkeypatch.setattr(tables, "display", broken)
    at = app_on("pages/live.py")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Đã xảy ra lỗi khi hiển thị trang này. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị viên."
    ]
    shown = [e.value for e in (*at.markdown, *at.caption, *at.error)]
    assert not any("/srv/ioc" in text or "Traceback" in text for text in shown)
