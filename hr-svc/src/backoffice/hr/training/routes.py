"""``/courses``, ``/enrolments``, ``/training``: training and certificates."""

from __future__ import annotations

from typing import Annotated

from backoffice.hr.employees.service import get_employee
from backoffice.hr.training import service
from backoffice.hr.training.models import EnrolmentStatus
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
)
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday, CompanyZone
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query

router = APIRouter(tags=["training"])


@router.post("/courses", response_model=CourseRead, status_code=201, summary="Add a course")
async def create_course(body: CourseCreate, user: CurrentUser, session: SessionDep) -> CourseRead:
    return await service.create_course(session, user, body)


@router.get("/courses", response_model=CoursePage, summary="Courses, by title")
async def list_courses(_: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> CoursePage:
    return await service.list_courses(session, limit, offset)


@router.get("/courses/{course_id}", response_model=CourseRead, summary="One course")
async def read_course(course_id: str, _: CurrentUser, session: SessionDep) -> CourseRead:
    return await service.read_course(session, course_id)


@router.post("/courses/{course_id}/sessions", response_model=SessionRead, status_code=201, summary="A session")
async def add_session(course_id: str, body: SessionCreate, user: CurrentUser, session: SessionDep) -> SessionRead:
    return await service.add_session(session, user, course_id, body)


@router.get("/courses/{course_id}/sessions", response_model=SessionPage, summary="Its sessions by start, places taken")
async def list_sessions(
    course_id: str, _: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> SessionPage:
    return await service.list_sessions(session, course_id, limit, offset)


@router.post("/courses/{course_id}/enrolments", response_model=EnrolmentRead, status_code=201, summary="Enrol")
async def enrol(
    course_id: str, body: EnrolmentCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> EnrolmentRead:
    employee = await get_employee(session, body.employee_id)
    row = await service.enrol(session, user, course_id, body, employee, today)
    return (await service.reads(session, [row]))[0]


@router.get(
    "/courses/{course_id}/enrolments",
    response_model=EnrolmentPage,
    summary="Who is enrolled (HR), newest first",
)
async def course_enrolments(
    course_id: str,
    user: CurrentUser,
    session: SessionDep,
    session_id: Annotated[str | None, Query(max_length=64, description="only this session's")] = None,
    status: EnrolmentStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> EnrolmentPage:
    return await service.course_enrolments(session, user, course_id, session_id, status, limit, offset)


@router.post("/enrolments/{enrolment_id}/attendance", response_model=EnrolmentRead, summary="Attended")
async def attend(enrolment_id: str, user: CurrentUser, session: SessionDep) -> EnrolmentRead:
    return (await service.reads(session, [await service.attend(session, user, enrolment_id)]))[0]


@router.post("/enrolments/{enrolment_id}/completion", response_model=EnrolmentRead, summary="Completed")
async def complete(
    enrolment_id: str, body: Completion, user: CurrentUser, session: SessionDep, zone: CompanyZone
) -> EnrolmentRead:
    return (await service.reads(session, [await service.complete(session, user, enrolment_id, body, zone)]))[0]


@router.get("/employees/{employee_id}/training", response_model=EnrolmentPage, summary="Their training, newest first")
async def employee_training(
    employee_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> EnrolmentPage:
    employee = await get_employee(session, employee_id)
    return await service.employee_enrolments(session, user, employee, limit, offset)


@router.get("/training/report", response_model=TrainingReport, summary="Overdue and soon-to-expire training")
async def report(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    as_of: IsoDate | None = None,
    within_days: Annotated[int, Query(ge=0, le=365)] = 60,
    department_id: Annotated[str | None, Query(max_length=64)] = None,
) -> TrainingReport:
    return await service.report(session, user, as_of or today, within_days, department_id)


@router.post("/training/renewals", response_model=list[EnrolmentRead], summary="Re-enrol before expiry")
async def renew(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    as_of: IsoDate | None = None,
    within_days: Annotated[int, Query(ge=0, le=365)] = 60,
) -> list[EnrolmentRead]:
    return await service.renew(session, user, as_of or today, within_days, today)
