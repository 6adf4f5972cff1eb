"""Staffing rosters (issue 19): who works at which commune's desk, from when to when, for what
share of the time. A roster export is told from a dossier export by its header (an officer column
and no dossier id), read with the usual readers, checked row by row (bad rows quarantined with
their reason) and upserted into staff_roster by (officer, commune, desk, first day): importing the
same roster again changes nothing.

Personal data: an officer is stored by the system's officer id; a full name is masked at the door
(ioc/ingest/pii.py) and the masked name stands in for the id when the export has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from ioc.ingest import load, normalize, pii, validate
from ioc.ingest.aliases import fold
from ioc.ingest.limits import Limits
from ioc.ingest.load import RunResult
from ioc.ingest.readers import ReadError, header_columns, read_table
from ioc.store import execute

ROSTER_FRAME = "ingest_batch_roster"
# Roster column -> header wordings of real rosters (compared after aliases.fold).
ROSTER_ALIASES: dict[str, tuple[str, ...]] = {
    "officer_id": (
        "Mã cán bộ", "Mã CB", "Mã công chức", "Mã CBCC", "Mã nhân viên", "Số hiệu cán bộ",
        "Tài khoản", "Tài khoản cán bộ", "MaCanBo", "officer_id",
    ),
    "officer_name": (
        "Họ tên", "Họ và tên", "Họ tên cán bộ", "Tên cán bộ", "Cán bộ", "Công chức", "HoTen",
        "officer_name",
    ),
    "commune_code": ("Mã xã", "Mã xã/phường", "Mã ĐVHC", "Mã đơn vị", "MaXa", "commune_code"),
    "commune_name": (
        "Xã/Phường", "Xã phường", "Xã, phường", "Tên xã", "Đơn vị", "Đơn vị công tác", "commune",
        "commune_name",
    ),
    "desk": (
        "Bộ phận", "Bộ phận công tác", "Phòng ban", "Phòng", "Quầy", "Vị trí", "Vị trí công tác",
        "BoPhan", "desk", "department",
    ),
    "from_date": ("Từ ngày", "Ngày bắt đầu", "Ngày nhận nhiệm vụ", "Bắt đầu", "TuNgay", "from_date"),
    "to_date": ("Đến ngày", "Ngày kết thúc", "Kết thúc", "DenNgay", "to_date"),
    "time_share": (
        "Tỷ lệ thời gian", "Tỉ lệ thời gian", "Tỷ lệ", "% thời gian", "Thời gian tại bộ phận",
        "TyLeThoiGian", "time_share",
    ),
    "seconded_from": (
        "Biệt phái từ", "Đơn vị biệt phái", "Cơ quan cử", "Đơn vị cử", "seconded_from",
    ),
}  # fmt: skip
ROSTER_HEADER_OF = {fold(a): k for k, names in ROSTER_ALIASES.items() for a in names}
# Checked in this order; a row is quarantined under the first reason it meets.
REASONS = (
    "value_too_long",
    "no_officer",
    "unknown_commune",
    "ambiguous_commune",
    "no_desk",
    "bad_date",
    "no_from_date",
    "date_order",
    "bad_share",
    "roster_conflict",
)
KEY = ("officer_id", "commune_code", "desk", "from_date")
SCHEMA = {
    "officer_id": pl.String,
    "officer_masked": pl.String,
    "commune_code": pl.String,
    "desk": pl.String,
    "from_date": pl.Date,
    "to_date": pl.Date,
    "time_share": pl.Float64,
    "seconded_from": pl.String,
}
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$")


def is_roster_file(path: Path) -> bool:
    """A roster by its header: an officer column, a desk or a first day, and no dossier id."""
    from ioc.ingest.aliases import HEADER_OF

    found = header_columns(path, ROSTER_HEADER_OF)
    has_officer = bool({"officer_id", "officer_name"} & found.keys())
    if not has_officer or not ({"desk", "from_date"} & found.keys()):
        return False
    return "dossier_id" not in header_columns(path, HEADER_OF)


def read_share(text: str | None) -> float | None:
    """The share of time at the desk, 0 < share <= 1: '100%', '50 %', '0,5', '0.25', '1'; a
    number over 1 is a percentage written without its sign ('50'). Empty: full time (1.0).
    None when unreadable or out of range."""
    if text is None or not str(text).strip():
        return 1.0
    match = _NUMBER.match(str(text))
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    if match.group(2) or value > 1:
        value /= 100
    return value if 0 < value <= 1 else None


def check(
    table, index: normalize.CommuneIndex
) -> tuple[pl.DataFrame, list[tuple[int, dict, str, dict]]]:
    """Roster rows to load (SCHEMA, one per key) and the rejected rows (row number, raw values
    with names masked, reason code, reason detail)."""
    raw = table.frame.select(pl.all().cast(pl.String))
    cols = table.columns
    names = pii.mask_names(raw[cols["officer_name"]]) if "officer_name" in cols else None
    limit = Limits.from_env().value_chars
    dates = {}
    for name in ("from_date", "to_date"):
        if name in cols:
            parsed, bad = normalize.parse_datetimes(raw[cols[name]])
            dates[name] = (parsed.dt.date(), bad)
    rows, rejected = [], []
    for i, values in enumerate(raw.iter_rows(named=True)):
        number = int(table.row_numbers[i])

        def get(column: str, values=values) -> str | None:
            value = values.get(cols[column]) if column in cols else None
            return value.strip() if isinstance(value, str) and value.strip() else None

        masked = names[i] if names is not None else None
        shown = dict(values)
        if "officer_name" in cols:
            raw_name = values.get(cols["officer_name"])
            shown[cols["officer_name"]] = masked or (pii.MASKED if raw_name else None)
        officer = get("officer_id") or masked
        commune_text = get("commune_code") or get("commune_name")
        code, problem = index.resolve(commune_text) if commune_text else (None, "unknown")
        first, first_bad = _date_at(dates, "from_date", i)
        last, last_bad = _date_at(dates, "to_date", i)
        share = read_share(get("time_share"))
        reason, detail = None, {}
        if any(isinstance(v, str) and len(v) > limit for v in values.values()):
            reason, detail = "value_too_long", {"chars": str(limit)}
        elif officer is None:
            reason = "no_officer"
        elif code is None:
            reason = "ambiguous_commune" if problem == "ambiguous" else "unknown_commune"
            detail = {"value": commune_text or ""}
        elif get("desk") is None:
            reason = "no_desk"
        elif first_bad or last_bad:
            column = "from_date" if first_bad else "to_date"
            reason, detail = "bad_date", {"column": cols[column], "value": get(column) or ""}
        elif first is None:
            reason = "no_from_date"
        elif last is not None and last < first:
            reason = "date_order"
            detail = {"column": cols["to_date"], "value": get("to_date") or "", "before": ""}
            detail["before"] = f"{cols['from_date']} {get('from_date')}"
        elif share is None:
            reason, detail = "bad_share", {"value": get("time_share") or ""}
        row = {
            "officer_id": officer,
            "officer_masked": masked,
            "commune_code": code,
            "desk": get("desk"),
            "from_date": first,
            "to_date": last,
            "time_share": share,
            "seconded_from": get("seconded_from"),
        }
        if reason is None:
            rows.append((number, shown, row))
        else:
            rejected.append((number, shown, reason, detail))
    # One row per key: a row given twice is loaded once; a key given twice with different values
    # is not guessed, every copy of it is quarantined.
    versions: dict[tuple, list[dict]] = {}
    for _, _, row in rows:
        versions.setdefault(tuple(row[k] for k in KEY), []).append(row)
    kept: dict[tuple, dict] = {}
    for number, shown, row in rows:
        key = tuple(row[k] for k in KEY)
        if all(other == row for other in versions[key]):
            kept.setdefault(key, row)
        else:
            rejected.append((number, shown, "roster_conflict", {"value": row["officer_id"]}))
    rejected.sort(key=lambda r: r[0])
    loaded = list(kept.values())
    frame = (
        pl.DataFrame(loaded, schema=SCHEMA, orient="row") if loaded else pl.DataFrame(schema=SCHEMA)
    )
    return frame, rejected


def _date_at(dates: dict, name: str, i: int) -> tuple[date | None, bool]:
    if name not in dates:
        return None, False
    values, bad = dates[name]
    return values[i], bool(bad[i])


def prepare(
    con: duckdb.DuckDBPyConnection, path: Path, result: RunResult, province: str | None = None
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Read and check a roster; return the writer to run inside the import's transaction."""
    result.rows_read, frame, quarantine = _checked(con, path, province)
    result.kind = "roster"
    result.rows_quarantined = quarantine.height

    def write(con: duckdb.DuckDBPyConnection) -> None:
        with load.registered(con, ROSTER_FRAME, frame):
            counts = execute(con, "ingest_roster_counts").row(0, named=True)
            result.rows_inserted, result.rows_updated = counts["inserted"], counts["updated"]
            execute(con, "ingest_delete_roster")
            execute(
                con,
                "ingest_insert_roster",
                run_id=result.run_id,
                source_file=result.source_file,
            )
        load.write_quarantine(con, result, quarantine)

    return write


def _checked(
    con: duckdb.DuckDBPyConnection, path: Path, province: str | None
) -> tuple[int, pl.DataFrame, pl.DataFrame]:
    """Rows read, the rows to load and the quarantine rows of a roster."""
    table = read_table(path, ROSTER_HEADER_OF)
    if table.frame.height == 0:
        raise ReadError("a header but no data rows: nothing to import")
    frame, rejected = check(table, normalize.CommuneIndex.from_store(con, province))
    return table.frame.height, frame, validate.rejected_frame(rejected)


def preview(con: duckdb.DuckDBPyConnection, path: Path, province: str | None = None) -> dict:
    """The dry run of a roster import, nothing written (validate.dry_run's figures)."""
    rows_read, frame, quarantine = _checked(con, path, province)
    with load.registered(con, ROSTER_FRAME, frame):
        counts = execute(con, "ingest_roster_counts").row(0, named=True)
    return validate.dry_run(rows_read, frame.height, counts, quarantine)
