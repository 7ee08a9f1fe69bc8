"""``/timesheets``: an employee's weeks, submitted to payroll."""

from __future__ import annotations

from typing import Annotated

from backoffice.hr.timesheets import service
from backoffice.hr.timesheets.models import TimesheetStatus
from backoffice.hr.timesheets.schemas import EntriesUpdate, TimesheetCreate, TimesheetPage, TimesheetRead
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Query

router = APIRouter(prefix="/timesheets", tags=["timesheets"])


@router.post(
    "",
    response_model=TimesheetRead,
    status_code=201,
    summary="Open a week's timesheet",
    description="Also checked, beyond what the schema says: employee_id is needed when the login has no employee.",
)
async def create(body: TimesheetCreate, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    sheet = await service.create(session, user, body.week_start, body.employee_id)
    return await service.to_read(session, sheet)


@router.get("", response_model=TimesheetPage, summary="Timesheets you may see")
async def search(
    user: CurrentUser,
    session: SessionDep,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    week_start: IsoDate | None = None,
    status: TimesheetStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> TimesheetPage:
    return await service.search(
        session, user, employee_id=employee_id, week_start=week_start, status=status, limit=limit, offset=offset
    )


@router.get("/{timesheet_id}", response_model=TimesheetRead, summary="One timesheet (any version)")
async def read(timesheet_id: str, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    return await service.read(session, user, timesheet_id)


@router.put("/{timesheet_id}/entries", response_model=TimesheetRead, summary="Replace a draft's entries")
async def set_entries(timesheet_id: str, body: EntriesUpdate, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    sheet = await service.set_entries(session, user, timesheet_id, body.entries)
    return await service.to_read(session, sheet)


@router.post("/{timesheet_id}/submit", response_model=TimesheetRead, summary="Submit a draft to payroll")
async def submit(timesheet_id: str, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    sheet = await service.submit(session, user, timesheet_id)
    return await service.to_read(session, sheet)


@router.post(
    "/{timesheet_id}/correction",
    response_model=TimesheetRead,
    status_code=201,
    summary="Start a corrected version of a rejected timesheet",
)
async def correct(timesheet_id: str, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    sheet = await service.correct(session, user, timesheet_id)
    return await service.to_read(session, sheet)
