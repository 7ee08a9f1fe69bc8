"""The pay calculation: one employee, one period, one rule set -> payslip lines. Pure and deterministic.

Nothing here reads a database or a clock: the same inputs always give the same lines, which is what
makes a draft run repeatable and lets approval check that nothing changed since it was calculated.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from backoffice.payroll.money import ZERO, cap_money, round_money
from backoffice.payroll.rules.schemas import (
    BracketsRule,
    FixedRule,
    HoursRule,
    ItemRule,
    PercentageRule,
    Rule,
    SalaryRule,
)

PERIODS_PER_YEAR = {"weekly": 52, "biweekly": 26, "semimonthly": 24, "monthly": 12}
HUNDRED = Decimal(100)
Category = Literal["earning", "deduction", "employer_contribution"]


@dataclass(frozen=True)
class Terms:
    effective_from: date
    pay_type: str
    rate: Decimal
    currency: str
    frequency: str


@dataclass(frozen=True)
class WorkedHours:
    day: date
    kind: str
    hours: Decimal


@dataclass(frozen=True)
class PayItem:
    id: str
    kind: str  # bonus | correction
    amount: Decimal
    description: str
    corrects_run_id: str | None = None


@dataclass
class EmployeeInput:
    employee_id: str
    start_date: date
    end_date: date | None
    terms: Sequence[Terms]  # ascending by effective_from
    hours: Sequence[WorkedHours] = ()
    items: Sequence[PayItem] = ()
    ytd: dict[str, Decimal] = field(default_factory=dict)  # amounts by rule code, this calendar year so far
    ytd_totals: dict[str, Decimal] = field(default_factory=dict)  # gross, deductions, net, employer_contributions
    arrears: Sequence[Line] = ()  # earnings owed (or recovered) for periods already paid: see ``retro_lines``

    def terms_on(self, day: date) -> Terms:
        """The terms in force on ``day`` (before the first version: the first one)."""
        if len(self.terms) == 1:
            return self.terms[0]  # most people: one version, no search
        starts = [t.effective_from for t in self.terms]
        return self.terms[max(bisect.bisect_right(starts, day) - 1, 0)]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    pay_date: date
    currency: str
    frequency: str = "monthly"

    def pays(self, terms: Terms) -> bool:
        """Days under terms of another frequency or currency belong to another pay group's runs."""
        return (terms.frequency, terms.currency) == (self.frequency, self.currency)


@dataclass(frozen=True)
class Line:
    category: Category
    code: str
    description: str
    amount: Decimal
    quantity: Decimal | None = None
    rate: Decimal | None = None
    corrects_run_id: str | None = None


@dataclass
class PayslipResult:
    employee_id: str
    pay_type: str
    lines: list[Line]
    hours: dict[str, Decimal]
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_contributions: Decimal
    ytd: dict[str, Decimal]
    ytd_totals: dict[str, Decimal]
    final: bool
    working_days_employed: int
    working_days_in_period: int
    item_ids: list[str]

    def amounts(self) -> tuple[object, ...]:
        """What must not change between calculation and approval."""
        return (self.pay_type, tuple(self.lines), self.gross, self.deductions, self.net, self.employer_contributions)


@lru_cache(maxsize=4096)
def working_days(first: date, last: date) -> int:
    """Monday to Friday between ``first`` and ``last`` inclusive."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    weekday = first.weekday()
    count += sum(1 for i in range(rest) if (weekday + i) % 7 < 5)
    return count


def hourly_rate(terms: Terms, standard_hours_per_year: Decimal) -> Decimal:
    """The rate of one hour: an hourly wage, or a salary spread over the standard hours."""
    if terms.pay_type == "hourly":
        return terms.rate
    return terms.rate * PERIODS_PER_YEAR[terms.frequency] / standard_hours_per_year


def _segments(employee: EmployeeInput, first: date, last: date) -> Iterable[tuple[date, date, Terms]]:
    """Split ``first..last`` where the terms change."""
    day = first
    while day <= last:
        terms = employee.terms_on(day)
        later = [t.effective_from for t in employee.terms if day < t.effective_from <= last]
        end = min(later) - timedelta(days=1) if later else last
        yield day, end, terms
        day = end + timedelta(days=1)


def _bracketed(base: Decimal, rule: BracketsRule) -> Decimal:
    total, lower = ZERO, ZERO
    for bracket in rule.brackets:
        upper = bracket.up_to
        if base <= lower:
            break
        slice_top = base if upper is None else min(base, upper)
        total += (slice_top - lower) * bracket.percent / HUNDRED
        lower = upper if upper is not None else base
    return total


EARNING_RULES = (SalaryRule, HoursRule, ItemRule)  # the rules that make gross; the others are computed on it


@dataclass(frozen=True)
class _Context:
    """What every rule of one employee's period reads."""

    employee: EmployeeInput
    period: Period
    standard_hours: Decimal
    employed_from: date
    employed_to: date
    period_days: int  # working days of the whole period
    current: Terms  # in force on the last day employed in the period: its pay type selects the rules


@dataclass
class _Slip:
    """A payslip being built: its lines in order, their sums by code, what reduces the taxable base."""

    lines: list[Line] = field(default_factory=list)
    by_code: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    pre_tax: Decimal = ZERO
    item_ids: list[str] = field(default_factory=list)

    def add(self, lines: Iterable[Line]) -> None:
        for line in lines:
            if line.amount != 0:
                self.lines.append(line)
                self.by_code[line.code] += line.amount

    def total(self, category: Category) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.category == category), ZERO)


def calculate(employee: EmployeeInput, period: Period, rules: Sequence[Rule], standard_hours: Decimal) -> PayslipResult:
    """Apply ``rules`` in order to one employee's period; every line is rounded half-up on its own."""
    employed_from = max(period.start, employee.start_date)
    employed_to = period.end if employee.end_date is None else min(period.end, employee.end_date)
    current = employee.terms_on(min(employed_to, period.end) if employed_to >= employed_from else period.end)
    period_days = working_days(period.start, period.end)
    context = _Context(employee, period, standard_hours, employed_from, employed_to, period_days, current)
    slip = _Slip()
    arrears_added = False
    for rule in rules:
        if not arrears_added and not isinstance(rule, EARNING_RULES):
            slip.add(employee.arrears)  # earnings of past periods come before anything computed on gross
            arrears_added = True
        _apply(rule, context, slip)
    if not arrears_added:
        slip.add(employee.arrears)
    return _result(context, slip)


def _apply(rule: Rule, context: _Context, slip: _Slip) -> None:
    """Add the lines of one rule to ``slip``."""
    if isinstance(rule, SalaryRule):
        slip.add(_salary_lines(rule, context))
    elif isinstance(rule, HoursRule):
        slip.add(_hours_lines(rule, context))
    elif context.current.pay_type not in rule.pay_types:
        return
    elif isinstance(rule, ItemRule):
        items = [item for item in context.employee.items if item.kind == rule.item_kind]
        slip.item_ids += [item.id for item in items]
        currency = context.period.currency
        slip.add(
            Line(
                "earning",
                rule.code,
                item.description or rule.description,
                round_money(item.amount, currency),
                corrects_run_id=item.corrects_run_id,
            )
            for item in items
        )
    else:
        line = _withheld(rule, context, slip)
        slip.add([line])
        if rule.reduces_taxable:
            slip.pre_tax += line.amount


def _salary_lines(rule: SalaryRule, context: _Context) -> Iterable[Line]:
    """The salary of each stretch of the employment in the period with the same terms, prorated by working days."""
    period, period_days = context.period, context.period_days
    for first, last, terms in _segments(context.employee, context.employed_from, context.employed_to):
        if terms.pay_type not in rule.pay_types or period_days == 0 or not period.pays(terms):
            continue
        days = working_days(first, last)
        amount = terms.rate if days == period_days else terms.rate * days / period_days
        text = rule.description if days == period_days else f"{rule.description} ({days}/{period_days} days)"
        yield Line("earning", rule.code, text, round_money(amount, period.currency), Decimal(days), terms.rate)


def _hours_lines(rule: HoursRule, context: _Context) -> Iterable[Line]:
    """The hours of the rule's kind, one line per hourly rate (the rate of the terms of each day worked)."""
    employee, period, currency = context.employee, context.period, context.period.currency
    by_rate: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for worked in employee.hours:
        if worked.kind != rule.hours_kind:
            continue
        terms = employee.terms_on(worked.day)
        if terms.pay_type in rule.pay_types and period.pays(terms):
            by_rate[hourly_rate(terms, context.standard_hours) * rule.multiplier] += worked.hours
    for rate in sorted(by_rate):
        quantity = by_rate[rate]
        shown_rate = round_money(rate, currency) if rate == round_money(rate, currency) else rate
        yield Line("earning", rule.code, rule.description, round_money(quantity * rate, currency), quantity, shown_rate)


def _withheld(rule: FixedRule | PercentageRule | BracketsRule, context: _Context, slip: _Slip) -> Line:
    """A deduction or an employer contribution: fixed, or computed on a base of the lines so far; capped."""
    currency = context.period.currency
    base: Decimal | None = None
    if isinstance(rule, FixedRule):
        raw = rule.amount
    else:
        gross = slip.total("earning")
        parts = {"gross": gross, "taxable": gross - slip.pre_tax}
        base = sum((parts[b] if b in parts else slip.by_code[b] for b in rule.base), ZERO)
        raw = base * rule.percent / HUNDRED if isinstance(rule, PercentageRule) else _bracketed(base, rule)
    amount = max(round_money(raw, currency), ZERO)
    if rule.period_cap is not None:
        amount = min(amount, cap_money(rule.period_cap, currency))
    if rule.annual_cap is not None:
        room = cap_money(rule.annual_cap - context.employee.ytd.get(rule.code, ZERO), currency)
        amount = min(amount, max(room, ZERO))
    amount = round_money(amount, currency)  # a cap or year-to-date may carry another exponent
    return Line(rule.category, rule.code, rule.description, amount, base)


def _result(context: _Context, slip: _Slip) -> PayslipResult:
    """The payslip of ``slip``'s lines: totals, hours paid, and the year to date including it."""
    employee, period = context.employee, context.period
    gross, deductions = slip.total("earning"), slip.total("deduction")
    employer = slip.total("employer_contribution")
    net = gross - deductions
    ytd = dict(employee.ytd)
    for code, amount in slip.by_code.items():
        ytd[code] = ytd.get(code, ZERO) + amount
    ytd_totals = dict(employee.ytd_totals)
    for key, amount in (
        ("gross", gross),
        ("deductions", deductions),
        ("net", net),
        ("employer_contributions", employer),
    ):
        ytd_totals[key] = ytd_totals.get(key, ZERO) + amount
    hours_by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for worked in employee.hours:  # only the hours this period pays: days under another group's terms are theirs
        if period.pays(employee.terms_on(worked.day)):
            hours_by_kind[worked.kind] += worked.hours
    return PayslipResult(
        employee_id=employee.employee_id,
        pay_type=context.current.pay_type,
        lines=slip.lines,
        hours={kind: hours_by_kind[kind] for kind in sorted(hours_by_kind)},
        gross=gross,
        deductions=deductions,
        net=net,
        employer_contributions=employer,
        ytd=ytd,
        ytd_totals=ytd_totals,
        final=employee.end_date is not None and period.start <= employee.end_date <= period.end,
        working_days_employed=working_days(context.employed_from, context.employed_to),
        working_days_in_period=context.period_days,
        item_ids=slip.item_ids,
    )


def retro_lines(
    employee: EmployeeInput,
    period: Period,
    rules: Sequence[Rule],
    standard_hours: Decimal,
    paid: dict[str, Decimal],
    run_id: str,
) -> list[Line]:
    """What a paid period owes today: its salary and hours computed again with what is known now (a hire or a
    raise recorded after the period was paid, a back-dated cut), less what was paid for it (``paid``, by rule
    code, arrears included). ``employee.hours`` are the hours that period's run paid. One line per rule code
    that differs: arrears when more is owed, a recovery (a negative earning) when less; each names the period
    and the run it corrects."""
    earning_rules = [r for r in rules if isinstance(r, SalaryRule | HoursRule)]
    again = calculate(
        EmployeeInput(employee.employee_id, employee.start_date, employee.end_date, employee.terms, employee.hours),
        period,
        earning_rules,
        standard_hours,
    )
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in again.lines:
        owed[line.code] += line.amount
    lines: list[Line] = []
    for rule in earning_rules:
        difference = owed.get(rule.code, ZERO) - paid.get(rule.code, ZERO)
        if rule.code in {ln.code for ln in lines} or difference == 0:
            continue
        what = "arrears" if difference > 0 else "recovery"
        text = f"{rule.description} {what} for {period.start.isoformat()} to {period.end.isoformat()}"
        lines.append(Line("earning", rule.code, text, round_money(difference, period.currency), corrects_run_id=run_id))
    return lines
