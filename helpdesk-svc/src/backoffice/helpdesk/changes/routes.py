"""``/changes``: requests to modify or improve a system in use."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.changes import service
from backoffice.helpdesk.changes.models import ChangeStatus
from backoffice.helpdesk.changes.schemas import (
    ChangeCreate,
    ChangePage,
    ChangeRead,
    DecisionCreate,
    ImplementationCreate,
    ReviewCreate,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDateTime
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Query

router = APIRouter(prefix="/changes", tags=["changes"])


@router.post(
    "",
    status_code=201,
    response_model=ChangeRead,
    summary="Request a change",
    description="Also checked, beyond what the schema says: planned_end is after planned_start.",
)
async def create(body: ChangeCreate, user: CurrentUser, session: SessionDep) -> ChangeRead:
    return await name_actors(session, await service.create_change(session, user, body))


@router.get("", response_model=ChangePage, summary="Change calendar (agents) or your requests")
async def search(
    user: CurrentUser,
    session: SessionDep,
    status: ChangeStatus | None = None,
    affected_system: str | None = None,
    window_from: IsoDateTime | None = None,
    window_to: IsoDateTime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> ChangePage:
    return await name_actors(
        session,
        await service.list_changes(
            session,
            user,
            status=status,
            affected_system=affected_system,
            window_from=window_from,
            window_to=window_to,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/{change_id}", response_model=ChangeRead, summary="A change request")
async def read(change_id: str, user: CurrentUser, session: SessionDep) -> ChangeRead:
    return await name_actors(session, await service.read_change(session, user, change_id))


@router.post(
    "/{change_id}/decision",
    response_model=ChangeRead,
    summary="Approve or reject (not your own)",
    description="Also checked, beyond what the schema says: a rejection needs a note.",
)
async def decide(change_id: str, body: DecisionCreate, user: CurrentUser, session: SessionDep) -> ChangeRead:
    return await name_actors(session, await service.decide(session, user, change_id, body))


@router.post("/{change_id}/implemented", response_model=ChangeRead, summary="Record that it was done")
async def implemented(change_id: str, body: ImplementationCreate, user: CurrentUser, session: SessionDep) -> ChangeRead:
    return await name_actors(session, await service.implemented(session, user, change_id, body))


@router.post("/{change_id}/review", response_model=ChangeRead, summary="Post-implementation review")
async def review(change_id: str, body: ReviewCreate, user: CurrentUser, session: SessionDep) -> ChangeRead:
    return await name_actors(session, await service.review(session, user, change_id, body))
