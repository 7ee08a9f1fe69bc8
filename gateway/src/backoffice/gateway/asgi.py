"""The gateway's outer ASGI layer: header size limit, CORS, and ``/api/*`` to the proxy."""

from __future__ import annotations

import json

from backoffice.shared.errors import PROBLEM_JSON, TYPE_BASE
from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class HeaderLimit:
    """Answer 431 problem+json when the request's headers are larger than allowed."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(k) + len(v) + 4 for k, v in scope["headers"])
            if size > self.max_bytes:
                body = json.dumps(
                    {
                        "type": TYPE_BASE + "headers-too-large",
                        "title": "Request header fields too large",
                        "status": 431,
                        "detail": f"the request's headers take {size} bytes; at most {self.max_bytes} are accepted",
                        "instance": scope["path"],
                    }
                ).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 431,
                        "headers": [
                            (b"content-type", PROBLEM_JSON.encode()),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


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
    settings = app.state.settings
    outer: ASGIApp = Dispatch(app)
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
