"""Job openings: drafted by HR or a manager for their team, approved by HR, held, reopened or cancelled."""

from __future__ import annotations

from datetime import date

from backoffice.hr.employees import service as employees
from backoffice.hr.hiring.access import forbid, is_hr, manages
from backoffice.hr.hiring.models import JobOpening
from backoffice.hr.hiring.schemas import OpeningChange, OpeningCreate, OpeningPage, OpeningRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def get_opening(session: AsyncSession, opening_id: str, *, lock: bool = False) -> JobOpening:
    """The opening ``opening_id`` (404 when there is none); ``lock`` takes it ``FOR UPDATE``."""
    return await get_or_404(session, JobOpening, opening_id, what="opening", lock=lock)


async def create_opening(session: AsyncSession, user: Principal, body: OpeningCreate, today: date) -> JobOpening:
    """HR, or a manager for their own team, drafts an opening; it opens once HR approves it. Its closing date,
    if any, is today or later (``today`` in the company's timezone)."""
    if not is_hr(user) and not (user.has_any("manager") and user.employee_id == body.hiring_manager_id):
        raise forbid("open a position for another hiring manager")
    if body.closing_date is not None and body.closing_date < today:
        message = f"{body.closing_date} is in the past: give today ({today}) or a later day, or none"
        raise Unprocessable(
            f"closing_date: {message}",
            slug="validation-error",
            errors=[{"field": "closing_date", "message": message, "type": "closing_date_past"}],
        )
    await employees.get_employee(session, body.hiring_manager_id)
    await employees.check_department(session, body.department_id)
    now = utcnow()
    opening = JobOpening(
        id=new_id(),
        department_id=body.department_id,
        position=body.position,
        headcount=body.headcount,
        hires=0,
        salary_min=body.salary_min,
        salary_max=body.salary_max,
        currency=body.currency.upper(),
        hiring_manager_id=body.hiring_manager_id,
        expected_rating=body.expected_rating,
        status="draft",
        closing_date=body.closing_date,
        created_by=user.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(opening)
    await session.flush()
    return opening


async def approve_opening(session: AsyncSession, user: Principal, opening_id: str) -> JobOpening:
    """HR approves a draft opening: it opens."""
    if not is_hr(user):
        raise forbid("approve an opening (HR does)")
    opening = await get_opening(session, opening_id, lock=True)
    if opening.status != "draft":
        raise Conflict(f"the opening is {opening.status}: only a draft is approved", slug="opening-state")
    now = utcnow()
    opening.status, opening.approved_by, opening.approved_at, opening.updated_at = "open", user.user_id, now, now
    return opening


async def change_opening(session: AsyncSession, user: Principal, opening_id: str, status: OpeningChange) -> JobOpening:
    """Hold, reopen or cancel an opening (its hiring manager or HR), from the states that allow it."""
    opening = await get_opening(session, opening_id, lock=True)
    if not manages(user, opening):
        raise forbid("change this opening")
    allowed = {"open": ("on_hold",), "on_hold": ("open",), "cancelled": ("draft", "open", "on_hold")}
    if opening.status not in allowed[status]:
        raise Conflict(f"an opening that is {opening.status} cannot become {status}", slug="opening-state")
    opening.status, opening.updated_at = status, utcnow()
    return opening


async def list_openings(
    session: AsyncSession, user: Principal, status: str | None, limit: int, offset: int
) -> OpeningPage:
    """Openings, newest first: all for HR, their own for a hiring manager."""
    query = select(JobOpening).order_by(JobOpening.created_at.desc(), JobOpening.id.desc())
    if status is not None:
        query = query.where(JobOpening.status == status)
    if not is_hr(user):
        query = query.where(JobOpening.hiring_manager_id == (user.employee_id or ""))
    rows, total = await fetch_page(session, query, limit, offset)
    return OpeningPage(items=[OpeningRead.model_validate(o) for o in rows], total=total, limit=limit, offset=offset)


async def read_opening(session: AsyncSession, user: Principal, opening_id: str) -> OpeningRead:
    """One opening, for HR and its hiring manager."""
    opening = await get_opening(session, opening_id)
    if not manages(user, opening):
        raise forbid("see this opening")
    return OpeningRead.model_validate(opening)
