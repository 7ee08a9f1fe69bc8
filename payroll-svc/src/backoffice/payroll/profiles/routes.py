"""``/profiles``: what payroll knows of each employee (read-only; HR's events keep it)."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.profiles import service
from backoffice.payroll.profiles.schemas import PayProfilePage, PayProfileRead
from backoffice.shared.auth import require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(prefix="/profiles", tags=["pay profiles"], dependencies=[Depends(require_roles("payroll"))])


@router.get("", response_model=PayProfilePage, summary="Pay profiles")
async def search(
    session: SessionDep,
    department: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> PayProfilePage:
    return await service.search(session, department=department, limit=limit, offset=offset)


@router.get("/{employee_id}", response_model=PayProfileRead, summary="One pay profile with its terms history")
async def read(employee_id: str, session: SessionDep) -> PayProfileRead:
    return await service.read(session, employee_id)
