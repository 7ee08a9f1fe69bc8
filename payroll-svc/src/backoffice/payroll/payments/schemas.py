from __future__ import annotations

from datetime import date, datetime

from backoffice.payroll.money import PayableCurrency
from backoffice.payroll.payments.models import PaymentRunStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.decimals import InCurrency, Money
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class PaymentRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    execution_date: IsoDate = Field(description="the day the bank pays")
    due_by: IsoDate | None = Field(default=None, description="invoices due on or before this day (default: execution)")
    currency: PayableCurrency = "EUR"
    supplier_ids: list[str] | None = Field(default=None, max_length=5000, description="only these suppliers")


class ProposalLine(BaseModel):
    invoice_id: str
    supplier_id: str
    supplier_name: str
    number: str
    due_date: date
    amount: Money
    dropped: bool


class SupplierSubtotal(BaseModel):
    supplier_id: str
    supplier_name: str
    amount: Money = Field(description="what the run pays this supplier: its invoices not dropped")
    invoices: int


class PaymentRead(BaseModel):
    id: str
    supplier_id: str
    amount: Money
    end_to_end_id: str
    invoice_ids: list[str]


class PaymentRunRead(InCurrency):
    id: str
    execution_date: date
    due_by: date
    currency: str
    status: PaymentRunStatus
    total: Money
    invoices: int
    suppliers: int
    lines: list[ProposalLine]
    by_supplier: list[SupplierSubtotal] = Field(description="the lines not dropped, added up per supplier")
    payments: list[PaymentRead]
    created_at: datetime
    created_by: str | None = Field(description="who proposed it: someone else approves it (four eyes)")
    created_by_actor: Actor | None = actor_field("created_by")
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    executed_at: datetime | None


class PaymentRunSummary(InCurrency):
    """A payment run in a list: its figures without its lines and payments."""

    id: str
    execution_date: date
    due_by: date
    currency: str
    status: PaymentRunStatus
    total: Money
    invoices: int
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    executed_at: datetime | None


class PaymentRunPage(Page[PaymentRunSummary]):
    pass
