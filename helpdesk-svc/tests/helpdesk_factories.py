"""Factories for tests of the helpdesk's service layer on a real database: staff, calendars, policies, a team,
and tickets opened at chosen instants (never the wall clock, so the figures do not depend on the time of day)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.sla.models import SlaCalendar, SlaPolicy
from backoffice.helpdesk.teams.models import Agent, Team, TeamMember
from backoffice.helpdesk.tickets import opening
from backoffice.helpdesk.tickets.common import Context
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database
from sqlalchemy.ext.asyncio import AsyncSession

SET_UP = datetime(2026, 1, 1, tzinfo=UTC)
ADMIN = Principal(
    user_id="admin",
    roles=frozenset({"admin"}),
    employee_id=None,
    token_id="t",
    expires_at=datetime(2100, 1, 1, tzinfo=UTC),
)


def context(db: Database, **settings: object) -> Context:
    return Context(settings=HelpdeskSettings(**settings), is_sqlite=db.is_sqlite)  # type: ignore[arg-type]


def add_staff(session: AsyncSession, *ids: str, leaves_on: date | None = None) -> None:
    for person in ids:
        session.add(
            StaffMember(
                employee_id=person,
                given_name=person,
                family_name="T",
                email=f"{person}@example.com",
                availability="available",
                starts_on=date(2020, 1, 1),
                leaves_on=leaves_on,
                updated_at=SET_UP,
            )
        )


def add_calendar(
    session: AsyncSession,
    calendar_id: str,
    *,
    timezone: str = "UTC",
    working_days: Iterable[int] = range(7),
    opens: time = time(0),
    closes: time = time(0),
    holidays: Iterable[str] = (),
) -> None:
    """By default every day, all day: closing at midnight is closing at the end of the day."""
    session.add(
        SlaCalendar(
            id=calendar_id,
            name=calendar_id,
            timezone=timezone,
            working_days=json.dumps(sorted(working_days)),
            opens=opens,
            closes=closes,
            holidays=json.dumps(sorted(holidays)),
            created_at=SET_UP,
            updated_at=SET_UP,
        )
    )


def add_policy(
    session: AsyncSession, priority: str, category: str, first_response: int, resolution: int, calendar_id: str
) -> None:
    session.add(
        SlaPolicy(
            id=f"{priority}-{category}",
            priority=priority,
            category=category,
            first_response_minutes=first_response,
            resolution_minutes=resolution,
            calendar_id=calendar_id,
            created_at=SET_UP,
            updated_at=SET_UP,
        )
    )


async def add_team(session: AsyncSession, team_id: str, *, agents: Iterable[str], leads: Iterable[str] = ()) -> None:
    """The default team; its agents are available, its leads are not (they are escalated to, not dealt tickets)."""
    session.add(Team(id=team_id, name=team_id, categories="[]", is_default=True, created_at=SET_UP))
    await session.flush()
    for person, lead in [(a, False) for a in agents] + [(lead, True) for lead in leads]:
        session.add(Agent(employee_id=person, available=not lead, max_open_tickets=5, updated_at=SET_UP))
        await session.flush()
        session.add(TeamMember(team_id=team_id, employee_id=person, is_lead=lead, joined_at=SET_UP))
    await session.flush()


async def open_at(
    session: AsyncSession,
    ctx: Context,
    at: datetime,
    *,
    category: str = "email",
    priority: str = "normal",
    subject: str = "No mail",
    requester: str = "asker",
) -> Ticket:
    return await opening.open_ticket(
        session,
        ctx,
        kind="incident",
        category=category,
        priority=priority,
        subject=subject,
        description="",
        attachments=[],
        requester_employee_id=requester,
        about_employee_id=None,
        created_by="u",
        now=at,
    )
