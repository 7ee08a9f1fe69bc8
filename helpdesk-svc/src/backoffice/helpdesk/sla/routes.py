"""``/sla``: business-hours calendars and SLA policies."""

from __future__ import annotations

from backoffice.helpdesk.sla import service
from backoffice.helpdesk.sla.schemas import CalendarIn, CalendarRead, PolicyIn, PolicyRead
from backoffice.shared.auth import CurrentUser, require_roles
from backoffice.shared.db import SessionDep
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
async def create_calendar(body: CalendarIn, user: CurrentUser, session: SessionDep) -> CalendarRead:
    return await service.create_calendar(session, user, body)


@router.put(
    "/calendars/{calendar_id}",
    response_model=CalendarRead,
    summary="Change a calendar",
    description="Also checked, beyond what the schema says: holiday_country/subdivision known.",
)
async def update_calendar(calendar_id: str, body: CalendarIn, user: CurrentUser, session: SessionDep) -> CalendarRead:
    return await service.update_calendar(session, user, calendar_id, body)


@router.get("/calendars", response_model=list[CalendarRead], dependencies=AGENTS, summary="Calendars")
async def list_calendars(session: SessionDep) -> list[CalendarRead]:
    return await service.list_calendars(session)


@router.put(
    "/policies",
    response_model=PolicyRead,
    summary="Set the targets of a priority and category",
    description="Also checked, beyond what the schema says: resolution_minutes not below first_response_minutes.",
)
async def save_policy(body: PolicyIn, user: CurrentUser, session: SessionDep) -> PolicyRead:
    return await service.save_policy(session, user, body)


@router.get("/policies", response_model=list[PolicyRead], dependencies=AGENTS, summary="SLA policies")
async def list_policies(session: SessionDep) -> list[PolicyRead]:
    return await service.list_policies(session)


@router.delete("/policies/{policy_id}", status_code=204, summary="Remove a policy (for new tickets)")
async def delete_policy(policy_id: str, user: CurrentUser, session: SessionDep) -> Response:
    await service.delete_policy(session, user, policy_id)
    return Response(status_code=204)
