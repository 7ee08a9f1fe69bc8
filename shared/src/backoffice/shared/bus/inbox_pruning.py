"""Pruning the inbox: a processed event's row only has to outlive the time the event can come again.

An event comes again when the relay publishes it twice (JetStream drops that within the duplicate window) or
when NATS redelivers it because its ack was lost (within seconds of processing, to a replica that is up). So
rows older than ``inbox_retention_s`` (a week by default, never less than the duplicate window) are deleted,
a batch per short transaction so PostgreSQL holds no long lock and replicas pruning together skip each
other's rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from backoffice.shared.bus.tables import inbox
from backoffice.shared.db import Database, utcnow
from sqlalchemy import delete, select, tuple_

log = logging.getLogger("backoffice.inbox")


async def prune_inbox(db: Database, retention: timedelta, *, batch_size: int = 1000) -> int:
    """Delete the inbox rows processed longer than ``retention`` ago; return how many were deleted."""
    cutoff = utcnow() - retention
    total = 0
    while True:
        batch = (
            select(inbox.c.consumer, inbox.c.event_id)
            .where(inbox.c.processed_at < cutoff)
            .order_by(inbox.c.processed_at)
            .limit(batch_size)
        )
        if not db.is_sqlite:
            batch = batch.with_for_update(skip_locked=True)
        async with db.session(write=True) as session:
            result = await session.execute(delete(inbox).where(tuple_(inbox.c.consumer, inbox.c.event_id).in_(batch)))
        deleted = int(result.rowcount or 0)  # type: ignore[attr-defined]
        total += deleted
        if deleted < batch_size:
            return total


class InboxPruner:
    """Prunes the inbox of one service database every ``interval_s`` (and once at start)."""

    def __init__(self, db: Database, *, service: str, retention_s: float, interval_s: float = 600.0):
        self.db = db
        self.service = service
        self.retention = timedelta(seconds=retention_s)
        self.interval_s = interval_s
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name=f"{self.service}-inbox-pruner")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task

    async def prune_once(self) -> int:
        """Prune now; say how many rows went (nothing when none did)."""
        deleted = await prune_inbox(self.db, self.retention)
        if deleted:
            days = self.retention.total_seconds() / 86400
            log.info("deleted %d inbox rows processed more than %g days ago", deleted, days)
        return deleted

    async def _run(self) -> None:
        while True:
            try:
                await self.prune_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is down: try again at the next round
                log.warning("inbox pruning failed: %s: %s", type(exc).__name__, exc)
            await asyncio.sleep(self.interval_s)
