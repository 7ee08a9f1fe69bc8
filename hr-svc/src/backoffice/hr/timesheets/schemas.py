"""Bodies and answers of weekly timesheets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from backoffice.hr.timesheets.models import EntryKind, TimesheetStatus
from backoffice.shared.dates import IsoDate
from backoffice.shared.decimals import Hundredths
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field


class TimesheetCreate(BaseModel):
    week_start: IsoDate = Field(description="the Monday of the week")
    employee_id: str | None = Field(default=None, max_length=64, description="HR only; default: yourself")


class EntryCreate(BaseModel):
    day: IsoDate
    hours: Decimal = Field(max_digits=5, decimal_places=2)
    kind: EntryKind = "regular"
    note: str | None = Field(default=None, max_length=500)


class EntriesUpdate(BaseModel):
    entries: list[EntryCreate] = Field(max_length=100)


class FindingRead(BaseModel):
    code: str
    message: str
    day: date | None = None


class TimesheetRead(BaseModel):
    id: str
    employee_id: str
    week_start: date
    version: int
    status: TimesheetStatus
    supersedes_id: str | None
    entries: list[EntryCreate]
    total_hours: Hundredths
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_reason: str | None
    findings: list[FindingRead]


class TimesheetPage(Page[TimesheetRead]):
    """Timesheets, the latest week first."""
