"""Normalisation (Polars): raw export values -> store values, with a flag for every value that
could not be understood (validate.py turns the flags into quarantine reasons).

Label-like columns (channel, status, level, commune, flags) have few distinct values, so they are
mapped once per distinct value and joined back; dates are parsed column-wise with the formats a
sample of the column shows first, the full list only for what those leave unparsed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import duckdb
import polars as pl

from ioc.ingest import pii
from ioc.ingest.aliases import (
    CHANNELS,
    COMMUNE_PREFIXES,
    DATE_COLUMNS,
    FALSE_WORDS,
    FLAG_COLUMNS,
    LEVELS,
    PAID_WORDS,
    STATUSES,
    TRUE_WORDS,
    fold,
)
from ioc.ingest.readers import RawTable
from ioc.store import run_query

DATETIME = pl.Datetime("us")
EXCEL_EPOCH = datetime(1899, 12, 30)
# Excel serial days between 1954 and 2119: a bare number outside is not taken for a date.
SERIAL_MIN, SERIAL_MAX = 20000, 80000
DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
)
ZONED_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z")
SAMPLE_SIZE = 500

STORE_COLUMNS = (
    "dossier_id",
    "procedure_code",
    "commune_code",
    "channel",
    "service_level",
    *DATE_COLUMNS,
    "status",
    "paid_online",
    "has_fee",
    "digitized",
    "vneid_verified",
    "applicant_masked",
    "applicant_key",
    "map_sheet",
    "parcel_no",
)


def _strings(values: pl.Series) -> pl.Series:
    """Trimmed text with blanks as null; whole floats written without '.0'."""
    if values.dtype.is_float():
        whole = values.is_not_null() & (values == values.floor())
        values = pl.select(
            pl.when(whole)
            .then(values.cast(pl.Int64).cast(pl.String))
            .otherwise(values.cast(pl.String))
        ).to_series()
    elif values.dtype != pl.String:
        values = values.cast(pl.String)
    text = values.str.strip_chars()
    return text.set(text == "", None) if text.len() else text


def _parse_with(text: pl.Series, fmt: str) -> pl.Series:
    if fmt in ZONED_FORMATS:
        parsed = text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False)
        return parsed.dt.convert_time_zone("Asia/Ho_Chi_Minh").dt.replace_time_zone(None)
    return text.str.strptime(DATETIME, fmt, strict=False)


def _serial(text: pl.Series) -> pl.Series:
    number = text.cast(pl.Float64, strict=False)
    number = number.set((number < SERIAL_MIN) | (number > SERIAL_MAX), None)
    millis = (number * 86_400_000).round(0).cast(pl.Int64)
    return pl.select(pl.lit(EXCEL_EPOCH, DATETIME) + pl.duration(milliseconds=millis)).to_series()


def _parse_all(text: pl.Series, formats: list[str]) -> pl.Series:
    parsed = pl.Series(text.name, [None] * text.len(), dtype=DATETIME)
    for fmt in formats:
        if not (parsed.is_null() & text.is_not_null()).any():
            break
        parsed = parsed.zip_with(parsed.is_not_null(), _parse_with(text, fmt))
    if (parsed.is_null() & text.is_not_null()).any():
        parsed = parsed.zip_with(parsed.is_not_null(), _serial(text))
    return parsed


def parse_datetimes(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Timestamps (Vietnam local, naive) from any of the contract's forms, and a mask of the
    non-blank values that are no date at all."""
    if values.dtype == pl.Datetime:
        if values.dtype.time_zone:
            values = values.dt.convert_time_zone("Asia/Ho_Chi_Minh").dt.replace_time_zone(None)
        return values.cast(DATETIME), pl.Series([False] * values.len())
    if values.dtype == pl.Date:
        return values.cast(DATETIME), pl.Series([False] * values.len())
    if values.dtype.is_numeric():
        text = _strings(values)
        parsed = _serial(text)
    else:
        text = _strings(values)
        sample = text.drop_nulls().head(SAMPLE_SIZE)
        hits = {
            f: _parse_with(sample, f).is_not_null().sum() for f in (*DATE_FORMATS, *ZONED_FORMATS)
        }
        first = [f for f, n in sorted(hits.items(), key=lambda kv: -kv[1]) if n > 0]
        parsed = _parse_all(text, first)
        if (parsed.is_null() & text.is_not_null()).any():
            # Only the values the sample's formats left unparsed meet the rest of the list.
            rest = [f for f in (*DATE_FORMATS, *ZONED_FORMATS) if f not in first]
            where = (parsed.is_null() & text.is_not_null()).arg_true()
            parsed = parsed.scatter(where, _parse_all(text.gather(where), rest))
    return parsed.alias(values.name), (parsed.is_null() & text.is_not_null())


def map_labels(values: pl.Series, table: dict, dtype: pl.DataType) -> tuple[pl.Series, pl.Series]:
    """Each distinct value looked up once by its folded form; mask of non-blank unknown values."""
    text = _strings(values)
    mapping = {}
    for value in text.drop_nulls().unique():
        key = fold(value)
        if key in table:
            mapping[value] = table[key]
    mapped = text.replace_strict(mapping, default=None, return_dtype=dtype)
    return mapped, (mapped.is_null() & text.is_not_null())


FLAGS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


@dataclass
class CommuneIndex:
    """Folded code / name / old-unit name -> candidate commune codes (several = ambiguous)."""

    codes: frozenset[str]
    names: dict[str, frozenset[str]]
    bare_names: dict[str, frozenset[str]]
    old_names: dict[str, frozenset[str]]

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, province: str | None) -> CommuneIndex:
        """Names are matched within `province` (None: the whole country); codes anywhere."""
        communes = run_query(con, "ingest_commune_names", province=province)
        old = run_query(con, "ingest_old_unit_names", province=province)
        names: dict[str, set[str]] = defaultdict(set)
        bare: dict[str, set[str]] = defaultdict(set)
        for code, name in communes.select("commune_code", "commune_name").iter_rows():
            names[fold(name)].add(code)
            bare[_strip_prefix(fold(name))].add(code)
        old_names: dict[str, set[str]] = defaultdict(set)
        for ward, code, split in old.select("old_ward", "commune_code", "is_split").iter_rows():
            # A split ward has no single answer: an impossible second code marks it ambiguous.
            targets = {code, "?split"} if split else {code}
            old_names[fold(ward)].update(targets)
            old_names[_strip_prefix(fold(ward))].update(targets)
        all_codes = run_query(con, "ingest_commune_codes")["commune_code"].to_list()
        freeze = lambda d: {k: frozenset(v) for k, v in d.items() if k}  # noqa: E731
        return cls(frozenset(all_codes), freeze(names), freeze(bare), freeze(old_names))

    def resolve(self, value: str | None) -> tuple[str | None, str | None]:
        """(commune_code, None) or (None, 'unknown' | 'ambiguous')."""
        if value is None:
            return None, "unknown"
        key = fold(value)
        if key.isdigit():
            code = key.zfill(5)
            return (code, None) if code in self.codes else (None, "unknown")
        for table, lookup in (
            (self.names, key),
            (self.bare_names, key),
            (self.bare_names, _strip_prefix(key)),
            (self.old_names, key),
        ):
            found = table.get(lookup)
            if found:
                return (next(iter(found)), None) if len(found) == 1 else (None, "ambiguous")
        return None, "unknown"


def _strip_prefix(key: str) -> str:
    for prefix in COMMUNE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


def resolve_communes(
    codes: pl.Series | None, names: pl.Series | None, index: CommuneIndex, height: int
) -> tuple[pl.Series, pl.Series]:
    """Commune code per row from the code column, else the name column; and the problem
    ('unknown' / 'ambiguous') where neither gives one commune."""
    blank = pl.Series([None] * height, dtype=pl.String)
    pairs = pl.DataFrame(
        {
            "code_raw": _strings(codes) if codes is not None else blank,
            "name_raw": _strings(names) if names is not None else blank,
        }
    )
    distinct = pairs.unique()
    results = []
    for code_raw, name_raw in distinct.iter_rows():
        code, problem = index.resolve(code_raw) if code_raw is not None else (None, None)
        if code is None and name_raw is not None:
            code, name_problem = index.resolve(name_raw)
            problem = name_problem if problem != "ambiguous" else problem
        results.append((code_raw, name_raw, code, None if code else (problem or "unknown")))
    lookup = pl.DataFrame(
        results,
        schema={
            "code_raw": pl.String,
            "name_raw": pl.String,
            "code": pl.String,
            "problem": pl.String,
        },
        orient="row",
    )
    joined = pairs.join(lookup, on=["code_raw", "name_raw"], how="left", nulls_equal=True)
    return joined["code"], joined["problem"]


def normalize(table: RawTable, index: CommuneIndex) -> pl.DataFrame:
    """Store columns plus `_row` (row number in the file), `_too_many_cells` and `_bad_<column>` /
    `_commune_problem` flags for rows and values that could not be understood. Personal data is
    masked or hashed here."""
    raw = table.frame
    height = raw.height

    def col(name: str) -> pl.Series | None:
        header = table.columns.get(name)
        return raw[header] if header is not None else None

    def text(name: str) -> pl.Series:
        values = col(name)
        return (
            _strings(values) if values is not None else pl.Series([None] * height, dtype=pl.String)
        )

    out: dict[str, pl.Series] = {
        "_row": table.row_numbers,
        "_too_many_cells": (
            raw.select(pl.any_horizontal(pl.col(table.extra_columns).is_not_null())).to_series()
            if table.extra_columns
            else pl.Series([False] * height)
        ),
        "dossier_id": text("dossier_id"),
        "procedure_code": text("procedure_code"),
        "procedure_name": text("procedure_name"),
    }
    code, problem = resolve_communes(col("commune_code"), col("commune_name"), index, height)
    out["commune_code"], out["_commune_problem"] = code, problem
    out["_commune_raw"] = text("commune_code").fill_null(text("commune_name"))

    for name, table_, dtype in (
        ("channel", CHANNELS, pl.String),
        ("status", STATUSES, pl.String),
        ("service_level", LEVELS, pl.String),
        ("paid_online", PAID_WORDS, pl.Boolean),
        *((flag, FLAGS, pl.Boolean) for flag in FLAG_COLUMNS),
    ):
        values = col(name)
        if values is None:
            out[name] = pl.Series([None] * height, dtype=dtype)
            out[f"_bad_{name}"] = pl.Series([False] * height)
        else:
            out[name], out[f"_bad_{name}"] = map_labels(values, table_, dtype)
    # An empty channel is a counter dossier (contract): only an unknown label is an error.
    out["channel"] = out["channel"].fill_null("direct")

    for name in DATE_COLUMNS:
        values = col(name)
        if values is None:
            out[name] = pl.Series([None] * height, dtype=DATETIME)
            out[f"_bad_{name}"] = pl.Series([False] * height)
        else:
            out[name], out[f"_bad_{name}"] = parse_datetimes(values)

    # A due date written without a time is due by the end of that day, not at its first minute.
    due = out["due_at"]
    out["due_at"] = due.zip_with(
        due.dt.time() != time(0, 0), due + timedelta(hours=23, minutes=59, seconds=59)
    )

    out["applicant_masked"] = pii.mask_names(text("applicant_name"))
    id_key = pii.hash_values(text("applicant_id"), "id")
    out["applicant_key"] = id_key.zip_with(
        id_key.is_not_null(), pii.hash_values(text("applicant_phone"), "tel")
    )
    out["map_sheet"] = text("map_sheet")
    out["parcel_no"] = text("parcel_no")
    return pl.DataFrame([s.alias(n) for n, s in out.items()])


def normalize_steps(steps: pl.DataFrame | None) -> pl.DataFrame | None:
    """The portal's processing log as dossier_steps rows (rows without a time are dropped with
    their dossier's import: a log line without a time cannot be placed)."""
    if steps is None or steps.is_empty():
        return None
    step_at, _ = parse_datetimes(steps["step_at"])
    due_at, _ = parse_datetimes(steps["step_due_at"])
    status_after, _ = map_labels(steps["status_after"], STATUSES, pl.String)
    return pl.DataFrame(
        {
            "dossier_id": _strings(steps["dossier_id"]),
            "step_at": step_at,
            "unit": _strings(steps["unit"]),
            "action": _strings(steps["action"]),
            "status_after": status_after,
            "step_due_at": due_at,
        }
    ).filter(pl.col("dossier_id").is_not_null() & pl.col("step_at").is_not_null())
