"""Minimum pay versions, the payslips under them and their overrides, as the API shows them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from backoffice.payroll.money import Currency
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), Field(description="ISO 3166-1 alpha-2 code")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class MinimumPayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Country
    region: Label | None = Field(default=None, description="empty: the whole country")
    agreement_group: Label | None = Field(
        default=None, description="empty: everyone; else only people whose pay terms name this group"
    )
    effective_from: IsoDate
    effective_to: IsoDate | None = Field(default=None, description="last day in force; empty until the next version")
    currency: Currency
    hourly_minimum: Decimal = Field(gt=0, le=100_000, decimal_places=4, description="the least pay of one hour")
    overtime_premium_percent: Decimal | None = Field(
        default=None,
        ge=0,
        le=500,
        decimal_places=2,
        description="overtime hours are paid at least at (100 + this) % of the hourly rate",
    )

    @model_validator(mode="after")
    def _dates(self) -> MinimumPayCreate:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from: give a last day on or after the first")
        return self


class MinimumPayRead(MinimumPayCreate):
    id: str
    version: int = Field(description="1, 2, ... for the same country, region and agreement group")
    in_force_to: date | None = Field(description="last day in force: effective_to, or the day before the next version")
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class MinimumPayPage(Page[MinimumPayRead]):
    """Minimum pay versions, by country, region, group and version."""


class BelowMinimum(BaseModel):
    """A payslip whose pay for an hour worked is under the minimum in force on the period's last day."""

    payslip_id: str
    employee_id: str
    employee_name: str
    hourly_pay: Decimal = Field(description="hourly: the rate; salaried: period salary / contracted hours")
    minimum: Decimal
    shortfall: Decimal = Field(description="minimum - hourly_pay")
    minimum_rule_id: str
    overridden: bool = Field(description="a payroll officer let it stand (see the run's overrides)")


class OverrideCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payslip_id: str = Field(min_length=1, max_length=64)
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)] = Field(
        description="why the payslip may stand under the minimum: kept with the run and sent in the event"
    )


class OverrideRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    run_id: str
    payslip_id: str
    employee_id: str
    employee_name: str
    hourly_pay: Decimal
    minimum: Decimal
    reason: str
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class OverridePage(Page[OverrideRead]):
    """The overrides of a run, oldest first."""
