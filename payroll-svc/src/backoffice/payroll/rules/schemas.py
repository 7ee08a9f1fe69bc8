"""Pay rules as data: a rule set is a list of typed rules applied in order, never code to evaluate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from backoffice.payroll.money import Currency
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")]
GroupCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
PayType = Literal["hourly", "salaried"]
HoursKind = Literal["regular", "overtime", "holiday", "sick", "unpaid_leave"]
Frequency = Literal["weekly", "biweekly", "semimonthly", "monthly"]
Component = Literal["basic", "complementary"]
RESERVED_BASES = ("gross", "taxable")
MAX = Decimal(1_000_000_000)  # no amount in a rule is larger


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code = Field(description="names the lines this rule produces; unique in the set")
    description: str = Field(min_length=1, max_length=200, description="the text printed on the payslip")
    pay_types: list[PayType] = Field(
        default_factory=lambda: list[PayType](["hourly", "salaried"]),
        min_length=1,
        description="who the rule applies to",
    )


COMPLEMENTARY_BY_DEFAULT = ("overtime", "bonus")  # hours kinds and item kinds; everything else is basic pay


class _Earning(_Rule):
    component: Component = Field(
        default="basic",
        description="the kind of pay for the pay gap report: basic, or complementary (extras on top). When not "
        "given: overtime hours and bonuses are complementary, the rest (salary, regular, holiday and sick hours, "
        "corrections) basic",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_component(cls, data: Any) -> Any:
        if isinstance(data, dict) and "component" not in data:
            kind = data.get("hours_kind", data.get("item_kind"))
            return {**data, "component": "complementary" if kind in COMPLEMENTARY_BY_DEFAULT else "basic"}
        return data


class HoursRule(_Earning):
    """Earning: hours of one kind x the hourly rate x ``multiplier`` (salaried: the hourly equivalent)."""

    kind: Literal["hours"] = "hours"
    hours_kind: HoursKind
    multiplier: Decimal = Field(default=Decimal(1), ge=-10, le=10)
    pay_types: list[PayType] = Field(default_factory=lambda: list[PayType](["hourly"]), min_length=1)


class SalaryRule(_Earning):
    """Earning: the salary of the period, prorated by working days employed."""

    kind: Literal["salary"] = "salary"
    pay_types: list[PayType] = Field(default_factory=lambda: list[PayType](["salaried"]), min_length=1)


class ItemRule(_Earning):
    """Earning: one-off pay items of a kind (bonuses; corrections of an earlier run, which name that run)."""

    kind: Literal["item"] = "item"
    item_kind: Literal["bonus", "correction"]


class _Withholding(_Rule):
    category: Literal["deduction", "employer_contribution"] = Field(
        description="a deduction comes off the employee's pay; a contribution is paid by the employer on top"
    )
    period_cap: Decimal | None = Field(default=None, ge=0, le=MAX, description="at most this much in one pay period")
    annual_cap: Decimal | None = Field(default=None, ge=0, le=MAX, description="at most this much in a calendar year")
    reduces_taxable: StrictBool = Field(
        default=False, description="a pre-tax deduction: later 'taxable' bases exclude it"
    )

    @model_validator(mode="after")
    def _pre_tax_is_a_deduction(self) -> _Withholding:
        if self.reduces_taxable and self.category != "deduction":
            raise ValueError(f"rule {self.code}: only a deduction can reduce the taxable base")
        return self


class FixedRule(_Withholding):
    kind: Literal["fixed"] = "fixed"
    amount: Decimal = Field(ge=0, le=MAX)


class _OnBase(_Withholding):
    base: list[str] = Field(
        default_factory=lambda: ["gross"],
        min_length=1,
        description="what the rule is computed on: 'gross', 'taxable', or codes of rules applied before it, summed",
    )


class PercentageRule(_OnBase):
    kind: Literal["percentage"] = "percentage"
    percent: Decimal = Field(ge=0, le=100)


class Bracket(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    up_to: Decimal | None = Field(
        default=None, gt=0, le=MAX, description="upper bound of the slice; empty for the top one"
    )
    percent: Decimal = Field(ge=0, le=100)


class BracketsRule(_OnBase):
    """Progressive: each slice of the base between two bounds is charged its own percentage."""

    kind: Literal["brackets"] = "brackets"
    brackets: list[Bracket] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> BracketsRule:
        bounds = [b.up_to for b in self.brackets]
        if bounds[-1] is not None:
            raise ValueError(f"rule {self.code}: the last bracket must have no 'up_to' (it takes the rest)")
        finite = [b for b in bounds[:-1] if b is not None]
        if len(finite) != len(bounds) - 1 or finite != sorted(set(finite)):
            raise ValueError(f"rule {self.code}: brackets need strictly ascending 'up_to' bounds")
        return self


Rule = Annotated[
    HoursRule | SalaryRule | ItemRule | FixedRule | PercentageRule | BracketsRule, Field(discriminator="kind")
]
EARNING_KINDS = ("hours", "salary", "item")


class PayGroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: GroupCode
    name: str = Field(min_length=1, max_length=200)
    frequency: Frequency
    currency: Currency


class PayGroupRead(PayGroupCreate):
    model_config = ConfigDict(from_attributes=True)

    created_at: datetime


class RuleSetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pay_group: GroupCode
    effective_from: IsoDate
    effective_to: IsoDate | None = Field(default=None, description="last day in force; empty until the next version")
    standard_hours_per_year: Decimal = Field(
        default=Decimal(2080), ge=100, le=4000, decimal_places=2, description="turns a salary into an hourly rate"
    )
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> RuleSetCreate:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        seen: set[str] = set()
        withholding_seen = False
        for rule in self.rules:
            if rule.code in seen or rule.code in RESERVED_BASES:
                raise ValueError(f"rule code {rule.code!r} is used twice or reserved ('gross', 'taxable')")
            if rule.kind in EARNING_KINDS:
                if withholding_seen:
                    raise ValueError(f"earning rule {rule.code} comes after a deduction: list every earning first")
            else:
                withholding_seen = True
            if isinstance(rule, _OnBase):
                unknown = [b for b in rule.base if b not in seen and b not in RESERVED_BASES]
                if unknown:
                    raise ValueError(
                        f"rule {rule.code}: base {unknown} is not 'gross', 'taxable' or a rule listed before it"
                    )
            seen.add(rule.code)
        return self


class RuleSetRead(RuleSetCreate):
    id: str
    version: int
    in_force_to: date | None = Field(description="last day in force: effective_to, or the day before the next version")
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class PayGroupPage(Page[PayGroupRead]):
    """Pay groups, by code."""


class RuleSetPage(Page[RuleSetRead]):
    """Rule set versions, by pay group and version."""
