"""Trình chiếu: full-screen slides for review meetings, built from the live data.

The sequence and its parameters live in the URL (?slides=kpis,league,commune:00070&theme=dark&
auto=20&period=7d&i=1), so a presenter prepares the link before the meeting. ← / → (or the
buttons) change slide; auto=N advances every N seconds. The same deck downloads as .pptx / .pdf.
"""

import html
import time

import polars as pl
import streamlit as st

from ioc import audit, config, exports, land, sessions, ui
from ioc import presentation as pres
from ioc.kpi import Period

ui.page_allowed(__file__)
# A wall screen (ioc/sessions.py; app.py keeps its deck in the URL) shows the slides and no menu.
wall = sessions.wall_of(st.session_state)
lang = ui.lang()
scope = ui.current_scope()
province = config.DEFAULT_PROVINCE
params = st.query_params

theme = params.get("theme") if params.get("theme") in pres.THEMES else "dark"
names = dict(ui.fetch(pres.commune_codes, province))
auto = pres.auto_seconds(params.get("auto"))
colours = pres.THEME_COLOURS[theme]

# a table cell's text on screen, at most: beside a chart / a table of its own
NARROW_CHARS, WIDE_CHARS = 32, 60
TONE_CSS = {
    "dark": {"good": "#66bb6a", "bad": "#ef5350", "warn": "#ffca28"},
    "light": {"good": "#1b5e20", "bad": "#b71c1c", "warn": "#8d6e00"},
}[theme]

st.markdown(
    f"""<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], header[data-testid="stHeader"] {{display: none;}}
.stApp, .stApp [data-testid="stAppViewContainer"] {{
  background: {colours["background"]}; color: {colours["text"]};}}
.stApp p, .stApp h1, .stApp h2, .stApp h3, .stApp label, .stApp span, .stApp td, .stApp th,
  .stApp li {{color: {colours["text"]};}}
.block-container {{max-width: 100%; padding: 0.8rem 2.5rem 0.5rem 2.5rem;}}
.stApp .slide-title {{font-size: 2.8rem; font-weight: 700; line-height: 1.15; margin: 0;}}
.stApp .slide-subtitle {{font-size: 1.5rem; opacity: 0.8; margin: 0.1rem 0 0.6rem 0;}}
.stApp button {{background: {colours["card"]}; color: {colours["text"]};
  border-color: {colours["grid"]};}}
.stApp button p {{color: {colours["text"]};}}
.slide-card {{background: {colours["card"]}; border-radius: 0.6rem; padding: 0.5rem 0.9rem;
  border-top: 0.4rem solid var(--light);}}
.slide-card .label {{font-size: 1.5rem; opacity: 0.9; line-height: 1.25;}}
.slide-card .value {{font-size: 2.8rem; font-weight: 700; line-height: 1.15;}}
.slide-card .note {{font-size: 1.5rem; opacity: 0.9; line-height: 1.25;}}
.slide-note {{font-size: 1.5rem; opacity: 0.9;}}
.stApp .slide-bullets {{font-size: 2.4rem; line-height: 1.35; margin: 0.8rem 0 0 0;
  padding-left: 2.2rem;}}
.stApp .slide-bullets li {{margin-bottom: 2rem;}}
.stApp .slide-table-title {{font-size: 1.6rem; font-weight: 700; margin: 0.2rem 0 0.3rem 0;}}
.stApp [data-testid="stTable"] td, .stApp [data-testid="stTable"] th {{font-size: 1.5rem;
  padding: 0.25rem 0.6rem; line-height: 1.3;}}
.stApp [data-testid="stTable"] td, .stApp [data-testid="stTable"] td * {{white-space: nowrap;
  max-width: none; overflow: visible; text-overflow: clip;}}
.stApp [data-testid="stTable"] td span, .stApp [data-testid="stTable"] td p,
  .stApp [data-testid="stTable"] td div {{color: inherit;}}
.stApp [data-testid="stTable"] table {{background: {colours["card"]};}}
.land-legend {{font-size: 1.5rem; display: flex; align-items: center; gap: 0.6rem;}}
.land-legend .ramp {{width: 14rem; height: 1.2rem; border-radius: 0.2rem;
  background: linear-gradient(to right, var(--low), var(--high));}}
</style>""",
    unsafe_allow_html=True,
)

if pres.slides_cut(params.get("slides"), list(names)):
    st.warning(ui.tr("present.too_many", n=pres.MAX_SLIDES))

LIGHT_CSS = {
    "green": "#2e7d32",
    "amber": "#f9a825",
    "red": "#c62828",
    None: colours["grid"],
}


def _deck() -> tuple[str, Period, list[pres.SlideRef], list[pres.Slide]]:
    """Preset, period, sequence and slides of the URL as it is now.

    Called on every run of the fragment so auto-advance shows live figures; `now` is cut to the
    minute so the fragment's reruns within a minute share one cached deck.
    """
    preset = params.get("period") if params.get("period") in pres.PERIOD_PRESETS else "week"
    period = pres.period_for(preset, config.now().replace(second=0))
    refs = pres.parse_slides(params.get("slides"), list(names))
    return (
        preset,
        period,
        refs,
        ui.fetch(pres.build_deck, tuple(refs), period, scope, province, lang),
    )


def _index(total: int) -> int:
    """The slide shown (0-based). The URL's 1-based `i` wins whenever `i` or `slides` in the URL
    changed since the last run (a prepared link opened in the same session)."""
    url = (params.get("i"), params.get("slides"))
    if st.session_state.get("present_url") != url:
        st.session_state["present_url"] = url
        try:
            st.session_state["present_index"] = int(url[0] or "1") - 1
        except ValueError:
            st.session_state["present_index"] = 0
        st.session_state["present_shown_at"] = time.monotonic()
    return min(max(st.session_state["present_index"], 0), total - 1)


def _go(step: int, total: int) -> None:
    index = (_index(total) + step) % total
    st.session_state["present_index"] = index
    st.session_state["present_shown_at"] = time.monotonic()
    st.query_params["i"] = str(index + 1)
    st.session_state["present_url"] = (str(index + 1), params.get("slides"))


def _weekly() -> None:
    """Báo cáo tuần: the standard deck for the last full week, from the first slide."""
    st.query_params["period"] = "week"
    st.query_params["slides"] = pres.slides_param([pres.SlideRef(k) for k in pres.STANDARD])
    st.query_params["i"] = "1"


def _table(table: pres.Table, rows: int | None = None, chars: int = WIDE_CHARS) -> None:
    """A slide table: numbers right-aligned, rises / falls and values below target coloured;
    `rows`: at most this many on screen, the caption says how many were left out; text cut at
    `chars` characters (the files carry it whole)."""
    shown = table.display(lang)
    tones = table.tones()
    title = table.title
    if rows is not None and shown.height > rows:
        title = f"{title} ({ui.tr('present.rows_shown', shown=rows, total=shown.height)})"
        shown, tones = shown.head(rows), [column[:rows] for column in tones]
    st.markdown(
        f'<div class="slide-table-title">{html.escape(title)}</div>', unsafe_allow_html=True
    )
    if not shown.height:
        st.caption(ui.tr("present.empty_table"))
        return
    # long names are cut on screen (the files carry them whole); st.table reads its cells as
    # Markdown: a name from a file must show as typed
    shown = shown.select(
        pl.all().map_elements(
            lambda v: ui.md_text(v if len(v) <= chars else v[: chars - 1] + "…"),
            return_dtype=pl.String,
        )
    )
    # the first column is the index (the row's name), as before, when it names each row once
    # (a Styler needs a unique index; otherwise the row numbers are hidden instead)
    frame = shown.to_pandas()
    numeric, first = table.numeric(), int(shown[shown.columns[0]].n_unique() == shown.height)
    if first:
        frame = frame.set_index(shown.columns[0])
    colour = [[f"color: {TONE_CSS[x]}; font-weight: 700" if x else "" for x in c] for c in tones]
    right = "text-align: right !important"
    styler = frame.style.apply(
        lambda column: colour[first + frame.columns.get_loc(column.name)], axis=0
    ).set_properties(
        subset=[c for c, n in zip(frame.columns, numeric[first:], strict=True) if n],
        **{"text-align": "right !important"},
    )
    if not first:
        styler = styler.hide(axis="index")
    elif numeric[0]:
        styler = styler.apply_index(lambda index: [right] * len(index))
    st.table(styler)


def _bullets(slide: pres.Slide) -> None:
    items = "".join(f"<li>{html.escape(b)}</li>" for b in slide.bullets)
    st.markdown(f'<ul class="slide-bullets">{items}</ul>', unsafe_allow_html=True)


def _land_legend(city) -> None:
    """The colour ramp of the land map: no overdue land dossier → the most of any commune."""
    most = int(city["overdue"].max() or 0) if city.height else 0
    low, high = (f"rgb{tuple(c)}" for c in (land.CELL_LOW, land.CELL_HIGH))
    st.markdown(
        f'<div class="land-legend" style="--low: {low}; --high: {high}">'
        f"<span>{html.escape(ui.tr('land.sum.overdue'))}:</span><span>0</span>"
        f'<span class="ramp"></span><span>{most}</span></div>',
        unsafe_allow_html=True,
    )


# Big numbers per row of a slide (the KPI slide's twelve cards, issue 18, make two rows), and the
# room a further row takes from the chart.
NUMBERS_PER_ROW = 7
ROW_HEIGHT = 170


def _show(slide: pres.Slide, period: Period) -> None:
    st.markdown(
        f'<div class="slide-title">{html.escape(slide.title)}</div>'
        f'<div class="slide-subtitle">{html.escape(slide.subtitle)}</div>',
        unsafe_allow_html=True,
    )
    rows = [
        slide.numbers[start : start + NUMBERS_PER_ROW]
        for start in range(0, len(slide.numbers), NUMBERS_PER_ROW)
    ]
    for row in rows:
        for column, number in zip(st.columns(NUMBERS_PER_ROW), row, strict=False):
            column.markdown(
                f'<div class="slide-card" style="--light: {LIGHT_CSS[number.light]}">'
                f'<div class="label">{html.escape(number.label)}</div>'
                f'<div class="value">{html.escape(number.value)}</div>'
                f'<div class="note">{html.escape(number.note) or "&nbsp;"}</div></div>',
                unsafe_allow_html=True,
            )
    # the room left under the title and the cards, for the chart (the bar below takes the rest)
    height = 600 - ROW_HEIGHT * (len(rows) - 1) if slide.numbers else 740
    has_chart = slide.kind == "land" or slide.figure is not None
    if slide.bullets:
        text_col, table_col = st.columns([1, 1], gap="large")
        with text_col:
            _bullets(slide)
        with table_col:
            for table in slide.tables:
                _table(table)
    elif not has_chart:
        for column, table in zip(st.columns(len(slide.tables) or 1), slide.tables, strict=False):
            with column:
                _table(table)
    else:
        # wide tables (six columns or more) and two tables get the larger share of the width
        wide = max((len(t.spec) for t in slide.tables), default=0) >= 6
        split = [2, 3] if wide or len(slide.tables) > 1 else [3, 2]
        chart_col, table_col = (
            st.columns(split, gap="large") if slide.tables else (st.container(), None)
        )
        with chart_col:
            if slide.kind == "land":
                city = ui.fetch(land.city_view, period.as_of.date(), province)
                st.pydeck_chart(land.city_deck(city, lang), height=height - 50, key="present_land")
                _land_legend(city)
            else:
                st.plotly_chart(
                    pres.styled_figure(slide.figure, theme, height),
                    theme=None,
                    config={"displayModeBar": False},
                    key=f"chart_{slide.token}",
                )
        if table_col is not None:
            # beside a chart, the tables share its height
            rows = pres.SCREEN_ROWS if len(slide.tables) > 1 else None
            with table_col:
                for table in slide.tables:
                    _table(table, rows, NARROW_CHARS)
    if slide.note:
        st.markdown(
            f'<div class="slide-note">{html.escape(slide.note)}</div>', unsafe_allow_html=True
        )


def _chart_png(slide: pres.Slide, period: Period, stem: str, number: int) -> None:
    """The shown slide's chart as PNG: rendered on request (a chromium run), kept for the session
    while the slide's figures stay the same, and an error on screen instead of an empty file when
    it cannot be rendered."""
    made_for = (stem, slide.token, period.as_of, ui.data_version())
    if st.button(ui.tr("present.make_png"), key="present_png_make"):
        st.session_state["present_png_file"] = (made_for, exports.figure_png(slide.figure))
    made = st.session_state.get("present_png_file")
    if made is None or made[0] != made_for:
        return
    if made[1] is None:
        st.error(ui.tr("present.png_failed"))
        return
    st.download_button(
        ui.tr("present.download_png"),
        made[1],
        file_name=f"{stem}_{number}.png",
        on_click=ui.audit_event,
        args=(audit.EXPORT, None, f"{stem}_{number}.png"),
        mime="image/png",
        key="present_png",
    )


def _downloads(deck: list[pres.Slide], index: int, period: Period, preset: str) -> None:
    title = pres.deck_title(period, preset, lang)
    stem = pres.file_stem(period, preset)
    st.download_button(
        ui.tr("present.download_pptx"),
        lambda: exports.deck_to_pptx(deck, title, lang),
        file_name=f"{stem}.pptx",
        on_click=ui.audit_event,
        args=(audit.EXPORT, None, f"{stem}.pptx"),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="present_pptx",
    )
    st.download_button(
        ui.tr("present.download_pdf"),
        lambda: exports.deck_to_pdf(deck, title, lang),
        file_name=f"{stem}.pdf",
        on_click=ui.audit_event,
        args=(audit.EXPORT, None, f"{stem}.pdf"),
        mime="application/pdf",
        key="present_pdf",
    )
    st.download_button(
        ui.tr("present.download_xlsx"),
        lambda: exports.deck_to_xlsx(
            deck, lang, title, pres.period_label(period, lang), period.as_of
        ),
        file_name=f"{stem}.xlsx",
        on_click=ui.audit_event,
        args=(audit.EXPORT, None, f"{stem}.xlsx"),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="present_xlsx",
    )
    if deck[index].figure is not None:
        _chart_png(deck[index], period, stem, index + 1)


def _prepare(refs: list[pres.SlideRef], preset: str) -> None:
    """Widgets that write a new sequence, theme, period and auto-advance into the URL."""
    st.markdown(f"**{ui.tr('present.prepare')}**")
    kinds = st.multiselect(
        ui.tr("present.slides"),
        [k for k in pres.KINDS if k not in pres.PARAM_KINDS],
        default=[r.kind for r in refs if r.kind not in pres.PARAM_KINDS],
        format_func=lambda k: ui.tr(f"present.slide.{k}"),
        key="present_kinds",
    )
    picked = st.multiselect(
        ui.tr("present.communes"),
        list(names),
        default=[r.commune for r in refs if r.kind == "commune"],
        format_func=lambda c: names.get(c, c),
        key="present_communes",
    )
    new_theme = st.segmented_control(
        ui.tr("present.theme"),
        pres.THEMES,
        default=theme,
        format_func=lambda x: ui.tr(f"present.theme.{x}"),
        key="present_theme",
    )
    new_period = st.selectbox(
        ui.tr("filter.period"),
        pres.PERIOD_PRESETS,
        index=pres.PERIOD_PRESETS.index(preset),
        format_func=lambda p: ui.tr(f"present.period.{p}"),
        key="present_period",
    )
    new_auto = st.number_input(
        ui.tr("present.auto"), 0, pres.AUTO_MAX_SECONDS, auto or 0, step=5, key="present_auto"
    )
    if st.button(ui.tr("present.apply"), type="primary", key="present_apply"):
        kept = [r for r in refs if r.kind == "trend"]  # trend:<rate> slides of the link stay
        chosen = (
            [pres.SlideRef(k) for k in kinds] + kept + [pres.SlideRef("commune", c) for c in picked]
        )
        st.query_params.update(
            slides=pres.slides_param(chosen) or ",".join(pres.DEFAULT_SLIDES),
            theme=new_theme or theme,
            period=new_period,
            auto=str(int(new_auto)),
            i="1",
        )
        st.rerun()  # the whole page: theme and auto-advance are set outside the fragment
    st.caption(ui.tr("present.link_help"))


@st.fragment(run_every=auto)
@ui.session_fragment
def slide_view() -> None:
    """The current slide and its bar; with auto=N this re-runs every N seconds, moves one slide on
    and rebuilds the deck from the live data (cached), so the counter and figures keep up."""
    preset, period, refs, deck = _deck()
    total = len(deck)
    index = _index(total)
    shown_at = st.session_state.setdefault("present_shown_at", time.monotonic())
    if auto and time.monotonic() - shown_at >= auto - 0.5:
        _go(1, total)
        index = _index(total)
    _show(deck[index], period)

    bar = st.columns([1, 1, 1.2, 3, 1.6, 2, 2], vertical_alignment="center")
    bar[0].button(
        ui.tr("present.prev"), on_click=_go, args=(-1, total), shortcut="Left", key="present_prev"
    )
    bar[1].button(
        ui.tr("present.next"), on_click=_go, args=(1, total), shortcut="Right", key="present_next"
    )
    bar[2].markdown(ui.tr("present.slide_of", n=index + 1, total=total))
    with bar[3]:
        ui.freshness_caption()
    if wall is not None:
        return
    bar[4].button(ui.tr("present.weekly"), on_click=_weekly, help=ui.tr("present.weekly_help"))
    with bar[5].popover(ui.tr("present.menu")):
        _downloads(deck, index, period, preset)
        st.divider()
        _prepare(refs, preset)
    bar[6].page_link("pages/overview.py", label=ui.tr("present.exit"), icon="✖")
    ui.action_recorder(pres.deck_title(period, preset, lang), period, deck[index], names)


slide_view()
