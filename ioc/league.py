"""Figures of the Xếp hạng (league table) page and of the top / bottom lists of Tổng quan.

Score, rank and rank change come from kpi.commune_ranking; this module only chooses columns and
searches. The page shows TABLE_SPEC through ioc.tables.display and downloads it through
ioc.exports.spec_to_xlsx.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl

from ioc import charts, config, index766, kpi, metrics, quality, tables
from ioc.kpi import Period

POINT_COLUMNS = [f"points_{group}" for group, *_ in kpi.SCORE_GROUPS]
RATE_COLUMNS = list(metrics.names(place=metrics.LEAGUE))
LIGHT_COLUMNS = [f"light_{m}" for m in RATE_COLUMNS if metrics.BY_NAME[m].targeted]
# column -> (header key, ioc.tables.cell kind) of the whole league table, in the order shown; the
# page and its Excel download both write it through this one spec.
TABLE_SPEC = {
    "rank": ("league.col.rank", "int"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "commune_code": ("league.col.commune_code", "text"),
    "commune_name": ("league.col.commune_name", "text"),
    "score": ("league.col.score", "num"),
    "index_766": ("league.col.index_766", "num"),
    **{f"points_{g}": (f"league.col.points_{g}", "num") for g, *_ in kpi.SCORE_GROUPS},
    **{m: (metrics.BY_NAME[m].label_key, "pct") for m in RATE_COLUMNS},
    "received": ("league.col.received", "int"),
    **{c: (f"league.col.{c}", "light") for c in LIGHT_COLUMNS},
    "thin_data": ("league.col.thin_data", "flag:league.thin"),
    "groups_left_out": ("league.col.groups_left_out", "list:group."),
}
TABLE_COLUMNS = list(TABLE_SPEC)
# Kept in view when a narrow screen scrolls the table sideways: the rank, the name, the score.
PINNED = ("rank", "commune_name", "score")
# Sort keys offered on the page (an allowlist: the widget value picks one of these columns).
# "rank" sorts by the dashboard's score, "index_766" by the national index (issue 18).
SORT_KEYS = ("rank", "index_766", *RATE_COLUMNS, "received", "commune_name")
TOP_N = 10
# column -> (header key, ioc.tables.cell kind) of a short ranking table: the presenter's league
# slide and the drill-down's neighbours show it whole, the overview's top/bottom without the change.
RANKING_COLUMNS = {
    "rank": ("league.col.rank", "int"),
    "rank_change": ("league.col.rank_change", "rank_change"),
    "commune_name": ("league.col.commune_name", "text"),
    "score": ("league.col.score", "num"),
    "online_rate": ("kpi.online_rate", "pct"),
    "end_to_end_rate": ("kpi.end_to_end_rate", "pct"),
    "received": ("league.col.received", "int"),
}
TOP_COLUMNS = {k: v for k, v in RANKING_COLUMNS.items() if k != "rank_change"}


def league_table(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    province: str = config.DEFAULT_PROVINCE,
    field: str | None = None,
) -> pl.DataFrame:
    """One row per commune: rank, rank change, score, the national index (docs/index-766.md:
    over all the commune's dossiers, whatever the field), group points, rates, received, lights."""
    ranking = kpi.commune_ranking(con, period, province, field)
    index = index766.commune_scores(con, period, province)
    return ranking.join(index, on="commune_code", how="left").select(TABLE_COLUMNS)


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, so 'phuong mot' finds 'Phường Một'."""
    text = text.lower().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def search(table: pl.DataFrame, query: str) -> pl.DataFrame:
    """Rows whose name or code contains the query (accent- and case-insensitive)."""
    needle = fold(query.strip())
    if not needle:
        return table
    folded = table["commune_name"].map_elements(fold, return_dtype=pl.String)
    hit = folded.str.contains(needle, literal=True) | table["commune_code"].str.contains(
        needle, literal=True
    )
    return table.filter(hit)


def sort_table(table: pl.DataFrame, key: str, descending: bool = False) -> pl.DataFrame:
    """Sort by an allowlisted column; nulls ("—") always last."""
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}")
    return table.sort([key, "rank"], descending=[descending, False], nulls_last=True)


def top_bottom(table: pl.DataFrame, n: int = TOP_N) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The n best and the n worst communes by rank, among those with a score.

    With fewer than 2n scored communes the lists share no commune: the bottom list takes what the
    top list left.
    """
    scored = table.filter(pl.col("score").is_not_null()).sort("rank")
    top = scored.head(n)
    rest = scored.slice(top.height)
    bottom = rest.tail(n).sort("rank", descending=True)
    return top, bottom


def header_keys() -> dict[str, str]:
    """Column -> i18n key of its header."""
    return {column: key for column, (key, _) in TABLE_SPEC.items()}


# --- the page's table and chart as shown (built once per scope and data version, pages/league.py)


def shown_rows(table: pl.DataFrame, query: str, key: str, descending: bool) -> pl.DataFrame:
    """The league table's rows found by `query`, sorted by `key`."""
    return sort_table(search(table, query), key, descending)


def display_table(shown: pl.DataFrame, scores: pl.DataFrame, lang: str) -> Any:
    """The rows shown as the table sent (Arrow): TABLE_SPEC's columns with the data-quality score
    beside the service score (quality.commune_quality_scores)."""
    display = tables.display(shown, TABLE_SPEC, lang)
    display = display.insert_column(5, quality.score_column(shown, scores, lang))
    return tables.arrow(display)


def chart(shown: pl.DataFrame, metric: str, targets: pl.DataFrame, lang: str) -> go.Figure:
    """A bar per commune shown on one rate, coloured by its light, with the target in force."""
    return charts.commune_bars(
        shown, metric, kpi.resolve_target(targets, metric), f"light_{metric}", lang
    )
