"""The staff directory: who works here, in which department, on which extension, and whether they can take a
call now. HR's events keep it; the office sets extensions; staff set their own availability."""

from __future__ import annotations

from datetime import date

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.schemas import (
    AvailabilityUpdate,
    ExtensionUpdate,
    StaffBrief,
    StaffBriefPage,
    StaffPage,
    StaffRead,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated, EmployeeUpdated
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

# Compared with employee ids for a login that is no employee's: ids are never empty, so it matches nothing.
NO_EMPLOYEE = ""


def to_read(member: StaffMember, today: date) -> StaffRead:
    """The staff member as the directory shows them on ``today`` (still here or not)."""
    return StaffRead(
        employee_id=member.employee_id,
        name=member.name,
        email=member.email,
        department=member.department,
        position=member.position,
        manager_id=member.manager_id,
        extension=member.extension,
        availability=member.availability,
        availability_note=member.availability_note,
        start_date=member.starts_on,
        end_date=member.leaves_on,
        starts_on=member.starts_on,
        leaves_on=member.leaves_on,
        active=member.is_active(today),
    )


async def get_member(session: AsyncSession, employee_id: str, *, what: str = "staff member") -> StaffMember:
    """The person in the directory (who may have left); a 404 naming ``what`` they were looked up as."""
    return await get_or_404(session, StaffMember, employee_id, what=f"{what} (employee)")


async def active_member(session: AsyncSession, employee_id: str, today: date, *, what: str) -> StaffMember:
    """A person in the directory who still works here; a 404 names the unknown, a 409 the departed."""
    member = await get_member(session, employee_id, what=what)
    if not member.is_active(today):
        raise Conflict(f"{member.name} ({employee_id}) left on {member.leaves_on}", slug="staff-left")
    return member


class StaffNotYetKnownError(RuntimeError):
    """An event about someone whose hire has not arrived yet: retried (HR's events travel on separate consumers,
    so a termination may overtake its hire)."""


async def on_hired(session: AsyncSession, data: EmployeeHired) -> StaffMember:
    """Adds or refreshes the hired person's entry (a rehire after leaving starts again) and returns it."""
    member = await session.get(StaffMember, data.employee_id)
    if member is None:
        member = StaffMember(employee_id=data.employee_id, availability="available", extension=None)
        session.add(member)
    member.given_name, member.family_name, member.email = data.given_name, data.family_name, str(data.email)
    member.department, member.position, member.manager_id = data.department, data.position, data.manager_id
    if member.leaves_on is None or data.start_date > member.leaves_on:  # a rehire after leaving
        member.starts_on, member.leaves_on = data.start_date, None
    member.updated_at = utcnow()
    await session.flush()
    return member


async def on_updated(session: AsyncSession, data: EmployeeUpdated) -> None:
    """Brings the person's entry up to date; someone hired before this service existed is added."""
    member = await session.get(StaffMember, data.employee_id)
    if member is None:
        # Hired before this service existed: the update carries the whole record.
        member = StaffMember(
            employee_id=data.employee_id, availability="available", starts_on=data.effective_date, extension=None
        )
        session.add(member)
    member.given_name, member.family_name, member.email = data.given_name, data.family_name, str(data.email)
    member.department, member.position, member.manager_id = data.department, data.position, data.manager_id
    member.updated_at = utcnow()


async def on_terminated(session: AsyncSession, data: EmployeeTerminated) -> StaffMember:
    """Records the person's last day; an event about someone not yet in the directory is retried."""
    member = await session.get(StaffMember, data.employee_id)
    if member is None:
        raise StaffNotYetKnownError(f"employee {data.employee_id} is not in the directory yet")
    member.leaves_on, member.updated_at = data.effective_date, utcnow()
    return member


async def search(
    session: AsyncSession,
    today: date,
    *,
    q: str | None,
    department: str | None,
    include_former: bool,
    limit: int,
    offset: int,
) -> StaffPage:
    """Staff by part of a name, e-mail or department, or an extension (or its first digits), and department; people
    who left only on request."""
    conditions = []
    if q:
        like = f"%{q.lower()}%"
        conditions.append(
            or_(
                func.lower(StaffMember.given_name + " " + StaffMember.family_name).like(like),
                StaffMember.extension.like(f"{q}%") if q.isdigit() else StaffMember.extension == q,
                func.lower(StaffMember.email).like(like),
                func.lower(StaffMember.department).like(like),
            )
        )
    if department:
        conditions.append(StaffMember.department == department)
    if not include_former:
        conditions.append(or_(StaffMember.leaves_on.is_(None), StaffMember.leaves_on > today))
    total = await session.scalar(select(func.count()).select_from(StaffMember).where(*conditions)) or 0
    rows = await session.scalars(
        select(StaffMember)
        .where(*conditions)
        .order_by(StaffMember.family_name, StaffMember.given_name, StaffMember.employee_id)
        .limit(limit)
        .offset(offset)
    )
    return StaffPage(items=[to_read(m, today) for m in rows], total=total, limit=limit, offset=offset)


async def everyone(session: AsyncSession, today: date, *, limit: int, offset: int) -> StaffBriefPage:
    """Everyone still here, in a compact form and pages of up to 1,000 (the switchboard loads all of it and
    searches it as the receptionist types): read as plain columns, not as records, so pages answer quickly."""
    here = or_(StaffMember.leaves_on.is_(None), StaffMember.leaves_on > today)
    total = await session.scalar(select(func.count()).select_from(StaffMember).where(here)) or 0
    rows = await session.execute(
        select(
            StaffMember.employee_id,
            StaffMember.given_name,
            StaffMember.family_name,
            StaffMember.email,
            StaffMember.department,
            StaffMember.position,
            StaffMember.extension,
            StaffMember.availability,
            StaffMember.availability_note,
        )
        .where(here)
        .order_by(StaffMember.family_name, StaffMember.given_name, StaffMember.employee_id)
        .limit(limit)
        .offset(offset)
    )
    items = [
        StaffBrief.model_construct(
            employee_id=r.employee_id,
            name=f"{r.given_name} {r.family_name}",
            email=r.email,
            department=r.department,
            position=r.position,
            extension=r.extension,
            availability=r.availability,
            availability_note=r.availability_note,
        )
        for r in rows
    ]
    return StaffBriefPage(items=items, total=total, limit=limit, offset=offset)


async def set_extension(
    session: AsyncSession, user: Principal, employee_id: str, body: ExtensionUpdate, today: date
) -> StaffRead:
    """Gives the person an extension, or takes it (the office); an extension someone else has is a 409."""
    if not (user.is_admin or user.has_any("office")):
        raise Forbidden("the office assigns extensions", slug="forbidden")
    member = await get_member(session, employee_id)
    if body.extension is not None:
        holder = await session.scalar(select(StaffMember).where(StaffMember.extension == body.extension))
        if holder is not None and holder.employee_id != employee_id:
            raise Conflict(f"extension {body.extension} belongs to {holder.name}", slug="extension-taken")
    member.extension, member.updated_at = body.extension, utcnow()
    await flush_or_conflict(
        session, f"extension {body.extension} was just given to someone else", slug="extension-taken"
    )
    return to_read(member, today)


async def set_availability(
    session: AsyncSession, user: Principal, employee_id: str, body: AvailabilityUpdate, today: date
) -> StaffRead:
    """Sets whether the person takes calls now, by themselves or the office; someone who left is a 409."""
    if not (user.is_admin or user.has_any("office") or user.is_employee(employee_id)):
        raise Forbidden("only the person or the office changes their availability", slug="forbidden")
    member = await active_member(session, employee_id, today, what="staff member")
    member.availability, member.availability_note, member.updated_at = body.availability, body.note, utcnow()
    return to_read(member, today)
