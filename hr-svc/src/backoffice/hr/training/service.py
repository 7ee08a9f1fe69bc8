"""Training: courses mandatory for departments or positions, sessions, enrolments, completion with a
certificate that expires after the course's validity; new hires are enrolled in their mandatory courses;
reports of overdue and soon-to-expire training, and re-enrolment before a certificate expires."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backoffice.hr.employees.models import Employee
from backoffice.hr.training.models import Course, Enrolment, EnrolmentReason, TrainingSession
from backoffice.hr.training.schemas import (
    Completion,
    CourseCreate,
    CoursePage,
    CourseRead,
    EnrolmentCreate,
    EnrolmentPage,
    EnrolmentRead,
    SessionCreate,
    SessionPage,
    SessionRead,
    TrainingReport,
    TrainingState,
    TrainingStatusRow,
)
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.decimals import HUNDREDTH
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

OPEN = ("enrolled", "attended")
TAKING_A_PLACE = ("enrolled", "attended", "completed")  # of a session: only a cancellation frees it


def _hr(user: Principal) -> None:
    if not (user.is_admin or user.has_any("hr")):
        raise Forbidden("HR manages training", slug="forbidden")


def course_read(c: Course) -> CourseRead:
    """The course as answered, its duration as stored."""
    return CourseRead(
        id=c.id,
        title=c.title,
        mandatory_departments=json.loads(c.mandatory_departments),
        mandatory_positions=json.loads(c.mandatory_positions),
        duration_hours=c.duration_hours.quantize(HUNDREDTH),  # as stored: a create shows what a read does
        validity_months=c.validity_months,
    )


async def create_course(session: AsyncSession, user: Principal, body: CourseCreate) -> CourseRead:
    """HR adds a course."""
    _hr(user)
    course = Course(
        id=new_id(),
        title=body.title,
        mandatory_departments=json.dumps(body.mandatory_departments),
        mandatory_positions=json.dumps(body.mandatory_positions),
        duration_hours=body.duration_hours,
        validity_months=body.validity_months,
        created_at=utcnow(),
    )
    session.add(course)
    await session.flush()
    return course_read(course)


async def list_courses(session: AsyncSession, limit: int, offset: int) -> CoursePage:
    """Courses, by title."""
    rows, total = await fetch_page(session, select(Course).order_by(Course.title, Course.id), limit, offset)
    return CoursePage(items=[course_read(c) for c in rows], total=total, limit=limit, offset=offset)


async def read_course(session: AsyncSession, course_id: str) -> CourseRead:
    """One course."""
    return course_read(await get_or_404(session, Course, course_id))


async def add_session(session: AsyncSession, user: Principal, course_id: str, body: SessionCreate) -> SessionRead:
    """HR adds a session of a course."""
    _hr(user)
    await get_or_404(session, Course, course_id)
    row = TrainingSession(
        id=new_id(), course_id=course_id, starts_at=body.starts_at, location=body.location, capacity=body.capacity
    )
    session.add(row)
    await session.flush()
    return _session_read(row, 0)


def _session_read(row: TrainingSession, enrolled: int) -> SessionRead:
    return SessionRead(
        id=row.id,
        course_id=row.course_id,
        starts_at=row.starts_at,
        location=row.location,
        capacity=row.capacity,
        enrolled=enrolled,
    )


async def list_sessions(session: AsyncSession, course_id: str, limit: int, offset: int) -> SessionPage:
    """A course's sessions by start time, with the places taken."""
    await get_or_404(session, Course, course_id)
    taken = dict(
        (
            await session.execute(
                select(Enrolment.session_id, func.count())
                .join(TrainingSession, TrainingSession.id == Enrolment.session_id)
                .where(TrainingSession.course_id == course_id, Enrolment.status.in_(TAKING_A_PLACE))
                .group_by(Enrolment.session_id)
            )
        ).all()
    )
    query = (
        select(TrainingSession)
        .where(TrainingSession.course_id == course_id)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    )
    rows, total = await fetch_page(session, query, limit, offset)
    items = [_session_read(r, int(taken.get(r.id, 0))) for r in rows]
    return SessionPage(items=items, total=total, limit=limit, offset=offset)


def mandatory_for(course: Course, employee: Employee) -> bool:
    """Whether ``course`` is mandatory for ``employee`` (everyone, their department, or their position)."""
    departments = json.loads(course.mandatory_departments)
    return (
        "*" in departments
        or employee.department_id in departments
        or (employee.position is not None and employee.position in json.loads(course.mandatory_positions))
    )


def _enrolment(course: Course, employee_id: str, reason: EnrolmentReason, session_id: str | None = None) -> Enrolment:
    return Enrolment(
        id=new_id(),
        course_id=course.id,
        employee_id=employee_id,
        session_id=session_id,
        status="enrolled",
        reason=reason,
        enrolled_at=utcnow(),
    )


async def enrol_new_hire(session: AsyncSession, employee: Employee) -> None:
    """In the hire's own transaction: every mandatory course of the department or position."""
    courses = [c for c in await session.scalars(select(Course)) if mandatory_for(c, employee)]
    session.add_all(_enrolment(c, employee.id, "hire") for c in courses)


async def enrol(
    session: AsyncSession, user: Principal, course_id: str, body: EnrolmentCreate, employee: Employee, today: date
) -> Enrolment:
    """HR enrols an employee still employed in a course (and a session with a free place), when not enrolled yet."""
    _hr(user)
    course = await get_or_404(session, Course, course_id)
    if employee.end_date is not None and employee.end_date <= today:
        raise Conflict(f"employee {employee.id} left on {employee.end_date}: no training", slug="terminated")
    if body.session_id is not None:
        slot = await session.scalar(
            select(TrainingSession).where(TrainingSession.id == body.session_id).with_for_update()
        )
        if slot is None or slot.course_id != course.id:
            raise NotFound("session of this course", body.session_id)
        taken = await session.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(Enrolment.session_id == slot.id, Enrolment.status.in_(TAKING_A_PLACE))
        )
        if (taken or 0) >= slot.capacity:
            raise Conflict(f"the session is full ({slot.capacity} places)", slug="session-full")
    if await session.scalar(
        select(Enrolment.id).where(
            Enrolment.employee_id == employee.id, Enrolment.course_id == course.id, Enrolment.status.in_(OPEN)
        )
    ):
        raise Conflict("the employee is enrolled in this course already", slug="enrolled")
    row = _enrolment(course, employee.id, "request", body.session_id)
    session.add(row)
    await session.flush()
    return row


async def cancel_on_termination(session: AsyncSession, employee: Employee, effective_date: date) -> None:
    """Someone who leaves takes no more training: their open enrolments are cancelled."""
    await session.execute(
        update(Enrolment)
        .where(Enrolment.employee_id == employee.id, Enrolment.status.in_(OPEN))
        .values(status="cancelled")
    )


async def attend(session: AsyncSession, user: Principal, enrolment_id: str) -> Enrolment:
    """HR records that the enrolled employee attended."""
    _hr(user)
    row = await get_or_404(session, Enrolment, enrolment_id, lock=True)
    if row.status != "enrolled":
        raise Conflict(f"the enrolment is {row.status}", slug="enrolment-state")
    row.status = "attended"
    return row


async def complete(
    session: AsyncSession, user: Principal, enrolment_id: str, body: Completion, zone: ZoneInfo
) -> Enrolment:
    """Record a completion, on a day that can be true: not in the future, not before the person started, not
    before the session they took."""
    _hr(user)
    row = await get_or_404(session, Enrolment, enrolment_id, lock=True)
    if row.status not in OPEN:
        raise Conflict(f"the enrolment is {row.status}", slug="enrolment-state")
    if body.completed_on > datetime.now(zone).date():
        raise Unprocessable(f"completed_on {body.completed_on} is in the future", slug="future-date")
    employee = await session.get(Employee, row.employee_id)
    if employee is not None and body.completed_on < employee.start_date:
        raise Unprocessable(
            f"completed_on {body.completed_on} is before the employee started ({employee.start_date})",
            slug="before-employment",
        )
    if row.session_id is not None:
        taken = await session.get(TrainingSession, row.session_id)
        if taken is not None and body.completed_on < taken.starts_at.astimezone(zone).date():
            raise Unprocessable(
                f"completed_on {body.completed_on} is before the session took place "
                f"({taken.starts_at.astimezone(zone).date()})",
                slug="before-session",
            )
    course = await get_or_404(session, Course, row.course_id)
    row.status, row.completed_on, row.score = "completed", body.completed_on, body.score
    row.certificate_document_id = body.certificate_document_id
    row.expires_on = body.completed_on + relativedelta(months=course.validity_months)
    return row


async def reads(session: AsyncSession, rows: list[Enrolment]) -> list[EnrolmentRead]:
    """The answers for these enrolments, with their course titles."""
    titles = dict((await session.execute(select(Course.id, Course.title))).all())
    return [
        EnrolmentRead(
            id=e.id,
            course_id=e.course_id,
            course_title=titles[e.course_id],
            employee_id=e.employee_id,
            session_id=e.session_id,
            status=e.status,
            reason=e.reason,
            score=e.score,
            certificate_document_id=e.certificate_document_id,
            completed_on=e.completed_on,
            expires_on=e.expires_on,
        )
        for e in rows
    ]


async def employee_enrolments(
    session: AsyncSession, user: Principal, employee: Employee, limit: int, offset: int
) -> EnrolmentPage:
    """Someone's training, the latest enrolment first."""
    ensure_access(
        user,
        owner_employee_id=employee.id,
        roles=("hr",),
        manager_of=[employee.manager_id],
        what=f"the training of {employee.id}",
    )
    query = (
        select(Enrolment)
        .where(Enrolment.employee_id == employee.id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return EnrolmentPage(items=await reads(session, list(rows)), total=total, limit=limit, offset=offset)


async def course_enrolments(
    session: AsyncSession,
    user: Principal,
    course_id: str,
    session_id: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> EnrolmentPage:
    """A course's enrolments (or one session's), the latest first: HR's, to record attendance and completion."""
    _hr(user)
    await get_or_404(session, Course, course_id)
    query = (
        select(Enrolment)
        .where(Enrolment.course_id == course_id)
        .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
    )
    if session_id is not None:
        query = query.where(Enrolment.session_id == session_id)
    if status is not None:
        query = query.where(Enrolment.status == status)
    rows, total = await fetch_page(session, query, limit, offset)
    return EnrolmentPage(items=await reads(session, list(rows)), total=total, limit=limit, offset=offset)


async def _status(
    session: AsyncSession, as_of: date, within_days: int, department_id: str | None
) -> list[tuple[Employee, Course, TrainingState, date | None]]:
    """(employee, course, overdue|expiring, expires_on) for every mandatory course not valid long enough."""
    query = select(Employee).where(
        Employee.start_date <= as_of, or_(Employee.end_date.is_(None), Employee.end_date > as_of)
    )
    if department_id is not None:
        query = query.where(Employee.department_id == department_id)
    employees = list(await session.scalars(query.order_by(Employee.family_name, Employee.id)))
    courses = list(await session.scalars(select(Course).order_by(Course.title)))
    valid: dict[tuple[str, str], date] = {}
    for employee_id, course_id, expires in await session.execute(
        select(Enrolment.employee_id, Enrolment.course_id, func.max(Enrolment.expires_on))
        .where(Enrolment.status == "completed", Enrolment.completed_on <= as_of)
        .group_by(Enrolment.employee_id, Enrolment.course_id)
    ):
        if expires is not None:
            valid[(employee_id, course_id)] = expires
    horizon = as_of + timedelta(days=within_days)
    out: list[tuple[Employee, Course, TrainingState, date | None]] = []
    for employee in employees:
        for course in courses:
            if not mandatory_for(course, employee):
                continue
            expires = valid.get((employee.id, course.id))
            if expires is None or expires <= as_of:
                out.append((employee, course, "overdue", expires))
            elif expires <= horizon:
                out.append((employee, course, "expiring", expires))
    return out


async def report(
    session: AsyncSession, user: Principal, as_of: date, within_days: int, department_id: str | None
) -> TrainingReport:
    """HR's report of mandatory training overdue or expiring within ``within_days`` of ``as_of``."""
    _hr(user)
    rows = [
        TrainingStatusRow(
            employee_id=e.id,
            employee_name=f"{e.given_name} {e.family_name}",
            department_id=e.department_id,
            course_id=c.id,
            course_title=c.title,
            state=state,
            expires_on=expires,
        )
        for e, c, state, expires in await _status(session, as_of, within_days, department_id)
    ]
    return TrainingReport(as_of=as_of, within_days=within_days, rows=rows)


async def renew(
    session: AsyncSession, user: Principal, as_of: date, within_days: int, today: date
) -> list[EnrolmentRead]:
    """Enrol everyone whose mandatory certificate expires within ``within_days`` of ``as_of`` (or has expired)
    and who is not enrolled yet: re-enrolment before expiry. Nobody who has left by ``today`` (the day the
    enrolments are made) is enrolled, whatever ``as_of``, nor anyone leaving before their certificate expires."""
    _hr(user)
    open_enrolments = set(
        (await session.execute(select(Enrolment.employee_id, Enrolment.course_id).where(Enrolment.status.in_(OPEN))))
        .tuples()
        .all()
    )
    made = []
    for employee, course, _, expires in await _status(session, as_of, within_days, None):
        if expires is None or (employee.id, course.id) in open_enrolments:
            continue  # never trained: enrolled on hire or by hand, not a renewal
        if employee.end_date is not None and (employee.end_date <= today or employee.end_date <= expires):
            continue  # left already (as enrol refuses), or gone before the certificate lapses
        row = _enrolment(course, employee.id, "renewal")
        session.add(row)
        made.append(row)
    await session.flush()
    return await reads(session, made)
