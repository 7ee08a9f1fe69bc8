"""``/assets``: IT equipment and who has it."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.equipment import service
from backoffice.helpdesk.equipment.models import AssetStatus
from backoffice.helpdesk.equipment.schemas import (
    AssetAssignmentCreate,
    AssetCreate,
    AssetDetail,
    AssetPage,
    AssetRead,
    AssetReturnCreate,
    AssetStatusUpdate,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Query

router = APIRouter(prefix="/assets", tags=["equipment"])


@router.post(
    "",
    status_code=201,
    response_model=AssetRead,
    summary="Register a device",
    description="Also checked, beyond what the schema says: warranty_end is not before purchase_date.",
)
async def create(body: AssetCreate, user: CurrentUser, session: SessionDep, today: CompanyToday) -> AssetRead:
    return await service.create_asset(session, user, body, today)


@router.get("", response_model=AssetPage, summary="Devices (agents: all; others: their own)")
async def search(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    q: Annotated[
        str | None, Query(max_length=200, description="part of a tag, serial number, model, type or holder's name")
    ] = None,
    status: AssetStatus | None = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    employee_id: str | None = None,
    warranty_ends_before: IsoDate | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> AssetPage:
    return await service.list_assets(
        session,
        user,
        today,
        status=status,
        type=type,
        employee_id=employee_id,
        warranty_ends_before=warranty_ends_before,
        limit=limit,
        offset=offset,
        q=q,
    )


@router.get("/{asset_id}", response_model=AssetDetail, summary="A device and who has had it")
async def read(asset_id: str, user: CurrentUser, session: SessionDep, today: CompanyToday) -> AssetDetail:
    return await name_actors(session, await service.read_asset(session, user, asset_id, today))


@router.post("/{asset_id}/assign", response_model=AssetRead, summary="Hand a device to someone")
async def assign(
    asset_id: str, body: AssetAssignmentCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> AssetRead:
    return await service.assign_asset(session, user, asset_id, body, today)


@router.post("/{asset_id}/return", response_model=AssetRead, summary="Take a device back")
async def give_back(
    asset_id: str, body: AssetReturnCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> AssetRead:
    return await service.return_asset(session, user, asset_id, body, today)


@router.post("/{asset_id}/status", response_model=AssetRead, summary="Send to repair, retire, or report lost")
async def set_status(
    asset_id: str, body: AssetStatusUpdate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> AssetRead:
    return await service.set_status(session, user, asset_id, body, today)
