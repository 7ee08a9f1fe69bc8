"""The unpaid verified hours report and deferrals, as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.hours.deferral_models import DeferralKind
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class DeferralCreate(BaseModel):
    """Name the week by its timesheet, or by the employee and the Monday of the week."""

    model_config = ConfigDict(extra="forbid")

    timesheet_id: str | None = Field(default=None, min_length=1, max_length=64)
    employee_id: str | None = Field(default=None, min_length=1, max_length=64)
    week_start: date | None = None
    reason: str = Field(min_length=1, max_length=2000, description="why the hours wait: kept with the record")
    until: date | Literal["next-run"] = Field(
        description="a date: runs whose period ends before it leave the hours out; 'next-run': runs leave them "
        "out until one paying the employee is approved after the deferral, and the run after that pays them"
    )

    @field_validator("reason")
    @classmethod
    def _said(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give a reason: why the hours are left for a later run")
        return value.strip()

    @model_validator(mode="after")
    def _one_week(self) -> DeferralCreate:
        by_person = self.employee_id is not None or self.week_start is not None
        if (self.timesheet_id is None) == (not by_person) or (
            by_person and (self.employee_id is None or self.week_start is None)
        ):
            raise ValueError("name the week: either timesheet_id, or employee_id with week_start")
        return self


class DeferralCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000, description="why the hours should be paid after all")


class DeferralRead(BaseModel):
    id: str
    kind: DeferralKind = Field(description="a deferral, or the cancellation of one (cancels_id)")
    timesheet_id: str
    employee_id: str
    employee_name: str | None
    week_start: date
    reason: str
    until: date | None
    next_run: bool
    recorded_on: date
    cancels_id: str | None
    cancelled_by_id: str | None = Field(description="the cancellation of this deferral, if any")
    created_at: datetime
    created_by: str
    created_by_actor: Actor | None = actor_field("created_by")


class DeferralPage(Page[DeferralRead]):
    pass


class UnpaidWeek(BaseModel):
    timesheet_id: str
    employee_id: str
    employee_name: str | None = Field(description="from the pay profile; null when payroll has none")
    department: str | None
    week_start: date
    week_end: date
    hours: Decimal = Field(description="the approved hours of the week no approved run has paid")
    approved_at: datetime
    age_days: int = Field(description="whole days since the clerk approved the week (company's calendar)")
    deferral: DeferralRead | None = Field(description="the deferral in force (not cancelled), if any")


class UnpaidHoursPage(Page[UnpaidWeek]):
    people: int = Field(description="how many people have unpaid weeks, over all pages")
    hours: Decimal = Field(description="the unpaid hours of all matching weeks, over all pages")
    deferred_hours: Decimal = Field(description="the part of 'hours' deferred on purpose")
