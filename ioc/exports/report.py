"""The presenter deck written to files (`ioc report`): the same work whether the command opens the
store itself or the running app does it for the command (ioc.backup's requests), so the figures
are the same either way."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
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
    parallel: bool = False,
) -> list[dict]:
    """Build the deck of `slides` (default: the standard sequence) for the period `preset` and
    write it in each of `formats` into the folder `out`. Returns [{path, slides}] per file.
    parallel: the .pptx is written by a forked worker while this process writes the others
    (the command line's own process; not inside the app's server)."""
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
    for fmt, data in _rendered(writers, list(formats), parallel).items():
        path = folder / f"{pres.file_stem(period, preset)}.{fmt}"
        path.write_bytes(data)
        written.append({"path": str(path), "slides": len(deck)})
    return written


# What a forked worker renders: set before the fork, read in the child (nothing is pickled but
# the format's name and the file's bytes).
_WRITERS: dict[str, Callable[[], bytes]] = {}


def _render_in_worker(fmt: str) -> bytes:
    return _WRITERS[fmt]()


def _rendered(
    writers: dict[str, Callable[[], bytes]], formats: list[str], parallel: bool
) -> dict[str, bytes]:
    """Each format's bytes, in the order asked. The .pptx (the slowest) goes to a forked worker
    when asked to run in parallel, with others to write here and a second core to run on; a
    worker that fails is made good here."""
    if not (parallel and "pptx" in formats and len(formats) > 1 and (os.cpu_count() or 1) > 1):
        return {fmt: writers[fmt]() for fmt in formats}
    _WRITERS.clear()
    _WRITERS.update(writers)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        aside = pool.submit(_render_in_worker, "pptx")
        here = {fmt: writers[fmt]() for fmt in formats if fmt != "pptx"}
        try:
            here["pptx"] = aside.result()
        except Exception:  # noqa: BLE001 - a broken worker: write it here instead
            here["pptx"] = writers["pptx"]()
    _WRITERS.clear()
    return {fmt: here[fmt] for fmt in formats}
