"""Bodies and answers of progressive discipline: warnings, cases and their steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.hr.discipline.models import CaseStatus, Category, Severity
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class WarningCreate(BaseModel):
    employee_id: str = Field(min_length=1, max_length=64)
    category: Category
    severity: Severity
    facts: str = Field(min_length=1, max_length=20000)
    occurred_on: IsoDate


class Acknowledgement(BaseModel):
    response: str | None = Field(default=None, max_length=20000, description="the employee's written response")


class Decision(BaseModel):
    decision: Literal["dismiss", "keep"]
    note: str = Field(min_length=1, max_length=20000)
    effective_date: IsoDate | None = Field(default=None, description="dismissal date (default: today)")


class WarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    employee_id: str
    issued_by: str | None
    issued_by_actor: Actor | None = actor_field("issued_by")
    category: str
    severity: str
    facts: str
    occurred_on: date
    issued_at: datetime
    acknowledge_by: datetime
    acknowledged_at: datetime | None
    response: str | None
    ignored_at: datetime | None
    expires_on: date


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step: str
    reason: str
    warning_id: str | None
    note: str | None
    at: datetime
    by: str | None
    by_actor: Actor | None = actor_field("by")


class CaseRead(BaseModel):
    id: str
    employee_id: str
    level: int
    step: str | None
    status: CaseStatus
    history: list[StepRead]


class WarningPage(Page[WarningRead]):
    """Warnings, newest first."""


WarningState = Literal["awaiting", "overdue", "acknowledged"]


class CaseSummary(BaseModel):
    """A case as HR's list shows it: where it stands on the ladder and what is waiting on the employee."""

    id: str
    employee_id: str
    employee_name: str
    level: int
    step: str | None
    status: CaseStatus
    updated_at: datetime
    awaiting_warnings: int = Field(description="warnings not yet acknowledged, their deadline still ahead")
    overdue_warnings: int = Field(description="warnings not acknowledged by their deadline (ignored ones included)")
    next_deadline: datetime | None = Field(description="the earliest deadline of the warnings awaiting acknowledgement")


class CasePage(Page[CaseSummary]):
    """Cases: those at dismissal review first, then the highest steps, the latest moved first."""
