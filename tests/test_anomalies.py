"""Anomalies: online share and throughput falls against the commune's own last four weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from builders import build_store
from fixtures import C1, C2, C3, P2

from ioc import anomalies, store
from ioc.workdays import is_working_day

END = date(2025, 10, 12)  # recent window 06-12/10 (5 working days)
BASELINE = [d for d in (date(2025, 9, 8) + timedelta(n) for n in range(28)) if is_working_day(d)]
RECENT = [d for d in (date(2025, 10, 6) + timedelta(n) for n in range(7)) if is_working_day(d)]


def dossiers(commune: str, days: list[date], per_day: int, online: int, resolved: bool):
    """per_day dossiers on each day, the first `online` of them online; resolved the same day."""
    rows = []
    for day in days:
        for n in range(per_day):
            received = datetime.combine(day, datetime.min.time()).replace(hour=9)
            row = {
                "id": f"{commune}-{day:%m%d}-{n}",
                "commune": commune,
                "procedure": P2,
                "channel": "online" if n < online else "direct",
                "received": received,
                "due": received.replace(hour=17),
            }
            if resolved:
                row |= {"status": "returned", "finished": received.replace(hour=15)}
            rows.append(row)
    return rows


@pytest.fixture
def con(tmp_path):
    assert len(BASELINE) == 20 and len(RECENT) == 5
    rows = (
        # C1: 2 a day before, both online on 16 of 20 days (32 / 40 = 80%); now 4 a day, 2 online
        dossiers(C1, BASELINE[:16], 2, 2, False)
        + dossiers(C1, BASELINE[16:], 2, 0, False)
        + dossiers(C1, RECENT, 4, 2, False)
        # C2: resolves 2 per working day before, 1 per working day now (-50%)
        + dossiers(C2, BASELINE, 2, 0, True)
        + dossiers(C2, RECENT, 1, 0, True)
        # C3: 2 before, 8 in 5 days now = 1.6 a day (-20%): not an anomaly
        + dossiers(C3, BASELINE, 2, 0, True)
        + dossiers(C3, RECENT[:4], 2, 0, True)
    )
    c = store.connect(build_store(tmp_path / "anomalies.duckdb", rows))
    yield c
    c.close()


def test_anomalies_by_hand(con):
    found = anomalies.anomalies(con, END, "01")
    assert found.select("commune_code", "kind").rows() == [
        (C2, "throughput_drop"),  # fall 50%
        (C1, "online_drop"),  # 80% -> 50%: fall 37.5% of the level
    ]
    c1 = found.filter(found["commune_code"] == C1).row(0, named=True)
    assert c1["baseline"] == pytest.approx(80.0)  # 32 / 40
    assert c1["recent"] == pytest.approx(50.0)  # 10 / 20
    c2 = found.filter(found["commune_code"] == C2).row(0, named=True)
    assert (c2["baseline"], c2["recent"]) == pytest.approx((2.0, 1.0))
