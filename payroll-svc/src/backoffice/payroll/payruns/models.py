"""Pay runs, their payslips, one-off pay items and the year-to-date totals of each employee."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.database import HOURS, Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

RunStatus = Literal["draft", "calculated", "approved", "paid", "cancelled"]
ItemKind = Literal["bonus", "correction"]
ItemStatus = Literal["pending", "paid", "cancelled"]


class PayRun(Created, Base):
    __tablename__ = "pay_runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pay_group_code: Mapped[str] = mapped_column(ForeignKey("pay_groups.code"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    pay_date: Mapped[date] = mapped_column(Date)
    status: Mapped[RunStatus] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    rule_set_id: Mapped[str | None] = mapped_column(String(64))
    employee_count: Mapped[int] = mapped_column(Integer, default=0)
    gross: Mapped[Decimal] = mapped_column(default=Decimal(0))
    deductions: Mapped[Decimal] = mapped_column(default=Decimal(0))
    net: Mapped[Decimal] = mapped_column(default=Decimal(0))
    employer_contributions: Mapped[Decimal] = mapped_column(default=Decimal(0))
    totals_by_code: Mapped[str] = mapped_column(Text, default="{}", doc="JSON: category and amount per rule code")
    calculated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    calculated_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_pay_runs_group_period", "pay_group_code", "period_start"),)


class Payslip(Base):
    """Draft while its run is calculated; from approval a legal record, never edited."""

    __tablename__ = "payslips"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("pay_runs.id"))
    employee_id: Mapped[str] = mapped_column(String(64))
    employee_name: Mapped[str] = mapped_column(String(401))
    department: Mapped[str | None] = mapped_column(String(200))
    pay_type: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    pay_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[str] = mapped_column(Text, doc="JSON: hours paid by kind")
    lines: Mapped[str] = mapped_column(Text, doc="JSON: the payslip's lines in order")
    gross: Mapped[Decimal]
    deductions: Mapped[Decimal]
    net: Mapped[Decimal]
    employer_contributions: Mapped[Decimal]
    ytd: Mapped[str] = mapped_column(Text, doc="JSON: year-to-date totals including this payslip")
    final: Mapped[bool] = mapped_column(Boolean, doc="final pay: the employment ends in this period")
    working_days_employed: Mapped[int] = mapped_column(Integer)
    working_days_in_period: Mapped[int] = mapped_column(Integer)
    item_ids: Mapped[str] = mapped_column(Text, default="[]", doc="JSON: pay items paid by this payslip")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A payroll clerk's own payslip, checked by HR or an admin so that the clerk may approve the rest of the run.
    signed_off_by: Mapped[str | None] = mapped_column(String(64), default=None)
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # For the pay gap report, filled at calculation: earnings by kind of pay and the hours they pay.
    basic_pay: Mapped[Decimal] = mapped_column(server_default="0")
    complementary_pay: Mapped[Decimal] = mapped_column(server_default="0")
    hours_paid: Mapped[Decimal] = mapped_column(HOURS, server_default="0")

    __table_args__ = (
        Index("ix_payslips_run", "run_id"),
        Index("ix_payslips_employee", "employee_id", "pay_date"),
        # The pay gap report reads only this index (an index-only scan on PostgreSQL): a period's payslips, and
        # from each what the report sums.
        Index(
            "ix_payslips_pay_gap",
            "pay_date",
            "currency",
            "run_id",
            "employee_id",
            "basic_pay",
            "complementary_pay",
            "hours_paid",
            "period_end",
        ),
    )


class PayItem(Created, Base):
    """A one-off amount for the next run: a bonus, or a correction naming the run it corrects."""

    __tablename__ = "pay_items"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("pay_profiles.employee_id"))
    kind: Mapped[ItemKind] = mapped_column(String(16))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(200))
    corrects_run_id: Mapped[str | None] = mapped_column(ForeignKey("pay_runs.id"))
    status: Mapped[ItemStatus] = mapped_column(String(16))
    paid_in_run_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_pay_items_employee_status", "employee_id", "status"),)


class YearToDate(Base):
    """Sums of an employee's approved payslips in a calendar year (of the pay date), by code and in total."""

    __tablename__ = "year_to_date"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    by_code: Mapped[str] = mapped_column(Text)
    totals: Mapped[str] = mapped_column(Text)
    last_run_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
