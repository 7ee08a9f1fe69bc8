"""IT support tickets: opened by staff (or by HR's events for joiners and leavers), routed to a team by
category, assigned round-robin, answered in public replies and internal notes, and held to SLA targets in
business hours. Time spent pending, on hold or resolved stops the clocks, exactly; a missed target escalates
the ticket (one priority up, to the team lead) and emits ``helpdesk.sla_breached``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from backoffice.helpdesk.attachments.service import check_attachable, record_attached, share_attachments
from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.service import NO_EMPLOYEE, active_member, get_member
from backoffice.helpdesk.equipment.models import Asset
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.sla.clock import BusinessCalendar, add_business_time, business_time_between
from backoffice.helpdesk.sla.models import SlaCalendar
from backoffice.helpdesk.sla.schemas import PRIORITIES
from backoffice.helpdesk.sla.service import business_calendar, policy_for
from backoffice.helpdesk.teams.models import Agent
from backoffice.helpdesk.teams.service import is_agent, next_agent, team_for_category, team_ids_of, team_lead
from backoffice.helpdesk.tickets.models import (
    OPEN_STATUSES,
    PAUSED_STATUSES,
    CannedResponse,
    Ticket,
    TicketComment,
    TicketCounter,
    TicketHistory,
    TicketPause,
)
from backoffice.helpdesk.tickets.schemas import (
    MAX_ATTACHMENTS,
    AssetBrief,
    AssignIn,
    AttachmentsIn,
    CannedIn,
    CannedPage,
    CannedRead,
    CommentIn,
    CommentPage,
    CommentRead,
    HistoryPage,
    HistoryRead,
    PriorityIn,
    SlaClockRead,
    SlaRead,
    StatusIn,
    TicketCreate,
    TicketPage,
    TicketRead,
)
from backoffice.shared.auth import Principal
from backoffice.shared.bus import Envelope, record_event
from backoffice.shared.db import Database, flush_or_conflict, utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.events import helpdesk as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.helpdesk")
REFERENCE_PREFIX = "HD-"
# Allowed moves of an agent; requesters may only reply, reopen a resolved ticket or confirm it closed.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("open", "pending", "on_hold", "resolved"),
    "open": ("pending", "on_hold", "resolved"),
    "pending": ("open", "on_hold", "resolved"),
    "on_hold": ("open", "pending", "resolved"),
    "resolved": ("open", "closed"),
    "closed": (),
}
# The clocks stop while the ticket waits on someone else, or waits for the requester to confirm a resolution.
CLOCK_STOPPED = (*PAUSED_STATUSES, "resolved", "closed")


def now_s() -> datetime:
    """SLA arithmetic is done in whole seconds, so every figure shown adds up exactly."""
    return utcnow().replace(microsecond=0)


def reference(number: int) -> str:
    return f"{REFERENCE_PREFIX}{number}"


@dataclass
class Context:
    """What ticket operations need besides the session: settings and whether row locks exist."""

    settings: HelpdeskSettings
    is_sqlite: bool

    def today(self) -> date:
        return datetime.now(self.settings.timezone).date()

    def local_date(self, instant: datetime) -> date:
        """The company's date (its time zone's) at ``instant``."""
        return instant.astimezone(self.settings.timezone).date()


# -- numbers, history, events -------------------------------------------------------------------
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


def _history(
    session: AsyncSession, ticket: Ticket, by: str, action: str, at: datetime, *, public: bool = True, **detail: Any
) -> None:
    session.add(
        TicketHistory(
            id=new_id(),
            ticket_id=ticket.id,
            at=at,
            by=by,
            action=action,
            detail=json.dumps(detail, default=str),
            public=public,
        )
    )


# -- SLA clocks ---------------------------------------------------------------------------------
# The history entry that records, for agents, that the base of a ticket's clocks was set and how its due times
# moved. Only an audit: the base itself is kept on the ticket (``clock_base_*``), and never read from history.
REBASED = "sla_recomputed"


@dataclass(frozen=True)
class ClockBase:
    """Where a ticket's clocks count from: the opening, or the last edit of its calendar. Working time up to
    ``at`` is settled (``elapsed_s``, measured in the hours of the time); only what follows ``at`` is measured
    in the calendar as it is now. ``paused_s`` is the ticket's paused working time at ``at``. Kept on the ticket
    (``clock_base_at``, empty for the opening, ``clock_base_elapsed_s``, ``clock_base_paused_s``)."""

    at: datetime
    elapsed_s: int = 0
    paused_s: int = 0


async def _calendar(session: AsyncSession, ticket: Ticket) -> BusinessCalendar | None:
    if ticket.calendar_id is None:
        return None
    row = await session.get(SlaCalendar, ticket.calendar_id)
    return business_calendar(row) if row is not None else None


def _base(ticket: Ticket) -> ClockBase:
    """The base of the ticket's clocks, kept on the ticket (set when its calendar is edited, and back to the
    opening when a priority change brings another calendar)."""
    if ticket.clock_base_at is None:
        return ClockBase(ticket.opened_at)
    return ClockBase(ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s)


def _set_base(ticket: Ticket, base: ClockBase) -> None:
    """Keeps ``base`` on the ticket; the opening itself is kept as no base at all."""
    if base == ClockBase(ticket.opened_at):
        ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s = None, 0, 0
    else:
        ticket.clock_base_at, ticket.clock_base_elapsed_s, ticket.clock_base_paused_s = (
            base.at,
            base.elapsed_s,
            base.paused_s,
        )


def _rebased(
    session: AsyncSession,
    ticket: Ticket,
    by: str,
    at: datetime,
    reason: str,
    due_before: tuple[datetime | None, datetime | None],
    **detail: Any,
) -> None:
    """The audit of a new base (already kept on the ticket, its due times already recomputed): the base, and
    the due times before and after."""
    base = _base(ticket)
    _history(
        session,
        ticket,
        by,
        REBASED,
        at,
        public=False,
        reason=reason,
        clock_base_at=_iso(base.at),
        elapsed_business_seconds=base.elapsed_s,
        paused_business_seconds=base.paused_s,
        first_response_due_before=_iso(due_before[0]),
        first_response_due_after=_iso(ticket.first_response_due_at),
        resolution_due_before=_iso(due_before[1]),
        resolution_due_after=_iso(ticket.resolution_due_at),
        **detail,
    )


async def _apply_policy(
    session: AsyncSession, ticket: Ticket, by: str | None = None, at: datetime | None = None
) -> None:
    """The targets of the ticket's priority and category. A new calendar counts from the opening again: the
    pauses so far are measured again in it (and a base left by an edit of the former calendar is dropped)."""
    policy = await policy_for(session, ticket.priority, ticket.category)
    before = ticket.calendar_id
    if policy is None:
        ticket.calendar_id, ticket.first_response_target_s, ticket.resolution_target_s = None, None, None
    else:
        ticket.calendar_id = policy.calendar_id
        ticket.first_response_target_s = policy.first_response_minutes * 60
        ticket.resolution_target_s = policy.resolution_minutes * 60
    if ticket.calendar_id != before and ticket.calendar_id is not None:
        await _measure_pauses(session, ticket)
    # a priority change that brings another calendar counts from the opening again, dropping the base
    # left by an edit of the former calendar
    moved = ticket.calendar_id != before and by is not None and at is not None
    if moved and _base(ticket).at != ticket.opened_at:
        assert by is not None and at is not None
        due_before = (ticket.first_response_due_at, ticket.resolution_due_at)
        _set_base(ticket, ClockBase(ticket.opened_at))
        await _recompute_due(session, ticket)
        _rebased(session, ticket, by, at, "priority brought another calendar", due_before)


async def _measure_pauses(session: AsyncSession, ticket: Ticket) -> None:
    """The working time of the ticket's ended pauses, measured (again) in its calendar as it is now."""
    calendar = await _calendar(session, ticket)
    assert calendar is not None
    pauses = await session.scalars(
        select(TicketPause).where(TicketPause.ticket_id == ticket.id, TicketPause.ended_at.is_not(None))
    )
    ticket.paused_business_s = sum(
        int(business_time_between(calendar, p.started_at, p.ended_at).total_seconds())
        for p in pauses
        if p.ended_at is not None
    )


def _iso(instant: datetime | None) -> str | None:
    return instant.astimezone(UTC).isoformat() if instant is not None else None


def _open_targets(ticket: Ticket) -> list[int]:
    """The targets still to be reached in working time (not met, not a fixed deadline)."""
    targets = []
    if ticket.first_response_target_s and ticket.first_responded_at is None:
        targets.append(ticket.first_response_target_s)
    if ticket.resolution_target_s and ticket.fixed_due_at is None and ticket.resolved_at is None:
        targets.append(ticket.resolution_target_s)
    return targets


async def calendar_changed(
    session: AsyncSession, calendar_id: str, old: BusinessCalendar, new: BusinessCalendar, by: str, at: datetime
) -> int:
    """After a calendar's hours, holidays or zone change at ``at``, the tickets on it that are not closed keep
    the working time their clocks have used so far, measured in the old hours (pauses keep their figures), and
    only what is left of each target runs in the new hours from ``at``; figures of clocks already met are kept.
    A ticket the new hours leave no working time to reach a target refuses the edit (422). Returns how many
    tickets were looked at."""
    tickets = (
        await session.scalars(
            select(Ticket)
            .where(Ticket.calendar_id == calendar_id, Ticket.status.in_((*OPEN_STATUSES, "resolved")))
            .order_by(Ticket.number)
            .with_for_update()
        )
    ).all()
    settled = []
    stuck: list[str] = []
    for ticket in tickets:
        base = _base(ticket)
        elapsed = _elapsed(old, base, ticket, at)
        settled.append((ticket, base, elapsed))
        for target in _open_targets(ticket):
            try:
                add_business_time(new, at, timedelta(seconds=target - elapsed))
            except ValueError:
                stuck.append(reference(ticket.number))
                break
    if stuck:
        raise Problem(
            422,
            f"these hours leave too little working time to ever reach the targets of {', '.join(stuck)}: "
            "keep more working time in the calendar",
            slug="unreachable-target",
            tickets=stuck,
        )
    for ticket, base, elapsed in settled:
        if ticket.paused_since is not None and ticket.paused_since < at:
            # the part of the pause under way that lies before the edit is settled in the old hours
            ticket.paused_business_s += int(
                business_time_between(old, max(ticket.paused_since, base.at), at).total_seconds()
            )
        due_before = (ticket.first_response_due_at, ticket.resolution_due_at)
        _set_base(ticket, ClockBase(at, elapsed, ticket.paused_business_s))
        _set_due(ticket, new, _base(ticket))
        if (ticket.first_response_due_at, ticket.resolution_due_at) != due_before:
            ticket.updated_at = at
        _rebased(session, ticket, by, at, "calendar changed", due_before)
    return len(tickets)


def _due(calendar: BusinessCalendar, base: ClockBase, ticket: Ticket, target_s: int) -> datetime | None:
    # Working time is additive and every pause since the base lies after it, so the target is reached when the
    # working time since the base equals what was left of the target then plus the working time spent paused
    # since. A clock already past its target at the base is due at the base at the latest.
    left = target_s - base.elapsed_s + ticket.paused_business_s - base.paused_s
    try:
        return add_business_time(calendar, base.at, timedelta(seconds=left))
    except ValueError:
        log.warning("ticket %s: its calendar has no working time to reach the target", ticket.id)
        return None


def _set_due(ticket: Ticket, calendar: BusinessCalendar | None, base: ClockBase) -> None:
    running = ticket.status not in CLOCK_STOPPED

    def due(target_s: int, current: datetime | None) -> datetime | None:
        assert calendar is not None
        instant = _due(calendar, base, ticket, target_s)
        # past its target before the base: the instant it was due then stays (it lies in the old hours)
        if instant == base.at and current is not None and current <= base.at:
            return current
        return instant

    ticket.first_response_due_at = (
        due(ticket.first_response_target_s, ticket.first_response_due_at)
        if running and calendar and ticket.first_response_target_s and ticket.first_responded_at is None
        else None
    )
    if ticket.fixed_due_at is not None:
        ticket.resolution_due_at = ticket.fixed_due_at if ticket.resolved_at is None else None
    else:
        ticket.resolution_due_at = (
            due(ticket.resolution_target_s, ticket.resolution_due_at)
            if running and calendar and ticket.resolution_target_s
            else None
        )


async def _recompute_due(session: AsyncSession, ticket: Ticket) -> None:
    _set_due(ticket, await _calendar(session, ticket), _base(ticket))


async def _pause(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    if ticket.paused_since is None:
        ticket.paused_since = at
        session.add(TicketPause(id=new_id(), ticket_id=ticket.id, started_at=at, ended_at=None))


async def _resume(session: AsyncSession, ticket: Ticket, at: datetime) -> None:
    if ticket.paused_since is None:
        return
    calendar = await _calendar(session, ticket)
    if calendar is not None:
        # a calendar edit during the pause settled the part before it
        since = max(ticket.paused_since, _base(ticket).at)
        ticket.paused_business_s += int(business_time_between(calendar, since, at).total_seconds())
    ticket.paused_wall_s += int((at - ticket.paused_since).total_seconds())
    ticket.paused_since = None
    pause = await session.scalar(
        select(TicketPause).where(TicketPause.ticket_id == ticket.id, TicketPause.ended_at.is_(None))
    )
    if pause is not None:
        pause.ended_at = at


def _paused_now(calendar: BusinessCalendar, base: ClockBase, ticket: Ticket, until: datetime) -> int:
    """Working time of the pause under way up to ``until`` not yet counted in ``paused_business_s``."""
    if ticket.paused_since is None or ticket.paused_since >= until:
        return 0
    return int(business_time_between(calendar, max(ticket.paused_since, base.at), until).total_seconds())


def _elapsed(calendar: BusinessCalendar | None, base: ClockBase, ticket: Ticket, until: datetime) -> int:
    """Working time the clock has run from the opening to ``until`` (now, or the moment the ticket paused): what
    was settled at the base, then what the calendar counts since, less the pauses since."""
    if calendar is None:
        return 0
    paused = ticket.paused_business_s - base.paused_s + _paused_now(calendar, base, ticket, until)
    return base.elapsed_s + int(business_time_between(calendar, base.at, until).total_seconds()) - paused


async def _meet(session: AsyncSession, ticket: Ticket, metric: str, at: datetime) -> None:
    """A clock stops for good (first response given, ticket resolved): its figure is kept, and a target met
    late is recorded as breached even if the periodic check had not caught it yet. Only recorded: the ticket
    is not escalated away from the agent who is answering it at this very moment."""
    calendar = await _calendar(session, ticket)
    base = _base(ticket)
    elapsed = _elapsed(calendar, base, ticket, at)
    target = ticket.first_response_target_s if metric == "first_response" else ticket.resolution_target_s
    if metric == "first_response":
        ticket.first_responded_at, ticket.first_response_elapsed_s = at, elapsed
    else:
        ticket.resolved_at, ticket.resolution_elapsed_s = at, elapsed
    if getattr(ticket, f"{metric}_breached_at") is not None:
        return
    if metric == "resolution" and ticket.fixed_due_at is not None:
        due: datetime | None = ticket.fixed_due_at
        late = at > ticket.fixed_due_at
    elif calendar is not None and target is not None:
        due = getattr(ticket, f"{metric}_due_at") or _due(calendar, base, ticket, target)
        late = elapsed > target
    else:
        return
    if late and due is not None:
        setattr(ticket, f"{metric}_breached_at", at)
        await _escalate(session, ticket, metric, due, at, lead_on=None)


async def _sla_read(session: AsyncSession, ticket: Ticket, now: datetime) -> SlaRead | None:
    calendar = await _calendar(session, ticket)
    if calendar is None and ticket.fixed_due_at is None:
        return None
    base = _base(ticket)

    def clock(
        target_s: int | None,
        due: datetime | None,
        met: datetime | None,
        met_elapsed: int | None,
        breached_at: datetime | None,
    ) -> SlaClockRead:
        elapsed = met_elapsed if met is not None and met_elapsed is not None else _elapsed(calendar, base, ticket, now)
        return SlaClockRead(
            target_minutes=target_s / 60 if target_s is not None else None,
            due_at=due,
            met_at=met,
            elapsed_business_seconds=elapsed,
            remaining_business_seconds=max(target_s - elapsed, 0) if target_s is not None and met is None else None,
            breached=breached_at is not None or (due is not None and met is None and due < now),
            breached_at=breached_at,
        )

    wall_paused = ticket.paused_wall_s + (
        int((now - ticket.paused_since).total_seconds()) if ticket.paused_since else 0
    )
    business_paused = ticket.paused_business_s
    if calendar is not None:
        business_paused += _paused_now(calendar, base, ticket, now)
    resolution_target = None if ticket.fixed_due_at is not None else ticket.resolution_target_s
    return SlaRead(
        calendar_id=ticket.calendar_id,
        paused=ticket.paused_since is not None,
        paused_since=ticket.paused_since,
        paused_business_seconds=business_paused,
        paused_wall_seconds=wall_paused,
        first_response=clock(
            ticket.first_response_target_s,
            ticket.first_response_due_at,
            ticket.first_responded_at,
            ticket.first_response_elapsed_s,
            ticket.first_response_breached_at,
        ),
        resolution=clock(
            resolution_target,
            ticket.resolution_due_at if ticket.resolved_at is None else None,
            ticket.resolved_at,
            ticket.resolution_elapsed_s,
            ticket.resolution_breached_at,
        )
        if ticket.fixed_due_at is None
        else SlaClockRead(
            target_minutes=None,
            due_at=ticket.fixed_due_at,
            met_at=ticket.resolved_at,
            elapsed_business_seconds=ticket.resolution_elapsed_s
            if ticket.resolved_at is not None and ticket.resolution_elapsed_s is not None
            else _elapsed(calendar, base, ticket, now),
            remaining_business_seconds=None,
            breached=ticket.resolution_breached_at is not None
            or (ticket.resolved_at is None and ticket.fixed_due_at < now)
            or (ticket.resolved_at is not None and ticket.resolved_at > ticket.fixed_due_at),
            breached_at=ticket.resolution_breached_at,
        ),
    )


# -- reading ------------------------------------------------------------------------------------
async def _name(session: AsyncSession, employee_id: str | None) -> str | None:
    if employee_id is None:
        return None
    member = await session.get(StaffMember, employee_id)
    return member.name if member else None


async def to_read(session: AsyncSession, ticket: Ticket, user: Principal, now: datetime) -> TicketRead:
    assets = None
    if ticket.kind == "offboarding" and ticket.about_employee_id and is_agent(user):
        rows = await session.scalars(
            select(Asset).where(Asset.assigned_employee_id == ticket.about_employee_id).order_by(Asset.tag)
        )
        assets = [AssetBrief(id=a.id, tag=a.tag, type=a.type, model=a.model, serial=a.serial) for a in rows]
    return TicketRead(
        id=ticket.id,
        number=ticket.number,
        reference=reference(ticket.number),
        kind=ticket.kind,  # type: ignore[arg-type]
        status=ticket.status,  # type: ignore[arg-type]
        priority=ticket.priority,  # type: ignore[arg-type]
        category=ticket.category,
        subject=ticket.subject,
        description=ticket.description,
        attachments=json.loads(ticket.attachments),
        requester_employee_id=ticket.requester_employee_id,
        requester_name=await _name(session, ticket.requester_employee_id),
        about_employee_id=ticket.about_employee_id,
        team_id=ticket.team_id,
        assignee_employee_id=ticket.assignee_employee_id,
        assignee_name=await _name(session, ticket.assignee_employee_id),
        opened_at=ticket.opened_at,
        first_responded_at=ticket.first_responded_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        updated_at=ticket.updated_at,
        sla=await _sla_read(session, ticket, now),
        assets_to_return=assets,
    )


async def _visibility(session: AsyncSession, user: Principal) -> ColumnElement[bool] | None:
    """None: everything. Agents see their teams' tickets, tickets not yet routed to a team and those assigned to
    them; everyone sees the tickets they asked for."""
    if user.is_admin:
        return None
    own = Ticket.requester_employee_id == (user.employee_id or NO_EMPLOYEE)
    if not user.has_any("it_agent"):
        return own
    teams = await team_ids_of(session, user.employee_id)
    mine = Ticket.assignee_employee_id == (user.employee_id or NO_EMPLOYEE)
    return or_(own, Ticket.team_id.is_(None), Ticket.team_id.in_(teams), mine)


async def _handles(session: AsyncSession, user: Principal, ticket: Ticket) -> bool:
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
    condition = await _visibility(session, user)
    if condition is not None:
        query = query.where(condition)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    ticket = await session.scalar(query)
    if ticket is None:
        raise NotFound("ticket", ticket_id)
    return ticket


async def _agent_ticket(session: AsyncSession, user: Principal, ticket_id: str) -> Ticket:
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    if not await _handles(session, user, ticket):
        raise Problem(403, f"only the helpdesk's agents may do this to {reference(ticket.number)}", slug="forbidden")
    return ticket


async def read_ticket(session: AsyncSession, user: Principal, ticket_id: str) -> TicketRead:
    return await to_read(session, await visible_ticket(session, user, ticket_id), user, now_s())


async def list_tickets(
    session: AsyncSession,
    user: Principal,
    *,
    status: list[str],
    kind: str | None,
    priority: str | None,
    team_id: str | None,
    assignee_employee_id: str | None,
    requester_employee_id: str | None,
    about_employee_id: str | None,
    unassigned: bool,
    breached: bool | None,
    q: str | None,
    limit: int,
    offset: int,
) -> TicketPage:
    conditions: list[ColumnElement[bool]] = []
    visibility = await _visibility(session, user)
    if visibility is not None:
        conditions.append(visibility)
    if status:
        conditions.append(Ticket.status.in_(status))
    for column, value in (
        (Ticket.kind, kind),
        (Ticket.priority, priority),
        (Ticket.team_id, team_id),
        (Ticket.assignee_employee_id, assignee_employee_id),
        (Ticket.requester_employee_id, requester_employee_id),
        (Ticket.about_employee_id, about_employee_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if unassigned:
        conditions.append(Ticket.assignee_employee_id.is_(None))
    if breached is not None:
        now = now_s()
        late = or_(
            Ticket.first_response_breached_at.is_not(None),
            Ticket.resolution_breached_at.is_not(None),
            Ticket.first_response_due_at < now,
            Ticket.resolution_due_at < now,
        )
        # written out rather than negated: NOT over an empty due date would be unknown, not true
        on_time = and_(
            Ticket.first_response_breached_at.is_(None),
            Ticket.resolution_breached_at.is_(None),
            or_(Ticket.first_response_due_at.is_(None), Ticket.first_response_due_at >= now),
            or_(Ticket.resolution_due_at.is_(None), Ticket.resolution_due_at >= now),
        )
        conditions.append(late if breached else on_time)
    if q:
        like = f"%{q.lower()}%"
        conditions.append(or_(func.lower(Ticket.subject).like(like), func.lower(Ticket.description).like(like)))
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*conditions)) or 0
    rows = await session.scalars(
        select(Ticket).where(*conditions).order_by(Ticket.number.desc()).limit(limit).offset(offset)
    )
    now = now_s()
    return TicketPage(
        items=[await to_read(session, t, user, now) for t in rows], total=total, limit=limit, offset=offset
    )


# -- opening ------------------------------------------------------------------------------------
async def open_ticket(
    session: AsyncSession,
    ctx: Context,
    *,
    kind: str,
    category: str,
    priority: str,
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
    await _apply_policy(session, ticket)
    session.add(ticket)
    await session.flush()
    await _recompute_due(session, ticket)
    _history(session, ticket, created_by, "opened", now, kind=kind, priority=priority, team_id=ticket.team_id)
    if team is not None and ctx.settings.auto_assign:
        agent = await next_agent(session, team.id, ctx.is_sqlite, ctx.today())
        if agent is not None:
            ticket.assignee_employee_id = agent
            _history(session, ticket, "round-robin", "assigned", now, public=False, to=agent)
    await record_event(
        session,
        Envelope.new(
            events.TICKET_OPENED,
            source="helpdesk",
            subject=ticket.id,
            caused_by=caused_by,
            data=events.TicketOpened(
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
        ),
    )
    await session.flush()
    return ticket


async def create_ticket(session: AsyncSession, user: Principal, ctx: Context, body: TicketCreate) -> TicketRead:
    today = datetime.now(ctx.settings.timezone).date()
    requester = body.requester_employee_id
    if requester is not None and requester != user.employee_id:
        if not is_agent(user):
            raise Problem(403, "only agents open tickets on someone else's behalf", slug="forbidden")
        await active_member(session, requester, today, what="requester")
    elif requester is None:
        if user.employee_id is None:
            raise Problem(422, "name the requester_employee_id: your login is not an employee's", slug="no-requester")
        requester = user.employee_id
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
        record_attached(session, ticket, user, body.attachments)
        await share_attachments(session, [ticket])
    return await to_read(session, ticket, user, now_s())


def _day_start(day: date, settings: HelpdeskSettings) -> datetime:
    return datetime.combine(day, time(0), tzinfo=settings.timezone)


async def _opens_a_ticket(
    session: AsyncSession,
    envelope: Envelope,
    kind: str,
    employee_id: str,
    due: datetime,
    subject: str,
    description: str,
) -> bool:
    """Whether an event about a joiner or leaver is to open their ticket. Not when this event opened one
    already, nor when the person has one of this kind open (its due date, subject and description follow the
    event instead), nor when one with this very due date was already done (the same news published again)."""
    if await session.scalar(select(Ticket.id).where(Ticket.source_event_id == envelope.id)):
        return False
    about = (Ticket.kind == kind, Ticket.about_employee_id == employee_id)
    current = await session.scalar(
        select(Ticket)
        .where(*about, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.number.desc())
        .limit(1)
        .with_for_update()
    )
    if current is not None:
        if current.fixed_due_at != due:
            now = now_s()
            _history(
                session,
                current,
                f"event {envelope.id}",
                "rescheduled",
                now,
                due_before=_iso(current.fixed_due_at),
                due_after=_iso(due),
            )
            current.fixed_due_at, current.subject, current.description = due, subject, description
            current.updated_at = now
            await _recompute_due(session, current)
        return False
    return not await session.scalar(select(Ticket.id).where(*about, Ticket.fixed_due_at == due).limit(1))


def _onboarding_text(member: StaffMember) -> tuple[str, str]:
    """The subject and description of a joiner's ticket, as it opens and whenever HR moves the start date."""
    subject = f"Onboarding: {member.name} starts on {member.starts_on.isoformat()}"[-300:]
    where = ", ".join(x for x in (member.position, member.department) if x)
    description = (
        f"{member.name} ({member.email}){' joins as ' + where if where else ' joins'} on "
        f"{member.starts_on.isoformat()}.\n"
        "- create their accounts and mailbox\n- grant the access their role needs\n"
        "- prepare and assign their equipment"
    )
    return subject, description


async def _offboarding_text(session: AsyncSession, member: StaffMember, effective: date) -> tuple[str, str]:
    """The subject and description of a leaver's ticket, listing the assets they hold now: as it opens and
    whenever HR moves the last day."""
    subject = f"Offboarding: {member.name} leaves on {effective.isoformat()}"[-300:]
    assets = (
        await session.scalars(select(Asset).where(Asset.assigned_employee_id == member.employee_id).order_by(Asset.tag))
    ).all()
    listing = "\n".join(f"- {a.tag}: {a.type} {a.model} (serial {a.serial})" for a in assets) or "- none on record"
    description = (
        f"{member.name} ({member.email}) leaves on {effective.isoformat()}.\n"
        "- revoke every account and access\n- collect the equipment assigned to them:\n" + listing
    )
    return subject, description


async def open_onboarding(
    session: AsyncSession, ctx: Context, envelope: Envelope, member: StaffMember
) -> Ticket | None:
    """Accounts and equipment ready before the first day: due at the start of the start date. One ticket per
    joiner: a hire published again (a new event) moves the open ticket's due date instead."""
    subject, description = _onboarding_text(member)
    due = _day_start(member.starts_on, ctx.settings)
    if not await _opens_a_ticket(session, envelope, "onboarding", member.employee_id, due, subject, description):
        return None
    return await open_ticket(
        session,
        ctx,
        kind="onboarding",
        category="onboarding",
        priority="normal",
        subject=subject,
        description=description,
        attachments=[],
        requester_employee_id=member.manager_id,
        about_employee_id=member.employee_id,
        created_by=f"event {envelope.id}",
        source_event_id=envelope.id,
        fixed_due_at=due,
        caused_by=envelope,
    )


async def open_offboarding(
    session: AsyncSession, ctx: Context, envelope: Envelope, member: StaffMember, effective: date
) -> Ticket | None:
    """Revoke access and collect every asset: due by the end of the effective date. One ticket per leaver: a
    termination published again (a new event) moves the open ticket's due date instead."""
    subject, description = await _offboarding_text(session, member, effective)
    due = _day_start(effective + timedelta(days=1), ctx.settings)
    if not await _opens_a_ticket(session, envelope, "offboarding", member.employee_id, due, subject, description):
        return None
    return await open_ticket(
        session,
        ctx,
        kind="offboarding",
        category="offboarding",
        priority="high",
        subject=subject,
        description=description,
        attachments=[],
        requester_employee_id=member.manager_id,
        about_employee_id=member.employee_id,
        created_by=f"event {envelope.id}",
        source_event_id=envelope.id,
        fixed_due_at=due,
        caused_by=envelope,
    )


# -- working a ticket ---------------------------------------------------------------------------
async def _author(session: AsyncSession, user: Principal) -> str:
    return (await _name(session, user.employee_id) or user.user_id)[:200]


async def _render(session: AsyncSession, user: Principal, ticket: Ticket, canned_id: str) -> str:
    canned = await session.get(CannedResponse, canned_id)
    if canned is None:
        raise NotFound("canned response", canned_id)
    values = {
        "requester_name": await _name(session, ticket.requester_employee_id) or "there",
        "ticket_number": reference(ticket.number),
        "ticket_subject": ticket.subject,
        "agent_name": await _author(session, user),
    }
    return canned.body.format_map(values)


def _comment_read(comment: TicketComment) -> CommentRead:
    return CommentRead(
        id=comment.id,
        ticket_id=comment.ticket_id,
        author_employee_id=comment.author_employee_id,
        author_name=comment.author_name,
        internal=comment.internal,
        body=comment.body,
        created_at=comment.created_at,
    )


async def _set_status(session: AsyncSession, ticket: Ticket, status: str, by: str, at: datetime) -> None:
    """Moves the ticket and its clocks; the caller has checked the move is allowed."""
    before = ticket.status
    if status == "resolved":
        if ticket.first_responded_at is None:
            await _meet(session, ticket, "first_response", at)
        await _meet(session, ticket, "resolution", at)
    if status == "closed":
        await _resume(session, ticket, at)  # closed for good: the pause ends, its totals are final
    elif status in CLOCK_STOPPED and before not in CLOCK_STOPPED:
        await _pause(session, ticket, at)
    elif status not in CLOCK_STOPPED and before in CLOCK_STOPPED:
        await _resume(session, ticket, at)
    ticket.status, ticket.updated_at = status, at
    if status == "closed":
        ticket.closed_at = at
    elif before == "resolved" and status != "resolved":
        # reopened: the resolution clock runs again from where it stopped
        ticket.resolved_at, ticket.resolution_elapsed_s = None, None
    await _recompute_due(session, ticket)
    _history(session, ticket, by, "status", at, before=before, after=status)


async def add_comment(session: AsyncSession, user: Principal, ticket_id: str, body: CommentIn) -> CommentRead:
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    agent = await _handles(session, user, ticket)
    if not agent and (body.internal or body.canned_response_id):
        raise Problem(403, "internal notes and canned responses are for agents", slug="forbidden")
    if ticket.status == "closed":
        raise Problem(409, f"{reference(ticket.number)} is closed: open a new ticket", slug="ticket-closed")
    now = now_s()
    text = await _render(session, user, ticket, body.canned_response_id) if body.canned_response_id else body.body
    comment = TicketComment(
        id=new_id(),
        ticket_id=ticket.id,
        author_user_id=user.user_id,
        author_employee_id=user.employee_id,
        author_name=await _author(session, user),
        internal=body.internal,
        body=text,
        created_at=now,
    )
    session.add(comment)
    mine = ticket.requester_employee_id is not None and user.is_employee(ticket.requester_employee_id)
    if agent and not body.internal and not mine:
        if ticket.first_responded_at is None:
            await _meet(session, ticket, "first_response", now)
            _history(session, ticket, user.user_id, "first_response", now)
        if ticket.status == "new":
            await _set_status(session, ticket, "open", user.user_id, now)
    elif not agent and ticket.status in ("pending", "resolved"):
        # The requester answered what we waited for, or says the fix did not work: the clock runs again.
        await _set_status(session, ticket, "open", user.user_id, now)
    ticket.updated_at = now
    await _recompute_due(session, ticket)
    await session.flush()
    return _comment_read(comment)


async def add_attachments(session: AsyncSession, user: Principal, ticket_id: str, body: AttachmentsIn) -> TicketRead:
    """Documents attached after the opening, by the requester or an agent of the ticket; ids already attached
    are left as they are."""
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    ref = reference(ticket.number)
    if ticket.status == "closed":
        raise Problem(409, f"{ref} is closed: open a new ticket", slug="ticket-closed")
    attached: list[str] = json.loads(ticket.attachments)
    added = [d for d in body.document_ids if d not in attached]
    if len(attached) + len(added) > MAX_ATTACHMENTS:
        raise Problem(
            422,
            f"{ref} has {len(attached)} attachments and may hold {MAX_ATTACHMENTS}: "
            f"attach at most {MAX_ATTACHMENTS - len(attached)} more",
            slug="too-many-attachments",
        )
    await check_attachable(session, user, added, "document_ids")
    now = now_s()
    if added:
        ticket.attachments, ticket.updated_at = json.dumps(attached + added), now
        _history(session, ticket, user.user_id, "attachments_added", now, document_ids=added)
        record_attached(session, ticket, user, added)
        await share_attachments(session, [ticket])
    return await to_read(session, ticket, user, now)


async def list_comments(session: AsyncSession, user: Principal, ticket_id: str, limit: int, offset: int) -> CommentPage:
    """A ticket's replies, newest first; its internal notes too for those who handle it."""
    ticket = await visible_ticket(session, user, ticket_id)
    query = select(TicketComment).where(TicketComment.ticket_id == ticket.id)
    if not await _handles(session, user, ticket):
        query = query.where(TicketComment.internal.is_(False))
    query = query.order_by(TicketComment.created_at.desc(), TicketComment.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    return CommentPage(items=[_comment_read(c) for c in rows], total=total, limit=limit, offset=offset)


async def change_status(session: AsyncSession, user: Principal, ticket_id: str, body: StatusIn) -> TicketRead:
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    agent = await _handles(session, user, ticket)
    ref = reference(ticket.number)
    if body.status == "closed" and ticket.status != "resolved":
        raise Problem(
            409,
            f"{ref} is {ticket.status}: only a resolved ticket can be closed, resolve it first",
            slug="not-resolved",
        )
    if not agent and not (ticket.status == "resolved" and body.status in ("open", "closed")):
        raise Problem(403, "requesters may only reopen or close a resolved ticket", slug="forbidden")
    if body.status == ticket.status:
        raise Problem(409, f"{ref} is {ticket.status} already", slug="same-status")
    if body.status not in TRANSITIONS[ticket.status]:
        raise Problem(
            409,
            f"{ref} cannot go from {ticket.status} to {body.status}; "
            f"allowed: {', '.join(TRANSITIONS[ticket.status]) or 'nothing, it is closed'}",
            slug="invalid-transition",
        )
    if body.status == "resolved" and ticket.kind == "offboarding" and ticket.about_employee_id:
        kept = (
            await session.scalars(select(Asset.tag).where(Asset.assigned_employee_id == ticket.about_employee_id))
        ).all()
        if kept:
            raise Problem(
                409,
                f"{ref} cannot be resolved: equipment not yet returned: {', '.join(sorted(kept))}",
                slug="equipment-not-returned",
                assets=sorted(kept),
            )
    now = now_s()
    if body.note and agent and ticket.first_responded_at is None and not user.is_employee(ticket.requester_employee_id):
        await _meet(session, ticket, "first_response", now)
        _history(session, ticket, user.user_id, "first_response", now)
    if body.note:
        session.add(
            TicketComment(
                id=new_id(),
                ticket_id=ticket.id,
                author_user_id=user.user_id,
                author_employee_id=user.employee_id,
                author_name=await _author(session, user),
                internal=False,
                body=body.note,
                created_at=now,
            )
        )
    await _set_status(session, ticket, body.status, user.user_id, now)
    if body.status == "resolved":
        await record_event(
            session,
            Envelope.new(
                events.TICKET_RESOLVED,
                source="helpdesk",
                subject=ticket.id,
                data=events.TicketResolved(
                    ticket_id=ticket.id,
                    kind=ticket.kind,
                    requester_employee_id=ticket.requester_employee_id,
                    about_employee_id=ticket.about_employee_id,
                    resolved_at=now,
                ),
            ),
        )
    await session.flush()
    return await to_read(session, ticket, user, now)


async def assign(session: AsyncSession, user: Principal, ctx: Context, ticket_id: str, body: AssignIn) -> TicketRead:
    """Manual assignment to a named, available agent (their cap does not apply), or the team's next agent."""
    ticket = await _agent_ticket(session, user, ticket_id)
    if ticket.status == "closed":
        raise Problem(409, f"{reference(ticket.number)} is closed", slug="ticket-closed")
    now = now_s()
    if body.team_id is not None and body.team_id != ticket.team_id:
        from backoffice.helpdesk.teams.service import get_team

        await get_team(session, body.team_id)
        _history(session, ticket, user.user_id, "team", now, public=False, before=ticket.team_id, after=body.team_id)
        ticket.team_id = body.team_id
    if body.employee_id is not None:
        agent = await session.get(Agent, body.employee_id)
        if agent is None:
            raise Problem(
                404, f"{body.employee_id} is not a helpdesk agent: add them to a team first", slug="unknown-agent"
            )
        member = await get_member(session, body.employee_id)
        if not agent.available or not member.is_active(datetime.now(ctx.settings.timezone).date()):
            raise Problem(409, f"{member.name} is not available to take tickets", slug="agent-unavailable")
        chosen: str | None = body.employee_id
    else:
        if ticket.team_id is None:
            raise Problem(409, "the ticket has no team: name an agent or a team", slug="no-team")
        chosen = await next_agent(session, ticket.team_id, ctx.is_sqlite, ctx.today())
        if chosen is None:
            raise Problem(409, "no agent of the team is available under their cap", slug="no-agent-available")
    _history(
        session, ticket, user.user_id, "assigned", now, public=False, before=ticket.assignee_employee_id, to=chosen
    )
    ticket.assignee_employee_id, ticket.updated_at = chosen, now
    await share_attachments(session, [ticket])  # the new assignee (and team) read its documents, the old do not
    return await to_read(session, ticket, user, now)


async def change_priority(session: AsyncSession, user: Principal, ticket_id: str, body: PriorityIn) -> TicketRead:
    """A new priority takes that priority's SLA targets, counted from the opening as before."""
    ticket = await _agent_ticket(session, user, ticket_id)
    if ticket.status == "closed":
        raise Problem(409, f"{reference(ticket.number)} is closed", slug="ticket-closed")
    if body.priority == ticket.priority:
        raise Problem(409, f"{reference(ticket.number)} is {ticket.priority} already", slug="same-priority")
    now = now_s()
    _history(
        session, ticket, user.user_id, "priority", now, before=ticket.priority, after=body.priority, reason=body.reason
    )
    ticket.priority, ticket.updated_at = body.priority, now
    await _apply_policy(session, ticket, user.user_id, now)
    await _recompute_due(session, ticket)
    await session.flush()
    return await to_read(session, ticket, user, now)


# Parts of public history entries written by agents for agents: requesters see the entry without them.
INTERNAL_DETAIL: dict[str, frozenset[str]] = {"priority": frozenset({"reason"})}


async def history(session: AsyncSession, user: Principal, ticket_id: str, limit: int, offset: int) -> HistoryPage:
    """What happened to a ticket, newest first; the requester sees the public part."""
    ticket = await visible_ticket(session, user, ticket_id)
    query = select(TicketHistory).where(TicketHistory.ticket_id == ticket.id)
    agent = await _handles(session, user, ticket)
    if not agent:
        query = query.where(TicketHistory.public.is_(True))
    query = query.order_by(TicketHistory.at.desc(), TicketHistory.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    out = []
    for h in rows:
        detail: dict[str, object] = json.loads(h.detail)
        if not agent:
            hidden = INTERNAL_DETAIL.get(h.action, frozenset())
            detail = {k: v for k, v in detail.items() if k not in hidden}
        out.append(HistoryRead(at=h.at, by=h.by, action=h.action, detail=detail))
    return HistoryPage(items=out, total=total, limit=limit, offset=offset)


# -- SLA breaches -------------------------------------------------------------------------------
async def escalate_breaches(db: Database, ctx: Context, now: datetime | None = None) -> int:
    """Marks tickets past a target as breached, once per target, and escalates them. Safe with replicas."""
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
            for metric in ("first_response", "resolution"):
                due = getattr(ticket, f"{metric}_due_at")
                if getattr(ticket, f"{metric}_breached_at") is None and due is not None and due < now:
                    setattr(ticket, f"{metric}_breached_at", now)
                    # the lead is whoever is still here on the company's date, not UTC's
                    await _escalate(session, ticket, metric, due, now, lead_on=ctx.local_date(now))
        return len(tickets)


async def _escalate(
    session: AsyncSession, ticket: Ticket, metric: str, due: datetime, now: datetime, *, lead_on: date | None
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
    _history(
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
    await record_event(
        session,
        Envelope.new(
            events.SLA_BREACHED,
            source="helpdesk",
            subject=ticket.id,
            data=events.SlaBreached(
                ticket_id=ticket.id,
                number=ticket.number,
                metric=metric,
                due_at=due,
                detected_at=now,
                priority_before=before,
                priority_after=ticket.priority,
                escalated_to_employee_id=lead,
            ),
        ),
    )


# -- canned responses ---------------------------------------------------------------------------
async def save_canned(session: AsyncSession, user: Principal, body: CannedIn) -> CannedRead:
    if not is_agent(user):
        raise Problem(403, "canned responses are for agents", slug="forbidden")
    row = CannedResponse(id=new_id(), title=body.title, body=body.body, created_by=user.user_id, created_at=utcnow())
    session.add(row)
    await flush_or_conflict(session, f"a canned response titled {body.title!r} exists", slug="canned-exists")
    return CannedRead(id=row.id, title=row.title, body=row.body, created_at=row.created_at)


async def list_canned(session: AsyncSession, user: Principal, limit: int, offset: int) -> CannedPage:
    """Canned responses, by title (for agents)."""
    if not is_agent(user):
        raise Problem(403, "canned responses are for agents", slug="forbidden")
    query = select(CannedResponse).order_by(CannedResponse.title, CannedResponse.id)
    rows, total = await fetch_page(session, query, limit, offset)
    items = [CannedRead(id=r.id, title=r.title, body=r.body, created_at=r.created_at) for r in rows]
    return CannedPage(items=items, total=total, limit=limit, offset=offset)
