"""Readers: an export file as it is (Excel, CSV in any of the usual encodings and separators,
Parquet, the portal's sync JSON) -> a table of raw values with its header row found and its headers
matched to store columns by alias. Nothing is converted here; normalize.py does that.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa

from ioc.ingest.aliases import HEADER_OF, fold

DOSSIER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt", ".tsv", ".parquet", ".json")
HEADER_SCAN_ROWS = 30
MIN_HEADER_HITS = 2
SEPARATORS = (",", ";", "\t")

STEP_FIELDS = {
    "step_at": ("ThoiDiemXuLy", "NgayXuLy", "ThoiGianXuLy"),
    "unit": ("PhongBanXuLy", "DonViXuLy", "BoPhanXuLy"),
    # the handling officer (issue 19): the officer id the roster names (ioc/ingest/roster.py)
    "officer_id": (
        "CanBoXuLy",
        "MaCanBoXuLy",
        "NguoiXuLy",
        "MaNguoiXuLy",
        "Cán bộ xử lý",
        "Người xử lý",
        "Cán bộ thụ lý",
        "Người thụ lý",
        "Mã cán bộ",
        "MaCanBo",
        "NguoiThucHien",
        "officer_id",
    ),
    "action": ("NoiDungXuLy", "HanhDong", "CongViec"),
    "status_after": ("TrangThai", "TrangThaiHoSo"),
    "step_due_at": ("HanXuLy", "NgayHetHanXuLy", "HanXuLyBuoc"),
}
_STEP_OF = {fold(a): k for k, names in STEP_FIELDS.items() for a in names}


class ReadError(ValueError):
    """The file cannot be read as an export at all (format, encoding or no recognisable header)."""


@dataclass
class RawTable:
    """Raw values (strings, or typed columns from Parquet) and where each store column is."""

    frame: pl.DataFrame
    columns: dict[str, str]  # store column -> header in the file
    # Per frame row, where it is in the file (1-based): the CSV line its record starts on, the
    # Excel row, the position in a Parquet file or JSON list. Increasing.
    row_numbers: pl.Series
    steps: pl.DataFrame | None = None  # raw processing log: dossier_id + STEP_FIELDS keys
    notes: list[str] = field(default_factory=list)
    # Cells right of the header's last one (CSV rows longer than the header), "" when the cell is
    # there but empty: any non-null value marks a row with more cells than the header.
    extra_columns: tuple[str, ...] = ()


def match_headers(
    headers: list[object], header_of: Mapping[str, str] = HEADER_OF
) -> dict[str, str]:
    """Store column -> header, by alias after folding (`header_of`: folded alias -> column; the
    dossier exports' by default); the first of two synonyms wins."""
    found: dict[str, str] = {}
    for header in headers:
        column = header_of.get(fold(header))
        if column and column not in found:
            found[column] = str(header)
    return found


def _header_hits(cells: list[object], header_of: Mapping[str, str] = HEADER_OF) -> int:
    return len(match_headers([c for c in cells if c is not None], header_of))


def read_table(path: Path | str, header_of: Mapping[str, str] = HEADER_OF) -> RawTable:
    """Any table file (Excel, CSV, Parquet; the portal's JSON for dossiers) with its header row
    found by the aliases of `header_of`; ReadError when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            return _read_excel(path, header_of)
        if suffix in (".csv", ".txt", ".tsv"):
            return _read_csv(path, header_of)
        if suffix == ".parquet":
            return _read_parquet(path, header_of)
        if suffix == ".json" and header_of is HEADER_OF:
            return _read_portal_json(path)
        raise ReadError(f"unsupported file type: {suffix or path.name}")
    except ReadError:
        raise
    except Exception as error:  # a reader library's own error: the file is not readable
        raise ReadError(f"{type(error).__name__}: {error}") from error


def header_columns(path: Path | str, header_of: Mapping[str, str]) -> dict[str, str]:
    """The columns `header_of` names in the best header row of a CSV or Excel file's first rows
    (every sheet), without reading the rest: how an import tells a file's kind ({} when none)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            import fastexcel

            reader = fastexcel.read_excel(str(path))
            rows = [
                list(scan.row(i))
                for sheet in reader.sheet_names
                for scan in [_sheet(reader, sheet, HEADER_SCAN_ROWS)]
                for i in range(scan.height)
            ]
        elif suffix in (".csv", ".txt", ".tsv"):
            with open(path, "rb") as handle:
                text, _ = _decode(handle.read(65536))
            lines = text.decode("utf-8", errors="ignore").split("\n")[:HEADER_SCAN_ROWS]
            rows = [line.split(sep) for line in lines for sep in SEPARATORS]
        else:
            return {}
    except Exception:  # noqa: BLE001 - not readable here: the reader proper will say why
        return {}
    found = [match_headers([c.strip().strip('"') for c in r if c], header_of) for r in rows]
    return max(found, key=len, default={})


def read(path: Path | str) -> RawTable:
    """Read a dossier export file; ReadError when it is not one."""
    table = read_table(path)
    if "dossier_id" not in table.columns:
        raise ReadError("no dossier id column (Mã hồ sơ / Số hồ sơ / MaHoSo)")
    if table.frame.height == 0:
        raise ReadError(
            "a header but no data rows: nothing to import (the file is not marked as imported)"
        )
    return table


def _header_names(header: tuple | list) -> list[str]:
    """Column names from a header row (blank or repeated headers made unique)."""
    names: list[str] = []
    for i, value in enumerate(header):
        name = str(value).strip() if value not in (None, "") else f"column_{i + 1}"
        while name in names:
            name += "_"
        names.append(name)
    return names


def _positions(start: int, height: int) -> pl.Series:
    return pl.int_range(start, start + height, eager=True, dtype=pl.Int64)


def _table(
    frame: pl.DataFrame,
    row_numbers: pl.Series,
    extra_columns: tuple[str, ...] = (),
    header_of: Mapping[str, str] = HEADER_OF,
    **options,
) -> RawTable:
    """The read table without its blank rows; numbers are taken before, so each row keeps its own."""
    blank = frame.select(pl.all_horizontal(pl.all().is_null())).to_series()
    if blank.any():
        frame, row_numbers = frame.filter(~blank), row_numbers.filter(~blank)
    return RawTable(
        frame,
        match_headers(frame.columns, header_of),
        row_numbers,
        extra_columns=extra_columns,
        **options,
    )


def _read_excel(path: Path, header_of: Mapping[str, str]) -> RawTable:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    # The data sheet is the one whose header names the most store columns (a cover sheet, a
    # summary or a notes sheet may come first); its header row is found in its first rows.
    best: tuple[int, int, str] | None = None  # hits, header row, sheet
    for sheet in reader.sheet_names:
        scan = _sheet(reader, sheet, HEADER_SCAN_ROWS)
        hits = [_header_hits(list(scan.row(i)), header_of) for i in range(scan.height)]
        if hits and max(hits) >= MIN_HEADER_HITS and (best is None or max(hits) > best[0]):
            best = (max(hits), hits.index(max(hits)), sheet)
    if best is None:
        raise ReadError("no header row found in any sheet")
    _, index, sheet = best
    rows = _sheet(reader, sheet)
    body = rows.slice(index + 1)
    body.columns = _header_names(rows.row(index))
    return _table(body, _positions(index + 2, body.height), header_of=header_of)


def _sheet(reader, sheet: str, n_rows: int | None = None) -> pl.DataFrame:
    """A sheet's cells as text; skip_rows=0 keeps its leading empty rows, so position i is Excel
    row i + 1."""
    loaded = reader.load_sheet(sheet, header_row=None, skip_rows=0, n_rows=n_rows, dtypes="string")
    return loaded.to_polars()


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fill one of the two byte positions: UTF-16 writes
    the ASCII digits, separators, line ends and unaccented letters that make up most of an export
    with a zero high byte, while UTF-8 and Windows-1258 text has no NUL at all."""
    pairs = min(len(raw), 4096) // 2
    if pairs == 0:
        return None
    even, odd = raw[0 : 2 * pairs : 2].count(0), raw[1 : 2 * pairs : 2].count(0)
    if odd >= pairs * 0.3 and even <= odd * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= even * 0.05:
        return "utf-16-be"
    return None


def _decode(raw: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of a CSV export and the encoding it came in."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :], "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16").encode("utf-8"), "utf-16"
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16).encode("utf-8"), utf16
    try:
        raw.decode("utf-8")
        return raw, "utf-8"
    except UnicodeDecodeError:
        pass
    # Line by line: a file stitched from two systems' exports may hold a few Windows-1258 lines
    # among UTF-8 ones, and each line is read in the encoding that reads it. Windows-1258 writes
    # many Vietnamese letters as a base letter + a combining tone mark, hence NFC.
    lines, legacy = [], 0
    for line in raw.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(unicodedata.normalize("NFC", line.decode("cp1258", errors="replace")))
            legacy += 1
    encoding = "cp1258" if legacy == len(lines) else f"utf-8, {legacy} line(s) cp1258"
    return "\n".join(lines).encode("utf-8"), encoding


def _find_csv_header(head: list[str], header_of: Mapping[str, str]) -> tuple[int, str]:
    best = (0, 0, ",")
    for index, line in enumerate(head):
        for sep in SEPARATORS:
            cells = [c.strip().strip('"').strip() for c in line.split(sep)]
            hits = _header_hits(cells, header_of)
            if hits > best[0]:
                best = (hits, index, sep)
    if best[0] < MIN_HEADER_HITS:
        raise ReadError("no header row found (no known column names in the first rows)")
    return best[1], best[2]


def _utf8_start(raw: bytes) -> str | None:
    """'utf-8-sig' / 'utf-8' when a CSV export reads as UTF-8 as far as its header region goes
    (its first 64 KiB; Polars checks the rest as it parses); None when it needs decoding first."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw[:65536], final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _read_csv(path: Path, header_of: Mapping[str, str] = HEADER_OF) -> RawTable:
    raw = path.read_bytes()
    encoding = _utf8_start(raw)
    if encoding:
        # Parsed as it is (Polars skips a UTF-8 BOM): no copy, no decoding in Python. Polars
        # refuses invalid UTF-8 anywhere it parses, and every line from the header on is parsed.
        try:
            return _parse_csv(raw, encoding, header_of)
        except UnicodeDecodeError:  # the csv module's reading of a ragged file
            pass
        except pl.exceptions.ComputeError as error:
            if "utf-8" not in str(error):
                raise
    return _parse_csv(*_decode(raw), header_of)


def _parse_csv(data: bytes, encoding: str, header_of: Mapping[str, str] = HEADER_OF) -> RawTable:
    """A CSV export as UTF-8 bytes (a BOM allowed), header row found below any title block."""
    # Lines as the file has them ("\n"; str.splitlines would also break on other characters).
    head = data[:65536].decode("utf-8", errors="ignore").split("\n")[:HEADER_SCAN_ROWS]
    index, sep = _find_csv_header(head, header_of)
    extra: tuple[str, ...] = ()
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=sep,
            skip_lines=index,
            has_header=True,
            infer_schema=False,
            truncate_ragged_lines=False,
        )
        numbers = _record_lines(frame, data, index)
    except pl.exceptions.ComputeError as error:
        if "more fields" not in str(error):
            raise
        frame, numbers, extra = _read_ragged_csv(data.removeprefix(codecs.BOM_UTF8), sep, index)
    names = {",": "comma", ";": "semicolon", "\t": "tab"}
    return _table(
        frame,
        numbers,
        extra,
        header_of,
        notes=[f"encoding {encoding}, separator {names[sep]}"],
    )


def _record_lines(frame: pl.DataFrame, data: bytes, header_index: int) -> pl.Series:
    """The line each record starts on. Polars keeps a blank line as an empty record, so records
    follow lines one for one, except after a quoted cell holding line breaks."""
    first = header_index + 2 + sum(name.count("\n") for name in frame.columns)
    numbers = _positions(first, frame.height)
    if data.count(b"\n") <= first - 1 + frame.height:
        return numbers  # no line break left over for any cell to hold
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    breaks = frame.select(
        pl.sum_horizontal(pl.col(text).str.count_matches("\n", literal=True).fill_null(0))
    ).to_series()
    return numbers + breaks.cum_sum() - breaks


def _read_ragged_csv(
    data: bytes, sep: str, header_index: int
) -> tuple[pl.DataFrame, pl.Series, tuple[str, ...]]:
    """A CSV with rows longer than its header, read record by record so that every cell is kept
    (as extra columns) with the line its record starts on. Polars cannot tell these rows apart
    without dropping their last cells; such files are rare, so the csv module's pace is fine."""
    stream = io.StringIO(data.decode("utf-8"), newline="")
    for _ in range(header_index):
        stream.readline()
    reader = csv.reader(stream, delimiter=sep)
    header = next(reader)
    records, numbers = [], []
    consumed = reader.line_num
    for record in reader:
        numbers.append(header_index + consumed + 1)
        records.append(record)
        consumed = reader.line_num
    width = max([len(header), *map(len, records)])
    names = _header_names(header + [None] * (width - len(header)))
    cells: list[list[str | None]] = [[] for _ in names]
    for record in records:
        for i, column in enumerate(cells):
            value = record[i] if i < len(record) else None
            column.append(value if value != "" or i >= len(header) else None)
    frame = pl.DataFrame(
        dict(zip(names, cells, strict=True)), schema=dict.fromkeys(names, pl.String)
    )
    return frame, pl.Series(numbers, dtype=pl.Int64), tuple(names[len(header) :])


def _read_parquet(path: Path, header_of: Mapping[str, str] = HEADER_OF) -> RawTable:
    import pyarrow.parquet as pq

    # From the file's schema, before reading a row: lists, structs and maps hold no value an
    # export column can mean, and are left unread (a known column of them is refused).
    schema = pq.read_schema(path)
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    known = match_headers(nested, header_of)
    if known:
        raise ReadError(f"columns {', '.join(known.values())} hold lists, not values")
    frame = pl.read_parquet(path, columns=[f.name for f in schema if f.name not in nested])
    return RawTable(frame, match_headers(frame.columns, header_of), _positions(1, frame.height))


def _portal_records(document: object) -> list[dict]:
    if isinstance(document, dict):
        inner = document.get("hoSo", document.get("HoSo", document.get("data", document)))
        return _portal_records(inner) if inner is not document else [document]
    if isinstance(document, list):
        records: list[dict] = []
        for item in document:
            records.extend(_portal_records(item) if isinstance(item, dict | list) else [])
        return records
    return []


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _read_portal_json(path: Path) -> RawTable:
    records = _portal_records(json.loads(path.read_text(encoding="utf-8-sig")))
    if not records:
        raise ReadError("no hoSo object in the JSON document")
    keys: list[str] = []
    for record in records:
        keys.extend(k for k in record if k not in keys and not isinstance(record[k], dict | list))
    frame = pl.DataFrame(
        {k: [_text(r.get(k)) for r in records] for k in keys}, schema=dict.fromkeys(keys, pl.String)
    )
    columns = match_headers(keys)
    steps: list[dict] = []
    id_key = columns.get("dossier_id")
    for record in records:
        log = record.get("QuaTrinhXuLy")  # a list of steps; anything else holds none
        for step in log if isinstance(log, list) else []:
            if not isinstance(step, dict):
                continue
            row = dict.fromkeys(STEP_FIELDS)
            for key, value in step.items():
                target = _STEP_OF.get(fold(key))
                if target and row[target] is None:
                    row[target] = _text(value)
            row["dossier_id"] = _text(record.get(id_key)) if id_key else None
            steps.append(row)
    schema = dict.fromkeys(["dossier_id", *STEP_FIELDS], pl.String)
    step_frame = pl.DataFrame(steps, schema=schema) if steps else None
    return RawTable(frame, columns, _positions(1, frame.height), steps=step_frame)
