"""Tables for the screen: chosen columns as text in the language's formats, headers translated.

Streamlit's grid formats numbers the English way; the dashboard's users read 1.234,5 and 85,3%,
so the cells are formatted here (ioc.i18n formatters) and the pages only show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ioc.i18n import DASH, fmt_date, fmt_datetime, fmt_number, fmt_pct, t

LIGHT_MARKS = {"green": "🟢", "amber": "🟡", "red": "🔴"}


def cell(value: object, kind: str, lang: str) -> object:
    """One value as shown. kind is one of
    'text', 'int', 'num' (1 decimal), 'pct' (a 0..1 rate), 'pp' (a 0..1 difference of rates, in
    percentage points), 'date', 'datetime', 'light' (traffic light word with its mark),
    'rank_change' (▲ 2 / ▼ 1 / =), 'signed' (a change with its sign, one decimal: +4,2 / −1,3 / =), 'key:<prefix>' (translated as prefix + value),
    'flag:<key>' (the word of <key> when true, blank when false) or 'list:<prefix>' (each element
    translated as prefix + element, joined with commas).
    A value that is not there is "—" whatever the kind."""
    if kind.startswith("flag:"):
        return t(kind[5:], lang) if value else ""
    if value is None:
        return DASH
    if kind.startswith("list:"):
        return ", ".join(t(kind[5:] + str(v), lang) for v in value)
    if kind == "int":
        return fmt_number(value, lang, 0)
    if kind == "num":
        return fmt_number(value, lang, 1)
    if kind == "pct":
        return fmt_pct(value, lang)
    if kind == "pp":
        return fmt_number(100 * value, lang, 1)
    if kind == "date":
        return fmt_date(value, lang)
    if kind == "datetime":
        return fmt_datetime(value, lang)
    if kind == "rank_change":
        return rank_arrow(value)
    if kind == "signed":
        return signed(value, lang)
    if kind == "light":
        return f"{LIGHT_MARKS[value]} {t(f'light.{value}', lang)}"
    if kind.startswith("key:"):
        return t(kind[4:] + str(value), lang)
    return value


def display(frame: pl.DataFrame, spec: Mapping[str, tuple[str, str]], lang: str) -> pl.DataFrame:
    """`spec` maps column -> (i18n key of the header, kind of cell()); columns in that order."""
    return pl.DataFrame(
        {
            t(key, lang): [str(cell(v, kind, lang)) for v in frame[column].to_list()]
            for column, (key, kind) in spec.items()
        },
        schema={t(key, lang): pl.String for key, _ in spec.values()},
    )


def arrow(frame: pl.DataFrame) -> Any:
    """A Polars frame as the Arrow table st.dataframe sends as it is: Streamlit turns any other
    frame into pandas first, which was 60% of a table's cost on a served view (issue 21). Text
    columns go as Arrow's plain string type, as they did through pandas."""
    import pyarrow as pa

    table = frame.to_arrow()
    schema = pa.schema(
        [
            f.with_type(pa.string())
            if pa.types.is_large_string(f.type) or pa.types.is_string_view(f.type)
            else f
            for f in table.schema
        ]
    )
    return table.cast(schema)


def shown(frame: pl.DataFrame, spec: Mapping[str, tuple[str, str]], lang: str) -> Any:
    """display() of a frame as the Arrow table st.dataframe sends (the table as shown)."""
    return arrow(display(frame, spec, lang))


def rank_arrow(change: int | None) -> str:
    """▲ 2 (moved up two places), ▼ 1, = (no change), "—" when there was no previous rank."""
    if change is None:
        return DASH
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="


def signed(change: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """+4,2 / −1,3 / "=" when it rounds to zero (never "−0,0"); "—" without a value."""
    if change is None:
        return DASH
    if round(change, decimals) == 0:
        return "="
    text = fmt_number(abs(change), lang, decimals)
    return f"+{text}" if change > 0 else f"−{text}"


NUMERIC_KINDS = frozenset({"int", "num", "pct", "pp", "rank_change", "signed"})


def tone(value: object, kind: str, light: str | None = None) -> str | None:
    """How a cell reads at a glance: 'good' (▲, a rise, a met target), 'bad' (▼, a fall, red),
    'warn' (amber) or None; `light` is the traffic light of the row's rate when the cell is one."""
    if value is None:
        return None
    if kind in ("rank_change", "signed"):
        return "good" if value > 0 else "bad" if value < 0 else None
    if kind == "key:action.status.":  # a meeting action's state (ioc.actions): late, done
        return {"late": "bad", "done": "good"}.get(str(value))
    if kind == "light":
        light = value
    elif kind != "pct":
        return None
    return {"red": "bad", "amber": "warn", "green": "good" if kind == "light" else None}.get(
        light or ""
    )
