"""Ingest throughput: 1M-row CSV and Parquet and a 100k-row XLSX in the export format, imported
end to end into a fresh store (read, normalise, validate, upsert), against pandas doing the same
reading and normalisation (read_csv / read_parquet / read_excel with openpyxl) on the same files in
the same run. Prints rows/s and the ratio (medians of --runs runs, each into a fresh store), the time
of each stage of the import, and a re-import of the same rows from another file.

    python benchmarks/bench_ingest.py [--rows 1000000] [--xlsx-rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median

import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from ingest_fixture import COMMUNES, make_ingest_store  # noqa: E402

from ioc.ingest import ingest_file, load  # noqa: E402
from ioc.ingest.aliases import CHANNELS, HEADER_OF, STATUSES, fold  # noqa: E402
from ioc.ingest.export import as_export, write_export  # noqa: E402

STATUSES_OUT = ["processing", "finished", "returned", "accepted", "supplement_requested"]


def synthetic(rows: int, seed: int = 7) -> pl.DataFrame:
    """Store-shaped dossier rows (what an export is written from)."""
    rng = random.Random(seed)
    start = datetime(2025, 7, 1, 8)
    received = [start + timedelta(minutes=rng.randrange(0, 140_000)) for _ in range(rows)]
    return pl.DataFrame(
        {
            "dossier_id": [f"H{i:08d}" for i in range(rows)],
            "procedure_code": [rng.choice(["1.001193", "2.000815"]) for _ in range(rows)],
            "procedure_name": None,
            "commune_code": [rng.choice(COMMUNES)[0] for _ in range(rows)],
            "commune_name": None,
            "channel": [rng.choice(["direct", "online", "postal"]) for _ in range(rows)],
            "service_level": None,
            "status": [rng.choice(STATUSES_OUT) for _ in range(rows)],
            "submitted_at": received,
            "received_at": received,
            "due_at": [r + timedelta(days=3) for r in received],
            "finished_at": [r + timedelta(hours=30) for r in received],
            "returned_at": None,
            "rejected_at": None,
            "paid_online": None,
            "has_fee": None,
            "digitized": [rng.random() < 0.5 for _ in range(rows)],
            "vneid_verified": None,
            "applicant_masked": [
                rng.choice(["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh"]) for _ in range(rows)
            ],
            "map_sheet": None,
            "parcel_no": None,
        },
        schema_overrides={
            c: pl.String
            for c in ("procedure_name", "commune_name", "service_level", "map_sheet", "parcel_no")
        }
        | {c: pl.Datetime("us") for c in ("returned_at", "rejected_at")}
        | {c: pl.Boolean for c in ("paid_online", "has_fee", "vneid_verified")},
    ).with_columns(pl.format("0{}", pl.int_range(0, rows) % 99_991).alias("Số CCCD"))


def pandas_normalise(frame: pd.DataFrame, communes: dict[str, str]) -> pd.DataFrame:
    """The same normalisation in pandas: headers by alias, dates, labels, commune, masking."""
    frame = frame.rename(columns={c: HEADER_OF.get(fold(c), c) for c in frame.columns})
    out = pd.DataFrame({"dossier_id": frame["dossier_id"].astype("string").str.strip()})
    for column in ("submitted_at", "received_at", "due_at", "finished_at"):
        out[column] = pd.to_datetime(frame[column], format="%d/%m/%Y %H:%M:%S", errors="coerce")
    for column, table in (("channel", CHANNELS), ("status", STATUSES)):
        values = frame[column].astype("string")
        mapping = {v: table.get(fold(v)) for v in values.dropna().unique()}
        out[column] = values.map(mapping)
    codes = frame["commune_code"].astype("string").str.zfill(5)
    out["commune_code"] = codes.where(codes.isin(communes))
    names = frame["applicant_name"].astype("string").str.strip()
    out["applicant_masked"] = names.str.replace(r" (\w)\w*", r" \1.", regex=True)
    salt = b"bench|id|"
    ids = frame["applicant_id"].astype("string")
    hashed = {v: hashlib.sha256(salt + v.encode()).hexdigest()[:32] for v in ids.dropna().unique()}
    out["applicant_key"] = ids.map(hashed)
    bad = out["received_at"].isna() | out["commune_code"].isna() | out["status"].isna()
    return out[~bad]


STAGES = ("sha256", "read", "normalise", "check", "write", "rollups")


@dataclass
class Run:
    """One import timed by stage (from ingest_file's progress marks) and pandas on the same file."""

    total: float
    stages: dict[str, float]
    pandas: float
    inserted: int
    updated: int
    quarantined: int
    kept: int


def timed_ingest(con, path: Path) -> tuple[float, dict[str, float], object]:
    """ingest_file with the time of each stage: the progress marks fall between the stages
    (read, normalise, check, write, done), and the rollup refresh inside the write is timed apart
    because it is not the ingest's own work."""
    marks: list[tuple[str, float]] = []
    spent = {"rollups": 0.0}
    refresh = load.refresh_rollups

    def timed_refresh(*args, **kwargs):
        started = time.perf_counter()
        try:
            return refresh(*args, **kwargs)
        finally:
            spent["rollups"] += time.perf_counter() - started

    load.refresh_rollups = timed_refresh
    try:
        started = time.perf_counter()
        result = ingest_file(
            con, path, progress=lambda s, _f: marks.append((s, time.perf_counter()))
        )
        total = time.perf_counter() - started
    finally:
        load.refresh_rollups = refresh
    at = dict(marks)
    stages = {
        "sha256": at["read"] - started,
        "read": at["normalise"] - at["read"],
        "normalise": at["check"] - at["normalise"],
        "check": at["write"] - at["check"],
        "write": at["done"] - at["write"] - spent["rollups"],
        "rollups": spent["rollups"],
    }
    return total, stages, result


def report(label: str, rows: int, runs: list[Run]) -> None:
    for i, run in enumerate(runs, 1):
        print(
            f"  {label} run {i}: ingest {run.total:5.2f} s = {rows / run.total:>9,.0f} rows/s "
            f"(inserted {run.inserted:,}, updated {run.updated:,}, quarantined "
            f"{run.quarantined:,})  pandas {run.pandas:5.2f} s (kept {run.kept:,})  stages "
            + " ".join(f"{k} {v:.2f}" for k, v in run.stages.items())
        )
    mine = median(r.total for r in runs)
    other = median(r.pandas for r in runs)
    stages = {k: median(r.stages[k] for r in runs) for k in STAGES}
    # Like for like: pandas reads and normalises; our read + normalise + check does that and more.
    prepare = stages["read"] + stages["normalise"] + stages["check"]
    print(
        f"{label:8s} {rows:>9,d} rows  ingest {mine:6.2f} s = {rows / mine:>11,.0f} rows/s  |  "
        f"pandas {other:6.2f} s = {rows / other:>11,.0f} rows/s  |  ratio {other / mine:4.1f}x "
        f"end to end, {other / prepare:4.1f}x read+normalise+check ({prepare:.2f} s)  "
        f"[medians of {len(runs)}]"
    )
    print("         stages (median s): " + "  ".join(f"{k} {v:.2f}" for k, v in stages.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("parquet", "csv", "xlsx"), action="append")
    args = parser.parse_args()
    os.environ.setdefault("IOC_NOW", "2025-10-13T10:00:00")
    communes = {c[0]: c[1] for c in COMMUNES}
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        work = Path(folder)
        big = as_export(synthetic(args.rows)).rename({"Chủ hồ sơ": "Họ tên người nộp"})
        big = big.with_columns(synthetic(args.rows)["Số CCCD"])
        t0 = time.perf_counter()
        csv = write_export(big, work / "export.csv")
        parquet = write_export(big, work / "export.parquet")
        xlsx = write_export(big.head(args.xlsx_rows), work / "export.xlsx")
        print(f"files written in {time.perf_counter() - t0:.1f} s")

        for label, path, rows, read in (
            ("parquet", parquet, args.rows, lambda p: pd.read_parquet(p)),
            ("csv", csv, args.rows, lambda p: pd.read_csv(p, dtype=str, encoding="utf-8-sig")),
            (
                "xlsx",
                xlsx,
                args.xlsx_rows,
                lambda p: pd.read_excel(p, engine="openpyxl", header=3, dtype=str),
            ),
        ):
            if args.only and label not in args.only:
                continue
            runs = []
            for i in range(args.runs):
                con = make_ingest_store(work / f"{label}-{i}.duckdb")  # a fresh store each run
                total, stages, result = timed_ingest(con, path)
                con.close()
                started = time.perf_counter()
                kept = len(pandas_normalise(read(path), communes))
                runs.append(
                    Run(
                        total,
                        stages,
                        time.perf_counter() - started,
                        result.rows_inserted,
                        result.rows_updated,
                        result.rows_quarantined,
                        kept,
                    )
                )
            report(label, rows, runs)

        if not args.only:
            # The same rows again from another file into a store that holds them all: every row
            # is compared with the store, none inserted or updated.
            con = make_ingest_store(work / "again.duckdb")
            ingest_file(con, parquet)
            total, stages, result = timed_ingest(con, csv)
            con.close()
            print(
                f"re-import of the {args.rows:,} rows from the CSV into the store holding them: "
                f"{total:.2f} s (inserted {result.rows_inserted:,}, updated "
                f"{result.rows_updated:,})  stages "
                + " ".join(f"{k} {v:.2f}" for k, v in stages.items())
            )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
