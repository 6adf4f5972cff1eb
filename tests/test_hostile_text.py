"""Issue 20, text that stays text: values from files shown on the land map's parcel panel, in map
tooltips and in messages are plain text (no link, no image, no HTML, no Markdown), and the tables'
own CSV download is off in favour of an audited download whose text cells stay text."""

from __future__ import annotations

import html
import io
import tomllib

import openpyxl
import pytest
from fixtures import C1
from land_fixture import make_land_store
from test_pages_land import PAGE, _deck, _panel, app_on
from test_pages_league import ROOT
from test_pages_league import app_on as league_app_on

from ioc import maps, store, ui

HOSTILE = (
    "[x](http://evil) ![i](http://evil/a.png) <img src=x onerror=alert(1)> **b** $x$ "
    ':red[r] =HYPERLINK("http://evil")'
)


@pytest.fixture
def hostile_land(tmp_path, monkeypatch):
    path = make_land_store(tmp_path / "land.duckdb")
    with store.connect(path) as con:
        con.execute(
            "update parcels set address = ? where map_sheet = '5' and parcel_no = '12'", [HOSTILE]
        )
        con.execute("update dossiers set applicant_masked = ? where map_sheet = '5'", [HOSTILE])
        store.set_meta(con, "data_version", "hostile-1")  # figures are cached per data version
    monkeypatch.setenv("IOC_DB", str(path))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    return path


def test_md_text_escapes_every_markup_sign():
    escaped = ui.md_text(HOSTILE)
    assert escaped.startswith(r"\[x\]\(http\://evil\) \!\[i\]\(http\://evil/a\.png\) \<img src")
    assert r"\*\*b\*\* \$x\$ \:red\[r\]" in escaped
    # no sign is left unescaped: removing the backslashes gives the text back
    assert escaped.replace("\\", "") == HOSTILE
    assert ui.md_text("a\nb\r\nc") == "a b c"
    assert ui.md_text(None) == "—"


def test_parcel_panel_shows_a_hostile_address_as_text(hostile_land):
    at = app_on(PAGE, {"commune": C1})
    at.text_input(key="land_search_sheet").input("5")
    at.text_input(key="land_search_no").input("12")
    at.button[0].click().run()
    assert not at.exception
    panel = _panel(at)
    assert f"Địa chỉ: <b>{html.escape(HOSTILE)}</b>" in panel
    assert f"Người nộp: <b>{html.escape(HOSTILE)}</b>" in panel
    assert "<img" not in panel and "<a " not in panel
    # nothing of it reaches a Markdown element unescaped
    for element in [*at.markdown, *at.caption, *at.success, *at.warning]:
        assert "](http" not in element.value and "<img" not in element.value


def test_search_words_in_messages_stay_text(hostile_land):
    at = app_on(PAGE, {"commune": C1})
    at.text_input(key="land_search_sheet").input("[x](http://evil)")
    at.text_input(key="land_search_no").input("<img src=x>")
    at.button[0].click().run()
    assert not at.exception
    assert at.warning[0].value == (
        r"Không tìm thấy thửa đất tờ \[x\]\(http\://evil\), thửa \<img src\=x\> tại Phường Một."
    )


def test_tooltip_values_are_escaped_and_a_click_reads_them_back():
    feature = maps.feature('{"type":"Point","coordinates":[0,0]}', {"name": HOSTILE, "n": 3})
    assert feature["properties"]["name"] == html.escape(HOSTILE)
    assert "<img" not in feature["properties"]["name"]
    assert feature["properties"]["n"] == 3
    assert html.unescape(feature["properties"]["name"]) == HOSTILE


def test_parcel_layer_on_the_page_carries_escaped_text(hostile_land):
    at = app_on(PAGE, {"commune": C1})
    with store.connect(hostile_land) as con:
        con.execute("update parcels set map_sheet = '<b>5' where map_sheet = '5'")
        store.set_meta(con, "data_version", "hostile-2")
    at.run()
    assert not at.exception
    layers = _deck(at)["layers"]
    sheets = {f["properties"].get("sheet") for layer in layers for f in layer["data"]["features"]}
    assert "&lt;b&gt;5" in sheets and "<b>5" not in sheets


def test_tables_own_download_is_off_and_errors_show_no_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert config["client"]["showErrorDetails"] == "none"


def test_dossier_download_writes_formulas_as_text_and_is_audited(fixture_db, downloads):
    with store.connect(fixture_db) as con:
        con.execute('update dossiers set applicant_masked = \'=HYPERLINK("http://evil","x")\'')
        store.set_meta(con, "data_version", "hostile-3")
    files = downloads
    at = league_app_on("pages/live.py")
    assert not at.exception
    (name,) = [n for n in files if n and n.startswith("ho-so-qua-han")]
    sheet = openpyxl.load_workbook(io.BytesIO(files[name])).active
    header = [c.value for c in sheet[1]]
    column = header.index("Người nộp") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula
    assert cells[0].value == '=HYPERLINK("http://evil","x")'
    (button,) = [b for b in at.get("download_button") if "live_dossiers_download" in b.id]
    button.click().run()
    with store.connect(fixture_db) as con:
        logged = con.execute("select detail from audit_log where action = 'download'").fetchall()
    assert logged == [(name,)]


def test_presenter_tables_show_names_as_typed(fixture_db):
    # st.table reads its cells as Markdown: a procedure name from a file must not become a link
    with store.connect(fixture_db) as con:
        con.execute("update procedures set procedure_name = ?", ["[x](http://evil) **b**"])
        store.set_meta(con, "data_version", "hostile-4")
    at = league_app_on("pages/presentation.py", {"slides": f"commune:{C1}", "i": "1"})
    assert not at.exception
    cells = [v for t in at.table for column in t.value.columns for v in t.value[column]]
    cells += [v for t in at.table for v in t.value.index]
    assert r"\[x\]\(http\://evil\) \*\*b\*\*" in cells
    assert "[x](http://evil) **b**" not in cells
