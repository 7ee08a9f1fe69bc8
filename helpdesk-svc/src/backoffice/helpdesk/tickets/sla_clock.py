"""The arithmetic of a ticket's SLA clocks: pure functions over the ticket's clock fields and its calendar, with
no session and no clock of their own (every instant is given).

A clock runs in the working time of the ticket's calendar from the opening, less the time the ticket waits
(pending, on hold, resolved). When the calendar is edited, the working time used so far is settled at that
instant (the clock's *base*) and only what follows runs in the new hours."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from backoffice.helpdesk.sla.clock import BusinessCalendar, add_business_time, business_time_between
from backoffice.helpdesk.tickets.models import PAUSED_STATUSES, Ticket, TicketStatus
from backoffice.helpdesk.tickets.schemas import SlaClockRead, SlaRead

log = logging.getLogger("backoffice.helpdesk")

# The clocks stop while the ticket waits on someone else, or waits for the requester to confirm a resolution.
CLOCK_STOPPED: tuple[TicketStatus, ...] = (*PAUSED_STATUSES, "resolved", "closed")


@dataclass(frozen=True)
class ClockBase:
    """Where a ticket's clocks count from: the opening, or the last edit of its calendar. Working time up to
    ``at`` is settled (``elapsed_s``, measured in the hours of the time); only what follows ``at`` is measured
    in the calendar as it is now. ``paused_s`` is the ticket's paused working time at ``at``. Kept on the ticket
    (``clock_base_at``, empty for the opening, ``clock_base_elapsed_s``, ``clock_base_paused_s``)."""

    at: datetime
    elapsed_s: int = 0
    paused_s: int = 0


def base_of(ticket: Ticket) -> ClockBase:
    """The base of the ticket's clocks, kept on the ticket (set when its calendar is edited, and back to the
    opening when a priority change brings another calendar)."""
    if ticket.clock_base_at is None:
        return ClockBase(ticket.opened_at)
    return ClockBase(ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s)


def set_base(ticket: Ticket, base: ClockBase) -> None:
    """Keeps ``base`` on the ticket; the opening itself is kept as no base at all."""
    if base == ClockBase(ticket.opened_at):
        ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s = None, 0, 0
    else:
        ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s = (
            base.at,
            base.elapsed_s,
            base.paused_s,
        )


def open_targets(ticket: Ticket) -> list[int]:
    """The targets still to be reached in working time (not met, not a fixed deadline)."""
    targets = []
    if ticket.first_response_target_s and ticket.first_responded_at is None:
        targets.append(ticket.first_response_target_s)
    if ticket.resolution_target_s and ticket.fixed_due_at is None and ticket.resolved_at is None:
        targets.append(ticket.resolution_target_s)
    return targets


def working_seconds(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole seconds of working time in [start, end)."""
    return int(business_time_between(calendar, start, end).total_seconds())


def due_at(calendar: BusinessCalendar, base: ClockBase, ticket: Ticket, target_s: int) -> datetime | None:
    """When the clock of ``target_s`` reaches it, if it keeps running; None if the calendar never gets there."""
    # Working time is additive and every pause since the base lies after it, so the target is reached when the
    # working time since the base equals what was left of the target then plus the working time spent paused
    # since. A clock already past its target at the base is due at the base at the latest.
    left = target_s - base.elapsed_s + ticket.paused_business_s - base.paused_s
    try:
        return add_business_time(calendar, base.at, timedelta(seconds=left))
    except ValueError:
        log.warning("ticket %s: its calendar has no working time to reach the target", ticket.id)
        return None


def set_due(ticket: Ticket, calendar: BusinessCalendar | None, base: ClockBase) -> None:
    """Sets the ticket's due times from its clocks: empty while they stand still or once met."""
    running = calendar is not None and ticket.status not in CLOCK_STOPPED

    def due(target_s: int | None, current: datetime | None) -> datetime | None:
        if not running or calendar is None or not target_s:
            return None
        instant = due_at(calendar, base, ticket, target_s)
        # past its target before the base: the instant it was due then stays (it lies in the old hours)
        if instant == base.at and current is not None and current <= base.at:
            return current
        return instant

    responded = ticket.first_responded_at is not None
    ticket.first_response_due_at = (
        None if responded else due(ticket.first_response_target_s, ticket.first_response_due_at)
    )
    if ticket.fixed_due_at is not None:
        ticket.resolution_due_at = ticket.fixed_due_at if ticket.resolved_at is None else None
    else:
        ticket.resolution_due_at = due(ticket.resolution_target_s, ticket.resolution_due_at)


def paused_now(calendar: BusinessCalendar, base: ClockBase, ticket: Ticket, until: datetime) -> int:
    """Working time of the pause under way up to ``until`` not yet counted in ``paused_business_s``."""
    if ticket.paused_since is None or ticket.paused_since >= until:
        return 0
    return working_seconds(calendar, max(ticket.paused_since, base.at), until)


def elapsed(calendar: BusinessCalendar | None, base: ClockBase, ticket: Ticket, until: datetime) -> int:
    """Working time the clock has run from the opening to ``until`` (now, or the moment the ticket paused): what
    was settled at the base, then what the calendar counts since, less the pauses since."""
    if calendar is None:
        return 0
    paused = ticket.paused_business_s - base.paused_s + paused_now(calendar, base, ticket, until)
    return base.elapsed_s + working_seconds(calendar, base.at, until) - paused


def _clock_read(
    target_s: int | None,
    due: datetime | None,
    met: datetime | None,
    elapsed_s: int,
    breached_at: datetime | None,
    now: datetime,
) -> SlaClockRead:
    return SlaClockRead(
        target_minutes=target_s / 60 if target_s is not None else None,
        due_at=due,
        met_at=met,
        elapsed_business_seconds=elapsed_s,
        remaining_business_seconds=max(target_s - elapsed_s, 0) if target_s is not None and met is None else None,
        breached=breached_at is not None or (due is not None and met is None and due < now),
        breached_at=breached_at,
    )


def _deadline_read(ticket: Ticket, deadline: datetime, elapsed_s: int, now: datetime) -> SlaClockRead:
    """The resolution clock of a ticket with a fixed deadline (a joiner's start date): no target in minutes."""
    resolved = ticket.resolved_at
    return SlaClockRead(
        target_minutes=None,
        due_at=deadline,
        met_at=resolved,
        elapsed_business_seconds=elapsed_s,
        remaining_business_seconds=None,
        breached=ticket.resolution_breached_at is not None
        or (resolved is None and deadline < now)
        or (resolved is not None and resolved > deadline),
        breached_at=ticket.resolution_breached_at,
    )


def sla_read(ticket: Ticket, calendar: BusinessCalendar | None, now: datetime) -> SlaRead | None:
    """The ticket's clocks as shown at ``now``; None for a ticket without SLA."""
    if calendar is None and ticket.fixed_due_at is None:
        return None
    base = base_of(ticket)
    running = elapsed(calendar, base, ticket, now)

    def figure(met: datetime | None, met_elapsed: int | None) -> int:
        return met_elapsed if met is not None and met_elapsed is not None else running

    first_response = _clock_read(
        ticket.first_response_target_s,
        ticket.first_response_due_at,
        ticket.first_responded_at,
        figure(ticket.first_responded_at, ticket.first_response_elapsed_s),
        ticket.first_response_breached_at,
        now,
    )
    resolution_elapsed = figure(ticket.resolved_at, ticket.resolution_elapsed_s)
    if ticket.fixed_due_at is not None:
        resolution = _deadline_read(ticket, ticket.fixed_due_at, resolution_elapsed, now)
    else:
        resolution = _clock_read(
            ticket.resolution_target_s,
            ticket.resolution_due_at if ticket.resolved_at is None else None,
            ticket.resolved_at,
            resolution_elapsed,
            ticket.resolution_breached_at,
            now,
        )
    wall_paused = ticket.paused_wall_s + (
        int((now - ticket.paused_since).total_seconds()) if ticket.paused_since else 0
    )
    business_paused = ticket.paused_business_s + (paused_now(calendar, base, ticket, now) if calendar else 0)
    return SlaRead(
        calendar_id=ticket.calendar_id,
        paused=ticket.paused_since is not None,
        paused_since=ticket.paused_since,
        paused_business_seconds=business_paused,
        paused_wall_seconds=wall_paused,
        first_response=first_response,
        resolution=resolution,
    )
