"""Which approved hours a deferral holds back from a run (the clerk left the week for a later run on purpose)."""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from backoffice.payroll.hours.deferral_models import HoursDeferral
from backoffice.payroll.hours.models import PayableHours
from backoffice.payroll.payruns.models import PayRun, Payslip
from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def not_cancelled() -> ColumnElement[bool]:
    """The deferrals no cancellation names."""
    cancelled = select(HoursDeferral.cancels_id).where(HoursDeferral.cancels_id.is_not(None))
    return and_(HoursDeferral.kind == "deferral", HoursDeferral.id.not_in(cancelled))


def _paid_since_deferred(run: PayRun) -> Select[str]:
    """Another run paying the employee approved after the deferral was recorded: a 'next run' deferral has held
    back the week once, and the run after pays it."""
    return (
        select(Payslip.id)
        .join(PayRun, PayRun.id == Payslip.run_id)
        .where(
            Payslip.employee_id == HoursDeferral.employee_id,
            PayRun.status.in_(("approved", "paid")),
            PayRun.approved_at > HoursDeferral.created_at,
            PayRun.id != run.id,
        )
    )


def holds_for(run: PayRun) -> ColumnElement[bool]:
    """The deferrals (not cancelled) that leave their hours out of ``run``."""
    return and_(
        not_cancelled(),
        or_(
            and_(HoursDeferral.until.is_not(None), HoursDeferral.until > run.period_end),
            and_(HoursDeferral.next_run.is_(True), ~exists(_paid_since_deferred(run))),
        ),
    )


async def deferred_hours_ids(session: AsyncSession, run: PayRun) -> set[int]:
    """The unpaid hours a deferral leaves out of ``run``."""
    rows = await session.scalars(
        select(PayableHours.id)
        .join(HoursDeferral, HoursDeferral.timesheet_id == PayableHours.timesheet_id)
        .where(PayableHours.paid_in_run_id.is_(None), holds_for(run))
    )
    return set(rows.all())


def without_deferred(hours: dict[str, list[tuple[int, T]]], deferred: set[int]) -> dict[str, list[tuple[int, T]]]:
    """``hours`` by employee without the deferred ones (an employee left with none is dropped)."""
    if not deferred:
        return hours
    kept: dict[str, list[tuple[int, T]]] = defaultdict(list)
    for employee_id, rows in hours.items():
        for hours_id, worked in rows:
            if hours_id not in deferred:
                kept[employee_id].append((hours_id, worked))
    return kept
