"""A ticket's SLA clocks as kept in the database: the targets of its policy, pauses while it waits, targets met,
and the new base of its clocks when the hours of its calendar are edited (``sla`` announces the edit)."""

from __future__ import annotations

from datetime import datetime, timedelta

from backoffice.helpdesk.sla.clock import BusinessCalendar, add_business_time
from backoffice.helpdesk.sla.models import SlaCalendar
from backoffice.helpdesk.sla.service import business_calendar, calendar_hours_changed, policy_for
from backoffice.helpdesk.tickets.common import iso, reference
from backoffice.helpdesk.tickets.escalation import Metric, breached_at, due_of, escalate, mark_breached
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import OPEN_STATUSES, Ticket, TicketPause
from backoffice.helpdesk.tickets.schemas import SlaRead
from backoffice.helpdesk.tickets.sla_clock import (
    ClockBase,
    base_of,
    due_at,
    elapsed,
    open_targets,
    set_base,
    set_due,
    sla_read,
    working_seconds,
)
from backoffice.shared.errors import Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

# The history entry that records, for agents, that the base of a ticket's clocks was set and how its due times
# moved. Only an audit: the base itself is kept on the ticket (``clock_base_*``), and never read from history.
REBASED = "sla_recomputed"


async def calendar_of(session: AsyncSession, ticket: Ticket) -> BusinessCalendar | None:
    """The working hours the ticket's clocks run in; None for a ticket without SLA calendar."""
    if ticket.calendar_id is None:
        return None
    row = await session.get(SlaCalendar, ticket.calendar_id)
    return business_calendar(row) if row is not None else None


def record_rebase(
    session: AsyncSession,
    ticket: Ticket,
    by: str,
    at: datetime,
    reason: str,
    due_before: tuple[datetime | None, datetime | None],
) -> None:
    """The audit of a new base (already kept on the ticket, its due times already recomputed): the base, and
    the due times before and after."""
    base = base_of(ticket)
    record(
        session,
        ticket,
        by,
        REBASED,
        at,
        public=False,
        reason=reason,
        clock_base_at=iso(base.at),
        elapsed_business_seconds=base.elapsed_s,
        paused_business_seconds=base.paused_s,
        first_response_due_before=iso(due_before[0]),
        first_response_due_after=iso(ticket.first_response_due_at),
        resolution_due_before=iso(due_before[1]),
        resolution_due_after=iso(ticket.resolution_due_at),
    )


async def recompute_due(session: AsyncSession, ticket: Ticket) -> None:
    """Sets the ticket's due times from its clocks as they stand now."""
    set_due(ticket, await calendar_of(session, ticket), base_of(ticket))


async def apply_policy(
    session: AsyncSession, ticket: Ticket, by: str | None = None, at: datetime | None = None
) -> None:
    """The targets of the ticket's priority and category. A new calendar counts from the opening again: the
    pauses so far are measured again in it (and a base left by an edit of the former calendar is dropped, with
    an audit entry by ``by`` at ``at`` when given)."""
    policy = await policy_for(session, ticket.priority, ticket.category)
    before = ticket.calendar_id
    if policy is None:
        ticket.calendar_id, ticket.first_response_target_s, ticket.resolution_target_s = None, None, None
    else:
        ticket.calendar_id = policy.calendar_id
        ticket.first_response_target_s = policy.first_response_minutes * 60
        ticket.resolution_target_s = policy.resolution_minutes * 60
    if ticket.calendar_id == before:
        return
    if ticket.calendar_id is not None:
        await _measure_pauses(session, ticket)
    if by is not None and at is not None and base_of(ticket).at != ticket.opened_at:
        due_before = (ticket.first_response_due_at, ticket.resolution_due_at)
        set_base(ticket, ClockBase(ticket.opened_at))
        await recompute_due(session, ticket)
        record_rebase(session, ticket, by, at, "priority brought another calendar", due_before)


async def _measure_pauses(session: AsyncSession, ticket: Ticket) -> None:
    """The working time of the ticket's ended pauses, measured (again) in its calendar as it is now."""
    calendar = await calendar_of(session, ticket)
    assert calendar is not None
    pauses = await session.scalars(
        select(TicketPause).where(TicketPause.ticket_id == ticket.id, TicketPause.ended_at.is_not(None))
    )
    ticket.paused_business_s = sum(
        working_seconds(calendar, p.started_at, p.ended_at) for p in pauses if p.ended_at is not None
    )


async def pause(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    """The clocks stop at ``at`` (the ticket waits on someone else)."""
    if ticket.paused_since is None:
        ticket.paused_since = at
        session.add(TicketPause(id=new_id(), ticket_id=ticket.id, started_at=at, ended_at=None))


async def resume(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    """The clocks run again from ``at``; the pause's working and clock time are added to the ticket's totals."""
    if ticket.paused_since is None:
        return
    calendar = await calendar_of(session, ticket)
    if calendar is not None:
        # a calendar edit during the pause settled the part before it
        since = max(ticket.paused_since, base_of(ticket).at)
        ticket.paused_business_s += working_seconds(calendar, since, at)
    ticket.paused_wall_s += int((at - ticket.paused_since).total_seconds())
    ticket.paused_since = None
    current = await session.scalar(
        select(TicketPause).where(TicketPause.ticket_id == ticket.id, TicketPause.ended_at.is_(None))
    )
    if current is not None:
        current.ended_at = at


async def meet(session: AsyncSession, ticket: Ticket, metric: Metric, at: datetime) -> None:
    """A clock stops for good (first response given, ticket resolved): its figure is kept, and a target met
    late is recorded as breached even if the periodic check had not caught it yet. Only recorded: the ticket
    is not escalated away from the agent who is answering it at this very moment."""
    calendar = await calendar_of(session, ticket)
    base = base_of(ticket)
    used = elapsed(calendar, base, ticket, at)
    if metric == "first_response":
        target = ticket.first_response_target_s
        ticket.first_responded_at, ticket.first_response_elapsed_s = at, used
    else:
        target = ticket.resolution_target_s
        ticket.resolved_at, ticket.resolution_elapsed_s = at, used
    if breached_at(ticket, metric) is not None:
        return
    if metric == "resolution" and ticket.fixed_due_at is not None:
        due: datetime | None = ticket.fixed_due_at
        late = at > ticket.fixed_due_at
    elif calendar is not None and target is not None:
        due = due_of(ticket, metric) or due_at(calendar, base, ticket, target)
        late = used > target
    else:
        return
    if late and due is not None:
        mark_breached(ticket, metric, at)
        await escalate(session, ticket, metric, due, at, lead_on=None)


async def read_sla(session: AsyncSession, ticket: Ticket, now: datetime) -> SlaRead | None:
    """The ticket's clocks as shown at ``now``; None for a ticket without SLA."""
    return sla_read(ticket, await calendar_of(session, ticket), now)


@calendar_hours_changed.connect
async def calendar_changed(
    session: AsyncSession, calendar_id: str, old: BusinessCalendar, new: BusinessCalendar, by: str, at: datetime
) -> None:
    """After a calendar's hours, holidays or zone change at ``at``, the tickets on it that are not closed keep
    the working time their clocks have used so far, measured in the old hours (pauses keep their figures), and
    only what is left of each target runs in the new hours from ``at``; figures of clocks already met are kept.
    A ticket the new hours leave no working time to reach a target refuses the edit (422)."""
    tickets = (
        await session.scalars(
            select(Ticket)
            .where(Ticket.calendar_id == calendar_id, Ticket.status.in_((*OPEN_STATUSES, "resolved")))
            .order_by(Ticket.number)
            .with_for_update()
        )
    ).all()
    settled = [(ticket, base_of(ticket)) for ticket in tickets]
    used = {ticket.id: elapsed(old, base, ticket, at) for ticket, base in settled}
    stuck = [reference(t.number) for t in tickets if not _reachable(new, at, t, used[t.id])]
    if stuck:
        raise Unprocessable(
            f"these hours leave too little working time to ever reach the targets of {', '.join(stuck)}: "
            "keep more working time in the calendar",
            slug="unreachable-target",
            tickets=stuck,
        )
    for ticket, base in settled:
        if ticket.paused_since is not None and ticket.paused_since < at:
            # the part of the pause under way that lies before the edit is settled in the old hours
            ticket.paused_business_s += working_seconds(old, max(ticket.paused_since, base.at), at)
        due_before = (ticket.first_response_due_at, ticket.resolution_due_at)
        set_base(ticket, ClockBase(at, used[ticket.id], ticket.paused_business_s))
        set_due(ticket, new, base_of(ticket))
        if (ticket.first_response_due_at, ticket.resolution_due_at) != due_before:
            ticket.updated_at = at
        record_rebase(session, ticket, by, at, "calendar changed", due_before)


def _reachable(calendar: BusinessCalendar, at: datetime, ticket: Ticket, used: int) -> bool:
    """Whether the calendar leaves the ticket working time to reach each of its open targets from ``at``."""
    for target in open_targets(ticket):
        try:
            add_business_time(calendar, at, timedelta(seconds=target - used))
        except ValueError:
            return False
    return True
