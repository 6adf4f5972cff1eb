"""The three ways in (command line, inbox watcher; the page is in test_pages_ingest.py) and an
export produced from the shared fixture store imported back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from fixtures import COMMUNES, PROCEDURES, make_store
from ingest_fixture import fill_reference, make_ingest_store

from ioc import cli, kpi, store
from ioc.ingest import inbox, ingest_file
from ioc.ingest.export import export_dossiers

CSV = (
    "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận\n"
    "W1,1.001193,00070,2,4,09/10/2025 09:00\n"
    "W2,1.001193,00073,1,4,09/10/2025 10:00\n"
)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.duckdb"
    make_ingest_store(path).close()
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_INBOX", str(tmp_path / "inbox"))
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    return path


def settled(path: Path) -> Path:
    """Backdate a file so the watcher takes it as fully copied."""
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def test_cli_imports_and_exit_codes(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(CSV, encoding="utf-8")
    assert cli.main(["ingest", str(good)]) == 0
    assert "inserted 2" in capsys.readouterr().out
    assert cli.main(["ingest", str(good)]) == 0  # already imported: still a completed run
    assert "duplicate_file" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    assert cli.main(["ingest", str(bad)]) == 1
    assert cli.main(["ingest", str(tmp_path / "missing.csv")]) == 2
    with store.connect(db, read_only=True) as con:
        assert con.execute("select count(*) from dossiers").fetchone()[0] == 2
        # one audit record per run (ok, duplicate, failed; the missing file never ran), by the
        # OS account since the command line has no sign-in
        audited = con.execute("select username, action from audit_log").fetchall()
        assert len(audited) == 3
        assert all(u.startswith("cli") and a == "import" for u, a in audited)


def test_cli_hands_files_to_the_inbox_when_the_app_holds_the_store(db, tmp_path, capsys):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        good = tmp_path / "good.csv"
        good.write_text(CSV, encoding="utf-8")
        assert cli.main(["ingest", str(good)]) == 0
        assert "held by the running app" in capsys.readouterr().out
        assert (tmp_path / "inbox" / "good.csv").read_text(encoding="utf-8") == CSV
    finally:
        holder.kill()
        holder.wait()


def test_inbox_poll_moves_files_to_processed_and_failed(db, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "export.csv").write_text(CSV, encoding="utf-8")
    (folder / "broken.csv").write_text("no,header\n", encoding="utf-8")
    (folder / "notes.docx").write_text("?", encoding="utf-8")
    (folder / ".half.csv.part").write_text(CSV, encoding="utf-8")
    for name in ("export.csv", "broken.csv", "notes.docx", ".half.csv.part"):
        settled(folder / name)
    with store.connect(db) as con:
        results = inbox.poll_once(con.cursor, folder)
        assert sorted(r.status for r in results) == ["failed", "ok"]
        assert con.execute("select count(*) from dossiers").fetchone()[0] == 2
        # the watcher imports on nobody's behalf: two runs, two audit records without a user
        audited = con.execute("select username, action from audit_log").fetchall()
        assert audited == [(None, "import"), (None, "import")]
    processed = [p.name for p in (folder / "processed").iterdir()]
    failed = sorted(p.name.split("-", 2)[-1] for p in (folder / "failed").iterdir())
    assert len(processed) == 1 and processed[0].endswith("-export.csv")
    # each failed file with why beside it
    assert failed == [
        "broken.csv",
        "broken.csv.reason.txt",
        "notes.docx",
        "notes.docx.reason.txt",
    ]
    reason = next((folder / "failed").glob("*notes.docx.reason.txt")).read_text(encoding="utf-8")
    assert reason.startswith("Không phải loại tệp nhập được")
    assert (folder / ".half.csv.part").exists()  # a copy still being written is left alone


def test_watcher_thread_imports_a_dropped_file_within_ten_seconds(db, tmp_path):
    folder = tmp_path / "watched"
    with store.connect(db) as con:
        inbox.start_watcher(con.cursor, folder, interval=0.5)
        inbox.hand_over([_written(tmp_path / "drop.csv")], folder)
        deadline = time.monotonic() + 10
        count = 0
        while time.monotonic() < deadline and count < 2:
            time.sleep(0.3)
            with con.cursor() as cur:
                count = cur.execute("select count(*) from dossiers").fetchone()[0]
        assert count == 2
        assert store.get_meta(con, "real_data") == "1"


def _written(path: Path) -> Path:
    path.write_text(CSV, encoding="utf-8")
    return path


def test_export_of_the_fixture_store_imports_back_with_the_same_kpis(tmp_path, monkeypatch):
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    source = store.connect(make_store(tmp_path / "source.duckdb"))
    export = export_dossiers(source, tmp_path / "xuat_ho_so.xlsx")
    target = store.connect(tmp_path / "target.duckdb")
    communes = [(c[0], c[1], c[2], c[3], c[5], c[6]) for c in COMMUNES]
    fill_reference(target, communes=communes, procedures=PROCEDURES)
    result = ingest_file(target, export, province=None)
    total = source.execute("select count(*) from dossiers").fetchone()[0]
    assert (result.status, result.rows_inserted, result.rows_quarantined) == ("ok", total, 0)
    columns = (
        "dossier_id, procedure_code, commune_code, channel, service_level, submitted_at, "
        "received_at, due_at, finished_at, status, paid_online, has_fee, digitized, "
        "applicant_masked"
    )
    query = f"select {columns} from dossiers order by dossier_id"  # noqa: S608
    assert target.execute(query).fetchall() == source.execute(query).fetchall()
    period = kpi.Period.of(date(2025, 10, 6), date(2025, 10, 12))
    mine, theirs = kpi.city_kpis(target, period), kpi.city_kpis(source, period)
    assert {k: mine[k] for k in kpi.COUNT_COLUMNS} == {k: theirs[k] for k in kpi.COUNT_COLUMNS}
    assert ingest_file(target, export).status == "duplicate_file"
