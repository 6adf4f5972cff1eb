"""Limits checked on a file before any reader parses it (issue 20): a hostile or broken file is
refused with one line naming the limit instead of taking the process's memory.

Every limit is a setting (IOC_* environment variable, README's settings table). The checks read
only metadata or stream the bytes: an .xlsx/.ods's zip directory (sizes, compression ratio), each
worksheet's cell references (the real extent, not the <dimension> it claims) and its longest cell,
a CSV's longest line, a JSON's nesting depth, a Parquet file's schema and row count.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

CHUNK = 1 << 20
# setting -> default; sizes in MB / KB as named
DEFAULTS = {
    "IOC_MAX_FILE_MB": 500,  # any file (a 1-million-row CSV export is about 200 MB)
    "IOC_MAX_UNZIPPED_MB": 1000,  # all entries of a zip container together (xlsx, ods, zip)
    "IOC_MAX_ZIP_RATIO": 200,  # uncompressed / compressed size of one entry (over 1 MB)
    "IOC_MAX_CELLS": 10_000_000,  # rows x columns of a sheet's extent (about 60 bytes a cell)
    "IOC_MAX_ROWS": 2_000_000,  # rows of a sheet, a Parquet file or a CSV
    "IOC_MAX_COLUMNS": 500,  # columns of a sheet or a Parquet file
    "IOC_MAX_CELL_KB": 256,  # one cell of a workbook (Excel itself stops at 32,767 characters)
    "IOC_MAX_LINE_KB": 1024,  # one line of a CSV
    "IOC_MAX_JSON_DEPTH": 64,  # nesting of a JSON document
}


class LimitError(ValueError):
    """A file over one of the limits; the message names the limit and its setting."""


def limit(name: str) -> int:
    """The setting's value (its default when unset or unreadable)."""
    try:
        return int(float(os.environ.get(name, "")))
    except ValueError:
        return DEFAULTS[name]


def _refuse(what: str, found: float, name: str, unit: str = "") -> None:
    shown = f"{found:,.1f}" if unit else f"{found:,.0f}"
    raise LimitError(f"{what} ({shown}{unit}) is over the limit {limit(name):,}{unit} ({name})")


def check(path: Path) -> None:
    """Every limit that applies to the file's type; LimitError on the first one exceeded."""
    size = path.stat().st_size
    if size > limit("IOC_MAX_FILE_MB") << 20:
        _refuse("file size", size / (1 << 20), "IOC_MAX_FILE_MB", " MB")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".ods", ".zip", ".gpkg") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            check_zip(archive)
            if suffix in (".xlsx", ".xlsm"):
                check_workbook(archive)
    elif suffix in (".csv", ".txt", ".tsv"):
        check_lines(path)
    elif suffix in (".json", ".geojson"):
        check_json(path)
    elif suffix == ".parquet":
        check_parquet(path)


def check_zip(archive: zipfile.ZipFile) -> None:
    """Total uncompressed size and each entry's compression ratio, from the zip directory."""
    total = 0
    for entry in archive.infolist():
        total += entry.file_size
        if entry.file_size > 1 << 20 and entry.file_size > limit("IOC_MAX_ZIP_RATIO") * max(
            entry.compress_size, 1
        ):
            _refuse(
                "compression ratio of a zip entry",
                entry.file_size / max(entry.compress_size, 1),
                "IOC_MAX_ZIP_RATIO",
            )
    if total > limit("IOC_MAX_UNZIPPED_MB") << 20:
        _refuse("unzipped size", total / (1 << 20), "IOC_MAX_UNZIPPED_MB", " MB")


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


_LETTERS = [re.compile(rb'r="([A-Z]{%d})[0-9]' % n) for n in (3, 2)]
_DIGITS = [re.compile(rb'r="[A-Z]{0,3}([0-9]{%d})"' % n) for n in range(7, 0, -1)]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _last_reference(buffer: bytes) -> tuple[int, int]:
    """(last row, last column) of the cell and row references (r="XFD1048576", r="5") in a piece
    of worksheet XML. Only the longest references are collected: few in a real sheet."""
    columns = rows = 0
    for pattern in _LETTERS:
        if found := pattern.findall(buffer):
            columns = _column_number(max(found))
            break
    else:
        columns = next((n for n in range(26, 0, -1) if b'r="%c' % (64 + n) in buffer), 0)
    for pattern in _DIGITS:
        if found := pattern.findall(buffer):
            rows = int(max(found))
            break
    return rows, columns


def _scan(chunks: Iterator[bytes], extent: bool) -> tuple[int, int, int, int]:
    """(last row, last column, cells, longest text in bytes) of a worksheet or shared-strings
    part, streamed. A cell's text holds no '<' (XML writes &lt;): the longest run of bytes
    between two '<' bounds every cell. Neighbouring chunks overlap by a tag's length."""
    rows = columns = cells = longest = 0
    offset = 0  # position in the part of the chunk's first byte
    last_open = 0  # position of the last '<' seen
    tail = b""
    for chunk in chunks:
        opens = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 60) + offset
        if opens.size:
            gaps = np.diff(opens, prepend=last_open)
            longest = max(longest, int(gaps.max()))
            last_open = int(opens[-1])
        else:
            longest = max(longest, offset + len(chunk) - last_open)
        offset += len(chunk)
        if extent:
            buffer = tail + chunk
            cells += chunk.count(b"<c ") + chunk.count(b"<c>")
            found = _last_reference(buffer)
            rows, columns = max(rows, found[0]), max(columns, found[1])
            tail = buffer[-64:]
        if longest > limit("IOC_MAX_CELL_KB") << 10:
            break
    return rows, columns, cells, longest


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,7})"')


def check_workbook(archive: zipfile.ZipFile) -> None:
    """Each worksheet's extent (its cells' references, and its <dimension> tag, which the readers
    size their grid by) and the longest cell of the worksheets and the shared strings."""
    names = archive.namelist()
    for name in names:
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        if not (is_sheet or name == "xl/sharedStrings.xml"):
            continue
        rows, columns, cells, longest = _scan(_chunks(archive, name), extent=is_sheet)
        if longest > limit("IOC_MAX_CELL_KB") << 10:
            _refuse("a cell of the workbook", longest / 1024, "IOC_MAX_CELL_KB", " KB")
        if not is_sheet:
            continue
        head = next(_chunks(archive, name), b"")[:65536]
        if found := _DIMENSION.search(head):
            columns = max(columns, _column_number(found.group(1)))
            rows = max(rows, int(found.group(2)))
        _check_extent(rows, columns, cells)


def _check_extent(rows: int, columns: int, cells: int = 0) -> None:
    if rows > limit("IOC_MAX_ROWS"):
        _refuse("rows of a sheet", rows, "IOC_MAX_ROWS")
    if columns > limit("IOC_MAX_COLUMNS"):
        _refuse("columns of a sheet", columns, "IOC_MAX_COLUMNS")
    if max(rows * columns, cells) > limit("IOC_MAX_CELLS"):
        _refuse("cells of a sheet (last row x last column)", rows * columns, "IOC_MAX_CELLS")


def check_lines(path: Path) -> None:
    """The longest line of a text file (bytes between two line ends)."""
    longest = limit("IOC_MAX_LINE_KB") << 10
    if path.stat().st_size <= longest:
        return
    data = np.fromfile(path, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    bounds = np.concatenate(([-1], ends, [data.size]))
    found = int(np.diff(bounds).max()) - 1
    if found > longest:
        _refuse("a line of the file", found / 1024, "IOC_MAX_LINE_KB", " KB")


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def check_json(path: Path) -> None:
    """The nesting depth of a JSON document (strings skipped), before Python's parser recurses."""
    data = _STRING.sub(b'""', path.read_bytes())
    codes = np.frombuffer(data, dtype=np.uint8)
    step = np.zeros(codes.size, dtype=np.int32)
    step[(codes == ord("[")) | (codes == ord("{"))] = 1
    step[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = int(np.cumsum(step).max()) if step.size else 0
    if depth > limit("IOC_MAX_JSON_DEPTH"):
        _refuse("nesting depth of the JSON document", depth, "IOC_MAX_JSON_DEPTH")


def check_parquet(path: Path) -> None:
    """Row and column counts from the Parquet footer."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    if metadata.num_rows > limit("IOC_MAX_ROWS"):
        _refuse("rows of the Parquet file", metadata.num_rows, "IOC_MAX_ROWS")
    if metadata.num_columns > limit("IOC_MAX_COLUMNS"):
        _refuse("columns of the Parquet file", metadata.num_columns, "IOC_MAX_COLUMNS")
