"""RFC 9457 problem details (``application/problem+json``) for every error of every service."""

from __future__ import annotations

import errno
import logging
import re
from typing import Any

from backoffice.shared.observability import request_id_var
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("backoffice.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:backoffice:problem:"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(Exception):
    """An error a caller can act on. ``slug`` is the stable part of the problem ``type``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or _slugify(_TITLES.get(status, "error"))
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers or {}
        self.extra = extra


class NotFound(Problem):
    """404: ``what`` named ``key`` does not exist (or is not visible to the caller)."""

    def __init__(self, what: str, key: object, *, slug: str = "not-found", **extra: Any):
        super().__init__(404, f"{what} {key} does not exist", slug=slug, **extra)


class Forbidden(Problem):
    """403: the caller is known but may not do this; ``detail`` says who may."""

    def __init__(self, detail: str, *, slug: str | None = None, **extra: Any):
        super().__init__(403, detail, slug=slug, **extra)


class Conflict(Problem):
    """409: the request is valid but the record's state does not allow it now; ``detail`` says what state would."""

    def __init__(self, detail: str, *, slug: str | None = None, **extra: Any):
        super().__init__(409, detail, slug=slug, **extra)


class Unprocessable(Problem):
    """422: the request is well-formed but a value breaks a rule the schema cannot express (``detail`` names it)."""

    def __init__(self, detail: str, *, slug: str | None = None, **extra: Any):
        super().__init__(422, detail, slug=slug, **extra)


def _slugify(text: str) -> str:
    return text.lower().replace(" ", "-")


def problem_response(
    request: Request | None,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response (RFC 9457) with the request's id; ``extra`` goes into the body."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or _slugify(_TITLES.get(status, "error"))),
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    if rid := request_id_var.get():
        body["request_id"] = rid
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, rest = parts[0], parts[1:]
        return f"{where}.{'.'.join(rest)}" if rest else where
    return ".".join(parts)


def refused_value(exc: BaseException) -> str | None:
    """What to tell the user when the database refused a value as data (SQLSTATE class 22: a NUL character, a
    number out of range, text longer than its column). Routes validate what they can; this is the safety net
    for the rest, so such input is a 422 naming the problem rather than a 500."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    sqlstate = str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")
    if not sqlstate.startswith("22"):
        return None
    if sqlstate == "22021" or "0x00" in str(exc.orig):
        return "text must not contain NUL (\\u0000) characters"
    reason = str(exc.orig).splitlines()[0] if str(exc.orig) else type(exc.orig).__name__
    reason = reason.split(": ", 1)[-1] if reason.startswith("<class") else reason
    return f"a value is not acceptable: {reason}"


# SQLSTATEs of a database that cannot serve now but may in a moment: connection exceptions (class 08), too many
# connections, an administrator or crash shutdown, a server still starting.
_UNAVAILABLE_SQLSTATES = ("08", "53300", "57P01", "57P02", "57P03")
# A transaction PostgreSQL rolled back because it met a concurrent one (a deadlock, a serialization failure):
# nothing of it was stored, and the same request succeeds when repeated.
_COLLIDED_SQLSTATES = ("40001", "40P01")
# SQLite's own ways of saying so: another process holds the write lock past the busy timeout, the file is unreachable.
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)
_CONNECTION_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ETIMEDOUT,
    errno.EPIPE,
}
RETRY_AFTER_S = 5
RETRY_AFTER_BUSY_S = 1


def database_unavailable(exc: BaseException) -> tuple[str, int] | None:
    """Why the database cannot be used right now, and when to try again, if ``exc`` says so: a connection refused,
    reset or timed out, a pool with no connection to give, a server shutting down, SQLite locked past its busy
    timeout. The request may well succeed when repeated, so it is a 503 with ``Retry-After``, not a 500. The driver's
    error under SQLAlchemy's, and the causes of ``exc``, are looked at too; a bare connection error counts only when
    it was raised by the database's driver (not by, say, a mail server)."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        if isinstance(current, DBAPIError) and isinstance(current.orig, BaseException):
            chain.append(current.orig)
        current = current.__cause__
    for error in chain:
        if isinstance(error, PoolTimeout):
            return "no database connection is free (the pool is exhausted)", RETRY_AFTER_S
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return "the connection to the database was lost", RETRY_AFTER_S
        message = str(error).lower()
        if isinstance(error, (DBAPIError, *_driver_error_types())):
            if any(m in message for m in _SQLITE_UNAVAILABLE):
                return "the database is busy", RETRY_AFTER_BUSY_S
            if "connection is closed" in message or "connection was closed" in message:
                return "the connection to the database was lost", RETRY_AFTER_S
        sqlstate = str(getattr(error, "sqlstate", None) or getattr(error, "pgcode", None) or "")
        if sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return "the database is unavailable", RETRY_AFTER_S
        if sqlstate in _COLLIDED_SQLSTATES:
            return "the change met a concurrent one and nothing was stored", RETRY_AFTER_BUSY_S
        connection_error = isinstance(error, ConnectionError | TimeoutError) or (
            isinstance(error, OSError) and error.errno in _CONNECTION_ERRNOS
        )
        if connection_error and _raised_by_database_driver(error):
            return "the database cannot be reached", RETRY_AFTER_S
    return None


def _driver_error_types() -> tuple[type[BaseException], ...]:
    import sqlite3

    found: list[type[BaseException]] = [sqlite3.Error]
    try:
        import asyncpg

        found += [asyncpg.PostgresError, asyncpg.InterfaceError]
    except ImportError:  # pragma: no cover - asyncpg is a dependency of this package
        pass
    return tuple(found)


def _raised_by_database_driver(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = str(traceback.tb_frame.f_globals.get("__name__", ""))
        if module.startswith(("sqlalchemy", "asyncpg", "aiosqlite", "sqlite3")):
            return True
        traceback = traceback.tb_next
    return False


def unavailable_response(request: Request, unavailable: tuple[str, int], exc: BaseException) -> JSONResponse:
    """503 problem+json with ``Retry-After`` for a database that cannot serve now (see ``database_unavailable``)."""
    reason, retry_after = unavailable
    first_line = str(exc).splitlines()[0][:300] if str(exc) else ""
    log.warning(
        "%s %s answered 503: %s (%s: %s)", request.method, request.url.path, reason, type(exc).__name__, first_line
    )
    return problem_response(
        request,
        503,
        f"{reason}; try again in a few seconds",
        slug="database-unavailable",
        headers={"Retry-After": str(retry_after)},
    )


class UnexpectedErrorGuard:
    """Answers an error that escaped the routes' handlers (a middleware's own database work, e.g. the
    ``Idempotency-Key`` claim, or any exception without a handler) as the routes' handler would: 503 when the
    database is unavailable, 422 for a refused value, else 500. Without it the error reaches Starlette's
    last-resort handler, which answers and then re-raises to the server, and uvicorn closes the kept-alive
    connection: the gateway, or a client, sending its next request on it gets no answer at all."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise  # half an answer is out: only closing the connection tells the client
            request = Request(scope)
            unavailable = database_unavailable(exc)
            if unavailable is not None:
                response = unavailable_response(request, unavailable, exc)
            elif (refused := refused_value(exc)) is not None:
                log.info("%s %s answered 422: the database refused a value: %s", request.method, scope["path"], refused)
                response = problem_response(request, 422, refused, slug="value-refused", title="Invalid request")
            else:
                log.exception("unhandled error on %s %s", request.method, scope["path"])
                response = problem_response(request, 500, "an internal error occurred; quote the request id to support")
            await response(scope, receive, send)


_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method the app answers on the request's path. Starlette's 405 names only the methods of the first
    route whose path matched, although routes of the same path with other methods may follow (``GET /employees``
    and ``POST /employees`` are two routes), and RFC 9110 asks ``Allow`` to list them all. Each method is tried
    against the app's routes as the router itself matches them. Where the path is described, a method reached only
    through a template that also matches it (``GET /journal-entries/{entry_id}`` for ``/journal-entries/import``)
    is left out: the description's most specific path says which are this path's."""
    from starlette.routing import Match

    reached = [
        method
        for method in _HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes
        )
    ]
    path = request.scope.get("path", request.url.path)
    described = [
        (template.count("{"), {m.upper() for m in item})
        for template, item in (request.app.openapi().get("paths") or {}).items()
        if _template_regex(template).fullmatch(path)
    ]
    if not described:
        return reached
    declared = min(described, key=lambda entry: entry[0])[1]
    if "GET" in declared:
        declared.add("HEAD")
    return [method for method in reached if method in declared]


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "".join(
            (".+" if part.endswith(":path}") else "[^/]+") if part.startswith("{") else re.escape(part)
            for part in parts
        )
    )


async def _answer_problem(request: Request, exc: Problem) -> JSONResponse:
    log.info("%s %s answered %d %s: %s", request.method, request.url.path, exc.status, exc.slug, exc.detail)
    return problem_response(
        request, exc.status, exc.detail, slug=exc.slug, title=exc.title, headers=exc.headers, **exc.extra
    )


async def _answer_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    content_type = request.headers.get("content-type", "")
    body_errors = [e for e in exc.errors() if tuple(e.get("loc", ()))[:1] == ("body",)]
    if body_errors and request.method in ("POST", "PUT", "PATCH") and "json" not in content_type.lower():
        return problem_response(
            request,
            415,
            f"send the body as JSON (Content-Type: application/json), not {content_type or 'without a content type'}",
            slug="unsupported-media-type",
        )
    if any(e.get("type") == "json_invalid" for e in body_errors):
        first = next(e for e in body_errors if e.get("type") == "json_invalid")
        position = first.get("loc", ("body", "?"))[-1]
        return problem_response(
            request, 400, f"the body is not valid JSON (at character {position})", slug="malformed-json"
        )
    # The fields and what was wrong, never the values sent: they may be personal data (a declared sex, a salary).
    refused = [(_field_name(e.get("loc", ())), e.get("type")) for e in exc.errors()[:3]]
    log.info("%s %s answered 422: %s", request.method, request.url.path, refused)
    errors = [
        {"field": _field_name(e.get("loc", ())), "message": e.get("msg", "invalid"), "type": e.get("type")}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(
        request, 422, detail or "invalid request", slug="validation-error", title="Invalid request", errors=errors
    )


async def _answer_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route {request.method} {request.url.path}"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        if allowed := allowed_methods(request):
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return problem_response(request, exc.status_code, detail, headers=headers)


async def _answer_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    unavailable = database_unavailable(exc)
    if unavailable is not None:
        return unavailable_response(request, unavailable, exc)
    refused = refused_value(exc)
    if refused is not None:
        log.info("%s %s answered 422: the database refused a value: %s", request.method, request.url.path, refused)
        return problem_response(request, 422, refused, slug="value-refused", title="Invalid request")
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, 500, "an internal error occurred; quote the request id to support")


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error with problem+json: validation errors name each field at fault."""
    app.exception_handler(Problem)(_answer_problem)
    app.exception_handler(RequestValidationError)(_answer_validation_error)
    app.exception_handler(StarletteHTTPException)(_answer_http_error)
    app.exception_handler(Exception)(_answer_unexpected_error)

    # The errors of the database and of connections are answered where routes' errors are (Starlette's
    # ExceptionMiddleware) rather than by the last-resort handler above, which re-raises to the server after
    # answering: uvicorn then closes the connection, and a client sending its next request on it gets no answer.
    # The answer is the same: 503 when the database is unavailable, 422 for a refused value, else 500.
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    for kind in (DBAPIError, PoolTimeout, OSError):
        app.add_exception_handler(kind, _answer_unexpected_error)
