"""The presenter deck written to files (`ioc report`): the same work whether the command opens the
store itself or the running app does it for the command (ioc.backup's requests), so the figures
are the same either way."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ioc import presentation as pres
from ioc.exports.pdf import deck_to_pdf
from ioc.exports.pptx import deck_to_pptx
from ioc.exports.xlsx import deck_to_xlsx
from ioc.scope import CITY

FORMATS = ("pptx", "pdf", "xlsx")


def write_report(
    con: duckdb.DuckDBPyConnection,
    out: str,
    preset: str = "week",
    slides: str | None = None,
    formats: list[str] | tuple[str, ...] = ("pptx", "pdf"),
    province: str = "01",
    lang: str = "vi",
) -> list[dict]:
    """Build the deck of `slides` (default: the standard sequence) for the period `preset` and
    write it in each of `formats` into the folder `out`. Returns [{path, slides}] per file."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    period = pres.period_for(preset)
    codes = [code for code, _ in pres.commune_codes(con, province)]
    refs = pres.parse_slides(slides or ",".join(pres.STANDARD), codes)
    deck = pres.build_deck(con, refs, period, CITY, province, lang)
    title = pres.deck_title(period, preset, lang)
    writers = {
        "pptx": lambda: deck_to_pptx(deck, title, lang),
        "pdf": lambda: deck_to_pdf(deck, title, lang),
        "xlsx": lambda: deck_to_xlsx(
            deck, lang, title, pres.period_label(period, lang), period.as_of
        ),
    }
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / f"{pres.file_stem(period, preset)}.{fmt}"
        path.write_bytes(writers[fmt]())
        written.append({"path": str(path), "slides": len(deck)})
    return written
