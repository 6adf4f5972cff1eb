"""Mappings an administrator teaches (issue 14): a raw value the importer does not read (a status
label, channel, service level, yes/no mark, commune or old-unit name, procedure code, or a column
header; of a rating or feedback export (issue 18) a rating level, feedback channel or feedback
state) mapped once to its canonical value, or marked truly invalid.

They are applied in the import pipeline before normalisation: a mapped raw value is rewritten to its
canonical value, which normalize reads as itself (status codes such as "supplement_requested",
"online", "full", "true"/"false", commune codes such as "00073", procedure codes); a mapped header
is added to RawTable.columns. A row holding a value marked invalid stays in quarantine with a reason
saying so. Quarantined rows are annotated with what sent them there (problem_kind, problem_value),
so that the mapping page can list each value once with its rows.

Header mappings belong to one source system, told apart by `source_key`: a fingerprint of the
file's whole header row (the sorted folded names of all its headers, known and unknown). Exports of
the same system share it; another system's headers are never changed by it.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from ioc import audit, store
from ioc.i18n import t
from ioc.ingest import validate, vocabulary
from ioc.ingest.aliases import (
    CHANNEL_LABELS,
    CHANNELS,
    COLUMN_ALIASES,
    FLAG_COLUMNS,
    LEVEL_LABELS,
    LEVELS,
    STATUS_CODES,
    STATUS_LABELS,
    STATUSES,
    fold,
)
from ioc.ingest.readers import RawTable

# The citizen's voice (issue 18): values of rating and feedback exports, read by ioc/ingest/voice.py
# (taught values first, then the vocabulary), their quarantined rows re-run by quarantine.reprocess.
VOICE_KINDS = ("rating", "feedback_channel", "outcome")
KINDS = ("status", "channel", "level", "flag", "commune", "procedure", "header", *VOICE_KINDS)
# Store columns whose raw values a mapping of each kind rewrites.
COLUMNS_OF: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "channel": ("channel",),
    "level": ("service_level",),
    "flag": ("paid_online", *FLAG_COLUMNS),
    "commune": ("commune_name", "commune_code"),
    "procedure": ("procedure_code",),
}
KIND_OF_REASON = {
    "unknown_status": "status",
    "unknown_channel": "channel",
    "unknown_level": "level",
    "unknown_flag": "flag",
    "unknown_commune": "commune",
    "ambiguous_commune": "commune",
    # rating and feedback exports (ioc/ingest/voice.py annotates their rows itself)
    "unknown_rating": "rating",
    "unknown_feedback_channel": "feedback_channel",
    "unknown_outcome": "outcome",
}
FIXED_CHOICES: dict[str, tuple[str, ...]] = {
    "status": STATUS_CODES,
    "channel": ("direct", "online", "postal"),
    "level": ("full", "partial", "info"),
    "flag": ("true", "false"),
    # Columns a header may be taught to mean (personal-data columns too: they are masked).
    "header": tuple(COLUMN_ALIASES),
    "rating": vocabulary.RATING_LEVELS,
    "feedback_channel": vocabulary.FEEDBACK_CHANNELS,
    "outcome": (*vocabulary.FEEDBACK_OUTCOMES, "open"),
}
# Folded label -> canonical value, the words proposals are measured against.
_KNOWN_LABELS: dict[str, dict[str, str]] = {
    "status": STATUSES,
    "channel": CHANNELS,
    "level": LEVELS,
    "flag": {
        **dict.fromkeys(("co", "true", "yes", "da", "x"), "true"),
        **dict.fromkeys(("khong", "false", "no", "chua"), "false"),
    },
    "header": {fold(a): column for column, names in COLUMN_ALIASES.items() for a in names},
}
# The mapping history's columns the mapping page shows.
HISTORY_COLUMNS = (
    "changed_at",
    "changed_by",
    "kind",
    "raw_example",
    "old_canonical",
    "new_canonical",
)
MARKED_INVALID = "?invalid"  # what Taught.read returns for a value marked invalid
INVALID_MARK = "(invalid)"  # old/new canonical of a mapping marked invalid, in its history


class MappingError(ValueError):
    """A mapping that cannot be taught (unknown kind, empty value, canonical value not offered)."""


def source_key(headers: list[str]) -> str:
    """Fingerprint of a source system: its header row, names folded and sorted."""
    names = sorted({fold(h) for h in headers} - {""})
    return hashlib.sha1("|".join(names).encode("utf-8")).hexdigest()[:12]  # noqa: S324


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass
class Taught:
    """The store's mappings: folded value -> canonical (None: marked invalid) per kind, and per
    source system folded header -> store column."""

    values: dict[str, dict[str, str | None]] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection) -> Taught:
        """Every mapping; none on a store of an earlier release opened read-only. Read on `con`
        itself: a retry in the transaction that taught a mapping sees it."""
        try:
            rows = store.execute(con, "mapping_list")
        except duckdb.CatalogException:
            return cls()
        values: dict[str, dict[str, str | None]] = defaultdict(dict)
        headers: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows.iter_rows(named=True):
            canonical = None if row["is_invalid"] else row["canonical"]
            if row["kind"] == "header":
                if canonical:
                    headers[row["source_key"]][row["folded_value"]] = canonical
            else:
                values[row["kind"]][row["folded_value"]] = canonical
        return cls(dict(values), dict(headers))

    def read(self, kind: str, text: str | None, reader) -> str | None:
        """A raw value of `kind` as taught (MARKED_INVALID when marked invalid), otherwise as the
        vocabulary's `reader` reads it; None for no text."""
        if text is None:
            return None
        taught = self.values.get(kind, {})
        key = fold(text)
        if key in taught:
            return MARKED_INVALID if taught[key] is None else taught[key]
        return reader(text)

    def columns(self, table: RawTable) -> dict[str, str]:
        """The table's store column -> header, with the headers taught for its source system."""
        columns = dict(table.columns)
        taught = self.headers.get(source_key(table.frame.columns), {})
        for header in table.frame.columns:
            column = taught.get(fold(header))
            if column and column not in columns:
                columns[column] = header
        return columns

    def apply(self, table: RawTable) -> RawTable:
        """The table with taught headers added and taught values rewritten to canonical ones; a
        row holding a value marked invalid loses its dossier id (so it cannot load; `check` gives
        it its real reason)."""
        columns = self.columns(table)
        frame = table.frame
        rewrites: dict[str, pl.Expr] = {}
        invalid: list[pl.Expr] = []
        for kind, store_columns in COLUMNS_OF.items():
            taught = self.values.get(kind)
            if not taught:
                continue
            for column in store_columns:
                header = columns.get(column)
                if header is None:
                    continue
                texts = frame[header].drop_nulls().unique().cast(pl.String)
                mapped, bad = {}, []
                for raw in texts:
                    key = fold(raw)
                    if key in taught:
                        if taught[key] is None:
                            bad.append(raw)
                        else:
                            mapped[raw] = taught[key]
                as_text = pl.col(header).cast(pl.String)
                if mapped:
                    rewrites[header] = as_text.replace(mapped)
                if bad:
                    invalid.append(as_text.is_in(bad).fill_null(False))
        if invalid:
            id_header = columns["dossier_id"]
            marked = pl.any_horizontal(invalid)
            rewrites[id_header] = (
                pl.when(marked).then(None).otherwise(pl.col(id_header).cast(pl.String))
            )
        if rewrites:
            frame = frame.with_columns(e.alias(h) for h, e in rewrites.items())
        return dataclasses.replace(table, frame=frame, columns=columns)

    def check(
        self, table: RawTable, mapped: RawTable, frame: pl.DataFrame, now: datetime
    ) -> validate.Checked:
        """validate.check of the normalised `frame` of `mapped` (apply's result), quarantined
        rows showing the raw values of `table` and annotated (see `annotate`)."""
        original = dataclasses.replace(mapped, frame=table.frame)
        checked = validate.check(original, frame, now)
        checked.quarantine = self.annotate(original, frame, checked.quarantine)
        return checked

    def _invalid_in(self, columns: dict[str, str], raw: dict) -> tuple[str, str] | None:
        for kind, store_columns in COLUMNS_OF.items():
            taught = self.values.get(kind, {})
            for column in store_columns:
                value = _text(raw.get(columns.get(column, "")))
                if value is not None and fold(value) in taught and taught[fold(value)] is None:
                    return kind, value
        return None

    def annotate(
        self, table: RawTable, frame: pl.DataFrame, quarantine: pl.DataFrame
    ) -> pl.DataFrame:
        """Quarantine rows with source_key, problem_kind and problem_value (the value to map, or
        null for a real defect), the masked name and salted key of the applicant (so a retry
        loses nothing), and the reason 'marked_invalid' for a value an administrator marked."""
        key = source_key(table.frame.columns)
        if quarantine.is_empty():
            return quarantine.with_columns(
                pl.lit(None, pl.String).alias(c)
                for c in ("source_key", "problem_kind", "problem_value")
            ).with_columns(
                pl.lit(None, pl.String).alias(c) for c in ("applicant_masked", "applicant_key")
            )
        numbers = quarantine["row_number"]
        raw_rows = table.frame[table.row_numbers.search_sorted(numbers).to_list()].to_dicts()
        flags = [f"_bad_{c}" for c in COLUMNS_OF["flag"] if f"_bad_{c}" in frame.columns]
        extra = frame.filter(pl.col("_row").is_in(numbers.implode())).select(
            "_row", "applicant_masked", "applicant_key", *flags
        )
        extra = dict(zip(extra["_row"], extra.iter_rows(named=True), strict=True))
        columns = table.columns
        records = []
        for row, raw in zip(quarantine.iter_rows(named=True), raw_rows, strict=True):
            info = extra.get(row["row_number"], {})
            code, kind, value = row["reason_code"], None, None
            invalid = self._invalid_in(columns, raw)
            if invalid:
                kind, value = invalid
                row["reason_code"] = code = "marked_invalid"
                row["reason_vi"] = t("ingest.reason.marked_invalid", "vi", value=value)
                row["reason_en"] = t("ingest.reason.marked_invalid", "en", value=value)
            elif code in KIND_OF_REASON:
                kind = KIND_OF_REASON[code]
                if kind == "flag":
                    bad = next((f[5:] for f in flags if info.get(f)), "paid_online")
                    value = _text(raw.get(columns.get(bad, "")))
                elif kind == "commune":
                    value = _text(raw.get(columns.get("commune_name", ""))) or _text(
                        raw.get(columns.get("commune_code", ""))
                    )
                else:
                    value = _text(raw.get(columns.get(COLUMNS_OF[kind][0], "")))
            elif code == "no_received" and "received_at" not in columns:
                kind, value = "header", ""
            records.append(
                {
                    **row,
                    "source_key": key,
                    "problem_kind": kind,
                    "problem_value": value,
                    "applicant_masked": info.get("applicant_masked"),
                    "applicant_key": info.get("applicant_key"),
                }
            )
        schema = {
            **validate.QUARANTINE_SCHEMA,
            **dict.fromkeys(
                (
                    "source_key",
                    "problem_kind",
                    "problem_value",
                    "applicant_masked",
                    "applicant_key",
                ),
                pl.String,
            ),
        }
        return pl.DataFrame(records, schema=schema)


def unknown_headers(raw_values: str, taught: Taught) -> list[str]:
    """The headers of a quarantined row's file that no alias and no taught mapping reads."""
    from ioc.ingest.readers import match_headers

    headers = list(json.loads(raw_values))
    table = RawTable(pl.DataFrame(schema=dict.fromkeys(headers, pl.String)), {}, pl.Series([]))
    table.columns = match_headers(headers)
    known = set(taught.columns(table).values())
    return [h for h in headers if h not in known and not h.startswith("column_")]


def choices(con: duckdb.DuckDBPyConnection, kind: str, lang: str = "vi") -> dict[str, str]:
    """Canonical values offered for a kind: value -> label (communes and procedures by name; the
    voice's values in `lang`)."""
    if kind in VOICE_KINDS:
        return {v: t(f"mapping.value.{kind}.{v}", lang) for v in FIXED_CHOICES[kind]}
    if kind in FIXED_CHOICES:
        words = {**STATUS_LABELS, **CHANNEL_LABELS, **LEVEL_LABELS, "true": "Có", "false": "Không"}
        return {v: words.get(v, v) if kind != "header" else v for v in FIXED_CHOICES[kind]}
    if kind == "commune":
        frame = store.run_query(con, "ingest_commune_names", province=None)
        return dict(zip(frame["commune_code"], frame["commune_name"], strict=True))
    if kind == "procedure":
        frame = store.run_query(con, "procedure_catalogue")
        return dict(zip(frame["procedure_code"], frame["procedure_name"], strict=True))
    raise MappingError(f"unknown kind: {kind} (one of {', '.join(KINDS)})")


_READERS = {
    "status": vocabulary.read_status,
    "channel": vocabulary.read_channel,
    "level": vocabulary.read_level,
    "rating": vocabulary.read_rating,
    "feedback_channel": vocabulary.read_feedback_channel,
    "outcome": vocabulary.read_outcome,
}


def propose(kind: str, value: str, offered: dict[str, str]) -> str | None:
    """The likely canonical value of a raw value: the closest known label's (or name's)."""
    read = _READERS.get(kind)
    if read is not None:  # the vocabulary's own reading first (ioc/ingest/vocabulary.py)
        found = read(value)
        if found in offered:
            return found
    key = fold(value)
    labels = dict(_KNOWN_LABELS.get(kind, {}))
    for canonical, label in offered.items():
        labels.setdefault(fold(label), canonical)
        labels.setdefault(fold(canonical), canonical)
    if not key or not labels:
        return None
    close = difflib.get_close_matches(key, list(labels), n=1, cutoff=0.6)
    if close:
        return labels[close[0]]
    # a known name inside the value ("pcuanam" holds "cuanam"); never a code of a letter or two
    inside = [k for k in labels if len(k) >= 4 and (k in key or key in k)]
    return labels[max(inside, key=len)] if inside else None


def teach(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    value: str,
    canonical: str | None,
    username: str | None,
    *,
    source: str = "",
    now: datetime,
) -> None:
    """Store one mapping (canonical None: marked invalid) with its history and audit record, in
    the caller's transaction. MappingError when it cannot be taught."""
    if kind not in KINDS:
        raise MappingError(f"unknown kind: {kind} (one of {', '.join(KINDS)})")
    folded = fold(value)
    if not folded:
        raise MappingError("empty value")
    if kind == "header" and not source:
        raise MappingError("a header mapping needs its source system (source_key)")
    if canonical is not None and canonical not in choices(con, kind):
        raise MappingError(f"{canonical!r} is not a canonical {kind} value")
    source = source if kind == "header" else ""
    before = store.execute(con, "mapping_list").filter(
        (pl.col("kind") == kind)
        & (pl.col("source_key") == source)
        & (pl.col("folded_value") == folded)
    )
    old = None
    if before.height:
        old = INVALID_MARK if before["is_invalid"][0] else before["canonical"][0]
    new = INVALID_MARK if canonical is None else canonical
    store.execute(
        con,
        "mapping_upsert",
        kind=kind,
        source_key=source,
        folded_value=folded,
        raw_example=value,
        canonical=canonical,
        is_invalid=canonical is None,
        created_by=username,
        created_at=now,
    )
    store.execute(
        con,
        "mapping_history_insert",
        changed_at=now,
        changed_by=username,
        kind=kind,
        source_key=source,
        folded_value=folded,
        raw_example=value,
        old_canonical=old,
        new_canonical=new,
    )
    where = f" [{source}]" if source else ""
    detail = f"{kind}{where}: «{value}» {old or '-'} -> {new}"
    audit.record(con, username, audit.MAPPING, None, detail)


def history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every change of a mapping, newest first."""
    return store.run_query(con, "mapping_history")


def mapping_list(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return store.run_query(con, "mapping_list")
