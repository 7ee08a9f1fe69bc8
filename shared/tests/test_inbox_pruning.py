"""The inbox forgets events processed longer ago than its retention, and still recognises the recent ones."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from backoffice.shared.bus import Envelope, EventHandler, deliver, inbox
from backoffice.shared.bus.inbox_pruning import InboxPruner, prune_inbox
from backoffice.shared.db import Database, utcnow
from sharedkit import (
    EVENT_TYPE,
    STREAM,
    ThingHappened,
    count_effects,
    create_test_tables,
    effect_recorder,
    eventually,
)
from sqlalchemy import func, insert, select

WEEK = timedelta(days=7)


async def inbox_rows(db: Database) -> set[str]:
    async with db.session(write=False) as session:
        return set((await session.scalars(select(inbox.c.event_id))).all())


async def add_processed(db: Database, ages: list[timedelta], consumer: str = "tests-count") -> list[str]:
    now = utcnow()
    rows = [
        {"consumer": consumer, "event_id": f"{consumer}-{n}", "event_type": EVENT_TYPE, "processed_at": now - age}
        for n, age in enumerate(ages)
    ]
    async with db.session() as session:
        await session.execute(insert(inbox), rows)
    return [str(r["event_id"]) for r in rows]


async def test_rows_older_than_the_retention_go_in_batches_newer_ones_stay(database: Database) -> None:
    old = await add_processed(database, [WEEK + timedelta(hours=h) for h in range(1, 26)], consumer="a-old")
    kept = await add_processed(database, [WEEK - timedelta(minutes=5), timedelta(hours=1), timedelta(0)])
    assert await prune_inbox(database, WEEK, batch_size=10) == len(old)  # three batches: 10, 10, 5
    assert await inbox_rows(database) == set(kept)
    assert await prune_inbox(database, WEEK, batch_size=10) == 0


async def test_a_redelivered_event_within_the_retention_still_has_no_effect(database: Database) -> None:
    await create_test_tables(database)
    handler = EventHandler("count", EVENT_TYPE, STREAM, effect_recorder(), ThingHappened)
    envelope = Envelope.new(EVENT_TYPE, source="tests", data=ThingHappened(n=1), subject="thing-1")
    assert await deliver(database, handler, "tests-count", envelope, ThingHappened(n=1)) == "processed"
    await add_processed(database, [timedelta(days=30)] * 3, consumer="tests-other")

    assert await prune_inbox(database, WEEK) == 3
    assert await deliver(database, handler, "tests-count", envelope, ThingHappened(n=1)) == "duplicate"
    assert await count_effects(database, envelope.id) == 1


async def test_the_pruner_prunes_as_it_starts_and_says_how_many_rows_went(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await add_processed(database, [timedelta(days=8), timedelta(days=9), timedelta(hours=1)])
    pruner = InboxPruner(database, service="tests", retention_s=WEEK.total_seconds(), interval_s=3600)

    async def logged() -> bool:
        return "deleted 2 inbox rows processed more than 7 days ago" in caplog.text

    with caplog.at_level(logging.INFO, logger="backoffice.inbox"):
        pruner.start()
        try:
            await eventually(logged, timeout_s=10, what="the pruner's log line")
        finally:
            await pruner.stop()
    async with database.session(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(inbox)) == 1
