"""PNG: charts rendered by plotly + kaleido 1.x driving the system chromium (no network); a share
card (card_png) drawn by Pillow alone, fast enough to build on every page run."""

from __future__ import annotations

import io
import logging
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

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


# --- a share card (issue 23): a few lines of figures for a chat group ---------------------------

CARD_WIDTH = 1080
CARD_MARGIN = 56
CARD_BAND = "#0d47a1"
CARD_TEXT = "#212121"
CARD_MUTED = "#616161"
DOT_COLOURS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


@dataclass(frozen=True)
class CardLine:
    """One line of a share card: text, bigger and bold when `strong`, after a traffic-light dot
    when `light` is one (green / amber / red), a smaller grey note under it when `note`."""

    text: str
    light: str | None = None
    strong: bool = False
    note: str | None = None


def card_png(title: str, subtitle: Sequence[str], lines: Sequence[CardLine], footer: str) -> bytes:
    """A CARD_WIDTH-wide PNG: a blue band with the title and subtitle lines, the lines, a footer.
    DejaVu Sans (Vietnamese glyphs, as the PDF); long texts wrap at the card's width."""
    from PIL import Image, ImageDraw, ImageFont

    from ioc.exports.pdf import font_files

    regular, bold = font_files()
    fonts = {
        "title": ImageFont.truetype(str(bold), 54),
        "sub": ImageFont.truetype(str(regular), 30),
        "strong": ImageFont.truetype(str(bold), 44),
        "text": ImageFont.truetype(str(regular), 34),
        "note": ImageFont.truetype(str(regular), 28),
    }
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    inner = CARD_WIDTH - 2 * CARD_MARGIN

    def wrap(text: str, font, width: int) -> list[str]:
        out, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and measure.textlength(trial, font=font) > width:
                out.append(line)
                line = word
            else:
                line = trial
        return [*out, line] if line else out

    def height(font) -> int:
        return int(font.size * 1.35)

    # lay out first, then draw on a canvas of the height found
    band = [(t, fonts["title"]) for t in wrap(title, fonts["title"], inner)]
    band += [(t, fonts["sub"]) for s in subtitle for t in wrap(s, fonts["sub"], inner)]
    band_h = 2 * 36 + sum(height(f) for _, f in band)
    body: list[tuple[str, object, str | None, str]] = []  # text, font, light, colour
    for line in lines:
        font = fonts["strong" if line.strong else "text"]
        indent = 44 if line.light else 0
        for i, part in enumerate(wrap(line.text, font, inner - indent)):
            body.append((part, font, line.light if i == 0 else "", CARD_TEXT))
        if line.note:
            for part in wrap(line.note, fonts["note"], inner - indent):
                body.append((part, fonts["note"], "" if line.light else None, CARD_MUTED))
        body.append(("", fonts["note"], None, CARD_TEXT))  # space between lines
    foot = wrap(footer, fonts["note"], inner)
    total = band_h + 40 + sum(height(f) for _, f, _, _ in body) + 30 + len(foot) * 40 + 40

    image = Image.new("RGB", (CARD_WIDTH, total), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_WIDTH, band_h), fill=CARD_BAND)
    y = 36
    for text, font in band:
        draw.text((CARD_MARGIN, y), text, font=font, fill="white")
        y += height(font)
    y = band_h + 40
    for text, font, light, colour in body:
        x = CARD_MARGIN
        if light is not None:
            if light in DOT_COLOURS:
                r = font.size // 3
                cy = y + font.size // 2 + 4
                draw.ellipse((x + 4, cy - r, x + 4 + 2 * r, cy + r), fill=DOT_COLOURS[light])
            x += 44
        draw.text((x, y), text, font=font, fill=colour)
        y += height(font)
    y += 30
    draw.line((CARD_MARGIN, y - 14, CARD_WIDTH - CARD_MARGIN, y - 14), fill="#bdbdbd", width=2)
    for text in foot:
        draw.text((CARD_MARGIN, y), text, font=fonts["note"], fill=CARD_MUTED)
        y += 40
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
