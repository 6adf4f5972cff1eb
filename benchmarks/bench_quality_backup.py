"""Data-quality figures and backup / restore on a synthetic store of N dossiers (default 1M).

Prints the time of quality.commune_quality against pandas computing the same per-commune counts
(rows, passing, date conflicts, unknown procedures, fields filled, suspected duplicates, national
codes) on the same rows, and the time and size of a backup and a verified restore against a plain
copy of the store file (what a backup costs beyond copying bytes).

    python benchmarks/bench_quality_backup.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ioc import backup, quality, store  # noqa: E402
from ioc.kpi import Period  # noqa: E402

COMMUNES, PROCEDURES = 126, 300


def build(path: Path, rows: int) -> None:
    """Deterministic dossiers over 126 communes and 300 procedures, with a few known defects."""
    with store.connect(path) as con:
        con.execute(
            "insert into communes (commune_code, commune_name, province_code) "
            "select lpad(cast(i as varchar), 5, '0'), 'Xã ' || i, '01' from range(1, $n + 1) t(i)",
            {"n": COMMUNES},
        )
        con.execute(
            "insert into procedures (procedure_code, procedure_name, service_level) "
            "select '1.' || lpad(cast(i as varchar), 6, '0'), 'Thủ tục ' || i, 'full' "
            "from range(1, $n + 1) t(i)",
            {"n": PROCEDURES},
        )
        con.execute(
            """
            insert into dossiers (dossier_id, procedure_code, commune_code, channel,
                service_level, submitted_at, received_at, due_at, finished_at, status,
                applicant_key, source_file)
            select
                'D' || i,
                case when i % 997 = 0 then '9.999999'
                    else '1.' || lpad(cast(1 + i % 300 as varchar), 6, '0') end,
                lpad(cast(1 + i % 126 as varchar), 5, '0'),
                case when i % 101 = 0 then null when i % 3 = 0 then 'direct' else 'online' end,
                'full',
                timestamp '2025-07-01' + to_minutes(cast(i % 190000 as bigint)),
                timestamp '2025-07-01' + to_minutes(cast(i % 190000 as bigint)),
                case when i % 53 = 0 then null
                    else timestamp '2025-07-04' + to_minutes(cast(i % 190000 as bigint)) end,
                case when i % 4 <> 0 then timestamp '2025-07-02' + to_minutes(cast(i % 190000 as bigint)) end,
                case when i % 4 <> 0 then 'returned' when i % 89 = 0 then 'finished' else 'processing' end,
                'A' || (i % 400000),
                'file' || (i % 126) || '.xlsx'
            from range($rows) t(i)
            """,
            {"rows": rows},
        )


def pandas_counts(path: Path, period: Period):
    """The per-commune counts of queries/quality_checks.sql, in pandas."""
    import duckdb
    import pandas as pd

    with duckdb.connect(str(path), read_only=True) as con:
        d = con.execute("select * from dossiers").df()
        procedures = set(
            con.execute("select procedure_code from procedures").df()["procedure_code"]
        )
    day = d["received_at"].fillna(d["submitted_at"]).dt.normalize()
    d = d[(day >= pd.Timestamp(period.date_from)) & (day <= pd.Timestamp(period.date_to))].copy()
    finished_states = d["status"].isin(["finished", "returned"])
    open_states = d["status"].isin(
        ["accepted", "processing", "supplement_requested", "payment_requested"]
    )
    d["conflict"] = (
        (finished_states & d["finished_at"].isna())
        | (~d["status"].isin(["registered", "rejected"]) & d["received_at"].isna())
        | (d["finished_at"] < d["received_at"])
        | (d["due_at"].dt.normalize() < d["received_at"].dt.normalize())
        | (open_states & d["finished_at"].notna())
    )
    d["known"] = d["procedure_code"].isin(procedures)
    due_required = ~d["status"].isin(["registered", "rejected"])
    d["required"] = 3 + due_required.astype(int)
    d["filled"] = (
        d["commune_code"].notna().astype(int)
        + d["channel"].notna().astype(int)
        + d["service_level"].notna().astype(int)
        + (due_required & d["due_at"].notna()).astype(int)
    )
    keyed = d[d["applicant_key"].notna() & d["received_at"].notna()].sort_values("dossier_id")
    keys = [
        keyed["applicant_key"],
        keyed["procedure_code"],
        keyed["commune_code"],
        keyed["received_at"].dt.normalize(),
    ]
    d["duplicate"] = False
    d.loc[keyed.index, "duplicate"] = keyed.groupby(keys).cumcount() > 0
    d["national"] = (
        d["known"]
        & d["commune_code"].str.fullmatch(r"\d{5}")
        & d["procedure_code"].str.fullmatch(r"\d\.\d{6}")
    )
    d["passing"] = ~d["conflict"] & d["known"]
    return d.groupby("commune_code").agg(
        rows=("dossier_id", "size"),
        rows_passing=("passing", "sum"),
        date_conflicts=("conflict", "sum"),
        fields_filled=("filled", "sum"),
        suspected_duplicates=("duplicate", "sum"),
        national_codes=("national", "sum"),
    )


def timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ioc_bench_quality_"))
    try:
        db = work / "bench.duckdb"
        _, built = timed(build, db, args.rows)
        print(
            f"store: {args.rows:,} dossiers, {db.stat().st_size / 1e6:.0f} MB, built in {built:.1f} s"
        )
        period = Period.of(date(2025, 7, 1), date(2025, 11, 30), datetime(2025, 12, 1))
        with store.connect(db) as con:
            ours, t_ours = timed(quality.commune_quality, con, period)
            _, t_sources = timed(quality.source_quality, con, period)
        theirs, t_pandas = timed(pandas_counts, db, period)
        same = all(
            int(theirs[c].sum()) == int(ours[c].sum())
            for c in (
                "rows",
                "rows_passing",
                "date_conflicts",
                "fields_filled",
                "suspected_duplicates",
                "national_codes",
            )
        )
        print(
            f"commune_quality: {t_ours:.2f} s; source_quality: {t_sources:.2f} s; pandas same "
            f"counts: {t_pandas:.2f} s; ratio pandas/ours {t_pandas / t_ours:.1f}x; totals equal: {same}"
        )
        with store.connect(db) as con:
            manifest, t_backup = timed(backup.backup, con, work / "b.zip")
        _, t_copy = timed(shutil.copy, db, work / "copy.duckdb")
        print(
            f"backup: {t_backup:.2f} s, {manifest['bytes'] / 1e6:.1f} MB zip "
            f"(store {manifest['store_bytes'] / 1e6:.0f} MB); plain file copy {t_copy:.2f} s; "
            f"ratio {t_backup / t_copy:.1f}x"
        )
        _, t_restore = timed(backup.restore, work / "b.zip", work / "restored.duckdb", work)
        print(f"verified restore: {t_restore:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
