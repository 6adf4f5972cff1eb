"""Normalisation (Polars): raw export values -> store values, with a flag for every value that
could not be understood (validate.py turns the flags into quarantine reasons).

The rows go through one Polars query. Label-like and personal columns (channel, status, level,
commune, flags, names, ID numbers) repeat few values, so each distinct value is converted once and
looked up per row; a date column is parsed with the format its sample shows most, and only the
values that format leaves unparsed meet the contract's other forms afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

import duckdb
import polars as pl

from ioc.ingest import pii, vocabulary
from ioc.ingest.aliases import (
    COMMUNE_PREFIXES,
    DATE_COLUMNS,
    FALSE_WORDS,
    FLAG_COLUMNS,
    TRUE_WORDS,
    fold,
)
from ioc.ingest.limits import Limits
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
    # a two-digit year only where the text has two digits (%Y refuses years below 1000, so
    # "01/12/26" is never year 0026); read as 20YY
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%d/%m/%y",
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
    "e_result_issued",
    "synced_to_portal",
    "applicant_masked",
    "applicant_key",
    "map_sheet",
    "parcel_no",
)


def _text_expr(values: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Trimmed text with blanks as null; whole floats written without '.0'."""
    if dtype.is_float():
        # whole and within Int64 (1e308 stays as written, not a failed cast)
        whole = values.is_not_null() & (values == values.floor()) & (values.abs() < 2.0**62)
        values = (
            pl.when(whole)
            .then(values.cast(pl.Int64).cast(pl.String))
            .otherwise(values.cast(pl.String))
        )
    elif dtype != pl.String:
        values = values.cast(pl.String)
    # NUL bytes (a broken export, or an attack) never reach the store
    text = values.str.replace_all("\x00", "", literal=True).str.strip_chars()
    return pl.when(text != "").then(text)


def _strings(values: pl.Series) -> pl.Series:
    """_text_expr on one series."""
    frame = values.rename("v").to_frame()
    return frame.select(_text_expr(pl.col("v"), values.dtype)).to_series().rename(values.name)


def _four_digit_years(parsed: pl.Expr, fmt: str) -> pl.Expr:
    """%Y reads "26" as the year 26: a year below 1000 is no reading of a four-digit format."""
    return pl.when(parsed.dt.year() >= 1000).then(parsed) if "%Y" in fmt else parsed


def _zoned(text: pl.Expr, fmt: str) -> pl.Expr:
    parsed = _four_digit_years(text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False), fmt)
    return parsed.dt.convert_time_zone("Asia/Ho_Chi_Minh").dt.replace_time_zone(None)


def _parse_expr(text: pl.Expr, fmt: str) -> pl.Expr:
    if fmt in ZONED_FORMATS:
        return _zoned(text, fmt)
    return _four_digit_years(text.str.strptime(DATETIME, fmt, strict=False), fmt)


def _parse_with(text: pl.Series, fmt: str) -> pl.Series:
    return text.rename("v").to_frame().select(_parse_expr(pl.col("v"), fmt)).to_series()


def _serial_expr(text: pl.Expr) -> pl.Expr:
    """Excel serial day numbers (as text) -> timestamps; other numbers -> null."""
    number = text.cast(pl.Float64, strict=False)
    number = pl.when((number < SERIAL_MIN) | (number > SERIAL_MAX)).then(None).otherwise(number)
    millis = (number * 86_400_000).round(0).cast(pl.Int64)
    return pl.lit(EXCEL_EPOCH, DATETIME) + pl.duration(milliseconds=millis)


def _serial(text: pl.Series) -> pl.Series:
    return text.rename("v").to_frame().select(_serial_expr(pl.col("v"))).to_series()


def _parse_all(text: pl.Series, formats: list[str]) -> pl.Series:
    parsed = pl.Series(text.name, [None] * text.len(), dtype=DATETIME)
    for fmt in formats:
        if not (parsed.is_null() & text.is_not_null()).any():
            break
        parsed = parsed.zip_with(parsed.is_not_null(), _parse_with(text, fmt))
    if (parsed.is_null() & text.is_not_null()).any():
        parsed = parsed.zip_with(parsed.is_not_null(), _serial(text))
    return parsed


def _sample_formats(sample: pl.Series) -> list[str]:
    """The formats that parse some of a sample of a column, most hits first."""
    hits = {f: _parse_with(sample, f).is_not_null().sum() for f in (*DATE_FORMATS, *ZONED_FORMATS)}
    return [f for f, n in sorted(hits.items(), key=lambda kv: -kv[1]) if n > 0]


def _parse_in_order(text: pl.Series, first: list[str]) -> pl.Series:
    """Each value parsed by the first of `first`, Excel serial, then the rest of the list that
    reads it (null when none does)."""
    parsed = _parse_all(text, first)
    if (parsed.is_null() & text.is_not_null()).any():
        # Only the values the sample's formats left unparsed meet the rest of the list.
        rest = [f for f in (*DATE_FORMATS, *ZONED_FORMATS) if f not in first]
        where = (parsed.is_null() & text.is_not_null()).arg_true()
        parsed = parsed.scatter(where, _parse_all(text.gather(where), rest))
    return parsed


def _text_sample(raw: pl.DataFrame, header: str) -> pl.Series:
    """The first SAMPLE_SIZE non-blank values of a text column (a window first: exports rarely
    leave a column blank for long)."""
    dtype = raw.schema[header]
    for frame in (raw.head(SAMPLE_SIZE * 10), raw):
        sample = frame.select(
            _text_expr(pl.col(header), dtype).drop_nulls().head(SAMPLE_SIZE).alias("v")
        ).to_series()
        if sample.len() == SAMPLE_SIZE or frame.height == raw.height:
            return sample
    return sample


@dataclass
class _Dates:
    """How one date column is read: a first expression and, for text, the formats a sample of
    the column shows (the values that expression leaves unparsed are redone with all of them)."""

    value: pl.Expr
    formats: list[str] | None = None


def _date_plan(raw: pl.DataFrame, header: str | None) -> _Dates:
    if header is None:
        return _Dates(pl.lit(None, DATETIME))
    dtype = raw.schema[header]
    values = pl.col(header)
    if dtype == pl.Datetime:
        if dtype.time_zone:
            values = values.dt.convert_time_zone("Asia/Ho_Chi_Minh").dt.replace_time_zone(None)
        return _Dates(values.cast(DATETIME))
    if dtype == pl.Date:
        return _Dates(values.cast(DATETIME))
    text = _text_expr(values, dtype)
    if dtype.is_numeric():
        return _Dates(_serial_expr(text))
    sample = _text_sample(raw, header)
    first = _sample_formats(sample)
    if not first:
        return _Dates(pl.lit(None, DATETIME), first)
    # Exports write a column in one format: the sample's commonest reads nearly every value, as
    # written (a value with spaces around it is left to the slow path, which trims). Polars'
    # cache of converted strings pays only when the values repeat.
    if dtype == pl.String:
        text = values
    if first[0] in ZONED_FORMATS:
        return _Dates(_zoned(text, first[0]), first)
    cache = sample.n_unique() * 2 <= sample.len()
    parsed = text.str.strptime(DATETIME, first[0], strict=False, cache=cache)
    return _Dates(_four_digit_years(parsed, first[0]), first)


def parse_datetimes(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Timestamps (Vietnam local, naive) from any of the contract's forms, and a mask of the
    non-blank values that are no date at all."""
    raw = values.rename("v").to_frame()
    plan = _date_plan(raw, "v")
    # with_columns: a column with no date at all is a literal, broadcast to the height
    parsed = raw.with_columns(plan.value.alias("_parsed"))["_parsed"]
    bad = parsed.is_null() & raw["v"].is_not_null()
    if plan.formats is not None and bad.any():
        parsed, bad = _reparse(raw["v"], parsed, bad, plan.formats)
    return parsed.rename(values.name), bad


def _reparse(
    values: pl.Series, parsed: pl.Series, unparsed: pl.Series, formats: list[str]
) -> tuple[pl.Series, pl.Series]:
    """The values of a text column the first format left unparsed, read with every format in
    order; and the mask of the non-blank ones that are still no date."""
    where = unparsed.arg_true()
    text = _strings(values.gather(where))
    redone = _parse_in_order(text, formats)
    return parsed.scatter(where, redone), unparsed.scatter(
        where, redone.is_null() & text.is_not_null()
    )


def _lookup(
    header: str | None,
    distinct: dict[str, pl.Series],
    convert: Callable[[pl.Series], pl.Series],
    dtype: pl.DataType,
) -> tuple[pl.Expr, pl.Expr]:
    """Every row's value by `convert` run on the column's distinct texts only (a series of texts
    -> a series of values, null where a text means nothing), and a flag of the non-blank values
    that mean nothing."""
    if header is None:
        return pl.lit(None, dtype), pl.lit(False)
    raw = distinct[header]
    texts = _strings(raw)
    raw, texts = raw.filter(texts.is_not_null()), texts.drop_nulls()
    converted = convert(texts) if texts.len() else pl.Series([], dtype=dtype)
    known = converted.is_not_null()
    keys, unknown = raw.filter(known), raw.filter(~known)
    value = (
        pl.col(header).replace_strict(
            keys, converted.filter(known), default=None, return_dtype=dtype
        )
        if keys.len()
        else pl.lit(None, dtype)
    )
    flag = (
        pl.col(header).is_in(unknown.implode()).fill_null(False) if unknown.len() else pl.lit(False)
    )
    return value, flag


def _label(table: dict, dtype: pl.DataType) -> Callable[[pl.Series], pl.Series]:
    return lambda texts: pl.Series([table.get(fold(t)) for t in texts], dtype=dtype)


def _reading(reader: Callable[[str], object], dtype: pl.DataType):
    """A vocabulary reader (one text -> a value, AMBIGUOUS or None) over a series of texts."""
    return lambda texts: pl.Series([reader(t) for t in texts], dtype=dtype)


# Label-like columns and how each value is read (ioc/ingest/vocabulary.py).
READINGS = (
    ("channel", vocabulary.read_channel, pl.String),
    ("status", vocabulary.read_status, pl.String),
    ("service_level", vocabulary.read_level, pl.String),
    ("paid_online", vocabulary.read_paid, pl.Boolean),
    *((flag, vocabulary.read_flag, pl.Boolean) for flag in FLAG_COLUMNS),
)
# The columns whose reading may be AMBIGUOUS (two meanings: not guessed, quarantined).
READ_AMBIGUOUS = ("channel", "status", "service_level")


def map_labels(values: pl.Series, table: dict, dtype: pl.DataType) -> tuple[pl.Series, pl.Series]:
    """Each distinct value looked up once by its folded form; mask of non-blank unknown values."""
    frame = values.rename("v").to_frame()
    value, flag = _lookup("v", {"v": values.drop_nulls().unique()}, _label(table, dtype), dtype)
    mapped, bad = frame.select(value.alias("v"), flag.alias("bad")).get_columns()
    return mapped.rename(values.name), bad


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
        key = fold(vocabulary.expand_unit(value))
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


def _commune_parts(
    table: RawTable, distinct: dict[str, pl.Series], index: CommuneIndex
) -> dict[str, pl.Expr]:
    """Per row, the commune the code column gives and its problem, and the same for the name
    column (the columns _commune_choice combines). Each distinct code and name is resolved once."""
    parts: dict[str, pl.Expr] = {}
    for column in ("commune_code", "commune_name"):
        header = table.columns.get(column)
        resolved: dict[str, tuple[str | None, str | None]] = {}

        def part(texts: pl.Series, i: int, resolved=resolved) -> pl.Series:
            for text in texts:
                resolved.setdefault(text, index.resolve(text))
            return pl.Series([resolved[t][i] for t in texts], dtype=pl.String)

        parts[f"__{column}"] = _lookup(header, distinct, partial(part, i=0), pl.String)[0]
        parts[f"__{column}_problem"] = _lookup(header, distinct, partial(part, i=1), pl.String)[0]
    return parts


def _commune_choice() -> tuple[pl.Expr, pl.Expr]:
    """The commune code per row from the code column, else the name column; and the problem
    ('unknown' / 'ambiguous') where neither gives one commune."""
    by_code, code_problem = pl.col("__commune_code"), pl.col("__commune_code_problem")
    by_name, name_problem = pl.col("__commune_name"), pl.col("__commune_name_problem")
    code = pl.coalesce(by_code, by_name)
    # A name given (resolved or not) decides, unless the code was ambiguous.
    has_name = by_name.is_not_null() | name_problem.is_not_null()
    problem = (
        pl.when(has_name & code_problem.ne_missing("ambiguous"))
        .then(name_problem)
        .otherwise(code_problem)
        .fill_null("unknown")
    )
    return code, pl.when(code.is_null()).then(problem)


def commune_text(table: RawTable, frame: pl.DataFrame) -> pl.Series:
    """The commune as some rows of the raw frame write it (code, else name), for messages."""
    found = [
        _text_expr(pl.col(h), frame.schema[h])
        for c in ("commune_code", "commune_name")
        if (h := table.columns.get(c))
    ]
    return frame.select(pl.coalesce(*found, pl.lit(None, pl.String))).to_series()


def _distinct_values(raw: pl.DataFrame, headers: list[str]) -> dict[str, pl.Series]:
    """The distinct non-null values of some columns, in one parallel pass."""
    headers = list(dict.fromkeys(headers))
    if not headers:
        return {}
    found = raw.select(pl.col(h).drop_nulls().unique().implode() for h in headers)
    return {h: found[h][0] for h in headers}


LOOKED_UP = (
    "commune_code",
    "commune_name",
    "channel",
    "status",
    "service_level",
    "paid_online",
    *FLAG_COLUMNS,
    "applicant_name",
    "applicant_id",
    "applicant_phone",
)


def normalize(table: RawTable, index: CommuneIndex) -> pl.DataFrame:
    """Store columns plus `_row` (row number in the file), `_too_many_cells` and `_bad_<column>` /
    `_commune_problem` flags for rows and values that could not be understood. Personal data is
    masked or hashed here.

    See the module's docstring for how the work is shared out."""
    raw = table.frame
    schema = raw.schema

    def header(name: str) -> str | None:
        return table.columns.get(name)

    def text(name: str) -> pl.Expr:
        found = header(name)
        return _text_expr(pl.col(found), schema[found]) if found else pl.lit(None, pl.String)

    def lookup(name: str, convert: Callable[[pl.Series], pl.Series], dtype: pl.DataType):
        return _lookup(header(name), distinct, convert, dtype)

    distinct = _distinct_values(raw, [h for n in LOOKED_UP if (h := header(n))])
    limit = Limits.from_env()
    out: dict[str, pl.Expr] = {
        "_row": pl.lit(table.row_numbers),
        "_too_many_cells": (
            pl.any_horizontal(pl.col(table.extra_columns).is_not_null())
            if table.extra_columns
            else pl.lit(False)
        ),
        # any value longer than a person writes, and an id longer than any system gives
        "_too_long": pl.any_horizontal(
            pl.lit(False),
            *(
                pl.col(c).str.len_chars() > limit.value_chars
                for c, t in schema.items()
                if t == pl.String
            ),
            text("dossier_id").str.len_chars() > limit.id_chars,
        ).fill_null(False),
        "dossier_id": text("dossier_id"),
        "procedure_code": text("procedure_code"),
        "procedure_name": text("procedure_name"),
        **_commune_parts(table, distinct, index),
    }
    for name, reader, dtype in READINGS:
        out[name], out[f"_bad_{name}"] = lookup(name, _reading(reader, dtype), dtype)
    # An empty channel is a counter dossier (contract): only an unknown label is an error.
    out["channel"] = out["channel"].fill_null("direct")

    dates = {name: _date_plan(raw, header(name)) for name in DATE_COLUMNS}
    for name, plan in dates.items():
        out[name] = plan.value
        out[f"__has_{name}"] = pl.col(header(name)).is_not_null() if header(name) else pl.lit(False)
    out["applicant_masked"] = lookup("applicant_name", pii.mask_names, pl.String)[0]
    out["applicant_key"] = pl.coalesce(
        lookup("applicant_id", partial(pii.hash_values, kind="id"), pl.String)[0],
        lookup("applicant_phone", partial(pii.hash_values, kind="tel"), pl.String)[0],
    )
    out["map_sheet"] = text("map_sheet")
    out["parcel_no"] = text("parcel_no")

    # Derived columns in a second step, so that no expression is evaluated twice.
    code, problem = _commune_choice()
    unparsed = {
        f"_bad_{name}": pl.col(name).is_null() & pl.col(f"__has_{name}") for name in DATE_COLUMNS
    }
    ambiguous = {f"_ambiguous_{n}": pl.col(n) == vocabulary.AMBIGUOUS for n in READ_AMBIGUOUS}
    frame = (
        raw.lazy()
        .select(e.alias(n) for n, e in out.items())
        .with_columns(commune_code=code, _commune_problem=problem, **unparsed, **ambiguous)
        .with_columns(
            pl.when(~pl.col(f"_ambiguous_{n}").fill_null(False)).then(pl.col(n)).alias(n)
            for n in READ_AMBIGUOUS
        )
        .select(pl.exclude("^__.*$"))
        .collect()
    )
    for name, plan in dates.items():
        if plan.formats is not None and frame[f"_bad_{name}"].any():
            parsed, bad = _reparse(
                raw[header(name)], frame[name], frame[f"_bad_{name}"], plan.formats
            )
            frame = frame.with_columns(parsed.alias(name), bad.alias(f"_bad_{name}"))
    # A due date written without a time is due by the end of that day, not at its first minute.
    due = pl.col("due_at")
    end_of_day = due + timedelta(hours=23, minutes=59, seconds=59)
    return frame.with_columns(
        pl.when(due.dt.time() != time(0, 0)).then(due).otherwise(end_of_day).alias("due_at")
    )


def normalize_steps(steps: pl.DataFrame | None) -> pl.DataFrame | None:
    """The portal's processing log as dossier_steps rows (rows without a time are dropped with
    their dossier's import: a log line without a time cannot be placed)."""
    if steps is None or steps.is_empty():
        return None
    step_at, _ = parse_datetimes(steps["step_at"])
    due_at, _ = parse_datetimes(steps["step_due_at"])
    status_after = _strings(steps["status_after"]).map_elements(
        vocabulary.read_status, return_dtype=pl.String, skip_nulls=True
    )
    status_after = status_after.replace(vocabulary.AMBIGUOUS, None)
    return pl.DataFrame(
        {
            "dossier_id": _strings(steps["dossier_id"]),
            "step_at": step_at,
            "unit": _strings(steps["unit"]),
            "action": _strings(steps["action"]),
            "status_after": status_after,
            "step_due_at": due_at,
            "officer_id": _strings(steps["officer_id"]),
        }
    ).filter(pl.col("dossier_id").is_not_null() & pl.col("step_at").is_not_null())
