"""Backup and restore: consistent while others read and write, verified on every KPI, clear
failures (full disk, damaged file, store held), retention worked out by hand."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from fixtures import C1, PERIOD_FROM, PERIOD_TO
from streamlit.testing.v1 import AppTest

from ioc import backup, kpi, store
from ioc.cli import main
from ioc.scope import ADMIN, Scope

ROOT = Path(__file__).resolve().parent.parent
WEEK = kpi.Period.of(PERIOD_FROM, PERIOD_TO, datetime(2025, 10, 13, 10))


def settings_root(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".streamlit").mkdir(parents=True)
    (root / ".streamlit" / "config.toml").write_text("[server]\nheadless = true\n")
    return root


def add_batch(con, batch: int, size: int = 50) -> None:
    """One import-like transaction of `size` dossiers."""
    rows = [
        (f"b{batch:03d}-{n:03d}", "1.001193", C1, "online", "full", "returned") for n in range(size)
    ]
    with store.WRITE_LOCK:
        con.execute("begin transaction")
        con.executemany(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "service_level, status, received_at) values (?, ?, ?, ?, ?, ?, timestamp '2025-10-07 09:00')",
            rows,
        )
        con.execute("commit")


def test_backup_while_reading_and_writing(fixture_con, tmp_path):
    stop, errors, reads = threading.Event(), [], []

    def reader():
        cur = fixture_con.cursor()
        while not stop.is_set():
            try:
                reads.append(kpi.city_kpis(cur, WEEK)["received"])
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                errors.append(error)

    def writer():
        cur = fixture_con.cursor()
        for batch in range(20):
            add_batch(cur, batch)
            time.sleep(0.01)

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    manifests = [backup.backup(fixture_con, tmp_path / f"b{n}.zip") for n in range(3)]
    threads[1].join()
    stop.set()
    threads[0].join()
    assert errors == [] and len(reads) > 0
    for manifest in manifests:
        # every snapshot holds whole transactions: the 27 fixture rows plus whole batches of 50
        assert (manifest["dossiers"] - 27) % 50 == 0
        with zipfile.ZipFile(manifest["path"]) as archive:
            archive.extract(backup.STORE_NAME, tmp_path / Path(manifest["path"]).stem)
        copy = tmp_path / Path(manifest["path"]).stem / backup.STORE_NAME
        with store.connect(copy, read_only=True) as con:
            assert (
                con.execute("select count(*) from dossiers").fetchone()[0] == manifest["dossiers"]
            )


def test_restore_round_trip_equal_on_every_kpi(fixture_con, tmp_path):
    root = settings_root(tmp_path)
    manifest = backup.backup(fixture_con, tmp_path / "week.zip", settings_root=root)
    assert manifest["settings"] == [".streamlit/config.toml"]
    before_ranking = kpi.commune_ranking(fixture_con, WEEK)
    before_city = kpi.city_kpis(fixture_con, WEEK)

    target = tmp_path / "restored" / "ioc.duckdb"
    (root / ".streamlit" / "config.toml").write_text("changed")
    result = backup.restore(tmp_path / "week.zip", target, settings_root=root)
    assert result["dossiers"] == 27 and result["previous_store"] is None
    assert (root / ".streamlit" / "config.toml").read_text() == "[server]\nheadless = true\n"
    with store.connect(target, read_only=True) as con:
        assert kpi.commune_ranking(con, WEEK).equals(before_ranking)
        assert kpi.city_kpis(con, WEEK) == before_city
        assert con.execute("select count(*) from targets").fetchone()[0] == 5

    # restoring over an existing store keeps the old one aside
    again = backup.restore(tmp_path / "week.zip", target, settings_root=root)
    assert Path(again["previous_store"]).exists()


def test_damaged_backup_is_refused_and_nothing_replaced(fixture_con, fixture_db, tmp_path):
    backup.backup(fixture_con, tmp_path / "ok.zip")
    with zipfile.ZipFile(tmp_path / "ok.zip") as source:
        manifest = json.loads(source.read(backup.MANIFEST_NAME))
        entries = {n: source.read(n) for n in source.namelist() if n != backup.MANIFEST_NAME}
    manifest["fingerprint"]["tables"]["dossiers"]["rows"] = 26
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as bad:
        for name, data in entries.items():
            bad.writestr(name, data)
        bad.writestr(backup.MANIFEST_NAME, json.dumps(manifest))
    target = tmp_path / "live.duckdb"
    target.write_bytes(b"the current store")
    with pytest.raises(backup.BackupError, match="does not give the recorded KPIs"):
        backup.restore(tmp_path / "bad.zip", target)
    assert target.read_bytes() == b"the current store"
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(backup.BackupError, match="not a readable backup"):
        backup.restore(tmp_path / "junk.zip", target)


@pytest.mark.parametrize(
    "rel",
    ["../outside.txt", "{tmp}/outside.txt", ".streamlit/../../outside.txt", "app.py"],
)
def test_crafted_backup_cannot_write_outside_the_settings_files(fixture_con, tmp_path, rel):
    rel = rel.format(tmp=tmp_path)  # an absolute path, inside this test's folder
    root = settings_root(tmp_path)
    backup.backup(fixture_con, tmp_path / "ok.zip", settings_root=root)
    with zipfile.ZipFile(tmp_path / "ok.zip") as source:
        manifest = json.loads(source.read(backup.MANIFEST_NAME))
        entries = {n: source.read(n) for n in source.namelist() if n != backup.MANIFEST_NAME}
    # a genuine store and checksums, only the list of settings files is forged
    manifest["settings"] = [".streamlit/config.toml", rel]
    entries[f"settings/{rel}"] = b"planted"
    with zipfile.ZipFile(tmp_path / "crafted.zip", "w") as crafted:
        for name, data in entries.items():
            crafted.writestr(name, data)
        crafted.writestr(backup.MANIFEST_NAME, json.dumps(manifest))
    target = tmp_path / "live.duckdb"
    target.write_bytes(b"the current store")
    with pytest.raises(backup.BackupError, match="may not write"):
        backup.restore(tmp_path / "crafted.zip", target, settings_root=root)
    assert target.read_bytes() == b"the current store"
    assert not (tmp_path / "outside.txt").exists()
    assert not (root / "app.py").exists()
    assert (root / ".streamlit" / "config.toml").read_text() == "[server]\nheadless = true\n"


def test_full_disk_gives_a_clear_message_and_no_damage(fixture_con, tmp_path, monkeypatch):
    before = backup.fingerprint(fixture_con)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    with pytest.raises(backup.BackupError, match="not enough disk space"):
        backup.backup(fixture_con, tmp_path / "out" / "full.zip")
    assert list((tmp_path / "out").iterdir()) == []  # no partial file, no work folder
    assert backup.fingerprint(fixture_con) == before


def test_retention_by_hand():
    stamps = (
        [
            datetime(2025, 10, d, h)
            for d, h in [
                (1, 2),
                (1, 14),
                (2, 2),
                (6, 2),
                (13, 2),
                (14, 2),
                (15, 2),
                (16, 2),
                (17, 2),
            ]
        ]
        + [datetime(2025, 10, d, 2) for d in range(18, 21)]
        + [datetime(2025, 9, 20, 2)]
    )
    keep = backup.backups_to_keep(stamps, keep_daily=3, keep_weekly=4)
    # daily: 20, 19, 18 October; weekly (ISO weeks, newest of each): week of 13-19/10 -> 19/10,
    # 20/10 (its own week), 6-12/10 -> 06/10, 29/09-05/10 -> 02/10; 20/09 is the 5th week: gone
    expected = {datetime(2025, 10, d, 2) for d in (20, 19, 18, 6, 2)}
    assert keep == expected


def test_schedule_takes_one_backup_a_day_and_prunes(fixture_con, tmp_path):
    schedule = backup.Schedule(tmp_path / "backups", keep_daily=2, keep_weekly=1)
    assert backup.run_due(fixture_con, schedule, datetime(2025, 10, 13, 1, 0)) is None
    for day in (13, 14, 15):
        made = backup.run_due(fixture_con, schedule, datetime(2025, 10, day, 2, 30))
        assert made is not None
        assert backup.run_due(fixture_con, schedule, datetime(2025, 10, day, 9, 0)) is None
    names = sorted(p.name for _, p in backup.scheduled_backups(schedule.folder))
    assert names == ["ioc-20251014-023000.zip", "ioc-20251015-023000.zip"]
    listed = backup.backup_list(schedule.folder)
    assert listed["file"][0] == "ioc-20251015-023000.zip" and listed["dossiers"][0] == 27


HOLDER = """
import sys, time
from ioc import backup, store
con = store.connect(sys.argv[1])
backup.start_scheduler(con.cursor, backup.Schedule(backup.backup_dir(), at=None, poll_seconds=0.2))
print("ready", flush=True)
time.sleep(60)
"""


def test_cli_backup_asks_the_app_holding_the_store(fixture_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(fixture_db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert backup.store_is_held(fixture_db)
        assert main(["backup", str(tmp_path / "cli.zip")]) == 0
        assert "held by the running app" in capsys.readouterr().out
        assert backup.read_manifest(tmp_path / "cli.zip")["dossiers"] == 27
        assert main(["restore", str(tmp_path / "cli.zip"), "--yes"]) == 1
        assert "stop it, then restore" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    # without --yes and without a terminal to ask on, restore refuses and changes nothing
    assert main(["restore", str(tmp_path / "cli.zip")]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "cli.zip"), "--yes"]) == 0
    assert "KPIs checked equal" in capsys.readouterr().out


def test_leftovers_of_a_killed_backup_are_cleaned(tmp_path):
    folder = tmp_path / "backups"
    (folder / "ioc_backup_abc").mkdir(parents=True)
    (folder / ".ioc-20251013-020000.zip.1234.partial").write_bytes(b"")
    (folder / "ioc-20251013-020000.zip").write_bytes(b"kept")
    old = time.time() - 7200
    for path in folder.iterdir():
        os.utime(path, (old, old))
    assert len(backup.clean_leftovers(folder)) == 2
    assert [p.name for p in folder.iterdir()] == ["ioc-20251013-020000.zip"]


def test_admin_page_shows_the_last_backup(fixture_con, fixture_db, tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))
    backup.backup(fixture_con, tmp_path / "backups" / "ioc-20251012-020000.zip")
    page = str(ROOT / "pages" / "backup.py")
    leader = AppTest.from_file(page, default_timeout=60).run()  # default scope: a city leader
    assert not leader.metric and leader.warning  # the page checks the role itself
    at = AppTest.from_file(page, default_timeout=60)
    at.session_state["scope"] = Scope(ADMIN, None, "quantri")
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Bản sao lưu gần nhất"] == "10:00 13/10/2025"  # the pinned clock
    assert metrics["Dung lượng"].endswith(" MB")
    at.button(key="backup_now").click().run()
    assert not at.exception
    assert "Đã sao lưu" in at.success[0].value
    assert len(backup.backup_list(tmp_path / "backups")) == 2
