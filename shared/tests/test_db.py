"""The database layer: SQLite pragmas and write locking, UTC timestamps, on both databases."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from backoffice.shared.db import Database, UTCDateTime
from backoffice.shared.ids import uuid7
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, text, update

md = MetaData()
counters = Table("counters", md, Column("id", Integer, primary_key=True), Column("value", Integer, nullable=False))
stamps = Table("stamps", md, Column("id", Integer, primary_key=True), Column("at", UTCDateTime, nullable=False))


async def test_sqlite_runs_in_wal_with_a_busy_timeout(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("SQLite pragmas")
    async with database.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_concurrent_read_modify_write_loses_no_update(database_url: str) -> None:
    # Two engines, as two processes would have: write sessions take the lock up front (SQLite
    # BEGIN IMMEDIATE) or lock the row (PostgreSQL FOR UPDATE), so no increment is lost.
    first, second = Database(database_url), Database(database_url)
    async with first.engine.begin() as conn:
        await conn.run_sync(md.create_all)
    async with first.session() as session:
        await session.execute(insert(counters).values(id=1, value=0))

    async def bump(db: Database, times: int) -> None:
        for _ in range(times):
            async with db.session(write=True) as session:
                query = select(counters.c.value).where(counters.c.id == 1)
                if not db.is_sqlite:
                    query = query.with_for_update()
                value = await session.scalar(query)
                assert value is not None
                await asyncio.sleep(0)
                await session.execute(update(counters).where(counters.c.id == 1).values(value=value + 1))

    await asyncio.gather(bump(first, 40), bump(second, 40))
    async with first.session(write=False) as session:
        assert await session.scalar(select(counters.c.value)) == 80
    await first.dispose()
    await second.dispose()


async def test_writers_of_one_process_take_turns_instead_of_failing_on_sqlite(database_url: str) -> None:
    # SQLite's busy handler lets a newcomer in ahead of writers that have slept for a while: with a short busy
    # timeout, about a third of these writers failed with "database is locked" before they took turns.
    db = Database(database_url, busy_timeout_ms=200)
    if not db.is_sqlite:
        await db.dispose()
        pytest.skip("SQLite's write lock")
    async with db.engine.begin() as conn:
        await conn.run_sync(md.create_all)

    async def write(n: int) -> None:
        async with db.session(write=True) as session:
            await session.execute(insert(counters).values(id=n, value=n))
            await asyncio.sleep(0.01)  # the lock held a while, as by a request doing some work

    await asyncio.gather(*(write(n) for n in range(15)))
    async with db.session(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(counters)) == 15
    await db.dispose()


async def test_a_failed_write_gives_its_turn_back(database: Database) -> None:
    if not database.is_sqlite:
        pytest.skip("SQLite's write lock")
    async with database.engine.begin() as conn:
        await conn.run_sync(md.create_all)

    async def failing_write() -> None:
        async with database.session(write=True) as session:
            await session.execute(insert(counters).values(id=1, value=1))
            raise RuntimeError("the request failed")

    with pytest.raises(RuntimeError):
        await failing_write()
    started = time.monotonic()
    async with database.session(write=True) as session:
        await session.execute(insert(counters).values(id=1, value=2))
    assert time.monotonic() - started < 1  # not the busy timeout (5 s) of a turn never given back


async def test_timestamps_come_back_timezone_aware_in_utc(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.run_sync(md.create_all)
    paris = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    async with database.session() as session:
        await session.execute(insert(stamps).values(id=1, at=paris))
    async with database.session(write=False) as session:
        stored = await session.scalar(select(stamps.c.at))
    assert stored == paris
    assert stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0)
    with pytest.raises(Exception, match="timezone-aware"):
        async with database.session() as session:
            await session.execute(insert(stamps).values(id=2, at=datetime(2026, 1, 1)))


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    ms = ids[0].int >> 80
    assert abs(ms / 1000 - datetime.now(UTC).timestamp()) < 5
