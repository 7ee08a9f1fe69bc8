"""Routing rules hold when two leads save teams at the same moment, each through its own connections to one
database: one default team, each category taken by one team; and an agent's cap holds when two teams deal them
tickets at the same moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from backoffice.helpdesk import app  # noqa: F401 - every model on Base.metadata
from backoffice.helpdesk.database import Base
from backoffice.helpdesk.teams import service
from backoffice.helpdesk.teams.models import Agent, Team, TeamMember
from backoffice.helpdesk.teams.schemas import TeamCreate
from backoffice.helpdesk.teams.service import next_agent
from backoffice.shared.auth import Principal
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from helpdesk_factories import SET_UP, add_staff, context, open_at
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


async def _create(db: Database, body: TeamCreate) -> str:
    try:
        async with db.session() as session:
            await service.create_team(session, ADMIN, body)
        return "created"
    except Problem as exc:
        return exc.slug or str(exc.status)


async def test_concurrent_teams_keep_one_default_and_one_team_per_category(dbs: list[Database]) -> None:
    defaults = [TeamCreate(name=f"Service desk {n}", is_default=True) for n in range(len(dbs))]
    outcomes = await asyncio.gather(*(_create(db, body) for db, body in zip(dbs, defaults, strict=True)))
    assert sorted(outcomes) == ["created", *["default-team-taken"] * (len(dbs) - 1)]

    networks = [TeamCreate(name=f"Network {n}", categories=["network", f"extra-{n}"]) for n in range(len(dbs))]
    outcomes = await asyncio.gather(*(_create(db, body) for db, body in zip(dbs, networks, strict=True)))
    assert sorted(outcomes) == ["category-routed-twice"] * (len(dbs) - 1) + ["created"]

    async with dbs[0].session(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Team).where(Team.is_default)) == 1
        assert await session.scalar(select(func.count()).select_from(Team)) == 2


async def test_an_agent_in_two_teams_is_not_dealt_past_their_cap_by_both_at_once(dbs: list[Database]) -> None:
    first, second = dbs[0], dbs[1]
    async with first.session() as session:
        add_staff(session, "xena", "asker")
        session.add(Team(id="A", name="A", categories="[]", is_default=True, created_at=SET_UP))
        session.add(Team(id="B", name="B", categories="[]", is_default=False, created_at=SET_UP))
        session.add(Agent(employee_id="xena", available=True, max_open_tickets=1, updated_at=SET_UP))
        await session.flush()
        session.add_all(TeamMember(team_id=t, employee_id="xena", is_lead=False, joined_at=SET_UP) for t in "AB")

    # Team A (the default) deals Xena a ticket; before it is stored, team B looks for an agent for another one.
    async with first.session() as session:
        ticket = await open_at(session, context(first), SET_UP)
        assert ticket.team_id == "A"
        assert ticket.assignee_employee_id == "xena"

        async def team_b() -> str | None:
            async with second.session() as other:
                return await next_agent(other, "B", second.is_sqlite, SET_UP.date())

        racing = asyncio.create_task(team_b())
        await asyncio.sleep(1.0)
        assert not racing.done(), "team B dealt Xena a ticket while team A's was not yet stored"
    assert await asyncio.wait_for(racing, timeout=30) is None  # Xena is at her cap of one
