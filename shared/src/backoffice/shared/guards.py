"""Input no database can store, refused before it reaches a route.

PostgreSQL text cannot hold a NUL character, SQLite can: left alone, the same request would be stored on one
and fail with a 500 on the other. A NUL in the URL (``%00``) or in a JSON body (``\\u0000``) is answered with a
422 problem on both. Multipart fields are checked where they are read; files may hold any bytes."""

from __future__ import annotations

from backoffice.shared.errors import problem_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JSON_NUL = b"\\u0000"


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"%00" in target or b"\x00" in target or "\x00" in scope.get("path", ""):
            await _refuse(scope, receive, send, "the URL")
            return
        content_type = next((v for k, v in scope["headers"] if k == b"content-type"), b"").lower()
        if b"json" not in content_type:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if JSON_NUL in body:
            await _refuse(scope, receive, send, "the body")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, where: str) -> None:
    detail = f"{where} holds a NUL (\\u0000) character, which text cannot contain"
    await problem_response(None, 422, detail, slug="nul-character")(scope, receive, send)
