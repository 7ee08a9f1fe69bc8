"""Equipment: each device, its warranty, and who has had it. An asset is with one person at a time; its
assignment history is kept whole, so offboarding knows exactly what to collect."""

from __future__ import annotations

from datetime import date

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.service import NO_EMPLOYEE, active_member
from backoffice.helpdesk.equipment.models import Asset, AssetAssignment
from backoffice.helpdesk.equipment.schemas import (
    AssetAssignmentCreate,
    AssetCreate,
    AssetDetail,
    AssetPage,
    AssetRead,
    AssetReturnCreate,
    AssetStatusUpdate,
    AssignmentRead,
)
from backoffice.helpdesk.teams.service import is_agent
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession


def _require_agent(user: Principal) -> None:
    if not is_agent(user):
        raise Forbidden("equipment is managed by the helpdesk's agents", slug="forbidden")


async def _read(session: AsyncSession, asset: Asset, today: date) -> AssetRead:
    holder = await session.get(StaffMember, asset.assigned_employee_id) if asset.assigned_employee_id else None
    return AssetRead(
        id=asset.id,
        tag=asset.tag,
        type=asset.type,
        serial=asset.serial,
        model=asset.model,
        purchase_date=asset.purchase_date,
        warranty_end=asset.warranty_end,
        notes=asset.notes,
        status=asset.status,
        assigned_employee_id=asset.assigned_employee_id,
        assigned_name=holder.name if holder else None,
        warranty_expired=asset.warranty_end < today if asset.warranty_end else None,
        created_at=asset.created_at,
        updated_at=asset.updated_at,
    )


async def create_asset(session: AsyncSession, user: Principal, body: AssetCreate, today: date) -> AssetRead:
    """Registers a device in stock (agents); a tag or serial already known is a 409."""
    _require_agent(user)
    if body.purchase_date and body.purchase_date > today:
        raise Unprocessable(f"purchase_date {body.purchase_date} is in the future", slug="future-purchase")
    now = utcnow()
    asset = Asset(id=new_id(), **body.model_dump(), status="in_stock", created_at=now, updated_at=now)
    session.add(asset)
    await flush_or_conflict(
        session, f"an asset with tag {body.tag} or serial {body.serial} exists", slug="asset-exists"
    )
    return await _read(session, asset, today)


async def _asset(session: AsyncSession, asset_id: str, *, lock: bool = False) -> Asset:
    return await get_or_404(session, Asset, asset_id, lock=lock)


async def read_asset(session: AsyncSession, user: Principal, asset_id: str, today: date) -> AssetDetail:
    """The device and who has had it, for agents and for whoever holds it now (a 404 for anyone else)."""
    asset = await _asset(session, asset_id)
    if not (is_agent(user) or (asset.assigned_employee_id and user.is_employee(asset.assigned_employee_id))):
        raise NotFound("asset", asset_id)
    rows = await session.scalars(
        select(AssetAssignment).where(AssetAssignment.asset_id == asset.id).order_by(AssetAssignment.assigned_at)
    )
    history = [AssignmentRead.model_validate(r, from_attributes=True) for r in rows]
    return AssetDetail(**(await _read(session, asset, today)).model_dump(), history=history)


async def list_assets(
    session: AsyncSession,
    user: Principal,
    today: date,
    *,
    status: str | None,
    type: str | None,
    employee_id: str | None,
    warranty_ends_before: date | None,
    limit: int,
    offset: int,
    q: str | None = None,
) -> AssetPage:
    """Agents see every asset; anyone else the equipment they hold. ``q`` finds part of a tag, serial number,
    model or type, or of the holder's name."""
    conditions: list[ColumnElement[bool]] = []
    if q:
        like = f"%{q.lower()}%"
        holders = select(StaffMember.employee_id).where(
            func.lower(StaffMember.given_name + " " + StaffMember.family_name).like(like)
        )
        conditions.append(
            or_(
                func.lower(Asset.tag).like(like),
                func.lower(Asset.serial).like(like),
                func.lower(Asset.model).like(like),
                func.lower(Asset.type).like(like),
                Asset.assigned_employee_id.in_(holders),
            )
        )
    if not is_agent(user):
        conditions.append(Asset.assigned_employee_id == (user.employee_id or NO_EMPLOYEE))
    if status:
        conditions.append(Asset.status == status)
    if type:
        conditions.append(Asset.type == type)
    if employee_id:
        conditions.append(Asset.assigned_employee_id == employee_id)
    if warranty_ends_before:
        conditions.append(Asset.warranty_end < warranty_ends_before)
    total = await session.scalar(select(func.count()).select_from(Asset).where(*conditions)) or 0
    rows = await session.scalars(select(Asset).where(*conditions).order_by(Asset.tag).limit(limit).offset(offset))
    return AssetPage(items=[await _read(session, a, today) for a in rows], total=total, limit=limit, offset=offset)


async def assign_asset(
    session: AsyncSession, user: Principal, asset_id: str, body: AssetAssignmentCreate, today: date
) -> AssetRead:
    """Hands a device in stock to an active staff member and opens its assignment (agents)."""
    _require_agent(user)
    asset = await _asset(session, asset_id, lock=True)
    member = await active_member(session, body.employee_id, today, what="employee")
    if asset.status != "in_stock":
        holder = f" to {asset.assigned_employee_id}" if asset.assigned_employee_id else ""
        raise Conflict(f"asset {asset.tag} is {asset.status}{holder}: only stock can be assigned", slug="asset-busy")
    now = utcnow()
    asset.status, asset.assigned_employee_id, asset.updated_at = "assigned", member.employee_id, now
    session.add(
        AssetAssignment(
            id=new_id(), asset_id=asset.id, employee_id=member.employee_id, assigned_at=now, assigned_by=user.user_id
        )
    )
    await session.flush()
    return await _read(session, asset, today)


async def _close_assignment(session: AsyncSession, asset: Asset, user: Principal, condition: str | None) -> None:
    current = await session.scalar(
        select(AssetAssignment).where(AssetAssignment.asset_id == asset.id, AssetAssignment.returned_at.is_(None))
    )
    if current is not None:
        current.returned_at, current.returned_by, current.return_condition = utcnow(), user.user_id, condition


async def return_asset(
    session: AsyncSession, user: Principal, asset_id: str, body: AssetReturnCreate, today: date
) -> AssetRead:
    """Takes a device back from its holder into stock, repair or retirement, closing the assignment."""
    _require_agent(user)
    asset = await _asset(session, asset_id, lock=True)
    if asset.status != "assigned":
        raise Conflict(f"asset {asset.tag} is {asset.status}, not with anyone", slug="asset-not-assigned")
    await _close_assignment(session, asset, user, body.condition)
    asset.status, asset.assigned_employee_id, asset.updated_at = body.status, None, utcnow()
    await session.flush()
    return await _read(session, asset, today)


async def set_status(
    session: AsyncSession, user: Principal, asset_id: str, body: AssetStatusUpdate, today: date
) -> AssetRead:
    """Repair, retirement and loss; a lost device closes the holder's assignment (they no longer have it)."""
    _require_agent(user)
    asset = await _asset(session, asset_id, lock=True)
    if asset.status == "retired":
        raise Conflict(f"asset {asset.tag} is retired", slug="asset-retired")
    if asset.status == "assigned" and body.status != "lost":
        raise Conflict(f"asset {asset.tag} is with {asset.assigned_employee_id}: return it first", slug="asset-busy")
    if asset.status == "assigned":
        await _close_assignment(session, asset, user, "reported lost")
        asset.assigned_employee_id = None
    asset.status, asset.updated_at = body.status, utcnow()
    if body.note:
        asset.notes = ((asset.notes + "\n") if asset.notes else "") + body.note
    await session.flush()
    return await _read(session, asset, today)
