"""Backups of the store and its settings: `ioc backup PATH`, `ioc restore PATH`, and a daily backup
with retention run by a background thread of the app process.

A backup is one zip file: store.duckdb (a consistent snapshot), the settings files that exist,
and manifest.json with every table's row count and checksum and the KPIs of every commune. The
snapshot is taken through the store's own DuckDB instance (ATTACH + COPY FROM DATABASE under
store.WRITE_LOCK), so the app keeps serving readers while it runs and no import is half-copied.
Restore checks the file against its manifest and recomputes the KPIs before it replaces anything.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import duckdb
import polars as pl

from ioc import config, kpi, store

STORE_NAME = "store.duckdb"
MANIFEST_NAME = "manifest.json"
SETTINGS_FILES = (".streamlit/config.toml", "data/settings.local.toml", "data/users.toml")
SCHEDULED_RE = re.compile(r"ioc-(\d{8})-(\d{6})\.zip")
# Paths and names spliced into ATTACH / COPY (which take no parameters) must match this.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_./-]+")
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_ALIAS = "ioc_backup_target"
REQUEST_WAIT_SECONDS = 300
SETTINGS_MAX_BYTES = 1 << 20  # a settings file in a backup is a few KB
MANIFEST_MAX_BYTES = 64 << 20  # the KPIs of every commune: a few MB for a whole country


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why, the store is untouched."""


@dataclass(frozen=True)
class Schedule:
    """When the daily backup runs and how many are kept (IOC_BACKUP_* environment variables)."""

    folder: Path
    at: dtime | None = dtime(2, 0)  # None: no daily backup (requests are still answered)
    keep_daily: int = 7
    keep_weekly: int = 4
    poll_seconds: float = 2.0
    grace_seconds: float = 600.0

    @classmethod
    def from_env(cls) -> Schedule:
        env = os.environ
        at = env.get("IOC_BACKUP_AT", "02:00").strip().lower()
        return cls(
            folder=backup_dir(),
            at=None if at == "off" else dtime.fromisoformat(at),
            keep_daily=int(env.get("IOC_BACKUP_KEEP_DAILY", "7")),
            keep_weekly=int(env.get("IOC_BACKUP_KEEP_WEEKLY", "4")),
            poll_seconds=float(env.get("IOC_BACKUP_POLL_SECONDS", "2")),
            grace_seconds=float(env.get("IOC_BACKUP_GRACE_SECONDS", "600")),
        )


def backup_dir() -> Path:
    """Folder of the scheduled backups (IOC_BACKUP_DIR overrides backups/ beside the store)."""
    return Path(os.environ.get("IOC_BACKUP_DIR") or config.db_path().parent / "backups")


def _quote_path(path: Path) -> str:
    text = str(path)
    if not (_SAFE_PATH.fullmatch(text) and path.is_absolute() and ".." not in path.parts):
        raise BackupError(f"unsafe path for the snapshot: {text!r}")
    return "'" + text + "'"


def _work_dir(near: Path) -> Path:
    """A fresh folder of our own for the snapshot, on the destination's disk when its path is
    plain (the snapshot path is spliced into ATTACH, so it must match _SAFE_PATH)."""
    base = near if _SAFE_PATH.fullmatch(str(near.resolve())) else Path(tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix="ioc_backup_", dir=base.resolve()))


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict:
    """Row count and checksum of every table, and the KPIs of every commune over all the data.

    Two stores with equal fingerprints show the same figures on every page.
    """
    tables = {}
    for name in store.run_query(con, "backup_tables")["table_name"]:
        counted = store.run_query(con, "backup_table_checksum", table_name=name).row(0, named=True)
        tables[name] = {"rows": int(counted["row_count"]), "checksum": counted["checksum"]}
    return {"tables": tables, "kpis": _all_kpis(con)}


def _all_kpis(con: duckdb.DuckDBPyConnection) -> dict:
    span = store.run_query(con, "backup_data_range").row(0, named=True)
    first, last = span["first_day"], span["last_day"]
    if first is None:
        return {}
    period = kpi.Period.of(first, last, datetime.combine(last + timedelta(1), dtime()))
    figures = {}
    for province in span["province_codes"]:
        ranking = kpi.commune_ranking(con, period, province=province, median=True)
        ranking = ranking.select(kpi.OUTPUT_COLUMNS)
        figures[province] = json.loads(ranking.write_json())
    return {"date_from": first.isoformat(), "date_to": last.isoformat(), "communes": figures}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entry_sha256(
    archive: zipfile.ZipFile, name: str, limit: int, src: Path, sink: BinaryIO | None = None
) -> str:
    """sha256 of a zip entry read in chunks (copied to `sink` if given); BackupError as soon as it
    holds more than `limit` bytes, whatever its header says."""
    info = archive.getinfo(name)
    too_big = BackupError(
        f"{src}: {name} in the backup is larger than it should be ({limit} bytes)"
    )
    if info.file_size > limit:
        raise too_big
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            size += len(chunk)
            if size > limit:
                raise too_big
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
    return digest.hexdigest()


def _disk_message(error: OSError, path: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"not enough disk space to write {path}; the store was not changed"
    return f"could not write {path}: {error.strerror or error}; the store was not changed"


def snapshot(con: duckdb.DuckDBPyConnection, target: Path) -> dict:
    """Copy the whole store into a new DuckDB file; return the fingerprint of what was copied.

    Under WRITE_LOCK no in-process import can commit between the copy and the fingerprint, so the
    two describe the same state; readers go on through their own cursors meanwhile.
    """
    cur = store.cursor(con)
    try:
        with store.WRITE_LOCK:
            source = store.execute(cur, "backup_database_name")["database_name"][0]
            if not _SAFE_NAME.fullmatch(source):
                raise BackupError(f"unexpected database name {source!r}")
            # ATTACH and COPY FROM DATABASE take no bound parameters in DuckDB (a `$path` or `?`
            # is a parser error), so these three statements cannot live in queries/. What is
            # spliced in is ours alone: a fixed alias, the store's catalog name checked above, and
            # a work-folder path checked by _quote_path (absolute, no '..', no quote or space).
            cur.execute(f"attach {_quote_path(target)} as {_ALIAS}")
            try:
                cur.execute(f'copy from database "{source}" to {_ALIAS}')
            finally:
                cur.execute(f"detach {_ALIAS}")
            return fingerprint(con)
    finally:
        cur.close()


def backup(
    con: duckdb.DuckDBPyConnection,
    dest: Path | str,
    settings_root: Path = config.HOME,
    now: datetime | None = None,
) -> dict:
    """Write a backup zip to `dest` (atomically: the file appears complete or not at all).

    Returns the manifest. Raises BackupError with a clear message (disk full, unwritable folder);
    the store is never changed and no partial file is left behind.
    """
    dest = Path(dest)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        work = _work_dir(dest.parent)
    except OSError as error:
        raise BackupError(_disk_message(error, dest)) from error
    partial = dest.with_name(f".{dest.name}.{uuid.uuid4().hex}.partial")
    try:
        snap = work / STORE_NAME
        prints = snapshot(con, snap)
        settings = [rel for rel in SETTINGS_FILES if (settings_root / rel).is_file()]
        manifest = {
            "format": 1,
            "created_at": (now or config.now()).isoformat(timespec="seconds"),
            "store": str(config.db_path()),
            "duckdb": duckdb.__version__,
            "store_sha256": _sha256(snap),
            "store_bytes": snap.stat().st_size,
            "settings": settings,
            "dossiers": prints["tables"].get("dossiers", {}).get("rows", 0),
            "fingerprint": prints,
        }
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(snap, STORE_NAME)
            for rel in settings:
                archive.write(settings_root / rel, f"settings/{rel}")
            archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, dest)
    except OSError as error:
        raise BackupError(_disk_message(error, dest)) from error
    except duckdb.IOException as error:
        # DuckDB reports a full disk while writing the snapshot as its own IO error.
        raise BackupError(f"could not write the snapshot for {dest}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    manifest["path"] = str(dest)
    manifest["bytes"] = dest.stat().st_size
    return manifest


def read_manifest(path: Path | str) -> dict:
    """The manifest of a backup zip (BackupError when the file is not a backup)."""
    try:
        with zipfile.ZipFile(path) as archive:
            text = io.BytesIO()
            _entry_sha256(archive, MANIFEST_NAME, MANIFEST_MAX_BYTES, Path(path), text)
            manifest = json.loads(text.getvalue())
    except (
        OSError,
        KeyError,
        zipfile.BadZipFile,
        json.JSONDecodeError,
        EOFError,
        zlib.error,
    ) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from error
    if not isinstance(manifest, dict):
        raise BackupError(f"{path} is not a readable backup: its manifest is not an object")
    return manifest


def _settings_listed(manifest: dict, src: Path) -> list[str]:
    """The settings files a backup says it carries, refused unless each is one of SETTINGS_FILES.

    The manifest comes from inside the zip, so a crafted backup could name any path
    ("../../.bashrc", "/etc/cron.d/x") for restore to write; only the known relative names pass.
    """
    listed = manifest.get("settings", [])
    if not isinstance(listed, list):
        raise BackupError(f"{src}: the backup's list of settings files is not a list")
    for rel in listed:
        parts = PurePosixPath(rel).parts if isinstance(rel, str) else ()
        if rel not in SETTINGS_FILES or rel.startswith(("/", "\\")) or ".." in parts:
            raise BackupError(f"{src}: the backup names a file restore may not write: {rel!r}")
    return listed


def store_is_held(path: Path) -> bool:
    """True when another process (the running app) has the store file open."""
    if not path.exists():
        return False
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.IOException as error:
        # Any other failure (a damaged file) is not a holder: restoring over it is the cure.
        return "lock" in str(error).lower()
    return False


def _audit_since_backup(previous: Path | None, restored: Path) -> list[dict]:
    """The audit records of the store being replaced that are newer than the backup's newest: the
    log is append-only, so a restore must not roll it back. A store too damaged to read has none."""
    if previous is None:
        return []
    with duckdb.connect(str(restored), read_only=True) as con:
        newest = store.run_query(con, "audit_newest")["newest"][0]
    try:
        with duckdb.connect(str(previous), read_only=True) as con:
            return store.run_query(con, "audit_since", after=newest).to_dicts()
    except duckdb.Error:
        return []


def _append_audit(db_path: Path, carried: list[dict], src: Path, manifest: dict) -> None:
    """Write the carried audit records into the restored store, then a record of the restore."""
    from ioc import audit

    with store.connect(db_path) as con:
        for row in carried:
            store.execute(
                con,
                "audit_insert",
                logged_at=row["logged_at"],
                username=row["username"],
                action=row["action"],
                commune=row["commune_code"],
                detail=row["detail"],
            )
        audit.record(
            con, None, audit.RESTORE, None, f"{src.name} ({manifest.get('created_at', '?')})"
        )


def restore(
    src: Path | str,
    db_path: Path | str | None = None,
    settings_root: Path = config.HOME,
    now: datetime | None = None,
) -> dict:
    """Bring a backup back as the store (and its settings files).

    Verified before anything is replaced: the snapshot's sha256 and its recomputed fingerprint
    (row counts, checksums and every commune's KPIs) must equal the manifest. The store it replaces
    is kept beside it as <name>.before-restore-<time>.duckdb. The app must be stopped first.
    """
    src = Path(src)
    db_path = Path(db_path) if db_path else config.db_path()
    manifest = read_manifest(src)
    listed = _settings_listed(manifest, src)
    if store_is_held(db_path):
        raise BackupError(f"{db_path} is open in another process (the app?): stop it, then restore")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    work = _work_dir(db_path.parent)
    try:
        declared = manifest.get("store_bytes")
        if not isinstance(declared, int) or isinstance(declared, bool) or declared < 0:
            raise BackupError(f"{src}: the backup's manifest does not give the store's size")
        restored = work / STORE_NAME
        with zipfile.ZipFile(src) as archive:
            # Hashed as it streams, nothing written, and cut off past the size the manifest
            # declares: a damaged or crafted entry (a zip bomb) is refused before it is unpacked.
            if _entry_sha256(archive, STORE_NAME, declared, src) != manifest["store_sha256"]:
                raise BackupError(f"{src}: the store in the backup is damaged (sha256 differs)")
            with restored.open("wb") as sink:
                _entry_sha256(archive, STORE_NAME, declared, src, sink)
            settings = {}
            for rel in listed:
                buffer = io.BytesIO()
                _entry_sha256(archive, f"settings/{rel}", SETTINGS_MAX_BYTES, src, buffer)
                settings[rel] = buffer.getvalue()
        if _sha256(restored) != manifest["store_sha256"]:
            raise BackupError(f"{src}: the store in the backup is damaged (sha256 differs)")
        with duckdb.connect(str(restored), read_only=True) as check:
            prints = json.loads(json.dumps(fingerprint(check)))
        if prints != manifest["fingerprint"]:
            raise BackupError(f"{src}: the restored store does not give the recorded KPIs")
        carried = _audit_since_backup(db_path if db_path.exists() else None, restored)
        stamp = (now or config.now()).strftime("%Y%m%d-%H%M%S")
        kept = None
        if db_path.exists():
            kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
            os.replace(db_path, kept)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():
            os.replace(wal, wal.with_name(f"{wal.name}.before-restore-{stamp}"))
        os.replace(restored, db_path)
        _append_audit(db_path, carried, src, manifest)
        for rel, content in settings.items():
            target = settings_root / rel
            if target.exists() and target.read_bytes() == content:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                os.replace(target, target.with_name(f"{target.name}.before-restore-{stamp}"))
            target.write_bytes(content)
    except (KeyError, zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise BackupError(f"{src}: the backup is incomplete or damaged ({error})") from error
    except OSError as error:
        raise BackupError(_disk_message(error, db_path)) from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "store": str(db_path),
        "previous_store": str(kept) if kept else None,
        "dossiers": manifest["dossiers"],
        "created_at": manifest["created_at"],
        "settings": list(settings),
    }


def backups_to_keep(stamps: Iterable[datetime], keep_daily: int, keep_weekly: int) -> set[datetime]:
    """Retention: the newest backup of each of the last `keep_daily` days that have one, and the
    newest of each of the last `keep_weekly` ISO weeks that have one."""
    newest_per_day: dict[date, datetime] = {}
    newest_per_week: dict[tuple[int, int], datetime] = {}
    for stamp in stamps:
        day, week = stamp.date(), stamp.isocalendar()[:2]
        newest_per_day[day] = max(stamp, newest_per_day.get(day, stamp))
        newest_per_week[week] = max(stamp, newest_per_week.get(week, stamp))
    days = sorted(newest_per_day, reverse=True)[:keep_daily]
    weeks = sorted(newest_per_week, reverse=True)[:keep_weekly]
    return {newest_per_day[d] for d in days} | {newest_per_week[w] for w in weeks}


def scheduled_backups(folder: Path) -> list[tuple[datetime, Path]]:
    """The scheduled backups in a folder (ioc-YYYYMMDD-HHMMSS.zip), oldest first."""
    found = []
    for path in folder.glob("ioc-*.zip"):
        match = SCHEDULED_RE.fullmatch(path.name)
        if match:
            found.append((datetime.strptime("".join(match.groups()), "%Y%m%d%H%M%S"), path))
    return sorted(found)


def prune(folder: Path, keep_daily: int, keep_weekly: int) -> list[Path]:
    """Delete the scheduled backups retention does not keep; return the deleted paths."""
    found = scheduled_backups(folder)
    keep = backups_to_keep([s for s, _ in found], keep_daily, keep_weekly)
    deleted = [p for s, p in found if s not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def backup_list(folder: Path | None = None) -> pl.DataFrame:
    """Every backup zip of the folder, newest first: file, taken at, size, dossiers."""
    folder = folder or backup_dir()
    rows = []
    for path in folder.glob("*.zip") if folder.exists() else []:
        try:
            manifest = read_manifest(path)
        except BackupError:
            continue
        rows.append(
            {
                "file": path.name,
                "path": str(path),
                "taken_at": datetime.fromisoformat(manifest["created_at"]),
                "bytes": path.stat().st_size,
                "dossiers": manifest["dossiers"],
            }
        )
    schema = {
        "file": pl.String,
        "path": pl.String,
        "taken_at": pl.Datetime,
        "bytes": pl.Int64,
        "dossiers": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema).sort("taken_at", descending=True)


def run_due(con: duckdb.DuckDBPyConnection, schedule: Schedule, now: datetime) -> Path | None:
    """Take today's scheduled backup if its time has come and it is not there yet; prune."""
    if schedule.at is None or now.time() < schedule.at:
        return None
    if any(s.date() == now.date() for s, _ in scheduled_backups(schedule.folder)):
        return None
    path = schedule.folder / f"ioc-{now:%Y%m%d-%H%M%S}.zip"
    _backup_of_store(con, path, now)
    prune(schedule.folder, schedule.keep_daily, schedule.keep_weekly)
    return path


def _backup_of_store(con: duckdb.DuckDBPyConnection, path: Path, now: datetime) -> dict:
    """The scheduled or on-demand backup: of the file as `backup` makes it, or on the DuckLake
    store (run by `ioc worker`) the lake's own: catalog dump and data files (ioc/lake_backup.py)."""
    from ioc import lake

    if lake.owns(con):
        from ioc import lake_backup

        try:
            return lake_backup.backup_lake(path)
        except lake_backup.LakeBackupError as error:
            raise BackupError(str(error)) from error
    return backup(con, path, now=now)


def request_dir(folder: Path | None = None) -> Path:
    return (folder or backup_dir()) / "requests"


def serve_requests(con: duckdb.DuckDBPyConnection, folder: Path | None = None) -> int:
    """Do what `ioc backup` and `ioc report` asked the running app for (a command cannot open a
    store another process holds): a backup to a path, or the deck written to files."""
    done = 0
    requests = request_dir(folder)
    for ask in sorted(requests.glob("*.json")) if requests.exists() else []:
        answer = ask.with_suffix(".done")
        try:
            asked = json.loads(ask.read_text(encoding="utf-8"))
            if "report" in asked:
                from ioc.exports.report import write_report  # deck and files: only when asked

                result = {"ok": True, "written": write_report(con, **asked["report"])}
            else:
                result = {"ok": True, "manifest": backup(con, Path(asked["path"]))}
        except (BackupError, KeyError, ValueError, TypeError, OSError, duckdb.Error) as error:
            result = {"ok": False, "error": str(error)}
        answer.write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
        ask.unlink(missing_ok=True)
        done += 1
    return done


REQUEST_POLL_SECONDS = 0.2  # how soon the app sees a command's request, and the command the answer


def _waiting(folder: Path | None) -> bool:
    requests = request_dir(folder)
    return requests.exists() and any(requests.glob("*.json"))


def ask_running_app(dest: Path, folder: Path | None = None, wait: float = REQUEST_WAIT_SECONDS):
    """Hand a backup to the app holding the store; wait for its answer (the manifest)."""
    return _ask({"path": str(dest.resolve())}, folder, wait)["manifest"]


def ask_for_report(
    report: dict, folder: Path | None = None, wait: float = REQUEST_WAIT_SECONDS
) -> list[dict]:
    """Hand `ioc report` to the app holding the store (exports.write_report's arguments); wait
    for the files it wrote."""
    return _ask({"report": report}, folder, wait)["written"]


def _ask(payload: dict, folder: Path | None, wait: float) -> dict:
    """Write a request for the running app's backup thread and wait for its answer."""
    requests = request_dir(folder)
    requests.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    ask = requests / f"{name}.json"
    partial = requests / f".{name}.tmp"
    partial.write_text(json.dumps(payload), encoding="utf-8")
    os.replace(partial, ask)
    answer = ask.with_suffix(".done")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if answer.exists():
            result = json.loads(answer.read_text(encoding="utf-8"))
            answer.unlink(missing_ok=True)
            if not result["ok"]:
                raise BackupError(result["error"])
            return result
        time.sleep(REQUEST_POLL_SECONDS)
    ask.unlink(missing_ok=True)
    raise BackupError(f"the running app did not answer within {wait:.0f} s")


def clean_leftovers(folder: Path, older_than: float = 3600.0) -> list[Path]:
    """Remove partial files and work folders an interrupted backup (a killed app) left behind."""
    if not folder.exists():
        return []
    limit = time.time() - older_than
    found = [*folder.glob(".*.partial"), *folder.glob("ioc_backup_*")]
    stale = [p for p in found if p.stat().st_mtime < limit]
    for path in stale:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return stale


_started: set[str] = set()
_start_lock = threading.Lock()


def start_scheduler(
    open_cursor: Callable[[], duckdb.DuckDBPyConnection],
    schedule: Schedule | None = None,
    clock: Callable[[], datetime] = config.now,
) -> threading.Thread | None:
    """Start, once per store and process, the thread that takes the daily backup and answers
    `ioc backup` requests. `open_cursor` gives a cursor on the app's DuckDB instance."""
    schedule = schedule or Schedule.from_env()
    key = str(schedule.folder.resolve())
    with _start_lock:
        if key in _started:
            return None
        _started.add(key)

    started = time.monotonic()
    clean_leftovers(schedule.folder)

    def loop() -> None:
        # A command's request is looked for every REQUEST_POLL_SECONDS (a directory listing);
        # the store is opened for the schedule every poll_seconds, or when a request waits.
        checked = float("-inf")
        while True:
            try:
                due = time.monotonic() - checked >= schedule.poll_seconds
                if due or _waiting(schedule.folder):
                    with open_cursor() as con:
                        serve_requests(con, schedule.folder)
                        # A fresh start (a test run, a restart) does not back up at once.
                        if due and time.monotonic() - started >= schedule.grace_seconds:
                            run_due(con, schedule, clock())
                    if due:
                        checked = time.monotonic()
            except Exception as error:  # noqa: BLE001 - the thread must outlive one bad night
                print(f"ioc backup: {error}", flush=True)
            time.sleep(REQUEST_POLL_SECONDS)

    thread = threading.Thread(target=loop, name="ioc-backup", daemon=True)
    thread.start()
    return thread


def backup_now(con: duckdb.DuckDBPyConnection, schedule: Schedule | None = None) -> dict:
    """A backup into the scheduled folder now (the admin page's button); retention applies."""
    schedule = schedule or Schedule.from_env()
    now = config.now()
    manifest = _backup_of_store(con, schedule.folder / f"ioc-{now:%Y%m%d-%H%M%S}.zip", now)
    prune(schedule.folder, schedule.keep_daily, schedule.keep_weekly)
    return manifest
