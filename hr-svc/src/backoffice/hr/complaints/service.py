"""Complaints: filed by any employee, seen only by the filer and HR, investigated and closed by HR.

The person complained about never reads a complaint (so never the filer's name); ``withhold_name``
is recorded so HR keeps the name out of anything it shares with them. ``hr.complaint_filed`` carries
no text and no names.
"""

from __future__ import annotations

from datetime import date

from backoffice.hr.complaints.models import Complaint, ComplaintNote
from backoffice.hr.complaints.schemas import (
    Closing,
    ComplaintCreate,
    ComplaintPage,
    ComplaintRead,
    NoteCreate,
    NoteRead,
)
from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.service import effective_status, get_employee
from backoffice.hr.events import emit
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.events import hr as events
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession


def is_hr(user: Principal) -> bool:
    """Whether ``user`` acts for HR (an HR officer or an admin)."""
    return user.is_admin or user.has_any("hr")


async def to_read(session: AsyncSession, complaint: Complaint, user: Principal) -> ComplaintRead:
    """The complaint as ``user`` may see it: with its investigation notes for HR only."""
    read = ComplaintRead.model_validate(complaint)
    if is_hr(user):
        notes = (
            await session.scalars(
                select(ComplaintNote)
                .where(ComplaintNote.complaint_id == complaint.id)
                .order_by(ComplaintNote.written_at, ComplaintNote.id)
            )
        ).all()
        read.notes = [NoteRead.model_validate(n) for n in notes]
    return read


async def _visible(session: AsyncSession, user: Principal, complaint_id: str) -> Complaint:
    complaint = await session.get(Complaint, complaint_id)
    # Anyone else is told nothing, not even that the complaint exists.
    if complaint is None or not (is_hr(user) or user.is_employee(complaint.filed_by)):
        raise NotFound("complaint", complaint_id)
    return complaint


def _require_hr(user: Principal) -> None:
    if not is_hr(user):
        raise Forbidden("this needs one of the roles: hr", slug="forbidden")


async def file(session: AsyncSession, user: Principal, data: ComplaintCreate) -> Complaint:
    """File a complaint as the caller's employee: ``hr.complaint_filed`` (no text, no names)."""
    if user.employee_id is None:
        raise Unprocessable(
            "your login is not linked to an employee, so it cannot file a complaint", slug="no-employee"
        )
    if data.against_employee_id is not None:
        if data.against_employee_id == user.employee_id:
            raise Unprocessable("a complaint cannot be against yourself", slug="against-self")
        await get_employee(session, data.against_employee_id)
    now = utcnow()
    complaint = Complaint(
        id=new_id(),
        filed_by=user.employee_id,
        against_kind=data.against_kind,
        against_employee_id=data.against_employee_id,
        against_description=data.against_description,
        withhold_name=data.withhold_name,
        summary=data.summary,
        details=data.details,
        status="filed",
        filed_at=now,
    )
    session.add(complaint)
    await session.flush()
    await emit(
        session,
        events.ComplaintFiled(complaint_id=complaint.id, against_kind=data.against_kind, filed_on=now.date()),
        subject=complaint.id,
    )
    return complaint


async def read(session: AsyncSession, user: Principal, complaint_id: str) -> ComplaintRead:
    """One complaint, for its filer and HR; anyone else is told it does not exist."""
    return await to_read(session, await _visible(session, user, complaint_id), user)


async def search(
    session: AsyncSession, user: Principal, *, status: str | None, mine: bool = False, limit: int, offset: int
) -> ComplaintPage:
    """HR sees every complaint (or, with ``mine``, those they filed); anyone else only those they filed."""
    conditions: list[ColumnElement[bool]] = []
    if mine or not is_hr(user):
        conditions.append(Complaint.filed_by == (user.employee_id or "-"))
    if status:
        conditions.append(Complaint.status == status)
    total = await session.scalar(select(func.count()).select_from(Complaint).where(*conditions))
    rows = (
        await session.scalars(
            select(Complaint)
            .where(*conditions)
            .order_by(Complaint.filed_at.desc(), Complaint.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return ComplaintPage(
        items=[await to_read(session, c, user) for c in rows], total=int(total or 0), limit=limit, offset=offset
    )


def _open(complaint: Complaint) -> None:
    if complaint.status in ("resolved", "unfounded"):
        raise Conflict(f"complaint {complaint.id} is closed ({complaint.status})", slug="complaint-closed")


def _bad_investigator(message: str, slug: str) -> Unprocessable:
    """A 422 naming the field, so a form shows it beside the investigator."""
    return Unprocessable(
        f"investigator_id: {message}",
        slug=slug,
        errors=[{"field": "body.investigator_id", "message": message, "type": slug.replace("-", "_")}],
    )


async def assign(
    session: AsyncSession, user: Principal, complaint_id: str, investigator_id: str, today: date
) -> Complaint:
    """HR assigns an investigator: an HR officer still employed, neither the filer nor the person complained about."""
    _require_hr(user)
    complaint = await _visible(session, user, complaint_id)
    _open(complaint)
    investigator = await session.get(Employee, investigator_id)
    if investigator is None:
        raise _bad_investigator(f"employee {investigator_id} does not exist", "unknown-investigator")
    if investigator_id in (complaint.filed_by, complaint.against_employee_id):
        raise _bad_investigator(
            "the investigator cannot be the filer or the person complained about", "conflicted-investigator"
        )
    # Complaints are confidential to the filer and HR: only an HR officer still employed investigates one.
    if "hr" not in investigator.roles.split() or effective_status(investigator, today) == "terminated":
        raise _bad_investigator(
            f"employee {investigator_id} is not an HR officer: assign someone with the hr role", "investigator-not-hr"
        )
    complaint.investigator_id = investigator_id
    complaint.status = "investigating"
    return complaint


async def add_note(session: AsyncSession, user: Principal, complaint_id: str, data: NoteCreate) -> Complaint:
    """HR adds an investigation note or piece of evidence to an open complaint."""
    _require_hr(user)
    complaint = await _visible(session, user, complaint_id)
    _open(complaint)
    session.add(
        ComplaintNote(
            id=new_id(),
            complaint_id=complaint.id,
            text=data.text,
            evidence_document_id=data.evidence_document_id,
            written_by=user.user_id,
            written_at=utcnow(),
        )
    )
    await session.flush()
    return complaint


async def close(session: AsyncSession, user: Principal, complaint_id: str, data: Closing) -> Complaint:
    """HR closes an investigated complaint as resolved or unfounded, with the outcome."""
    _require_hr(user)
    complaint = await _visible(session, user, complaint_id)
    _open(complaint)
    if complaint.investigator_id is None:
        raise Conflict("assign an investigator before closing the complaint", slug="not-investigated")
    complaint.status, complaint.outcome = data.status, data.outcome
    complaint.closed_at, complaint.closed_by = utcnow(), user.user_id
    return complaint
