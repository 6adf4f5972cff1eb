"""Validation: which normalised rows go to the store and which to quarantine, with the reason in
Vietnamese and English and the raw row (personal data masked). Nothing is dropped silently: a row
is loaded, merged with an identical copy of itself in the same file, or quarantined.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from ioc.i18n import fmt_datetime, t
from ioc.ingest import normalize, pii
from ioc.ingest.aliases import DATE_COLUMNS, FLAG_COLUMNS, PII_COLUMNS
from ioc.ingest.normalize import READ_AMBIGUOUS, STORE_COLUMNS
from ioc.ingest.readers import RawTable

# Checked in this order; a row is quarantined under the first reason it meets. A row longer than
# its header comes first: its cells may have slid under the wrong headers, so no other check holds.
REASONS = (
    "too_many_cells",
    "value_too_long",
    "no_id",
    "bad_date",
    "date_out_of_range",
    "no_received",
    "ambiguous_value",
    "unknown_channel",
    "unknown_status",
    "unknown_level",
    "unknown_flag",
    "unknown_commune",
    "ambiguous_commune",
    "date_order",
    "future_date",
    "duplicate_conflict",
)
FUTURE_SLACK = timedelta(days=1)
# Dates that record something that happened (a due date is naturally in the future).
EVENT_DATES = ("submitted_at", "received_at", "finished_at", "returned_at", "rejected_at")
# No date of a dossier before this one (a year read wrong, a placeholder such as 01/01/1900), and
# no due date further ahead than DUE_HORIZON (the longest procedures take months, not years).
EARLIEST = datetime(2000, 1, 1)
DUE_HORIZON = timedelta(days=3 * 365)
# (earlier, later): every pair of dates whose order a dossier's life fixes.
ORDERED_PAIRS = (
    ("submitted_at", "received_at"),
    ("received_at", "due_at"),
    ("received_at", "finished_at"),
    ("received_at", "returned_at"),
    ("received_at", "rejected_at"),
    ("finished_at", "returned_at"),
)
QUARANTINE_SCHEMA = {
    "row_number": pl.Int64,
    "raw_values": pl.String,
    "reason_code": pl.String,
    "reason_vi": pl.String,
    "reason_en": pl.String,
}


@dataclass
class Checked:
    rows: pl.DataFrame  # store columns (+ procedure_name) of the rows to load, one per dossier
    quarantine: pl.DataFrame  # row_number, raw_values, reason_code, reason_vi, reason_en
    merged: int  # identical repeats of a dossier within the file, loaded once


def _masks(frame: pl.DataFrame, now: datetime) -> dict[str, pl.Expr]:
    future = now + FUTURE_SLACK
    return {
        "too_many_cells": pl.col("_too_many_cells"),
        "no_id": pl.col("dossier_id").is_null(),
        "bad_date": pl.any_horizontal([pl.col(f"_bad_{c}") for c in DATE_COLUMNS]),
        "no_received": pl.col("received_at").is_null()
        & ~((pl.col("status") == "registered") & pl.col("submitted_at").is_not_null()),
        "ambiguous_value": pl.any_horizontal(
            [pl.col(f"_ambiguous_{c}") for c in READ_AMBIGUOUS]
        ).fill_null(False),
        "unknown_channel": pl.col("_bad_channel"),
        "unknown_status": pl.col("status").is_null(),
        "unknown_level": pl.col("_bad_service_level"),
        "unknown_flag": pl.any_horizontal(
            [pl.col(f"_bad_{c}") for c in ("paid_online", *FLAG_COLUMNS)]
        ),
        "unknown_commune": pl.col("_commune_problem") == "unknown",
        "ambiguous_commune": pl.col("_commune_problem") == "ambiguous",
        "date_out_of_range": pl.any_horizontal(
            *[pl.col(c) < EARLIEST for c in DATE_COLUMNS], pl.col("due_at") > now + DUE_HORIZON
        ).fill_null(False),
        "value_too_long": pl.col("_too_long"),
        "date_order": pl.any_horizontal(
            [pl.col(later) < pl.col(earlier) for earlier, later in ORDERED_PAIRS]
        ).fill_null(False),
        "future_date": pl.any_horizontal([pl.col(c) > future for c in EVENT_DATES]).fill_null(
            False
        ),
    }


def check(table: RawTable, frame: pl.DataFrame, now: datetime) -> Checked:
    """Split normalised rows into rows to load and quarantined rows (reasons computed here)."""
    masks = _masks(frame, now)
    reason = pl.lit(None, pl.String)
    for code in reversed([c for c in REASONS if c in masks]):
        reason = pl.when(masks[code].fill_null(False)).then(pl.lit(code)).otherwise(reason)
    passing = pl.col("_reason").is_null()
    frame = frame.with_columns(reason.alias("_reason"))
    kept = [*STORE_COLUMNS, "procedure_name", "_row"]
    passed = frame.lazy().filter(passing).select(kept).collect()
    # Counting distinct ids is several times cheaper than flagging the repeated ones: most files
    # repeat none.
    if passed["dossier_id"].n_unique() < passed.height:
        repeated = passed["dossier_id"].is_duplicated()
        # Only the repeated ids need the whole-row comparison (costly on 20 columns).
        value_columns = [c for c in STORE_COLUMNS if c != "dossier_id"]
        distinct = pl.concat(
            [
                passed.filter(~repeated),
                passed.filter(repeated).unique(
                    subset=["dossier_id", *value_columns], keep="first", maintain_order=True
                ),
            ]
        ).sort("_row")
        conflicting = distinct.filter(pl.col("dossier_id").is_duplicated())["dossier_id"].unique()
        frame = frame.with_columns(
            pl.when(pl.col("dossier_id").is_in(conflicting.implode()) & passing)
            .then(pl.lit("duplicate_conflict"))
            .otherwise(pl.col("_reason"))
            .alias("_reason")
        )
        rows = distinct.filter(~pl.col("dossier_id").is_in(conflicting.implode()))
    else:
        distinct = rows = passed
    rejected = frame.filter(~passing)
    return Checked(
        rows.select(*STORE_COLUMNS, "procedure_name"),
        quarantine_rows(table, rejected),
        passed.height - distinct.height,
    )


def _masked_raw(table: RawTable, raw: pl.DataFrame) -> pl.DataFrame:
    """Rows of the raw frame (`raw`) with personal data masked: names as initials, numbers and the
    rest hidden. In a row longer than its header a personal value may have slid right of its
    column, so there every cell from the first personal-data column on is hidden."""
    replacements = []
    for column in PII_COLUMNS:
        header = table.columns.get(column)
        if header is None:
            continue
        if column == "applicant_name":
            replacements.append(pii.mask_names(raw[header]).alias(header))
        else:
            hidden = pl.when(raw[header].is_not_null()).then(pl.lit(pii.MASKED))
            replacements.append(pl.select(hidden.alias(header)).to_series())
    masked = raw.with_columns(replacements) if replacements else raw
    personal = [raw.columns.index(table.columns[c]) for c in PII_COLUMNS if c in table.columns]
    if not table.extra_columns or not personal:
        return masked
    longer = pl.any_horizontal(pl.col(table.extra_columns).is_not_null())
    return masked.with_columns(
        pl.when(longer & (pl.col(name) != ""))
        .then(pl.lit(pii.MASKED))
        .otherwise(pl.col(name))
        .alias(name)
        for name in raw.columns[min(personal) :]
    )


def _detail(table: RawTable, raw: dict, row: dict, code: str) -> dict[str, str]:
    def header(column: str) -> str:
        return table.columns.get(column, column)

    def value(column: str) -> str:
        return str(raw.get(header(column), "") or "")

    if code == "bad_date":
        column = next(c for c in DATE_COLUMNS if row[f"_bad_{c}"])
        return {"column": header(column), "value": value(column)}
    if code == "unknown_flag":
        column = next(c for c in ("paid_online", *FLAG_COLUMNS) if row[f"_bad_{c}"])
        return {"column": header(column), "value": value(column)}
    if code == "ambiguous_value":
        column = next(c for c in READ_AMBIGUOUS if row[f"_ambiguous_{c}"])
        return {"column": header(column), "value": value(column)}
    if code in ("unknown_channel", "unknown_status", "unknown_level"):
        column = {"unknown_channel": "channel", "unknown_status": "status"}.get(
            code, "service_level"
        )
        return {"value": value(column)}
    if code in ("unknown_commune", "ambiguous_commune"):
        return {"value": row["_commune_raw"] or ""}
    if code == "date_order":
        for earlier, later in ORDERED_PAIRS:
            if row[earlier] is not None and row[later] is not None and row[later] < row[earlier]:
                return {
                    "column": header(later),
                    "value": fmt_datetime(row[later]),
                    "before": f"{header(earlier)} {fmt_datetime(row[earlier])}",
                }
    if code == "future_date":
        for column in EVENT_DATES:
            if row[column] is not None:
                return {"column": header(column), "value": fmt_datetime(row[column])}
    if code == "date_out_of_range":
        for column in DATE_COLUMNS:
            stamp = row[column]
            if stamp is not None and (stamp < EARLIEST or column == "due_at"):
                return {"column": header(column), "value": fmt_datetime(stamp)}
    if code == "value_too_long":
        from ioc.ingest.limits import Limits

        return {"chars": str(Limits.from_env().value_chars)}
    if code == "duplicate_conflict":
        return {"value": row["dossier_id"] or ""}
    return {}


def quarantine_record(row_number: int, raw: dict, code: str, detail: dict[str, str]) -> tuple:
    """One quarantine row (QUARANTINE_SCHEMA): the row's number in the file, its raw values
    (already masked) and the reason `code` in Vietnamese and English."""
    return (
        row_number,
        json.dumps({k: _capped(v) for k, v in raw.items()}, ensure_ascii=False, default=str),
        code,
        t(f"ingest.reason.{code}", "vi", **detail),
        t(f"ingest.reason.{code}", "en", **detail),
    )


RAW_VALUE_CHARS = 500  # of a quarantined row's raw value: enough to see it, not to store a bomb


def _capped(value: object) -> object:
    if isinstance(value, str):
        value = value.replace("\x00", "")
        if len(value) > RAW_VALUE_CHARS:
            return f"{value[:RAW_VALUE_CHARS]}… ({len(value):,} ký tự / characters)"
    return value


def quarantine_frame(records: list[tuple]) -> pl.DataFrame:
    """quarantine_record rows as the frame load.write_quarantine takes."""
    return pl.DataFrame(records, schema=QUARANTINE_SCHEMA, orient="row")


def rejected_frame(rejected: list[tuple[int, dict, str, dict]]) -> pl.DataFrame:
    """The quarantine rows of rejected rows given as (row number, raw values, reason code,
    reason detail), as the roster, voice and catalogue checks give them."""
    return quarantine_frame([quarantine_record(n, raw, c, d) for n, raw, c, d in rejected])


def dry_run(rows_read: int, loaded: int, counts: dict, quarantine: pl.DataFrame) -> dict:
    """A preview's figures (the fields of ioc.ingest.quarantine.Preview) for a file read and
    checked as its import would: rows read, to insert, to update, unchanged (of the `loaded`
    rows; `counts` holds inserted and updated) and the quarantine's reasons (code -> rows, most
    first) with one example each."""
    reasons: dict[str, int] = {}
    examples: dict[str, tuple[str, str]] = {}
    for code, vi, en in quarantine.select("reason_code", "reason_vi", "reason_en").iter_rows():
        reasons[code] = reasons.get(code, 0) + 1
        examples.setdefault(code, (vi, en))
    return {
        "rows_read": rows_read,
        "to_insert": counts["inserted"],
        "to_update": counts["updated"],
        "unchanged": loaded - counts["inserted"] - counts["updated"],
        "quarantine": dict(sorted(reasons.items(), key=lambda item: -item[1])),
        "examples": examples,
    }


def unmapped(quarantine: pl.DataFrame) -> list[tuple[str, str, int]]:
    """The values a mapping could teach among quarantine rows (problem_kind, problem_value) with
    their row counts, most rows first: what a dry run lists as unmapped."""
    counts = (
        quarantine.filter(pl.col("problem_kind").is_not_null())
        .group_by("problem_kind", "problem_value")
        .len()
        .sort("len", "problem_kind", "problem_value", descending=[True, False, False])
    )
    return [(k, v or "", n) for k, v, n in counts.iter_rows()]


def quarantine_rows(table: RawTable, rejected: pl.DataFrame) -> pl.DataFrame:
    """One quarantine row per rejected row: its file row number, masked raw values and reason."""
    if rejected.is_empty():
        return quarantine_frame([])
    raw = table.frame[table.row_numbers.search_sorted(rejected["_row"]).to_list()]
    rejected = rejected.with_columns(normalize.commune_text(table, raw).alias("_commune_raw"))
    raw_rows = _masked_raw(table, raw).to_dicts()
    return quarantine_frame(
        [
            quarantine_record(
                row["_row"], raw, row["_reason"], _detail(table, raw, row, row["_reason"])
            )
            for raw, row in zip(raw_rows, rejected.iter_rows(named=True), strict=True)
        ]
    )
