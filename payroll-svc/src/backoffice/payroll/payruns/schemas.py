from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from backoffice.payroll.minimum.schemas import BelowMinimum, OverrideRead
from backoffice.payroll.payruns.models import ItemKind, ItemStatus, RunStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate, date_range
from backoffice.shared.decimals import InCurrency, Money
from backoffice.shared.events.payroll import CodeTotal, PayslipLine
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class PayRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pay_group: str = Field(min_length=1, max_length=40)
    period_start: Annotated[IsoDate, date_range(date(1970, 1, 1), date(2200, 1, 1))]
    period_end: Annotated[IsoDate, date_range(date(1970, 1, 1), date(2200, 1, 1))]
    pay_date: Annotated[IsoDate, date_range(date(1970, 1, 1), date(2200, 3, 1))]


class PayRunRead(InCurrency):
    id: str
    pay_group: str
    period_start: date
    period_end: date
    pay_date: date
    status: RunStatus
    currency: str
    rule_set_id: str | None
    employees: int
    gross: Money
    deductions: Money
    net: Money
    employer_contributions: Money
    by_code: list[CodeTotal]
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")
    calculated_at: datetime | None
    approved_at: datetime | None
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    paid_at: datetime | None


class PayRunPage(Page[PayRunRead]):
    pass


class PayslipRead(InCurrency):
    id: str
    run_id: str
    run_status: RunStatus
    employee_id: str
    employee_name: str
    department: str | None
    pay_type: str
    currency: str
    period_start: date
    period_end: date
    pay_date: date
    final: bool
    working_days_employed: int
    working_days_in_period: int
    hours: dict[str, Decimal]
    earnings: list[PayslipLine]
    deductions: list[PayslipLine]
    employer_contributions: list[PayslipLine]
    gross: Money
    total_deductions: Money
    net: Money
    total_employer_contributions: Money
    year_to_date: dict[str, Money]
    signed_off_by: str | None = Field(
        default=None, description="who (HR or an admin) checked this payslip of a payroll clerk before approval"
    )
    signed_off_by_actor: Actor | None = actor_field("signed_off_by")
    signed_off_at: datetime | None = None


class PayslipPage(Page[PayslipRead]):
    pass


class RegisterRow(BaseModel):
    payslip_id: str
    employee_id: str
    employee_name: str
    department: str | None
    pay_type: str
    final: bool
    hours: dict[str, Decimal]
    amounts: dict[str, Money] = Field(description="amount per rule code")
    gross: Money
    deductions: Money
    net: Money
    employer_contributions: Money


class Register(BaseModel):
    run: PayRunRead
    rows: list[RegisterRow]


class PayItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: str = Field(min_length=1, max_length=64)
    kind: ItemKind
    amount: Decimal = Field(
        ge=-1_000_000_000, le=1_000_000_000, description="a correction may be negative (an overpayment recovered)"
    )
    description: str = Field(min_length=1, max_length=200)
    corrects_run_id: str | None = Field(default=None, description="required for a correction: the run it corrects")


class PayItemRead(InCurrency):
    model_config = ConfigDict(from_attributes=True)

    id: str
    employee_id: str
    kind: str
    amount: Money
    currency: str
    description: str
    corrects_run_id: str | None
    status: ItemStatus
    paid_in_run_id: str | None
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class PayItemPage(Page[PayItemRead]):
    """Pay items, newest first."""


class PayRunChange(InCurrency):
    """One person of a run beside the previous run of the same pay group: what they are paid now and then."""

    employee_id: str
    employee_name: str
    department: str | None
    currency: str
    payslip_id: str | None = Field(description="this run's payslip; null for someone paid only by the previous run")
    gross: Money | None
    deductions: Money | None
    net: Money | None
    previous_gross: Money | None = Field(description="null when the previous run did not pay them (or there is none)")
    previous_net: Money | None
    gross_delta: Money | None = Field(description="gross minus previous gross; null unless both runs pay them")
    net_delta: Money | None = Field(description="net minus previous net; null unless both runs pay them")
    joined: bool = Field(description="started in the period, or not paid by the previous run")
    left: bool = Field(description="final pay (the employment ends in the period), or paid only by the previous run")
    pay_changed: bool = Field(
        description="pay terms took effect in the period, or were recorded since the previous run"
    )


class PayRunChangePage(Page[PayRunChange]):
    """People of a run by name, with who joined, left or changed pay, and the difference from the previous run."""

    previous_run_id: str | None = Field(description="the latest approved or paid run of the group before this one")
    previous_period_start: date | None
    previous_period_end: date | None
    joined: int = Field(description="how many joined, over all pages and whatever the filters")
    left: int
    pay_changed: int


class PayRunFinding(BaseModel):
    """Something that stops the run from being approved now."""

    slug: str = Field(
        description="unverified-timesheets, unpaid-verified-hours, own-payslip, not-calculated, below-minimum-pay or "
        "overtime-below-premium"
    )
    message: str
    ids: list[str] = Field(description="the timesheets or payslip concerned (at most 100)")
    below_minimum: list[BelowMinimum] = Field(
        default_factory=list, description="below-minimum-pay: each payslip, its hourly pay, the minimum, the shortfall"
    )


class PayRunChecks(BaseModel):
    run_id: str
    can_approve: bool = Field(description="true when nothing below blocks approval (the run is calculated)")
    findings: list[PayRunFinding]
    overrides: list[OverrideRead] = Field(
        default_factory=list, description="payslips a payroll officer let stand under the minimum pay, with why"
    )
