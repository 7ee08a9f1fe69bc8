from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

Category = Literal["conduct", "ethics", "attendance", "performance", "policy"]
Severity = Literal["minor", "serious", "gross_misconduct"]
CaseStatus = Literal["open", "dismissal_review", "kept", "dismissed"]


class Warning(Base):
    """A warning: a legal record. Acknowledgement and the written response are added once, never edited."""

    __tablename__ = "warnings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    issued_by: Mapped[str | None] = mapped_column(String(64), doc="user id")
    category: Mapped[Category] = mapped_column(String(16))
    severity: Mapped[Severity] = mapped_column(String(20))
    facts: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledge_by: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(Text)
    ignored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (Index("ix_warnings_employee", "employee_id"), Index("ix_warnings_deadline", "acknowledge_by"))


class DisciplinaryCase(Base):
    """One case per employee; ``level`` counts the steps climbed (0: none)."""

    __tablename__ = "disciplinary_cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"), unique=True)
    level: Mapped[int] = mapped_column(Integer)
    status: Mapped[CaseStatus] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseStep(Base):
    """The case's history, append-only: each escalation and each decision."""

    __tablename__ = "case_steps"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("disciplinary_cases.id"))
    step: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(30))
    warning_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_case_steps_case", "case_id"),)
