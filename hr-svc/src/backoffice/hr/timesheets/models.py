from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import Updated, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

TimesheetStatus = Literal["draft", "submitted", "verified", "rejected"]
EntryKind = Literal["regular", "overtime", "holiday", "sick", "unpaid_leave"]


class Timesheet(Updated, Base):
    """One version of an employee's week. A submitted version is never edited; a correction is a new one."""

    __tablename__ = "timesheets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    week_start: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[TimesheetStatus] = mapped_column(String(16))
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("timesheets.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[str | None] = mapped_column(Text, doc="JSON list from payroll")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("employee_id", "week_start", "version", name="uq_timesheets_week_version"),
        Index("ix_timesheets_employee_week", "employee_id", "week_start"),
    )


class TimesheetEntry(Base):
    __tablename__ = "timesheet_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    timesheet_id: Mapped[str] = mapped_column(ForeignKey("timesheets.id"))
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    kind: Mapped[EntryKind] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_timesheet_entries_sheet", "timesheet_id"),)
