"""Opening tickets: numbered in one series, routed to their category's team, SLA clocks started, and given to
the team's next agent; staff open them for themselves (agents also for others), events for joiners and leavers."""

from __future__ import annotations

import json
from datetime import datetime

from backoffice.helpdesk.attachments.service import check_attachable, record_attached
from backoffice.helpdesk.directory.service import active_member
from backoffice.helpdesk.events import emit
from backoffice.helpdesk.sla.models import Priority
from backoffice.helpdesk.teams.service import is_agent, next_agent, team_for_category
from backoffice.helpdesk.tickets.clocks import apply_policy, recompute_due
from backoffice.helpdesk.tickets.common import Context, now_s
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import Kind, Ticket, TicketCounter
from backoffice.helpdesk.tickets.reading import to_read
from backoffice.helpdesk.tickets.schemas import TicketCreate, TicketRead
from backoffice.helpdesk.tickets.sharing import share_attachments
from backoffice.shared.auth import Principal
from backoffice.shared.bus import Envelope
from backoffice.shared.errors import Forbidden, Unprocessable
from backoffice.shared.events.helpdesk import TicketOpened
from backoffice.shared.ids import new_id
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


async def _next_number(session: AsyncSession, is_sqlite: bool) -> int:
    query = select(TicketCounter).where(TicketCounter.series == "ticket")
    if not is_sqlite:
        query = query.with_for_update()
    counter = await session.scalar(query)
    if counter is None:
        try:
            async with session.begin_nested():
                session.add(TicketCounter(series="ticket", value=0))
                await session.flush()
        except IntegrityError:
            pass  # another transaction made it first; the locked read below takes its turn
        counter = await session.scalar(query.execution_options(populate_existing=True))
        assert counter is not None
    counter.value += 1
    return counter.value


async def open_ticket(
    session: AsyncSession,
    ctx: Context,
    *,
    kind: Kind,
    category: str,
    priority: Priority,
    subject: str,
    description: str,
    attachments: list[str],
    requester_employee_id: str | None,
    about_employee_id: str | None,
    created_by: str,
    source_event_id: str | None = None,
    fixed_due_at: datetime | None = None,
    caused_by: Envelope | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Routes the ticket to its category's team, starts its SLA clocks, gives it to the next agent. ``now`` is
    the opening instant (the clock's, in whole seconds, unless given)."""
    now = now or now_s()
    team = await team_for_category(session, category)
    ticket = Ticket(
        id=new_id(),
        number=await _next_number(session, ctx.is_sqlite),
        kind=kind,
        status="new",
        priority=priority,
        category=category,
        subject=subject,
        description=description,
        attachments=json.dumps(attachments),
        requester_employee_id=requester_employee_id,
        about_employee_id=about_employee_id,
        team_id=team.id if team else None,
        assignee_employee_id=None,
        source_event_id=source_event_id,
        created_by=created_by,
        opened_at=now,
        updated_at=now,
        fixed_due_at=fixed_due_at,
        paused_business_s=0,
        paused_wall_s=0,
        clock_base_at=None,
        clock_base_elapsed_s=0,
        clock_base_paused_s=0,
    )
    await apply_policy(session, ticket)
    session.add(ticket)
    await session.flush()
    await recompute_due(session, ticket)
    record(session, ticket, created_by, "opened", now, kind=kind, priority=priority, team_id=ticket.team_id)
    if team is not None and ctx.settings.auto_assign:
        agent = await next_agent(session, team.id, ctx.is_sqlite, ctx.today())
        if agent is not None:
            ticket.assignee_employee_id = agent
            record(session, ticket, "round-robin", "assigned", now, public=False, to=agent)
    await emit(
        session,
        TicketOpened(
            ticket_id=ticket.id,
            number=ticket.number,
            kind=kind,
            priority=priority,
            category=category,
            subject=subject,
            requester_employee_id=requester_employee_id,
            about_employee_id=about_employee_id,
            team_id=ticket.team_id,
            opened_at=now,
        ),
        subject=ticket.id,
        caused_by=caused_by,
    )
    await session.flush()
    return ticket


async def _requester(session: AsyncSession, user: Principal, ctx: Context, requester: str | None) -> str:
    """Who the ticket is for: the caller, or (for agents) the active staff member they name."""
    if requester is not None and requester != user.employee_id:
        if not is_agent(user):
            raise Forbidden("only agents open tickets on someone else's behalf", slug="forbidden")
        await active_member(session, requester, ctx.today(), what="requester")
        return requester
    if user.employee_id is None:
        raise Unprocessable("name the requester_employee_id: your login is not an employee's", slug="no-requester")
    return user.employee_id


async def create_ticket(session: AsyncSession, user: Principal, ctx: Context, body: TicketCreate) -> TicketRead:
    """A ticket opened by staff, for themselves or (agents) on someone's behalf, with documents they filed."""
    requester = await _requester(session, user, ctx, body.requester_employee_id)
    await check_attachable(session, user, body.attachments, "attachments")
    ticket = await open_ticket(
        session,
        ctx,
        kind=body.kind,
        category=body.category,
        priority=body.priority,
        subject=body.subject,
        description=body.description,
        attachments=body.attachments,
        requester_employee_id=requester,
        about_employee_id=None,
        created_by=user.user_id,
    )
    if body.attachments:
        record_attached(session, ticket.id, user, body.attachments)
        await share_attachments(session, [ticket])
    return await to_read(session, ticket, user, now_s())
