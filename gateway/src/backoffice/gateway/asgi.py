"""The gateway's outer ASGI layers: header size limit, CORS, the request guard, and ``/api/*`` to the proxy."""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from urllib.parse import unquote

from backoffice.shared.auth import current_user
from backoffice.shared.errors import Problem, problem_response
from backoffice.shared.observability import accepted_request_id, request_id_var
from backoffice.shared.security import require_admin_token
from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Dependencies that make a route need a caller: a verified access token, or an admin's (or the operator's) token.
CALLER_DEPENDENCIES = {current_user, require_admin_token}
# A slash or a backslash written percent-encoded: ``a%2Fb`` is one segment here, two segments for whatever behind
# the gateway decodes it before routing.
_ENCODED_SEPARATOR = re.compile(rb"%(2f|5c)", re.IGNORECASE)


async def send_problem(
    scope: Scope, send: Send, status: int, detail: str, *, slug: str, headers: dict[str, str] | None = None
) -> None:
    """Answer a request the gateway refuses before any route sees it, with the request id it would have had."""
    raw_id = next((value for key, value in scope["headers"] if key == b"x-request-id"), None)
    request_id = accepted_request_id(raw_id)
    token = request_id_var.set(request_id)
    try:
        response = problem_response(
            Request(scope), status, detail, slug=slug, headers={**(headers or {}), "X-Request-ID": request_id}
        )
    finally:
        request_id_var.reset(token)

    async def nothing() -> Message:  # the answer does not read the request
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


class HeaderLimit:
    """Answer 431 problem+json when the request's headers are larger than allowed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(k) + len(v) + 4 for k, v in scope["headers"])
            if size > self.max_bytes:
                detail = f"the request's headers take {size} bytes; at most {self.max_bytes} are accepted"
                await send_problem(scope, send, 431, detail, slug="headers-too-large")
                return
        await self.app(scope, receive, send)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on an absolute path, with empty segments merged (``//`` is ``/``)."""
    output: list[str] = []
    segments = path.split("/")[1:]
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "..":
            if output:
                output.pop()
            if last:
                output.append("")
        elif segment == ".":
            if last:
                output.append("")
        elif segment or last:
            output.append(segment)
    return "/" + "/".join(output)


def normalised_path(raw_path: bytes) -> tuple[bytes, str] | str:
    """The request path with its dot segments removed, as sent (percent-encoded) and decoded; or why it is refused:
    a segment that is still ``.`` or ``..`` once decoded, an encoded slash or backslash, a backslash."""
    if _ENCODED_SEPARATOR.search(raw_path):
        return "the path contains an encoded slash or backslash (%2F, %5C); send ids without them"
    sent = remove_dot_segments(raw_path.decode("latin-1"))
    decoded = unquote(sent)  # as the server decoded it
    if "\\" in decoded:
        return "the path contains a backslash; separate segments with '/'"
    if any(segment in (".", "..") for segment in decoded.split("/")):
        return "the path contains an encoded '.' or '..' segment (%2E); send the path without it"
    return sent.encode("latin-1"), decoded


def _needs_caller(dependant: Dependant) -> bool:
    return any(sub.call in CALLER_DEPENDENCIES or _needs_caller(sub) for sub in dependant.dependencies)


def _has_body(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(
        (k == b"content-length" and v.strip() not in (b"0", b"")) or k == b"transfer-encoding" for k, v in headers
    )


class RequestGuard:
    """What the gateway checks before any route or the proxy reads a request: a clean path (dot segments removed
    once, then routed and blocked on), one ``Authorization`` header (a service reading another than the gateway's
    would act for someone the rate limits did not count), the scrape token on ``/metrics``, a verified caller
    before the body of a route that needs one is read, and the route's cap on the body's size."""

    def __init__(self, app: ASGIApp, gateway: FastAPI):
        self.app = app
        self.gateway = gateway
        settings = gateway.state.settings
        self.metrics_token: bytes | None = (
            settings.metrics_token.get_secret_value().encode() if settings.metrics_token is not None else None
        )
        self.max_json = int(settings.max_json_body_bytes)
        self.max_upload = int(settings.max_upload_body_bytes)
        self.upload_routes = [re.compile(pattern) for pattern in settings.upload_routes]
        self._routes_needing_caller: list[RouteContext] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = normalised_path(scope.get("raw_path") or scope["path"].encode())
        if isinstance(path, str):
            await send_problem(scope, send, 400, path, slug="malformed-path")
            return
        scope = {**scope, "raw_path": path[0], "path": path[1]}
        authorizations = [value for key, value in scope["headers"] if key == b"authorization"]
        if len(authorizations) > 1:
            detail = f"send one Authorization header; this request has {len(authorizations)}"
            await send_problem(scope, send, 400, detail, slug="several-authorization-headers")
            return
        authorization = authorizations[0].decode("latin-1") if authorizations else ""
        # Only a scrape (GET, HEAD) needs the token: another method is answered 405 with the Allow header.
        scrape = scope["path"] == "/metrics" and scope["method"] in ("GET", "HEAD")
        if scrape and not self._may_scrape(authorization):
            detail = (
                "send 'Authorization: Bearer <the scrape token>' (BACKOFFICE_GATEWAY_METRICS_TOKEN)"
                if self.metrics_token is not None
                else "the gateway's metrics are off: set BACKOFFICE_GATEWAY_METRICS_TOKEN and scrape with it"
            )
            await send_problem(scope, send, 401, detail, slug="authentication-required")
            return
        if not _has_body(scope["headers"]):
            await self.app(scope, receive, send)
            return
        if self._needs_caller(scope):
            refusal = await self._refuse_caller(authorization)
            if refusal is not None:
                await send_problem(
                    scope, send, 401, refusal, slug="authentication-required", headers={"WWW-Authenticate": "Bearer"}
                )
                return
        await self._capped(scope, receive, send)

    def _may_scrape(self, authorization: str) -> bool:
        scheme, _, token = authorization.partition(" ")
        if self.metrics_token is None or scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), self.metrics_token)

    def _needs_caller(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path.startswith("/api/"):
            return True  # every service route that takes a body acts for someone
        if self._routes_needing_caller is None:
            self._routes_needing_caller = [
                route
                for route in iter_route_contexts(self.gateway.routes)
                if isinstance(dependant := getattr(route, "dependant", None), Dependant) and _needs_caller(dependant)
            ]
        return any(route.matches(scope)[0] == Match.FULL for route in self._routes_needing_caller)

    async def _refuse_caller(self, authorization: str) -> str | None:
        """Why the caller is not known (None when it is): no bearer token, or one that does not verify."""
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return "send 'Authorization: Bearer <access token>' (get one from POST /auth/login)"
        operator = self.gateway.state.settings.admin_token.get_secret_value().encode()
        if hmac.compare_digest(token.encode(), operator):
            return None
        try:
            await self.gateway.state.token_verifier.verify(token)
        except Problem as exc:
            return exc.detail
        return None

    async def _capped(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        upload = any(pattern.search(path) for pattern in self.upload_routes)
        cap = self.max_upload if upload else self.max_json
        what = "an upload" if upload else "a request body on this route"
        detail = f"{what} may have at most {cap} bytes"
        length = next((value for key, value in scope["headers"] if key == b"content-length"), None)
        if length is not None and length.strip().isdigit() and int(length) > cap:
            await send_problem(scope, send, 413, f"{detail}; this one has {int(length)}", slug="body-too-large")
            return
        received = 0
        refused = started = False

        async def capped_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    refused = True
                    if not started:
                        await send_problem(scope, send, 413, f"{detail}; this one has more", slug="body-too-large")
                    return {"type": "http.disconnect"}  # the route stops as if the client had gone
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused and not started:
                return  # the 413 is the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, capped_receive, guarded_send)


class Dispatch:
    """``/api/...`` to the proxy (built at start-up, kept on ``app.state.proxy``); the rest to FastAPI."""

    def __init__(self, app: FastAPI):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            await self.app.state.proxy(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def wrap(app: FastAPI) -> ASGIApp:
    """The gateway's ASGI app: the request guard, the dispatch of ``/api/*`` to the proxy and CORS around ``app``."""
    settings = app.state.settings
    outer: ASGIApp = RequestGuard(Dispatch(app), app)
    if settings.cors_origins:
        outer = CORSMiddleware(
            outer,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    return HeaderLimit(outer, settings.max_header_bytes)
