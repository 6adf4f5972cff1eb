"""Backup and restore of the DuckLake store (issue 17, item 5; docs/ducklake.md).

A lake backup is one zip: catalog.sql (`pg_dump` of the catalog's PostgreSQL schema, plain SQL),
data/ (a copy of the data folder: the Parquet files the catalog names) and manifest.json (the
snapshot the backup stands for, every table's row count and checksum and the KPIs of every commune
at that snapshot, ioc/backup.py fingerprint).

Why it is consistent while the worker and the replicas run: the snapshot `v` is read first, then
the catalog dumped (pg_dump reads it in one transaction: it holds `v` and perhaps later
snapshots), then the data folder copied. DuckLake never changes a data file once written; a
checkpoint removes a file only after the snapshots naming it expired (IOC_LAKE_RETENTION_DAYS),
so every file of snapshot `v` is still there when copied.

Restore goes to a new catalog schema and a new data folder (never over a lake in use): the dump is
loaded with its schema renamed, the catalog's data path set to the new folder (the catalog stores
it as an absolute path; DuckLake's OVERRIDE_DATA_PATH would be needed at every attach otherwise),
and the restored lake, opened at snapshot `v`, must give the manifest's fingerprint: the same rows
and the same KPIs. Only then is it reported restored.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from ioc import backup, config, lake, lake_server

CATALOG_NAME = "catalog.sql"
DATA_DIR = "data"
MANIFEST_NAME = "manifest.json"
KIND = "ducklake"


class LakeBackupError(RuntimeError):
    """A lake backup or restore could not be made; the message says why and what to do."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    folder = lake_server.binaries()
    if folder is not None and (folder / name).is_file():
        return str(folder / name)
    raise LakeBackupError(f"{name} not found: apt-get install postgresql-client")


def _run(args: list[str], what: str, given: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, input=given)
    if done.returncode != 0:
        text = " ".join(done.stderr.split())[:300]
        raise LakeBackupError(f"{what} failed: {text}")
    return done


def backup_lake(dest: Path | str) -> dict:
    """Write the lake of the settings to the zip `dest`; return its manifest."""
    dest = Path(dest)
    if dest.exists():
        raise LakeBackupError(f"{dest} exists: choose a new file name")
    schema = config.lake_schema()
    data = config.lake_data_path()
    con = lake.connect(read_only=True)
    try:
        version = int(lake.current_version(con))
    finally:
        con.close()
    at = lake.connect(version=version)
    try:
        figures = backup.fingerprint(at)
    finally:
        at.close()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ioc-lake-backup-", dir=dest.parent) as work:
        dump = Path(work) / CATALOG_NAME
        _run(
            [
                _tool("pg_dump"),
                "--dbname",
                config.lake_catalog(),
                "--schema",
                schema,
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dump),
            ],
            "pg_dump of the catalog",
        )
        manifest = {
            "kind": KIND,
            "created_at": config.now().isoformat(timespec="seconds"),
            "schema": schema,
            "data_path": str(data),
            "snapshot": version,
            **figures,
            "dossiers": figures["tables"].get("dossiers", {}).get("rows", 0),
        }
        partial = dest.with_name(f".{dest.name}.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(dump, CATALOG_NAME)
            for path in sorted(data.rglob("*")):
                if path.is_file():
                    name = f"{DATA_DIR}/{path.relative_to(data).as_posix()}"
                    zf.write(path, name, compress_type=zipfile.ZIP_STORED)  # Parquet: compressed
            zf.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False))
        partial.replace(dest)
    manifest["path"] = str(dest)
    manifest["bytes"] = dest.stat().st_size
    return manifest


def read_manifest(path: Path | str) -> dict:
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST_NAME))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise LakeBackupError(f"{path} is not a lake backup of `ioc backup` ({error})") from error
    if manifest.get("kind") != KIND:
        raise LakeBackupError(
            f"{path} is a backup of the file store: restore it with IOC_STORE=duckdb"
        )
    return manifest


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def rename_schema(sql: str, old: str, new: str) -> str:
    """The dump's statements with schema `old` renamed `new`; the rows of its COPY blocks (data
    lines, between `COPY ... FROM stdin;` and `\\.`) are left as they are."""
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(old)}(?![A-Za-z0-9_])")
    out, in_copy = [], False
    for line in sql.splitlines(keepends=True):
        if in_copy:
            in_copy = line.rstrip("\n") != "\\."
            out.append(line)
            continue
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            in_copy = True
        out.append(word.sub(new, line) if not line.startswith("--") else line)
    return "".join(out)


def restore_lake(src: Path | str, schema: str, data_path: Path | str) -> dict:
    """Restore the backup `src` as a new lake: catalog schema `schema` in the PostgreSQL of
    IOC_LAKE_CATALOG, files in `data_path` (new or empty). Checks the restored lake at the
    backup's snapshot against the manifest (rows, checksums, KPIs) before saying it is done."""
    manifest = read_manifest(src)
    if not _IDENT.fullmatch(schema):
        raise LakeBackupError(f"schema {schema!r}: letters, digits and _ only")
    data_path = Path(data_path).resolve()
    if data_path.exists() and any(data_path.iterdir()):
        raise LakeBackupError(f"{data_path} is not empty: restore into a new folder")
    catalog = config.lake_catalog()
    # psql variables (:'name', :"name") quote what goes into the SQL
    taken = _run(
        [_tool("psql"), "--dbname", catalog, "-At", "-v", f"schema={schema}"],
        "the catalog check",
        given="select count(*) from information_schema.schemata where schema_name = :'schema';\n",
    )
    if taken.stdout.strip() != "0":
        raise LakeBackupError(f"schema {schema} exists in the catalog: restore under a new name")
    with (
        zipfile.ZipFile(src) as zf,
        tempfile.TemporaryDirectory(prefix="ioc-lake-restore-") as work,
    ):
        data_path.mkdir(parents=True, exist_ok=True)
        for info in zf.infolist():
            name = Path(info.filename)
            if (
                info.is_dir()
                or name.parts[0] != DATA_DIR
                or ".." in name.parts
                or name.is_absolute()
            ):
                continue
            target = data_path.joinpath(*name.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
        sql = rename_schema(zf.read(CATALOG_NAME).decode("utf-8"), manifest["schema"], schema)
        # the data path the catalog keeps (absolute) becomes the new folder
        sql += (
            "\nupdate :\"schema\".ducklake_metadata set value = :'data_path' "
            "where key = 'data_path';\n"
        )
        script = Path(work) / "restore.sql"
        script.write_text(sql, encoding="utf-8")
        _run(
            [
                _tool("psql"),
                "--dbname",
                catalog,
                "-v",
                "ON_ERROR_STOP=1",
                "-v",
                f"schema={schema}",
                "-v",
                f"data_path={data_path.as_posix().rstrip('/')}/",
                "-q",
                "-f",
                str(script),
            ],
            "loading the catalog",
        )
    at = lake.connect(version=manifest["snapshot"], schema=schema, data_path=data_path)
    try:
        figures = backup.fingerprint(at)
    finally:
        at.close()
    if figures["tables"] != manifest["tables"] or figures["kpis"] != manifest["kpis"]:
        raise LakeBackupError(
            f"the restored lake {schema} does not give the backup's figures: do not use it"
        )
    return {
        "schema": schema,
        "data_path": str(data_path),
        "snapshot": manifest["snapshot"],
        "created_at": manifest["created_at"],
        "dossiers": manifest["dossiers"],
        "checked_at": datetime.now(config.TZ).replace(tzinfo=None).isoformat(timespec="seconds"),
    }
