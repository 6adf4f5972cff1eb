"""Benchmark of the national index (issue 18, docs/index-766.md): every commune's index 766 over a
month of Hanoi's demo (126 communes, about 1.4 million dossiers in the store).

Builds the Hanoi demo with ioc.demo.build (or reuses --db), then prints p50 / p95 of
ioc.index766.index_766 (one DuckDB query for the dossiers' facts and supplement cycles, Polars for the
judging and counting) against a plain pandas implementation of the same dossier indicators on the same
data in the same run (the pandas copy of the tables read once, outside the timing), and checks that
both give the same values.
Usage: python benchmarks/bench_index766.py [--reps 11] [--db DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import timed  # noqa: E402

from ioc import demo, index766, store  # noqa: E402
from ioc.kpi import Period  # noqa: E402
from ioc.workdays import add_working_days  # noqa: E402

UNTIL = datetime(2025, 12, 10, 15, 0)
PROVINCE = "01"
CHECKED = ("i1_4", "i2_1", "i3_1", "i3_2", "i3_3", "i3_5", "i3_6", "i4_1", "i4_3", "i4_5")


def load_pandas(con) -> dict[str, pd.DataFrame]:
    """The tables the index reads, as pandas frames (read once)."""
    return {
        "dossiers": con.execute(
            "select d.* from dossiers as d inner join communes as c using (commune_code) "
            "where c.province_code = ?",
            [PROVINCE],
        ).df(),
        "steps": con.execute("select dossier_id, step_at, status_after from dossier_steps").df(),
        "procedures": con.execute("select * from procedures").df(),
    }


def pandas_index(t: dict, period: Period) -> pd.DataFrame:
    """The dossier indicators of index_766 per commune, written out in pandas."""
    d0, d1 = pd.Timestamp(period.date_from), pd.Timestamp(period.date_to)
    as_of = pd.Timestamp(period.as_of)
    p = t["procedures"].set_index("procedure_code")
    d = t["dossiers"].copy()
    d["period_day"] = d.received_at.fillna(d.submitted_at).dt.normalize()
    d = d[d.period_day.notna() & (d.period_day <= d1)]
    d = d[(d.period_day >= d0) | d.finished_at.isna() | (d.finished_at.dt.normalize() >= d0)]
    d["level"] = d.procedure_code.map(p.service_level).fillna(d.service_level)
    d["fee"] = d.procedure_code.map(p.has_fee).fillna(d.has_fee).fillna(False).astype(bool)
    d["days"] = d.procedure_code.map(p.statutory_days)
    d["paper"] = d.procedure_code.map(p.paper_result).fillna(False).astype(bool)
    d["published"] = d.procedure_code.map(p.published)

    # supplement cycles
    s = t["steps"][t["steps"].dossier_id.isin(d.dossier_id)].sort_values(["dossier_id", "step_at"])
    is_supp = s.status_after == "supplement_requested"
    prev = s.groupby("dossier_id").status_after.shift()
    s = s.assign(opens=is_supp & (prev != "supplement_requested"))
    other_at = s.step_at.where(~is_supp)
    # the next other step after each step: backward fill of the other steps' times, shifted
    s["next_other"] = other_at.groupby(s.dossier_id).transform(lambda x: x[::-1].cummin()[::-1])
    s["next_other"] = s.groupby("dossier_id").next_other.shift(-1)
    cycles = s[s.opens][["dossier_id", "step_at", "next_other"]]
    requests = cycles.groupby("dossier_id").size()
    first_open = cycles.groupby("dossier_id").step_at.min()
    ended = s[s.status_after.isin(["stopped", "withdrawn"])].groupby("dossier_id").step_at.min()
    d = d.set_index("dossier_id")
    d["requests"] = requests.reindex(d.index).fillna(0)
    wait = (d.status == "supplement_requested") & (d.requests == 1)
    end = d.finished_at.fillna(d.returned_at).fillna(ended.reindex(d.index))
    end = end.fillna(first_open.reindex(d.index).where(wait))
    handled = end.notna() & end.dt.normalize().between(d0, d1)
    in_hand = end.isna() | (end.dt.normalize() > d1)
    unknown = end.isna() & d.status.isin(["withdrawn", "stopped"])
    accepted = ~d.status.isin(["registered", "rejected"]) & d.received_at.notna()
    judged = end.where(handled, as_of)
    c = cycles.assign(judged=cycles.dossier_id.map(judged))
    c = c[c.next_other.notna() & (c.next_other <= c.judged)]
    supp = (c.next_other - c.step_at).groupby(c.dossier_id).sum()
    supp = supp.reindex(d.index).fillna(pd.Timedelta(0))
    by_max = {}
    deadline = d.due_at.copy()
    for i in np.flatnonzero(deadline.isna() & d.days.notna() & d.received_at.notna()):
        start, days = d.received_at.iloc[i], d.days.iloc[i]
        key = (start.date(), days)
        if key not in by_max:
            by_max[key] = add_working_days(start.to_pydatetime(), days)
        deadline.iloc[i] = by_max[key]
    counted = (
        accepted & (d.received_at.dt.normalize() <= d1) & (handled | in_hand) & ~unknown
    ) & deadline.notna()
    on_time = counted & ((judged - supp) <= deadline) & (d.requests < 2)

    of = d.period_day.between(d0, d1)
    online = (d.channel == "online") & (~d.paper | d.e_result_issued.fillna(False).astype(bool))
    result = d.finished_at.notna()
    flag = {c: d[c].fillna(False).astype(bool) for c in (
        "synced_to_portal", "paid_online", "e_result_issued", "digitized", "vneid_verified")}  # fmt: skip
    g = d.commune_code
    frame = pd.DataFrame(
        {
            "n2_1": on_time.groupby(g).sum(),
            "d2_1": counted.groupby(g).sum(),
            "n1_4": (of & flag["synced_to_portal"]).groupby(g).sum(),
            "d": of.groupby(g).sum(),
            "n3_3": (of & online).groupby(g).sum(),
            "n3_6": (of & d.fee & flag["paid_online"]).groupby(g).sum(),
            "d3_6": (of & d.fee).groupby(g).sum(),
            "n4_1": (of & result & flag["e_result_issued"]).groupby(g).sum(),
            "d4_1": (of & result).groupby(g).sum(),
            "n4_3": (of & flag["digitized"]).groupby(g).sum(),
            "n4_5": (of & flag["vneid_verified"]).groupby(g).sum(),
        }
    )
    share = lambda n, den: (n / den.where(den > 0)).astype(float)  # noqa: E731
    out = pd.DataFrame(index=frame.index)
    out["i2_1"] = share(frame.n2_1, frame.d2_1)
    out["i1_4"] = share(frame.n1_4, frame.d)
    out["i3_3"] = share(frame.n3_3, frame.d) * out.i1_4
    out["i3_6"] = share(frame.n3_6, frame.d3_6)
    out["i4_1"] = share(frame.n4_1, frame.d4_1)
    out["i4_3"] = share(frame.n4_3, frame.d)
    out["i4_5"] = share(frame.n4_5, frame.d)
    used = d[of].assign(
        offered=lambda x: x.level.isin(["full", "partial"]),
        on=lambda x: x.channel == "online",
        paid=flag["paid_online"][of],
    )
    per = used.groupby(["commune_code", "procedure_code"]).agg(
        offered=("offered", "any"), on=("on", "any"), fee=("fee", "any"), paid=("paid", "any")
    )
    per_c = per.groupby(level=0)
    out["i3_1"] = share(per_c.offered.sum(), per_c.size())
    out["i3_2"] = share((per.offered & per.on).groupby(level=0).sum(), per_c.offered.sum())
    out["i3_5"] = share((per.fee & per.paid).groupby(level=0).sum(), per_c.fee.sum())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=11)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = args.db or Path(tempfile.mkdtemp(prefix="ioc-bench-index766-"))
    path = folder / "index766.duckdb"
    con = store.connect(path)
    if store.is_empty(con):
        started = time.perf_counter()
        demo.build(con, UNTIL, scale="hanoi")
        print(f"built the Hanoi demo in {time.perf_counter() - started:.0f} s: {path}")
    dossiers = con.execute("select count(*) from dossiers").fetchone()[0]
    steps = con.execute("select count(*) from dossier_steps").fetchone()[0]
    print(f"{dossiers:,} dossiers, {steps:,} steps")
    period = Period.of(UNTIL.date() - timedelta(days=29), UNTIL.date(), UNTIL)
    t = load_pandas(con)

    ours = index766.index_766(con, period, PROVINCE).to_pandas().set_index("commune_code")
    theirs = pandas_index(t, period)
    for key in CHECKED:
        mine = ours[f"value_{key}"].astype(float)
        other = theirs.loc[mine.index, key].astype(float)
        assert np.allclose(mine, other, equal_nan=True), key
    print(f"checked: the same {len(CHECKED)} indicators of {len(ours)} communes from both")

    p50, p95 = timed(lambda: index766.index_766(con, period, PROVINCE), args.reps)
    q50, _ = timed(lambda: pandas_index(t, period), max(3, args.reps // 4))
    print(f"{'figure':<34} {'ioc p50':>9} {'ioc p95':>9} {'pandas p50':>11} {'ratio':>7}")
    print(f"{'index 766, every commune, 30 days':<34} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms "
          f"{q50 * 1000:>9.0f}ms {q50 / p50:>6.1f}x")  # fmt: skip
    p50, p95 = timed(lambda: index766.index_766(con, period, PROVINCE, grain="city"), args.reps)
    print(f"{'index 766, the city':<34} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    week = Period.of(UNTIL.date() - timedelta(days=6), UNTIL.date(), UNTIL)
    p50, p95 = timed(lambda: index766.index_766(con, week, PROVINCE), args.reps)
    print(f"{'index 766, every commune, 7 days':<34} {p50 * 1000:>7.0f}ms {p95 * 1000:>7.0f}ms")
    con.close()


if __name__ == "__main__":
    main()
