"""``/sla``: business-hours calendars and SLA policies."""

from __future__ import annotations

from backoffice.helpdesk.sla import service
from backoffice.helpdesk.sla.schemas import (
    CalendarCreate,
    CalendarPage,
    CalendarRead,
    CalendarUpdate,
    PolicyPage,
    PolicyRead,
    PolicyUpdate,
)
from backoffice.shared.auth import CurrentUser, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Response

router = APIRouter(prefix="/sla", tags=["sla"])
AGENTS = [Depends(require_roles("it_agent"))]


@router.post(
    "/calendars",
    status_code=201,
    response_model=CalendarRead,
    summary="Add a business-hours calendar",
    description="Also checked, beyond what the schema says: holiday_country/subdivision must be known ones.",
)
async def create_calendar(body: CalendarCreate, user: CurrentUser, session: SessionDep) -> CalendarRead:
    return await service.create_calendar(session, user, body)


@router.put(
    "/calendars/{calendar_id}",
    response_model=CalendarRead,
    summary="Change a calendar",
    description="Also checked, beyond what the schema says: holiday_country/subdivision known.",
)
async def update_calendar(
    calendar_id: str, body: CalendarUpdate, user: CurrentUser, session: SessionDep
) -> CalendarRead:
    return await service.update_calendar(session, user, calendar_id, body)


@router.get("/calendars", response_model=CalendarPage, dependencies=AGENTS, summary="Calendars, by name")
async def list_calendars(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> CalendarPage:
    return await service.list_calendars(session, limit, offset)


@router.get("/calendars/{calendar_id}", response_model=CalendarRead, dependencies=AGENTS, summary="A calendar")
async def read_calendar(calendar_id: str, session: SessionDep) -> CalendarRead:
    return await service.read_calendar(session, calendar_id)


@router.put(
    "/policies",
    response_model=PolicyRead,
    summary="Set the targets of a priority and category",
    description="Also checked, beyond what the schema says: resolution_minutes not below first_response_minutes.",
)
async def save_policy(body: PolicyUpdate, user: CurrentUser, session: SessionDep) -> PolicyRead:
    return await service.save_policy(session, user, body)


@router.get(
    "/policies", response_model=PolicyPage, dependencies=AGENTS, summary="SLA policies, by priority and category"
)
async def list_policies(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> PolicyPage:
    return await service.list_policies(session, limit, offset)


@router.delete("/policies/{policy_id}", status_code=204, summary="Remove a policy (for new tickets)")
async def delete_policy(policy_id: str, user: CurrentUser, session: SessionDep) -> Response:
    await service.delete_policy(session, user, policy_id)
    return Response(status_code=204)
