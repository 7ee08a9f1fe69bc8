"""A small HTTP upstream for proxy tests (stands where a service would): uploads, downloads, echo.

Run: python upstream_app.py PORT
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

import uvicorn
from starlette.types import Receive, Scope, Send


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The upstream: ``/upload``, ``/download?mb=N``, ``/metrics``, ``/crash`` and ``/echo...``, else 404."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    path = scope["path"]
    if path.startswith("/echo"):
        await _echo(scope, receive, send)
        return
    route = ROUTES.get(path)
    if route is None:
        await _json(send, 404, {"detail": "no such path"})
        return
    await route(scope, receive, send)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _upload(scope: Scope, receive: Receive, send: Send) -> None:
    digest, size = hashlib.sha256(), 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        digest.update(chunk)
        size += len(chunk)
        if not message.get("more_body"):
            break
    await _json(send, 200, {"bytes": size, "sha256": digest.hexdigest()})


async def _download(scope: Scope, receive: Receive, send: Send) -> None:
    query = parse_qs(scope.get("query_string", b"").decode())
    megabytes = int(query.get("mb", ["1"])[0])
    block = bytes(range(256)) * 4096  # 1 MiB
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/octet-stream"),
                (b"content-length", str(megabytes * len(block)).encode()),
            ],
        }
    )
    for _ in range(megabytes):
        await send({"type": "http.response.body", "body": block, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def _metrics(scope: Scope, receive: Receive, send: Send) -> None:
    """A service's metrics, for the internal network only."""
    data = b"upstream_requests_total 1\n"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": data})


async def _crash(scope: Scope, receive: Receive, send: Send) -> None:
    """What a service did on an unhandled error: answer 500, then (the error logged) close the connection."""
    await _json(send, 500, {"detail": "crashed"})
    time.sleep(0.05)  # noqa: ASYNC251 - blocks the loop as logging a traceback does: the next request comes first
    raise RuntimeError("crashed after answering")


async def _echo(scope: Scope, receive: Receive, send: Send) -> None:
    body_bytes = 0
    while True:
        message = await receive()
        body_bytes += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    headers: dict[str, list[str]] = {}
    for key, value in scope["headers"]:
        headers.setdefault(key.decode(), []).append(value.decode())
    await _json(
        send,
        200,
        {
            "path": scope["path"],
            "method": scope["method"],
            "query": scope.get("query_string", b"").decode(),
            "headers": headers,
            "body_bytes": body_bytes,
        },
        extra=[
            (b"set-cookie", f"session={uuid.uuid4().hex}; Path=/".encode()),
            (b"connection", b"keep-alive"),
            (b"x-upstream", b"yes"),
        ],
    )


ROUTES: dict[str, Callable[[Scope, Receive, Send], Awaitable[None]]] = {
    "/upload": _upload,
    "/download": _download,
    "/metrics": _metrics,
    "/crash": _crash,
}


async def _json(send: Send, status: int, body: object, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
