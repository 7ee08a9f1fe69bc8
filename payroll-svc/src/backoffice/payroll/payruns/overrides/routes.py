"""``/payruns/{id}/overrides``: payslips under the minimum pay that a payroll officer let stand, with why."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.minimum.routes import place
from backoffice.payroll.minimum.schemas import OverrideCreate, OverridePage, OverrideRead
from backoffice.payroll.payruns import minimum_pay
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends

router = APIRouter(tags=["minimum pay"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]
Reader = Annotated[Principal, Depends(require_roles("payroll", "hr", "pay_auditor"))]


@router.post(
    "/payruns/{run_id}/overrides",
    response_model=OverrideRead,
    status_code=201,
    summary="Let a payslip under the minimum pay stand, with a written reason",
    description="Also checked: the run is calculated, the payslip is of the run and under the minimum, it is not "
    "the officer's own, and not overridden already.",
)
async def create_override(
    run_id: str, body: OverrideCreate, user: Clerk, session: SessionDep, settings: PayrollSettingsDep
) -> OverrideRead:
    return await name_actors(session, await minimum_pay.create_override(session, user, run_id, body, place(settings)))


@router.get("/payruns/{run_id}/overrides", response_model=OverridePage, summary="A run's minimum pay overrides")
async def list_overrides(
    run_id: str, _: Reader, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> OverridePage:
    return await name_actors(session, await minimum_pay.list_overrides(session, run_id, limit, offset))
