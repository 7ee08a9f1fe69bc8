from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import Created, Updated, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

EmploymentType = Literal["hourly", "salaried"]
StoredStatus = Literal["active", "on_leave"]  # "terminated" is read from the end date, never stored
PayFrequency = Literal["weekly", "biweekly", "semimonthly", "monthly"]
TerminationKind = Literal["voluntary", "dismissal", "end_of_contract", "retirement", "other"]


class Department(Created, Base):
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Employee(Updated, Base):
    """The employee record. Pay terms and terminations are kept in their own, append-only tables."""

    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    position: Mapped[str | None] = mapped_column(String(200))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    employment_type: Mapped[EmploymentType] = mapped_column(String(16))
    roles: Mapped[str] = mapped_column(String(255), doc="space-separated login roles")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[StoredStatus] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_employees_department", "department_id"),
        Index("ix_employees_manager", "manager_id"),
        Index("ix_employees_status", "status"),
        Index("ix_employees_family_name", "family_name"),
    )


class PayTerms(Created, Base):
    """Pay terms in force from ``effective_from`` until the next row's date (never edited)."""

    __tablename__ = "pay_terms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    effective_from: Mapped[date] = mapped_column(Date)
    pay_type: Mapped[EmploymentType] = mapped_column(String(16))
    rate: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    currency: Mapped[str] = mapped_column(String(3))
    frequency: Mapped[PayFrequency] = mapped_column(String(16))
    weekly_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), default=None)
    agreement_group: Mapped[str | None] = mapped_column(String(40), default=None)

    __table_args__ = (UniqueConstraint("employee_id", "effective_from", name="uq_pay_terms_employee_date"),)


class Termination(Base):
    """The end of an employment: a legal record, never edited."""

    __tablename__ = "terminations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), unique=True)
    effective_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[TerminationKind] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
