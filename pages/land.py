"""Bản đồ đất đai: communes at city zoom, one commune's parcels at commune zoom, a parcel search
that flies to the parcel, and the parcel's latest dossier beside the map. Works with no network."""

import html

import streamlit as st

from ioc import audit, config, land, ui
from ioc.i18n import fmt_date, fmt_number
from ioc.scope import ScopeError

filters = ui.sidebar_filters()
lang = ui.lang()
scope = ui.current_scope()
today = config.now().date()
commune = filters.commune

st.title(ui.tr("land.title"))
ui.page_allowed(__file__)
ui.freshness_caption()
st.caption(ui.tr("land.as_of", day=fmt_date(today)))

city = ui.fetch(land.city_view, today, filters.province)
names = dict(zip(city["commune_code"], city["commune_name"], strict=True))
codes = city["commune_code"].to_list()


def _go_to(code: str | None) -> None:
    """Switch the page (and the sidebar filter, which re-reads the URL) to a commune."""
    st.session_state.pop("filter_commune", None)
    if code is None:
        st.query_params.pop("commune", None)
    else:
        st.query_params["commune"] = code


def _on_search() -> None:
    wanted = st.session_state["land_search_commune"]
    st.session_state["land_selected"] = {
        "commune": wanted,
        "sheet": st.session_state["land_search_sheet"],
        "no": st.session_state["land_search_no"],
        "fly": True,
    }
    if wanted != commune:
        _go_to(wanted)


def _on_pick(key: str) -> None:
    objects = st.session_state[key].selection.get("objects", {})
    for cell in objects.get("communes", []):
        _go_to(html.unescape(cell["properties"]["code"]))
    for parcel in objects.get("parcels", []):
        props = {k: html.unescape(v) for k, v in parcel["properties"].items() if isinstance(v, str)}
        st.session_state["land_selected"] = {
            "commune": commune,
            "sheet": props["sheet"],
            "no": props["no"],
            "fly": False,
        }


with st.form("land_search_form", border=True):
    st.markdown(f"**{ui.tr('land.search')}**")
    c1, c2, c3, c4 = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
    c1.selectbox(
        ui.tr("land.search.commune"),
        codes,
        index=codes.index(commune) if commune in codes else 0,
        format_func=lambda c: names.get(c, c),
        key="land_search_commune",
    )
    c2.text_input(ui.tr("land.search.sheet"), key="land_search_sheet")
    c3.text_input(ui.tr("land.search.parcel"), key="land_search_no")
    c4.form_submit_button(ui.tr("land.search.go"), on_click=_on_search, type="primary")

selected = st.session_state.get("land_selected")
if selected and selected["commune"] != commune:
    selected = None
found = None
if selected:
    found = ui.fetch(land.find_parcel, commune, selected["sheet"], selected["no"], today)
    if selected["fly"]:
        if not (selected["sheet"] or "").strip() or not (selected["no"] or "").strip():
            st.warning(ui.tr("land.search.blank"))
        elif found is None:
            st.warning(
                ui.tr(
                    "land.search.not_found",
                    sheet=ui.md_text(selected["sheet"]),
                    no=ui.md_text(selected["no"]),
                    commune=ui.md_text(names.get(commune, commune)),
                )
            )
        else:
            st.success(
                ui.tr(
                    "land.search.found",
                    sheet=ui.md_text(found["map_sheet"]),
                    no=ui.md_text(found["parcel_no"]),
                )
            )

colour_by = "land_use"
if commune is not None:
    f1, f2, f3, f4 = st.columns([2, 2, 2, 1], vertical_alignment="bottom")
    colour_by = (
        f1.segmented_control(
            ui.tr("land.colour_by"),
            land.COLOUR_MODES,
            default="land_use",
            format_func=lambda m: ui.tr(f"land.colour.{m}"),
            key="land_colour",
        )
        or "land_use"
    )
    land_use = f2.selectbox(
        ui.tr("land.filter.land_use"),
        [None, *land.LAND_USE_COLOURS],
        format_func=lambda c: (
            ui.tr("land.filter.all") if c is None else land.land_use_name(c, lang)
        ),
        key="land_use",
    )
    state = f3.selectbox(
        ui.tr("land.filter.state"),
        [None, *land.STATES],
        format_func=lambda s: ui.tr("land.filter.all") if s is None else ui.tr(f"land.state.{s}"),
        key="land_state",
    )
    f4.button(ui.tr("land.back_to_city"), on_click=_go_to, args=(None,))


def _city_view() -> None:
    """Communes with their land aggregates; a click on one opens its parcels."""
    map_col, side_col = st.columns([3, 1])
    deck_key = "land_deck_city"
    with map_col:
        st.caption(ui.tr("land.city_hint"))
        st.pydeck_chart(
            land.city_deck(city, lang),
            height=land.MAP_HEIGHT_PX,
            on_select=lambda: _on_pick(deck_key),
            selection_mode="single-object",
            key=deck_key,
        )
    totals = land.city_summary(city)
    with side_col:
        st.subheader(ui.tr("land.summary"))
        st.metric(ui.tr("land.sum.parcels"), fmt_number(totals["parcels"], lang))
        st.metric(ui.tr("land.sum.area"), fmt_number(totals["area_m2"] / 10_000, lang, 1))
        st.metric(ui.tr("land.sum.open"), fmt_number(totals["open_dossiers"], lang))
        st.metric(ui.tr("land.sum.overdue"), fmt_number(totals["overdue"], lang))


def _commune_view(land_use: str | None, state: str | None, colour_by: str) -> None:
    """The commune's parcels, the summary, the detail panel and the legend."""
    map_col, side_col = st.columns([3, 1])
    zoom = land.commune_zoom(city, commune)
    parcels = ui.fetch(land.commune_view, commune, today, zoom, land_use, state)
    summary = land.commune_summary(parcels, lang)
    row = city.filter(city["commune_code"] == commune).row(0, named=True)
    deck_key = f"land_deck_{commune}"
    with map_col:
        if not parcels.height:
            st.info(ui.tr("land.none_shown"))
        st.pydeck_chart(
            land.commune_deck(
                city, commune, parcels, colour_by, found, bool(selected and selected["fly"]), lang
            ),
            height=land.MAP_HEIGHT_PX,
            on_select=lambda: _on_pick(deck_key),
            selection_mode="single-object",
            key=deck_key,
        )

    with side_col:
        st.subheader(ui.md_text(names.get(commune, commune)))
        a, b = st.columns(2)
        a.metric(ui.tr("land.sum.parcels"), fmt_number(summary["parcels"], lang))
        b.metric(ui.tr("land.sum.area"), fmt_number(summary["area_m2"] / 10_000, lang, 1))
        a.metric(ui.tr("land.sum.open"), fmt_number(row["open_dossiers"], lang))
        b.metric(ui.tr("land.sum.overdue"), fmt_number(row["overdue"], lang))

        with st.container(border=True, key="land_detail"):
            st.markdown(f"**{ui.tr('land.detail')}**")
            if found is None:
                st.caption(ui.tr("land.detail.pick"))
            else:
                lines = [
                    (ui.tr("land.detail.sheet"), found["map_sheet"]),
                    (ui.tr("land.detail.parcel"), found["parcel_no"]),
                    (ui.tr("land.detail.area"), land.area_label(found["area_m2"], lang)),
                    (ui.tr("land.detail.use"), land.land_use_name(found["land_use_code"], lang)),
                    (ui.tr("land.detail.address"), found["address"] or "—"),
                    (ui.tr("land.detail.state"), ui.tr(f"land.state.{found['state']}")),
                ]
                ui.plain_lines(lines)
                try:
                    dossier = ui.fetch(
                        land.latest_dossier, scope, commune, found["map_sheet"], found["parcel_no"]
                    )
                except ScopeError:
                    st.caption(ui.tr("land.detail.hidden"))
                else:
                    if dossier is None:
                        st.caption(ui.tr("land.detail.no_dossier"))
                    else:
                        ui.audit_event(
                            audit.VIEW_DOSSIERS,
                            commune,
                            f"land {found['map_sheet']}/{found['parcel_no']}",
                        )
                        lines = [
                            (ui.tr("land.detail.procedure"), dossier["procedure_name"] or "—"),
                            (
                                ui.tr("land.detail.status"),
                                ui.tr(f"land.status.{dossier['status']}"),
                            ),
                            (ui.tr("land.detail.received"), fmt_date(dossier["received_at"])),
                            (ui.tr("land.detail.due"), fmt_date(dossier["due_at"])),
                            (ui.tr("land.detail.applicant"), dossier["applicant_masked"] or "—"),
                        ]
                        ui.plain_lines(lines)

        st.markdown(f"**{ui.tr('land.legend')}**")
        shown = summary["by_use"]["land_use_code"].to_list() if colour_by == "land_use" else None
        st.markdown(
            "  \n".join(
                f'<span style="display:inline-block;width:12px;height:12px;background:{colour};'
                f'border:1px solid #777"></span> {ui.md_text(label)}'
                for colour, label in land.legend(colour_by, shown, lang)
            ),
            unsafe_allow_html=True,
        )

    st.subheader(ui.tr("land.sum.by_use"))
    st.dataframe(
        land.by_use_table(summary["by_use"], lang),
        hide_index=True,
        key="land_by_use",
    )


if commune is None:
    _city_view()
else:
    _commune_view(land_use, state, colour_by)
