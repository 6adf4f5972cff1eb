"""Reference data load: load_reference into a fresh store (first call, with the packages read and
the country's cells computed, then a second, idempotent call), the approximate cells alone, and
the old-unit mapping built in bulk against the package's per-ward converter (convert_address,
timed on a sample of old wards and scaled to all of them). No pandas baseline applies here: the
work is reading two packages and Voronoi geometry, so the per-ward converter is the comparison.

    python benchmarks/bench_reference.py [--sample 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from ioc import reference, store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sample", type=int, default=500, help="old wards run through the converter"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        con = store.connect(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        counts = reference.load_reference(con)
        first = time.perf_counter() - started
        started = time.perf_counter()
        reference.load_reference(con)
        second = time.perf_counter() - started
        con.close()

    communes, _, _ = reference._communes()
    started = time.perf_counter()
    reference.approximate_cells(
        communes["province_code"].to_numpy(),
        communes["lon"].to_numpy(),
        communes["lat"].to_numpy(),
        communes["area_km2"].to_numpy(),
    )
    cells = time.perf_counter() - started

    reference._old_units.cache_clear()
    started = time.perf_counter()
    old_units = reference._old_units()
    bulk = time.perf_counter() - started

    from vietnamadminunits import convert_address
    from vietnamadminunits.database import get_data

    legacy = [
        r
        for r in get_data(["province", "district", "ward"], table="admin_units_legacy")
        if r["ward"]
    ]
    sample = legacy[: args.sample]
    started = time.perf_counter()
    for row in sample:
        convert_address(f"{row['ward']}, {row['district']}, {row['province']}")
    per_ward = (time.perf_counter() - started) / len(sample) * len(legacy)

    print(f"counts: {counts}")
    print(f"load_reference, first call (packages read, cells computed): {first:.2f} s")
    print(f"load_reference, second call (idempotent upsert): {second:.2f} s")
    print(f"approximate cells, {communes.height} communes in 34 provinces: {cells:.2f} s")
    print(f"old_units in bulk from the converter tables ({old_units.height} rows): {bulk:.2f} s")
    print(
        f"per-ward convert_address for {len(legacy)} old wards (from {len(sample)}): "
        f"{per_ward:.2f} s; ratio {per_ward / bulk:.1f}x"
    )


if __name__ == "__main__":
    main()
