"""Joiners and leavers: HR's hire opens an onboarding ticket (accounts and equipment ready before the first day),
its termination an offboarding ticket (access revoked and equipment collected by the last day). One ticket per
person and kind: the same news published again moves the open ticket's due date instead of opening another."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.equipment.models import Asset
from backoffice.helpdesk.sla.models import Priority
from backoffice.helpdesk.tickets.clocks import recompute_due
from backoffice.helpdesk.tickets.common import Context, iso, now_s
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import OPEN_STATUSES, Ticket
from backoffice.helpdesk.tickets.opening import open_ticket
from backoffice.shared.bus import Envelope
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

JoinerKind = Literal["onboarding", "offboarding"]


async def _onboarding_text(session: AsyncSession, member: StaffMember, day: date) -> tuple[str, str]:
    """The subject and description of a joiner's ticket, as it opens and whenever HR moves the start date."""
    subject = f"Onboarding: {member.name} starts on {day.isoformat()}"[-300:]
    where = ", ".join(x for x in (member.position, member.department) if x)
    description = (
        f"{member.name} ({member.email}){' joins as ' + where if where else ' joins'} on {day.isoformat()}.\n"
        "- create their accounts and mailbox\n- grant the access their role needs\n"
        "- prepare and assign their equipment"
    )
    return subject, description


async def _offboarding_text(session: AsyncSession, member: StaffMember, day: date) -> tuple[str, str]:
    """The subject and description of a leaver's ticket, listing the assets they hold now: as it opens and
    whenever HR moves the last day."""
    subject = f"Offboarding: {member.name} leaves on {day.isoformat()}"[-300:]
    assets = (
        await session.scalars(select(Asset).where(Asset.assigned_employee_id == member.employee_id).order_by(Asset.tag))
    ).all()
    listing = "\n".join(f"- {a.tag}: {a.type} {a.model} (serial {a.serial})" for a in assets) or "- none on record"
    description = (
        f"{member.name} ({member.email}) leaves on {day.isoformat()}.\n"
        "- revoke every account and access\n- collect the equipment assigned to them:\n" + listing
    )
    return subject, description


@dataclass(frozen=True)
class JoinerTicket:
    """How a kind of joiner or leaver ticket is opened from the day HR names (the first or the last day)."""

    priority: Priority
    due_days_after: int  # due at the start of the day this many days after the named day
    text: Callable[[AsyncSession, StaffMember, date], Awaitable[tuple[str, str]]]


JOINER_TICKETS: dict[JoinerKind, JoinerTicket] = {
    # accounts and equipment ready before the first day: due at the start of the start date
    "onboarding": JoinerTicket(priority="normal", due_days_after=0, text=_onboarding_text),
    # access revoked and every asset collected: due by the end of the last day
    "offboarding": JoinerTicket(priority="high", due_days_after=1, text=_offboarding_text),
}


async def _opens_a_ticket(
    session: AsyncSession,
    envelope: Envelope,
    kind: JoinerKind,
    employee_id: str,
    due: datetime,
    text: tuple[str, str],
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
    if current is None:
        return not await session.scalar(select(Ticket.id).where(*about, Ticket.fixed_due_at == due).limit(1))
    if current.fixed_due_at != due:
        now = now_s()
        record(
            session,
            current,
            f"event {envelope.id}",
            "rescheduled",
            now,
            due_before=iso(current.fixed_due_at),
            due_after=iso(due),
        )
        current.fixed_due_at, (current.subject, current.description) = due, text
        current.updated_at = now
        await recompute_due(session, current)
    return False


async def open_joiner_ticket(
    session: AsyncSession, ctx: Context, envelope: Envelope, member: StaffMember, kind: JoinerKind, day: date
) -> Ticket | None:
    """Opens the ``kind`` ticket about ``member`` (whose first or last day is ``day``) for their manager, due as
    ``JOINER_TICKETS`` says; None when the event opens nothing (see ``_opens_a_ticket``)."""
    how = JOINER_TICKETS[kind]
    subject, description = await how.text(session, member, day)
    due = datetime.combine(day + timedelta(days=how.due_days_after), time(0), tzinfo=ctx.settings.timezone)
    if not await _opens_a_ticket(session, envelope, kind, member.employee_id, due, (subject, description)):
        return None
    return await open_ticket(
        session,
        ctx,
        kind=kind,
        category=kind,
        priority=how.priority,
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
