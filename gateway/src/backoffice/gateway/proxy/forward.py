"""The reverse proxy for ``/api/<service>/...``: a pure ASGI app, streaming both ways.

One pooled HTTP/1.1 client per upstream (aiohttp, whose C parser and connection pool cost a
fraction of a pure-Python client's; with a cookie jar that keeps nothing, so nothing a user's
response sets can reach another user). Hop-by-hop headers are dropped, ``X-Forwarded-*`` and
``X-Request-ID`` are set. A request is retried once only when it cannot have reached the upstream.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
from backoffice.gateway.limits import RequestLimiter, client_address
from backoffice.gateway.proxy.breaker import CircuitBreaker
from backoffice.shared.auth import TokenVerifier
from backoffice.shared.errors import PROBLEM_JSON, TYPE_BASE, Problem
from backoffice.shared.observability import HTTP_LATENCY, accepted_request_id, correlation_id_var, request_id_var
from starlette.types import Message, Receive, Scope, Send

log = logging.getLogger("backoffice.gateway.proxy")

HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-authenticate",
    b"proxy-authorization",
    b"te",
    b"trailer",
    b"trailers",
    b"transfer-encoding",
    b"upgrade",
    b"proxy-connection",
}
# Set by the gateway itself on the way in; what the client sent is dropped.
REPLACED_IN = {
    b"host",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"x-request-id",
    b"forwarded",
    b"x-real-ip",
}
# Set by the gateway's own server on the way out: the service's copy would make two of each.
REPLACED_OUT = {b"date", b"server", b"x-request-id"}
IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
# Kept-alive connections are dropped before the services' server does (uvicorn: after 5 s idle), so that the
# gateway never sends a request on a connection the service is closing.
KEEPALIVE_S = 4.0


class _UpstreamResponse(aiohttp.ClientResponse):
    """A response whose connection is not reused after a server error: a server may close the connection after an
    error it did not handle (uvicorn does, right after the answer), and the next caller's request sent on it would
    fail. Decided here because aiohttp gives a short answer's connection back to the pool before returning it."""

    async def start(self, connection: aiohttp.connector.Connection) -> aiohttp.ClientResponse:
        protocol = connection.protocol
        await super().start(connection)
        if self.status >= 500 and protocol is not None:
            if self.connection is None:
                protocol.close()  # already back in the pool, idle: closed, the pool skips it
            else:
                protocol.force_close()  # closed instead of pooled once the answer is read
        return self


@dataclass
class Upstream:
    name: str
    base_url: str
    session: aiohttp.ClientSession
    breaker: CircuitBreaker
    host_header: bytes
    read_timeout_s: float

    @classmethod
    def create(
        cls,
        name: str,
        base_url: str,
        *,
        max_connections: int,
        connect_timeout_s: float,
        read_timeout_s: float,
        breaker: CircuitBreaker,
    ) -> Upstream:
        parts = urlsplit(base_url)
        connector = aiohttp.TCPConnector(
            limit=max_connections, keepalive_timeout=KEEPALIVE_S, enable_cleanup_closed=True
        )
        session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # never keep or send cookies between users
            auto_decompress=False,  # pass bodies through as they are
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout_s, sock_read=read_timeout_s),
            skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            response_class=_UpstreamResponse,
        )
        return cls(name, base_url.rstrip("/"), session, breaker, (parts.netloc or "").encode(), read_timeout_s)

    async def close(self) -> None:
        await self.session.close()


def _problem_bytes(status: int, detail: str, slug: str, request_id: str, instance: str, **extra: Any) -> bytes:
    import json

    body = {
        "type": TYPE_BASE + slug,
        "title": slug.replace("-", " ").capitalize(),
        "status": status,
        "detail": detail,
        "instance": instance,
        "request_id": request_id,
        **extra,
    }
    return json.dumps(body).encode()


class _BodyStream:
    """The client's request body as an async iterator; remembers whether reading started."""

    def __init__(self, receive: Receive):
        self.receive = receive
        self.started = False
        self.client_gone = False  # the client went away, or the gateway refused the rest of the body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                self.client_gone = True
                raise ConnectionAbortedError("the client went away during the upload")
            chunk = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return


def _as_sent(scope: Scope, rest: str) -> str:
    """``rest`` (the path after ``/api/<name>``) still percent-encoded as the client sent it, so that an encoded
    ``?``, ``#`` or ``/`` in an id reaches the service inside that id (decoded, a ``?`` would start a query)."""
    raw = scope.get("raw_path")
    path: str = scope["path"]
    prefix = "/".join(path.split("/", 3)[:3])
    if raw:
        sent = raw.decode("latin-1")
        if sent == prefix or sent.startswith(prefix + "/"):
            return sent[len(prefix) :] or "/"
    return quote(rest, safe="/:@!$&'()*+,;=-._~")


def _has_body(scope: Scope) -> bool:
    """Whether the request comes with a body: a non-zero Content-Length or chunked framing (re-framed by the client
    library)."""
    return any((k == b"content-length" and v.strip() != b"0") or k == b"transfer-encoding" for k, v in scope["headers"])


async def _stream_body(response: aiohttp.ClientResponse, send: Send) -> None:
    """Send the upstream's response body on as it arrives, then its end."""
    async for chunk in response.content.iter_any():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _first_and_unsent(attempts: int, body: _BodyStream | None) -> bool:
    """Whether this was the first attempt and none of the request's body was sent: it may go once more."""
    return attempts == 1 and (body is None or not body.started)


def _record_outcome(upstream: Upstream, status: int) -> None:
    """Tell the upstream's circuit breaker how the call went: a 502, 503 or 504 counts as a failure."""
    if status in (502, 503, 504):
        upstream.breaker.record_failure()
    else:
        upstream.breaker.record_success()


def _response_headers(raw: Iterable[tuple[bytes, bytes]], request_id: str) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers as the client gets them: no hop-by-hop ones, and the request's id."""
    out = [(k.lower(), v) for k, v in raw if k.lower() not in HOP_BY_HOP and k.lower() not in REPLACED_OUT]
    out.append((b"x-request-id", request_id.encode()))
    return out


class Proxy:
    """Forwards ``/api/<name>/<path>`` to ``<upstream>/<path>``."""

    def __init__(
        self,
        upstreams: dict[str, Upstream],
        verifier: TokenVerifier,
        limiter: RequestLimiter,
        refuse_user: Callable[[str], None] | None = None,
    ):
        self.upstreams = upstreams
        self.verifier = verifier
        self.refuse_user = refuse_user  # raises a Problem for a login that may not be used any more
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        raw_request_id = authorization = None
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                raw_request_id = value
            elif key == b"authorization":
                authorization = value.decode("latin-1")
        request_id = accepted_request_id(raw_request_id)
        token_r, token_c = request_id_var.set(request_id), correlation_id_var.set(request_id)
        path: str = scope["path"]
        parts = path.split("/", 3)
        name = parts[2] if len(parts) > 2 else ""
        status = 500
        try:
            upstream = self.upstreams.get(name)
            if upstream is None:
                status = 404
                await self._problem(
                    send,
                    404,
                    f"no service {name!r}: use one of {', '.join(self.upstreams)}",
                    "not-found",
                    request_id,
                    path,
                )
                return
            rest = "/" + (parts[3] if len(parts) > 3 else "")
            if rest == "/metrics" or rest.startswith("/metrics/"):
                status = 404
                await self._problem(
                    send,
                    404,
                    "a service's metrics are for the internal network, not the API",
                    "not-found",
                    request_id,
                    path,
                )
                return
            try:
                user_id = None
                if authorization:
                    scheme, _, token = authorization.partition(" ")
                    if scheme.lower() == "bearer" and token:
                        user_id = (await self.verifier.verify(token)).user_id
                        if self.refuse_user is not None:
                            self.refuse_user(user_id)
                await self.limiter.enforce(path, client_address(scope), user_id)
            except Problem as exc:
                status = exc.status
                log.info("refused %s %s: %s", scope["method"], path, exc.detail)
                await self._problem(
                    send, exc.status, exc.detail, exc.slug, request_id, path, headers=exc.headers, **exc.extra
                )
                return
            status = await self._forward(upstream, scope, receive, send, request_id, rest)
        finally:
            HTTP_LATENCY.labels("gateway", scope["method"], f"/api/{name}", str(status)).observe(
                time.perf_counter() - start
            )
            request_id_var.reset(token_r)
            correlation_id_var.reset(token_c)

    def _upstream_headers(self, upstream: Upstream, scope: Scope, request_id: str) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = []
        connection_listed: set[bytes] = set()
        forwarded_for = b""
        client_host = b""
        for key, value in scope["headers"]:
            if key == b"connection":
                connection_listed.update(v.strip().lower() for v in value.split(b","))
            elif key == b"x-forwarded-for":
                forwarded_for = value
            elif key == b"host":
                client_host = value
        for key, value in scope["headers"]:
            if key in HOP_BY_HOP or key in REPLACED_IN or key in connection_listed:
                continue
            headers.append((key, value))
        address = client_address(scope).encode()
        headers.append((b"host", upstream.host_header))
        headers.append((b"x-forwarded-for", forwarded_for + b", " + address if forwarded_for else address))
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
        if client_host:
            headers.append((b"x-forwarded-host", client_host))
        headers.append((b"x-request-id", request_id.encode()))
        return headers

    async def _refused_by_breaker(self, upstream: Upstream, scope: Scope, send: Send, request_id: str) -> bool:
        """Answer 503 with ``Retry-After`` while the upstream's circuit is open (and say so)."""
        wait = upstream.breaker.before_call()
        if wait is None:
            return False
        seconds = max(1, int(wait + 0.999))
        await self._problem(
            send,
            503,
            f"{upstream.name} is unavailable (circuit open); try again in {seconds} s",
            "upstream-unavailable",
            request_id,
            scope["path"],
            headers={"Retry-After": str(seconds)},
            upstream=upstream.name,
        )
        return True

    async def _forward(
        self, upstream: Upstream, scope: Scope, receive: Receive, send: Send, request_id: str, rest: str
    ) -> int:
        if await self._refused_by_breaker(upstream, scope, send, request_id):
            return 503
        method: str = scope["method"]
        headers = self._upstream_headers(upstream, scope, request_id)
        has_body = _has_body(scope)
        query = scope.get("query_string", b"")
        url = upstream.base_url + _as_sent(scope, rest) + ("?" + query.decode("latin-1") if query else "")
        str_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]
        attempts = 0
        while True:
            attempts += 1
            body = _BodyStream(receive) if has_body else None
            response_started = False
            try:
                async with upstream.session.request(
                    method,
                    url,
                    headers=str_headers,
                    data=body.__aiter__() if body else None,
                    allow_redirects=False,
                    compress=None,
                    chunked=None,
                ) as response:
                    _record_outcome(upstream, response.status)
                    out = _response_headers(response.raw_headers, request_id)
                    await send({"type": "http.response.start", "status": response.status, "headers": out})
                    response_started = True
                    await _stream_body(response, send)
                    return response.status
            except ConnectionAbortedError:
                return 499
            except aiohttp.ClientConnectorError:
                if _first_and_unsent(attempts, body):
                    continue  # it never reached the upstream: safe to try once more
                upstream.breaker.record_failure()
                status, detail, slug = 503, f"{upstream.name} is unreachable", "upstream-unreachable"
            except (TimeoutError, aiohttp.ServerTimeoutError):
                if response_started:
                    raise
                upstream.breaker.record_failure()
                status = 504
                detail = f"{upstream.name} did not answer within {upstream.read_timeout_s:.0f} s"
                slug = "upstream-timeout"
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ClientPayloadError) as exc:
                if body is not None and body.client_gone:
                    return 499  # the upload stopped at the client's end (or was refused), not at the service's
                # A kept-alive connection the upstream had closed: an idempotent request may go again.
                if not response_started and method in IDEMPOTENT and _first_and_unsent(attempts, body):
                    continue
                if response_started:
                    raise
                upstream.breaker.record_failure()
                status, detail, slug = (
                    502,
                    f"{upstream.name} closed the connection: {type(exc).__name__}",
                    "bad-gateway",
                )
            log.warning("proxy to %s failed: %s", upstream.name, detail)
            await self._problem(send, status, detail, slug, request_id, scope["path"], upstream=upstream.name)
            return status

    @staticmethod
    async def _problem(
        send: Send,
        status: int,
        detail: str,
        slug: str,
        request_id: str,
        instance: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        body = _problem_bytes(status, detail, slug, request_id, instance, **extra)
        raw = [
            (b"content-type", PROBLEM_JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
        ]
        raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        start: Message = {"type": "http.response.start", "status": status, "headers": raw}
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})
