"""Minimum pay versions and the overrides of payslips under the minimum: records never edited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.payroll.database import RATE, Base
from backoffice.shared.db import Created
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class MinimumPayRule(Created, Base):
    """One version of the hourly minimum of a country (and region, and agreement group); a change is a new version."""

    __tablename__ = "minimum_pay_rules"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(40), doc="empty: the whole country")
    agreement_group: Mapped[str | None] = mapped_column(String(40), doc="empty: everyone")
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    hourly_minimum: Mapped[Decimal] = mapped_column(RATE)
    overtime_premium_percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))

    __table_args__ = (Index("ix_minimum_pay_rules_country", "country", "effective_from"),)


class MinimumPayOverride(Created, Base):
    """A payroll officer let a payslip under the minimum stand, with a written reason (kept even if recalculated)."""

    __tablename__ = "minimum_pay_overrides"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("pay_runs.id"))
    payslip_id: Mapped[str] = mapped_column(String(64))
    employee_id: Mapped[str] = mapped_column(String(64))
    employee_name: Mapped[str] = mapped_column(String(401))
    hourly_pay: Mapped[Decimal] = mapped_column(RATE)
    minimum: Mapped[Decimal] = mapped_column(RATE)
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("payslip_id", name="uq_minimum_pay_overrides_payslip"),
        Index("ix_minimum_pay_overrides_run", "run_id"),
    )
