from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field

Category = Literal["conduct", "ethics", "attendance", "performance", "policy"]
Severity = Literal["minor", "serious", "gross_misconduct"]


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
    status: Literal["open", "dismissal_review", "kept", "dismissed"]
    history: list[StepRead]


class WarningPage(Page[WarningRead]):
    """Warnings, newest first."""
