"""Approved hours a payroll clerk deliberately leaves for a later run: deferrals and their cancellations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.payroll.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

DeferralKind = Literal["deferral", "cancellation"]


class HoursDeferral(Base):
    """A record, never edited: a deferral of one approved week, or the cancellation of one (``cancels_id``)."""

    __tablename__ = "hours_deferrals"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[DeferralKind] = mapped_column(String(16))
    timesheet_id: Mapped[str] = mapped_column(ForeignKey("timesheets.id"))
    employee_id: Mapped[str] = mapped_column(String(64))
    week_start: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[date | None] = mapped_column(Date, doc="left out of runs whose period ends before this day")
    next_run: Mapped[bool] = mapped_column(
        Boolean, default=False, doc="left out of runs until one paying the employee is approved after it"
    )
    recorded_on: Mapped[date] = mapped_column(Date, doc="the company's date when it was recorded")
    cancels_id: Mapped[str | None] = mapped_column(String(64), unique=True, doc="the deferral a cancellation ends")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_hours_deferrals_timesheet", "timesheet_id"),)
