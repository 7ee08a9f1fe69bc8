"""``/warnings`` and ``/cases``: progressive discipline."""

from __future__ import annotations

from typing import Annotated, Literal

from backoffice.hr.discipline import service
from backoffice.hr.discipline.schemas import (
    Acknowledgement,
    CasePage,
    CaseRead,
    Decision,
    WarningCreate,
    WarningPage,
    WarningRead,
    WarningState,
)
from backoffice.hr.settings import HrSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyZone
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query

router = APIRouter(tags=["discipline"])


@router.post(
    "/warnings",
    status_code=202,
    summary="Issue a warning (a manager to a report, or HR)",
    responses={202: {"description": "accepted: the disciplinary workflow records it"}},
)
async def issue(body: WarningCreate, user: CurrentUser, zone: CompanyZone, session: SessionDep) -> dict[str, str]:
    warning_id = await service.issue(session, user, body, zone)
    return {"warning_id": warning_id, "status": "issued"}


@router.get("/warnings", response_model=WarningPage, summary="Warnings you may see, newest first")
async def list_warnings(
    user: CurrentUser,
    session: SessionDep,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[
        WarningState | None,
        Query(description="awaiting acknowledgement, overdue (not acknowledged by the deadline), or acknowledged"),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> WarningPage:
    return await name_actors(session, await service.list_warnings(session, user, employee_id, limit, offset, state))


@router.get("/warnings/{warning_id}", response_model=WarningRead, summary="One warning")
async def read_warning(warning_id: str, user: CurrentUser, session: SessionDep) -> WarningRead:
    return await name_actors(session, await service.read_warning(session, user, warning_id))


@router.post(
    "/warnings/{warning_id}/acknowledgement",
    response_model=WarningRead,
    summary="Acknowledge a warning, with an optional written response (the employee)",
)
async def acknowledge(warning_id: str, body: Acknowledgement, user: CurrentUser, session: SessionDep) -> WarningRead:
    return await name_actors(
        session, WarningRead.model_validate(await service.acknowledge(session, user, warning_id, body.response))
    )


@router.get("/cases", response_model=CasePage, summary="Disciplinary cases, those at dismissal review first (HR)")
async def list_cases(
    user: CurrentUser,
    settings: HrSettingsDep,
    session: SessionDep,
    status: Literal["open", "dismissal_review", "kept", "dismissed"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> CasePage:
    return await name_actors(session, await service.list_cases(session, user, status, settings, limit, offset))


@router.get("/cases/{employee_id}", response_model=CaseRead, summary="An employee's disciplinary case")
async def read_case(employee_id: str, user: CurrentUser, settings: HrSettingsDep, session: SessionDep) -> CaseRead:
    return await name_actors(session, await service.read_case(session, user, employee_id, settings))


@router.post(
    "/cases/{employee_id}/decision", response_model=CaseRead, summary="Decide at dismissal review: dismiss or keep (HR)"
)
async def decide(
    employee_id: str, body: Decision, user: CurrentUser, settings: HrSettingsDep, session: SessionDep
) -> CaseRead:
    await service.decide(session, user, employee_id, body, settings)
    return await name_actors(session, await service.read_case(session, user, employee_id, settings))
