"""What a payslip pays as basic pay, as complementary pay, and for how many hours: kept on the payslip when it is
calculated so that the pay gap report sums columns instead of reading lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backoffice.payroll.money import ZERO
from backoffice.payroll.payruns.engine import PERIODS_PER_YEAR, PayslipResult
from backoffice.payroll.rules.schemas import HoursRule, ItemRule, Rule, SalaryRule

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class PaidFor:
    basic: Decimal
    complementary: Decimal
    hours: Decimal


def components(rules: Sequence[Rule]) -> dict[str, str]:
    """The kind of pay of each earning rule's code (basic or complementary)."""
    return {r.code: r.component for r in rules if isinstance(r, HoursRule | SalaryRule | ItemRule)}


def contracted_hours(
    result: PayslipResult, standard_hours_per_year: Decimal, frequency: str, weekly_hours: Decimal | None = None
) -> Decimal:
    """A salaried person's hours of the period: their weekly hours when the pay terms say them, otherwise the rule
    set's standard hours of a year spread over the periods, both prorated by the working days employed."""
    if result.working_days_in_period == 0:
        return ZERO
    per_period = (
        weekly_hours * 52 / PERIODS_PER_YEAR[frequency]
        if weekly_hours is not None
        else standard_hours_per_year / PERIODS_PER_YEAR[frequency]
    )
    return per_period * result.working_days_employed / result.working_days_in_period


def paid_for(
    result: PayslipResult,
    rules: Sequence[Rule],
    standard_hours_per_year: Decimal,
    frequency: str,
    weekly_hours: Decimal | None = None,
) -> PaidFor:
    """Basic and complementary pay (earning lines by their rule's component; a code no rule names is basic) and the
    hours paid: a salaried person's contracted hours, plus (or minus, for a negative multiplier such as unpaid
    leave) the hours of every hours line."""
    kinds = components(rules)
    sign = {r.code: (1 if r.multiplier >= 0 else -1) for r in rules if isinstance(r, HoursRule)}
    basic = complementary = hours = ZERO
    for line in result.lines:
        if line.category != "earning":
            continue
        if kinds.get(line.code, "basic") == "complementary":
            complementary += line.amount
        else:
            basic += line.amount
        if line.code in sign and line.quantity is not None:
            hours += sign[line.code] * line.quantity
    if result.pay_type == "salaried":
        hours += contracted_hours(result, standard_hours_per_year, frequency, weekly_hours)
    return PaidFor(basic, complementary, max(hours, ZERO).quantize(HUNDREDTH, rounding=ROUND_HALF_UP))
