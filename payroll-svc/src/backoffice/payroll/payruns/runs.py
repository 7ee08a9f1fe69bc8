"""Pay runs: draft -> calculated (repeatable) -> approved (locked, payslips issued) -> paid, or cancelled.

Opening a run for a pay group's period, reading runs, and cancelling one not yet approved.
"""

from __future__ import annotations

import calendar
import json
from datetime import date, timedelta
from decimal import Decimal

from backoffice.payroll.money import ZERO, quantum
from backoffice.payroll.payruns.models import PayRun
from backoffice.payroll.payruns.schemas import (
    PayRunCreate,
    PayRunPage,
    PayRunRead,
)
from backoffice.payroll.rules import service as rules
from backoffice.payroll.rules.models import PayGroup
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.events import payroll as events
from backoffice.shared.ids import new_id
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

LOCKED = ("approved", "paid", "cancelled")


# -- runs ---------------------------------------------------------------------------------------
def run_read(run: PayRun) -> PayRunRead:
    """A pay run as the API shows it, its amounts in the currency's decimals."""
    totals = json.loads(run.totals_by_code)
    q = quantum(run.currency)  # columns keep three decimals; sums of rounded lines are exact in the currency's
    return PayRunRead(
        id=run.id,
        pay_group=run.pay_group_code,
        period_start=run.period_start,
        period_end=run.period_end,
        pay_date=run.pay_date,
        status=run.status,
        currency=run.currency,
        rule_set_id=run.rule_set_id,
        employees=run.employee_count,
        gross=run.gross.quantize(q),
        deductions=run.deductions.quantize(q),
        net=run.net.quantize(q),
        employer_contributions=run.employer_contributions.quantize(q),
        by_code=[
            events.CodeTotal(code=c, category=t["category"], amount=Decimal(t["amount"])) for c, t in totals.items()
        ],
        created_at=run.created_at,
        created_by=run.created_by,
        calculated_at=run.calculated_at,
        approved_at=run.approved_at,
        approved_by=run.approved_by,
        paid_at=run.paid_at,
    )


async def get_run(session: AsyncSession, run_id: str, *, lock: bool = False) -> PayRun:
    """The pay run ``run_id`` (404 when there is none), locked for update if ``lock``."""
    return await get_or_404(session, PayRun, run_id, lock=lock)


async def create_run(session: AsyncSession, user: Principal, body: PayRunCreate) -> PayRun:
    """Open a draft run for one period of a pay group; the period must fit the group's frequency and be free."""
    await rules.get_group(session, body.pay_group)
    # The group's row is locked so two clerks cannot open overlapping runs at the same moment.
    group = await session.scalar(select(PayGroup).where(PayGroup.code == body.pay_group).with_for_update())
    assert group is not None
    expected = expected_period(group.frequency, body.period_start)
    if expected is None or expected != body.period_end:
        raise Unprocessable(
            f"a {group.frequency} pay period starting {body.period_start} ends on {expected}"
            if expected
            else f"a {group.frequency} pay period starts on the 1st"
            + (" or the 16th" if group.frequency == "semimonthly" else "")
            + f" of a month, not on {body.period_start}",
            slug="period",
        )
    if not body.period_start <= body.pay_date <= body.period_end + timedelta(days=62):
        raise Unprocessable("the pay date is in the period or within two months after it", slug="period")
    clash = await session.scalar(
        select(PayRun).where(
            PayRun.pay_group_code == group.code,
            PayRun.status != "cancelled",
            PayRun.period_start <= body.period_end,
            PayRun.period_end >= body.period_start,
        )
    )
    if clash is not None:
        raise Conflict(
            f"pay run {clash.id} ({clash.period_start} to {clash.period_end}, {clash.status}) covers part of "
            "this period already",
            slug="period-taken",
        )
    now = utcnow()
    run = PayRun(
        id=new_id(),
        pay_group_code=group.code,
        period_start=body.period_start,
        period_end=body.period_end,
        pay_date=body.pay_date,
        status="draft",
        currency=group.currency,
        employee_count=0,
        gross=ZERO,
        deductions=ZERO,
        net=ZERO,
        employer_contributions=ZERO,
        totals_by_code="{}",
        created_at=now,
        created_by=user.user_id,
        updated_at=now,
    )
    session.add(run)
    await session.flush()
    return run


async def search_runs(
    session: AsyncSession, *, pay_group: str | None, status: str | None, limit: int, offset: int
) -> PayRunPage:
    """Pay runs, latest period first, by pay group and status."""
    query = select(PayRun)
    if pay_group is not None:
        query = query.where(PayRun.pay_group_code == pay_group)
    if status is not None:
        query = query.where(PayRun.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    runs = await session.scalars(query.order_by(PayRun.period_start.desc(), PayRun.id).limit(limit).offset(offset))
    return PayRunPage(items=[run_read(r) for r in runs], total=total, limit=limit, offset=offset)


def expected_period(frequency: str, start: date) -> date | None:
    """The last day of a period of ``frequency`` that starts on ``start`` (None: no such period starts then)."""
    if frequency == "weekly":
        return start + timedelta(days=6)
    if frequency == "biweekly":
        return start + timedelta(days=13)
    if frequency == "semimonthly":
        if start.day == 1:
            return start.replace(day=15)
        if start.day == 16:
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return None
    if start.day != 1:
        return None
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


async def cancel_run(session: AsyncSession, user: Principal, run_id: str) -> PayRun:
    """Cancel a run not yet approved. It stays readable as it was (employees, totals, payslips), marked cancelled."""
    run = await get_run(session, run_id, lock=True)
    if run.status in LOCKED:
        raise Conflict(f"pay run {run.id} is {run.status}: it can no longer be cancelled", slug="run-locked")
    # Kept as it was when cancelled, figures and draft payslips, so that whoever audits it reads what was
    # calculated and not paid; nothing of it is paid, and its hours and pay items are left for the next run.
    run.status, run.updated_at = "cancelled", utcnow()
    return run
