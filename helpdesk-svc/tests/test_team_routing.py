"""Routing rules hold when two leads save teams at the same moment, each through its own connections to one
database: one default team, each category taken by one team."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from backoffice.helpdesk import app  # noqa: F401 - every model on Base.metadata
from backoffice.helpdesk.database import Base
from backoffice.helpdesk.teams import service
from backoffice.helpdesk.teams.models import Team
from backoffice.helpdesk.teams.schemas import TeamIn
from backoffice.shared.auth import Principal
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from sqlalchemy import func, select

ADMIN = Principal("admin", frozenset({"admin"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))


@pytest.fixture
async def dbs(database_url: str) -> AsyncIterator[list[Database]]:
    first = Database(database_url)
    async with first.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
        await conn.run_sync(Base.metadata.create_all)
    others = [Database(database_url) for _ in range(3)]
    yield [first, *others]
    for db in (first, *others):
        await db.dispose()


async def _create(db: Database, body: TeamIn) -> str:
    try:
        async with db.session() as session:
            await service.create_team(session, ADMIN, body)
        return "created"
    except Problem as exc:
        return exc.slug or str(exc.status)


async def test_concurrent_teams_keep_one_default_and_one_team_per_category(dbs: list[Database]) -> None:
    defaults = [TeamIn(name=f"Service desk {n}", is_default=True) for n in range(len(dbs))]
    outcomes = await asyncio.gather(*(_create(db, body) for db, body in zip(dbs, defaults, strict=True)))
    assert sorted(outcomes) == ["created", *["default-team-taken"] * (len(dbs) - 1)]

    networks = [TeamIn(name=f"Network {n}", categories=["network", f"extra-{n}"]) for n in range(len(dbs))]
    outcomes = await asyncio.gather(*(_create(db, body) for db, body in zip(dbs, networks, strict=True)))
    assert sorted(outcomes) == ["category-routed-twice"] * (len(dbs) - 1) + ["created"]

    async with dbs[0].session(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Team).where(Team.is_default)) == 1
        assert await session.scalar(select(func.count()).select_from(Team)) == 2
