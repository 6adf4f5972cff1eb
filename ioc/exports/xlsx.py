"""Excel: tables and the deck's tables as workbooks, numbers as numbers and text always as
text (a value starting with = + - @ never becomes a formula)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import polars as pl
import xlsxwriter

from ioc.i18n import t
from ioc.tables import cell

if TYPE_CHECKING:
    from ioc.presentation import Slide

# format name -> xlsxwriter number format

NUMBER_FORMATS = {
    "percent": "0.0%",
    "integer": "#,##0",
    "number": "#,##0.0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "text": "@",
    # a rank change stays a number (sortable, summable) and reads ▲ 2 / ▼ 1 / =
    "change": '"▲ "0;"▼ "0;"="',
    # a score change: +4.2 / -1.3 / = (shown with the reader's decimal mark)
    "signed": '+#,##0.0;-#,##0.0;"="',
}


def table_to_xlsx(
    frame: pl.DataFrame,
    headers: Mapping[str, str],
    formats: Mapping[str, str] | None = None,
    sheet_name: str = "Sheet1",
) -> bytes:
    """An .xlsx file of the columns named in `headers` (column -> header text, in that order).

    `formats` maps a column to a key of NUMBER_FORMATS ('percent' for 0..1 rates, 'integer',
    'number', 'date', 'datetime', 'text'). Nulls are left blank; booleans are written as booleans.
    """
    formats = dict(formats or {})
    unknown = set(formats.values()) - set(NUMBER_FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    _add_sheet(book, frame, headers, formats, sheet_name)
    book.close()
    return buffer.getvalue()


def _add_sheet(
    book: xlsxwriter.Workbook,
    frame: pl.DataFrame,
    headers: Mapping[str, str],
    formats: Mapping[str, str],
    sheet_name: str,
    heading: Sequence[str] = (),
) -> None:
    """One table on a sheet of its own: `heading` lines (title, period, as of) above the header
    row, the header frozen and filtered, printed landscape one page wide with the header repeated."""
    name = re.sub(r"[\[\]:*?/\\]", "-", sheet_name)[:31]
    taken = {s.get_name() for s in book.worksheets()}
    for n in range(2, 100):
        if name not in taken:
            break
        name = f"{name[: 31 - len(str(n)) - 3]} ({n})"
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 14})
    cell_formats = {name: book.add_format({"num_format": f}) for name, f in NUMBER_FORMATS.items()}
    # ▲ 2 / ▼ 1 centred, so it never reads as one figure with the column beside it
    cell_formats["change"] = book.add_format(
        {"num_format": NUMBER_FORMATS["change"], "align": "center"}
    )
    for row, line in enumerate(heading):
        sheet.write_string(row, 0, line, title if row == 0 else None)
    top = len(heading) + 1 if heading else 0
    columns = list(headers)
    lines = 1
    for col, name in enumerate(columns):
        sheet.write_string(top, col, str(headers[name]), bold)
        kind = formats.get(name)
        fmt = cell_formats.get(kind) if kind else None
        # as wide as the header's longest word (the header wraps) and the widest value, so a
        # wide table printed one page wide is not shrunk to an unreadable size
        width = max(6, max((len(w) for w in str(headers[name]).split()), default=4) + 2)
        for row, value in enumerate(frame[name].to_list(), start=top + 1):
            _write(sheet, row, col, value, fmt)
            width = max(width, _chars(value))
        sheet.set_column(col, col, width)
        lines = max(lines, _wrapped_lines(str(headers[name]), width - 1))
    sheet.set_row(top, 15 * lines)  # spreadsheets do not grow a wrapped row of a written file
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + max(frame.height, 1), max(len(columns) - 1, 0))
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    sheet.repeat_rows(top)
    sheet.set_footer("&L&A&R&P / &N")


def _wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped at word breaks in a column `width` characters wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _chars(value: object) -> int:
    """About how many characters a value takes in its cell (number formats included), + 2."""
    if isinstance(value, str):
        return min(40, len(value) + 2)
    if isinstance(value, list | tuple):
        return min(40, len(", ".join(str(v) for v in value)) + 2)
    if isinstance(value, datetime):
        return 18
    if isinstance(value, date):
        return 12
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return len(f"{abs(value):,.0f}") + 6  # sign, decimals, % or ▲
    return 6


def _write(sheet, row: int, col: int, value: object, fmt) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, list | tuple):
        sheet.write_string(row, col, ", ".join(str(v) for v in value), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


# ioc.tables.display cell kind -> NUMBER_FORMATS key; other kinds are words (written as text).
KIND_FORMATS = {
    "int": "integer",
    "num": "number",
    "pct": "percent",
    "date": "date",
    "datetime": "datetime",
    "text": "text",
    "rank_change": "change",
    "signed": "signed",
}


def spec_frame(
    frame: pl.DataFrame, spec: Mapping[str, tuple[str, str]], lang: str = "vi"
) -> tuple[pl.DataFrame, dict[str, str], dict[str, str]]:
    """A table spec (column -> (header key, cell kind), as ioc.tables.display takes) as the
    frame, headers and formats of table_to_xlsx: numbers and dates stay values, word kinds
    (lights, flags, translated codes) become their words."""
    columns = {}
    formats = {}
    for column, (_, kind) in spec.items():
        if kind in KIND_FORMATS:
            columns[column] = frame[column]
            formats[column] = KIND_FORMATS[kind]
        else:
            # A light is its word alone: spreadsheet fonts often lack the coloured marks.
            words = [
                (t(f"light.{v}", lang) if v else None)
                if kind == "light"
                else str(cell(v, kind, lang))
                for v in frame[column].to_list()
            ]
            columns[column] = pl.Series(column, words, dtype=pl.String)
            formats[column] = "text"
    headers = {column: t(key, lang) for column, (key, _) in spec.items()}
    return pl.DataFrame(columns), headers, formats


def spec_to_xlsx(
    frame: pl.DataFrame,
    spec: Mapping[str, tuple[str, str]],
    lang: str = "vi",
    sheet_name: str = "Sheet1",
) -> bytes:
    """Any table shown through a spec as an .xlsx with its on-screen headers and real numbers."""
    values, headers, formats = spec_frame(frame, spec, lang)
    return table_to_xlsx(values, headers, formats, sheet_name)


def deck_to_xlsx(
    slides: Sequence[Slide],
    lang: str = "vi",
    title: str = "",
    subtitle: str = "",
    as_of: datetime | None = None,
) -> bytes:
    """Every table of a deck, and the figures behind it (Slide.sheets: every KPI, the whole
    ranking), one sheet each named after the table, under the deck's title, period and as-of
    lines; with the document's title and author set."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {"title": title, "subject": subtitle, "author": t("present.workbook.author", lang)}
    )
    stamp = t("present.sheet.as_of", lang, at=f"{as_of:%H:%M %d/%m/%Y}") if as_of else ""
    for slide in slides:
        for table in [*slide.sheets, *slide.tables]:
            values, headers, formats = spec_frame(table.frame, table.spec, lang)
            heading = [line for line in (title or slide.title, subtitle, stamp) if line]
            _add_sheet(book, values, headers, formats, table.title, [table.title, *heading])
    if not book.worksheets():
        book.add_worksheet(t("present.no_tables", lang)[:31])
    book.close()
    return buffer.getvalue()
