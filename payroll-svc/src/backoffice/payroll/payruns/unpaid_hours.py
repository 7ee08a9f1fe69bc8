"""A run may not leave verified hours behind: approved hours of its people, up to its period's end, that a new
calculation would pay but this calculation does not (approved after it was calculated), and that no deferral
holds back. Such hours are a finding of the review and stop approval until the run is calculated again (which
pays them) or the weeks are deferred (``POST /hours/deferrals``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.payruns.calculation import CHUNK
from backoffice.payroll.payruns.deferred import deferred_hours_ids
from backoffice.payroll.payruns.inputs import Calculation, gather
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.payruns.schemas import PayRunFinding
from backoffice.payroll.profiles.names import names
from backoffice.payroll.rules import service as rules
from backoffice.shared.errors import Conflict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

SLUG = "unpaid-verified-hours"
SHOWN = 10  # weeks named in the message


@dataclass
class LeftOut:
    timesheet_id: str
    employee_id: str
    employee_name: str
    week_start: date
    hours: Decimal


async def left_out(session: AsyncSession, run: PayRun, calc: Calculation) -> list[LeftOut]:
    """The weeks with hours a new calculation would pay that the run's calculation did not count."""
    fresh = [i for m in calc.members.values() for i in m.hours_ids]
    with_slip = set((await session.scalars(select(Payslip.employee_id).where(Payslip.run_id == run.id))).all())
    weeks: dict[str, LeftOut] = {}
    for at in range(0, len(fresh), CHUNK):
        rows = await session.execute(
            select(
                SubmittedTimesheet.id,
                SubmittedTimesheet.employee_id,
                SubmittedTimesheet.week_start,
                SubmittedTimesheet.decided_at,
                PayableHours.hours,
            )
            .join(PayableHours, PayableHours.timesheet_id == SubmittedTimesheet.id)
            .where(PayableHours.id.in_(fresh[at : at + CHUNK]))
        )
        for sheet_id, employee_id, week_start, decided_at, hours in rows.tuples():
            late = run.calculated_at is None or decided_at is None or decided_at > run.calculated_at
            if not late and employee_id in with_slip:
                continue
            week = weeks.setdefault(sheet_id, LeftOut(sheet_id, employee_id, employee_id, week_start, Decimal(0)))
            week.hours += hours
    named = await names(session, [w.employee_id for w in weeks.values()])
    for week in weeks.values():
        week.employee_name = named.get(week.employee_id, week.employee_id)
    return sorted(weeks.values(), key=lambda w: (w.employee_name.casefold(), w.week_start, w.timesheet_id))


async def _may_leave_out(session: AsyncSession, run: PayRun) -> bool:
    """Whether any approved unpaid hours up to the period's end, not deferred, were approved after the calculation
    or belong to someone without a payslip in the run: only then is the run computed again to compare (a quick
    answer for the usual review, where every approved week was counted)."""
    rows = await session.execute(
        select(PayableHours.id, PayableHours.employee_id, SubmittedTimesheet.decided_at)
        .join(SubmittedTimesheet, SubmittedTimesheet.id == PayableHours.timesheet_id)
        .where(
            SubmittedTimesheet.status == "approved",
            PayableHours.paid_in_run_id.is_(None),
            PayableHours.day <= run.period_end,
        )
    )
    candidates = list(rows.tuples())
    if not candidates:
        return False
    with_slip = set((await session.scalars(select(Payslip.employee_id).where(Payslip.run_id == run.id))).all())
    deferred = await deferred_hours_ids(session, run)
    return any(
        hours_id not in deferred
        and (
            employee_id not in with_slip or run.calculated_at is None or decided is None or decided > run.calculated_at
        )
        for hours_id, employee_id, decided in candidates
    )


def _message(weeks: list[LeftOut]) -> str:
    total = sum((w.hours for w in weeks), Decimal(0))
    shown = "; ".join(f"{w.employee_name}, week of {w.week_start}: {w.hours} h" for w in weeks[:SHOWN])
    more = f"; and {len(weeks) - SHOWN} more weeks" if len(weeks) > SHOWN else ""
    return (
        f"{total} approved hours in {len(weeks)} weeks are not paid by this run ({shown}{more}): "
        "calculate it again to pay them, or defer them to a later run (POST /hours/deferrals)"
    )


async def unpaid_hours_findings(session: AsyncSession, run: PayRun) -> list[PayRunFinding]:
    """The review's finding (none when the run is not calculated: calculating pays them)."""
    if run.status != "calculated" or not await _may_leave_out(session, run):
        return []
    group = await rules.get_group(session, run.pay_group_code)
    weeks = await left_out(session, run, await gather(session, run, group))
    if not weeks:
        return []
    return [PayRunFinding(slug=SLUG, message=_message(weeks), ids=[w.timesheet_id for w in weeks[:100]])]


async def refuse_unpaid_hours(session: AsyncSession, run: PayRun, calc: Calculation) -> None:
    """Approval's refusal, in the review's words."""
    weeks = await left_out(session, run, calc)
    if weeks:
        raise Conflict(
            _message(weeks), slug="unpaid-verified-hours", timesheet_ids=[w.timesheet_id for w in weeks[:100]]
        )
