"""Downloads: tables written as Excel workbooks with Vietnamese headers and proper number formats;
a chart as PNG; a share card as PNG (Pillow); the presenter deck (ioc.presentation) as PowerPoint, PDF and Excel.

Cells are written by type: numbers stay numbers (so a leader can sort and sum in Excel), text is
always written as text, so a commune or applicant string starting with = + - @ can never become a
formula in the reader's spreadsheet (CSV/formula injection).

The deck's charts are not pictures: chart.py reads each slide's Plotly figure into plain chart
data that pptx.py writes as native (editable) PowerPoint charts and pdf.py draws as vector
graphics, so no browser runs for an export. Only the presenter's "chart as PNG" download renders
with plotly + kaleido 1.x, which drives the system chromium (Debian's /usr/bin/chromium) with
plotly.js from the plotly package and MathJax off: no network. The PDF uses the DejaVu Sans TTF
(Debian package fonts-dejavu-core) for the Vietnamese glyphs.

One module per output format: xlsx.py, png.py, pptx.py, pdf.py; deck.py is the slide layout and
chart.py the chart data the last two share. The names below are the ones the rest of the package uses.
"""

from ioc.exports.deck import grid, layouts
from ioc.exports.pdf import deck_to_pdf, font_files
from ioc.exports.png import CardLine, card_png, figure_png, figures_png
from ioc.exports.pptx import deck_to_pptx
from ioc.exports.report import write_report
from ioc.exports.xlsx import deck_to_xlsx, spec_frame, spec_to_xlsx, table_to_xlsx

__all__ = [
    "CardLine",
    "card_png",
    "deck_to_pdf",
    "deck_to_pptx",
    "deck_to_xlsx",
    "figure_png",
    "figures_png",
    "grid",
    "font_files",
    "layouts",
    "spec_frame",
    "spec_to_xlsx",
    "table_to_xlsx",
    "write_report",
]
