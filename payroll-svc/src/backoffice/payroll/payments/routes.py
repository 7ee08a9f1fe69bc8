"""``/payment-runs``: paying due supplier invoices together, with the bank file."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.payments import service
from backoffice.payroll.payments.models import PaymentRunStatus
from backoffice.payroll.payments.schemas import PaymentRunCreate, PaymentRunPage, PaymentRunRead
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

router = APIRouter(prefix="/payment-runs", tags=["payment runs"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.post(
    "",
    response_model=PaymentRunRead,
    status_code=201,
    summary="Propose a run of due invoices",
    description="Also checked, beyond what the schema says: execution_date is today or later.",
)
async def create(body: PaymentRunCreate, user: Clerk, session: SessionDep, today: CompanyToday) -> PaymentRunRead:
    run = await service.create_run(session, user, body, today)
    return await name_actors(session, await service.read(session, run.id))


@router.get("", response_model=PaymentRunPage, summary="Payment runs, newest first")
async def search(
    _: Clerk,
    session: SessionDep,
    status: PaymentRunStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> PaymentRunPage:
    return await name_actors(session, await service.search(session, status=status, limit=limit, offset=offset))


@router.get("/{run_id}", response_model=PaymentRunRead, summary="A run: the proposal, then the payments")
async def read(run_id: str, _: Clerk, session: SessionDep) -> PaymentRunRead:
    return await name_actors(session, await service.read(session, run_id))


@router.post("/{run_id}/lines/{invoice_id}/drop", response_model=PaymentRunRead, summary="Leave an invoice out")
async def drop(run_id: str, invoice_id: str, _: Clerk, session: SessionDep) -> PaymentRunRead:
    await service.drop_line(session, run_id, invoice_id)
    return await name_actors(session, await service.read(session, run_id))


@router.post("/{run_id}/approve", response_model=PaymentRunRead, summary="Approve the proposal")
async def approve(run_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep) -> PaymentRunRead:
    await service.approve(session, user, run_id, admin_approves_own=settings.admin_approves_own_payment_runs)
    return await name_actors(session, await service.read(session, run_id))


@router.post("/{run_id}/execute", response_model=PaymentRunRead, summary="Pay: bank file, ledger, remittances")
async def execute(run_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep) -> PaymentRunRead:
    await service.execute(session, user, run_id, settings)
    return await name_actors(session, await service.read(session, run_id))


@router.post("/{run_id}/cancel", response_model=PaymentRunRead, summary="Cancel a run not yet executed")
async def cancel(run_id: str, _: Clerk, session: SessionDep) -> PaymentRunRead:
    await service.cancel(session, run_id)
    return await name_actors(session, await service.read(session, run_id))


@router.get(
    "/{run_id}/pain.001.xml",
    summary="The ISO 20022 pain.001.001.03 credit transfer file",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
async def pain001(run_id: str, _: Clerk, session: SessionDep) -> Response:
    return Response(
        await service.bank_file(session, run_id, "xml"),
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="pain001-{run_id}.xml"'},
    )


@router.get(
    "/{run_id}/transfers.csv",
    summary="The transfers as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def transfers(run_id: str, _: Clerk, session: SessionDep) -> Response:
    return Response(
        await service.bank_file(session, run_id, "csv"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="transfers-{run_id}.csv"'},
    )
