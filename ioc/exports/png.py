"""PNG: charts rendered by plotly + kaleido 1.x driving the system chromium (no network)."""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go

if TYPE_CHECKING:
    pass

# format name -> xlsxwriter number format

_KALEIDO_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def figures_png(
    figures: Sequence[go.Figure | None], sizes: Sequence[tuple[int, int]], scale: float = 2.0
) -> list[bytes | None]:
    """PNG bytes of each figure at (width, height) CSS pixels; None for a missing figure or when
    no chromium can render (the export then goes without the chart instead of failing)."""
    import kaleido

    out: list[bytes | None] = [None] * len(figures)
    if not any(f is not None for f in figures):
        return out
    # One kaleido server (one chromium) for the whole batch: about 0.3 s a chart instead of 2 s.
    with _KALEIDO_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        except Exception:  # noqa: BLE001 - no browser: the deck is still useful without charts
            log.exception("kaleido could not start; charts left out")
            return out
        try:
            for i, (figure, (width, height)) in enumerate(zip(figures, sizes, strict=True)):
                if figure is None:
                    continue
                try:
                    out[i] = figure.to_image(format="png", width=width, height=height, scale=scale)
                except Exception:  # noqa: BLE001
                    log.exception("chart %d could not be rendered", i)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return out


def figure_png(figure: go.Figure, width: int = 1200, height: int = 600) -> bytes | None:
    """One chart as PNG (None when it cannot be rendered)."""
    return figures_png([figure], [(width, height)])[0]
