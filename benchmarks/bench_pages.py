"""Benchmark of the league, live, drill-down, overview and KPI-map figures.

Builds a store with ioc.demo.build(scale='national', dossiers=N) over the 3,321 communes (or
scale='hanoi': the Hanoi demo's 126 communes), then prints for every page its package functions'
p50 / p95 (DuckDB) against a plain pandas implementation of the same figures on the same data in
the same run (checked equal: the counts, the league table and the map's features), a full AppTest
run of the page (signed in as a city leader, cold cache), and the process RSS before and after the
pandas copy is loaded.
Usage: python benchmarks/bench_pages.py [--scale national|hanoi] [--dossiers 10000000] [--db DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_index766  # noqa: E402
from timing import timed  # noqa: E402

from ioc import (  # noqa: E402
    anomalies,
    auth,
    charts,
    drilldown,
    kpi,
    kpi_map,
    league,
    live,
    maps,
    metrics,
    precompute,
    store,
)
from ioc.i18n import fmt_number, fmt_pct, t  # noqa: E402
from ioc.kpi import Period  # noqa: E402
from ioc.scope import CITY, CITY_LEADER, Scope  # noqa: E402
from ioc.workdays import next_working_day  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
# Runs per figure: on a shared VM a run in ten or twenty stalls, so with 21 runs the 95th
# percentile is the second slowest and swings 2x between two runs of the benchmark; with 61 it
# is the fourth slowest.
REPS = 61
# After a process frees gigabytes (the child that builds the store, or the previous run's 12 GB
# pandas copy), this VM stalls every query for 20-45 ms every 2.4 s, for about 25 s: measured
# with 7,000 league runs after a 12 GB process exited (34 runs over twice the median, all but one
# in the first 24 s; none in 1,500 runs on a settled machine). That is the hypervisor taking the
# freed memory back, not the queries, and a serving app does not free gigabytes before each
# page, so the timing starts once it is over.
SETTLE_SECONDS = 30
PAGES = (
    "pages/league.py",
    "pages/live.py",
    "pages/drilldown.py",
    "pages/overview.py",
    "pages/kpi_map.py",
)


def rss_mb() -> float:
    """Peak resident set size of this process so far, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pandas_frame(con) -> pd.DataFrame:
    return con.execute(
        "select d.*, c.province_code from dossiers d join communes c using (commune_code)"
    ).df()


def pandas_reference(con) -> dict[str, pd.DataFrame]:
    """The communes (names, cells) and the targets table, as pandas holds them in memory."""
    communes = con.execute(
        "select commune_code, province_code, commune_name, geometry from communes"
    ).df()
    targets = con.execute("select * from targets").df()
    for c in ("effective_from", "effective_to"):
        targets[c] = pd.to_datetime(targets[c])
    workdays = con.execute(
        "select distinct previous_working_day as day from workday_calendar order by 1"
    ).df()
    return {
        "communes": communes.set_index("commune_code").sort_index(),
        "targets": targets,
        "ratings": con.execute("select * from dossier_ratings").df(),
        # the national index's dossier indicators (the league's column; bench_index766.py)
        "steps": con.execute("select dossier_id, step_at, status_after from dossier_steps").df(),
        "procedures": con.execute("select * from procedures").df(),
        "feedback": con.execute("select * from feedback").df(),
        "workdays": pd.to_datetime(workdays.day).to_numpy(),
    }


def pandas_commune_counts(
    df: pd.DataFrame,
    period: Period,
    province: str,
    previous: bool = False,
    median: bool = False,
    key: str | list[str] = "commune_code",
) -> pd.DataFrame:
    """Every count of queries/kpi_counts.sql per commune (kpi.md), in pandas; with previous, the
    previous period's too (a ranking's rank change needs both); median_days_to_resolve when asked
    for, as kpi.kpi_counts(median=True)."""
    periods = [period, period.previous()] if previous else [period]
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    fin = d.finished_at.dt.normalize()
    due = d.due_at.dt.normalize()
    out = []
    for p in periods:
        lo, hi = pd.Timestamp(p.date_from), pd.Timestamp(p.date_to)
        as_of = pd.Timestamp(p.as_of.date())
        soon = pd.Timestamp(next_working_day(p.as_of.date()))
        rec = (day >= lo) & (day <= hi) & ~d.status.isin(["registered", "rejected"])
        res = d.status.isin(["finished", "returned"]) & (fin >= lo) & (fin <= hi)
        opened = (
            (day <= hi)
            & ~d.status.isin(["registered", "rejected", "withdrawn", "stopped"])
            & (d.finished_at.isna() | (fin > hi))
        )
        online = d.channel == "online"
        full = d.service_level == "full"
        flags = pd.DataFrame(
            {
                "commune_code": d.commune_code,
                "procedure_code": d.procedure_code,
                "received": rec,
                "received_online": rec & online,
                "received_end_to_end": rec & online & full,
                "received_full_level": rec & full,
                "received_with_fee": rec & d.has_fee.fillna(False).astype(bool),
                "received_paid_online": rec
                & d.has_fee.fillna(False).astype(bool)
                & d.paid_online.fillna(False).astype(bool),
                "received_digitized": rec & d.digitized.fillna(False).astype(bool),
                "received_postal": rec & (d.channel == "postal"),
                "resolved": res,
                "resolved_on_time": res & (due.isna() | (fin <= due)),
                "resolved_early": res & (fin < due),
                "resolved_late": res & (fin > due),
                "no_due_date": res & due.isna(),
                "open_at_end": opened,
                "open_overdue": opened & (due < as_of),
                "open_due_soon": opened & (due >= as_of) & (due <= soon),
            }
        )
        keys = [key] if isinstance(key, str) else key
        counts = flags.drop(
            columns=[c for c in ("commune_code", "procedure_code") if c not in keys]
        )
        counts = counts.groupby(keys).sum()
        if median:
            days = (d.finished_at - d.received_at).dt.total_seconds() / 86400.0
            counts["median_days_to_resolve"] = days[res].groupby(d.commune_code[res]).median()
        out.append(counts)
    return out[0] if not previous else pd.concat(out, keys=["now", "before"])


def pandas_voice_counts(
    df: pd.DataFrame, ref: dict, period: Period, province: str, previous: bool = False
) -> pd.DataFrame:
    """The citizen's-voice counts of queries/voice_counts.sql per commune, in pandas: a dossier's
    rating is its overall one (the latest), else the lowest of its criteria; a feedback item is
    due on its due date, else on the 15th working day after its latest transfer (else receipt)."""
    periods = [period, period.previous()] if previous else [period]
    in_province = ref["communes"].index[ref["communes"].province_code == province]
    r = ref["ratings"]
    r = r[r.commune_code.isin(in_province)]
    lo = pd.Timestamp(min(p.date_from for p in periods))
    hi = pd.Timestamp(max(p.date_to for p in periods))
    r = r[(r.rated_at.dt.normalize() >= lo) & (r.rated_at.dt.normalize() <= hi)]
    grade = r.level.map({"very_satisfied": 3, "satisfied": 2}).fillna(1)
    r = r.assign(grade=grade, overall=r.criterion.isna())
    latest = r[r.overall].sort_values("rated_at").groupby("dossier_id").last()
    rest = r.groupby("dossier_id").agg(
        commune_code=("commune_code", "first"), grade=("grade", "min"), rated_at=("rated_at", "max")
    )
    rated = rest.copy()
    rated.loc[latest.index, ["grade", "rated_at"]] = latest[["grade", "rated_at"]].to_numpy()
    rated["rated_day"] = pd.to_datetime(rated.rated_at).dt.normalize()
    d = df[df.province_code == province]
    d = d[d.status.isin(["finished", "returned"]) & d.finished_at.notna()]
    d = d.set_index("dossier_id").join(rated[["rated_day"]], how="inner")
    d["finished_day"] = d.finished_at.dt.normalize()
    f = ref["feedback"]
    f = f[f.commune_code.isin(in_province)].copy()
    f["received_day"] = f.received_at.dt.normalize()
    f["answered_day"] = f.answered_at.dt.normalize()
    start = f.transferred_at.fillna(f.received_at).dt.normalize().to_numpy()
    days = ref["workdays"]
    at = days.searchsorted(start, side="right") - 1 + 15
    later = pd.Series(days[at.clip(0, len(days) - 1)], index=f.index).where(at < len(days))
    f["due_by"] = f.due_at.dt.normalize().fillna(later)
    out = []
    for p in periods:
        a, b = pd.Timestamp(p.date_from), pd.Timestamp(p.date_to)
        given = rated[(rated.rated_day >= a) & (rated.rated_day <= b)]
        done = d[(d.finished_day >= a) & (d.finished_day <= b) & (d.rated_day <= b)]
        answered = f.outcome.notna() & (f.answered_day >= a) & (f.answered_day <= b)
        still = (f.received_day <= b) & (f.outcome.isna() | (f.answered_day > b))
        frames = [
            pd.DataFrame(
                {
                    "ratings": 1,
                    "ratings_satisfied": given.grade >= 2,
                    "ratings_not_satisfied": given.grade == 1,
                }
            )
            .groupby(given.commune_code)
            .sum(),
            done.groupby("commune_code").size().rename("rated"),
            pd.DataFrame(
                {
                    "feedback_received": (f.received_day >= a) & (f.received_day <= b),
                    "feedback_answered": answered,
                    "feedback_answered_on_time": answered & (f.answered_day <= f.due_by),
                    "feedback_open": still,
                    "feedback_overdue": still & (f.due_by < b),
                }
            )
            .groupby(f.commune_code)
            .sum(),
        ]
        counts = pd.concat(frames, axis=1).fillna(0).astype("int64")
        out.append(counts[list(metrics.VOICE_COUNTS)])
    return out[0] if not previous else pd.concat(out, keys=["now", "before"])


def pandas_targets(targets: pd.DataFrame, day: date) -> dict[tuple[str, str], float]:
    """(metric, scope) -> target in force on a day: the latest effective_from wins."""
    on = pd.Timestamp(day)
    t = targets[
        (targets.effective_from <= on)
        & (targets.effective_to.isna() | (targets.effective_to >= on))
    ]
    t = t.sort_values("effective_from").groupby(["metric", "scope"]).target.last()
    return {key: float(value) for key, value in t.items()}


def pandas_goal(found: dict, metric: str, codes: pd.Index) -> pd.Series:
    """Each commune's target for a metric: its own, else the city's, else kpi.md's default."""
    city = found.get((metric, "city"), kpi.DEFAULT_TARGETS.get(metric))
    own = {scope: v for (m, scope), v in found.items() if m == metric and scope != "city"}
    return pd.Series([own.get(code, city) for code in codes], index=codes, dtype="float64")


def pandas_scored(c: pd.DataFrame, found: dict) -> pd.DataFrame:
    """Rates, group points, score, left-out groups, rank and thin data of one period's counts."""
    c = c.copy()
    for name, (num, den) in kpi.RATES.items():
        c[name] = (c[num] / c[den]).where(c[den] > 0)
    progress = c.resolved_on_time + c.open_at_end - c.open_overdue
    c["progress_rate"] = (progress / (c.resolved + c.open_at_end)).where(
        c.resolved + c.open_at_end > 0
    )
    points, maxima = 0.0, 0.0
    for group, top, name, fixed in kpi.SCORE_GROUPS:
        goal = fixed if fixed is not None else pandas_goal(found, name, c.index)
        got = top * (c[name] / goal).clip(upper=1.0)
        c[f"points_{group}"] = got
        points, maxima = points + got.fillna(0.0), maxima + c[name].notna() * top
    c["score"] = (100 * points / maxima).where(maxima > 0)
    groups = [g for g, *_ in kpi.SCORE_GROUPS]
    missing = c[[f"points_{g}" for g in groups]].isna().to_numpy()
    c["groups_left_out"] = [[g for g, m in zip(groups, row, strict=True) if m] for row in missing]
    c = c.reset_index().sort_values(
        ["score", "online_rate", "commune_code"],
        ascending=[False, False, True],
        na_position="last",
    )
    c["rank"] = range(1, len(c) + 1)
    c["thin_data"] = c.received < kpi.THIN_DATA_THRESHOLD
    return c.set_index("commune_code")


def pandas_light(rate: pd.Series, goal: pd.Series) -> pd.Series:
    light = pd.Series(None, index=rate.index, dtype="object")
    light[rate < goal - kpi.AMBER_BAND - 1e-9] = "red"
    light[(rate >= goal - kpi.AMBER_BAND - 1e-9) & (rate < goal)] = "amber"
    light[rate >= goal] = "green"
    return light


def pandas_ranking(
    df: pd.DataFrame,
    ref: dict,
    period: Period,
    province: str,
    index: bool = True,
    voice: bool = True,
) -> pd.DataFrame:
    """kpi.commune_ranking in pandas: every commune of the province (with its name, even without
    dossiers), counts of both periods, rates, group points, score, rank, rank change and the
    traffic lights against the targets in force at each period's end."""
    both = pandas_commune_counts(df, period, province, previous=True)
    # the previous period serves the rank change only: no voice counts for it (as the ranking)
    voices = pandas_voice_counts(df, ref, period, province) if voice else None
    communes = ref["communes"]
    codes = communes.index[communes.province_code == province]
    ranked = {}
    for which, p in (("now", period), ("before", period.previous())):
        found = pandas_targets(ref["targets"], p.date_to)
        counts = both.loc[which].reindex(codes, fill_value=0)
        if which == "now" and voices is not None:
            counts = counts.join(voices.reindex(codes, fill_value=0))
        else:
            counts = counts.join(pd.DataFrame(0, index=codes, columns=list(metrics.VOICE_COUNTS)))
        ranked[which] = (pandas_scored(counts, found), found)
    (now, found), (before, _) = ranked["now"], ranked["before"]
    now["rank_change"] = before["rank"] - now["rank"]
    for metric in kpi.TARGETED_RATES:
        now[f"light_{metric}"] = pandas_light(now[metric], pandas_goal(found, metric, now.index))
    now["commune_name"] = communes.commune_name
    # the league's national index column: its dossier indicators, as bench_index766.py writes
    # them in pandas (the scoring on top is a few arithmetic columns over 126 rows)
    if index:  # the league's, not the map's
        tables = {"dossiers": df[df.province_code == province]} | {
            k: ref[k] for k in ("steps", "procedures")
        }
        values = bench_index766.pandas_index(tables, period)
        now = now.join(values.add_prefix("index_"), how="left")
    return now.sort_values("rank")


def pandas_map_features(
    df: pd.DataFrame, ref: dict, period: Period, metric: str, province: str
) -> list[dict]:
    """kpi_map.map_features in pandas: the ranking on the province's cells, one GeoJSON feature
    each, with the same fill and hover labels (the shared formatting and geometry helpers)."""
    voice = metrics.uses_voice(metric)  # as the map: the hover shows no voice figure
    ranking = pandas_ranking(df, ref, period, province, index=False, voice=voice)
    cells = ref["communes"]
    cells = cells[(cells.province_code == province) & cells.geometry.notna()]
    frame = cells[["geometry"]].join(ranking.drop(columns="commune_name"), how="left")
    frame["commune_name"] = cells.commune_name
    values = frame[metric].dropna()
    low, high = (values.min(), values.max()) if len(values) else (0, 0)
    features = []
    for row in frame.rename_axis("commune_code").reset_index().to_dict("records"):
        code = row["commune_code"]
        value = None if pd.isna(row[metric]) else float(row[metric])
        light = row[f"light_{metric}"] if metric in kpi_map.TARGETED else None
        if value is None:
            fill = kpi_map.NO_DATA
        elif metric in kpi_map.TARGETED:
            fill = maps.hex_rgb(charts.LIGHT_COLOURS[light or "none"])
        else:
            fill = kpi_map._ramp((value - low) / (high - low) if high > low else 1.0)
        rank = None if pd.isna(row["rank"]) else int(row["rank"])
        properties = {
            "commune_code": code,
            "name": row["commune_name"],
            "metric": t(f"kpi.{metric}", "vi"),
            "value": value,
            "label": kpi_map._label(metric, value, "vi"),
            "rank": rank,
            "rank_label": "—" if rank is None else str(rank),
            "score": fmt_number(_none(row["score"]), "vi", 1),
            "online": fmt_pct(_none(row["online_rate"]), "vi"),
            "end_to_end": fmt_pct(_none(row["end_to_end_rate"]), "vi"),
            "received": fmt_number(_none(row["received"]), "vi"),
            "fill": [*fill, 200],
        }
        features.append(maps.feature(row["geometry"], properties, code))
    return features


def _none(value):
    return None if pd.isna(value) else value


def pandas_open_now(df: pd.DataFrame, as_of: datetime, province: str) -> pd.DataFrame:
    """Open, overdue and due-soon dossiers at as_of per commune (live.open_by)."""
    d = df[df.province_code == province]
    day = pd.Timestamp(as_of.date())
    soon = pd.Timestamp(next_working_day(as_of.date()))
    due = d.due_at.dt.normalize()
    opened = (
        (d.received_at.dt.normalize() <= day)
        & ~d.status.isin(["registered", "rejected", "withdrawn", "stopped"])
        & (d.finished_at.isna() | (d.finished_at.dt.normalize() > day))
    )
    flags = pd.DataFrame(
        {
            "open_at_end": opened,
            "open_overdue": opened & (due < day),
            "open_due_soon": opened & (due >= day) & (due <= soon),
        }
    )
    counts = flags.groupby(d.commune_code).sum()
    return counts[(counts.open_overdue + counts.open_due_soon) > 0]


def pandas_commune_page(
    df: pd.DataFrame, period: Period, commune: str, as_of: datetime, province: str
) -> tuple:
    """The drill-down's figures: score lift (each procedure's online / end-to-end share against the
    province's 90th percentile, the commune's totals), the weekly trend against the city median,
    and the overdue / due-soon dossier list."""
    per = pandas_commune_procedure(df, period, province).reset_index()
    per = per[per.received > 0]
    per["online_share"] = per.online / per.received
    per["e2e_share"] = per.end_to_end / per.received
    p90 = per.groupby("procedure_code")[["online_share", "e2e_share"]].quantile(0.9)
    own = per[per.commune_code == commune].join(p90, on="procedure_code", rsuffix="_p90")
    totals = pandas_commune_counts(df, period, province).loc[commune]
    d = df[df.province_code == province]
    start = pd.Timestamp(period.date_to) - pd.Timedelta(days=7 * drilldown.TREND_WEEKS - 1)
    end = pd.Timestamp(period.date_to)
    rday, fday = d.received_at.dt.normalize(), d.finished_at.dt.normalize()
    rec = d[(rday >= start) & (rday <= end) & ~d.status.isin(["registered", "rejected"])]
    weeks_r = (end - rec.received_at.dt.normalize()).dt.days // 7
    weekly = pd.DataFrame({"received": 1, "online": rec.channel == "online"}, index=rec.index)
    weekly = weekly.groupby([rec.commune_code, weeks_r]).sum()
    res = d[(fday >= start) & (fday <= end) & d.status.isin(["finished", "returned"])]
    weeks_f = (end - res.finished_at.dt.normalize()).dt.days // 7
    on_time = res.due_at.isna() | (res.finished_at.dt.normalize() <= res.due_at.dt.normalize())
    done = on_time.groupby([res.commune_code, weeks_f]).agg(["size", "sum"])
    weekly = weekly.join(done, how="outer")
    weekly["online_rate"] = weekly.online / weekly.received
    median = weekly.groupby(level=1)["online_rate"].median()
    day = pd.Timestamp(as_of.date())
    soon = pd.Timestamp(next_working_day(as_of.date()))
    mine = d[d.commune_code == commune]
    listed = mine[
        (mine.received_at.dt.normalize() <= day)
        & ~mine.status.isin(["registered", "rejected", "withdrawn", "stopped"])
        & (mine.finished_at.isna() | (mine.finished_at.dt.normalize() > day))
        & (mine.due_at.dt.normalize() <= soon)
    ].sort_values(["due_at", "dossier_id"])
    return own, totals, weekly, median, listed.head(drilldown.OVERDUE_LIMIT)


def pandas_hourly(df: pd.DataFrame, day: date, as_of: datetime, province: str) -> pd.DataFrame:
    d = df[(df.province_code == province) & ~df.status.isin(["registered", "rejected"])]
    start = pd.Timestamp(day - timedelta(28))
    d = d[(d.received_at >= start) & (d.received_at <= pd.Timestamp(as_of))]
    back = (pd.Timestamp(day) - d.received_at.dt.normalize()).dt.days
    d = d[back % 7 == 0]
    return d.groupby([back[back % 7 == 0] // 7, d.received_at.dt.hour]).size()


def pandas_commune_procedure(df: pd.DataFrame, period: Period, province: str) -> pd.DataFrame:
    """Received, online and end-to-end per (commune, procedure) over the period."""
    d = df[df.province_code == province]
    day = d.received_at.dt.normalize()
    rec = d[
        (day >= pd.Timestamp(period.date_from))
        & (day <= pd.Timestamp(period.date_to))
        & ~d.status.isin(["registered", "rejected"])
    ]
    online = rec.channel == "online"
    flags = pd.DataFrame(
        {
            "received": 1,
            "online": online,
            "end_to_end": online & (rec.service_level == "full"),
        },
        index=rec.index,
    )
    return flags.groupby([rec.commune_code, rec.procedure_code]).sum()


def pandas_overview(df: pd.DataFrame, period: Period, province: str) -> tuple:
    """The overview extension's figures: the procedure mix and the anomaly windows' counts."""
    recent = Period.of(period.date_to - timedelta(anomalies.RECENT_DAYS - 1), period.date_to)
    base = Period.of(
        recent.date_from - timedelta(anomalies.BASELINE_DAYS),
        recent.date_from - timedelta(1),
    )
    return (
        pandas_commune_counts(df, period, province, key="procedure_code"),
        pandas_commune_counts(df, recent, province),
        pandas_commune_counts(df, base, province),
    )


def same_figures(con, df: pd.DataFrame, ref: dict, period: Period, province: str = "01") -> bool:
    """The pandas league table and map features carry the pages' figures, row for row."""
    mine = league.league_table(con, period, province).to_pandas().set_index("commune_code")
    theirs = pandas_ranking(df, ref, period, province).loc[mine.index]
    for c in mine.columns:
        if c.startswith("index_766"):
            continue  # the index's indicators are checked equal by bench_index766.py
        a, b = mine[c], theirs[c]
        missing = a.isna()
        if c == "groups_left_out":
            equal = [list(x) for x in a] == [list(x) for x in b]
        elif a.dtype.kind in "iuf":
            equal = (a.astype(float) - b.astype(float)).abs()[~missing].max() < 1e-9
        else:
            equal = (a[~missing] == b[~missing]).all()
        if not (equal and (missing == b.isna()).all()):
            print(f"  column {c} differs")
            return False
    ours = kpi_map.map_features(con, period, "online_rate", province)["features"]
    return ours == pandas_map_features(df, ref, period, "online_rate", province)


def apptest_seconds(page: str, query: dict) -> tuple[float, float]:
    """A full run of the page in the app (navigation, sign-in gate, sidebar): cold then warm.

    The cache is cleared first so the cold run computes every figure; the warm run is the next
    visitor within the cache TTL."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "bench"))
    for k, v in query.items():
        at.query_params[k] = v
    at.run()  # the default page (overview) and the store opening: not counted
    at.switch_page(page)
    st.cache_data.clear()
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    assert not at.exception, at.exception
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    return cold, warm


def prepare_store(path: Path, scale: str, dossiers: int | None) -> None:
    """The demo store at `path` (built when empty) with its rollup tables up to date."""
    con = store.connect(path)  # a writable open brings the rollups up to date
    if store.is_empty(con):
        from ioc import demo

        start = time.perf_counter()
        demo.build(con, until=UNTIL, scale=scale, dossiers=dossiers)
        print(f"build: {time.perf_counter() - start:.1f} s", flush=True)
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=("national", "hanoi"), default="national")
    parser.add_argument(
        "--dossiers", type=int, default=None, help="national default 10M; Hanoi: its real volume"
    )
    parser.add_argument("--db", default=None, help="folder of the store (kept and reused)")
    parser.add_argument("--reps", type=int, default=REPS, help="timed runs per figure")
    args = parser.parse_args()
    if args.dossiers is None and args.scale == "national":
        args.dossiers = 10_000_000
    path = Path(args.db or tempfile.mkdtemp()) / "bench_pages.duckdb"
    os.environ.update(IOC_DB=str(path), IOC_DEMO="0", IOC_NOW=UNTIL.isoformat())
    # Building the store and its rollups (what an import does) happens in a child process, so
    # the RSS printed below is what serving the pages takes.
    child = multiprocessing.get_context("spawn").Process(
        target=prepare_store, args=(path, args.scale, args.dossiers)
    )
    child.start()
    child.join()
    if child.exitcode:
        sys.exit(f"building the store failed ({child.exitcode})")
    time.sleep(SETTLE_SECONDS)
    con = store.connect(path, read_only=True)
    total = con.execute("select count(*) from dossiers").fetchone()[0]
    communes = con.execute("select count(*) from communes").fetchone()[0]
    province = "01"  # the pages show Hanoi (config.DEFAULT_PROVINCE)
    commune = con.execute(
        "select d.commune_code from dossiers d join communes c using (commune_code) "
        "where c.province_code = '01' group by 1 order by count(*) desc limit 1"
    ).fetchone()[0]
    print(f"{total:,} dossiers, {communes:,} communes; province {province}, commune {commune}")
    period = Period.of(UNTIL.date() - timedelta(6), UNTIL.date(), now=UNTIL)

    # page -> (the package calls its view makes, the pandas implementation of the same figures)
    cases = {
        "league": (
            [(league.league_table, (period, province))],
            lambda: pandas_ranking(df, ref, period, province),
        ),
        "live": (
            [(live.hourly, (UNTIL, province)), (live.open_by, (UNTIL, "commune", province))],
            lambda: (
                pandas_hourly(df, UNTIL.date(), UNTIL, province),
                pandas_open_now(df, UNTIL, province),
            ),
        ),
        "commune": (
            [
                (drilldown.score_lift, (period, commune, province)),
                (drilldown.trend_vs_city, (period.date_to, commune, province)),
                (drilldown.overdue_dossiers, (CITY, UNTIL, commune, province)),
            ],
            lambda: pandas_commune_page(df, period, commune, UNTIL, province),
        ),
        "overview (extension)": (
            [
                (drilldown.procedure_mix, (period, province)),
                (anomalies.anomalies, (period.date_to, province)),
            ],
            lambda: pandas_overview(df, period, province),
        ),
        "kpi_map": (
            [(kpi_map.map_features, (period, "online_rate", province))],
            lambda: pandas_map_features(df, ref, period, "online_rate", province),
        ),
    }
    # What a view costs once its figures were computed ahead for this minute and data version
    # (ioc/precompute.py): the refresh (the same calls, run by the app's thread before the views)
    # and the view's lookups, timed apart.
    recipes = {
        name: [precompute.recipe(func, args, {}) for func, args in calls]
        for name, (calls, _) in cases.items()
    }
    refreshes, views = {}, {}
    for name, found in recipes.items():
        versions = iter(range(10**9))
        refreshes[name] = timed(
            lambda found=found, versions=versions: precompute.refresh(
                lambda: store.cursor(con), f"v{next(versions)}", UNTIL, found
            ),
            args.reps,
        )
        precompute.refresh(lambda: store.cursor(con), "view", UNTIL, found)
        views[name] = timed(
            lambda found=found: [precompute.lookup(r, "view") for r in found], args.reps
        )
    # DuckDB first, as a server has it: timed after pandas' 12 GB load, its p95 grew 2-4x
    ours = {
        name: timed(lambda calls=calls: [func(con, *a) for func, a in calls], args.reps)
        for name, (calls, _) in cases.items()
    }
    con.close()
    apptests = {}
    for page in PAGES:
        # the drill-down needs a commune; the other pages show the whole province
        query = {"period": "7d"} | ({"commune": commune} if page == "pages/drilldown.py" else {})
        apptests[page] = apptest_seconds(page, query)
    app_rss = rss_mb()

    con = store.connect(path)  # the app's connection is still open, writable
    start = time.perf_counter()
    df, ref = pandas_frame(con), pandas_reference(con)
    print(f"pandas load: {time.perf_counter() - start:.1f} s (not counted in the ratios)")
    theirs = pandas_commune_counts(df, period, province, median=True)
    voice = pandas_voice_counts(df, ref, period, province)
    theirs = theirs.join(voice.reindex(theirs.index, fill_value=0)).sort_index()
    mine = kpi.kpi_counts(con, period, "commune", province, median=True)
    mine = mine.to_pandas().set_index("group_key")
    same = all(
        (theirs[c].fillna(-1).round(9) == mine.loc[theirs.index, c].fillna(-1).round(9)).all()
        for c in mine.columns
    )
    print(f"pandas counts equal to kpi_counts.sql: {same} ({len(theirs)} communes)")
    print(f"pandas ranking and map equal to the pages': {same_figures(con, df, ref, period)}")
    print(f"{'page':<22}{'duckdb p50':>12}{'p95':>9}{'pandas p50':>12}{'p95':>9}{'ratio':>8}")
    pandas_times = {}
    for name, (_, theirs) in cases.items():
        p50, p95 = ours[name]
        q50, q95 = pandas_times[name] = timed(theirs, args.reps)
        print(f"{name:<22}{p50:>11.3f}s{p95:>8.3f}s{q50:>11.3f}s{q95:>8.3f}s{q95 / p95:>7.1f}x")
    print("computed ahead (ioc/precompute.py): the refresh of the page's figures, and a view")
    print(f"{'page':<22}{'refresh p95':>12}{'ratio':>8}{'view p50':>12}{'p95':>10}{'ratio':>10}")
    for name, (_, q95) in pandas_times.items():
        r95, (v50, v95) = refreshes[name][1], views[name]
        print(
            f"{name:<22}{r95:>11.3f}s{q95 / r95:>7.1f}x{v50 * 1e3:>10.3f}ms"
            f"{v95 * 1e3:>8.3f}ms{q95 / v95:>9.0f}x"
        )
    con.close()
    for page, (cold, warm) in apptests.items():
        print(f"AppTest {page:<20} cold {cold:6.2f} s   warm {warm:6.2f} s")
    print(f"max RSS: {app_rss:.0f} MB before the pandas copy, {rss_mb():.0f} MB with it")


if __name__ == "__main__":
    main()
