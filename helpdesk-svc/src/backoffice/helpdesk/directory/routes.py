"""``/directory``: the staff directory the switchboard works from."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.directory import service
from backoffice.helpdesk.directory.schemas import (
    AvailabilityUpdate,
    ExtensionUpdate,
    StaffBriefPage,
    StaffPage,
    StaffRead,
)
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Query

router = APIRouter(prefix="/directory", tags=["directory"])


@router.get("", response_model=StaffPage, summary="Find staff by name, e-mail, department or extension")
async def search(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    q: Annotated[
        str | None,
        Query(max_length=200, description="part of a name, e-mail or department, or an extension's first digits"),
    ] = None,
    department: str | None = None,
    include_former: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> StaffPage:
    return await service.search(
        session, today, q=q, department=department, include_former=include_former, limit=limit, offset=offset
    )


@router.get(
    "/everyone",
    response_model=StaffBriefPage,
    summary="Everyone still here, compact, for the switchboard to search as it is typed",
)
async def everyone(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    # The switchboard loads all of it, 1,000 people a page, and searches it as the receptionist types.
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    offset: Offset = 0,
) -> StaffBriefPage:
    return await service.everyone(session, today, limit=limit, offset=offset)


@router.get("/{employee_id}", response_model=StaffRead, summary="One staff member")
async def read(employee_id: str, user: CurrentUser, session: SessionDep, today: CompanyToday) -> StaffRead:
    return service.to_read(await service.get_member(session, employee_id), today)


@router.put("/{employee_id}/extension", response_model=StaffRead, summary="Give or take an extension (office)")
async def extension(
    employee_id: str, body: ExtensionUpdate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> StaffRead:
    return await service.set_extension(session, user, employee_id, body, today)


@router.put("/{employee_id}/availability", response_model=StaffRead, summary="Available for calls, or not")
async def availability(
    employee_id: str, body: AvailabilityUpdate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> StaffRead:
    return await service.set_availability(session, user, employee_id, body, today)
