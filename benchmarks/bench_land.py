"""Land map at province scale: 1M parcels over 126 communes, ~150k land dossiers.

Times the queries behind the city view and the commune view (p50/p95) and measures the JSON each
view sends to pydeck, against pandas + shapely (what geopandas does underneath) loading the same
parcels and filtering, aggregating and simplifying in Python, in the same run.

    python benchmarks/bench_land.py [--parcels 1000000] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
import shapely

from ioc import land, maps, store

AS_OF = date(2025, 10, 13)
COMMUNES = 126
PER_ROW = 12  # communes per row of the province grid
CELL = 0.04  # degrees per commune cell
PARCEL = 0.0004  # degrees per parcel (~40 m)


def build(path: Path, parcels: int, interleaved: bool = False) -> None:
    """A synthetic province: commune cells on a grid, each filled with a grid of parcels, stored
    grouped by commune as the demo build and a land import write them (`interleaved`: the worst
    case, every row group holding parcels of every commune)."""
    side = int((parcels / COMMUNES) ** 0.5) + 1
    with store.connect(path) as con:
        con.execute(
            """
            insert into communes (commune_code, commune_name, province_code, lat, lon, geometry)
            select
                printf('%05d', 10000 + i),
                'Xã ' || i,
                '01',
                20.6 + (i // $per_row) * $cell + $cell / 2,
                105.3 + (i % $per_row) * $cell + $cell / 2,
                printf('{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}',
                    x0, y0, x0 + $cell, y0, x0 + $cell, y0 + $cell, x0, y0 + $cell, x0, y0)
            from (
                select i, 105.3 + (i % $per_row) * $cell as x0, 20.6 + (i // $per_row) * $cell as y0
                from range($communes) t(i)
            )
            """,
            {"per_row": PER_ROW, "cell": CELL, "communes": COMMUNES},
        )
        con.execute(
            "insert into procedures (procedure_code, procedure_name, field_name, is_land) "
            "values ('1.013978', 'Đăng ký đất đai lần đầu', 'Đất đai', true)"
        )
        con.execute(
            """
            insert into parcels
            select
                printf('%05d', 10000 + c) || '-' || (k // $side + 1) || '-' || (k % $side + 1),
                printf('%05d', 10000 + c),
                cast(k // $side + 1 as varchar),
                cast(k % $side + 1 as varchar),
                100 + (i * 7919) % 900,
                ['ODT', 'ONT', 'LUC', 'LUK', 'HNK', 'CLN', 'NTS', 'TMD', 'DGT'][1 + i % 9],
                'Thửa ' || i,
                x + $p / 2,
                y + $p / 2,
                printf('{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}',
                    x, y, x + $p / 2, y + 0.000001, x + $p * 0.95, y, x + $p * 0.95, y + $p * 0.95,
                    x, y + $p * 0.95, x, y)
            from (
                select
                    i,
                    c,
                    k,
                    105.3 + (c % $per_row) * $cell + (k % $side) * $p as x,
                    20.6 + (c // $per_row) * $cell + (k // $side) * $p as y
                from (select i, i % $communes as c, i // $communes as k from range($n) t(i))
            )
            order by if($interleaved, i, c), i
            """,
            {
                "side": side,
                "p": PARCEL,
                "per_row": PER_ROW,
                "cell": CELL,
                "communes": COMMUNES,
                "n": parcels,
                "interleaved": interleaved,
            },
        )
        # Dossiers arrive in time order, every commune mixed (as an import writes them).
        con.execute(
            """
            insert into dossiers (dossier_id, procedure_code, commune_code, status, received_at,
                due_at, finished_at, map_sheet, parcel_no, applicant_masked)
            select
                'L' || row_number() over (),
                '1.013978',
                commune_code,
                ['processing', 'returned', 'accepted', 'finished'][1 + h % 4],
                timestamp '2025-08-01' + to_days(h % 70),
                timestamp '2025-08-01' + to_days(h % 70 + 20),
                case when h % 4 in (1, 3) then timestamp '2025-08-01' + to_days(h % 70 + 10) end,
                map_sheet,
                parcel_no,
                'Nguyễn V. A.'
            from (select *, cast(hash(parcel_id) % 1000 as bigint) as h from parcels) where h < 150
            order by h % 70, h, parcel_id
            """
        )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timed(func, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - start) * 1000)
    return samples, result


def pandas_city(parcels: pd.DataFrame, dossiers: pd.DataFrame) -> pd.DataFrame:
    totals = parcels.groupby("commune_code").agg(
        parcels=("parcel_id", "size"), area=("area_m2", "sum")
    )
    day = pd.Timestamp(AS_OF)
    open_ = dossiers[dossiers["finished_at"].isna() & (dossiers["received_at"] <= day)]
    counts = open_.groupby("commune_code").agg(
        open=("dossier_id", "size"),
        overdue=("due_at", lambda s: int((s.dt.normalize() < day).sum())),
    )
    return totals.join(counts, how="left")


def pandas_commune(parcels: pd.DataFrame, dossiers: pd.DataFrame, commune: str, tol: float) -> list:
    own = parcels[parcels["commune_code"] == commune]
    latest = (
        dossiers[dossiers["commune_code"] == commune]
        .sort_values("received_at")
        .drop_duplicates(["map_sheet", "parcel_no"], keep="last")
    )
    own = own.merge(latest[["map_sheet", "parcel_no", "status"]], how="left")
    shapes = shapely.simplify(shapely.from_geojson(own["geometry"].to_numpy()), tol)
    return shapely.to_geojson(shapes).tolist()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--interleaved", action="store_true", help="parcels not grouped by commune")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        start = time.perf_counter()
        build(path, args.parcels, args.interleaved)
        layout = "interleaved" if args.interleaved else "grouped by commune"
        print(f"built {args.parcels:,} parcels ({layout}) in {time.perf_counter() - start:.1f} s")
        con = store.connect(path)
        counts = (
            con.execute("select count(*) from parcels").fetchone()[0],
            con.execute("select count(*) from dossiers").fetchone()[0],
        )
        print(f"store: {counts[0]:,} parcels, {counts[1]:,} land dossiers")
        land.ensure_spatial(con)

        city_ms, city = timed(lambda: land.city_view(con, AS_OF), args.runs)
        city_payload = maps.payload_bytes(land.city_deck(city))
        communes = city["commune_code"].to_list()
        picks = [communes[(i * 37) % len(communes)] for i in range(args.runs)]
        zoom = land.commune_zoom(city, picks[0])
        commune_ms, sizes, n_parcels = [], [], []
        for code in picks:
            start = time.perf_counter()
            frame = land.commune_view(con, code, AS_OF, zoom)
            commune_ms.append((time.perf_counter() - start) * 1000)
            n_parcels.append(frame.height)
        for code in picks[:3]:
            frame = land.commune_view(con, code, AS_OF, zoom)
            sizes.append(maps.payload_bytes(land.commune_deck(city, code, frame, "land_use")))
        deck_ms, _ = timed(
            lambda: maps.payload_bytes(land.commune_deck(city, picks[0], frame, "state")), 3
        )

        start = time.perf_counter()
        parcels = con.execute("select * from parcels").df()
        dossiers = con.execute("select * from dossiers").df()
        load_s = time.perf_counter() - start
        pd_city_ms, _ = timed(lambda: pandas_city(parcels, dossiers), args.runs)
        tol = land.SIMPLIFY_PIXELS * land.degrees_per_pixel(zoom)
        pd_commune_ms = []
        for code in picks:
            start = time.perf_counter()
            pandas_commune(parcels, dossiers, code, tol)
            pd_commune_ms.append((time.perf_counter() - start) * 1000)
        raw = con.execute(
            "select sum(length(geometry)) from parcels where commune_code = ?", [picks[0]]
        ).fetchone()[0]
        con.close()

    def line(name: str, ours: list[float], theirs: list[float]) -> None:
        p50, p95 = percentiles(ours)
        q50, q95 = percentiles(theirs)
        print(
            f"{name:<14} duckdb p50 {p50:7.1f} ms  p95 {p95:7.1f} ms | pandas+shapely p50 "
            f"{q50:7.1f} ms  p95 {q95:7.1f} ms | ratio p50 {q50 / p50:5.1f}x"
        )

    print(f"zoom of a commune view: {zoom}, simplify tolerance {tol:.2e} deg")
    line("city view", city_ms, pd_city_ms)
    line("commune view", commune_ms, pd_commune_ms)
    print(f"pandas: loading the parcels and dossiers once took {load_s:.1f} s (not in its p50)")
    print(f"deck build + JSON of a commune view: p50 {statistics.median(deck_ms):.0f} ms")
    print(f"payload city view: {city_payload / 1e6:.2f} MB ({len(communes)} communes)")
    print(
        f"payload commune view: max {max(sizes) / 1e6:.2f} MB for ~{max(n_parcels):,} parcels "
        f"(raw GeoJSON text of those parcels: {raw / 1e6:.2f} MB)"
    )


if __name__ == "__main__":
    main()
