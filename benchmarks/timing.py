"""What every benchmark here times the same way: p50 and p95 of warm runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(func: Callable[[], object], reps: int) -> tuple[float, float]:
    """p50 and p95 (seconds) of `reps` runs of `func`, after one untimed run that reads the data
    into memory, as a running server has it (a pandas frame is in memory too)."""
    func()
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]
