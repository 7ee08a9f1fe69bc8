"""RFC 9457 problem details (``application/problem+json``) for every error of every service."""

from __future__ import annotations

import logging
from typing import Any

from backoffice.shared.observability import request_id_var
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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
    def __init__(self, what: str, key: object):
        super().__init__(404, f"{what} {key} does not exist", slug="not-found")


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


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error with problem+json: validation errors name each field at fault."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        log.info("%s %s answered %d %s: %s", request.method, request.url.path, exc.status, exc.slug, exc.detail)
        return problem_response(
            request, exc.status, exc.detail, slug=exc.slug, title=exc.title, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        content_type = request.headers.get("content-type", "")
        body_errors = [e for e in exc.errors() if tuple(e.get("loc", ()))[:1] == ("body",)]
        if body_errors and request.method in ("POST", "PUT", "PATCH") and "json" not in content_type.lower():
            return problem_response(
                request,
                415,
                f"send the body as JSON (Content-Type: application/json), "
                f"not {content_type or 'without a content type'}",
                slug="unsupported-media-type",
            )
        if any(e.get("type") == "json_invalid" for e in body_errors):
            first = next(e for e in body_errors if e.get("type") == "json_invalid")
            position = first.get("loc", ("body", "?"))[-1]
            return problem_response(
                request, 400, f"the body is not valid JSON (at character {position})", slug="malformed-json"
            )
        log.info("%s %s answered 422: %s", request.method, request.url.path, exc.errors()[:3])
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": e.get("msg", "invalid"), "type": e.get("type")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem_response(
            request, 422, detail or "invalid request", slug="validation-error", title="Invalid request", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.method} {request.url.path}"
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        refused = refused_value(exc)
        if refused is not None:
            log.info("%s %s answered 422: the database refused a value: %s", request.method, request.url.path, refused)
            return problem_response(request, 422, refused, slug="value-refused", title="Invalid request")
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "an internal error occurred; quote the request id to support")
