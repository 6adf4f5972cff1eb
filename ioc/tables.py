"""Tables for the screen: chosen columns as text in the language's formats, headers translated.

Streamlit's grid formats numbers the English way; the dashboard's users read 1.234,5 and 85,3%,
so the cells are formatted here (ioc.i18n formatters) and the pages only show them.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ioc.i18n import fmt_date, fmt_datetime, fmt_number, fmt_pct, t

LIGHT_MARKS = {"green": "🟢", "amber": "🟡", "red": "🔴"}


def cell(value: object, kind: str, lang: str) -> object:
    """One value as shown: kind is 'text', 'int', 'num' (1 decimal), 'pct', 'date', 'datetime',
    'light' (traffic light word with its mark), 'rank_change' (▲ 2 / ▼ 1 / =) or 'key:<prefix>' (translated as prefix + value)."""
    if kind == "int":
        return fmt_number(value, lang, 0)
    if kind == "num":
        return fmt_number(value, lang, 1)
    if kind == "pct":
        return fmt_pct(value, lang)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if kind == "rank_change":
        return rank_arrow(value)
    if kind == "light":
        return f"{LIGHT_MARKS[value]} {t(f'light.{value}', lang)}" if value else "—"
    if kind.startswith("key:"):
        return t(kind[4:] + str(value), lang) if value is not None else "—"
    return "—" if value is None else value


def display(frame: pl.DataFrame, spec: Mapping[str, tuple[str, str]], lang: str) -> pl.DataFrame:
    """`spec` maps column -> (i18n key of the header, kind of cell()); columns in that order."""
    return pl.DataFrame(
        {
            t(key, lang): [str(cell(v, kind, lang)) for v in frame[column].to_list()]
            for column, (key, kind) in spec.items()
        },
        schema={t(key, lang): pl.String for key, _ in spec.values()},
    )


def rank_arrow(change: int | None) -> str:
    """▲ 2 (moved up two places), ▼ 1, = (no change), blank when there was no previous rank."""
    if change is None:
        return ""
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="
