"""``/reports/unpaid-hours``: approved hours no approved run paid; ``/hours/deferrals``: weeks left for later."""

from __future__ import annotations

from typing import Annotated, Any

from backoffice.payroll.unpaidhours import service as unpaid
from backoffice.payroll.unpaidhours.schemas import (
    DeferralCancel,
    DeferralCreate,
    DeferralPage,
    DeferralRead,
    UnpaidHoursPage,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday, CompanyZone
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

READERS = ("payroll", "hr", "pay_auditor")
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]
reports = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(require_roles(*READERS))])
deferrals = APIRouter(prefix="/hours/deferrals", tags=["hours verification"])
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


def _filters(
    employee_id: Annotated[str | None, Query(max_length=64, description="one employee")] = None,
    q: Annotated[str | None, Query(max_length=200, description="a part of the name or employee id, any case")] = None,
    older_than: Annotated[
        int | None, Query(ge=0, le=36500, description="only weeks approved more than this many days ago")
    ] = None,
    pay_group: Annotated[str | None, Query(max_length=40, description="people the group pays now (its code)")] = None,
    deferred: Annotated[bool | None, Query(description="only deferred weeks (true) or only the others (false)")] = None,
    timesheet_id: Annotated[
        list[str] | None, Query(max_length=100, description="only these weeks (repeat the parameter)")
    ] = None,
) -> unpaid.UnpaidFilters:
    return unpaid.UnpaidFilters(employee_id, q, older_than, pay_group, deferred, timesheet_id)


Filters = Annotated[unpaid.UnpaidFilters, Depends(_filters)]


@reports.get(
    "/unpaid-hours",
    response_model=UnpaidHoursPage,
    summary="Approved hours no approved run has paid, by person and week, oldest approval first",
    description="The age counts whole days since the clerk approved the week, in the company's calendar. "
    "Also checked, beyond what the schema says: the pay group exists.",
)
async def unpaid_hours(
    session: SessionDep,
    zone: CompanyZone,
    today: CompanyToday,
    filters: Filters,
    limit: Limit = 100,
    offset: Offset = 0,
) -> UnpaidHoursPage:
    return await name_actors(session, await unpaid.report(session, zone, today, filters, limit, offset))


@reports.get(
    "/unpaid-hours.csv",
    response_class=Response,
    responses=CSV,
    summary="Unpaid approved hours as CSV (every matching week, with a total line)",
    description="Also checked, beyond what the schema says: the pay group exists.",
)
async def unpaid_hours_csv(session: SessionDep, zone: CompanyZone, today: CompanyToday, filters: Filters) -> Response:
    page = await unpaid.report(session, zone, today, filters, 1_000_000, 0)
    return Response(
        unpaid.report_csv(page),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="unpaid-hours-{today}.csv"'},
    )


@deferrals.post(
    "",
    response_model=DeferralRead,
    status_code=201,
    summary="Leave an approved week's unpaid hours for a later run, with the reason",
    description="Also checked, beyond what the schema says: the week is approved, not paid, not deferred already, "
    "not the clerk's own, and 'until' comes after it.",
)
async def defer(body: DeferralCreate, user: Clerk, session: SessionDep, today: CompanyToday) -> DeferralRead:
    return await name_actors(session, await unpaid.defer(session, user, body, today))


@deferrals.post(
    "/{deferral_id}/cancel",
    response_model=DeferralRead,
    status_code=201,
    summary="Cancel a deferral (a new record): the next run pays the hours",
)
async def cancel(
    deferral_id: str, body: DeferralCancel, user: Clerk, session: SessionDep, today: CompanyToday
) -> DeferralRead:
    return await name_actors(session, await unpaid.cancel(session, user, deferral_id, body.reason, today))


@deferrals.get(
    "",
    response_model=DeferralPage,
    summary="Deferrals and their cancellations, newest first",
    dependencies=[Depends(require_roles(*READERS))],
)
async def list_deferrals(
    session: SessionDep,
    employee_id: Annotated[str | None, Query(max_length=64)] = None,
    timesheet_id: Annotated[str | None, Query(max_length=64)] = None,
    standing: Annotated[
        bool | None, Query(description="true: deferrals in force; false: cancelled ones and the cancellations")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> DeferralPage:
    return await name_actors(
        session,
        await unpaid.list_deferrals(
            session, employee_id=employee_id, timesheet_id=timesheet_id, standing=standing, limit=limit, offset=offset
        ),
    )
