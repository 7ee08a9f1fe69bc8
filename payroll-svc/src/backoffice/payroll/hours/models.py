"""Timesheets received from HR, their findings and the clerk's decision, and the hours payable."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.database import HOURS, Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

TimesheetStatus = Literal["pending", "approved", "rejected"]


class SubmittedTimesheet(Base):
    """One submitted version of an employee's week (the id is HR's timesheet id)."""

    __tablename__ = "timesheets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(String(64), index=True, doc="may be unknown to payroll: then rejected")
    week_start: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[TimesheetStatus] = mapped_column(String(16), index=True)
    entries: Mapped[str] = mapped_column(Text, doc="JSON: the entries as submitted")
    findings: Mapped[str] = mapped_column(Text, doc="JSON: what verification found")
    total_hours: Mapped[Decimal | None] = mapped_column(HOURS, doc="null when the entries cannot be added up")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64), doc="user id of the clerk; empty when automatic")
    reason: Mapped[str | None] = mapped_column(Text)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False, doc="rejected by verification itself")
    source_event_id: Mapped[str] = mapped_column(String(64))


class PayableHours(Base):
    """Hours of one day and kind after overtime classification; paid once, by the run that names it."""

    __tablename__ = "timesheet_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    timesheet_id: Mapped[str] = mapped_column(ForeignKey("timesheets.id"))
    employee_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    hours: Mapped[Decimal] = mapped_column(HOURS)
    paid_in_run_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_timesheet_hours_employee_day", "employee_id", "day"),
        Index("ix_timesheet_hours_sheet", "timesheet_id"),
        Index("ix_timesheet_hours_run", "paid_in_run_id"),
    )
