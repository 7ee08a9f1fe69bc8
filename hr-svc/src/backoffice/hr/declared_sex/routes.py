"""``/employees/{id}/sex``: an employee's self-declared sex, apart from the employee record."""

from __future__ import annotations

from backoffice.hr.declared_sex import service
from backoffice.hr.declared_sex.schemas import SexDeclarationCreate, SexDeclarationRead
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from fastapi import APIRouter

router = APIRouter(tags=["declared sex"])


@router.get(
    "/employees/{employee_id}/sex",
    response_model=SexDeclarationRead,
    summary="An employee's declared sex (HR, payroll, pay auditors, the employee)",
)
async def read(employee_id: str, user: CurrentUser, session: SessionDep) -> SexDeclarationRead:
    return await service.read(session, user, employee_id)


@router.put(
    "/employees/{employee_id}/sex",
    response_model=SexDeclarationRead,
    summary="Declare an employee's sex (HR, or the employee for themself)",
    description="A change is kept as a new declaration (the latest wins) and sent to payroll alone.",
)
async def declare(
    employee_id: str, body: SexDeclarationCreate, user: CurrentUser, session: SessionDep
) -> SexDeclarationRead:
    return await service.declare(session, user, employee_id, body)
