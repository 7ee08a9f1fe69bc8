from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from backoffice.payroll.hours.models import TimesheetStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator


class SubmittedEntry(BaseModel):
    """An entry as HR sent it, read leniently: impossible values become findings, not a dead letter."""

    model_config = ConfigDict(extra="ignore")

    day: date
    hours: Decimal = Field(
        default=Decimal("NaN"),
        allow_inf_nan=True,
        description="missing, not a number, NaN, infinities and absurd values become findings",
    )
    kind: str = Field(description="a kind payroll does not know is a finding")
    note: str | None = None

    @field_validator("hours", mode="before")
    @classmethod
    def _not_a_number(cls, value: object) -> object:
        """Hours that are not a number at all ("eight", true, a list) are read as NaN: a finding."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            return Decimal("NaN")
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            return Decimal("NaN")


class SubmittedHours(BaseModel):
    """``hr.hours_submitted`` as payroll reads it (the same fields as the contract, without its bounds)."""

    model_config = ConfigDict(extra="ignore")

    timesheet_id: str = Field(min_length=1, max_length=64)
    employee_id: str = Field(min_length=1, max_length=64)
    week_start: date
    version: int = Field(default=1, ge=1, le=2**31 - 1)
    entries: list[SubmittedEntry] = Field(description="more than 100 is a finding")


class FindingRead(BaseModel):
    code: str
    severity: Literal["error", "info"] = Field(description="an error rejects the timesheet; info is for the clerk")
    message: str
    day: date | None = None


class HoursRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: str
    hours: Decimal
    paid_in_run_id: str | None


class TimesheetRead(BaseModel):
    id: str
    employee_id: str
    employee_name: str | None = Field(
        default=None, description="the employee's name from the pay profile; null when payroll has none"
    )
    week_start: date
    version: int
    status: TimesheetStatus
    automatic: bool = Field(description="rejected by verification itself, not by a clerk")
    entries: list[SubmittedEntry]
    total_hours: Decimal | None = Field(
        description="the sum of the entries; null when they cannot be added up (not numbers, or absurdly large)"
    )
    hours: list[HoursRead] = Field(description="the hours payable once approved, overtime classified")
    findings: list[FindingRead]
    received_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decided_by_actor: Actor | None = actor_field("decided_by")
    decision_reason: str | None = Field(
        description="why the week was rejected, by a clerk or by verification itself (as HR's timesheet names it)"
    )
    reason: str | None = Field(
        description="the former name of decision_reason, dropped in the next release",
        json_schema_extra={"deprecated": True},
    )


class TimesheetPage(Page[TimesheetRead]):
    pass


class Rejection(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="told to the employee")


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    timesheet_ids: list[str] = Field(min_length=1, max_length=1000)
    reason: str | None = Field(default=None, min_length=1, max_length=2000, description="required to reject")


class DecisionResult(BaseModel):
    decided: int
    items: list[TimesheetRead]
