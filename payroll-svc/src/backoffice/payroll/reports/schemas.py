from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Direction = Literal["up", "down", "flat"]


class Change(BaseModel):
    amount: Decimal = Field(description="the figure now minus the figure then")
    percent: Decimal | None = Field(description="of the earlier figure's size, to 0.1; empty when it was zero")
    direction: Direction = Field(description="of the figure itself: expenses 'up' means they grew")


class ProfitPeriod(BaseModel):
    period: str = Field(description="2026-10 or 2026-Q4")
    start: date
    end: date
    income: Decimal
    expenses: Decimal
    profit: Decimal
    against_previous: Change | None = Field(description="profit; empty when that period is before the ledger")
    against_last_year: Change | None = Field(description="profit; empty when that period is before the ledger")
    income_against_previous: Change | None
    income_against_last_year: Change | None
    expenses_against_previous: Change | None
    expenses_against_last_year: Change | None


class ProfitAndLoss(BaseModel):
    granularity: Literal["month", "quarter"]
    currency: str
    ledger_starts: date | None = Field(description="the first entry in this currency: earlier periods have no data")
    periods: list[ProfitPeriod]


class CostRow(BaseModel):
    department: str
    period: str
    employees: int
    gross: Decimal
    employer_contributions: Decimal
    cost: Decimal


class PayrollCost(BaseModel):
    rows: list[CostRow]
    by_department: dict[str, Decimal]


class AgeingRow(BaseModel):
    supplier_id: str
    supplier_name: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal
    total: Decimal


class Ageing(BaseModel):
    as_of: date
    rows: list[AgeingRow]
    totals: AgeingRow


class ForecastRow(BaseModel):
    week_start: date
    currency: str = Field(description="amounts of different currencies are never added together")
    supplier_payments: Decimal
    payroll: Decimal
    total: Decimal


class CashForecast(BaseModel):
    start: date
    weeks: int
    currency: str = Field(description="the reporting currency: every week has a row in it")
    currencies: list[str] = Field(description="the reporting currency first, then any other money goes out in")
    rows: list[ForecastRow] = Field(description="by week, the reporting currency first in each")
    next_pay_runs: list[dict[str, str]]
