"""Limits a file must meet before it is parsed, checked from what the file says of itself (its size,
a zip's table of contents, the cell references of a workbook's sheets, a Parquet schema), so that no
reader allocates for a file that lies: a 2 KB .xlsx with one cell at XFD1048576 asks the Excel
reader for 512 GiB, and a 148 KB one holding a 150-million-character cell unpacks to 150 MB.

Each limit is a setting (README, "Settings"); a file over one is refused with a line naming it.
Values longer than IOC_MAX_VALUE_CHARS are not a file's failure: their rows are quarantined
(validate.py).
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".zip")
_CELL_REF = re.compile(rb'<(?:c|row)\b[^>]*?\br="([A-Z]{0,3})(\d{1,9})"')
_CHUNK = 1 << 20


class LimitError(ValueError):
    """A file over a limit: refused before it is parsed (the message names the limit)."""


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    file_mb: float = 200.0  # IOC_MAX_FILE_MB: any file as it arrives
    unpacked_mb: float = 1000.0  # IOC_MAX_UNPACKED_MB: a zip-based file (xlsx, ods, zip) unpacked
    zip_ratio: float = 100.0  # IOC_MAX_ZIP_RATIO: unpacked / packed size of a member over 1 MB
    sheet_cells: int = 10_000_000  # IOC_MAX_SHEET_CELLS: rows x columns of a workbook sheet
    value_chars: int = 2000  # IOC_MAX_VALUE_CHARS: one value (longer: the row is quarantined)
    id_chars: int = 64  # a dossier id (the portal's MaHoSo is at most about 30)

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            file_mb=_setting("IOC_MAX_FILE_MB", cls.file_mb),
            unpacked_mb=_setting("IOC_MAX_UNPACKED_MB", cls.unpacked_mb),
            zip_ratio=_setting("IOC_MAX_ZIP_RATIO", cls.zip_ratio),
            sheet_cells=int(_setting("IOC_MAX_SHEET_CELLS", cls.sheet_cells)),
            value_chars=int(_setting("IOC_MAX_VALUE_CHARS", cls.value_chars)),
        )


def check_file(path: Path, limits: Limits | None = None) -> None:
    """LimitError when the file is over a limit; nothing is parsed."""
    limits = limits or Limits.from_env()
    size = path.stat().st_size
    if size == 0:
        raise LimitError("the file is empty")
    if size > limits.file_mb * 1e6:
        raise LimitError(
            f"the file is {size / 1e6:.0f} MB, over the limit of {limits.file_mb:.0f} MB "
            "(IOC_MAX_FILE_MB): split the export"
        )
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        _check_zip(path, limits)
    if suffix in (".xlsx", ".xlsm"):
        _check_sheets(path, limits)


def _check_zip(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise LimitError(f"the file is not a readable workbook or archive ({error})") from error
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_mb * 1e6:
        raise LimitError(
            f"the file unpacks to {unpacked / 1e6:.0f} MB, over the limit of "
            f"{limits.unpacked_mb:.0f} MB (IOC_MAX_UNPACKED_MB)"
        )
    for member in members:
        if member.file_size > 1e6 and member.file_size > limits.zip_ratio * max(
            member.compress_size, 1
        ):
            raise LimitError(
                f"{member.filename} unpacks {member.file_size / max(member.compress_size, 1):.0f} "
                f"times its packed size, over the limit of {limits.zip_ratio:.0f} "
                "(IOC_MAX_ZIP_RATIO): a compression bomb or a sheet of one repeated value"
            )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_extent(archive: zipfile.ZipFile, name: str) -> tuple[int, int]:
    """(last row, last column) any cell or row of a worksheet names, read from its XML as a
    stream (what the Excel reader would allocate for)."""
    last_row = last_column = 0
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            for letters, row in _CELL_REF.findall(text):
                last_row = max(last_row, int(row))
                if letters:
                    last_column = max(last_column, _column_number(letters))
            tail = text[-200:]  # a reference cut by the chunk's end is read with the next one
    return last_row, last_column


def _check_sheets(path: Path, limits: Limits) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            rows, columns = sheet_extent(archive, name)
            if rows * max(columns, 1) > limits.sheet_cells:
                raise LimitError(
                    f"a sheet reaches row {rows:,} and column {columns:,}: "
                    f"{rows * max(columns, 1):,} cells, over the limit of "
                    f"{limits.sheet_cells:,} (IOC_MAX_SHEET_CELLS); delete the far cells and "
                    "save the export again"
                )
