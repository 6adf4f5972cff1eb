"""KPI targets entered by the admin (issue 6). History is never edited: a new decision is a new
row whose effective date is after every earlier row of the same metric and scope."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from ioc import audit, config, kpi, store, writes

CITY = "city"
METRICS = kpi.TARGETED_RATES


class TargetError(ValueError):
    """A target row the store must not take. `reason` is an i18n key suffix (targets.error.*)."""

    def __init__(self, reason: str, latest: date | None = None):
        super().__init__(reason)
        self.reason = reason
        self.latest = latest


def history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every target row ever entered, newest decision first."""
    return store.run_query(con, "targets_history")


def in_force(con: duckdb.DuckDBPyConnection, on_date: date) -> pl.DataFrame:
    """The rows in force on a day (one per metric and scope), as the KPIs use them."""
    return kpi.targets_in_force(con, on_date)


@writes.op
def add(
    con: duckdb.DuckDBPyConnection,
    metric: str,
    scope: str,
    target: float,
    effective_from: date,
    note: str | None,
    username: str | None,
) -> None:
    """Append a target row (target as a fraction 0..1) and audit it; raises TargetError."""
    if metric not in METRICS:
        raise TargetError("bad_metric")
    if (
        scope != CITY
        and scope
        not in store.run_query(con, "communes_of_province", province=config.DEFAULT_PROVINCE)[
            "commune_code"
        ].to_list()
    ):
        raise TargetError("bad_scope")
    if not 0.0 <= target <= 1.0:
        raise TargetError("bad_value")
    note = (note or "").strip()[:300] or None
    with store.WRITE_LOCK:
        same = history(con).filter((pl.col("metric") == metric) & (pl.col("scope") == scope))
        latest = same["effective_from"].max() if same.height else None
        if latest is not None and effective_from <= latest:
            raise TargetError("before_latest", latest)
        store.execute(
            con,
            "target_insert",
            metric=metric,
            scope=scope,
            target=float(target),
            effective_from=effective_from,
            note=note,
            created_at=audit.wall_clock(),
        )
        # Targets feed the score and the traffic lights, which are cached by data_version.
        current = store.get_meta(con, "data_version", "0") or "0"
        following = str(int(current) + 1) if current.isdigit() else f"{current}+1"
        store.set_meta(con, "data_version", following)
    audit.record(
        con,
        username,
        audit.TARGET_ADD,
        None if scope == CITY else scope,
        f"{metric} {target:.4f} from {effective_from.isoformat()}",
    )
