"""The pay calculation against hand-computed payslips, and its money identities for random inputs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from backoffice.payroll.money import quantum
from backoffice.payroll.payruns.engine import (
    EmployeeInput,
    PayItem,
    PayslipResult,
    Period,
    Terms,
    WorkedHours,
    calculate,
    working_days,
)
from backoffice.payroll.rules.example import EXAMPLE_RULES
from backoffice.payroll.rules.schemas import RuleSetCreate
from backoffice.shared.decimals import MINOR_UNITS
from hypothesis import given, settings
from hypothesis import strategies as st

D = Decimal
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 30), "EUR")
RULES = RuleSetCreate.model_validate({"pay_group": "monthly", "effective_from": "2026-01-01", "rules": EXAMPLE_RULES})


def hourly(rate: str = "25.50", **extra: object) -> Terms:
    return Terms(date(2020, 1, 1), "hourly", D(rate), "EUR", "monthly")


def amounts(result: PayslipResult) -> dict[str, Decimal]:
    return {line.code: line.amount for line in result.lines}


def test_october_2026_has_22_working_days() -> None:
    assert working_days(date(2026, 10, 1), date(2026, 10, 31)) == 22
    assert working_days(date(2026, 10, 15), date(2026, 10, 31)) == 12
    assert working_days(date(2026, 10, 3), date(2026, 10, 4)) == 0  # a weekend


def test_hourly_with_overtime_bracketed_tax_and_a_social_cap_reached_this_year() -> None:
    days = [date(2026, 10, 1) + timedelta(days=i) for i in range(31)]
    weekdays = [d for d in days if d.weekday() < 5][:20]
    hours = [WorkedHours(d, "regular", D(8)) for d in weekdays] + [WorkedHours(weekdays[0], "overtime", D(10))]
    employee = EmployeeInput("e1", date(2020, 1, 1), None, [hourly()], hours, ytd={"social": D("2800.00")})
    result = calculate(employee, OCTOBER, RULES.rules, RULES.standard_hours_per_year)
    # 160 x 25.50 = 4080.00; 10 x 38.25 = 382.50; pension 5% of 4462.50 = 223.125 -> 223.13;
    # taxable 4239.37: 20% of 2000 + 40% of 1239.37 = 895.748 -> 895.75; social 8% = 357.00, capped at
    # 300 per period and at 3000 - 2800 = 200 this year; employer 10% = 446.25.
    assert amounts(result) == {
        "regular": D("4080.00"),
        "overtime": D("382.50"),
        "pension": D("223.13"),
        "income_tax": D("895.75"),
        "social": D("200.00"),
        "employer_social": D("446.25"),
    }
    assert (result.gross, result.deductions, result.net) == (D("4462.50"), D("1318.88"), D("3143.62"))
    assert result.employer_contributions == D("446.25")
    assert result.hours == {"overtime": D(10), "regular": D(160)}
    assert result.ytd["social"] == D("3000.00")
    assert result.ytd_totals["net"] == D("3143.62")
    assert not result.final


def test_salaried_starting_mid_month_is_prorated_by_working_days() -> None:
    terms = Terms(date(2026, 10, 15), "salaried", D("5000"), "EUR", "monthly")
    employee = EmployeeInput("e2", date(2026, 10, 15), None, [terms])
    result = calculate(employee, OCTOBER, RULES.rules, RULES.standard_hours_per_year)
    # 5000 x 12/22 = 2727.2727 -> 2727.27; pension 136.36; taxable 2590.91 -> tax 20% of 1590.91 = 318.18;
    # social 8% = 218.18; employer 272.73.
    assert amounts(result) == {
        "salary": D("2727.27"),
        "pension": D("136.36"),
        "income_tax": D("318.18"),
        "social": D("218.18"),
        "employer_social": D("272.73"),
    }
    assert result.net == D("2054.55")
    assert result.working_days_employed == 12
    assert result.lines[0].description == "Salary (12/22 days)"


def test_final_pay_with_a_raise_inside_the_period_and_a_correction_of_an_earlier_run() -> None:
    terms = [
        Terms(date(2025, 1, 1), "salaried", D("4400"), "EUR", "monthly"),
        Terms(date(2026, 10, 19), "salaried", D("5500"), "EUR", "monthly"),
    ]
    item = PayItem("i1", "correction", D("100"), "September overtime missed", "run-9")
    employee = EmployeeInput("e3", date(2025, 1, 1), date(2026, 10, 27), terms, items=[item])
    result = calculate(employee, OCTOBER, RULES.rules, RULES.standard_hours_per_year)
    salary = [line for line in result.lines if line.code == "salary"]
    # 1-18 Oct: 12 working days at 4400 -> 2400.00; 19-27 Oct: 7 days at 5500 -> 1750.00.
    assert [(ln.quantity, ln.rate, ln.amount) for ln in salary] == [
        (D(12), D("4400"), D("2400.00")),
        (D(7), D("5500"), D("1750.00")),
    ]
    correction = next(line for line in result.lines if line.code == "correction")
    assert correction.corrects_run_id == "run-9"
    assert correction.amount == D("100.00")
    assert result.gross == D("4250.00")
    assert result.final
    assert result.item_ids == ["i1"]


def test_unpaid_leave_of_a_salaried_employee_uses_the_hourly_equivalent() -> None:
    terms = Terms(date(2020, 1, 1), "salaried", D("5200"), "EUR", "monthly")
    employee = EmployeeInput(
        "e4", date(2020, 1, 1), None, [terms], [WorkedHours(date(2026, 10, 5), "unpaid_leave", D(8))]
    )
    result = calculate(employee, OCTOBER, RULES.rules, RULES.standard_hours_per_year)
    # 5200 x 12 / 2080 = 30 an hour; 8 h -> -240.00.
    assert amounts(result)["unpaid"] == D("-240.00")
    assert result.gross == D("4960.00")


# -- properties ----------------------------------------------------------------------------------
money = st.decimals(min_value=0, max_value=20000, places=2)
percent = st.decimals(min_value=0, max_value=60, places=3)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSetCreate:
    rules: list[dict[str, object]] = [
        {"kind": "hours", "code": "regular", "description": "Regular", "hours_kind": "regular"},
        {
            "kind": "hours",
            "code": "overtime",
            "description": "Overtime",
            "hours_kind": "overtime",
            "multiplier": str(draw(st.decimals(min_value=1, max_value=3, places=2))),
        },
        {"kind": "salary", "code": "salary", "description": "Salary"},
        {"kind": "item", "code": "bonus", "description": "Bonus", "item_kind": "bonus"},
    ]
    for n in range(draw(st.integers(0, 5))):
        category = draw(st.sampled_from(["deduction", "employer_contribution"]))
        caps = {
            "period_cap": str(draw(money)) if draw(st.booleans()) else None,
            "annual_cap": str(draw(money)) if draw(st.booleans()) else None,
        }
        kind = draw(st.sampled_from(["fixed", "percentage", "brackets"]))
        rule: dict[str, object] = {"kind": kind, "code": f"w{n}", "description": f"W{n}", "category": category, **caps}
        if kind == "fixed":
            rule["amount"] = str(draw(st.decimals(min_value=0, max_value=50, places=2)))
        elif kind == "percentage":
            rule["percent"] = str(draw(percent))
            rule["base"] = [draw(st.sampled_from(["gross", "taxable"]))]
        else:
            bounds = sorted(draw(st.sets(st.integers(1, 10000), min_size=0, max_size=3)))
            rule["brackets"] = [{"up_to": str(b), "percent": str(draw(percent))} for b in bounds] + [
                {"percent": str(draw(percent))}
            ]
            rule["base"] = ["gross"]
        if category == "deduction" and draw(st.booleans()):
            rule["reduces_taxable"] = True
        rules.append(rule)
    return RuleSetCreate.model_validate({"pay_group": "g", "effective_from": "2026-01-01", "rules": rules})


@st.composite
def cases(draw: st.DrawFn) -> tuple[EmployeeInput, Period, RuleSetCreate]:
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    start = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 1)))
    length = draw(st.integers(6, 30))
    period = Period(start, start + timedelta(days=length), start + timedelta(days=length), currency)
    pay_type = draw(st.sampled_from(["hourly", "salaried"]))
    rate = draw(st.decimals(min_value=1, max_value=9000, places=4))
    versions = [Terms(date(2020, 1, 1), pay_type, rate, currency, "monthly")]
    if draw(st.booleans()):
        raise_on = start + timedelta(days=draw(st.integers(0, length)))
        versions.append(Terms(raise_on, pay_type, rate + draw(money), currency, "monthly"))
    starts = draw(st.sampled_from([date(2020, 1, 1), start + timedelta(days=draw(st.integers(0, length)))]))
    ends = draw(st.sampled_from([None, start + timedelta(days=draw(st.integers(0, length)))]))
    if ends is not None and ends < starts:
        ends = starts
    hours = [
        WorkedHours(
            start + timedelta(days=d),
            draw(st.sampled_from(["regular", "overtime"])),
            draw(st.decimals(min_value=0, max_value=12, places=2)),
        )
        for d in draw(st.lists(st.integers(0, length), max_size=20))
    ]
    items = [PayItem(f"b{i}", "bonus", draw(money), "bonus") for i in range(draw(st.integers(0, 2)))]
    ytd = {f"w{n}": draw(money).quantize(quantum(currency)) for n in range(5) if draw(st.booleans())}
    employee = EmployeeInput("e", starts, ends, versions, hours, items, ytd=ytd)
    return employee, period, draw(rule_sets())


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_line_is_rounded_and_the_totals_are_the_sums_of_the_lines(
    case: tuple[EmployeeInput, Period, RuleSetCreate],
) -> None:
    employee, period, rule_set = case
    result = calculate(employee, period, rule_set.rules, rule_set.standard_hours_per_year)
    unit = quantum(period.currency)
    for line in result.lines:
        assert line.amount == line.amount.quantize(unit)
        assert line.amount != 0
        exponent = line.amount.as_tuple().exponent
        assert isinstance(exponent, int)  # a finite amount
        assert -exponent <= MINOR_UNITS[period.currency]
    earned = sum((ln.amount for ln in result.lines if ln.category == "earning"), Decimal(0))
    withheld = sum((ln.amount for ln in result.lines if ln.category == "deduction"), Decimal(0))
    paid_by_employer = sum((ln.amount for ln in result.lines if ln.category == "employer_contribution"), Decimal(0))
    assert result.gross == earned
    assert result.net == earned - withheld == result.gross - result.deductions
    assert result.employer_contributions == paid_by_employer
    for rule in rule_set.rules:
        cap = getattr(rule, "period_cap", None)
        line_total = sum((ln.amount for ln in result.lines if ln.code == rule.code), Decimal(0))
        if cap is not None:
            assert line_total <= cap
        annual = getattr(rule, "annual_cap", None)
        if annual is not None and line_total:
            assert employee.ytd.get(rule.code, Decimal(0)) + line_total <= annual
        assert result.ytd.get(rule.code, Decimal(0)) == employee.ytd.get(rule.code, Decimal(0)) + line_total
    again = calculate(employee, period, rule_set.rules, rule_set.standard_hours_per_year)
    assert again.amounts() == result.amounts()


@settings(max_examples=50, deadline=None)
@given(st.lists(cases(), min_size=1, max_size=8))
def test_a_runs_totals_are_the_sums_of_its_payslips(batch: list[tuple[EmployeeInput, Period, RuleSetCreate]]) -> None:
    from backoffice.payroll.payruns.calculation import _totals

    _, period, rule_set = batch[0]
    results = [calculate(e, period, rule_set.rules, rule_set.standard_hours_per_year) for e, _, _ in batch]
    by_code = _totals(results, rule_set.rules)
    for code, total in by_code.items():
        assert Decimal(total["amount"]) == sum(
            (ln.amount for r in results for ln in r.lines if ln.code == code), Decimal(0)
        )
    earnings = sum((Decimal(t["amount"]) for t in by_code.values() if t["category"] == "earning"), Decimal(0))
    assert earnings == sum((r.gross for r in results), Decimal(0))


def test_days_under_another_frequency_belong_to_another_groups_run() -> None:
    terms = [
        Terms(date(2020, 1, 1), "salaried", D("4400"), "EUR", "monthly"),
        Terms(date(2026, 10, 16), "salaried", D("1000"), "EUR", "weekly"),
    ]
    employee = EmployeeInput("e5", date(2020, 1, 1), None, terms)
    result = calculate(employee, OCTOBER, RULES.rules, RULES.standard_hours_per_year)
    # Only 1-15 October are monthly: 11 of 22 working days of 4400; the weekly run pays the rest.
    assert [(ln.quantity, ln.amount) for ln in result.lines if ln.code == "salary"] == [(D(11), D("2200.00"))]
    weekly = Period(date(2026, 10, 19), date(2026, 10, 25), date(2026, 10, 23), "EUR", "weekly")
    assert amounts(calculate(employee, weekly, RULES.rules, RULES.standard_hours_per_year))["salary"] == D("1000.00")


def test_a_payslip_shows_only_the_hours_its_run_pays() -> None:
    terms = [hourly(), Terms(date(2026, 10, 16), "hourly", D("25.50"), "EUR", "weekly")]
    hours = [WorkedHours(date(2026, 10, 14), "regular", D(8)), WorkedHours(date(2026, 10, 20), "regular", D(6))]
    result = calculate(
        EmployeeInput("e6", date(2020, 1, 1), None, terms, hours), OCTOBER, RULES.rules, RULES.standard_hours_per_year
    )
    # The 20th is under weekly terms: the weekly run pays (and shows) those 6 hours, this one the 8 of the 14th.
    assert result.hours == {"regular": D(8)}
    assert amounts(result)["regular"] == D("204.00")
