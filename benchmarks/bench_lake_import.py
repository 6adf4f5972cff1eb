"""Import throughput on the DuckLake store against the embedded DuckDB file, side by side in one
run (issue 17: "import throughput against the embedded store").

Builds the hand-made fixture store (tests/fixtures.py) in a file and in a new lake (a throwaway
PostgreSQL, ioc.lake_server), then imports into each, through ioc.ingest.ingest_file as the
worker does: an export of N new dossiers (the shape of tests/test_lake_worker.py), then an export
updating N/10 of them. Prints seconds, rows per second and the ratio lake / file for each.
Usage: python benchmarks/bench_lake_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixtures import make_store  # noqa: E402

from ioc import store  # noqa: E402
from ioc.ingest import ingest_file  # noqa: E402
from ioc.lake_server import throwaway_postgres  # noqa: E402

HEADER = (
    "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày nộp hồ sơ,Ngày tiếp nhận,"
    "Ngày hẹn trả,Ngày kết thúc xử lý\n"
)


def export(path: Path, rows: int, status: str, finished: str) -> Path:
    times = f"07/10/2025 09:00:00,07/10/2025 09:00:00,07/10/2025 17:00:00,{finished}"
    lines = (f"BIG{n:06d},1.001193,90001,Trực tuyến,{status},{times}\n" for n in range(rows))
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def run(folder: Path, rows: int) -> dict:
    new = export(folder / "new.csv", rows, "Đang xử lý", "")
    update = export(folder / "update.csv", rows // 10, "Đã trả kết quả", "07/10/2025 11:00:00")
    con = store.connect(make_store(folder / "fixture.duckdb"))
    try:
        figures = {}
        for name, path, field in (
            ("insert", new, "rows_inserted"),
            ("update", update, "rows_updated"),
        ):
            started = time.perf_counter()
            result = ingest_file(con, path)
            figures[name] = (time.perf_counter() - started, getattr(result, field))
        return figures
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    os.environ.update({"IOC_DEMO": "0", "IOC_NOW": "2025-10-13T10:00:00"})
    with tempfile.TemporaryDirectory(prefix="ioc-bench-import-") as tmp:
        base = Path(tmp)
        (base / "file").mkdir()
        os.environ["IOC_STORE"] = "duckdb"
        on_file = run(base / "file", rows)
        with throwaway_postgres() as catalog:
            (base / "lake").mkdir()
            os.environ.update(
                {
                    "IOC_STORE": "ducklake",
                    "IOC_LAKE_CATALOG": catalog,
                    "IOC_LAKE_SCHEMA": "bench_" + uuid.uuid4().hex[:8],
                    "IOC_LAKE_DATA": str(base / "lake" / "data"),
                    "IOC_INBOX": str(base / "lake" / "inbox"),
                }
            )
            on_lake = run(base / "lake", rows)
    print(f"{'import':<8} {'rows':>8} {'file s':>8} {'lake s':>8} {'file rows/s':>12} "
          f"{'lake rows/s':>12} {'lake/file':>9}")  # fmt: skip
    for name in ("insert", "update"):
        (file_s, count), (lake_s, lake_count) = on_file[name], on_lake[name]
        assert count == lake_count, (name, count, lake_count)
        print(
            f"{name:<8} {count:>8} {file_s:>8.2f} {lake_s:>8.2f} {count / file_s:>12,.0f} "
            f"{count / lake_s:>12,.0f} {lake_s / file_s:>8.2f}x"
        )


if __name__ == "__main__":
    main()
