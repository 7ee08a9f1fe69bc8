"""Test-only tables and handlers for exercising the bus with real NATS and real databases."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from backoffice.shared.bus import Envelope
from backoffice.shared.db import Database
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

test_metadata = MetaData()

effects = Table(
    "effects",
    test_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),  # not unique on purpose: a double effect must show
    Column("worker", String(64), nullable=False),
    Column("n", Integer, nullable=False),
)

things = Table(
    "things",
    test_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
)

EVENT_TYPE = "tests.thing_happened"
STREAM = "TESTS"


class ThingHappened(BaseModel):
    n: int


def effect_recorder(worker: str = "main") -> Callable[[AsyncSession, Envelope, Any], Awaitable[None]]:
    async def record(session: AsyncSession, envelope: Envelope, data: ThingHappened) -> None:
        await session.execute(insert(effects).values(event_id=envelope.id, worker=worker, n=data.n))

    return record


async def create_test_tables(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(test_metadata.create_all)


async def count_effects(db: Database, event_id: str | None = None) -> int:
    async with db.session(write=False) as session:
        query = select(func.count()).select_from(effects)
        if event_id is not None:
            query = query.where(effects.c.event_id == event_id)
        return int(await session.scalar(query) or 0)


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout_s}s")
