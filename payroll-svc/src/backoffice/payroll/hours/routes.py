"""``/timesheets``: submitted weeks with their findings; a payroll clerk approves or rejects them."""

from __future__ import annotations

from typing import Annotated, Literal

from backoffice.payroll.hours import service
from backoffice.payroll.hours.schemas import Decision, DecisionResult, Rejection, TimesheetPage, TimesheetRead
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(prefix="/timesheets", tags=["hours verification"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.get(
    "", response_model=TimesheetPage, summary="Submitted timesheets (pending first; an employee sees only their own)"
)
async def search(
    user: CurrentUser,
    session: SessionDep,
    status: Literal["pending", "approved", "rejected"] | None = None,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    week_start: IsoDate | None = None,
    department: Annotated[
        str | None, Query(max_length=200, description="the employee's department now, by name (any case)")
    ] = None,
    finding: Annotated[
        str | None, Query(max_length=40, pattern=r"^[a-z_]+$", description="weeks with this finding (its code)")
    ] = None,
    name: Annotated[
        str | None, Query(max_length=200, description="a part of the employee's name or id, any case")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> TimesheetPage:
    return await name_actors(
        session,
        await service.search(
            session,
            user,
            status=status,
            employee_id=employee_id,
            week_start=week_start,
            department=department,
            finding=finding,
            name=name,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/{timesheet_id}", response_model=TimesheetRead, summary="One timesheet with findings and hours")
async def read(timesheet_id: str, user: CurrentUser, session: SessionDep) -> TimesheetRead:
    return await name_actors(session, await service.read(session, user, timesheet_id))


@router.post("/{timesheet_id}/approve", response_model=TimesheetRead, summary="Approve the hours (they get paid)")
async def approve(timesheet_id: str, user: Clerk, session: SessionDep) -> TimesheetRead:
    return await name_actors(session, (await service.decide(session, user, [timesheet_id], "approve", None)).items[0])


@router.post("/{timesheet_id}/reject", response_model=TimesheetRead, summary="Reject the hours, with a reason")
async def reject(timesheet_id: str, body: Rejection, user: Clerk, session: SessionDep) -> TimesheetRead:
    return await name_actors(
        session, (await service.decide(session, user, [timesheet_id], "reject", body.reason)).items[0]
    )


@router.post(
    "/decisions",
    response_model=DecisionResult,
    summary="Approve or reject a batch (all or none)",
    description="Also checked, beyond what the schema says: a rejection needs a reason.",
)
async def decide(body: Decision, user: Clerk, session: SessionDep) -> DecisionResult:
    return await name_actors(
        session, await service.decide(session, user, body.timesheet_ids, body.decision, body.reason)
    )
