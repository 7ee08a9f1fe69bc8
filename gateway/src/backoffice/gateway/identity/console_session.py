"""``/auth/session``: sign-in for the console, with the refresh token in a cookie JavaScript cannot read.

The console keeps its access token in memory only. Its refresh token travels as ``backoffice_refresh``, an
``HttpOnly; Secure; SameSite=Strict`` cookie scoped to ``/auth``, so a script injected into the page cannot
steal it, and the browser sends it only to the gateway's own ``/auth/*`` routes.

A cookie is sent by the browser on its own, so the routes that use it are protected against cross-site request
forgery twice: ``SameSite=Strict`` (no cross-site request carries it), and a double-submit token: sign-in also
sets ``backoffice_csrf`` (readable by the page, ``Path=/``), and refresh and sign-out must send its value back in
the ``X-CSRF-Token`` header, which another site can neither read nor set. A request whose ``Origin`` is neither
the gateway's own nor one of ``BACKOFFICE_GATEWAY_CORS_ORIGINS`` is refused as well.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Literal

from backoffice.gateway.identity import service
from backoffice.gateway.identity.routes import no_store, sign_in
from backoffice.gateway.identity.schemas import LoginRequest, TokenPair
from backoffice.gateway.keys.service import KeyRingDep
from backoffice.gateway.limits import LoginGuardDep, limit_auth_requests
from backoffice.gateway.settings import GatewaySettings, GatewaySettingsDep
from backoffice.shared.db import SessionDep
from backoffice.shared.errors import Forbidden, Problem, problem_response
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

REFRESH_COOKIE = "backoffice_refresh"
CSRF_COOKIE = "backoffice_csrf"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_PATH = "/auth"

router = APIRouter(
    prefix="/auth/session", tags=["auth"], dependencies=[Depends(limit_auth_requests), Depends(no_store)]
)


class ConsoleSession(BaseModel):
    """An access token for the console; the refresh token is in the ``backoffice_refresh`` cookie."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the access token expires: refresh before then")
    refresh_expires_in: int = Field(description="seconds until the session ends unless refreshed")


def _set_cookies(response: Response, tokens: TokenPair) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        tokens.refresh_token,
        max_age=tokens.refresh_expires_in,
        path=REFRESH_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(24),
        max_age=tokens.refresh_expires_in,
        path="/",
        secure=True,
        httponly=False,
        samesite="strict",
    )


def _clear_cookies(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH, secure=True, httponly=True, samesite="strict")
    response.delete_cookie(CSRF_COOKIE, path="/", secure=True, httponly=False, samesite="strict")


def _session(tokens: TokenPair) -> ConsoleSession:
    return ConsoleSession(
        access_token=tokens.access_token, expires_in=tokens.expires_in, refresh_expires_in=tokens.refresh_expires_in
    )


def _check_origin(request: Request, settings: GatewaySettings) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return  # a same-origin GET-less fetch may omit it; SameSite and the CSRF token still hold
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin != own and origin not in settings.cors_origins:
        raise Forbidden(f"requests from {origin} may not use the console's session", slug="origin-refused")


def _cookie_session(request: Request, settings: GatewaySettings) -> str:
    """The refresh token of the cookie, once the request proved it comes from the console's own page."""
    _check_origin(request, settings)
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not refresh:
        raise Problem(401, "there is no console session: sign in", slug="no-session")
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise Forbidden(
            f"send the value of the {CSRF_COOKIE} cookie in the {CSRF_HEADER} header",
            slug="csrf-token-mismatch",
        )
    return refresh


@router.post(
    "",
    response_model=ConsoleSession,
    summary="Sign in to the console: an access token, and the refresh token in an HttpOnly cookie",
    responses={401: {}, 403: {}, 429: {}},
)
async def open_session(
    body: LoginRequest,
    request: Request,
    response: Response,
    session: SessionDep,
    guard: LoginGuardDep,
    keyring: KeyRingDep,
    settings: GatewaySettingsDep,
) -> ConsoleSession:
    _check_origin(request, settings)
    user = await sign_in(body, request, session, guard)
    tokens = await service.issue_tokens(session, keyring, settings, user)
    _set_cookies(response, tokens)
    return _session(tokens)


@router.post(
    "/refresh",
    response_model=ConsoleSession,
    summary="A new access token for the console's session (cookie and X-CSRF-Token)",
    responses={401: {}, 403: {}},
)
async def refresh_session(
    request: Request, response: Response, session: SessionDep, keyring: KeyRingDep, settings: GatewaySettingsDep
) -> ConsoleSession | JSONResponse:
    presented = _cookie_session(request, settings)
    try:
        tokens = await service.rotate_refresh(session, keyring, settings, presented)
    except Problem as exc:
        if isinstance(exc, service.RefreshReuse):
            await session.commit()  # keep the revocation of the family
        answer = problem_response(request, exc.status, exc.detail, slug=exc.slug)
        _clear_cookies(answer)  # the session is over: the console goes back to sign-in
        return answer
    _set_cookies(response, tokens)
    return _session(tokens)


@router.post(
    "/logout",
    status_code=204,
    summary="Sign out of the console: the session ends and its cookies are removed",
    responses={401: {}, 403: {}},
)
async def close_session(request: Request, session: SessionDep, settings: GatewaySettingsDep) -> Response:
    presented = _cookie_session(request, settings)
    answer = Response(status_code=204)
    try:
        await service.logout(session, presented)
    except Problem as exc:
        if exc.status != 401:
            raise
    _clear_cookies(answer)
    return answer
