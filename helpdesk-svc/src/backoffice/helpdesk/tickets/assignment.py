"""Who works a ticket: the open tickets each agent holds (which the teams' round-robin and caps count), and the
manual assignment to a named agent or the team's next one."""

from __future__ import annotations

from collections.abc import Sequence

from backoffice.helpdesk.directory.service import get_member
from backoffice.helpdesk.teams.models import Agent
from backoffice.helpdesk.teams.service import get_team, next_agent, open_counts
from backoffice.helpdesk.tickets.access import agent_ticket
from backoffice.helpdesk.tickets.common import Context, now_s, reference
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import OPEN_STATUSES, Ticket
from backoffice.helpdesk.tickets.reading import to_read
from backoffice.helpdesk.tickets.schemas import AssigneeUpdate, TicketRead
from backoffice.helpdesk.tickets.sharing import share_attachments
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Conflict, Problem
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


@open_counts.connect
async def count_open(session: AsyncSession, employee_ids: Sequence[str]) -> dict[str, int]:
    """How many open tickets each of these agents holds (those holding none are left out)."""
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(Ticket.assignee_employee_id, func.count())
        .where(Ticket.assignee_employee_id.in_(employee_ids), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.assignee_employee_id)
    )
    return {employee_id: count for employee_id, count in rows if employee_id is not None}


async def _named_agent(session: AsyncSession, ctx: Context, employee_id: str) -> str:
    """The named agent, if they are one and can take tickets now (their cap does not apply)."""
    agent = await session.get(Agent, employee_id)
    if agent is None:
        raise Problem(404, f"{employee_id} is not a helpdesk agent: add them to a team first", slug="unknown-agent")
    member = await get_member(session, employee_id)
    if not agent.available or not member.is_active(ctx.today()):
        raise Conflict(f"{member.name} is not available to take tickets", slug="agent-unavailable")
    return employee_id


async def assign(
    session: AsyncSession, user: Principal, ctx: Context, ticket_id: str, body: AssigneeUpdate
) -> TicketRead:
    """Manual assignment to a named, available agent (their cap does not apply), or the team's next agent."""
    ticket = await agent_ticket(session, user, ticket_id)
    if ticket.status == "closed":
        raise Conflict(f"{reference(ticket.number)} is closed", slug="ticket-closed")
    now = now_s()
    if body.team_id is not None and body.team_id != ticket.team_id:
        await get_team(session, body.team_id)
        record(session, ticket, user.user_id, "team", now, public=False, before=ticket.team_id, after=body.team_id)
        ticket.team_id = body.team_id
    if body.employee_id is not None:
        chosen: str | None = await _named_agent(session, ctx, body.employee_id)
    else:
        if ticket.team_id is None:
            raise Conflict("the ticket has no team: name an agent or a team", slug="no-team")
        chosen = await next_agent(session, ticket.team_id, ctx.is_sqlite, ctx.today())
        if chosen is None:
            raise Conflict("no agent of the team is available under their cap", slug="no-agent-available")
    record(session, ticket, user.user_id, "assigned", now, public=False, before=ticket.assignee_employee_id, to=chosen)
    ticket.assignee_employee_id, ticket.updated_at = chosen, now
    await share_attachments(session, [ticket])  # the new assignee (and team) read its documents, the old do not
    return await to_read(session, ticket, user, now)
