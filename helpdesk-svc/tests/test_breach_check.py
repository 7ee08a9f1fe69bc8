"""The SLA check at chosen instants, on a real database: each target is breached once, the ticket climbs one
priority and goes to the team lead, ``helpdesk.sla_breached`` is written to the outbox; a paused ticket has no
deadline to miss."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, time, timedelta

import pytest
from backoffice.helpdesk.database import Base
from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.sla.models import SlaCalendar, SlaPolicy
from backoffice.helpdesk.teams.models import Agent, Team, TeamMember
from backoffice.helpdesk.tickets import service
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.shared.bus import bus_metadata, outbox
from backoffice.shared.db import Database, utcnow
from sqlalchemy import select


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


async def test_each_target_breaches_once_and_escalates_to_the_lead(db: Database) -> None:
    ctx = service.Context(settings=HelpdeskSettings(), is_sqlite=db.is_sqlite)
    now = utcnow()
    async with db.session() as session:
        for person in ("agent", "lead", "asker"):
            session.add(
                StaffMember(
                    employee_id=person,
                    given_name=person,
                    family_name="T",
                    email=f"{person}@example.com",
                    availability="available",
                    starts_on=date(2020, 1, 1),
                    updated_at=now,
                )
            )
        session.add(
            SlaCalendar(
                id="always",
                name="always",
                timezone="UTC",
                working_days=json.dumps(list(range(7))),
                opens=time(0),
                closes=time(23, 59, 59),
                holidays="[]",
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            SlaPolicy(
                id="p",
                priority="normal",
                category="*",
                first_response_minutes=60,
                resolution_minutes=480,
                calendar_id="always",
                created_at=now,
                updated_at=now,
            )
        )
        session.add(Team(id="desk", name="Desk", categories="[]", is_default=True, created_at=now))
        await session.flush()
        for person, lead in (("agent", False), ("lead", True)):
            session.add(Agent(employee_id=person, available=person == "agent", max_open_tickets=5, updated_at=now))
            await session.flush()
            session.add(TeamMember(team_id="desk", employee_id=person, is_lead=lead, joined_at=now))
        await session.flush()
        ticket = await service.open_ticket(
            session,
            ctx,
            kind="incident",
            category="email",
            priority="normal",
            subject="No mail",
            description="",
            attachments=[],
            requester_employee_id="asker",
            about_employee_id=None,
            created_by="u",
        )
        opened, ticket_id = ticket.opened_at, ticket.id
        paused = await service.open_ticket(
            session,
            ctx,
            kind="incident",
            category="email",
            priority="normal",
            subject="Waiting on the user",
            description="",
            attachments=[],
            requester_employee_id="asker",
            about_employee_id=None,
            created_by="u",
        )
        await service._set_status(session, paused, "pending", "u", opened)
        paused_id = paused.id
    assert ticket.assignee_employee_id == "agent"

    async def state() -> tuple[Ticket, list[dict[str, object]]]:
        async with db.session() as session:
            row = await session.get(Ticket, ticket_id)
            assert row is not None
            events = (await session.execute(select(outbox.c.type, outbox.c.payload))).all()
            breaches = [json.loads(p)["data"] for t, p in events if t == "helpdesk.sla_breached"]
            return row, breaches

    # Before the first-response target nothing happens; a minute after, one breach.
    assert await service.escalate_breaches(db, ctx, now=opened + timedelta(minutes=59)) == 0
    assert await service.escalate_breaches(db, ctx, now=opened + timedelta(minutes=61)) == 1
    row, breaches = await state()
    assert row.first_response_breached_at == opened + timedelta(minutes=61) and row.resolution_breached_at is None
    assert (row.priority, row.assignee_employee_id) == ("high", "lead")
    assert breaches == [
        {
            "ticket_id": ticket_id,
            "number": row.number,
            "metric": "first_response",
            "due_at": (opened + timedelta(minutes=60)).isoformat().replace("+00:00", "Z"),
            "detected_at": (opened + timedelta(minutes=61)).isoformat().replace("+00:00", "Z"),
            "priority_before": "normal",
            "priority_after": "high",
            "escalated_to_employee_id": "lead",
        }
    ]
    # Checked again: not twice. At the resolution target: the second and last breach, one more step up.
    assert await service.escalate_breaches(db, ctx, now=opened + timedelta(hours=2)) == 0
    assert await service.escalate_breaches(db, ctx, now=opened + timedelta(hours=8, seconds=1)) == 1
    row, breaches = await state()
    assert row.priority == "urgent" and [b["metric"] for b in breaches] == ["first_response", "resolution"]
    assert await service.escalate_breaches(db, ctx, now=opened + timedelta(days=30)) == 0
    # A first response given late, before any check saw it, is recorded as breached when it is given.
    async with db.session() as session:
        late = await service.open_ticket(
            session,
            ctx,
            kind="incident",
            category="email",
            priority="normal",
            subject="Late",
            description="",
            attachments=[],
            requester_employee_id="asker",
            about_employee_id=None,
            created_by="u",
        )
        late.opened_at = late.opened_at - timedelta(hours=2)  # as if opened two hours ago
        await service._meet(session, late, "first_response", late.opened_at + timedelta(hours=2))
        assert late.first_response_breached_at == late.opened_at + timedelta(hours=2)
        assert late.first_response_elapsed_s == 7200 and late.priority == "high"
    # The ticket waiting on its requester since it opened has missed nothing.
    async with db.session() as session:
        waiting = await session.get(Ticket, paused_id)
        assert waiting is not None and waiting.resolution_due_at is None and waiting.resolution_breached_at is None
