"""Reports: is the company going up or down (P&L with comparisons), payroll cost, payables ageing, cash out.

Every report is computed from the ledger and the records, never stored: the SQL aggregates (sums per
day, per account type; per department and pay date), Python only rolls days up into periods.
"""

from __future__ import annotations

import calendar
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from backoffice.payroll.ledger.models import Account, JournalLine
from backoffice.payroll.money import ZERO, is_known_currency, quantum
from backoffice.payroll.payments.models import PaymentRun
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.reports.schemas import (
    Ageing,
    AgeingRow,
    CashForecast,
    Change,
    CostRow,
    ForecastRow,
    Granularity,
    PayrollCost,
    ProfitAndLoss,
    ProfitPeriod,
)
from backoffice.payroll.rules.models import PayGroup
from backoffice.payroll.suppliers.models import Supplier, SupplierInvoice
from backoffice.shared import csvfile
from backoffice.shared.errors import Unprocessable
from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

CENT = Decimal("0.01")
STEP = {
    "weekly": relativedelta(weeks=1),
    "biweekly": relativedelta(weeks=2),
    "semimonthly": relativedelta(days=15),
    "monthly": relativedelta(months=1),
}


def _unit(currency: str) -> Decimal:
    """The currency's minor unit: every amount of a report (JSON and CSV) has the currency's decimals."""
    return quantum(currency) if is_known_currency(currency) else CENT


def _period(day: date, granularity: Granularity) -> tuple[str, date, date]:
    if granularity == "month":
        start = day.replace(day=1)
        return f"{day.year}-{day.month:02d}", start, start.replace(day=calendar.monthrange(day.year, day.month)[1])
    quarter = (day.month - 1) // 3
    start = date(day.year, 3 * quarter + 1, 1)
    end = start + relativedelta(months=3) - timedelta(days=1)
    return f"{day.year}-Q{quarter + 1}", start, end


def period_bounds(day: date, granularity: Granularity) -> tuple[date, date]:
    """The first and last day of the month or quarter holding ``day``."""
    return _period(day, granularity)[1:]


def _change(now: Decimal, then: Decimal | None) -> Change | None:
    if then is None:
        return None
    amount = now - then
    percent = None if then == 0 else (amount / abs(then) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Change(amount=amount, percent=percent, direction="up" if amount > 0 else "down" if amount < 0 else "flat")


async def profit_and_loss(
    session: AsyncSession, granularity: Granularity, start: date, end: date, currency: str = "EUR"
) -> ProfitAndLoss:
    """Income, expenses and profit per period, each against the previous period and the same one a year earlier.

    A period to compare with that ends before the ledger's first entry (in this currency) has no data and
    gives no change; one after it with no lines is a real 0 and is compared like any other."""
    if end < start or (end - start).days > 366 * 10:
        raise Unprocessable("give a 'from' before 'to', at most ten years apart", slug="period")
    first = _period(start, granularity)[1]
    unit = _unit(currency)
    last = _period(end, granularity)[2]
    since = first - relativedelta(years=1)  # the same periods a year earlier (and the one before the first)
    ledger_starts = await session.scalar(
        select(func.min(JournalLine.entry_date)).where(JournalLine.currency == currency)
    )
    rows = await session.execute(
        select(JournalLine.entry_date, Account.type, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(Account, Account.code == JournalLine.account_code)
        .where(
            JournalLine.currency == currency,
            JournalLine.entry_date >= since,
            JournalLine.entry_date <= last,
            Account.type.in_(("income", "expense")),
        )
        .group_by(JournalLine.entry_date, Account.type)
    )
    income: dict[str, Decimal] = defaultdict(lambda: ZERO)
    expenses: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for day, kind, debit, credit in rows:
        label = _period(day, granularity)[0]
        if kind == "income":
            income[label] += Decimal(credit or 0) - Decimal(debit or 0)
        else:
            expenses[label] += Decimal(debit or 0) - Decimal(credit or 0)

    def figures(day: date) -> tuple[Decimal, Decimal, Decimal] | None:
        """Income, expenses and profit of the period holding ``day``; None before the ledger's first entry."""
        label, _, p_end = _period(day, granularity)
        if ledger_starts is None or p_end < ledger_starts:
            return None
        inc, exp = income[label].quantize(unit), expenses[label].quantize(unit)
        return inc, exp, inc - exp

    periods: list[ProfitPeriod] = []
    cursor = first
    while cursor <= last:
        label, p_start, p_end = _period(cursor, granularity)
        inc, exp = income[label].quantize(unit), expenses[label].quantize(unit)
        now = (inc, exp, inc - exp)
        before = figures(p_start - timedelta(days=1))
        year_ago = figures(p_start - relativedelta(years=1))
        prev = [_change(n, before[i] if before else None) for i, n in enumerate(now)]
        year = [_change(n, year_ago[i] if year_ago else None) for i, n in enumerate(now)]
        periods.append(
            ProfitPeriod(
                period=label,
                start=p_start,
                end=p_end,
                income=inc,
                expenses=exp,
                profit=now[2],
                against_previous=prev[2],
                against_last_year=year[2],
                income_against_previous=prev[0],
                income_against_last_year=year[0],
                expenses_against_previous=prev[1],
                expenses_against_last_year=year[1],
            )
        )
        cursor = p_end + timedelta(days=1)
    return ProfitAndLoss(
        granularity=granularity,
        currency=currency,
        ledger_starts=ledger_starts,
        periods=periods,
    )


def _change_cells(change: Change | None) -> list[object]:
    if change is None:
        return ["", "", ""]
    return [change.amount, "" if change.percent is None else change.percent, change.direction]


def pnl_csv(report: ProfitAndLoss) -> str:
    """The profit and loss report as CSV, one line per period."""
    out = io.StringIO()
    w = csvfile.writer(out)
    header = ["period", "income", "expenses", "profit"]
    for figure in ("profit", "income", "expenses"):
        for against in ("previous", "last_year"):
            prefix = "" if figure == "profit" else f"{figure}_"
            header += [
                f"{prefix}change_vs_{against}",
                f"{prefix}percent_vs_{against}",
                f"{prefix}direction_vs_{against}",
            ]
    w.writerow(header)
    for p in report.periods:
        row: list[object] = [p.period, p.income, p.expenses, p.profit]
        for change in (
            p.against_previous,
            p.against_last_year,
            p.income_against_previous,
            p.income_against_last_year,
            p.expenses_against_previous,
            p.expenses_against_last_year,
        ):
            row += _change_cells(change)
        w.writerow(row)
    return out.getvalue()


async def payroll_cost(
    session: AsyncSession, granularity: Granularity, start: date, end: date, currency: str = "EUR"
) -> PayrollCost:
    """The cost of approved and paid payslips in ``currency`` by department and period of their pay date."""
    rows = await session.execute(
        select(
            Payslip.department,
            Payslip.pay_date,
            func.count(),
            func.sum(Payslip.gross),
            func.sum(Payslip.employer_contributions),
        )
        .join(PayRun, PayRun.id == Payslip.run_id)
        .where(
            PayRun.status.in_(("approved", "paid")),
            Payslip.currency == currency,
            Payslip.pay_date >= start,
            Payslip.pay_date <= end,
        )
        .group_by(Payslip.department, Payslip.pay_date)
    )
    cells: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for department, pay_date, count, gross, employer in rows:
        cell = cells[(department or "(none)", _period(pay_date, granularity)[0])]
        cell[0] += count
        cell[1] += Decimal(gross or 0)
        cell[2] += Decimal(employer or 0)
    unit = _unit(currency)
    out = [
        CostRow(
            department=d,
            period=p,
            employees=int(c[0]),
            gross=c[1].quantize(unit),
            employer_contributions=c[2].quantize(unit),
            cost=(c[1] + c[2]).quantize(unit),
        )
        for (d, p), c in sorted(cells.items())
    ]
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in out:
        totals[row.department] += row.cost
    return PayrollCost(
        currency=currency, rows=out, by_department=dict(sorted(totals.items(), key=lambda kv: -kv[1]))
    )


def cost_csv(report: PayrollCost) -> str:
    """The payroll cost report as CSV."""
    out = io.StringIO()
    w = csvfile.writer(out)
    w.writerow(["department", "period", "payslips", "gross", "employer_contributions", "cost"])
    for r in report.rows:
        w.writerow([r.department, r.period, r.employees, r.gross, r.employer_contributions, r.cost])
    return out.getvalue()


OPEN = ("received", "approved", "on_hold", "scheduled")


async def ageing(session: AsyncSession, as_of: date, currency: str = "EUR") -> Ageing:
    """Invoices open on ``as_of``: entered by then and not paid by then (whatever happened later)."""
    rows = await session.execute(
        select(SupplierInvoice.supplier_id, Supplier.name, SupplierInvoice.due_date, SupplierInvoice.total)
        .join(Supplier, Supplier.id == SupplierInvoice.supplier_id)
        .where(
            SupplierInvoice.currency == currency,
            SupplierInvoice.invoice_date <= as_of,
            or_(
                SupplierInvoice.status.in_(OPEN),
                and_(SupplierInvoice.status == "paid", SupplierInvoice.paid_on > as_of),
            ),
        )
    )
    buckets: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 5)
    unit = _unit(currency)
    for supplier_id, name, due, amount in rows:
        late = (as_of - due).days
        slot = 0 if late <= 0 else 1 if late <= 30 else 2 if late <= 60 else 3 if late <= 90 else 4
        buckets[(supplier_id, name)][slot] += Decimal(amount)

    def row(supplier_id: str, name: str, b: list[Decimal]) -> AgeingRow:
        q = [v.quantize(unit) for v in b]
        return AgeingRow(
            supplier_id=supplier_id,
            supplier_name=name,
            current=q[0],
            days_1_30=q[1],
            days_31_60=q[2],
            days_61_90=q[3],
            days_over_90=q[4],
            total=sum(q, ZERO),
        )

    out = [row(s, n, b) for (s, n), b in sorted(buckets.items(), key=lambda kv: kv[0][1])]
    total: list[Decimal] = [
        sum((getattr(r, f) for r in out), ZERO)
        for f in ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90")
    ]
    return Ageing(currency=currency, as_of=as_of, rows=out, totals=row("", "TOTAL", total))


def ageing_csv(report: Ageing) -> str:
    """The payables ageing report as CSV."""
    out = io.StringIO()
    w = csvfile.writer(out)
    w.writerow(["supplier", "current", "1-30", "31-60", "61-90", "over 90", "total"])
    for r in [*report.rows, report.totals]:
        w.writerow([r.supplier_name, r.current, r.days_1_30, r.days_31_60, r.days_61_90, r.days_over_90, r.total])
    return out.getvalue()


async def cash_forecast(session: AsyncSession, start: date, weeks: int, currency: str = "EUR") -> CashForecast:
    """Cash going out per week and currency (never added across currencies): invoices scheduled in runs (on
    their execution day), approved ones on their due day, held approved ones with a release date on the later
    of that day and their due day, and each pay group's next run estimated from its last approved one.

    Every week has a row in ``currency`` (the reporting one); other currencies have a row where money goes out."""
    monday = start - timedelta(days=start.weekday())
    end = monday + timedelta(weeks=weeks) - timedelta(days=1)
    out: dict[tuple[date, str], list[Decimal]] = {
        (monday + timedelta(weeks=n), currency): [ZERO, ZERO] for n in range(weeks)
    }

    def add(day: date, code: str, slot: int, amount: Decimal) -> None:
        week = max(day - timedelta(days=day.weekday()), monday)  # overdue: expected in the first week
        if week <= end:
            out.setdefault((week, code), [ZERO, ZERO])[slot] += amount

    scheduled = await session.execute(
        select(PaymentRun.execution_date, SupplierInvoice.currency, func.sum(SupplierInvoice.total))
        .join(SupplierInvoice, SupplierInvoice.payment_run_id == PaymentRun.id)
        .where(SupplierInvoice.status == "scheduled", PaymentRun.status.in_(("proposed", "approved")))
        .group_by(PaymentRun.execution_date, SupplierInvoice.currency)
    )
    for day, code, total in scheduled:
        add(day, code, 0, Decimal(total))
    approved = await session.execute(
        select(SupplierInvoice.due_date, SupplierInvoice.currency, func.sum(SupplierInvoice.total))
        .where(SupplierInvoice.status == "approved", SupplierInvoice.due_date <= end)
        .group_by(SupplierInvoice.due_date, SupplierInvoice.currency)
    )
    for day, code, total in approved:
        add(day, code, 0, Decimal(total))
    released = await session.execute(
        select(
            SupplierInvoice.due_date,
            SupplierInvoice.hold_until,
            SupplierInvoice.currency,
            func.sum(SupplierInvoice.total),
        )
        .where(
            SupplierInvoice.status == "on_hold",
            SupplierInvoice.approved_by.is_not(None),
            SupplierInvoice.hold_until.is_not(None),
            SupplierInvoice.hold_until <= end,
            SupplierInvoice.due_date <= end,
        )
        .group_by(SupplierInvoice.due_date, SupplierInvoice.hold_until, SupplierInvoice.currency)
    )
    for due, until, code, total in released:
        add(max(due, until or due), code, 0, Decimal(total))
    latest: dict[str, PayRun] = {}
    for run in await session.scalars(
        select(PayRun).where(PayRun.status.in_(("approved", "paid"))).order_by(PayRun.pay_date)
    ):
        latest[run.pay_group_code] = run
    groups = {g.code: g for g in await session.scalars(select(PayGroup))}
    next_runs = []
    for code, run in latest.items():
        step = STEP[groups[code].frequency]
        cost = run.net + run.deductions + run.employer_contributions
        day = run.pay_date + step
        while day <= end:
            if day >= monday:
                add(day, run.currency, 1, cost)
                next_runs.append(
                    {
                        "pay_group": code,
                        "pay_date": day.isoformat(),
                        "amount": str(cost.quantize(_unit(run.currency))),
                        "currency": run.currency,
                    }
                )
            day += step
    rows = [
        ForecastRow(
            week_start=w,
            currency=code,
            supplier_payments=v[0].quantize(_unit(code)),
            payroll=v[1].quantize(_unit(code)),
            total=(v[0] + v[1]).quantize(_unit(code)),
        )
        for (w, code), v in sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1] != currency, kv[0][1]))
    ]
    return CashForecast(
        start=monday,
        weeks=weeks,
        currency=currency,
        currencies=sorted({code for _, code in out}, key=lambda c: (c != currency, c)),
        rows=rows,
        next_pay_runs=next_runs,
    )


def forecast_csv(report: CashForecast) -> str:
    """The cash forecast as CSV, one line per week."""
    out = io.StringIO()
    w = csvfile.writer(out)
    w.writerow(["week_start", "currency", "supplier_payments", "payroll", "total"])
    for r in report.rows:
        w.writerow([r.week_start, r.currency, r.supplier_payments, r.payroll, r.total])
    return out.getvalue()
