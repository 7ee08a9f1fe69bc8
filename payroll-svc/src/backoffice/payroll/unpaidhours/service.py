"""Verified hours not paid yet: the report (by person, week and age), and deferrals a clerk records for weeks
left on purpose for a later run.

Approved hours are unpaid while no approved (or paid) run names them (``PayableHours.paid_in_run_id``). A
week's age counts whole days since the clerk approved it, in the company's calendar. A deferral is a record
never edited: it is ended by a cancellation, a new record naming it. While a deferral holds, the runs it
covers leave the week's hours out (payruns/deferred.py): with a date, the runs whose period ends before
it; "to the next run", every run until one paying the employee is approved after the deferral was recorded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from backoffice.payroll.hours.deferral_models import HoursDeferral
from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.payruns.deferred import not_cancelled
from backoffice.payroll.payruns.models import PayRun
from backoffice.payroll.profiles.models import PayTermsVersion
from backoffice.payroll.profiles.names import full_name, names, profiles
from backoffice.payroll.rules.models import PayGroup
from backoffice.payroll.unpaidhours.schemas import (
    DeferralCreate,
    DeferralPage,
    DeferralRead,
    UnpaidHoursPage,
    UnpaidWeek,
)
from backoffice.shared import csvfile
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

ZERO = Decimal(0)
CHUNK = 5000


@dataclass
class UnpaidFilters:
    employee_id: str | None = None
    query: str | None = None  # a part of the name or the employee id, any case
    older_than: int | None = None  # days
    pay_group: str | None = None
    deferred: bool | None = None
    timesheet_ids: list[str] | None = None  # these weeks only (a run's finding names them)


def _paid_by_approved_run() -> ColumnElement[bool]:
    """The hours' run is approved (or paid): they are paid."""
    return PayableHours.paid_in_run_id.in_(select(PayRun.id).where(PayRun.status.in_(("approved", "paid"))))


async def _unpaid_weeks(session: AsyncSession) -> dict[str, tuple[SubmittedTimesheet, Decimal]]:
    """Each approved week with hours no approved run paid, and how many hours, by timesheet id."""
    rows = await session.execute(
        select(SubmittedTimesheet, PayableHours.hours)
        .join(PayableHours, PayableHours.timesheet_id == SubmittedTimesheet.id)
        .where(
            SubmittedTimesheet.status == "approved",
            or_(PayableHours.paid_in_run_id.is_(None), ~_paid_by_approved_run()),
        )
    )
    weeks: dict[str, tuple[SubmittedTimesheet, Decimal]] = {}
    for sheet, hours in rows.tuples():
        weeks[sheet.id] = (sheet, weeks.get(sheet.id, (sheet, ZERO))[1] + hours)
    return weeks


async def _in_group(session: AsyncSession, code: str, today: date) -> set[str]:
    """Who the pay group pays now: the terms in force today (or the first ones, for a future joiner)."""
    group = await session.get(PayGroup, code)
    if group is None:
        raise NotFound("pay group", code)
    latest: dict[str, PayTermsVersion] = {}
    for terms in await session.scalars(select(PayTermsVersion).order_by(PayTermsVersion.effective_from)):
        if terms.employee_id not in latest or terms.effective_from <= today:
            latest[terms.employee_id] = terms
    return {e for e, t in latest.items() if (t.frequency, t.currency) == (group.frequency, group.currency)}


async def _deferrals(session: AsyncSession, rows: list[HoursDeferral]) -> list[DeferralRead]:
    ids = [r.id for r in rows]
    cancellations: dict[str, str] = {}
    for at in range(0, len(ids), CHUNK):
        found = await session.execute(
            select(HoursDeferral.cancels_id, HoursDeferral.id).where(HoursDeferral.cancels_id.in_(ids[at : at + CHUNK]))
        )
        cancellations.update({c: i for c, i in found.tuples() if c is not None})
    named = await names(session, [r.employee_id for r in rows])
    return [
        DeferralRead(
            id=r.id,
            kind=r.kind,
            timesheet_id=r.timesheet_id,
            employee_id=r.employee_id,
            employee_name=named.get(r.employee_id),
            week_start=r.week_start,
            reason=r.reason,
            until=r.until,
            next_run=r.next_run,
            recorded_on=r.recorded_on,
            cancels_id=r.cancels_id,
            cancelled_by_id=cancellations.get(r.id),
            created_at=r.created_at,
            created_by=r.created_by,
        )
        for r in rows
    ]


async def _standing(session: AsyncSession, sheet_ids: list[str]) -> dict[str, DeferralRead]:
    """The deferral not cancelled of each of these weeks (the latest, should there be several)."""
    rows: list[HoursDeferral] = []
    for at in range(0, len(sheet_ids), CHUNK):
        rows += (
            await session.scalars(
                select(HoursDeferral)
                .where(HoursDeferral.timesheet_id.in_(sheet_ids[at : at + CHUNK]), not_cancelled())
                .order_by(HoursDeferral.created_at, HoursDeferral.id)
            )
        ).all()
    return {d.timesheet_id: d for d in await _deferrals(session, rows)}


def _age(approved_at: datetime, zone: ZoneInfo, today: date) -> int:
    return (today - approved_at.astimezone(zone).date()).days


async def report(
    session: AsyncSession, zone: ZoneInfo, today: date, filters: UnpaidFilters, limit: int, offset: int
) -> UnpaidHoursPage:
    """Approved weeks no approved run paid, oldest approval first, with their totals over all pages."""
    weeks = await _unpaid_weeks(session)
    group = await _in_group(session, filters.pay_group, today) if filters.pay_group else None
    known = await profiles(session, sorted({s.employee_id for s, _ in weeks.values()}))
    standing = await _standing(session, sorted(weeks))
    rows: list[UnpaidWeek] = []
    for sheet, hours in weeks.values():
        profile = known.get(sheet.employee_id)
        row = UnpaidWeek(
            timesheet_id=sheet.id,
            employee_id=sheet.employee_id,
            employee_name=full_name(profile),
            department=profile.department if profile else None,
            week_start=sheet.week_start,
            week_end=sheet.week_start + timedelta(days=6),
            hours=hours,
            approved_at=sheet.decided_at or sheet.received_at,
            age_days=_age(sheet.decided_at or sheet.received_at, zone, today),
            deferral=standing.get(sheet.id),
        )
        if _kept(row, filters, group):
            rows.append(row)
    rows.sort(key=lambda r: (-r.age_days, (r.employee_name or "").casefold(), r.employee_id, r.week_start))
    return UnpaidHoursPage(
        items=rows[offset : offset + limit],
        total=len(rows),
        limit=limit,
        offset=offset,
        people=len({r.employee_id for r in rows}),
        hours=sum((r.hours for r in rows), ZERO),
        deferred_hours=sum((r.hours for r in rows if r.deferral is not None), ZERO),
    )


def _kept(row: UnpaidWeek, filters: UnpaidFilters, group: set[str] | None) -> bool:
    if filters.employee_id is not None and row.employee_id != filters.employee_id:
        return False
    if filters.query and not any(
        filters.query.strip().casefold() in (v or "").casefold() for v in (row.employee_name, row.employee_id)
    ):
        return False
    if filters.older_than is not None and row.age_days <= filters.older_than:
        return False
    if filters.deferred is not None and (row.deferral is not None) != filters.deferred:
        return False
    if filters.timesheet_ids and row.timesheet_id not in filters.timesheet_ids:
        return False
    return group is None or row.employee_id in group


def report_csv(page: UnpaidHoursPage) -> str:
    """The report's rows and, last, its totals (the sum of the rows shown)."""
    out = io.StringIO()
    writer = csvfile.writer(out)
    writer.writerow(
        [
            "employee_id",
            "employee_name",
            "department",
            "week_start",
            "week_end",
            "hours",
            "approved_at",
            "age_days",
            "deferred_until",
            "deferral_reason",
        ]
    )
    for r in page.items:
        d = r.deferral
        until = ("next run" if d.next_run else str(d.until)) if d is not None else ""
        writer.writerow(
            [
                r.employee_id,
                r.employee_name or "",
                r.department or "",
                r.week_start,
                r.week_end,
                r.hours,
                r.approved_at.isoformat(),
                r.age_days,
                until,
                d.reason if d is not None else "",
            ]
        )
    writer.writerow(
        [
            "total",
            f"{len({r.employee_id for r in page.items})} people",
            "",
            "",
            "",
            sum((r.hours for r in page.items), ZERO),
            "",
            "",
            "",
            "",
        ]
    )
    return out.getvalue()


async def _week(session: AsyncSession, body: DeferralCreate) -> SubmittedTimesheet:
    """The approved week a deferral names, locked."""
    if body.timesheet_id is not None:
        sheet = await session.get(SubmittedTimesheet, body.timesheet_id, with_for_update=True)
        if sheet is None:
            raise NotFound("timesheet", body.timesheet_id)
        return sheet
    found = (
        await session.scalars(
            select(SubmittedTimesheet)
            .where(
                SubmittedTimesheet.employee_id == body.employee_id,
                SubmittedTimesheet.week_start == body.week_start,
                SubmittedTimesheet.status == "approved",
            )
            .with_for_update()
        )
    ).all()
    if not found:
        raise NotFound(f"approved week of {body.week_start} of employee", body.employee_id, slug="no-approved-week")
    if len(found) > 1:
        raise Conflict(
            f"{len(found)} approved timesheets of that week: name one by timesheet_id "
            f"({', '.join(s.id for s in found)})",
            slug="several-timesheets",
        )
    return found[0]


async def defer(session: AsyncSession, user: Principal, body: DeferralCreate, today: date) -> DeferralRead:
    """Record that an approved week's unpaid hours wait for a later run, with the reason."""
    sheet = await _week(session, body)
    if user.is_employee(sheet.employee_id):
        raise Forbidden("you may not defer your own hours: another clerk does", slug="own-timesheet")
    if sheet.status != "approved":
        raise Conflict(f"timesheet {sheet.id} is {sheet.status}: only approved hours are deferred", slug="not-approved")
    if sheet.id not in await _unpaid_weeks_of(session, sheet.id):
        raise Conflict(f"the hours of timesheet {sheet.id} are paid already", slug="already-paid")
    standing = (await _standing(session, [sheet.id])).get(sheet.id)
    if standing is not None:
        raise Conflict(
            f"the week is deferred already ({standing.id}): cancel that deferral to record another",
            slug="already-deferred",
            deferral_id=standing.id,
        )
    week_end = sheet.week_start + timedelta(days=6)
    if body.until != "next-run" and body.until <= week_end:
        raise Unprocessable(f"'until' must come after the week, which ends on {week_end}", slug="until-too-early")
    row = HoursDeferral(
        id=new_id(),
        kind="deferral",
        timesheet_id=sheet.id,
        employee_id=sheet.employee_id,
        week_start=sheet.week_start,
        reason=body.reason,
        until=None if body.until == "next-run" else body.until,
        next_run=body.until == "next-run",
        recorded_on=today,
        cancels_id=None,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    await session.flush()
    return (await _deferrals(session, [row]))[0]


async def _unpaid_weeks_of(session: AsyncSession, sheet_id: str) -> set[str]:
    rows = await session.scalars(
        select(PayableHours.timesheet_id).where(
            PayableHours.timesheet_id == sheet_id,
            or_(PayableHours.paid_in_run_id.is_(None), ~_paid_by_approved_run()),
        )
    )
    return set(rows.all())


async def cancel(session: AsyncSession, user: Principal, deferral_id: str, reason: str, today: date) -> DeferralRead:
    """End a deferral with a new record: the week's hours are paid by the next run again."""
    deferral = await get_or_404(session, HoursDeferral, deferral_id, what="deferral")
    if deferral.kind != "deferral":
        raise Conflict(f"{deferral_id} is a cancellation, not a deferral", slug="not-a-deferral")
    if not reason.strip():
        raise Unprocessable("give a reason to cancel the deferral", slug="reason-required")
    already = await session.scalar(select(HoursDeferral.id).where(HoursDeferral.cancels_id == deferral_id))
    if already is not None:
        raise Conflict(f"deferral {deferral_id} is cancelled already ({already})", slug="already-cancelled")
    row = HoursDeferral(
        id=new_id(),
        kind="cancellation",
        timesheet_id=deferral.timesheet_id,
        employee_id=deferral.employee_id,
        week_start=deferral.week_start,
        reason=reason.strip(),
        until=None,
        next_run=False,
        recorded_on=today,
        cancels_id=deferral.id,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(row)
    await flush_or_conflict(session, f"deferral {deferral_id} is cancelled already", slug="already-cancelled")
    return (await _deferrals(session, [row]))[0]


async def list_deferrals(
    session: AsyncSession,
    *,
    employee_id: str | None,
    timesheet_id: str | None,
    standing: bool | None,
    limit: int,
    offset: int,
) -> DeferralPage:
    """Deferrals and cancellations, newest first; ``standing`` keeps the deferrals not cancelled (or only those
    cancelled, and the cancellations)."""
    query = select(HoursDeferral)
    if employee_id is not None:
        query = query.where(HoursDeferral.employee_id == employee_id)
    if timesheet_id is not None:
        query = query.where(HoursDeferral.timesheet_id == timesheet_id)
    if standing is True:
        query = query.where(not_cancelled())
    elif standing is False:
        query = query.where(~not_cancelled())
    rows = (await session.scalars(query.order_by(HoursDeferral.created_at.desc(), HoursDeferral.id.desc()))).all()
    page = list(rows[offset : offset + limit])
    return DeferralPage(items=await _deferrals(session, page), total=len(rows), limit=limit, offset=offset)
