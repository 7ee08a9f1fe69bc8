from __future__ import annotations

from datetime import date
from typing import Literal

from backoffice.shared.decimals import InCurrency, Money, Plain
from pydantic import BaseModel, Field

Direction = Literal["up", "down", "flat"]
Granularity = Literal["month", "quarter"]


class Change(BaseModel):
    amount: Money = Field(description="the figure now minus the figure then")
    percent: Plain | None = Field(description="of the earlier figure's size, to 0.1; empty when it was zero")
    direction: Direction = Field(description="of the figure itself: expenses 'up' means they grew")


class ProfitPeriod(BaseModel):
    period: str = Field(description="2026-10 or 2026-Q4")
    start: date
    end: date
    income: Money
    expenses: Money
    profit: Money
    against_previous: Change | None = Field(description="profit; empty when that period is before the ledger")
    against_last_year: Change | None = Field(description="profit; empty when that period is before the ledger")
    income_against_previous: Change | None
    income_against_last_year: Change | None
    expenses_against_previous: Change | None
    expenses_against_last_year: Change | None


class ProfitAndLoss(InCurrency):
    granularity: Granularity
    currency: str
    ledger_starts: date | None = Field(description="the first entry in this currency: earlier periods have no data")
    periods: list[ProfitPeriod]


class CostRow(BaseModel):
    department: str
    period: str
    employees: int
    gross: Money
    employer_contributions: Money
    cost: Money


class PayrollCost(BaseModel):
    currency: str = Field(description="the reporting currency, which every figure is in")
    rows: list[CostRow]
    by_department: dict[str, Money]


class AgeingRow(BaseModel):
    supplier_id: str
    supplier_name: str
    current: Money
    days_1_30: Money
    days_31_60: Money
    days_61_90: Money
    days_over_90: Money
    total: Money


class Ageing(BaseModel):
    currency: str = Field(description="the reporting currency, which every figure is in")
    as_of: date
    rows: list[AgeingRow]
    totals: AgeingRow


class ForecastRow(InCurrency):
    week_start: date
    currency: str = Field(description="amounts of different currencies are never added together")
    supplier_payments: Money
    payroll: Money
    total: Money


class CashForecast(BaseModel):
    start: date
    weeks: int
    currency: str = Field(description="the reporting currency: every week has a row in it")
    currencies: list[str] = Field(description="the reporting currency first, then any other money goes out in")
    rows: list[ForecastRow] = Field(description="by week, the reporting currency first in each")
    next_pay_runs: list[dict[str, str]]
