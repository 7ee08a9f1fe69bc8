"""``/reports``: profit and loss, payroll cost, payables ageing and cash forecast, as JSON, CSV and SVG."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from backoffice.payroll.reports import charts, service
from backoffice.payroll.reports.schemas import Ageing, CashForecast, Granularity, PayrollCost, ProfitAndLoss
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.auth import PERSON_ROLES, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

router = APIRouter(prefix="/reports", tags=["reports"])
# Whether the company is going up or down is for the whole staff; what the payroll costs and who is owed, for payroll.
STAFF = [Depends(require_roles(*PERSON_ROLES))]
PAYROLL = [Depends(require_roles("payroll"))]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}
SVG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/svg+xml": {}}}}
From = Annotated[
    IsoDate | None,
    Query(alias="from", description="default: twelve months (four quarters) up to 'to', its own included"),
]
To = Annotated[IsoDate | None, Query(alias="to", description="default: today")]


def _range(today: date, start: date | None, end: date | None, granularity: Granularity = "month") -> tuple[date, date]:
    """Twelve whole months (or four quarters) ending with the one holding ``to``, unless 'from' is given."""
    end = end or today
    if start is None:
        period_start = service.period_bounds(end, granularity)[0]
        start = period_start - relativedelta(months=11 if granularity == "month" else 9)
    return start, end


def _reporting_currency(settings: PayrollSettingsDep) -> str:
    return settings.reporting_currency.upper()


ReportingCurrency = Annotated[str, Depends(_reporting_currency)]


def _file(content: str, media: str, name: str) -> Response:
    return Response(content, media_type=media, headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get(
    "/profit-and-loss",
    response_model=ProfitAndLoss,
    summary="Income, expenses and profit per period",
    description="Also checked, beyond what the schema says: 'from' before 'to', at most ten years apart.",
    dependencies=STAFF,
)
async def pnl(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    end: To = None,
    granularity: Granularity = "month",
) -> ProfitAndLoss:
    return await service.profit_and_loss(session, granularity, *_range(today, start, end, granularity), currency)


@router.get(
    "/profit-and-loss.csv",
    response_class=Response,
    responses=CSV,
    summary="P&L as CSV",
    description="Also checked, beyond what the schema says: 'from' before 'to', ten years at most.",
    dependencies=STAFF,
)
async def pnl_csv(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    end: To = None,
    granularity: Granularity = "month",
) -> Response:
    report = await service.profit_and_loss(session, granularity, *_range(today, start, end, granularity), currency)
    return _file(service.pnl_csv(report), "text/csv; charset=utf-8", "profit-and-loss.csv")


@router.get(
    "/profit-and-loss.svg",
    response_class=Response,
    responses=SVG,
    summary="P&L trend chart",
    description="Also checked, beyond what the schema says: 'from' before 'to', ten years at most.",
    dependencies=STAFF,
)
async def pnl_svg(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    end: To = None,
    granularity: Granularity = "month",
) -> Response:
    report = await service.profit_and_loss(session, granularity, *_range(today, start, end, granularity), currency)
    labels = [p.period for p in report.periods]
    series = {
        "income": [p.income for p in report.periods],
        "expenses": [p.expenses for p in report.periods],
        "profit": [p.profit for p in report.periods],
    }
    return _file(charts.line_chart("Profit and loss", labels, series), "image/svg+xml", "profit-and-loss.svg")


@router.get(
    "/payroll-cost", response_model=PayrollCost, summary="Payroll cost by department and period", dependencies=PAYROLL
)
async def cost(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    end: To = None,
    granularity: Granularity = "month",
) -> PayrollCost:
    return await service.payroll_cost(session, granularity, *_range(today, start, end, granularity), currency)


@router.get(
    "/payroll-cost.csv", response_class=Response, responses=CSV, summary="Payroll cost as CSV", dependencies=PAYROLL
)
async def cost_csv(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    end: To = None,
    granularity: Granularity = "month",
) -> Response:
    report = await service.payroll_cost(session, granularity, *_range(today, start, end, granularity), currency)
    return _file(service.cost_csv(report), "text/csv; charset=utf-8", "payroll-cost.csv")


@router.get(
    "/payroll-cost.svg",
    response_class=Response,
    responses=SVG,
    summary="Payroll cost by department",
    dependencies=PAYROLL,
)
async def cost_svg(
    today: CompanyToday, currency: ReportingCurrency, session: SessionDep, start: From = None, end: To = None
) -> Response:
    report = await service.payroll_cost(session, "month", *_range(today, start, end), currency)
    chart = charts.bar_chart("Payroll cost by department", list(report.by_department.items()))
    return _file(chart, "image/svg+xml", "payroll-cost.svg")


@router.get("/payables-ageing", response_model=Ageing, summary="Open invoices by days past due", dependencies=PAYROLL)
async def ageing(
    today: CompanyToday, currency: ReportingCurrency, session: SessionDep, as_of: IsoDate | None = None
) -> Ageing:
    return await service.ageing(session, as_of or _range(today, None, None)[1], currency)


@router.get(
    "/payables-ageing.csv", response_class=Response, responses=CSV, summary="Ageing as CSV", dependencies=PAYROLL
)
async def ageing_csv(
    today: CompanyToday, currency: ReportingCurrency, session: SessionDep, as_of: IsoDate | None = None
) -> Response:
    report = await service.ageing(session, as_of or _range(today, None, None)[1], currency)
    return _file(service.ageing_csv(report), "text/csv; charset=utf-8", "payables-ageing.csv")


@router.get("/cash-forecast", response_model=CashForecast, summary="Cash going out per week", dependencies=PAYROLL)
async def forecast(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    weeks: Annotated[int, Query(ge=1, le=52)] = 8,
) -> CashForecast:
    return await service.cash_forecast(session, start or _range(today, None, None)[1], weeks, currency)


@router.get(
    "/cash-forecast.csv", response_class=Response, responses=CSV, summary="Cash forecast as CSV", dependencies=PAYROLL
)
async def forecast_csv(
    today: CompanyToday,
    currency: ReportingCurrency,
    session: SessionDep,
    start: From = None,
    weeks: Annotated[int, Query(ge=1, le=52)] = 8,
) -> Response:
    report = await service.cash_forecast(session, start or _range(today, None, None)[1], weeks, currency)
    return _file(service.forecast_csv(report), "text/csv; charset=utf-8", "cash-forecast.csv")
