"""The chair's first screen as one light HTML page, served beside Streamlit (serve.py's st.App) at
/tom-tat: the same block as the top of the commune page (drilldown.chair_summary / chair_html),
sent as about 10 kB of server-drawn HTML with no script, so that a ward chair on a slow phone
connection sees the ward's standing in a second or two instead of waiting for the dashboard's
1.2 MB of JavaScript (issue 23). Every item links to its section of the full commune page.

- GET  /tom-tat[?commune=&lang=en]: the page for the browser's signed-in user (the session cookie
  of ioc/sessions.py: the same sign-in as the dashboard's, the same idle timeout). A ward chair
  sees the own commune whatever the link says; the other roles the commune of the link (a city
  leader without one goes to the dashboard's commune page). Not signed in: a sign-in form.
- POST /tom-tat: that form (auth.authenticate: the same lockout and audit as the dashboard's),
  then the session cookie and back to the page.
- GET  /tom-tat/anh.png: the ward's card as a PNG for a chat group, audited as a download.
"""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import parse_qs, urlencode

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ioc import (
    actions,
    audit,
    auth,
    config,
    drilldown,
    navigation,
    sessions,
    startup,
    store,
    writes,
)
from ioc.i18n import fmt_datetime, t
from ioc.presentation import PERIOD_PRESETS, period_for, period_label
from ioc.scope import ADMIN, WARD_CHAIR, Scope, ScopeError
from ioc.session_routes import same_origin, set_cookie

PATH = "/tom-tat"
CARD_PATH = f"{PATH}/anh.png"
PRESET = "7d"  # the dashboard's default period; ?period= takes presentation.PERIOD_PRESETS
FORM_BYTES = 4000

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:.8rem;
 color:#14202e;background:#fff;max-width:60rem}
h1{font-size:1.35rem;margin:.1rem 0}
.muted{opacity:.75;font-size:.84rem}.sub{margin:0 0 .6rem}
nav{margin-top:.8rem;display:flex;flex-wrap:wrap;gap:.4rem .9rem;font-size:.95rem}
nav a{color:#0b5cad}
form{display:grid;gap:.5rem;max-width:20rem;margin-top:.6rem}
input{font:inherit;padding:.45rem;border:1px solid #99a;border-radius:.35rem}
button{font:inherit;padding:.5rem;border:0;border-radius:.35rem;background:#163a6b;color:#fff}
.error{color:#c62828}
"""


def _query(**params: str | None) -> str:
    kept = {k: v for k, v in params.items() if v}
    return f"?{urlencode(kept)}" if kept else ""


def _document(title: str, body: str, lang: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def light_link(commune: str) -> str:
    """This page's address for a commune (a ward chair's bookmark for the phone)."""
    return f"{PATH}{_query(commune=commune)}"


def sign_in_html(
    lang: str, commune: str | None, error: str | None = None, preset: str = PRESET
) -> str:
    """The sign-in form of the light page (posts to itself)."""
    e = html.escape
    other = "en" if lang == "vi" else "vi"
    keep = {"commune": commune, "period": preset if preset != PRESET else None}
    problem = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
    body = (
        f"<h1>{e(t('app.title', lang))}</h1>{problem}"
        f'<form method="post" action="{PATH}{e(_query(**keep, lang=lang))}">'
        f'<label>{e(t("auth.username", lang))}<br><input name="username" '
        'autocomplete="username" required></label>'
        f'<label>{e(t("auth.password", lang))}<br><input name="password" type="password" '
        'autocomplete="current-password" required></label>'
        f'<button type="submit">{e(t("auth.submit", lang))}</button></form>'
        f'<nav><a href="{PATH}{e(_query(**keep, lang=other))}">'
        f"{e(t('quick.language', lang))}</a></nav>"
    )
    return _document(t("auth.title", lang), body, lang)


COMMUNE_PAGE = "pages/drilldown.py"  # the dashboard's page this one is the top of


APP_PRESETS = ("today", "7d", "month", "since_start")  # the dashboard's own (ioc.ui)


def commune_page(commune: str | None = None, preset: str | None = None, period=None) -> str:
    """The dashboard's commune page (of a commune, for the period shown here: the sections the
    block links to; a period the dashboard has no preset for goes as its dates)."""
    url_path = next(p.url_path for p in navigation.PAGES if p.path == COMMUNE_PAGE)
    if preset in APP_PRESETS or period is None:
        return f"/{url_path}{_query(commune=commune, period=preset)}"
    dates = {"from": f"{period.date_from:%Y-%m-%d}", "to": f"{period.date_to:%Y-%m-%d}"}
    return f"/{url_path}{_query(commune=commune, period='custom', **dates)}"


def page_html(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    commune: str,
    lang: str,
    preset: str = PRESET,
    now: datetime | None = None,
) -> str:
    """The chair's block of `commune` for `scope` as a whole page: the ward, the period and the
    data time on top, the block, then the share card, the full page and the language switch."""
    e = html.escape
    period = period_for(preset, now)
    keep = {"commune": commune, "period": preset if preset != PRESET else None}
    summary = drilldown.chair_summary(con, period, commune)
    try:
        todo = actions.for_commune(con, scope, commune, lang)
    except ScopeError:
        todo = None
    newest = store.run_query(con, "data_freshness")["newest_at"][0]
    updated = (
        t("app.data_updated", lang, at=fmt_datetime(newest, lang))
        if newest is not None
        else t("app.no_data", lang)
    )
    other = "en" if lang == "vi" else "vi"
    full = commune_page(commune, preset, period)
    body = (
        f"<h1>{e(summary.commune_name)}</h1>"
        f'<p class="muted sub">{e(period_label(period, lang))} · {e(updated)}</p>'
        + drilldown.chair_html(summary, drilldown.change_basis(period), lang, todo, full)
        + f'<p class="muted">{e(t("chair.gap_help", lang))}</p><nav>'
        f'<a href="{CARD_PATH}{e(_query(**keep, lang=lang))}" download>'
        f"{e(t('chair.share', lang))}</a>"
        f'<a href="{e(full)}">{e(t("quick.full", lang))}</a>'
        f'<a href="{PATH}{e(_query(**keep, lang=other))}">'
        f"{e(t('quick.language', lang))}</a></nav>"
    )
    return _document(f"{summary.commune_name} · IOC", body, lang)


def card_name(commune: str, preset: str = PRESET, now: datetime | None = None) -> str:
    """The share card's file name, as the commune page names it."""
    return f"the-{commune}-{period_for(preset, now).date_to:%Y%m%d}.png"


def card_png(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    commune: str,
    lang: str,
    preset: str = PRESET,
    now: datetime | None = None,
) -> bytes:
    """The ward's share card (drilldown.share_card_png), audited as the page's download is."""
    period = period_for(preset, now)
    summary = drilldown.chair_summary(con, period, commune)
    newest = store.run_query(con, "data_freshness")["newest_at"][0]
    data = drilldown.share_card_png(summary, period, newest, lang)
    audit.record(con, scope.username, audit.DOWNLOAD, commune, card_name(commune, preset, now))
    return data


def commune_for(scope: Scope, asked: str | None, con: duckdb.DuckDBPyConnection) -> str | None:
    """The commune the page shows: a ward chair's own, else the link's when it is one of the
    province's communes and the role may open the commune page (None: none to show)."""
    if not navigation.may_open(scope.role, COMMUNE_PAGE):
        return None
    if scope.role == WARD_CHAIR:
        return scope.commune_code
    if asked and asked in auth.communes(con, config.DEFAULT_PROVINCE):
        return asked
    return None


# --- the routes -----------------------------------------------------------------------------


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "vi"


def _preset(request: Request) -> str:
    asked = request.query_params.get("period")
    return asked if asked in PERIOD_PRESETS else PRESET


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _show(cookie: str | None, asked: str | None, lang: str, preset: str, card: bool) -> Response:
    con = store.cursor(startup.open_store())
    try:
        scope = sessions.cookie_scope(con, cookie)
        if scope is None:
            if card:
                return RedirectResponse(f"{PATH}{_query(commune=asked, lang=lang)}", 303)
            return HTMLResponse(sign_in_html(lang, asked, preset=preset))
        commune = commune_for(scope, asked, con)
        if commune is None:  # no commune in the link, or a role without the commune page
            return RedirectResponse(commune_page() if scope.role != ADMIN else "/", 303)
        if card:
            data = card_png(con, scope, commune, lang, preset)
            disposition = f'attachment; filename="{card_name(commune, preset)}"'
            return Response(
                data, media_type="image/png", headers={"Content-Disposition": disposition}
            )
        return HTMLResponse(page_html(con, scope, commune, lang, preset))
    finally:
        con.close()


async def show(request: Request) -> Response:
    asked = request.query_params.get("commune")
    cookie = request.cookies.get(sessions.COOKIE)
    answer = await run_in_threadpool(_show, cookie, asked, _lang(request), _preset(request), False)
    return _no_store(answer)


async def show_card(request: Request) -> Response:
    asked = request.query_params.get("commune")
    cookie = request.cookies.get(sessions.COOKIE)
    answer = await run_in_threadpool(_show, cookie, asked, _lang(request), _preset(request), True)
    return _no_store(answer)


def _sign_in(
    username: str, password: str, source: str
) -> tuple[str | None, auth.AuthError | writes.WritesUnavailable | None]:
    """(the session cookie, None) for a right password, else (None, why): refused, or on the
    lake no worker to store the session."""
    con = store.cursor(startup.open_store())
    try:
        scope = auth.authenticate(con, username, password, source=source)
        code = sessions.begin({}, con, scope, source=source)
        return sessions.take_handoff(code), None
    except (auth.AuthError, writes.WritesUnavailable) as error:
        return None, error
    finally:
        con.close()


async def sign_in(request: Request) -> Response:
    lang, asked = _lang(request), request.query_params.get("commune")
    if not same_origin(request):
        return Response(status_code=403)
    body = (await request.body())[:FORM_BYTES].decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body).items()}
    username, password = form.get("username", ""), form.get("password", "")
    if not username.strip() or not password:
        empty = sign_in_html(lang, asked, t("auth.error.empty", lang), _preset(request))
        return _no_store(HTMLResponse(empty, 400))
    source = request.client.host if request.client else "unknown"
    cookie, refused = await run_in_threadpool(_sign_in, username, password, source)
    if isinstance(refused, writes.WritesUnavailable):
        text = t(refused.KEY, lang)
        return _no_store(HTMLResponse(sign_in_html(lang, asked, text, _preset(request)), 503))
    if cookie is None:
        until = fmt_datetime(refused.until, lang) if refused and refused.until else ""
        text = t(
            f"auth.error.{refused.reason if refused else 'bad_credentials'}", lang, until=until
        )
        return _no_store(HTMLResponse(sign_in_html(lang, asked, text, _preset(request)), 401))
    preset = _preset(request)
    back = _query(commune=asked, period=preset if preset != PRESET else None, lang=lang)
    response = RedirectResponse(f"{PATH}{back}", 303)
    set_cookie(response, request, cookie)
    return _no_store(response)


ROUTES = [
    Route(PATH, show, methods=["GET"]),
    Route(PATH, sign_in, methods=["POST"]),
    Route(CARD_PATH, show_card, methods=["GET"]),
]
