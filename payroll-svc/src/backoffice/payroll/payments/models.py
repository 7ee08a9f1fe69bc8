"""Payment runs: which due invoices are paid together, the payment per supplier, and the bank files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.database import Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

PaymentRunStatus = Literal["proposed", "approved", "executed", "cancelled"]


class PaymentRun(Created, Base):
    __tablename__ = "payment_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    execution_date: Mapped[date] = mapped_column(Date)
    due_by: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentRunStatus] = mapped_column(String(16))
    total: Mapped[Decimal]
    invoice_count: Mapped[int] = mapped_column(Integer)
    pain001: Mapped[str | None] = mapped_column(Text, doc="ISO 20022 pain.001.001.03 XML, once executed")
    transfers_csv: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaymentRunLine(Base):
    __tablename__ = "payment_run_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("payment_runs.id"))
    invoice_id: Mapped[str] = mapped_column(ForeignKey("supplier_invoices.id"))
    supplier_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal]
    dropped: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_payment_run_lines_run", "run_id"),)


class SupplierPayment(Base):
    """One transfer to a supplier: the sum of its invoices in the run. Never edited."""

    __tablename__ = "supplier_payments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("payment_runs.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    execution_date: Mapped[date] = mapped_column(Date)
    end_to_end_id: Mapped[str] = mapped_column(String(35))
    invoice_ids: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
