"""``/suppliers`` and ``/invoices``: accounts payable."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.payroll.suppliers import service
from backoffice.payroll.suppliers.models import InvoiceStatus
from backoffice.payroll.suppliers.schemas import (
    Attach,
    Hold,
    InvoiceCreate,
    InvoicePage,
    InvoiceRead,
    SupplierCreate,
    SupplierPage,
    SupplierRead,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["accounts payable"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.post(
    "/suppliers",
    response_model=SupplierRead,
    status_code=201,
    summary="Add a supplier",
    description="Also checked, beyond what the schema says: the IBAN's check digits must be right (ISO 13616).",
)
async def create_supplier(body: SupplierCreate, user: Clerk, session: SessionDep) -> SupplierRead:
    return service.supplier_read(await service.create_supplier(session, user, body))


@router.get("/suppliers", response_model=SupplierPage, summary="Suppliers (bank accounts masked)")
async def search_suppliers(
    _: Clerk,
    session: SessionDep,
    name: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> SupplierPage:
    return await service.search_suppliers(session, name=name, limit=limit, offset=offset)


@router.get("/suppliers/{supplier_id}", response_model=SupplierRead, summary="One supplier")
async def read_supplier(supplier_id: str, _: Clerk, session: SessionDep) -> SupplierRead:
    return service.supplier_read(await service.get_supplier(session, supplier_id))


@router.post("/invoices", response_model=InvoiceRead, status_code=201, summary="Enter a supplier invoice")
async def create_invoice(
    body: InvoiceCreate, user: Clerk, session: SessionDep, settings: PayrollSettingsDep, today: CompanyToday
) -> InvoiceRead:
    accounts = settings.ledger_accounts
    invoice = await service.create_invoice(session, user, body, accounts["default_expense"], bank=accounts["bank"])
    return await name_actors(session, await service.read_invoice(session, invoice.id, today))


@router.get(
    "/invoices",
    response_model=InvoicePage,
    summary="Supplier invoices, by due date",
    description="Filter by supplier with number, or with invoice_date and total, to find an invoice entered already"
    " (the console warns of a possible duplicate before saving).",
)
async def search_invoices(
    _: Clerk,
    session: SessionDep,
    today: CompanyToday,
    status: InvoiceStatus | None = None,
    supplier_id: Annotated[str | None, Query(max_length=64)] = None,
    due_by: IsoDate | None = None,
    number: Annotated[str | None, Query(max_length=60, description="the supplier's invoice number, exactly")] = None,
    invoice_date: IsoDate | None = None,
    total: Annotated[
        Decimal | None, Query(ge=0, max_digits=16, decimal_places=3, description="the total, exactly (in any currency)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> InvoicePage:
    return await name_actors(
        session,
        await service.search_invoices(
            session,
            status=status,
            supplier_id=supplier_id,
            due_by=due_by,
            number=number,
            invoice_date=invoice_date,
            total=total,
            limit=limit,
            offset=offset,
            today=today,
        ),
    )


@router.get("/invoices/{invoice_id}", response_model=InvoiceRead, summary="One invoice")
async def read_invoice(invoice_id: str, _: Clerk, session: SessionDep, today: CompanyToday) -> InvoiceRead:
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))


@router.post("/invoices/{invoice_id}/documents", response_model=InvoiceRead, summary="Attach documents (scans)")
async def attach(invoice_id: str, body: Attach, user: Clerk, session: SessionDep, today: CompanyToday) -> InvoiceRead:
    await service.attach(session, user, invoice_id, body.document_ids)
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))


@router.post("/invoices/{invoice_id}/approve", response_model=InvoiceRead, summary="Approve (not your own)")
async def approve(
    invoice_id: str, user: Clerk, session: SessionDep, settings: PayrollSettingsDep, today: CompanyToday
) -> InvoiceRead:
    payables = settings.ledger_accounts["payables"]
    await service.approve(session, user, invoice_id, payables, today)
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))


@router.post("/invoices/{invoice_id}/hold", response_model=InvoiceRead, summary="Hold, with a reason")
async def hold(invoice_id: str, body: Hold, _: Clerk, session: SessionDep, today: CompanyToday) -> InvoiceRead:
    await service.hold(session, invoice_id, body, today)
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))


@router.post("/invoices/{invoice_id}/release", response_model=InvoiceRead, summary="Release a hold")
async def release(invoice_id: str, _: Clerk, session: SessionDep, today: CompanyToday) -> InvoiceRead:
    await service.release(session, invoice_id, today)
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))


@router.post("/invoices/{invoice_id}/cancel", response_model=InvoiceRead, summary="Cancel an unpaid invoice")
async def cancel(invoice_id: str, user: Clerk, session: SessionDep, today: CompanyToday) -> InvoiceRead:
    await service.cancel(session, user, invoice_id, today)
    return await name_actors(session, await service.read_invoice(session, invoice_id, today))
