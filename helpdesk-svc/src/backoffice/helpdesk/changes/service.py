"""Change requests: requested → approved (by a team lead or admin who did not ask for it) → implemented →
reviewed, or rejected with a reason. Each step keeps who and when."""

from __future__ import annotations

from datetime import datetime

from backoffice.helpdesk.changes.models import ChangeRequest
from backoffice.helpdesk.changes.schemas import (
    ChangeCreate,
    ChangePage,
    ChangeRead,
    DecisionCreate,
    ImplementationCreate,
    ReviewCreate,
)
from backoffice.helpdesk.teams.service import is_agent, is_lead
from backoffice.helpdesk.tickets.access import visible_ticket
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession


def to_read(change: ChangeRequest) -> ChangeRead:
    """The change request as the API shows it."""
    return ChangeRead.model_validate(change, from_attributes=True)


async def create_change(session: AsyncSession, user: Principal, body: ChangeCreate) -> ChangeRead:
    """Records a change request by the caller, for a window that has not begun (a 422 otherwise); a ticket named
    must be one the caller sees."""
    now = utcnow()
    if body.planned_start < now:
        raise Unprocessable(f"planned_start {body.planned_start.isoformat()} is in the past", slug="window-in-past")
    if body.ticket_id is not None:
        await visible_ticket(session, user, body.ticket_id)
    change = ChangeRequest(
        id=new_id(),
        **body.model_dump(),
        status="requested",
        requested_by=user.user_id,
        requester_employee_id=user.employee_id,
        created_at=now,
        updated_at=now,
    )
    session.add(change)
    await session.flush()
    return to_read(change)


async def _change(session: AsyncSession, user: Principal, change_id: str, *, lock: bool = False) -> ChangeRequest:
    change = await get_or_404(session, ChangeRequest, change_id, lock=lock)
    if not (is_agent(user) or change.requested_by == user.user_id):
        raise NotFound("change request", change_id)
    return change


async def read_change(session: AsyncSession, user: Principal, change_id: str) -> ChangeRead:
    """The change request, for agents and for whoever asked for it (a 404 for anyone else)."""
    return to_read(await _change(session, user, change_id))


async def list_changes(
    session: AsyncSession,
    user: Principal,
    *,
    status: str | None,
    affected_system: str | None,
    window_from: datetime | None,
    window_to: datetime | None,
    limit: int,
    offset: int,
) -> ChangePage:
    """Agents see every change (the change calendar); others the ones they asked for."""
    conditions: list[ColumnElement[bool]] = []
    if not is_agent(user):
        conditions.append(ChangeRequest.requested_by == user.user_id)
    if status:
        conditions.append(ChangeRequest.status == status)
    if affected_system:
        conditions.append(ChangeRequest.affected_system == affected_system)
    if window_from:
        conditions.append(ChangeRequest.planned_end > window_from)
    if window_to:
        conditions.append(ChangeRequest.planned_start < window_to)
    total = await session.scalar(select(func.count()).select_from(ChangeRequest).where(*conditions)) or 0
    rows = await session.scalars(
        select(ChangeRequest).where(*conditions).order_by(ChangeRequest.planned_start).limit(limit).offset(offset)
    )
    return ChangePage(items=[to_read(c) for c in rows], total=total, limit=limit, offset=offset)


def _expect(change: ChangeRequest, status: str, action: str) -> None:
    if change.status != status:
        raise Conflict(f"the change is {change.status}: it can be {action} only when {status}", slug="change-state")


async def decide(session: AsyncSession, user: Principal, change_id: str, body: DecisionCreate) -> ChangeRead:
    """Approves or rejects a requested change: team leads and admins only, never their own request."""
    change = await _change(session, user, change_id, lock=True)
    if not await is_lead(session, user):
        raise Forbidden("changes are approved by helpdesk team leads and admins", slug="forbidden")
    if change.requested_by == user.user_id or (
        change.requester_employee_id is not None and user.is_employee(change.requester_employee_id)
    ):
        raise Forbidden("you asked for this change: someone else must approve or reject it", slug="own-change")
    _expect(change, "requested", "approved or rejected")
    now = utcnow()
    change.status = "approved" if body.decision == "approve" else "rejected"
    change.decided_by, change.decided_at, change.decision_note, change.updated_at = user.user_id, now, body.note, now
    return to_read(change)


async def implemented(session: AsyncSession, user: Principal, change_id: str, body: ImplementationCreate) -> ChangeRead:
    """Records that an approved change was carried out (agents), with an optional note."""
    change = await _change(session, user, change_id, lock=True)
    if not is_agent(user):
        raise Forbidden("the helpdesk's agents implement changes", slug="forbidden")
    _expect(change, "approved", "implemented")
    now = utcnow()
    change.status, change.implemented_by, change.implemented_at, change.updated_at = (
        "implemented",
        user.user_id,
        now,
        now,
    )
    change.implementation_note = body.note
    return to_read(change)


async def review(session: AsyncSession, user: Principal, change_id: str, body: ReviewCreate) -> ChangeRead:
    """Closes an implemented change with its review: outcome and notes (team leads and admins)."""
    change = await _change(session, user, change_id, lock=True)
    if not await is_lead(session, user):
        raise Forbidden("changes are reviewed by helpdesk team leads and admins", slug="forbidden")
    _expect(change, "implemented", "reviewed")
    now = utcnow()
    change.status, change.reviewed_by, change.reviewed_at = "reviewed", user.user_id, now
    change.review_outcome, change.review_notes, change.updated_at = body.outcome, body.notes, now
    return to_read(change)
