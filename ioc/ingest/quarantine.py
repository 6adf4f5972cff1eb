"""The quarantine as a to-do list (issue 14): quarantined rows keep what re-processing needs (raw
values with personal data masked, the applicant's masked name and salted key, the header
fingerprint of their file), and are re-run through the import pipeline (mappings -> normalize ->
validate -> load) when a mapping may resolve them, in ONE transaction: the rows that now pass land,
rollups and the data version move, their quarantine rows are marked resolved, the rest get their
current reason. The caller learns by how much (`Moved`).

Also: the dry run of an import (`preview`: what a file would insert, update, leave unchanged and
quarantine, writing nothing), the values that sent rows to quarantine (for the mapping page), and
an administrator's deletion of quarantined rows (audited).

A file whose bytes were imported before is still refused as a duplicate (importing the same file
twice changes nothing), but its open quarantined rows are re-run against today's mappings: rows a
mapping taught since then land; with no new mapping nothing changes.

A rating or feedback export's quarantined rows (source_key voice.SOURCE_KEY) are re-run as such
rows (ioc/ingest/voice.recheck: the voice's checks, its dossier lookup, today's mappings), never
through the dossier pipeline; the rows that pass land in one run per import labelled as a retry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from ioc import audit, config, rollups, store, writes
from ioc.i18n import fmt_number, t
from ioc.ingest import (
    catalogue,
    land,
    load,
    mappings,
    normalize,
    readers,
    roster,
    validate,
    voice,
)
from ioc.ingest.aliases import PII_COLUMNS
from ioc.ingest.load import RunResult, registered
from ioc.ingest.readers import RawTable, ReadError

KEYS_FRAME = "quarantine_keys"
NOT_RETRIED = ("too_many_cells",)  # cells slid under the wrong headers: no mapping fixes that


@dataclass
class Moved:
    """What re-processing quarantined rows did: rows landed (inserted + updated), rows still
    quarantined, and per commune the change of received / received online / open dossiers."""

    rows_landed: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_still: int = 0
    communes: list[dict] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)

    def summary(self, lang: str = "vi") -> str:
        """E.g. "32 dòng đã được nhập; Phường Cửa Nam: +5 hồ sơ tiếp nhận, +5 đang xử lý"."""
        parts = [t("mapping.moved_rows", lang, rows=fmt_number(self.rows_landed, lang))]
        for commune in self.communes:
            changes = [
                t(f"mapping.moved.{name}", lang, change=f"{commune[name]:+d}")
                for name in ("received", "received_online", "open_at_end")
                if commune[name]
            ]
            if changes:
                parts.append(f"{commune['commune_name']}: {', '.join(changes)}")
        if self.rows_still:
            parts.append(t("mapping.moved_still", lang, rows=fmt_number(self.rows_still, lang)))
        return "; ".join(parts)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():  # NaN and inf are not
        return str(int(value))
    return str(value)


def _tables(group: pl.DataFrame) -> tuple[RawTable, RawTable] | None:
    """The quarantined rows of one run as the raw table they came from (personal-data columns
    left out: their values are masked), and the same with the communes an administrator settled;
    None when they are no dossier export's rows (a land file's)."""
    records = [json.loads(r) for r in group["raw_values"]]
    headers = list(dict.fromkeys(h for r in records for h in r))
    frame = pl.DataFrame(
        {h: [_cell(r.get(h)) for r in records] for h in headers},
        schema=dict.fromkeys(headers, pl.String),
    )
    columns = readers.match_headers(headers)
    for column in PII_COLUMNS:
        columns.pop(column, None)
    table = RawTable(frame, columns, group["row_number"].cast(pl.Int64))
    settled = group["settled_commune"]
    if settled.is_null().all():
        return table, table
    settled_columns = [h for c in ("commune_code", "commune_name") if (h := columns.get(c))]
    if not settled_columns:
        return None
    rewritten = frame.with_columns(
        pl.when(settled.is_not_null()).then(settled).otherwise(pl.col(h)).alias(h)
        for h in settled_columns
    )
    return table, RawTable(rewritten, columns, table.row_numbers)


@dataclass
class _Prepared:
    group: pl.DataFrame
    rows: pl.DataFrame  # to load
    quarantine: pl.DataFrame  # still rejected (annotated)
    merged: int


def _prepare(
    con: duckdb.DuckDBPyConnection, open_rows: pl.DataFrame, province: str | None
) -> list[_Prepared]:
    """Each run's open rows through mappings -> normalize -> validate, nothing written."""
    taught = mappings.Taught.from_store(con)
    index = normalize.CommuneIndex.from_store(con, province)
    now = config.now()
    prepared = []
    for _, group in open_rows.group_by("run_id", maintain_order=True):
        tables = _tables(group)
        if tables is None:
            continue
        table, settled = tables
        mapped = taught.apply(settled)
        if "dossier_id" not in mapped.columns:
            continue
        frame = normalize.normalize(mapped, index)
        name_header = readers.match_headers(list(table.frame.columns)).get("applicant_name")
        stored_name = group["applicant_masked"]
        if name_header:
            stored_name = stored_name.fill_null(table.frame[name_header])
        frame = frame.with_columns(
            pl.col("_row")
            .replace_strict(group["row_number"], stored_name, default=None, return_dtype=pl.String)
            .alias("applicant_masked"),
            pl.col("_row")
            .replace_strict(
                group["row_number"], group["applicant_key"], default=None, return_dtype=pl.String
            )
            .alias("applicant_key"),
        )
        checked = taught.check(table, mapped, frame, now)
        prepared.append(_Prepared(group, checked.rows, checked.quarantine, checked.merged))
    return prepared


def _totals(con: duckdb.DuckDBPyConnection, communes: set[str]) -> dict[str, dict]:
    frame = store.execute(
        con,
        "quarantine_commune_totals",
        communes=sorted(communes),
        today=config.now().date(),
    )
    return {row["commune_code"]: row for row in frame.iter_rows(named=True)}


def _open_rows(
    con: duckdb.DuckDBPyConnection,
    sha256: str | None = None,
    keys: pl.DataFrame | None = None,
    kind: str | None = None,
    source: str = "",
) -> pl.DataFrame:
    try:
        rows = store.execute(con, "quarantine_open", sha256=sha256)
    except duckdb.BinderException:  # a store of an earlier release opened read-only
        return pl.DataFrame()
    rows = rows.filter(~pl.col("reason_code").is_in(NOT_RETRIED))
    # a rating or feedback export's rows are re-run as such (`_split`, `_reprocess_voice`), never
    # as dossier rows; those kept with a value cut short are not re-run (voice.NOT_RETRIED)
    is_voice = pl.col("source_key").fill_null("") == voice.SOURCE_KEY
    rows = rows.filter(~is_voice | ~pl.col("reason_code").is_in(voice.NOT_RETRIED))
    if keys is not None:
        rows = rows.join(keys.select("run_id", "row_number"), on=["run_id", "row_number"])
    if kind is not None:
        rows = rows.filter(pl.col("problem_kind") == kind)
        if kind == "header" and source:
            rows = rows.filter(pl.col("source_key") == source)
    return rows


def _split(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Open rows as (dossier rows, rating and feedback rows)."""
    if rows.is_empty():
        return rows, rows
    is_voice = pl.col("source_key").fill_null("") == voice.SOURCE_KEY
    return rows.filter(~is_voice), rows.filter(is_voice)


@dataclass
class _VoicePrepared:
    group: pl.DataFrame
    kind: str  # 'ratings' | 'feedback'
    rows: pl.DataFrame  # to load
    quarantine: pl.DataFrame  # still rejected (with their current reason and problem value)


def _prepare_voice(
    con: duckdb.DuckDBPyConnection, open_rows: pl.DataFrame, province: str | None
) -> list[_VoicePrepared]:
    """Each rating or feedback import's open rows checked again, nothing written."""
    if open_rows.is_empty():
        return []
    taught = mappings.Taught.from_store(con)
    index = normalize.CommuneIndex.from_store(con, province)
    prepared = []
    for _, group in open_rows.group_by("run_id", maintain_order=True):
        kind, rows, still = voice.recheck(con, group, province, index, taught)
        prepared.append(_VoicePrepared(group, kind, rows, still))
    return prepared


def _requeue(con: duckdb.DuckDBPyConnection, run_id: str, still: pl.DataFrame) -> None:
    """Rows a retry still rejects keep their current reason and problem value."""
    if not still.height:
        return
    requeue = still.select(
        pl.lit(run_id).alias("run_id"),
        "row_number",
        "reason_code",
        "reason_vi",
        "reason_en",
        "problem_kind",
        "problem_value",
    )
    with registered(con, KEYS_FRAME, requeue):
        store.execute(con, "quarantine_requeue")


def _reprocess_voice(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    open_rows: pl.DataFrame,
    province: str | None,
    moved: Moved,
) -> None:
    """Re-run open rating and feedback rows: per import, the rows that now pass upserted in one
    new run (labelled as a retry of that import), their quarantine rows closed as resolved, the
    rest requeued; in the CALLER's transaction (the data version is the caller's)."""
    started = config.now()
    for item in _prepare_voice(con, open_rows, province):
        group, still = item.group, item.quarantine
        moved.rows_still += still.height
        _requeue(con, group["run_id"][0], still)
        if not item.rows.height:
            continue
        result = RunResult(
            run_id=load.new_run_id(started),
            source_file=group["source_file"][0],
            sha256=group["sha256"][0] or "",
            status="ok",
            started_at=started,
            username=username,
            rows_read=group.height,
            rows_quarantined=still.height,
            kind=item.kind,
            message=t("mapping.retry_note", "vi", run=group["run_id"][0]),
        )
        voice.write_rows(con, result, item.rows, item.kind)
        _landed(con, group, still, result, moved, username)


def _landed(
    con: duckdb.DuckDBPyConnection,
    group: pl.DataFrame,
    still: pl.DataFrame,
    result: RunResult,
    moved: Moved,
    username: str | None,
) -> None:
    """The rows of one run's group not `still` quarantined landed in `result`'s run: close them
    as resolved, record the run and count it in `moved`."""
    landed = group.filter(~pl.col("row_number").is_in(still["row_number"].implode()))
    with registered(con, KEYS_FRAME, landed.select("run_id", "row_number")):
        store.execute(
            con,
            "quarantine_close",
            status="resolved",
            closed_by=username,
            closed_at=audit.wall_clock(),
            closed_run_id=result.run_id,
        )
    result.finished_at = config.now()
    load.record_run(con, result)
    moved.rows_landed += landed.height
    moved.rows_inserted += result.rows_inserted
    moved.rows_updated += result.rows_updated
    moved.run_ids.append(result.run_id)


def reprocess(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    *,
    sha256: str | None = None,
    keys: pl.DataFrame | None = None,
    kind: str | None = None,
    source: str = "",
    province: str | None = config.DEFAULT_PROVINCE,
) -> Moved:
    """Re-run open quarantined rows (all; those of one file's bytes; `keys` (run_id, row_number);
    those one `kind` of value sent there) and write the outcome, in the CALLER's transaction.
    Rating and feedback rows are re-run as such (`_reprocess_voice`); the data version moves once
    when any row landed."""
    open_rows, voice_rows = _split(_open_rows(con, sha256, keys, kind, source))
    moved = Moved()
    if not voice_rows.is_empty():
        _reprocess_voice(con, username, voice_rows, province, moved)
    voice_landed = moved.rows_landed
    if open_rows.is_empty():
        if voice_landed:
            load.bump_version(con)
        return moved
    prepared = _prepare(con, open_rows, province)
    landing = [p for p in prepared if p.rows.height]
    ids = pl.concat([p.rows.select("dossier_id") for p in landing]) if landing else None
    candidates: set[str] = set()
    if ids is not None:
        candidates = {c for p in landing for c in p.rows["commune_code"].drop_nulls()}
        with registered(con, load.IDS_FRAME, ids):
            candidates |= set(store.execute(con, "quarantine_held_communes")["commune_code"])
    before = _totals(con, candidates) if candidates else {}
    in_step = rollups.in_step(con)
    touched: set[str] = set()
    started = config.now()
    for item in prepared:
        group = item.group
        still = item.quarantine
        moved.rows_still += still.height
        _requeue(con, group["run_id"][0], still)
        if not item.rows.height:
            continue
        result = RunResult(
            run_id=load.new_run_id(started),
            source_file=group["source_file"][0],
            sha256=group["sha256"][0] or "",
            status="ok",
            started_at=started,
            username=username,
            rows_read=group.height,
            rows_quarantined=still.height,
            rows_merged=item.merged,
            message=t("mapping.retry_note", "vi", run=group["run_id"][0]),
        )
        load.write_dossiers(con, result, item.rows, None)
        _landed(con, group, still, result, moved, username)
        touched |= result.touched_communes
    if moved.rows_landed > voice_landed:
        load.bump_version(con)
        load.refresh_rollups(con, touched if in_step else None)
        after = _totals(con, candidates | touched)
        zero = {"received": 0, "received_online": 0, "open_at_end": 0}
        for code, row in after.items():
            old = before.get(code, zero)
            change = {k: int(row[k]) - int(old[k]) for k in zero}
            if any(change.values()):
                moved.communes.append(
                    {"commune_code": code, "commune_name": row["commune_name"], **change}
                )
    elif voice_landed:
        load.bump_version(con)
    return moved


@writes.op
@store.retried
def retry(
    con: duckdb.DuckDBPyConnection,
    username: str | None,
    province: str | None = config.DEFAULT_PROVINCE,
    **which,
) -> Moved:
    """reprocess in a transaction of its own (under the store's write lock)."""
    with store.WRITE_LOCK, load.transaction(con):
        return reprocess(con, username, province=province, **which)


@writes.op
@store.retried
def add_mapping(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    value: str,
    canonical: str | None,
    username: str | None,
    *,
    source: str = "",
    province: str | None = config.DEFAULT_PROVINCE,
) -> Moved:
    """Teach a mapping (canonical None: truly invalid) and re-run the open rows of that kind in
    the same transaction. mappings.MappingError when it cannot be taught (nothing written)."""
    with store.WRITE_LOCK, load.transaction(con):
        mappings.teach(con, kind, value, canonical, username, source=source, now=audit.wall_clock())
        return reprocess(con, username, kind=kind, source=source, province=province)


def settle_rows(
    con: duckdb.DuckDBPyConnection,
    keys: pl.DataFrame,
    commune_code: str,
    username: str | None,
    province: str | None = config.DEFAULT_PROVINCE,
) -> Moved:
    """The administrator picks the commune of some quarantined rows (an old unit split across new
    communes): recorded on the rows, audited, and the rows re-run, in one transaction. `keys`:
    the rows chosen (their run_id and row_number are what is sent, on the lake to the worker)."""
    return _settle(con, keys.select("run_id", "row_number"), commune_code, username, province)


@writes.op
@store.retried
def _settle(
    con: duckdb.DuckDBPyConnection,
    keys: pl.DataFrame,
    commune_code: str,
    username: str | None,
    province: str | None,
) -> Moved:
    if commune_code not in mappings.choices(con, "commune"):
        raise mappings.MappingError(f"unknown commune code: {commune_code}")
    with store.WRITE_LOCK, load.transaction(con):
        with registered(con, KEYS_FRAME, keys):
            store.execute(con, "quarantine_settle", commune_code=commune_code)
        detail = f"commune of {keys.height} quarantined row(s) -> {commune_code}"
        audit.record(con, username, audit.MAPPING, commune_code, detail)
        return reprocess(con, username, keys=keys, province=province)


def delete_rows(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame, username: str | None) -> int:
    """Close quarantined rows as deleted by an administrator (kept, marked; audited)."""
    return _delete(con, keys.select("run_id", "row_number"), username)


@writes.op
@store.retried
def _delete(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame, username: str | None) -> int:
    with store.WRITE_LOCK, load.transaction(con):
        with registered(con, KEYS_FRAME, keys):
            count = store.execute(
                con,
                "quarantine_close",
                status="deleted",
                closed_by=username,
                closed_at=audit.wall_clock(),
                closed_run_id=None,
            )
        deleted = int(count.item(0, 0)) if count.height else 0
        files = ", ".join(sorted(set(keys["run_id"])))
        audit.record(con, username, audit.QUARANTINE_DELETE, None, f"{deleted} row(s) of {files}")
    return deleted


def open_values(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The values that sent open rows to quarantine (kind, value, source system for headers) with
    row counts, files, unknown headers (for 'header') and a proposed canonical value."""
    frame = store.run_query(con, "quarantine_values")
    taught = mappings.Taught.from_store(con)
    offered = {kind: mappings.choices(con, kind) for kind in mappings.KINDS}
    proposals, unknown = [], []
    for row in frame.iter_rows(named=True):
        headers: list[str] = []
        if row["problem_kind"] == "header":
            sample = store.run_query(
                con,
                "quarantine_rows_of_value",
                kind="header",
                value=row["problem_value"],
                source_key=row["source_key"],
                limit=1,
            )
            if sample.height:
                headers = mappings.unknown_headers(sample["raw_values"][0], taught)
        unknown.append(", ".join(headers))
        proposals.append(
            mappings.propose(
                row["problem_kind"],
                headers[0] if headers else row["problem_value"],
                offered[row["problem_kind"]],
            )
        )
    return frame.with_columns(
        pl.Series("unknown_headers", unknown, pl.String),
        pl.Series("proposed", proposals, pl.String),
    )


def rows_of_value(
    con: duckdb.DuckDBPyConnection, kind: str, value: str, source: str = "", limit: int = 200
) -> pl.DataFrame:
    """Open quarantined rows one value sent there (raw values masked), file order."""
    return store.run_query(
        con, "quarantine_rows_of_value", kind=kind, value=value, source_key=source, limit=limit
    )


def listing(con: duckdb.DuckDBPyConnection, all_states: bool = False) -> pl.DataFrame:
    """Quarantined rows (open ones, or every state) for `ioc quarantine list`."""
    return store.run_query(con, "quarantine_list", all_states=all_states)


@dataclass
class Preview:
    """What importing a file would do (dry run): the same counts the real run then reports."""

    source_file: str
    status: str  # 'ok' | 'duplicate_file' | 'failed' | 'land'
    rows_read: int = 0
    to_insert: int = 0
    to_update: int = 0
    unchanged: int = 0
    merged: int = 0
    quarantine: dict[str, int] = field(default_factory=dict)  # reason -> rows
    unmapped: list[tuple[str, str, int]] = field(default_factory=list)  # kind, value, rows
    examples: dict[str, tuple[str, str]] = field(default_factory=dict)  # reason -> (vi, en) of one
    message: str = ""

    @property
    def to_quarantine(self) -> int:
        return sum(self.quarantine.values())


def _preview_other(con: duckdb.DuckDBPyConnection, path: Path, province: str | None) -> dict | None:
    """The dry run of a roster (issue 19), a rating or feedback export or a procedure catalogue
    (issue 18), told as ingest_file tells them; None for a dossier export."""
    if roster.is_roster_file(path):
        return roster.preview(con, path, province)
    if kind := voice.kind_of(path):
        return voice.preview(con, path, kind, province)
    if catalogue.is_catalogue_file(path):
        return catalogue.preview(con, path)
    return None


def preview(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    source_name: str | None = None,
    province: str | None = config.DEFAULT_PROVINCE,
) -> Preview:
    """The dry run of ingest_file for a dossier export: reads, normalises and checks the file as
    the import does and compares it with the store, writing nothing (works on a read-only
    connection). A duplicate file reports the rows of its quarantine that would now land."""
    path = Path(path)
    result = Preview(source_name or path.name, "ok")
    sha = load.file_sha256(path)
    if load.seen_before(con, sha):
        result.status = "duplicate_file"
        rows, voice_rows = _split(_open_rows(con, sha256=sha))
        if rows.height or voice_rows.height:
            landing = sum(p.rows.height + p.merged for p in _prepare(con, rows, province))
            landing += sum(
                p.group.height - p.quarantine.height
                for p in _prepare_voice(con, voice_rows, province)
                if p.rows.height
            )
            result.message = t("mapping.preview_retry", "vi", rows=landing)
        return result
    if land.is_land_file(path):
        result.status = "land"
        return result
    try:
        found = _preview_other(con, path, province)
    except ReadError as error:
        result.status, result.message = "failed", str(error)
        return result
    if found is not None:
        for name, value in found.items():
            setattr(result, name, value)
        return result
    try:
        table = readers.read(path)
    except ReadError as error:
        result.status, result.message = "failed", str(error)
        return result
    result.rows_read = table.frame.height
    taught = mappings.Taught.from_store(con)
    index = normalize.CommuneIndex.from_store(con, province)
    mapped = taught.apply(table)
    frame = normalize.normalize(mapped, index)
    checked = taught.check(table, mapped, frame, config.now())
    rows = checked.rows
    procedures = (
        rows.filter(pl.col("procedure_code").is_not_null())
        .group_by("procedure_code")
        .agg(pl.col("procedure_name").max())
    )
    with registered(con, load.PROCEDURES_FRAME, procedures):
        defaults = store.execute(con, "ingest_procedure_defaults")
    rows = load._with_procedure_defaults(rows.drop("procedure_name"), defaults)
    with registered(con, load.DOSSIER_FRAME, rows):
        held, to_update = store.execute(con, "ingest_preview_changes").row(0)
    result.to_insert = rows.height - held
    result.to_update = to_update
    result.unchanged = held - to_update
    result.merged = checked.merged
    quarantine = checked.quarantine
    result.quarantine = dict(
        quarantine.group_by("reason_code").len().sort("len", descending=True).iter_rows()
    )
    for code, vi, en in quarantine.select("reason_code", "reason_vi", "reason_en").iter_rows():
        result.examples.setdefault(code, (vi, en))
    result.unmapped = validate.unmapped(quarantine)
    return result
