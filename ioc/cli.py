"""The `ioc` console script (interfaces.md). Each sub-command is a small function that calls the
package; add a sub-command by writing `_cmd_<name>(args)` and registering it in `build_parser`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime

import polars as pl

from ioc import config, store


def _cmd_demo(args: argparse.Namespace) -> int:
    from ioc import demo

    until = datetime.fromisoformat(args.until) if args.until else config.now()
    path = config.db_path()
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    with store.connect(path) as con:
        counts = demo.build(con, until=until, seed=args.seed, scale=args.scale)
    elapsed = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    print(f"demo store {path}: built in {elapsed:.1f} s, {size_mb:.0f} MB")
    for key, value in counts.items():
        print(f"  {key}: {value}")
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from ioc import kpi

    period = kpi.Period.of(
        date.fromisoformat(args.date_from),
        date.fromisoformat(args.date_to),
        datetime.fromisoformat(args.as_of) if args.as_of else None,
    )
    with store.connect(read_only=True) as con:
        frame = kpi.commune_ranking(con, period, province=args.province)
    frame = frame.select(kpi.OUTPUT_COLUMNS)
    if args.commune:
        frame = frame.filter(pl.col("commune_code") == args.commune)
    if args.format == "json":
        print(json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=1))
    else:
        sys.stdout.write(frame.write_csv())
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from streamlit.web import cli as streamlit_cli

    app = str(config.PROJECT_ROOT / "app.py")
    sys.argv = ["streamlit", "run", app, "--server.port", str(args.port)]
    if args.address:
        sys.argv += ["--server.address", args.address]
    return streamlit_cli.main()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ioc", description="IOC operations dashboard")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="build the embedded demo store (deterministic)")
    demo.add_argument("--until", help="ISO datetime the demo runs up to (default: now)")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--scale", choices=("hanoi", "national"), default="hanoi")
    demo.set_defaults(func=_cmd_demo)

    kpi_cmd = sub.add_parser("kpi", help="print the KPIs per commune, as the pages show them")
    kpi_cmd.add_argument("--from", dest="date_from", required=True)
    kpi_cmd.add_argument("--to", dest="date_to", required=True)
    kpi_cmd.add_argument("--commune")
    kpi_cmd.add_argument("--province", default=config.DEFAULT_PROVINCE)
    kpi_cmd.add_argument("--as-of", dest="as_of")
    kpi_cmd.add_argument("--format", choices=("csv", "json"), default="csv")
    kpi_cmd.set_defaults(func=_cmd_kpi)

    serve = sub.add_parser("serve", help="start the dashboard (builds the demo store if empty)")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", help="address to listen on (default: all interfaces)")
    serve.set_defaults(func=_cmd_serve)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
