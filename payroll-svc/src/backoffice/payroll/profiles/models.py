"""Pay profiles: what payroll keeps of each employee from HR's events, pay terms effective-dated."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from backoffice.payroll.database import HOURS, RATE, Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class PayProfile(Base):
    """The employee as HR last described them; department and position by date are in ``PlacementVersion``."""

    __tablename__ = "pay_profiles"

    employee_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    department: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, doc="last day employed (the termination's effective date)")
    termination_kind: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PayTermsVersion(Base):
    """Terms in force from ``effective_from`` until the next version; a later event for the same day wins."""

    __tablename__ = "pay_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("pay_profiles.employee_id"))
    effective_from: Mapped[date] = mapped_column(Date)
    pay_type: Mapped[str] = mapped_column(String(16))
    rate: Mapped[Decimal] = mapped_column(RATE)
    currency: Mapped[str] = mapped_column(String(3))
    frequency: Mapped[str] = mapped_column(String(16))
    weekly_hours: Mapped[Decimal | None] = mapped_column(HOURS, default=None, doc="contracted; empty: standard")
    agreement_group: Mapped[str | None] = mapped_column(String(40), default=None)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_event_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("employee_id", "effective_from", name="uq_pay_terms_employee_day"),)


class PlacementVersion(Base):
    """Department and position from ``effective_from`` until the next version: a payslip (and the payroll cost
    report) shows the department in force on the last day it pays, even when calculated after a move."""

    __tablename__ = "pay_placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("pay_profiles.employee_id"))
    effective_from: Mapped[date] = mapped_column(Date)
    department: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_event_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("employee_id", "effective_from", name="uq_pay_placements_employee_day"),)
