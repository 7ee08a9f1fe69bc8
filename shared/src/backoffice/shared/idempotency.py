"""``Idempotency-Key`` on POST: the first response is stored and replayed for a retry.

A client that retries a POST (a timeout, a lost connection) with the same ``Idempotency-Key`` gets
the first response again instead of creating a second record. The key belongs to the caller (the
verified user, or the client address when there is none) and to the method and path; the same key
with a different body is refused with 422. While the first request is still running, a retry gets
409 (with Retry-After). Server errors (5xx) are not stored, so a retry after one runs again (when the
database was down, as soon as it is back). Keys expire after a day.

A request still "running" after ``CLAIM_LEASE`` (15 minutes: far beyond the gateway's 60-second read timeout
and the 10 minutes a process keeps trying to store an outcome) is taken as abandoned, its process killed
mid-request, and the next retry with the key runs it again instead of getting 409 for a day. That is safe only
if the request's changes were not stored: a request's own write transaction (``SessionDep``) marks the key
``DONE`` as it commits, so a key whose request was stored but whose answer was lost is never run again (409,
"look the record up").
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from backoffice.shared.bus.tables import idempotency_keys
from backoffice.shared.db import Database, utcnow
from backoffice.shared.errors import PROBLEM_JSON, TYPE_BASE
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("backoffice.idempotency")

HEADER = b"idempotency-key"
MAX_BODY = 1024 * 1024
TTL = timedelta(hours=24)
CLAIM_LEASE = timedelta(minutes=15)
DONE = 0  # status of a key whose request committed its changes and whose answer is not stored yet
STATE_KEY = "idempotency_key"  # where the request's scope carries its key for SessionDep
_KEPT_HEADERS = {b"content-type", b"location", b"etag"}


def _problem(status: int, slug: str, detail: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps(
        {"type": TYPE_BASE + slug, "title": slug.replace("-", " ").capitalize(), "status": status, "detail": detail}
    ).encode()
    return status, [(b"content-type", PROBLEM_JSON.encode())], body


async def _answer_known(send: Send, row: dict[str, Any], fingerprint: str, now: datetime) -> None:
    """The answer to a request whose key is known: refused (another body, still running, answer lost) or replayed."""
    if row["fingerprint"] != fingerprint:
        await _send(
            send,
            *_problem(
                422,
                "idempotency-key-reused",
                "this Idempotency-Key was used with a different body: use a new key",
            ),
        )
    elif row["status"] == DONE and row["created_at"] < now - CLAIM_LEASE:
        await _send(
            send,
            *_problem(
                409,
                "request-done-answer-lost",
                "the request with this Idempotency-Key was carried out, but its answer was lost (the service "
                "stopped while answering): look the record up instead of retrying",
            ),
        )
    elif row["status"] in (None, DONE):  # running, or stored and answering right now
        status, headers, content = _problem(
            409, "request-in-progress", "a request with this Idempotency-Key is still running: retry later"
        )
        await _send(send, status, [*headers, (b"retry-after", b"1")], content)
    else:
        headers = [(base64.b64decode(k), base64.b64decode(v)) for k, v in json.loads(row["headers"])]
        await _send(send, row["status"], [*headers, (b"idempotent-replayed", b"true")], base64.b64decode(row["body"]))


class IdempotencyMiddleware:
    """Pure ASGI middleware; needs ``app.state.db`` and ``app.state.token_verifier`` at request time."""

    def __init__(self, app: ASGIApp, state: Any, exempt: tuple[str, ...] = ()):
        self.app = app
        self.state = state
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        raw_key = next((v for k, v in scope["headers"] if k == HEADER), None)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not (0 < len(key) <= 200) or not key.isprintable():
            await _send(
                send, *_problem(400, "invalid-idempotency-key", "Idempotency-Key must be 1 to 200 printable characters")
            )
            return
        body, too_large = await _read_body(receive)
        if too_large:
            await _send(
                send,
                *_problem(413, "payload-too-large", f"Idempotency-Key is accepted for bodies up to {MAX_BODY} bytes"),
            )
            return
        owner = await self._owner(scope)
        scope_key = hashlib.sha256(f"{owner}\n{scope['path']}\n{key}".encode()).hexdigest()
        fingerprint = hashlib.sha256(body).hexdigest()
        now = utcnow()
        row = await self._claim(scope_key, fingerprint, now)
        if row is not None:
            await _answer_known(send, row, fingerprint, now)
            return
        scope.setdefault("state", {})[STATE_KEY] = scope_key
        await self._run_and_store(scope, body, send, scope_key)

    async def _claim(self, scope_key: str, fingerprint: str, now: datetime) -> dict[str, Any] | None:
        """Claim the key for this request, or return what is known of it already (``None``: the request runs).
        Expired keys are removed on the way."""
        db: Database = self.state.db
        async with db.session(write=True) as session:
            await session.execute(delete(idempotency_keys).where(idempotency_keys.c.expires_at < now))
            found = (
                (await session.execute(select(idempotency_keys).where(idempotency_keys.c.key == scope_key)))
                .mappings()
                .first()
            )
            row: dict[str, Any] | None = dict(found) if found is not None else None
            if row is not None and row["status"] is None and row["fingerprint"] == fingerprint:
                # Abandoned by a process that died mid-request: one retry (the first to update) takes it over.
                taken = await session.execute(
                    update(idempotency_keys)
                    .where(
                        idempotency_keys.c.key == scope_key,
                        idempotency_keys.c.status.is_(None),
                        idempotency_keys.c.created_at < now - CLAIM_LEASE,
                    )
                    .values(created_at=now, expires_at=now + TTL)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    log.warning("an Idempotency-Key claimed %s ago was never answered: running it again", CLAIM_LEASE)
                    row = None
            elif row is None:
                try:
                    async with session.begin_nested():
                        await session.execute(
                            insert(idempotency_keys).values(
                                key=scope_key,
                                fingerprint=fingerprint,
                                status=None,
                                created_at=now,
                                expires_at=now + TTL,
                            )
                        )
                except IntegrityError:
                    row = {"fingerprint": fingerprint, "status": None}
        return row

    async def _owner(self, scope: Scope) -> str:
        authorization = next((v for k, v in scope["headers"] if k == b"authorization"), b"").decode("latin-1")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token:
            try:
                principal = await self.state.token_verifier.verify(token)
                return f"user:{principal.user_id}"
            except Exception:
                return "token:" + hashlib.sha256(token.encode()).hexdigest()  # the route will refuse it
        client = scope.get("client")
        return f"address:{client[0] if client else 'unknown'}"

    async def _run_and_store(self, scope: Scope, body: bytes, send: Send, scope_key: str) -> None:
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        held: list[Message] = []  # the answer goes out once it is stored: a retry right after it gets the replay

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            held.append(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            await self._store(scope_key, status, headers, chunks)
            for message in held:
                await send(message)

    async def _store(
        self, scope_key: str, status: int, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
    ) -> None:
        """Keep the outcome for replay (or free the key after a server error), before the answer goes out."""
        db: Database = self.state.db
        kept = [
            [base64.b64encode(k).decode(), base64.b64encode(v).decode()]
            for k, v in headers
            if k.lower() in _KEPT_HEADERS
        ]
        outcome = (scope_key, status, json.dumps(kept), base64.b64encode(b"".join(chunks)).decode())
        try:
            await _store_outcome(db, *outcome)
        except Exception as exc:
            # The database went away during the request. Until the outcome is stored the key stays claimed
            # ("still running", 409, for a day): keep trying in the background, so that a retry after the
            # outage runs again (after a 5xx) or gets the stored answer.
            log.warning("could not store the response for an Idempotency-Key (will retry): %s", exc)
            task = asyncio.create_task(_store_outcome_later(db, *outcome))
            _retrying.add(task)
            task.add_done_callback(_retrying.discard)


async def mark_done(session: AsyncSession, scope_key: str) -> None:
    """In the request's own transaction: its changes are stored with this mark, so the key is never taken over."""
    await session.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.key == scope_key, idempotency_keys.c.status.is_(None))
        .values(status=DONE)
    )


_retrying: set[asyncio.Task[None]] = set()
RETRY_STORE_FOR_S = 600.0


async def _store_outcome(db: Database, scope_key: str, status: int, headers: str, body: str) -> None:
    """Free the key after a server error (a retry runs again), else keep the answer to replay it. A server error
    after the request's changes were stored (the key marked ``DONE``) keeps the key: running it again would
    repeat them."""
    async with db.session(write=True) as session:
        if status >= 500:
            await session.execute(
                delete(idempotency_keys).where(
                    idempotency_keys.c.key == scope_key, idempotency_keys.c.status.is_distinct_from(DONE)
                )
            )
        else:
            await session.execute(
                update(idempotency_keys)
                .where(idempotency_keys.c.key == scope_key)
                .values(status=status, headers=headers, body=body)
            )


async def _store_outcome_later(db: Database, *outcome: Any) -> None:
    deadline = asyncio.get_running_loop().time() + RETRY_STORE_FOR_S
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(1.0)
        try:
            await _store_outcome(db, *outcome)
            return
        except Exception:
            continue
    log.error("gave up storing the response for an Idempotency-Key; it stays claimed until it expires")


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return b"", True
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts), False


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})
