"""Benchmark of the capacity figures (issue 19): the communes' workload, the officers' workload and
the 10-working-day queue projection of every commune, nationally.

Builds a store with ioc.demo.build(scale='national', dossiers=N) over the 3,321 communes (its
roster: about five officers a commune, some 16,000 officers), then prints p50 / p95 of the package
functions (DuckDB queries + numpy) against a plain pandas implementation of the same figures on
the same data in the same run (the pandas copy of the tables read once, outside the timing), and
checks that both give the same numbers.
Usage: python benchmarks/bench_capacity.py [--dossiers 2000000] [--reps 21] [--db DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import timed  # noqa: E402

from ioc import capacity, demo, store  # noqa: E402
from ioc.kpi import Period  # noqa: E402
from ioc.scope import CITY  # noqa: E402
from ioc.workdays import HOLIDAYS  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
OPEN = ("accepted", "processing", "supplement_requested", "payment_requested")
RECEIVED_OUT = ("registered", "rejected")
HANDLED_OUT = ("registered", "rejected", "withdrawn", "stopped")


def load_pandas(con) -> dict[str, pd.DataFrame]:
    """The tables the figures come from, as pandas frames (read once)."""
    return {
        "dossiers": con.execute(
            "select dossier_id, commune_code, procedure_code, status, received_at, finished_at, "
            "due_at from dossiers"
        ).df(),
        "steps": con.execute("select dossier_id, step_at, officer_id from dossier_steps").df(),
        "roster": con.execute("select * from staff_roster").df(),
        "secondments": con.execute("select * from secondments").df(),
        "procedures": con.execute("select procedure_code, statutory_days from procedures").df(),
        "communes": con.execute("select commune_code, commune_name from communes").df(),
    }


def _on_duty(roster: pd.DataFrame, secondments: pd.DataFrame, days: list[date]) -> pd.DataFrame:
    """Officers on duty per commune and day (roster shares + secondments)."""
    out = []
    for day in days:
        stamp = pd.Timestamp(day)
        r = roster[
            (roster.from_date <= stamp) & (roster.to_date.isna() | (roster.to_date >= stamp))
        ]
        s = secondments[(secondments.from_date <= stamp) & (secondments.to_date >= stamp)]
        both = pd.concat(
            [
                r[["commune_code"]].assign(officers=r.time_share),
                s[["commune_code"]].assign(officers=s.officers * s.time_share),
            ]
        )
        out.append(both.groupby("commune_code").officers.sum().rename(day))
    return pd.concat(out, axis=1).fillna(0.0) if out else pd.DataFrame()


def pandas_commune_workload(t: dict, period: Period) -> pd.DataFrame:
    d = t["dossiers"]
    start, end = pd.Timestamp(period.date_from), pd.Timestamp(period.date_to)
    day = d.received_at.dt.normalize()
    received = d[~d.status.isin(RECEIVED_OUT) & day.between(start, end)]
    handled = d[~d.status.isin(HANDLED_OUT) & d.received_at.notna() & (day <= end)]
    still = handled[handled.finished_at.isna() | (handled.finished_at.dt.normalize() > end)]
    overdue = still[still.due_at.dt.normalize() < end]
    days = capacity.working_days(period.date_from, period.date_to)
    duty = _on_duty(t["roster"], t["secondments"], sorted({*days, period.date_to}))
    frame = pd.DataFrame(index=t["communes"].commune_code)
    frame["received"] = received.groupby("commune_code").size()
    frame["open_at_end"] = still.groupby("commune_code").size()
    frame["open_overdue"] = overdue.groupby("commune_code").size()
    frame["officer_days"] = duty[days].sum(axis=1)
    frame["officers"] = duty[period.date_to]
    frame = frame.fillna(0)
    frame["received_per_officer_day"] = frame.received / frame.officer_days.where(
        frame.officer_days > 0
    )
    frame["open_per_officer"] = frame.open_at_end / frame.officers.where(frame.officers > 0)
    frame["overdue_share"] = frame.open_overdue / frame.open_at_end.where(frame.open_at_end > 0)
    return frame


def pandas_officer_workload(t: dict, period: Period) -> pd.DataFrame:
    """Per commune and officer: officer-days, steps, received (first step), open and overdue
    (latest step), as ioc.capacity.officer_workload."""
    start, end = pd.Timestamp(period.date_from), pd.Timestamp(period.date_to)
    s = t["steps"].merge(t["dossiers"], on="dossier_id")
    s = s[s.step_at.dt.normalize() <= end]
    day = s.step_at.dt.normalize()
    key = ["commune_code", "officer_id"]
    steps = s[s.officer_id.notna() & (day >= start)].groupby(key).size().rename("steps")
    ordered = s.sort_values("step_at")
    first = ordered.groupby("dossier_id").head(1)
    rday = first.received_at.dt.normalize()
    took = first[
        ~first.status.isin(RECEIVED_OUT) & first.officer_id.notna() & rday.between(start, end)
    ]
    received = took.groupby(key).size().rename("received")
    latest = ordered[ordered.officer_id.notna()].groupby("dossier_id").tail(1)
    handled = latest[~latest.status.isin(HANDLED_OUT) & latest.received_at.notna()
                     & (latest.received_at.dt.normalize() <= end)]  # fmt: skip
    still = handled[handled.finished_at.isna() | (handled.finished_at.dt.normalize() > end)]
    open_ = still.groupby(key).size().rename("open")
    overdue = still[still.due_at.dt.normalize() < end].groupby(key).size().rename("overdue")
    days = capacity.working_days(period.date_from, period.date_to)
    r = t["roster"]
    parts = []
    for day_ in days:
        stamp = pd.Timestamp(day_)
        on = r[(r.from_date <= stamp) & (r.to_date.isna() | (r.to_date >= stamp))]
        parts.append(on[[*key, "time_share"]])
    officer_days = pd.concat(parts).groupby(key).time_share.sum().rename("officer_days")
    frame = pd.concat([officer_days, steps, received, open_, overdue], axis=1).fillna(0)
    frame["steps_per_day"] = frame.steps / frame.officer_days.where(frame.officer_days > 0)
    frame["received_per_day"] = frame.received / frame.officer_days.where(frame.officer_days > 0)
    frame["overdue_share"] = frame.overdue / frame.open.where(frame.open > 0)
    return frame


def pandas_projection(t: dict, as_of: datetime) -> pd.DataFrame:
    """The same model as ioc.capacity.project (its docstring), in pandas."""
    today = as_of.date()
    window = capacity.working_days_before(today, capacity.WINDOW)
    coming = capacity.working_days_after(today, capacity.HORIZON)
    d = t["dossiers"]
    first, last = pd.Timestamp(window[0]), pd.Timestamp(today - timedelta(1))
    rday = d.received_at.dt.normalize()
    fday = d.finished_at.dt.normalize()
    codes = t["communes"].commune_code.sort_values().to_numpy()
    got = d[~d.status.isin(RECEIVED_OUT) & rday.between(first, last)]
    done = d[d.status.isin(("finished", "returned")) & fday.between(first, last)]
    arrive = got.groupby("commune_code").size().reindex(codes, fill_value=0) / len(window)
    rate = done.groupby("commune_code").size().reindex(codes, fill_value=0) / len(window)
    lags = got.merge(t["procedures"], on="procedure_code")
    lags["lag"] = np.minimum(np.ceil(lags.statutory_days.fillna(0)), capacity.MAX_LAG).astype(int)
    mix = lags.groupby(["commune_code", "lag"]).size().unstack(fill_value=0)
    mix = mix.reindex(index=codes, columns=range(int(mix.columns.max()) + 1), fill_value=0)
    mix.loc[mix.sum(axis=1) == 0, 0] = 1
    mix = mix.div(mix.sum(axis=1), axis=0)
    duty = _on_duty(t["roster"], t["secondments"], [*window, *coming]).reindex(codes, fill_value=0)
    past = duty[window].sum(axis=1)
    per_day = rate * len(window) / past.where(past > 0)
    capacity_k = duty[coming].mul(per_day, axis=0)
    capacity_k = capacity_k.where(per_day.notna(), other=pd.DataFrame(
        np.repeat(rate.to_numpy()[:, None], len(coming), axis=1), index=codes, columns=coming
    ))  # fmt: skip
    buckets = capacity.HORIZON + mix.shape[1] + 1
    handled = d[~d.status.isin(HANDLED_OUT) & d.received_at.notna() & (rday <= pd.Timestamp(today))]
    still = handled[handled.finished_at.isna() | (fday.loc[handled.index] > pd.Timestamp(today))]
    due = still.due_at.dt.normalize().to_numpy().astype("datetime64[D]")
    known = ~np.isnat(due)
    bucket = np.full(len(still), buckets - 1)
    bucket[known] = np.clip(
        np.busday_count(np.datetime64(today + timedelta(1)), due[known] + 1,
                        holidays=np.array(sorted(HOLIDAYS), dtype="datetime64[D]")),
        0, buckets - 2,
    )  # fmt: skip
    q = (
        pd.DataFrame({"commune_code": still.commune_code.to_numpy(), "b": bucket})
        .groupby(["commune_code", "b"]).size().unstack(fill_value=0)
        .reindex(index=codes, columns=range(buckets), fill_value=0).astype(float)
    )  # fmt: skip
    overdue = pd.DataFrame(index=codes, columns=coming, dtype=float)
    for k in range(1, capacity.HORIZON + 1):
        span = min(mix.shape[1], buckets - 1 - k)
        for lag in range(span):
            q[k + lag] += arrive * mix[lag]
        order = [k, *range(k), *range(k + 1, buckets)]
        ordered = q[order]
        before = ordered.cumsum(axis=1) - ordered
        served = (-before).add(capacity_k[coming[k - 1]], axis=0).clip(lower=0).clip(upper=ordered)
        q = q - served[list(range(buckets))]
        overdue[coming[k - 1]] = q[list(range(k))].sum(axis=1)
    return overdue


def project_only(con) -> np.ndarray:
    """The same work as pandas_projection: the starting state and the 10 days' overdue."""
    state = capacity.queue_state(con, UNTIL, None)
    return capacity.simulate(state.queue, state.arrive, state.mix, state.capacity).overdue


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=21)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = args.db or Path(tempfile.mkdtemp(prefix="ioc-bench-capacity-"))
    path = folder / "capacity.duckdb"
    con = store.connect(path)
    if store.is_empty(con):
        started = time.perf_counter()
        demo.build(con, UNTIL, scale="national", dossiers=args.dossiers)
        print(f"built the national store in {time.perf_counter() - started:.0f} s: {path}")
    officers = con.execute("select count(distinct officer_id) from staff_roster").fetchone()[0]
    communes = con.execute("select count(*) from communes").fetchone()[0]
    dossiers = con.execute("select count(*) from dossiers").fetchone()[0]
    steps = con.execute("select count(*) from dossier_steps").fetchone()[0]
    print(f"{communes:,} communes, {officers:,} officers, {dossiers:,} dossiers, {steps:,} steps")
    period = Period.of(date(2025, 11, 10), date(2025, 12, 9), UNTIL)
    t = load_pandas(con)

    # same figures, same data
    ours = capacity.commune_workload(con, period, None).to_pandas().set_index("commune_code")
    theirs = pandas_commune_workload(t, period)
    for column in ("received", "open_at_end", "open_overdue", "officer_days", "officers"):
        assert np.allclose(ours[column].astype(float), theirs.loc[ours.index, column]), column
    officer = capacity.officer_workload(con, CITY, period, None).to_pandas()
    theirs_o = pandas_officer_workload(t, period)
    mine = officer.set_index(["commune_code", "officer_id"]).sort_index()
    theirs_o = theirs_o.reindex(mine.index).fillna(0)
    for column in ("officer_days", "steps", "received", "open", "overdue"):
        assert np.allclose(mine[column].astype(float), theirs_o[column]), column
    projected = capacity.project(con, UNTIL, None).to_pandas().set_index("commune_code")
    overdue_pd = pandas_projection(t, UNTIL)
    ours_overdue = np.array(projected.loc[overdue_pd.index, "overdue"].tolist())
    assert np.allclose(ours_overdue, overdue_pd.to_numpy(), atol=1e-6), "projection"
    print("checked: the same figures from both")

    rows = [
        ("commune workload", lambda: capacity.commune_workload(con, period, None),
         lambda: pandas_commune_workload(t, period)),
        ("officer workload", lambda: capacity.officer_workload(con, CITY, period, None),
         lambda: pandas_officer_workload(t, period)),
        ("projection: open, overdue", lambda: project_only(con),
         lambda: pandas_projection(t, UNTIL)),
    ]  # fmt: skip
    print(f"{'figure':<30} {'ioc p50':>9} {'ioc p95':>9} {'pandas p50':>11} {'ratio':>7}")
    for name, ours_call, pandas_call in rows:
        p50, p95 = timed(ours_call, args.reps)
        q50, _ = timed(pandas_call, max(3, args.reps // 4))
        print(f"{name:<30} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms {q50 * 1000:>9.0f}ms "
              f"{q50 / p50:>6.1f}x")  # fmt: skip
    p50, p95 = timed(lambda: capacity.project(con, UNTIL, None), args.reps)
    print(f"{'projection + verdicts, missing':<30} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    p50, p95 = timed(lambda: capacity.allocate(con, UNTIL, None, 10, 4), max(3, args.reps // 4))
    print(f"{'allocation of 10 for 4 weeks':<30} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")


if __name__ == "__main__":
    main()
