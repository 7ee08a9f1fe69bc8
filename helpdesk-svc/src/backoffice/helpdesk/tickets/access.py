"""Who may see and work a ticket: admins everything; agents their teams' tickets, the ones not yet routed to a
team and the ones assigned to them; everyone the tickets they asked for."""

from __future__ import annotations

from backoffice.helpdesk.directory.service import NO_EMPLOYEE
from backoffice.helpdesk.teams.service import team_ids_of
from backoffice.helpdesk.tickets.common import reference
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Forbidden, NotFound
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession


async def visibility(session: AsyncSession, user: Principal) -> ColumnElement[bool] | None:
    """The condition on tickets the caller may see; None: everything."""
    if user.is_admin:
        return None
    own = Ticket.requester_employee_id == (user.employee_id or NO_EMPLOYEE)
    if not user.has_any("it_agent"):
        return own
    teams = await team_ids_of(session, user.employee_id)
    mine = Ticket.assignee_employee_id == (user.employee_id or NO_EMPLOYEE)
    return or_(own, Ticket.team_id.is_(None), Ticket.team_id.in_(teams), mine)


async def handles(session: AsyncSession, user: Principal, ticket: Ticket) -> bool:
    """Whether the caller works this ticket as an agent (not merely as its requester)."""
    if user.is_admin:
        return True
    if not user.has_any("it_agent"):
        return False
    if ticket.team_id is None or (user.employee_id is not None and ticket.assignee_employee_id == user.employee_id):
        return True
    return ticket.team_id in await team_ids_of(session, user.employee_id)


async def visible_ticket(session: AsyncSession, user: Principal, ticket_id: str, *, lock: bool = False) -> Ticket:
    """The ticket if the caller may see it; a 404 otherwise, so ids of others' tickets reveal nothing."""
    query = select(Ticket).where(Ticket.id == ticket_id)
    condition = await visibility(session, user)
    if condition is not None:
        query = query.where(condition)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound("ticket", ticket_id)
    return ticket


async def agent_ticket(session: AsyncSession, user: Principal, ticket_id: str) -> Ticket:
    """The ticket, locked, if the caller works it as an agent; a 404 if they may not see it, a 403 if they only
    asked for it."""
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    if not await handles(session, user, ticket):
        raise Forbidden(f"only the helpdesk's agents may do this to {reference(ticket.number)}", slug="forbidden")
    return ticket
