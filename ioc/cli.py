"""The `ioc` console script (interfaces.md). Each sub-command is a small function that calls the
package; add a sub-command by writing `_cmd_<name>(args)` and registering it in `build_parser`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime

import duckdb
import polars as pl

from ioc import config, store
from ioc.migrations import StoreVersionError
from ioc.scope import ROLES


def _cmd_demo(args: argparse.Namespace) -> int:
    from ioc import demo

    until = datetime.fromisoformat(args.until) if args.until else config.now()
    on_lake = config.store_backend() == "ducklake"
    path = config.db_path()
    where = f"DuckLake {config.lake_schema()}" if on_lake else str(path)
    if on_lake or path.exists():
        holds = _real_contents(path)
        if holds and on_lake:
            # a lake is not deleted by a command: its snapshots are its history
            print(
                f"ioc demo: {where} holds {holds}: it is not replaced by demo data. Point "
                "IOC_LAKE_SCHEMA and IOC_LAKE_DATA at a new lake",
                file=sys.stderr,
            )
            return 2
        if holds and not args.replace_real_store:
            print(
                f"ioc demo: {path} holds {holds}: it is not replaced by demo data. Point IOC_DB "
                "at another file, or add --replace-real-store to delete it",
                file=sys.stderr,
            )
            return 2
    started = time.perf_counter()
    if not on_lake and path.exists():
        path.unlink()
    with store.connect(path) as con:
        counts = demo.build(con, until=until, seed=args.seed, scale=args.scale)
        from ioc import auth

        counts["demo_accounts"] = len(auth.ensure_demo_accounts(con))
    elapsed = time.perf_counter() - started
    if on_lake:
        files = config.lake_data_path().rglob("*")
        size_mb = sum(f.stat().st_size for f in files if f.is_file()) / 1e6
    else:
        size_mb = path.stat().st_size / 1e6
    print(f"demo store {where}: built in {elapsed:.1f} s, {size_mb:.0f} MB")
    for key, value in counts.items():
        print(f"  {key}: {value}")
    return 0


def _real_contents(path) -> str:
    """What a store holds that the demo would destroy ('' for a demo or empty store)."""
    with store.connect(path) as con:
        found = store.run_query(con, "store_real_contents").row(0, named=True)
    parts = [
        f"{found['imports']} import run(s)" if found["imports"] else "",
        f"{found['accounts']} account(s)" if found["accounts"] else "",
        "data marked real or production" if found["marked"] else "",
    ]
    return ", ".join(p for p in parts if p)


def _cmd_init(args: argparse.Namespace) -> int:
    from ioc import reference, startup

    path = config.db_path()
    with store.connect(path) as con:
        startup.mark_production(con)
        if args.refresh:
            changes, counts = reference.refresh(con)
            print(f"{path}: reference refreshed, {changes.height} change(s); dossiers untouched")
            for change, code, before, after in changes.iter_rows():
                print(
                    f"  {change}: {code}  {before or ''}{' -> ' if before and after else ''}"
                    f"{after or ''}"
                )
        else:
            counts = reference.ensure_loaded(con)
            if counts is None:
                counts = store.execute(con, "reference_counts").row(0, named=True)
                print(f"{path}: reference data already loaded (nothing changed)")
            else:
                print(f"{path}: reference data loaded (no demo data, no accounts)")
    for key in ("provinces", "communes", "old_units", "procedures", "targets"):
        print(f"  {key}: {counts[key]}")
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from ioc import kpi

    period = kpi.Period.of(
        date.fromisoformat(args.date_from),
        date.fromisoformat(args.date_to),
        datetime.fromisoformat(args.as_of) if args.as_of else None,
    )
    try:
        con = _store_then(args.snapshot, args.store_at)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    with con:
        frame = kpi.commune_ranking(con, period, province=args.province, median=True)
    frame = frame.select(kpi.OUTPUT_COLUMNS)
    if args.commune:
        frame = frame.filter(pl.col("commune_code") == args.commune)
    if args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1))
    else:
        sys.stdout.write(frame.write_csv())
    return 0


def _store_then(snapshot: int | None, store_at: str | None) -> duckdb.DuckDBPyConnection:
    """The store now, or (DuckLake only, docs/ducklake.md) as it stood at a snapshot or a Vietnam
    local moment; a ValueError's message is the one line to print."""
    if snapshot is None and not store_at:
        return store.connect()
    if config.store_backend() != "ducklake":
        raise ValueError("--snapshot / --store-at need the DuckLake store (IOC_STORE=ducklake)")
    from ioc import lake

    try:
        at = datetime.fromisoformat(store_at) if store_at else None
    except ValueError:
        raise ValueError(f"--store-at {store_at!r}: give an ISO time, 2025-10-12T18:00") from None
    try:
        return lake.connect(version=snapshot, at=at)
    except lake.LakeError as error:
        raise ValueError(str(error)) from None


def _cmd_serve(args: argparse.Namespace) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    # app.py builds st.navigation itself; pages/ is not Streamlit's legacy pages directory. Left to
    # guess, Streamlit treats it as one until the first st.navigation call, so the first page loaded
    # after start-up by a deep link (/trinh-chieu?...) got a "Page not found" dialog.
    PagesManager.uses_pages_directory = False
    from ioc import startup

    _compress_static()
    # The store opened, the inbox watched and backups scheduled before the first page view.
    startup.start()
    # serve.py: app.py as a Streamlit st.App with the routes that keep a sign-in across reloads
    app = str(config.PROJECT_ROOT / "serve.py")
    # An address always given: without one, Streamlit asks a web service for the machine's
    # external IP to print it, and a government deployment sends nothing out.
    sys.argv = ["streamlit", "run", app, *_streamlit_options(), "--server.port", str(args.port)]
    sys.argv += ["--server.address", args.address]
    return streamlit_cli.main()


def _compress_static() -> None:
    """Let Streamlit gzip its own JavaScript, CSS and page (issue 23).

    Streamlit serves /static/ and the root document uncompressed on purpose, expecting a
    compressing proxy in front. Without one, a phone's first visit fetches 3 MB before the sign-in
    form: 17 s at 1.6 Mbit/s (benchmarks/bench_chair_mobile.py); gzipped it is under a third of
    that. The files are content-hashed and kept a year by the browser, so each phone costs the
    server one compression. Fonts and images stay as they are (Starlette leaves already-compressed
    types alone). A Streamlit without this switch point is left untouched."""
    try:
        from streamlit.web.server.starlette import starlette_gzip_middleware as gzip_middleware
    except ImportError:
        return
    if hasattr(gzip_middleware, "_should_bypass_gzip"):
        gzip_middleware._should_bypass_gzip = lambda path, base_url="": False


def _streamlit_options() -> list[str]:
    """The project's .streamlit/config.toml as command-line options: Streamlit reads that file
    only from the folder it is started in, and a government deployment must send no usage
    statistics whatever folder `ioc serve` runs from."""
    import tomllib

    with config.STREAMLIT_CONFIG.open("rb") as handle:
        settings = tomllib.load(handle)
    return [
        f"--{section}.{key}={str(value).lower() if isinstance(value, bool) else value}"
        for section, values in settings.items()
        for key, value in values.items()
    ]


def _cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ioc import backup

    dest, path = Path(args.path), config.db_path()
    if config.store_backend() == "ducklake":
        return _backup_lake(dest)
    try:
        if backup.store_is_held(path):
            print(f"{path} is held by the running app: asking it to write the backup")
            manifest = backup.ask_running_app(dest)
        else:
            with store.connect(path) as con:
                manifest = backup.backup(con, dest)
    except backup.BackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    size_mb = manifest["bytes"] / 1e6
    print(f"backup {manifest['path']}: {size_mb:.1f} MB, {manifest['dossiers']} dossiers")
    return 0


def _backup_lake(dest) -> int:
    """The lake's backup: the catalog dumped, the data folder copied (ioc/lake_backup.py); it
    runs beside the worker and the replicas."""
    from ioc import lake_backup

    try:
        manifest = lake_backup.backup_lake(dest)
    except lake_backup.LakeBackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    print(
        f"backup {manifest['path']}: {manifest['bytes'] / 1e6:.1f} MB, {manifest['dossiers']} "
        f"dossiers, DuckLake {manifest['schema']} at snapshot {manifest['snapshot']}"
    )
    return 0


def _restore_lake(args: argparse.Namespace) -> int:
    from ioc import lake_backup

    if not args.schema or not args.data:
        print(
            "restore of a lake goes to a new place: give --schema NEW_SCHEMA and --data NEW_FOLDER",
            file=sys.stderr,
        )
        return 2
    try:
        result = lake_backup.restore_lake(args.path, args.schema, args.data)
    except lake_backup.LakeBackupError as error:
        print(f"restore failed: {error}", file=sys.stderr)
        return 1
    print(
        f"restored the backup of {result['created_at']} as DuckLake {result['schema']} (data "
        f"{result['data_path']}): {result['dossiers']} dossiers, KPIs checked equal to the "
        f"backup's at snapshot {result['snapshot']}. To use it, set IOC_LAKE_SCHEMA="
        f"{result['schema']} and IOC_LAKE_DATA={result['data_path']}"
    )
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from ioc import backup

    if config.store_backend() == "ducklake":
        return _restore_lake(args)

    if not args.yes:
        try:
            manifest = backup.read_manifest(args.path)
        except backup.BackupError as error:
            print(f"restore failed: {error}", file=sys.stderr)
            return 1
        question = (
            f"replace {config.db_path()} with the backup of {manifest.get('created_at')} "
            f"({manifest.get('dossiers')} dossiers)? [y/N] "
        )
        if not sys.stdin.isatty():
            print("restore replaces the store: run it again with --yes to confirm", file=sys.stderr)
            return 1
        if input(question).strip().lower() not in ("y", "yes", "c", "co", "có"):
            print("restore cancelled; nothing changed")
            return 1
    try:
        result = backup.restore(args.path)
    except backup.BackupError as error:
        print(f"restore failed: {error}", file=sys.stderr)
        return 1
    print(
        f"restored {result['store']} from the backup of {result['created_at']}: "
        f"{result['dossiers']} dossiers, KPIs checked equal to the backup's"
    )
    if result["previous_store"]:
        print(f"the store it replaced is kept as {result['previous_store']}")
    return 0


def _hand_to_worker(paths: list, meridian: float | None) -> int:
    """On the lake `ioc worker` owns every import: the files go into its inbox."""
    from ioc import worker
    from ioc.ingest import inbox

    folder = config.inbox_path()
    placed = inbox.hand_over(paths, folder, username=_cli_user(), meridian=meridian)
    print(
        f"{len(placed)} file(s) copied into the worker's inbox {folder}; `ioc worker` imports them "
        f"within seconds (see the page Nhập dữ liệu, and {folder / 'processed'})"
    )
    down, beat = worker.silent()
    if down:
        print(
            "ioc ingest: no worker has said it is running"
            + ("" if beat is None else f" (last heard {beat.get('at')})")
            + ": start `ioc worker` with the same IOC_LAKE_* and IOC_INBOX settings",
            file=sys.stderr,
        )
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    from ioc import worker

    return worker.main()


def _writer(db) -> duckdb.DuckDBPyConnection:
    """The connection a command's writes go through. On the lake while `ioc worker` runs it is a
    replica's: the worker makes the writes (ioc/writes.py), one at a time beside its imports and
    the app's; a lake without a running worker is written directly, as the file store is."""
    if config.store_backend() == "ducklake":
        from ioc import worker

        if not worker.silent()[0]:
            return store.connect_replica()
    return store.connect(db)


def _cli_user() -> str:
    """Who runs the command, for the audit log: the CLI has no sign-in, so the OS account."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _cmd_ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tqdm import tqdm

    from ioc import backup, ingest, reference, startup
    from ioc.ingest import inbox

    paths = list(ingest.expand(args.paths))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    db = config.db_path()
    if args.dry_run:
        return _dry_run(paths, args.province)
    if config.store_backend() == "ducklake":
        return _hand_to_worker(paths, args.meridian)
    if backup.store_is_held(db):
        app = startup.running_app(db)
        folder = Path(app["inbox"]) if app else config.inbox_path()
        placed = inbox.hand_over(paths, folder)
        print(
            f"{db} is held by the running app: {len(placed)} file(s) copied into its inbox "
            f"{folder}; the app imports them within seconds (see the page Nhập dữ liệu, and "
            f"{folder / 'processed'})"
            + ("" if app else "; the app did not say where its inbox is: check it is this one")
        )
        return 0
    failed = 0
    with store.connect(db) as con:
        loaded = reference.ensure_loaded(con)
        if loaded:
            print(
                f"{db}: reference data loaded first ({loaded['communes']} communes, "
                f"{loaded['procedures']} procedures)"
            )
        bar = tqdm(paths, unit="file", desc="ioc ingest")
        for path in bar:
            bar.set_postfix_str(path.name)
            result = ingest.ingest_file(
                con,
                path,
                province=args.province,
                meridian=args.meridian,
                progress=lambda stage, _f, p=path.name: bar.set_postfix_str(f"{p}: {stage}"),
                username=_cli_user(),
            )
            failed += not result.ok
            tqdm.write(
                f"{result.source_file}: {result.status} — read {result.rows_read}, "
                f"inserted {result.rows_inserted}, updated {result.rows_updated}, "
                f"quarantined {result.rows_quarantined}"
                + (f" ({result.message})" if result.message else "")
            )
    return 1 if failed else 0


def _dry_run(paths: list, province: str | None) -> int:
    """`ioc ingest --dry-run`: what each file would do, on a read-only connection."""
    from ioc.ingest import quarantine

    db = config.db_path()
    if not db.exists():
        print(f"no store at {db}: nothing imported yet, every row would be new", file=sys.stderr)
        return 1
    try:
        con = store.connect(db, read_only=True)
    except duckdb.IOException as error:
        print(f"cannot open {db} read-only: {error}", file=sys.stderr)
        return 1
    failed = 0
    with con:
        for path in paths:
            seen = quarantine.preview(con, path, province=province)
            failed += seen.status == "failed"
            print(
                f"{seen.source_file}: {seen.status} — read {seen.rows_read}, "
                f"to insert {seen.to_insert}, to update {seen.to_update}, "
                f"unchanged {seen.unchanged}, to quarantine {seen.to_quarantine}"
                + (f" ({seen.message})" if seen.message else "")
            )
            for reason, rows in seen.quarantine.items():
                print(f"  quarantine {reason}: {rows}")
            for kind, value, rows in seen.unmapped:
                print(f"  unmapped {kind} «{value}»: {rows} row(s)")
    print("dry run: nothing was written")
    return 1 if failed else 0


def _print_moved(moved) -> None:
    print(moved.summary("vi"))


def _cmd_mapping(args: argparse.Namespace) -> int:
    from ioc.ingest import mappings, quarantine

    db = config.db_path()
    if args.action == "list":
        with store.connect(db) as con:
            sys.stdout.write(mappings.mapping_list(con).write_csv())
        return 0
    canonical = None if args.action == "invalid" else args.canonical
    try:
        with _writer(db) as con:
            moved = quarantine.add_mapping(
                con,
                args.kind,
                args.value,
                canonical,
                _cli_user(),
                source=args.source or "",
                province=args.province,
            )
    except mappings.MappingError as error:
        print(f"mapping not added: {error}", file=sys.stderr)
        return 1
    print(f"mapping {args.kind} «{args.value}» -> {canonical or mappings.INVALID_MARK}")
    _print_moved(moved)
    return 0


def _cmd_quarantine(args: argparse.Namespace) -> int:
    from ioc.ingest import quarantine

    db = config.db_path()
    if args.action == "list":
        with store.connect(db) as con:
            frame = quarantine.listing(con, all_states=args.all)
            reason = "reason_en" if args.lang == "en" else "reason_vi"
            frame = frame.select(
                "source_file",
                "row_number",
                "status",
                "reason_code",
                pl.col(reason).alias("reason"),
                "problem_kind",
                "problem_value",
                "run_id",
            )
            sys.stdout.write(frame.write_csv())
            return 0
    with _writer(db) as con:
        moved = quarantine.retry(con, _cli_user(), province=args.province)
    _print_moved(moved)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    """From stdin (first line) with --password-stdin, else typed twice at a prompt that does not
    echo. Never from an argument: it would show in the shell history and the process list."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Mật khẩu / password: ")
    if getpass.getpass("Nhập lại / again: ") != first:
        raise ValueError("passwords_differ")
    return first


def _cmd_user(args: argparse.Namespace) -> int:
    from ioc import auth

    db = config.db_path()
    if args.action == "list":
        with store.connect(db) as con:
            sys.stdout.write(auth.list_users(con).write_csv())
        return 0
    try:
        password = _read_password(args)
        with _writer(db) as con:
            scope = auth.add_user(
                con, args.username, args.role, password, args.commune, actor="cli"
            )
    except auth.AuthError as error:
        print(f"user not added: {error.reason}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"user not added: {error}", file=sys.stderr)
        return 1
    where = f" of commune {scope.commune_code}" if scope.commune_code else ""
    print(f"user {scope.username} added: {scope.role}{where}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ioc import backup, exports

    report = {
        "out": str(Path(args.out).resolve()),
        "preset": "week" if args.week else args.period,
        "slides": args.slides,
        "formats": list(args.format),
        "province": args.province,
        "lang": args.lang,
    }
    path = config.db_path()
    if backup.store_is_held(path):
        # The running app holds the store: it writes the report from its own consistent view.
        print(f"{path} is held by the running app: asking it to write the report")
        try:
            written = backup.ask_for_report(report)
        except backup.BackupError as error:
            print(f"report failed: {error}", file=sys.stderr)
            return 1
    else:
        with store.connect() as con:
            written = exports.write_report(con, **report, parallel=True)
    for item in written:
        print(f"{item['path']}: {item['slides']} slides")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ioc", description="IOC operations dashboard")
    sub = parser.add_subparsers(dest="command", required=True)

    init = sub.add_parser(
        "init", help="a production store: reference data only (no demo rows, no accounts)"
    )
    init.add_argument(
        "--refresh",
        action="store_true",
        help="update the reference rows from the installed packages and say what changed",
    )
    init.set_defaults(func=_cmd_init)

    demo = sub.add_parser("demo", help="build the embedded demo store (deterministic)")
    demo.add_argument("--until", help="ISO datetime the demo runs up to (default: now)")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--scale", choices=("hanoi", "national"), default="hanoi")
    demo.add_argument(
        "--replace-real-store",
        action="store_true",
        help="delete a store holding imports, accounts or production data and build the demo",
    )
    demo.set_defaults(func=_cmd_demo)

    kpi_cmd = sub.add_parser("kpi", help="print the KPIs per commune, as the pages show them")
    kpi_cmd.add_argument("--from", dest="date_from", required=True)
    kpi_cmd.add_argument("--to", dest="date_to", required=True)
    kpi_cmd.add_argument("--commune")
    kpi_cmd.add_argument("--province", default=config.DEFAULT_PROVINCE)
    kpi_cmd.add_argument("--as-of", dest="as_of")
    kpi_cmd.add_argument("--format", choices=("csv", "json"), default="csv")
    kpi_cmd.add_argument(
        "--store-at", help="DuckLake only: the store as it stood at this Vietnam local ISO time"
    )
    kpi_cmd.add_argument(
        "--snapshot", type=int, help="DuckLake only: the store as it stood at this snapshot"
    )
    kpi_cmd.set_defaults(func=_cmd_kpi)

    serve = sub.add_parser("serve", help="start the dashboard (builds the demo store if empty)")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument(
        "--address", default="0.0.0.0", help="address to listen on (default: all interfaces)"
    )
    serve.set_defaults(func=_cmd_serve)

    worker_cmd = sub.add_parser(
        "worker",
        help="DuckLake store: the one process that imports, backs up and maintains the lake "
        "beside the app replicas (runs until stopped)",
    )
    worker_cmd.set_defaults(func=_cmd_worker)

    backup_cmd = sub.add_parser("backup", help="write a consistent backup (store + settings)")
    backup_cmd.add_argument("path", help="the backup zip to write")
    backup_cmd.set_defaults(func=_cmd_backup)

    restore_cmd = sub.add_parser("restore", help="restore a backup (stop the app first)")
    restore_cmd.add_argument("path", help="a zip written by `ioc backup`")
    restore_cmd.add_argument("--yes", action="store_true", help="replace the store without asking")
    restore_cmd.add_argument(
        "--schema", help="DuckLake store: the new catalog schema to restore as"
    )
    restore_cmd.add_argument("--data", help="DuckLake store: the new (empty) data folder")
    restore_cmd.set_defaults(func=_cmd_restore)

    ingest_cmd = sub.add_parser("ingest", help="import export files or folders into the store")
    ingest_cmd.add_argument(
        "paths", nargs="+", help="files or folders (.xlsx .csv .parquet .json, land files)"
    )
    ingest_cmd.add_argument(
        "--meridian",
        type=float,
        help="VN-2000 central meridian of land files, degrees (Hà Nội: 105)",
    )
    ingest_cmd.add_argument(
        "--province", default=config.DEFAULT_PROVINCE, help="province whose commune names to match"
    )
    ingest_cmd.add_argument(
        "--dry-run",
        action="store_true",
        help="show rows to insert, update, leave unchanged and quarantine; write nothing",
    )
    ingest_cmd.set_defaults(func=_cmd_ingest)

    mapping_cmd = sub.add_parser(
        "mapping",
        help="values an administrator taught (status, commune ...; the file store: stop the app "
        "first; the lake: `ioc worker` writes them)",
    )
    mapping_sub = mapping_cmd.add_subparsers(dest="action", required=True)
    mapping_sub.add_parser("list", help="list the mappings")
    kinds = (
        *("status", "channel", "level", "flag", "commune", "procedure", "header"),
        *("rating", "feedback_channel", "outcome"),  # rating and feedback exports (issue 18)
    )
    for action, text in (
        ("add", "map VALUE of KIND to CANONICAL and re-run the quarantined rows it resolves"),
        ("invalid", "mark VALUE of KIND truly invalid: its rows stay quarantined"),
    ):
        one = mapping_sub.add_parser(action, help=text)
        one.add_argument("kind", choices=kinds)
        one.add_argument("value", help="the value as the export writes it")
        if action == "add":
            one.add_argument(
                "canonical",
                help="status code, direct/online/postal, full/partial/info, true/false, commune "
                "code, procedure code, for a header the store column (received_at ...), "
                "very_satisfied/satisfied/not_satisfied, a feedback channel (portal, hotline, "
                "app, email, letter, direct, press) or answered/rejected/info_requested/open",
            )
        one.add_argument("--source", help="header mappings: the source system's key")
        one.add_argument("--province", default=config.DEFAULT_PROVINCE)
    mapping_cmd.set_defaults(func=_cmd_mapping)

    quarantine_cmd = sub.add_parser(
        "quarantine",
        help="quarantined rows (the file store: stop the app first; the lake: `ioc worker` writes)",
    )
    quarantine_sub = quarantine_cmd.add_subparsers(dest="action", required=True)
    q_list = quarantine_sub.add_parser("list", help="list the open quarantined rows as CSV")
    q_list.add_argument("--all", action="store_true", help="resolved and deleted rows too")
    q_list.add_argument("--lang", choices=("vi", "en"), default="vi")
    q_retry = quarantine_sub.add_parser(
        "retry", help="re-run the open rows against today's mappings; the ones that map land"
    )
    q_retry.add_argument("--province", default=config.DEFAULT_PROVINCE)
    quarantine_cmd.set_defaults(func=_cmd_quarantine)

    user_cmd = sub.add_parser(
        "user",
        help="manage sign-in accounts (the file store: stop the app first; the lake: `ioc worker` "
        "writes them)",
    )
    user_sub = user_cmd.add_subparsers(dest="action", required=True)
    user_add = user_sub.add_parser("add", help="add an account; the password is prompted for")
    user_add.add_argument("username")
    user_add.add_argument("--role", required=True, choices=ROLES)
    user_add.add_argument("--commune", help="commune code of a ward chair (e.g. 00070)")
    user_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    user_sub.add_parser("list", help="list accounts (no passwords)")
    user_cmd.set_defaults(func=_cmd_user)

    report_cmd = sub.add_parser(
        "report", help="write the presenter deck (báo cáo tuần) as .pptx / .pdf / .xlsx"
    )
    report_cmd.add_argument(
        "--week", action="store_true", help="the last full week, Monday to Sunday (the default)"
    )
    report_cmd.add_argument(
        "--period", choices=("week", "7d", "today", "month", "since_start"), default="week"
    )
    report_cmd.add_argument("--slides", help="slide sequence, e.g. kpis,league,commune:00070")
    report_cmd.add_argument(
        "--format", nargs="+", choices=("pptx", "pdf", "xlsx"), default=["pptx", "pdf"]
    )
    report_cmd.add_argument("--out", default=".", help="folder to write the files to")
    report_cmd.add_argument("--province", default=config.DEFAULT_PROVINCE)
    report_cmd.add_argument("--lang", choices=("vi", "en"), default="vi")
    report_cmd.set_defaults(func=_cmd_report)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StoreVersionError as error:
        print(f"ioc: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        from ioc.lake import LakeError

        if not isinstance(error, LakeError):
            raise
        print(f"ioc: {error}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as error:
        print(f"ioc: {_store_failure(error)}", file=sys.stderr)
        return 2


def _store_failure(error: Exception) -> str:
    """One line for a command that could not use the store or its files (held by the app, a full
    disk, a damaged file), saying what to do; never a traceback."""
    text = " ".join(str(error).split())
    if isinstance(error, duckdb.IOException) and "lock" in text.lower():
        return (
            f"{config.db_path()} is open in the running app; this command needs it alone: "
            "stop the app (or use its pages) and run it again"
        )
    if "No space left" in text or getattr(error, "errno", None) == 28:
        return f"the disk of {config.db_path()} is full: free space, then run the command again"
    return f"{type(error).__name__}: {text[:300]} (nothing was changed by the part that failed)"


if __name__ == "__main__":
    sys.exit(main())
