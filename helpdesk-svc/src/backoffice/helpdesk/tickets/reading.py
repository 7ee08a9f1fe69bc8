"""Reading tickets: one ticket with its SLA clocks, and the searchable list of the tickets the caller may see."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.service import NO_EMPLOYEE
from backoffice.helpdesk.equipment.models import Asset
from backoffice.helpdesk.sla.models import Priority
from backoffice.helpdesk.teams.service import is_agent, team_ids_of
from backoffice.helpdesk.tickets.access import visibility, visible_ticket
from backoffice.helpdesk.tickets.clocks import read_sla
from backoffice.helpdesk.tickets.common import now_s, reference
from backoffice.helpdesk.tickets.models import Kind, Ticket, TicketStatus
from backoffice.helpdesk.tickets.schemas import AssetBrief, TicketPage, TicketRead
from backoffice.shared.auth import Principal
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession


async def staff_name(session: AsyncSession, employee_id: str | None) -> str | None:
    """The person's name as the directory has it; None for no one, or someone it does not know."""
    if employee_id is None:
        return None
    member = await session.get(StaffMember, employee_id)
    return member.name if member else None


async def to_read(session: AsyncSession, ticket: Ticket, user: Principal, now: datetime) -> TicketRead:
    """The ticket as the caller reads it at ``now``: names, SLA clocks, and for agents the equipment a leaver
    still has to return."""
    assets = None
    if ticket.kind == "offboarding" and ticket.about_employee_id and is_agent(user):
        rows = await session.scalars(
            select(Asset).where(Asset.assigned_employee_id == ticket.about_employee_id).order_by(Asset.tag)
        )
        assets = [AssetBrief.model_validate(a, from_attributes=True) for a in rows]
    return TicketRead(
        id=ticket.id,
        number=ticket.number,
        reference=reference(ticket.number),
        kind=ticket.kind,
        status=ticket.status,
        priority=ticket.priority,
        category=ticket.category,
        subject=ticket.subject,
        description=ticket.description,
        attachments=json.loads(ticket.attachments),
        requester_employee_id=ticket.requester_employee_id,
        requester_name=await staff_name(session, ticket.requester_employee_id),
        about_employee_id=ticket.about_employee_id,
        team_id=ticket.team_id,
        assignee_employee_id=ticket.assignee_employee_id,
        assignee_name=await staff_name(session, ticket.assignee_employee_id),
        opened_at=ticket.opened_at,
        first_responded_at=ticket.first_responded_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        updated_at=ticket.updated_at,
        sla=await read_sla(session, ticket, now),
        assets_to_return=assets,
    )


async def read_ticket(session: AsyncSession, user: Principal, ticket_id: str) -> TicketRead:
    """The ticket with its clocks now, if the caller may see it (404 otherwise)."""
    return await to_read(session, await visible_ticket(session, user, ticket_id), user, now_s())


def _breached(breached: bool, now: datetime) -> ColumnElement[bool]:
    """Tickets past a target (found so, or due before ``now``), or with ``breached`` false those on time."""
    if breached:
        return or_(
            Ticket.first_response_breached_at.is_not(None),
            Ticket.resolution_breached_at.is_not(None),
            Ticket.first_response_due_at < now,
            Ticket.resolution_due_at < now,
        )
    # written out rather than negated: NOT over an empty due date would be unknown, not true
    return and_(
        Ticket.first_response_breached_at.is_(None),
        Ticket.resolution_breached_at.is_(None),
        or_(Ticket.first_response_due_at.is_(None), Ticket.first_response_due_at >= now),
        or_(Ticket.resolution_due_at.is_(None), Ticket.resolution_due_at >= now),
    )


TicketOrder = Literal["newest", "urgency"]


def _urgency(now: datetime) -> list[ColumnElement[object]]:
    """Breached tickets first, then the nearest deadline of a running clock; paused or met clocks (no due time)
    after them; newest first among equals."""
    first, resolution = Ticket.first_response_due_at, Ticket.resolution_due_at
    deadline = case(
        (first.is_(None), resolution),
        (resolution.is_(None), first),
        (first < resolution, first),
        else_=resolution,
    )
    breached = case((_breached(True, now), 0), else_=1)
    return [breached, case((deadline.is_(None), 1), else_=0), deadline, Ticket.number.desc()]


async def list_tickets(
    session: AsyncSession,
    user: Principal,
    *,
    status: list[TicketStatus],
    kind: Kind | None,
    priority: Priority | None,
    category: str | None,
    team_id: str | None,
    assigned_to_me: bool,
    my_teams: bool,
    assignee_employee_id: str | None,
    requester_employee_id: str | None,
    about_employee_id: str | None,
    unassigned: bool,
    breached: bool | None,
    q: str | None,
    order: TicketOrder,
    limit: int,
    offset: int,
) -> TicketPage:
    """The tickets the caller may see that match the filters, newest first or most urgent first."""
    conditions: list[ColumnElement[bool]] = []
    visible = await visibility(session, user)
    if visible is not None:
        conditions.append(visible)
    if status:
        conditions.append(Ticket.status.in_(status))
    for column, value in (
        (Ticket.kind, kind),
        (Ticket.priority, priority),
        (Ticket.category, category.strip().lower() if category else None),
        (Ticket.team_id, team_id),
        (Ticket.assignee_employee_id, assignee_employee_id),
        (Ticket.requester_employee_id, requester_employee_id),
        (Ticket.about_employee_id, about_employee_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if unassigned:
        conditions.append(Ticket.assignee_employee_id.is_(None))
    if assigned_to_me:
        conditions.append(Ticket.assignee_employee_id == (user.employee_id or NO_EMPLOYEE))
    if my_teams:
        conditions.append(Ticket.team_id.in_(await team_ids_of(session, user.employee_id)))
    now = now_s()
    if breached is not None:
        conditions.append(_breached(breached, now))
    if q:
        like = f"%{q.lower()}%"
        conditions.append(or_(func.lower(Ticket.subject).like(like), func.lower(Ticket.description).like(like)))
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*conditions)) or 0
    ordering = _urgency(now) if order == "urgency" else [Ticket.number.desc()]
    rows = await session.scalars(select(Ticket).where(*conditions).order_by(*ordering).limit(limit).offset(offset))
    return TicketPage(
        items=[await to_read(session, t, user, now) for t in rows], total=total, limit=limit, offset=offset
    )
