"""Durable JetStream pull consumers with an inbox (exactly-once effects) and dead letters.

Each handler is a durable pull consumer named ``<service>-<handler>``, shared by all replicas of
the service. For every message:

* an envelope or payload that does not validate is dead-lettered at once with the reason and
  terminated (``term``), so it is never redelivered;
* otherwise the inbox row ``(consumer, event_id)`` and the handler's effect are committed in one
  transaction, then the message is acked; a redelivered event finds its row and is acked alone;
* a handler failure is ``nak``-ed with a growing delay; at the ``max_deliver``-th attempt the event
  is dead-lettered. The database being unreachable is not the event's fault and does not count: the
  event is retried (at most ``UNAVAILABLE_RETRY_MAX_S`` apart) until the database answers. If even the
  dead letter cannot be written the message is nak-ed again, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from backoffice.shared.bus.connection import EventBus
from backoffice.shared.bus.envelope import Envelope
from backoffice.shared.bus.tables import DEAD, dead_letters, inbox
from backoffice.shared.db import Database, utcnow
from backoffice.shared.errors import database_unavailable
from backoffice.shared.events.contract import Contract
from backoffice.shared.ids import new_id
from backoffice.shared.observability import CONSUMER_DELIVERIES, CONSUMER_FAILURES, correlation_id_var
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from pydantic import BaseModel, ValidationError
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.consumer")

HandlerFn = Callable[[AsyncSession, Envelope, Any], Awaitable[None]]
UNAVAILABLE_RETRY_MAX_S = 5.0  # how long an event waits at most between two tries while the database is unreachable
Outcome = Literal["processed", "duplicate"]


class PermanentEventError(Exception):
    """Raised by a handler for an event that can never succeed as it is: dead-letter it now."""


class InvalidEventError(Exception):
    """The envelope or its data does not match the contract."""


@dataclass(frozen=True)
class EventHandler:
    """A consumer of one event type: ``handle(session, envelope, data)`` runs inside the inbox transaction."""

    name: str
    event_type: str
    stream: str
    handle: HandlerFn
    data_model: type[BaseModel] | None = None
    versions: frozenset[int] = field(default_factory=lambda: frozenset({1}))

    does: str = ""
    """What handling the event does, for the catalogue in docs/EVENTS.md (e.g. "provisions a login")."""

    @classmethod
    def on(
        cls, contract: type[Contract], handle: HandlerFn, *, does: str = "", name: str | None = None
    ) -> EventHandler:
        """A consumer of ``contract``'s type and version; its durable name is the type's last part by default."""
        return cls(
            name=name or contract.TYPE.split(".", 1)[1],
            event_type=contract.TYPE,
            stream=contract.stream(),
            handle=handle,
            data_model=contract,
            versions=frozenset({contract.VERSION}),
            does=does,
        )

    def durable(self, service: str) -> str:
        return f"{service}-{self.name}"

    def decode(self, raw: bytes | str) -> tuple[Envelope, Any]:
        """Parse the envelope and the data; raise ``InvalidEventError`` with a reason a person can act on."""
        try:
            envelope = Envelope.model_validate_json(raw)
        except ValidationError as exc:
            raise InvalidEventError(f"invalid envelope: {_describe(exc)}") from None
        if envelope.type != self.event_type:
            raise InvalidEventError(f"event type {envelope.type!r} is not {self.event_type!r}")
        if envelope.version not in self.versions:
            raise InvalidEventError(f"version {envelope.version} of {envelope.type} is not understood")
        if self.data_model is None:
            return envelope, envelope.data
        try:
            return envelope, self.data_model.model_validate(envelope.data)
        except ValidationError as exc:
            raise InvalidEventError(f"invalid data: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'payload'}: {e['msg']}" for e in exc.errors()[:10])


async def deliver(db: Database, handler: EventHandler, consumer: str, envelope: Envelope, data: Any) -> Outcome:
    """Run the handler and record the inbox row in one transaction; a known event has no effect."""
    insert_fn = sqlite_insert if db.is_sqlite else pg_insert
    claim = (
        insert_fn(inbox)
        .values(consumer=consumer, event_id=envelope.id, event_type=envelope.type, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
    )
    async with db.session(write=True) as session:
        # A replica handling the same event concurrently makes this wait for its commit, then do nothing.
        claimed = await session.execute(claim)
        if claimed.rowcount == 0:  # type: ignore[attr-defined]
            return "duplicate"
        await handler.handle(session, envelope, data)
    return "processed"


async def write_dead_letter(
    db: Database,
    *,
    consumer: str,
    subject: str,
    payload: bytes | str,
    reason: str,
    attempts: int,
    event_id: str | None,
) -> str:
    """Store an event a consumer gave up on, with the reason, and return the dead letter's id."""
    letter_id = new_id()
    text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else payload
    async with db.session(write=True) as session:
        await session.execute(
            insert(dead_letters).values(
                id=letter_id,
                consumer=consumer,
                subject=_storable(subject),
                event_id=_storable(event_id) if event_id is not None else None,
                payload=_storable(text),
                reason=_storable(reason[:4000]),
                attempts=attempts,
                status=DEAD,
                created_at=utcnow(),
            )
        )
    return letter_id


def _storable(text: str) -> str:
    """Text every database keeps: PostgreSQL refuses NUL characters, which a malformed payload may hold, and a dead
    letter that cannot be written is never written (the event would be retried forever). They become U+FFFD, as bytes
    that are not UTF-8 do; the copy on the DLQ stream keeps the original bytes."""
    return text.replace("\x00", "\ufffd")


def _event_id_of(raw: bytes) -> str | None:
    with contextlib.suppress(Exception):
        import json

        value = json.loads(raw).get("id")
        return str(value)[:64] if value else None
    return None


class ConsumerRunner:
    """Runs one durable pull consumer until stopped."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        handler: EventHandler,
        *,
        service: str,
        max_deliver: int = 5,
        ack_wait_s: float = 30.0,
        backoff_base_s: float = 0.5,
        batch_size: int = 50,
    ):
        self.db = db
        self.bus = bus
        self.handler = handler
        self.service = service
        self.consumer = handler.durable(service)
        self.max_deliver = max_deliver
        self.ack_wait_s = ack_wait_s
        self.backoff_base_s = backoff_base_s
        self.batch_size = batch_size
        self._stopping = asyncio.Event()
        self.task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name=f"consumer-{self.consumer}")

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Finish the message in hand, give back (nak) the rest of the batch, then return."""
        self._stopping.set()
        if self.task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self.task), timeout=timeout_s)
        except (TimeoutError, asyncio.CancelledError):
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task

    def backoff(self, attempt: int) -> float:
        return float(min(self.backoff_base_s * 2.0 ** (attempt - 1), 60.0))

    async def _subscribe(self) -> Any:
        config = ConsumerConfig(
            durable_name=self.consumer,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_s,
            max_deliver=-1,  # we count attempts ourselves so a message is never dropped silently
            filter_subject=self.handler.event_type,
            max_ack_pending=1000,
        )
        said = False
        while not self._stopping.is_set():
            try:
                return await self.bus.js.pull_subscribe(
                    self.handler.event_type, durable=self.consumer, stream=self.handler.stream, config=config
                )
            except NotFoundError:
                if not said:
                    log.warning(
                        "waiting for stream %s (its producer has not started yet)",
                        self.handler.stream,
                        extra={"consumer": self.consumer},
                    )
                    said = True
            except Exception as exc:
                if not said:
                    log.warning(
                        "cannot subscribe yet: %s: %s", type(exc).__name__, exc, extra={"consumer": self.consumer}
                    )
                    said = True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=1.0)
        return None

    async def _run(self) -> None:
        sub = await self._subscribe()
        if sub is None:
            return
        self.subscribed.set()
        log.info("consuming %s", self.handler.event_type, extra={"consumer": self.consumer})
        failing = False
        while not self._stopping.is_set():
            try:
                msgs = await sub.fetch(self.batch_size, timeout=1.0)
                failing = False
            except TimeoutError:
                failing = False
                continue
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The first failure of a streak is said (a consumer that cannot fetch takes no share of the
                # work); the rest of the streak only at debug level.
                (log.debug if failing else log.warning)(
                    "fetch failed: %s: %s", type(exc).__name__, exc, extra={"consumer": self.consumer}
                )
                failing = True
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), timeout=0.5)
                continue
            for index, msg in enumerate(msgs):
                if self._stopping.is_set():
                    for rest in msgs[index:]:
                        with contextlib.suppress(Exception):
                            await rest.nak()
                    break
                await self.process(msg)
        with contextlib.suppress(Exception):
            await sub.unsubscribe()

    async def process(self, msg: Msg) -> None:
        """Handle one message to the end: ack, nak with delay, or dead-letter and terminate."""
        attempt = msg.metadata.num_delivered or 1
        try:
            envelope, data = self.handler.decode(msg.data)
        except InvalidEventError as exc:
            await self._dead_letter(msg, str(exc), attempt, _event_id_of(msg.data))
            return
        token = correlation_id_var.set(envelope.correlation_id)
        try:
            outcome = await deliver(self.db, self.handler, self.consumer, envelope, data)
        except PermanentEventError as exc:
            await self._dead_letter(msg, f"rejected by handler: {exc}", attempt, envelope.id)
            return
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await msg.nak()
            raise
        except Exception as exc:
            CONSUMER_FAILURES.labels(self.consumer).inc()
            reason = f"{type(exc).__name__}: {exc}"
            # The database being unreachable says nothing about the event: it waits for the database (however long
            # the outage, however quick the retries) instead of counting towards its dead letter.
            unavailable = database_unavailable(exc) is not None
            if attempt >= self.max_deliver and not unavailable:
                await self._dead_letter(msg, f"failed {attempt} times, last: {reason}", attempt, envelope.id)
            else:
                where = {"consumer": self.consumer, "event_id": envelope.id}
                if unavailable:
                    delay = min(self.backoff(attempt), UNAVAILABLE_RETRY_MAX_S)
                    log.warning("database unavailable, retrying in %.1fs: %s", delay, reason, extra=where)
                else:
                    delay = self.backoff(attempt)
                    log.warning(
                        "handler failed (attempt %d of %d), retrying in %.1fs: %s",
                        attempt,
                        self.max_deliver,
                        delay,
                        reason,
                        extra=where,
                    )
                CONSUMER_DELIVERIES.labels(self.consumer, "retried").inc()
                with contextlib.suppress(Exception):
                    await msg.nak(delay=delay)
            return
        finally:
            correlation_id_var.reset(token)
        CONSUMER_DELIVERIES.labels(self.consumer, outcome).inc()
        await msg.ack()

    async def _dead_letter(self, msg: Msg, reason: str, attempt: int, event_id: str | None) -> None:
        try:
            letter_id = await write_dead_letter(
                self.db,
                consumer=self.consumer,
                subject=msg.subject,
                payload=msg.data,
                reason=reason,
                attempts=attempt,
                event_id=event_id,
            )
        except Exception as exc:
            # Without a record the event would be lost: keep it in the stream and try later.
            log.error("cannot write dead letter (%s); event kept for retry", exc, extra={"consumer": self.consumer})
            with contextlib.suppress(Exception):
                await msg.nak(delay=self.backoff(min(attempt, 8)))
            return
        log.error("dead-lettered: %s", reason, extra={"consumer": self.consumer, "event_id": event_id})
        CONSUMER_DELIVERIES.labels(self.consumer, "dead_lettered").inc()
        with contextlib.suppress(Exception):
            await self.bus.js.publish(
                f"dlq.{self.service}.{self.handler.name}",
                msg.data,
                headers={"Nats-Msg-Id": f"dlq-{letter_id}", "Backoffice-Reason": reason[:500].replace("\n", " ")},
                timeout=2.0,
            )
        await msg.term()
