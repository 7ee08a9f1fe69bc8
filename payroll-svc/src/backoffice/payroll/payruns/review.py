"""Reviewing a run before approval: each person beside the previous run of the group (who joined, left or changed
pay, and by how much their pay differs), and what still stops the run from being approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from backoffice.payroll.hours.models import SubmittedTimesheet
from backoffice.payroll.minimum.service import Place
from backoffice.payroll.payruns import minimum_pay
from backoffice.payroll.payruns.calculation import CHUNK
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.payruns.runs import get_run
from backoffice.payroll.payruns.schemas import PayRunChange, PayRunChangePage, PayRunChecks, PayRunFinding
from backoffice.payroll.payruns.unpaid_hours import unpaid_hours_findings
from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion
from backoffice.shared.auth import Principal
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

# "changed": joined, left, changed pay or a different net from the previous run
ChangeFilter = Literal["all", "changed", "joined", "left", "pay_changed"]


@dataclass
class _Slip:
    payslip_id: str
    employee_id: str
    employee_name: str
    department: str | None
    gross: Decimal
    deductions: Decimal
    net: Decimal
    final: bool


async def _slips(session: AsyncSession, run_id: str) -> dict[str, _Slip]:
    """The figures of a run's payslips by employee, without their lines (a compact read, fast for thousands)."""
    rows = await session.execute(
        select(
            Payslip.id,
            Payslip.employee_id,
            Payslip.employee_name,
            Payslip.department,
            Payslip.gross,
            Payslip.deductions,
            Payslip.net,
            Payslip.final,
        ).where(Payslip.run_id == run_id)
    )
    return {r.employee_id: _Slip(*r) for r in rows}


async def previous_run(session: AsyncSession, run: PayRun) -> PayRun | None:
    """The latest approved or paid run of the same pay group whose period ends before this one starts."""
    return await session.scalar(
        select(PayRun)
        .where(
            PayRun.pay_group_code == run.pay_group_code,
            PayRun.status.in_(("approved", "paid")),
            PayRun.period_end < run.period_start,
        )
        .order_by(PayRun.period_start.desc(), PayRun.id)
        .limit(1)
    )


async def _starts(session: AsyncSession, ids: list[str]) -> dict[str, date]:
    starts: dict[str, date] = {}
    for at in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(PayProfile.employee_id, PayProfile.start_date).where(
                PayProfile.employee_id.in_(ids[at : at + CHUNK])
            )
        )
        starts.update({e: d for e, d in rows.tuples()})
    return starts


async def _pay_changed(
    session: AsyncSession, run: PayRun, previous: PayRun | None, starts: dict[str, date]
) -> set[str]:
    """Who has pay terms that took effect in the period, or that were recorded since the previous run was
    approved (a back-dated raise); a joiner's first terms are not a change."""
    since = previous.approved_at if previous is not None else None
    condition: ColumnElement[bool] = PayTermsVersion.effective_from.between(run.period_start, run.period_end)
    if since is not None:
        condition = or_(
            condition, (PayTermsVersion.recorded_at > since) & (PayTermsVersion.effective_from <= run.period_end)
        )
    rows = await session.execute(select(PayTermsVersion.employee_id, PayTermsVersion.effective_from).where(condition))
    return {e for e, on in rows.tuples() if e in starts and on > starts[e]}


def _matches(change: PayRunChange, query: str) -> bool:
    text = query.casefold()
    return any(text in (v or "").casefold() for v in (change.employee_name, change.department, change.employee_id))


def _kept(change: PayRunChange, which: ChangeFilter) -> bool:
    if which == "changed":
        return change.joined or change.left or change.pay_changed or bool(change.net_delta)
    if which in ("joined", "left", "pay_changed"):
        return bool(getattr(change, which))
    return True


async def run_changes(
    session: AsyncSession, run_id: str, *, query: str | None, which: ChangeFilter, limit: int, offset: int
) -> PayRunChangePage:
    """Everyone of the run, and those only the previous run paid, by name: this run's gross, deductions and net,
    the previous run's, the differences, and whether they joined, left or changed pay."""
    run = await get_run(session, run_id)
    previous = await previous_run(session, run)
    now = await _slips(session, run.id)
    before = await _slips(session, previous.id) if previous is not None else {}
    starts = await _starts(session, sorted(now.keys() | before.keys()))
    changed_pay = await _pay_changed(session, run, previous, starts)
    changes: list[PayRunChange] = []
    for employee_id in now.keys() | before.keys():
        slip, old = now.get(employee_id), before.get(employee_id)
        who = slip or old
        assert who is not None
        start = starts.get(employee_id)
        changes.append(
            PayRunChange(
                employee_id=employee_id,
                employee_name=who.employee_name,
                department=who.department,
                currency=run.currency,
                payslip_id=slip.payslip_id if slip else None,
                gross=slip.gross if slip else None,
                deductions=slip.deductions if slip else None,
                net=slip.net if slip else None,
                previous_gross=old.gross if old else None,
                previous_net=old.net if old else None,
                gross_delta=slip.gross - old.gross if slip and old else None,
                net_delta=slip.net - old.net if slip and old else None,
                joined=slip is not None
                and (
                    (start is not None and run.period_start <= start <= run.period_end)
                    or (previous is not None and old is None)
                ),
                left=slip is None or slip.final,
                pay_changed=slip is not None and employee_id in changed_pay,
            )
        )
    changes.sort(key=lambda c: (c.employee_name.casefold(), c.employee_id))
    counts = {flag: sum(1 for c in changes if getattr(c, flag)) for flag in ("joined", "left", "pay_changed")}
    kept = [c for c in changes if _kept(c, which) and (not query or _matches(c, query))]
    return PayRunChangePage(
        items=kept[offset : offset + limit],
        total=len(kept),
        limit=limit,
        offset=offset,
        previous_run_id=previous.id if previous else None,
        previous_period_start=previous.period_start if previous else None,
        previous_period_end=previous.period_end if previous else None,
        **counts,
    )


def _finding(kind: str, message: str, ids: list[str] | None = None) -> PayRunFinding:
    return PayRunFinding(slug=kind, message=message, ids=ids or [])


async def run_checks(session: AsyncSession, user: Principal, run_id: str, place: Place | None = None) -> PayRunChecks:
    """What stops the run from being approved now, as approval itself would refuse it: the run not calculated,
    timesheets of its people for the period still waiting for a clerk, the clerk's own payslip not signed off."""
    run = await get_run(session, run_id)
    findings: list[PayRunFinding] = []
    if run.status != "calculated":
        # a finding, not an error: the same words as approval's refusal (run-not-calculated)
        findings.append(_finding("not-calculated", f"the run is {run.status}: only a calculated run is approved"))
    ids = list((await session.scalars(select(Payslip.employee_id).where(Payslip.run_id == run.id))).all())
    pending: list[str] = []
    for at in range(0, len(ids), CHUNK):
        pending += (
            await session.scalars(
                select(SubmittedTimesheet.id).where(
                    SubmittedTimesheet.status == "pending",
                    SubmittedTimesheet.week_start <= run.period_end,
                    SubmittedTimesheet.employee_id.in_(ids[at : at + CHUNK]),
                )
            )
        ).all()
    if pending and run.status == "calculated":
        pending.sort()
        findings.append(
            _finding(
                "unverified-timesheets",
                f"{len(pending)} timesheets of this period are not verified yet: approve or reject them first",
                pending[:100],
            )
        )
    if user.employee_id is not None and run.status == "calculated":
        own = await session.scalar(
            select(Payslip).where(Payslip.run_id == run.id, Payslip.employee_id == user.employee_id)
        )
        if own is not None and own.signed_off_by is None:
            findings.append(
                _finding(
                    "own-payslip",
                    "your own payslip is in this run: HR or an admin signs it off first, "
                    "or another clerk approves the run",
                    [own.id],
                )
            )
    findings += await unpaid_hours_findings(session, run)
    findings += await minimum_pay.findings(session, run, place)
    overrides = (await minimum_pay.list_overrides(session, run.id)).items
    return PayRunChecks(run_id=run.id, can_approve=not findings, findings=findings, overrides=overrides)
