"""Figures of the Xếp hạng (league table) page and of the top / bottom lists of Tổng quan.

Score, rank and rank change come from kpi.commune_ranking; this module only chooses columns,
searches, and writes the Excel download.
"""

from __future__ import annotations

import unicodedata

import duckdb
import polars as pl

from ioc import config, exports, kpi, metrics
from ioc.i18n import fmt_number, fmt_pct, t
from ioc.kpi import Period
from ioc.tables import LIGHT_MARKS, rank_arrow

POINT_COLUMNS = [f"points_{group}" for group, *_ in kpi.SCORE_GROUPS]
RATE_COLUMNS = list(metrics.names(place=metrics.LEAGUE))
LIGHT_COLUMNS = [f"light_{m}" for m in RATE_COLUMNS if metrics.BY_NAME[m].targeted]
TABLE_COLUMNS = [
    "rank",
    "rank_change",
    "commune_code",
    "commune_name",
    "score",
    *POINT_COLUMNS,
    *RATE_COLUMNS,
    "received",
    *LIGHT_COLUMNS,
    "thin_data",
    "groups_left_out",
]
# Sort keys offered on the page (an allowlist: the widget value picks one of these columns).
SORT_KEYS = ("rank", *RATE_COLUMNS, "received", "commune_name")
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
    """One row per commune: rank, rank change, score, group points, rates, received, lights."""
    return kpi.commune_ranking(con, period, province, field).select(TABLE_COLUMNS)


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
    keys = {c: f"league.col.{c}" for c in TABLE_COLUMNS}
    keys.update({f"points_{g}": f"league.col.points_{g}" for g, *_ in kpi.SCORE_GROUPS})
    for metric in RATE_COLUMNS:
        keys[metric] = metrics.BY_NAME[metric].label_key
    return keys


def to_xlsx(table: pl.DataFrame, lang: str = "vi") -> bytes:
    """The league table as an Excel workbook: headers in the language, rates as percentages,
    lights and the thin-data flag as words."""
    words = {
        c: pl.col(c).replace_strict(
            ["green", "amber", "red"],
            [t(f"light.{x}", lang) for x in ("green", "amber", "red")],
            default=None,
        )
        for c in LIGHT_COLUMNS
    }
    frame = table.with_columns(
        *[expr.alias(c) for c, expr in words.items()],
        pl.when(pl.col("thin_data")).then(pl.lit(t("league.thin", lang))).alias("thin_data"),
        _left_out_words(lang),
    )
    headers = {c: t(k, lang) for c, k in header_keys().items()}
    formats = {c: "percent" for c in RATE_COLUMNS}
    formats |= {c: "number" for c in ("score", *POINT_COLUMNS)}
    formats |= {"rank": "integer", "rank_change": "integer", "received": "integer"}
    formats |= {"commune_code": "text", "commune_name": "text"}
    return exports.table_to_xlsx(frame, headers, formats, sheet_name=t("league.title", lang))


def _left_out_words(lang: str) -> pl.Expr:
    return (
        pl.col("groups_left_out")
        .list.eval(pl.element().replace_strict(_group_names(lang), default=pl.element()))
        .list.join(", ")
        .alias("groups_left_out")
    )


def _group_names(lang: str) -> dict[str, str]:
    return {g: t(f"group.{g}", lang) for g, *_ in kpi.SCORE_GROUPS}


def display_table(table: pl.DataFrame, lang: str = "vi") -> pl.DataFrame:
    """The league table as text cells in the language's formats, with translated headers."""

    def pct(c: str) -> list[str]:
        return [fmt_pct(v, lang) for v in table[c]]

    def num(c: str, decimals: int = 1) -> list[str]:
        return [fmt_number(v, lang, decimals) for v in table[c]]

    columns: dict[str, list] = {
        "rank": table["rank"].to_list(),
        "rank_change": [rank_arrow(v) for v in table["rank_change"]],
        "commune_name": table["commune_name"].to_list(),
        "score": num("score"),
        **{c: num(c) for c in POINT_COLUMNS},
        **{c: pct(c) for c in RATE_COLUMNS},
        "received": num("received", 0),
        **{
            c: [f"{LIGHT_MARKS[v]} {t(f'light.{v}', lang)}" if v else "—" for v in table[c]]
            for c in LIGHT_COLUMNS
        },
        "thin_data": [t("league.thin", lang) if v else "" for v in table["thin_data"]],
        "groups_left_out": table.select(_left_out_words(lang))["groups_left_out"].to_list(),
        "commune_code": table["commune_code"].to_list(),
    }
    keys = header_keys()
    return pl.DataFrame({t(keys[c], lang): v for c, v in columns.items()})
