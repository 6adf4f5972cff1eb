"""A throwaway PostgreSQL for a DuckLake catalog: the tests (tests/conftest.py) and the benchmark
(benchmarks/bench_lake.py) start one of their own, in a temporary folder, on 127.0.0.1 and a free
port, with trust authentication, and stop it afterwards. Not for production: there the catalog's
PostgreSQL is the deployment's own (docs/ducklake.md)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class NoPostgres(RuntimeError):
    """No PostgreSQL binaries on this machine."""


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a PostgreSQL of its own; yield its libpq connection words; stop and remove it."""
    folder_bin = binaries()
    if folder_bin is None:
        raise NoPostgres("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="ioc-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    pg_ctl = [*run_as, str(folder_bin / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            [*run_as, str(folder_bin / "initdb"), "-D", str(data), "-U", "postgres"]
            + ["-A", "trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*pg_ctl, "-o", f"-h 127.0.0.1 -p {port} -k {folder} -F"]
            + ["-l", str(folder / "log"), "-w", "start"],
            check=True,
            capture_output=True,
        )
        yield f"dbname=postgres host=127.0.0.1 port={port} user=postgres"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
