"""Suppliers and their invoices (accounts payable)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.database import Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

InvoiceStatus = Literal["received", "approved", "on_hold", "scheduled", "paid", "cancelled"]


class Supplier(Created, Base):
    __tablename__ = "suppliers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(40))
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    iban: Mapped[str] = mapped_column(String(34), doc="kept whole; shown masked")
    bic: Mapped[str | None] = mapped_column(String(11))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    fax: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SupplierInvoice(Base):
    __tablename__ = "supplier_invoices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    number: Mapped[str] = mapped_column(String(60))
    invoice_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal]
    status: Mapped[InvoiceStatus] = mapped_column(String(16))
    document_ids: Mapped[str] = mapped_column(Text, default="[]", doc="JSON: attachments in docs-svc")
    entered_by: Mapped[str | None] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_reason: Mapped[str | None] = mapped_column(String(500))
    hold_until: Mapped[date | None] = mapped_column(Date)
    payment_run_id: Mapped[str | None] = mapped_column(String(64))
    payment_id: Mapped[str | None] = mapped_column(String(64))
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("supplier_id", "number", name="uq_supplier_invoices_number"),
        Index("ix_supplier_invoices_status_due", "status", "due_date"),
    )


class InvoiceLine(Base):
    __tablename__ = "supplier_invoice_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("supplier_invoices.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    amount: Mapped[Decimal]
    expense_account: Mapped[str] = mapped_column(String(20))
