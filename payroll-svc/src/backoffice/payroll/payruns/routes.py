"""``/payruns``, ``/payslips`` and ``/pay-items``: running payroll and reading its results."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.minimum.routes import place
from backoffice.payroll.payruns import approval, calculation, items, payslips, review, runs
from backoffice.payroll.payruns.models import ItemStatus, RunStatus
from backoffice.payroll.payruns.schemas import (
    PayItemCreate,
    PayItemPage,
    PayItemRead,
    PayRunChangePage,
    PayRunChecks,
    PayRunCreate,
    PayRunPage,
    PayRunRead,
    PayslipPage,
    PayslipRead,
    Register,
)
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

router = APIRouter(tags=["pay runs"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.post(
    "/payruns",
    response_model=PayRunRead,
    status_code=201,
    summary="Open a pay run for a period",
    description="Also checked, beyond what the schema says: period_end follows from period_start and the frequency.",
)
async def create_run(body: PayRunCreate, user: Clerk, session: SessionDep) -> PayRunRead:
    return await name_actors(session, runs.run_read(await runs.create_run(session, user, body)))


@router.get("/payruns", response_model=PayRunPage, summary="Pay runs, latest period first")
async def search_runs(
    _: Clerk,
    session: SessionDep,
    pay_group: Annotated[str | None, Query(max_length=40)] = None,
    status: RunStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> PayRunPage:
    return await name_actors(
        session, await runs.search_runs(session, pay_group=pay_group, status=status, limit=limit, offset=offset)
    )


@router.get("/payruns/{run_id}", response_model=PayRunRead, summary="One pay run with its totals")
async def read_run(run_id: str, _: Clerk, session: SessionDep) -> PayRunRead:
    return await name_actors(session, runs.run_read(await runs.get_run(session, run_id)))


@router.get(
    "/payruns/{run_id}/changes",
    response_model=PayRunChangePage,
    summary="Each person of a run beside the previous run: who joined, left or changed pay, and the difference",
    description="The previous run is the latest approved or paid run of the same pay group before this period. "
    "Rows by name; q narrows to a name, department or employee id, only to who changed (or joined, left, changed "
    "pay). The joined, left and pay_changed counts are over the whole run.",
)
async def run_changes(
    run_id: str,
    _: Clerk,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    only: review.ChangeFilter = "all",
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Offset = 0,
) -> PayRunChangePage:
    return await review.run_changes(session, run_id, query=q, which=only, limit=limit, offset=offset)


@router.get(
    "/payruns/{run_id}/checks",
    response_model=PayRunChecks,
    summary="What stops the run from being approved now (by the clerk asking)",
)
async def run_checks(run_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep) -> PayRunChecks:
    return await name_actors(session, await review.run_checks(session, user, run_id, place(settings)))


@router.post("/payruns/{run_id}/calculate", response_model=PayRunRead, summary="Calculate (again) a draft run")
async def calculate(run_id: str, user: Clerk, session: SessionDep) -> PayRunRead:
    return await name_actors(session, runs.run_read(await calculation.calculate_run(session, user, run_id)))


@router.post("/payruns/{run_id}/approve", response_model=PayRunRead, summary="Approve: lock and issue payslips")
async def approve(run_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep) -> PayRunRead:
    run = await approval.approve_run(session, user, run_id, settings.ledger_accounts, place(settings))
    return await name_actors(session, runs.run_read(run))


@router.post("/payruns/{run_id}/paid", response_model=PayRunRead, summary="Record that the run was paid out")
async def paid(
    run_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep, today: CompanyToday
) -> PayRunRead:
    run = await approval.mark_paid(session, user, run_id, today, settings.ledger_accounts)
    return await name_actors(session, runs.run_read(run))


@router.post("/payruns/{run_id}/cancel", response_model=PayRunRead, summary="Cancel a run not yet approved")
async def cancel(run_id: str, user: Clerk, session: SessionDep) -> PayRunRead:
    return await name_actors(session, runs.run_read(await runs.cancel_run(session, user, run_id)))


@router.get("/payruns/{run_id}/register", response_model=Register, summary="The payroll register (JSON)")
async def register(run_id: str, _: Clerk, session: SessionDep) -> Register:
    return await name_actors(session, await payslips.register(session, run_id))


@router.get(
    "/payruns/{run_id}/register.csv",
    summary="The payroll register (CSV)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def register_csv(run_id: str, _: Clerk, session: SessionDep) -> Response:
    reg = await payslips.register(session, run_id)
    return Response(
        payslips.register_csv(reg),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="payroll-register-{run_id}.csv"'},
    )


@router.get("/payslips", response_model=PayslipPage, summary="Payslips (an employee sees only their own)")
async def search_payslips(
    user: CurrentUser,
    session: SessionDep,
    run_id: Annotated[str | None, Query(max_length=64)] = None,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> PayslipPage:
    return await name_actors(
        session,
        await payslips.search_payslips(
            session, user, run_id=run_id, employee_id=employee_id, year=year, limit=limit, offset=offset
        ),
    )


@router.get("/payslips/{payslip_id}", response_model=PayslipRead, summary="One payslip")
async def read_payslip(payslip_id: str, user: CurrentUser, session: SessionDep) -> PayslipRead:
    return await name_actors(session, await payslips.read_payslip(session, user, payslip_id))


@router.post(
    "/payslips/{payslip_id}/sign-off",
    response_model=PayslipRead,
    summary="HR or an admin checks a payroll clerk's own payslip, so the clerk may approve the run",
)
async def sign_off_payslip(payslip_id: str, user: CurrentUser, session: SessionDep) -> PayslipRead:
    return await name_actors(session, await payslips.sign_off_payslip(session, user, payslip_id))


@router.post(
    "/pay-items",
    response_model=PayItemRead,
    status_code=201,
    summary="A bonus or a correction",
    description="Also checked, beyond what the schema says: employee_id must be known to payroll.",
)
async def create_item(body: PayItemCreate, user: Clerk, session: SessionDep, today: CompanyToday) -> PayItemRead:
    return await name_actors(session, PayItemRead.model_validate(await items.create_item(session, user, body, today)))


@router.get("/pay-items", response_model=PayItemPage, summary="Pay items, newest first")
async def search_items(
    _: Clerk,
    session: SessionDep,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    status: ItemStatus | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> PayItemPage:
    return await name_actors(
        session, await items.search_items(session, employee_id=employee_id, status=status, limit=limit, offset=offset)
    )


@router.post("/pay-items/{item_id}/cancel", response_model=PayItemRead, summary="Cancel a pending pay item")
async def cancel_item(item_id: str, user: Clerk, session: SessionDep) -> PayItemRead:
    return await name_actors(session, PayItemRead.model_validate(await items.cancel_item(session, user, item_id)))
