"""The transactional outbox: events are stored with the state change, then published by a relay.

``record_event`` writes the event in the caller's transaction. After that transaction commits the
relay of this process is woken and publishes pending rows with ``Nats-Msg-Id`` = event id, so a
publish repeated after a crash is dropped by JetStream's duplicate window. A periodic sweep covers
a relay that was not woken or died between commit and publish. On PostgreSQL rows are claimed with
``FOR UPDATE SKIP LOCKED`` so several replicas share the work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from backoffice.shared import observability as metrics
from backoffice.shared.bus.connection import EventBus
from backoffice.shared.bus.envelope import Envelope
from backoffice.shared.bus.tables import OUTBOX_PENDING, OUTBOX_PUBLISHED, outbox
from backoffice.shared.db import Database, utcnow
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger("backoffice.outbox")

_OUTBOX_FLAG = "backoffice_outbox_written"
_relays: set[OutboxRelay] = set()


async def record_event(session: AsyncSession, envelope: Envelope) -> Envelope:
    """Store ``envelope`` in the outbox inside the caller's transaction; it is published after commit."""
    await session.execute(
        insert(outbox).values(
            event_id=envelope.id,
            type=envelope.type,
            payload=envelope.model_dump_json(),
            state=OUTBOX_PENDING,
            attempts=0,
            created_at=utcnow(),
        )
    )
    session.info[_OUTBOX_FLAG] = True
    return envelope


async def record_events(session: AsyncSession, envelopes: list[Envelope]) -> None:
    """Store many events in one statement (a pay run's payslips); published in this order after commit."""
    if not envelopes:
        return
    now = utcnow()
    await session.execute(
        insert(outbox),
        [
            {
                "event_id": e.id,
                "type": e.type,
                "payload": e.model_dump_json(),
                "state": OUTBOX_PENDING,
                "attempts": 0,
                "created_at": now,
            }
            for e in envelopes
        ],
    )
    session.info[_OUTBOX_FLAG] = True


@event.listens_for(Session, "after_commit")
def _wake_relays_after_commit(session: Session) -> None:
    if session.info.pop(_OUTBOX_FLAG, False):
        for relay in list(_relays):
            relay.wake()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_events(session: Session) -> None:
    session.info.pop(_OUTBOX_FLAG, None)


class OutboxRelay:
    """Publishes pending outbox rows of one service database to JetStream."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        service: str,
        sweep_interval_s: float = 2.0,
        batch_size: int = 200,
        retention: timedelta = timedelta(days=3),
    ):
        self.db = db
        self.bus = bus
        self.service = service
        self.sweep_interval_s = sweep_interval_s
        self.batch_size = batch_size
        self.retention = retention
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.woken_task: asyncio.Task[None] | None = None
        self.sweep_task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._last_prune = 0.0

    def wake(self) -> None:
        if self._loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wake.set()
        else:
            self._loop.call_soon_threadsafe(self._wake.set)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        metrics.OUTBOX_BACKLOG.labels(self.service).set(0)  # exported from the start, before the first sweep
        _relays.add(self)
        self.woken_task = asyncio.create_task(self._run_woken(), name=f"{self.service}-outbox-relay")
        self.sweep_task = asyncio.create_task(self._run_sweep(), name=f"{self.service}-outbox-sweep")

    async def stop(self, *, flush: bool = True) -> None:
        """Stop both loops; publish what is pending first when NATS is reachable."""
        _relays.discard(self)
        for task in (self.woken_task, self.sweep_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if flush and self.bus.connected:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.flush(), timeout=5)

    async def _run_woken(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._flush_logged()

    async def _run_sweep(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_interval_s)
            await self._flush_logged()
            with contextlib.suppress(Exception):
                await self._measure_and_prune()

    async def _flush_logged(self) -> None:
        try:
            await self.flush()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("outbox flush failed: %s: %s", type(exc).__name__, exc)

    async def flush(self) -> int:
        """Publish every pending row (in batches); return how many were published."""
        total = 0
        async with self._lock:
            while self.bus.connected:
                published, complete = await self._publish_batch()
                total += published
                if complete:
                    break
        return total

    async def _publish_batch(self) -> tuple[int, bool]:
        """Publish one batch; return (published, nothing more to do now)."""
        query = (
            select(outbox.c.seq, outbox.c.event_id, outbox.c.type, outbox.c.payload)
            .where(outbox.c.state == OUTBOX_PENDING)
            .order_by(outbox.c.seq)
            .limit(self.batch_size)
        )
        if self.db.is_sqlite:
            # One process writes a SQLite file: read without a lock, publish, then mark in a short write.
            async with self.db.session(write=False) as session:
                rows = (await session.execute(query)).all()
            if not rows:
                return 0, True
            sent, failure = await self._publish_rows(rows)
            async with self.db.session(write=True) as session:
                await self._mark(session, sent, rows, failure)
        else:
            async with self.db.session(write=True) as session:
                rows = (await session.execute(query.with_for_update(skip_locked=True))).all()
                if not rows:
                    return 0, True
                sent, failure = await self._publish_rows(rows)
                await self._mark(session, sent, rows, failure)
        if sent:
            metrics.OUTBOX_PUBLISHED.labels(self.service).inc(len(sent))
        return len(sent), failure is not None or len(rows) < self.batch_size

    async def _publish_rows(self, rows: Any) -> tuple[list[int], str | None]:
        sent: list[int] = []
        for row in rows:
            try:
                await self.bus.js.publish(
                    row.type, row.payload.encode(), headers={"Nats-Msg-Id": row.event_id}, timeout=5.0
                )
            except Exception as exc:
                # Stop at the first failure so events leave in the order they were written.
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                return sent, f"{type(exc).__name__}: {exc}"[:1000]
            sent.append(row.seq)
        return sent, None

    async def _mark(self, session: AsyncSession, sent: list[int], rows: Any, failure: str | None) -> None:
        if sent:
            await session.execute(
                update(outbox)
                .where(outbox.c.seq.in_(sent))
                .values(state=OUTBOX_PUBLISHED, published_at=utcnow(), attempts=outbox.c.attempts + 1)
            )
        if failure is not None and len(sent) < len(rows):
            failed_seq = rows[len(sent)].seq
            await session.execute(
                update(outbox)
                .where(outbox.c.seq == failed_seq)
                .values(attempts=outbox.c.attempts + 1, last_error=failure)
            )
            log.warning("outbox publish failed, will retry: %s", failure)

    async def _measure_and_prune(self) -> None:
        async with self.db.session(write=False) as session:
            backlog = await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.state == OUTBOX_PENDING)
            )
        metrics.OUTBOX_BACKLOG.labels(self.service).set(backlog or 0)
        now = asyncio.get_running_loop().time()
        if now - self._last_prune < 60:
            return
        self._last_prune = now
        cutoff = utcnow() - self.retention
        async with self.db.session(write=True) as session:
            await session.execute(
                delete(outbox).where(outbox.c.state == OUTBOX_PUBLISHED, outbox.c.published_at < cutoff)
            )


async def outbox_backlog(session: AsyncSession) -> int:
    """How many events wait to be published."""
    count = await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == OUTBOX_PENDING))
    return int(count or 0)
