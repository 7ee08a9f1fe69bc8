from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from backoffice.payroll.money import Currency
from backoffice.payroll.suppliers.models import InvoiceStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.decimals import InCurrency, Money, Price, Quantity
from backoffice.shared.ids import DocumentIds
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, EmailStr, Field

MAX_DOCUMENTS = 50


class SupplierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    tax_id: str | None = Field(default=None, max_length=40)
    payment_terms_days: int = Field(default=30, ge=0, le=365)
    iban: str = Field(min_length=15, max_length=42, description="validated; shown masked on reads")
    bic: str | None = Field(default=None, min_length=8, max_length=11)
    contact_name: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = None
    fax: str | None = Field(default=None, max_length=40, pattern=r"^\+?[0-9 ()-]{5,40}$")


class SupplierRead(BaseModel):
    id: str
    name: str
    tax_id: str | None
    payment_terms_days: int
    iban_masked: str
    bic: str | None
    contact_name: str | None
    email: str | None
    fax: str | None
    created_at: datetime


class SupplierPage(Page[SupplierRead]):
    pass


class InvoiceLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, max_length=500)
    quantity: Decimal = Field(default=Decimal(1), gt=0, max_digits=12, decimal_places=4)
    unit_price: Decimal = Field(ge=0, max_digits=15, decimal_places=4)
    expense_account: str | None = Field(default=None, max_length=20, description="default: general expenses")


class InvoiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier_id: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=60)
    invoice_date: IsoDate
    due_date: IsoDate | None = Field(default=None, description="default: invoice date + the supplier's terms")
    currency: Currency = "EUR"
    lines: list[InvoiceLineIn] = Field(min_length=1, max_length=500)
    document_ids: DocumentIds = Field(
        default_factory=list, max_length=MAX_DOCUMENTS, description="scans in docs-svc; repeats are kept once"
    )


class InvoiceLineRead(BaseModel):
    description: str
    quantity: Quantity
    unit_price: Price
    amount: Money
    expense_account: str


class Attachment(BaseModel):
    document_id: str
    attached_by: str | None
    attached_by_actor: Actor | None = actor_field("attached_by")
    attached_at: datetime


class Attach(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_ids: DocumentIds = Field(min_length=1, max_length=MAX_DOCUMENTS)


class InvoiceRead(InCurrency):
    id: str
    supplier_id: str
    supplier_name: str
    number: str
    invoice_date: date
    due_date: date
    currency: str
    total: Money
    status: InvoiceStatus
    lines: list[InvoiceLineRead]
    document_ids: list[str]
    attachments: list[Attachment] = Field(description="each document with who attached it and when")
    entered_by: str | None
    entered_by_actor: Actor | None = actor_field("entered_by")
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    hold_reason: str | None
    hold_until: date | None
    payment_run_id: str | None
    paid_on: date | None


class InvoicePage(Page[InvoiceRead]):
    pass


class Hold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)
    until: IsoDate | None = Field(default=None, description="released by itself on this day")
