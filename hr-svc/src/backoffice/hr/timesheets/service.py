"""Weekly timesheets: fill in, submit (``hr.hours_submitted``), payroll's verdict, corrections."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from backoffice.hr.employees.models import Employee
from backoffice.hr.employees.service import get_employee
from backoffice.hr.events import emit
from backoffice.hr.timesheets.models import Timesheet, TimesheetEntry
from backoffice.hr.timesheets.schemas import EntryCreate, FindingRead, TimesheetPage, TimesheetRead
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.bus import Envelope, PermanentEventError
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.decimals import HUNDREDTH
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.events import hr as events
from backoffice.shared.events.payroll import HoursRejected, HoursVerified
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

READERS = ("hr", "payroll")


async def _entries(session: AsyncSession, timesheet_id: str) -> list[TimesheetEntry]:
    return list(
        (
            await session.scalars(
                select(TimesheetEntry)
                .where(TimesheetEntry.timesheet_id == timesheet_id)
                .order_by(TimesheetEntry.day, TimesheetEntry.kind)
            )
        ).all()
    )


async def to_read(session: AsyncSession, sheet: Timesheet) -> TimesheetRead:
    """The timesheet with its entries, total hours and payroll's findings."""
    entries = await _entries(session, sheet.id)
    return TimesheetRead(
        id=sheet.id,
        employee_id=sheet.employee_id,
        week_start=sheet.week_start,
        version=sheet.version,
        status=sheet.status,
        supersedes_id=sheet.supersedes_id,
        entries=[EntryCreate(day=e.day, hours=e.hours.quantize(HUNDREDTH), kind=e.kind, note=e.note) for e in entries],
        total_hours=sum((e.hours for e in entries), Decimal("0")),
        submitted_at=sheet.submitted_at,
        decided_at=sheet.decided_at,
        decision_reason=sheet.decision_reason,
        findings=[FindingRead.model_validate(f) for f in json.loads(sheet.findings or "[]")],
    )


async def _readable(session: AsyncSession, user: Principal, sheet: Timesheet) -> None:
    employee = await get_employee(session, sheet.employee_id)
    ensure_access(
        user,
        owner_employee_id=employee.id,
        roles=READERS,
        manager_of=[employee.manager_id],
        what=f"timesheet {sheet.id}",
    )


def _writable(user: Principal, sheet: Timesheet) -> None:
    if not (user.is_employee(sheet.employee_id) or user.is_admin or user.has_any("hr")):
        raise Forbidden("only the employee (or HR) may change this timesheet", slug="forbidden")
    if sheet.status != "draft":
        raise Conflict(
            f"timesheet {sheet.id} is {sheet.status} and cannot be edited; "
            "a rejected one can be corrected as a new version",
            slug="timesheet-locked",
        )


async def read(session: AsyncSession, user: Principal, timesheet_id: str) -> TimesheetRead:
    """One timesheet, for those who may see the employee's."""
    sheet = await get_or_404(session, Timesheet, timesheet_id)
    await _readable(session, user, sheet)
    return await to_read(session, sheet)


async def create(session: AsyncSession, user: Principal, week_start: date, employee_id: str | None) -> Timesheet:
    """A draft for a week (version 1). Employees open their own; HR may open anyone's."""
    target = employee_id or user.employee_id
    if target is None:
        raise Unprocessable("your login is not linked to an employee: give employee_id", slug="no-employee")
    if target != user.employee_id and not (user.is_admin or user.has_any("hr")):
        raise Forbidden("you may only open your own timesheets", slug="forbidden")
    if week_start.weekday() != 0:
        raise Unprocessable(
            f"week_start {week_start} is a {week_start.strftime('%A')}: give the Monday", slug="not-a-monday"
        )
    employee = await get_employee(session, target)
    _within_employment(employee, week_start, week_start + timedelta(days=6), whole=False)
    if await session.scalar(
        select(Timesheet.id).where(Timesheet.employee_id == target, Timesheet.week_start == week_start)
    ):
        raise Conflict(
            f"a timesheet for the week of {week_start} exists already; correct it instead", slug="timesheet-exists"
        )
    return await _new_version(session, user, target, week_start, 1, None)


async def _new_version(
    session: AsyncSession, user: Principal, employee_id: str, week_start: date, version: int, supersedes: str | None
) -> Timesheet:
    now = utcnow()
    sheet = Timesheet(
        id=new_id(),
        employee_id=employee_id,
        week_start=week_start,
        version=version,
        status="draft",
        supersedes_id=supersedes,
        created_at=now,
        updated_at=now,
        updated_by=user.user_id,
    )
    session.add(sheet)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"version {version} of this week exists already", slug="timesheet-exists") from None
    return sheet


def _within_employment(employee: Employee, first: date, last: date, *, whole: bool) -> None:
    starts, ends = employee.start_date, employee.end_date
    if whole:
        if first < starts:
            raise Unprocessable(f"{first} is before the employment started ({starts})", slug="outside-employment")
        if ends is not None and last > ends:
            raise Unprocessable(f"{last} is after the employment ended ({ends})", slug="outside-employment")
    elif last < starts or (ends is not None and first > ends):
        raise Unprocessable(
            f"the week of {first} is outside the employment ({starts} to {ends or 'now'})",
            slug="outside-employment",
        )


async def set_entries(
    session: AsyncSession, user: Principal, timesheet_id: str, entries: list[EntryCreate]
) -> Timesheet:
    """Replace a draft's entries, checking each rule; nothing is written if one fails."""
    sheet = await get_or_404(session, Timesheet, timesheet_id)
    await _readable(session, user, sheet)
    _writable(user, sheet)
    employee = await get_employee(session, sheet.employee_id)
    week_end = sheet.week_start + timedelta(days=6)
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if entry.hours < 0:
            raise Unprocessable(f"{where}.hours: {entry.hours} is negative", slug="invalid-hours")
        if not sheet.week_start <= entry.day <= week_end:
            raise Unprocessable(
                f"{where}.day: {entry.day} is outside the week {sheet.week_start} to {week_end}",
                slug="outside-week",
            )
        _within_employment(employee, entry.day, entry.day, whole=True)
        per_day[entry.day] += entry.hours
        if per_day[entry.day] > 24:
            raise Unprocessable(
                f"{where}: {entry.day} would have {per_day[entry.day]} hours, more than 24", slug="invalid-hours"
            )
    await session.execute(delete(TimesheetEntry).where(TimesheetEntry.timesheet_id == sheet.id))
    for entry in entries:
        session.add(
            TimesheetEntry(
                id=new_id(), timesheet_id=sheet.id, day=entry.day, hours=entry.hours, kind=entry.kind, note=entry.note
            )
        )
    sheet.updated_at = utcnow()
    sheet.updated_by = user.user_id
    await session.flush()
    return sheet


async def submit(session: AsyncSession, user: Principal, timesheet_id: str) -> Timesheet:
    """Lock the draft and send it to payroll (``hr.hours_submitted`` with every entry)."""
    sheet = await get_or_404(session, Timesheet, timesheet_id)
    await _readable(session, user, sheet)
    _writable(user, sheet)
    entries = await _entries(session, sheet.id)
    if not entries:
        raise Unprocessable("the timesheet has no entries: add the week's hours first", slug="empty-timesheet")
    now = utcnow()
    sheet.status, sheet.submitted_at, sheet.updated_at, sheet.updated_by = "submitted", now, now, user.user_id
    await emit(
        session,
        events.HoursSubmitted(
            timesheet_id=sheet.id,
            employee_id=sheet.employee_id,
            week_start=sheet.week_start,
            version=sheet.version,
            entries=[
                events.TimeEntry.model_validate({"day": e.day, "hours": e.hours, "kind": e.kind, "note": e.note})
                for e in entries
            ],
            total_hours=sum((e.hours for e in entries), Decimal("0")),
        ),
        subject=sheet.employee_id,
    )
    return sheet


async def correct(session: AsyncSession, user: Principal, timesheet_id: str) -> Timesheet:
    """A new draft version of a rejected timesheet, with its entries copied; the old one stays readable."""
    sheet = await get_or_404(session, Timesheet, timesheet_id)
    await _readable(session, user, sheet)
    if not (user.is_employee(sheet.employee_id) or user.is_admin or user.has_any("hr")):
        raise Forbidden("only the employee (or HR) may correct this timesheet", slug="forbidden")
    if sheet.status != "rejected":
        raise Conflict(f"only a rejected timesheet can be corrected; this one is {sheet.status}", slug="not-rejected")
    latest = await session.scalar(
        select(func.max(Timesheet.version)).where(
            Timesheet.employee_id == sheet.employee_id, Timesheet.week_start == sheet.week_start
        )
    )
    if latest != sheet.version:
        raise Conflict(f"version {latest} of this week exists already: correct that one", slug="not-latest")
    new = await _new_version(session, user, sheet.employee_id, sheet.week_start, sheet.version + 1, sheet.id)
    for entry in await _entries(session, sheet.id):
        session.add(
            TimesheetEntry(
                id=new_id(), timesheet_id=new.id, day=entry.day, hours=entry.hours, kind=entry.kind, note=entry.note
            )
        )
    await session.flush()
    return new


async def search(
    session: AsyncSession,
    user: Principal,
    *,
    employee_id: str | None,
    week_start: date | None,
    status: str | None,
    limit: int,
    offset: int,
) -> TimesheetPage:
    """Timesheets the caller may see (HR, payroll: all; a manager: their reports' and their own; anyone else: their
    own), the latest week first."""
    conditions: list[ColumnElement[bool]] = []
    if not (user.is_admin or user.has_any(*READERS)):
        if user.employee_id is None:
            return TimesheetPage(items=[], total=0, limit=limit, offset=offset)
        visible = select(Employee.id).where(
            (Employee.id == user.employee_id)
            | (Employee.manager_id == user.employee_id if user.has_any("manager") else Employee.id == user.employee_id)
        )
        conditions.append(Timesheet.employee_id.in_(visible))
    if employee_id:
        conditions.append(Timesheet.employee_id == employee_id)
    if week_start:
        conditions.append(Timesheet.week_start == week_start)
    if status:
        conditions.append(Timesheet.status == status)
    total = await session.scalar(select(func.count()).select_from(Timesheet).where(*conditions))
    rows = (
        await session.scalars(
            select(Timesheet)
            .where(*conditions)
            .order_by(Timesheet.week_start.desc(), Timesheet.employee_id, Timesheet.version.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return TimesheetPage(
        items=[await to_read(session, s) for s in rows], total=int(total or 0), limit=limit, offset=offset
    )


async def record_verdict(
    session: AsyncSession, timesheet_id: str, *, verified: bool, reason: str | None, findings: list[dict[str, object]]
) -> None:
    """Payroll's answer (``payroll.hours_verified`` / ``payroll.hours_rejected``) shown on the timesheet."""
    sheet = await session.get(Timesheet, timesheet_id)
    if sheet is None:
        raise PermanentEventError(f"timesheet {timesheet_id} does not exist in HR")
    if sheet.status not in ("submitted",):
        return  # a verdict on a timesheet already decided: the first one stands
    now = utcnow()
    sheet.status = "verified" if verified else "rejected"
    sheet.decided_at, sheet.updated_at, sheet.updated_by = now, now, "payroll"
    sheet.decision_reason = reason
    sheet.findings = json.dumps(findings, default=str)


async def on_verified(session: AsyncSession, envelope: Envelope, data: HoursVerified) -> None:
    """Payroll verified the hours: the timesheet becomes verified, with the findings."""
    await record_verdict(
        session,
        data.timesheet_id,
        verified=True,
        reason=None,
        findings=[f.model_dump(mode="json") for f in data.findings],
    )


async def on_rejected(session: AsyncSession, envelope: Envelope, data: HoursRejected) -> None:
    """Payroll rejected the hours: the timesheet becomes rejected, with the reason and findings."""
    await record_verdict(
        session,
        data.timesheet_id,
        verified=False,
        reason=data.reason,
        findings=[f.model_dump(mode="json") for f in data.findings],
    )
