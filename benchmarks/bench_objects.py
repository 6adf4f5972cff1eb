"""Benchmark of what a page view builds and sends besides its queries (issue 21, "cheaper
objects"): on one store, the figures, tables and map the overview, league and KPI-map pages show.

For each object it prints, in ms per build or per view, p50 / p95 over REPS runs:
- a figure built from ioc.charts' plain specs (no per-property check) against the same figure
  through Plotly's checking constructor (what every chart cost before);
- a table as shown: tables.display + Arrow once per scope and data version (ui.shared: nothing per
  view) against the plain pandas way, a pandas frame handed to Streamlit's Arrow conversion on
  every view;
- the KPI map's deck JSON: written once (maps.CompactDeck.written) against pydeck writing it on
  every view.
Same data, same run. Usage:

    python benchmarks/bench_objects.py --store data/ioc.duckdb   # a copy of a store
    python benchmarks/bench_objects.py                           # builds the Hanoi demo store
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.graph_objects as go  # noqa: E402
import pyarrow as pa  # noqa: E402

from ioc import (  # noqa: E402
    config,
    drilldown,
    kpi,
    kpi_map,
    league,
    maps,
    overview,
    quality,
    store,
    tables,
)
from ioc.kpi import Period  # noqa: E402

REPS = 41
PERIOD = Period.of(date(2025, 10, 7), date(2025, 10, 13))


def timed(func: Callable[[], object], reps: int = REPS) -> tuple[float, float]:
    """(p50, p95) in ms of `reps` calls after one warm-up call."""
    func()
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        func()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]


def row(name: str, new: tuple[float, float], old: tuple[float, float], what: str) -> None:
    ratio = old[1] / new[1] if new[1] else float("inf")
    print(
        f"{name:<28}{new[0]:>9.3f}{new[1]:>9.3f}{old[0]:>10.3f}{old[1]:>9.3f}"
        f"{ratio:>9.1f}x   {what}"
    )


def saved(name: str, old: tuple[float, float], what: str) -> None:
    """A per-view cost the shared object no longer pays (nothing is done per view)."""
    print(f"{name:<28}{'0':>9}{'0':>9}{old[0]:>10.3f}{old[1]:>9.3f}{'-':>10}   {what}")


def checked(fig: go.Figure) -> Callable[[], go.Figure]:
    """The same figure through Plotly's checking constructor (every property validated)."""
    spec = fig.to_dict()
    return lambda: go.Figure(spec)


def pandas_view(frame) -> Callable[[], object]:
    """The plain pandas way of showing a table: its pandas frame converted to Arrow per view (what
    st.dataframe does with a pandas frame)."""
    pandas = frame.to_pandas()
    return lambda: pa.Table.from_pandas(pandas, preserve_index=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a store to read (opened read-only)")
    args = parser.parse_args(argv)
    os.environ.setdefault("IOC_NOW", "2025-10-13T10:00:00")
    if args.store:
        con = store.connect(args.store, read_only=True)
    else:
        from ioc import demo

        path = Path(tempfile.mkdtemp(prefix="bench_objects_")) / "demo.duckdb"
        con = store.connect(path)
        demo.build(con, until=datetime(2025, 10, 13, 10))
    province = config.DEFAULT_PROVINCE
    dossiers = con.execute("select count(*) from dossiers").fetchone()[0]
    print(f"store: {dossiers:,} dossiers; period {PERIOD.date_from} – {PERIOD.date_to}")

    cards = overview.kpi_cards(con, PERIOD, province)
    trend = overview.daily_trend(con, PERIOD, province)
    ranking = kpi.commune_ranking(con, PERIOD, province, None)
    mix = drilldown.procedure_mix(con, PERIOD, province, None, None)
    table = league.league_table(con, PERIOD, province, None)
    scores = quality.commune_quality_scores(con, PERIOD, province)
    targets = kpi.targets_in_force(con, PERIOD.date_to)
    collection = kpi_map.map_features(con, PERIOD, "online_rate", province, None, "vi")

    print(f"\n{'object':<28}{'new p50':>9}{'p95':>9}{'old p50':>10}{'p95':>9}{'p95 old/new':>12}")
    print("figures, per build (once per scope, period and data version since ui.shared):")
    figures = {
        "overview trend": lambda: overview.trend_figure(trend, cards, "vi"),
        "overview lights": lambda: overview.lights_figure(ranking, "vi"),
        "overview procedure mix": lambda: overview.mix_figure(mix, "vi"),
        "league chart": lambda: league.chart(table, "online_rate", targets, "vi"),
    }
    for name, build in figures.items():
        row(name, timed(build), timed(checked(build())), "plain specs vs Plotly's check")

    print("tables, per view (the shared Arrow table is sent as it is):")
    for name, frame, spec in (
        ("overview top/bottom", league.top_bottom(ranking)[0], league.TOP_COLUMNS),
        ("league table", table, league.TABLE_SPEC),
        ("quality communes", quality.commune_quality(con, PERIOD, province), None),
    ):
        spec = spec or quality.COMMUNE_COLUMNS
        saved(name, timed(pandas_view(frame)), "shared Arrow vs pandas frame to Arrow per view")
        row(
            f"  (built once: {name})",
            timed(lambda frame=frame, spec=spec: tables.shown(frame, spec, "vi")),
            timed(lambda frame=frame, spec=spec: tables.display(frame, spec, "vi").to_pandas()),
            "Arrow vs display + pandas",
        )
    display = league.display_table(table, scores, "vi")
    print(f"  league table as shown: {display.num_rows} rows, {display.nbytes:,} bytes of Arrow")

    print("map, per view:")
    deck = kpi_map.deck(collection, None, "vi")
    written = kpi_map.deck(collection, None, "vi").written()
    saved(
        "KPI map deck JSON",
        timed(deck.to_json),
        f"written once vs per view ({len(written.to_json()):,} chars)",
    )
    assert written.to_json() == deck.to_json()
    assert isinstance(written, maps.CompactDeck)
    return 0


if __name__ == "__main__":
    sys.exit(main())
