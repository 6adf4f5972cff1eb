"""The three HTTP routes that set and clear the session cookie (ioc/sessions.py), mounted beside
Streamlit by the launcher serve.py (st.App) that `ioc serve` runs:

- POST /auth/session   body `code=<one-time code>`: the page trades the code it got at sign-in for
  the HttpOnly cookie (204), so the next reload or tab is signed in;
- POST /auth/sign-out  clears the cookie (the session was already revoked by the sign-out button);
- GET  /auth/wall?token=<wall token>: a wall screen's link. A valid token becomes the display's
  cookie and the display goes on to the presentation with the wall's deck; any other gets a short
  page saying to ask for a new link.

Under a plain `streamlit run app.py` these routes are absent: sign-in works, a reload signs out.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ioc import sessions, startup, store
from ioc.i18n import t


def same_origin(request: Request) -> bool:
    """A POST from one of our pages: its Origin (when the browser sends one) is our host."""
    origin = request.headers.get("origin")
    return origin is None or urlparse(origin).netloc == request.headers.get("host")


def set_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        sessions.COOKIE,
        value,
        max_age=sessions.cookie_seconds(value),
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response) -> None:
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax")


async def hand_off(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403)
    body = (await request.body())[:1000].decode("ascii", errors="replace")
    code = (parse_qs(body).get("code") or [""])[0]
    value = sessions.take_handoff(code)
    if value is None:
        return Response(status_code=410)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    set_cookie(response, request, value)
    return response


def _end_cookie_session(value: str | None) -> None:
    con = store.cursor(startup.open_store())
    try:
        verified = sessions.verify(con, value)
        if verified is not None and verified[0] == sessions.USER:
            sessions.end(con, verified[1], "sign_out", wait=False)
    finally:
        con.close()


async def sign_out(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403)
    await run_in_threadpool(_end_cookie_session, request.cookies.get(sessions.COOKIE))
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    clear_cookie(response)
    return response


def _open_wall(token: str | None) -> sessions.Wall | None:
    con = store.cursor(startup.open_store())
    try:
        return sessions.open_wall(con, token)
    finally:
        con.close()


def _refused_page() -> str:
    lines = "".join(
        f"<h1>{html.escape(t('wall.link_refused', lang))}</h1>"
        f"<p>{html.escape(t('wall.link_refused_hint', lang))}</p>"
        for lang in ("vi", "en")
    )
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>IOC</title></head>'
        f'<body style="font-family:sans-serif;margin:3rem">{lines}'
        f'<p><a href="/">{html.escape(t("nav.sign_in", "vi"))}</a></p></body></html>'
    )


async def wall(request: Request) -> Response:
    token = request.query_params.get("token")
    found = await run_in_threadpool(_open_wall, token)
    if found is None:
        response: Response = HTMLResponse(_refused_page(), status_code=403)
        clear_cookie(response)
    else:
        response = RedirectResponse(sessions.wall_url(found), status_code=303)
        set_cookie(response, request, token or "")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token never leaves in a Referer
    return response


ROUTES = [
    Route("/auth/session", hand_off, methods=["POST"]),
    Route("/auth/sign-out", sign_out, methods=["POST"]),
    Route("/auth/wall", wall, methods=["GET"]),
]
