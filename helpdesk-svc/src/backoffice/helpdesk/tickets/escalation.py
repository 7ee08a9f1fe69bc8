"""SLA breaches: a target missed is recorded once and announced as ``helpdesk.sla_breached``; a breach the
periodic check finds also escalates the ticket (one priority up, to its team's lead)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.helpdesk.events import emit
from backoffice.helpdesk.sla.models import PRIORITIES
from backoffice.helpdesk.teams.service import team_lead
from backoffice.helpdesk.tickets.common import Context, now_s
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import OPEN_STATUSES, Ticket
from backoffice.helpdesk.tickets.sharing import share_attachments
from backoffice.shared.db import Database
from backoffice.shared.events.helpdesk import SlaBreached
from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

Metric = Literal["first_response", "resolution"]
METRICS: tuple[Metric, ...] = ("first_response", "resolution")


def due_of(ticket: Ticket, metric: Metric) -> datetime | None:
    """When the ticket's clock of ``metric`` is due (empty while paused or met)."""
    return ticket.first_response_due_at if metric == "first_response" else ticket.resolution_due_at


def breached_at(ticket: Ticket, metric: Metric) -> datetime | None:
    """When the ticket's target of ``metric`` was found missed, if it was."""
    return ticket.first_response_breached_at if metric == "first_response" else ticket.resolution_breached_at


def mark_breached(ticket: Ticket, metric: Metric, at: datetime) -> None:
    """Records that the ticket's target of ``metric`` was missed, found at ``at``."""
    if metric == "first_response":
        ticket.first_response_breached_at = at
    else:
        ticket.resolution_breached_at = at


async def escalate_breaches(db: Database, ctx: Context, now: datetime | None = None) -> int:
    """Marks tickets past a target as breached, once per target, and escalates them; returns how many tickets
    were past a target. Safe with replicas."""
    now = now or now_s()
    async with db.session(write=True) as session:
        query = (
            select(Ticket)
            .where(
                Ticket.status.in_(OPEN_STATUSES),
                or_(
                    and_(Ticket.first_response_breached_at.is_(None), Ticket.first_response_due_at < now),
                    and_(Ticket.resolution_breached_at.is_(None), Ticket.resolution_due_at < now),
                ),
            )
            .order_by(Ticket.number)
            .limit(200)
        )
        if not ctx.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        tickets = (await session.scalars(query)).all()
        for ticket in tickets:
            for metric in METRICS:
                due = due_of(ticket, metric)
                if breached_at(ticket, metric) is None and due is not None and due < now:
                    mark_breached(ticket, metric, now)
                    # the lead is whoever is still here on the company's date, not UTC's
                    await escalate(session, ticket, metric, due, now, lead_on=ctx.local_date(now))
        return len(tickets)


async def escalate(
    session: AsyncSession, ticket: Ticket, metric: Metric, due: datetime, now: datetime, *, lead_on: date | None
) -> None:
    """Records a breach and emits ``helpdesk.sla_breached``; with ``lead_on`` (a breach found by the periodic
    check: the company's date then) the ticket also climbs one priority and goes to its team's lead."""
    before = ticket.priority
    lead = None
    if lead_on is not None:
        ticket.priority = PRIORITIES[min(PRIORITIES.index(before) + 1, len(PRIORITIES) - 1)]
        lead = await team_lead(session, ticket.team_id, lead_on) if ticket.team_id else None
        if lead is not None and lead != ticket.assignee_employee_id:
            ticket.assignee_employee_id = lead
            await share_attachments(session, [ticket])
    ticket.updated_at = now
    # The targets stay those the ticket was opened with: raising the priority must not breach it again.
    record(
        session,
        ticket,
        "sla",
        "sla_breached",
        now,
        public=False,
        metric=metric,
        due_at=due.isoformat(),
        priority_before=before,
        priority_after=ticket.priority,
        escalated_to=lead,
    )
    await emit(
        session,
        SlaBreached(
            ticket_id=ticket.id,
            number=ticket.number,
            metric=metric,
            due_at=due,
            detected_at=now,
            priority_before=before,
            priority_after=ticket.priority,
            escalated_to_employee_id=lead,
        ),
        subject=ticket.id,
    )
