"""Logs, request ids, metrics and health endpoints shared by every service."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from backoffice.shared.ids import new_id
from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
correlation_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)

REQUEST_ID_HEADER = "x-request-id"

HTTP_LATENCY = Histogram(
    "backoffice_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("backoffice_outbox_backlog", "Events written but not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("backoffice_outbox_published_total", "Events published from the outbox", ["service"])
OUTBOX_PUBLISH_FAILURES = Counter(
    "backoffice_outbox_publish_failures_total", "Failed attempts to publish outbox events", ["service"]
)
CONSUMER_DELIVERIES = Counter(
    "backoffice_consumer_deliveries_total",
    "Events delivered to a consumer, by outcome (processed, duplicate, retried, dead_lettered)",
    ["consumer", "outcome"],
)
CONSUMER_FAILURES = Counter("backoffice_consumer_failures_total", "Handler failures (each retry counts)", ["consumer"])


def current_correlation_id() -> str | None:
    """The correlation id of what is being handled: the event's, else the request's id."""
    return correlation_id_var.get() or request_id_var.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the request and correlation ids of the current context."""

    def __init__(self, service: str):
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if rid := request_id_var.get():
            entry["request_id"] = rid
        if cid := correlation_id_var.get():
            entry["correlation_id"] = cid
        for key in ("event_id", "event_type", "consumer"):
            if (value := getattr(record, key, None)) is not None:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str = "INFO", as_json: bool = True) -> None:
    """Send every log line of the process to stderr, as JSON unless told otherwise."""
    handler = logging.StreamHandler(sys.stderr)
    if as_json:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)  # our middleware measures requests


def accepted_request_id(header: bytes | None) -> str:
    """The caller's ``X-Request-ID`` when it is sane (printable, at most 200 characters), else a new id."""
    if header is not None:
        candidate = header.decode("latin-1").strip()
        if 0 < len(candidate) <= 200 and candidate.isprintable():
            return candidate
    return new_id()


class RequestContextMiddleware:
    """Accept or create ``X-Request-ID``, expose it to logs and events, and time each request."""

    def __init__(self, app: ASGIApp, service: str):
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = accepted_request_id(next((v for k, v in scope["headers"] if k == b"x-request-id"), None))
        token_r = request_id_var.set(rid)
        token_c = correlation_id_var.set(rid)
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            HTTP_LATENCY.labels(self.service, scope["method"], template, str(status)).observe(
                time.perf_counter() - start
            )
            request_id_var.reset(token_r)
            correlation_id_var.reset(token_c)


ReadinessCheck = Callable[[], Awaitable[None]]


def health_router(checks: dict[str, ReadinessCheck]) -> APIRouter:
    """``/health/live`` (the process answers), ``/health/ready`` (every dependency answers) and ``/metrics``."""
    router = APIRouter(tags=["operations"])

    @router.get("/health/live", summary="The process is alive")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", summary="The database and NATS answer", responses={503: {}})
    async def ready(response: Response) -> dict[str, Any]:
        results: dict[str, str] = {}
        ok = True
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), timeout=2.0)
                results[name] = "ok"
            except Exception as exc:
                ok = False
                results[name] = f"down: {type(exc).__name__}: {exc}"[:300]
        if not ok:
            response.status_code = 503
        return {"status": "ok" if ok else "unavailable", "checks": results}

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"description": "the text exposition format", "content": {"text/plain": {}}}},
    )
    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
