"""Procedure catalogue exports (issue 18, index 766): what the province's catalogue says of each
procedure that a dossier export does not: whether it is published in the national procedures
database (indicator 1.2) and whether its result is a paper document (indicator 3.3). A catalogue is
told from the other exports by its header (a procedure code, one of the two flags, and no dossier,
feedback or officer column), read with the usual readers, checked row by row (bad rows quarantined
with their reason) and merged into `procedures` by code: importing the same catalogue again changes
nothing.

Only the two flags are taken from the file (and the name of a procedure the store does not know
yet): names, fields and the maximum handling time come from the packaged national catalogue
(ioc/reference.py), which a refresh after an upgrade rewrites; the flags it leaves alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ioc.ingest import load, validate
from ioc.ingest.aliases import fold
from ioc.ingest.limits import Limits
from ioc.ingest.load import RunResult
from ioc.ingest.readers import ReadError, header_columns, read_table
from ioc.store import execute

CATALOGUE_FRAME = "ingest_batch_catalogue"
# Catalogue column -> header wordings of real catalogue exports (compared after aliases.fold).
CATALOGUE_ALIASES: dict[str, tuple[str, ...]] = {
    "procedure_code": (
        "Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "Mã số TTHC", "MaTTHC", "MaThuTuc",
        "procedure_code",
    ),
    "procedure_name": (
        "Tên thủ tục", "Tên TTHC", "Tên thủ tục hành chính", "TenTTHC", "TenThuTuc",
        "procedure_name",
    ),
    "published": (
        "Công bố trên CSDL quốc gia", "Đã công bố trên CSDL quốc gia", "Công khai trên CSDL",
        "Đã công khai trên CSDL quốc gia", "Công bố CSDLQG", "Đã công bố", "Công khai",
        "DaCongBo", "CongKhai", "published",
    ),
    "paper_result": (
        "Kết quả bản giấy", "Kết quả là bản giấy", "Trả kết quả bản giấy", "Kết quả giấy",
        "Yêu cầu kết quả giấy", "KetQuaBanGiay", "paper_result",
    ),
}  # fmt: skip
CATALOGUE_HEADER_OF = {fold(a): k for k, names in CATALOGUE_ALIASES.items() for a in names}
FLAGS = ("published", "paper_result")
# Checked in this order; a row is quarantined under the first reason it meets.
REASONS = ("value_too_long", "no_procedure", "bad_flag", "unknown_procedure", "catalogue_conflict")
SCHEMA = {
    "procedure_code": pl.String,
    "procedure_name": pl.String,
    "published": pl.Boolean,
    "paper_result": pl.Boolean,
}
# Yes / no as catalogues write them (aliases.fold: no diacritics, spaces or case); empty: not
# said. "Có", "x", "Đã công bố", "Bản giấy" / "Không", "Chưa công bố", "Bản điện tử".
YES = {"co", "x", "1", "true", "yes", "y", "dacongbo", "dacongkhai", "congkhai", "bangiay", "giay"}
NO = {"khong", "0", "false", "no", "n", "chua", "chuacongbo", "chuacongkhai", "bandientu", "dientu"}


def is_catalogue_file(path: Path) -> bool:
    """A catalogue by its header: a procedure code and a flag, and no dossier, feedback or
    officer column (those exports name procedures too)."""
    from ioc.ingest.aliases import HEADER_OF
    from ioc.ingest.roster import ROSTER_HEADER_OF

    found = header_columns(path, CATALOGUE_HEADER_OF)
    if "procedure_code" not in found or not set(FLAGS) & found.keys():
        return False
    if "dossier_id" in header_columns(path, HEADER_OF):
        return False
    roster = header_columns(path, ROSTER_HEADER_OF)
    return not {"officer_id", "officer_name"} & roster.keys()


def read_flag(text: str | None) -> tuple[bool | None, bool]:
    """(value, readable): 'Có' / 'x' / '1' / 'Đã công bố' are yes, 'Không' / '0' / 'Chưa' no;
    empty is not said (None, readable)."""
    if text is None or not str(text).strip():
        return None, True
    word = fold(str(text))
    if word in YES:
        return True, True
    if word in NO:
        return False, True
    return None, False


def check(table, known: set[str]) -> tuple[pl.DataFrame, list[tuple[int, dict, str, dict]]]:
    """Catalogue rows to load (SCHEMA, one per code) and the rejected rows (row number, raw
    values, reason code, reason detail). `known`: the procedure codes the store holds."""
    raw = table.frame.select(pl.all().cast(pl.String))
    cols = table.columns
    limit = Limits.from_env().value_chars
    rows, rejected = [], []
    for i, values in enumerate(raw.iter_rows(named=True)):
        number = int(table.row_numbers[i])

        def get(column: str, values=values) -> str | None:
            value = values.get(cols[column]) if column in cols else None
            return value.strip() if isinstance(value, str) and value.strip() else None

        code, name = get("procedure_code"), get("procedure_name")
        flags = {f: read_flag(get(f)) for f in FLAGS}
        unreadable = [f for f in FLAGS if not flags[f][1]]
        reason, detail = None, {}
        if any(isinstance(v, str) and len(v) > limit for v in values.values()):
            reason, detail = "value_too_long", {"chars": str(limit)}
        elif code is None:
            reason = "no_procedure"
        elif unreadable:
            column = cols[unreadable[0]]
            reason, detail = "bad_flag", {"column": column, "value": get(unreadable[0]) or ""}
        elif code not in known and name is None:
            reason, detail = "unknown_procedure", {"value": code}
        row = {"procedure_code": code, "procedure_name": name}
        row |= {f: flags[f][0] for f in FLAGS}
        if reason is None:
            rows.append((number, dict(values), row))
        else:
            rejected.append((number, dict(values), reason, detail))
    # One row per code: a row given twice is loaded once; a code given twice with different
    # flags is not guessed, every copy of it is quarantined.
    versions: dict[str, list[dict]] = {}
    for _, _, row in rows:
        versions.setdefault(row["procedure_code"], []).append(row)
    kept: dict[str, dict] = {}
    for number, shown, row in rows:
        code = row["procedure_code"]
        if all({f: o[f] for f in FLAGS} == {f: row[f] for f in FLAGS} for o in versions[code]):
            kept.setdefault(code, row)
        else:
            rejected.append((number, shown, "catalogue_conflict", {"value": code}))
    rejected.sort(key=lambda r: r[0])
    loaded = list(kept.values())
    frame = (
        pl.DataFrame(loaded, schema=SCHEMA, orient="row") if loaded else pl.DataFrame(schema=SCHEMA)
    )
    return frame, rejected


def prepare(
    con: duckdb.DuckDBPyConnection, path: Path, result: RunResult
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Read and check a catalogue; return the writer to run inside the import's transaction."""
    result.rows_read, frame, quarantine = _checked(con, path)
    result.kind = "catalogue"
    result.rows_quarantined = quarantine.height

    def write(con: duckdb.DuckDBPyConnection) -> None:
        with load.registered(con, CATALOGUE_FRAME, frame):
            counts = execute(con, "ingest_catalogue_counts").row(0, named=True)
            result.rows_inserted, result.rows_updated = counts["inserted"], counts["updated"]
            execute(con, "ingest_catalogue_merge")
        load.write_quarantine(con, result, quarantine)

    return write


def _checked(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, pl.DataFrame, pl.DataFrame]:
    """Rows read, the rows to load and the quarantine rows of a catalogue."""
    table = read_table(path, CATALOGUE_HEADER_OF)
    if table.frame.height == 0:
        raise ReadError("a header but no data rows: nothing to import")
    known = set(execute(con, "ingest_catalogue_known")["procedure_code"].to_list())
    frame, rejected = check(table, known)
    return table.frame.height, frame, validate.rejected_frame(rejected)


def preview(con: duckdb.DuckDBPyConnection, path: Path) -> dict:
    """The dry run of a catalogue import, nothing written (validate.dry_run's figures)."""
    rows_read, frame, quarantine = _checked(con, path)
    with load.registered(con, CATALOGUE_FRAME, frame):
        counts = execute(con, "ingest_catalogue_counts").row(0, named=True)
    return validate.dry_run(rows_read, frame.height, counts, quarantine)
