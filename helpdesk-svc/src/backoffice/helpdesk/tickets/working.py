"""Working a ticket: replies and internal notes (canned or written), documents attached later, status moves
with their clocks, and priority changes."""

from __future__ import annotations

import json
from datetime import datetime

from backoffice.helpdesk.attachments.service import check_attachable, record_attached
from backoffice.helpdesk.canned.models import CannedResponse
from backoffice.helpdesk.canned.service import render
from backoffice.helpdesk.equipment.models import Asset
from backoffice.helpdesk.events import emit
from backoffice.helpdesk.tickets.access import agent_ticket, handles, visible_ticket
from backoffice.helpdesk.tickets.clocks import apply_policy, meet, pause, recompute_due, resume
from backoffice.helpdesk.tickets.common import now_s, reference
from backoffice.helpdesk.tickets.history import record
from backoffice.helpdesk.tickets.models import Ticket, TicketComment, TicketStatus
from backoffice.helpdesk.tickets.reading import staff_name, to_read
from backoffice.helpdesk.tickets.schemas import (
    MAX_ATTACHMENTS,
    AttachmentsCreate,
    CannedPreview,
    CommentCreate,
    CommentPage,
    CommentRead,
    PriorityUpdate,
    StatusUpdate,
    TicketRead,
)
from backoffice.helpdesk.tickets.sharing import share_attachments
from backoffice.helpdesk.tickets.sla_clock import CLOCK_STOPPED
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.events.helpdesk import TicketResolved
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

# Allowed moves of an agent; requesters may only reply, reopen a resolved ticket or confirm it closed.
TRANSITIONS: dict[TicketStatus, tuple[TicketStatus, ...]] = {
    "new": ("open", "pending", "on_hold", "resolved"),
    "open": ("pending", "on_hold", "resolved"),
    "pending": ("open", "on_hold", "resolved"),
    "on_hold": ("open", "pending", "resolved"),
    "resolved": ("open", "closed"),
    "closed": (),
}


async def _author(session: AsyncSession, user: Principal) -> str:
    return (await staff_name(session, user.employee_id) or user.user_id)[:200]


async def _reply(
    session: AsyncSession, user: Principal, ticket: Ticket, text: str, at: datetime, internal: bool
) -> TicketComment:
    comment = TicketComment(
        id=new_id(),
        ticket_id=ticket.id,
        author_user_id=user.user_id,
        author_employee_id=user.employee_id,
        author_name=await _author(session, user),
        internal=internal,
        body=text,
        created_at=at,
    )
    session.add(comment)
    return comment


async def set_status(session: AsyncSession, ticket: Ticket, status: TicketStatus, by: str, at: datetime) -> None:
    """Moves the ticket and its clocks; the caller has checked the move is allowed."""
    before = ticket.status
    if status == "resolved":
        if ticket.first_responded_at is None:
            await meet(session, ticket, "first_response", at)
        await meet(session, ticket, "resolution", at)
    if status == "closed":
        await resume(session, ticket, at)  # closed for good: the pause ends, its totals are final
    elif status in CLOCK_STOPPED and before not in CLOCK_STOPPED:
        await pause(session, ticket, at)
    elif status not in CLOCK_STOPPED and before in CLOCK_STOPPED:
        await resume(session, ticket, at)
    ticket.status, ticket.updated_at = status, at
    if status == "closed":
        ticket.closed_at = at
    elif before == "resolved" and status != "resolved":
        # reopened: the resolution clock runs again from where it stopped
        ticket.resolved_at, ticket.resolution_elapsed_s = None, None
    await recompute_due(session, ticket)
    record(session, ticket, by, "status", at, before=before, after=status)


async def _canned_text(session: AsyncSession, user: Principal, ticket: Ticket, canned_id: str) -> str:
    values = {
        "requester_name": await staff_name(session, ticket.requester_employee_id) or "there",
        "ticket_number": reference(ticket.number),
        "ticket_subject": ticket.subject,
        "agent_name": await _author(session, user),
    }
    return await render(session, canned_id, values)


async def preview_canned(session: AsyncSession, user: Principal, ticket_id: str, canned_id: str) -> CannedPreview:
    """What a reply with the canned response would say on this ticket, from this agent (agents of the ticket)."""
    ticket = await visible_ticket(session, user, ticket_id)
    if not await handles(session, user, ticket):
        raise Forbidden("canned responses are for agents", slug="forbidden")
    canned = await get_or_404(session, CannedResponse, canned_id)
    text = await _canned_text(session, user, ticket, canned.id)
    return CannedPreview(canned_response_id=canned.id, title=canned.title, body=text)


async def add_comment(session: AsyncSession, user: Principal, ticket_id: str, body: CommentCreate) -> CommentRead:
    """A reply (or, for agents, an internal note or a canned response). An agent's first public reply meets the
    first-response target; the requester's answer to a pending or resolved ticket opens it again."""
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    agent = await handles(session, user, ticket)
    if not agent and (body.internal or body.canned_response_id):
        raise Forbidden("internal notes and canned responses are for agents", slug="forbidden")
    if ticket.status == "closed":
        raise Conflict(f"{reference(ticket.number)} is closed: open a new ticket", slug="ticket-closed")
    now = now_s()
    if body.canned_response_id:
        text = await _canned_text(session, user, ticket, body.canned_response_id)
    else:
        text = body.body
    comment = await _reply(session, user, ticket, text, now, body.internal)
    mine = ticket.requester_employee_id is not None and user.is_employee(ticket.requester_employee_id)
    if agent and not body.internal and not mine:
        if ticket.first_responded_at is None:
            await meet(session, ticket, "first_response", now)
            record(session, ticket, user.user_id, "first_response", now)
        if ticket.status == "new":
            await set_status(session, ticket, "open", user.user_id, now)
    elif not agent and ticket.status in ("pending", "resolved"):
        # The requester answered what we waited for, or says the fix did not work: the clock runs again.
        await set_status(session, ticket, "open", user.user_id, now)
    ticket.updated_at = now
    await recompute_due(session, ticket)
    await session.flush()
    return CommentRead.model_validate(comment, from_attributes=True)


async def add_attachments(
    session: AsyncSession, user: Principal, ticket_id: str, body: AttachmentsCreate
) -> TicketRead:
    """Documents attached after the opening, by the requester or an agent of the ticket; ids already attached
    are left as they are."""
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    ref = reference(ticket.number)
    if ticket.status == "closed":
        raise Conflict(f"{ref} is closed: open a new ticket", slug="ticket-closed")
    attached: list[str] = json.loads(ticket.attachments)
    added = [d for d in body.document_ids if d not in attached]
    if len(attached) + len(added) > MAX_ATTACHMENTS:
        raise Unprocessable(
            f"{ref} has {len(attached)} attachments and may hold {MAX_ATTACHMENTS}: "
            f"attach at most {MAX_ATTACHMENTS - len(attached)} more",
            slug="too-many-attachments",
        )
    await check_attachable(session, user, added, "document_ids")
    now = now_s()
    if added:
        ticket.attachments, ticket.updated_at = json.dumps(attached + added), now
        record(session, ticket, user.user_id, "attachments_added", now, document_ids=added)
        record_attached(session, ticket.id, user, added)
        await share_attachments(session, [ticket])
    return await to_read(session, ticket, user, now)


async def list_comments(session: AsyncSession, user: Principal, ticket_id: str, limit: int, offset: int) -> CommentPage:
    """A ticket's replies, newest first; its internal notes too for those who handle it."""
    ticket = await visible_ticket(session, user, ticket_id)
    query = select(TicketComment).where(TicketComment.ticket_id == ticket.id)
    if not await handles(session, user, ticket):
        query = query.where(TicketComment.internal.is_(False))
    query = query.order_by(TicketComment.created_at.desc(), TicketComment.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    items = [CommentRead.model_validate(c, from_attributes=True) for c in rows]
    return CommentPage(items=items, total=total, limit=limit, offset=offset)


async def _check_move(session: AsyncSession, ticket: Ticket, status: TicketStatus, agent: bool) -> None:
    """Refuses a move the caller may not make, or the ticket may not take now."""
    ref = reference(ticket.number)
    if status == "closed" and ticket.status != "resolved":
        raise Conflict(
            f"{ref} is {ticket.status}: only a resolved ticket can be closed, resolve it first",
            slug="not-resolved",
        )
    if not agent and not (ticket.status == "resolved" and status in ("open", "closed")):
        raise Forbidden("requesters may only reopen or close a resolved ticket", slug="forbidden")
    if status == ticket.status:
        raise Conflict(f"{ref} is {ticket.status} already", slug="same-status")
    if status not in TRANSITIONS[ticket.status]:
        raise Conflict(
            f"{ref} cannot go from {ticket.status} to {status}; "
            f"allowed: {', '.join(TRANSITIONS[ticket.status]) or 'nothing, it is closed'}",
            slug="invalid-transition",
        )
    if status == "resolved" and ticket.kind == "offboarding" and ticket.about_employee_id:
        kept = sorted(
            (
                await session.scalars(select(Asset.tag).where(Asset.assigned_employee_id == ticket.about_employee_id))
            ).all()
        )
        if kept:
            raise Conflict(
                f"{ref} cannot be resolved: equipment not yet returned: {', '.join(kept)}",
                slug="equipment-not-returned",
                assets=kept,
            )


async def change_status(session: AsyncSession, user: Principal, ticket_id: str, body: StatusUpdate) -> TicketRead:
    """Moves a ticket: agents along ``TRANSITIONS``, requesters only reopening or closing a resolved ticket; an
    offboarding ticket resolves only once the leaver's equipment is back. A note is added as a public reply."""
    ticket = await visible_ticket(session, user, ticket_id, lock=True)
    agent = await handles(session, user, ticket)
    await _check_move(session, ticket, body.status, agent)
    now = now_s()
    if body.note and agent and ticket.first_responded_at is None and not user.is_employee(ticket.requester_employee_id):
        await meet(session, ticket, "first_response", now)
        record(session, ticket, user.user_id, "first_response", now)
    if body.note:
        await _reply(session, user, ticket, body.note, now, internal=False)
    await set_status(session, ticket, body.status, user.user_id, now)
    if body.status == "resolved":
        await emit(
            session,
            TicketResolved(
                ticket_id=ticket.id,
                kind=ticket.kind,
                requester_employee_id=ticket.requester_employee_id,
                about_employee_id=ticket.about_employee_id,
                resolved_at=now,
            ),
            subject=ticket.id,
        )
    await session.flush()
    return await to_read(session, ticket, user, now)


async def change_priority(session: AsyncSession, user: Principal, ticket_id: str, body: PriorityUpdate) -> TicketRead:
    """A new priority takes that priority's SLA targets, counted from the opening as before."""
    ticket = await agent_ticket(session, user, ticket_id)
    if ticket.status == "closed":
        raise Conflict(f"{reference(ticket.number)} is closed", slug="ticket-closed")
    if body.priority == ticket.priority:
        raise Conflict(f"{reference(ticket.number)} is {ticket.priority} already", slug="same-priority")
    now = now_s()
    record(
        session, ticket, user.user_id, "priority", now, before=ticket.priority, after=body.priority, reason=body.reason
    )
    ticket.priority, ticket.updated_at = body.priority, now
    await apply_policy(session, ticket, user.user_id, now)
    await recompute_due(session, ticket)
    await session.flush()
    return await to_read(session, ticket, user, now)
