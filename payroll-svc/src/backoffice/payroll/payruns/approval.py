"""Approving a calculated run (hours and pay items marked paid, year-to-date, ledger, events) and paying it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from backoffice.payroll.events import emit
from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.ledger.posting import EntryDraft, PostingLine, post_entries
from backoffice.payroll.minimum.service import Place
from backoffice.payroll.money import ZERO, quantum
from backoffice.payroll.payruns import minimum_pay
from backoffice.payroll.payruns.calculation import CHUNK, dumps, line_fields
from backoffice.payroll.payruns.engine import PayslipResult
from backoffice.payroll.payruns.inputs import Calculation, gather
from backoffice.payroll.payruns.models import PayItem as PayItemRow
from backoffice.payroll.payruns.models import PayRun, Payslip, YearToDate
from backoffice.payroll.payruns.runs import get_run, run_read
from backoffice.payroll.payruns.unpaid_hours import refuse_unpaid_hours
from backoffice.payroll.rules import service as rules
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Forbidden
from backoffice.shared.events import payroll as events
from backoffice.shared.events.contract import Contract
from sqlalchemy import CursorResult, Update, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession


async def approve_run(
    session: AsyncSession,
    user: Principal,
    run_id: str,
    accounts: dict[str, str] | None = None,
    place: Place | None = None,
) -> PayRun:
    """Lock the run: hours and pay items are marked paid by it, the cost is posted to the ledger, payslips
    are issued as events. With ``place`` (where the company is), no payslip under the minimum pay passes
    without an override."""
    run = await get_run(session, run_id, lock=True)
    await _refuse_own_payslip(session, user, run)
    if run.status != "calculated":
        raise Conflict(
            f"pay run {run.id} is {run.status}: only a calculated run can be approved"
            + (" (calculate it first)" if run.status == "draft" else ""),
            slug="run-not-calculated",
        )
    group = await rules.get_group(session, run.pay_group_code)
    calc = await gather(session, run, group)
    await _refuse_unverified_hours(session, run, calc.group_ids)
    await refuse_unpaid_hours(session, run, calc)
    await minimum_pay.refuse_unfair(session, run, place)
    stored = {p.employee_id: p for p in await session.scalars(select(Payslip).where(Payslip.run_id == run.id))}
    fresh = {r.employee_id: r for r in calc.results}
    changed = set(stored) ^ set(fresh) | {e for e in set(stored) & set(fresh) if _differs(stored[e], fresh[e])}
    if changed or calc.rule_set_id != run.rule_set_id:
        raise Conflict(
            f"the inputs changed since the run was calculated ({len(changed)} payslips differ): calculate it again "
            "and review before approving",
            slug="stale-calculation",
        )
    await _mark_paid_by(session, run, calc)
    now = utcnow()
    await _store_year_to_date(session, run, calc.results, now)
    run.status, run.approved_at, run.approved_by, run.updated_at = "approved", now, user.user_id, now
    await session.flush()
    completed = _completed_event(run, list(stored.values()))
    await emit.many(session, [*_payslip_events(run, stored, fresh), (completed, run.id)])
    if accounts is not None:
        posting = _payrun_posting(run, accounts)
        if posting.lines:  # a run that paid nothing posts nothing
            await post_entries(session, user.user_id, [posting], roll_forward=True)
    return run


async def _refuse_own_payslip(session: AsyncSession, user: Principal, run: PayRun) -> None:
    """A clerk approves a run with their own payslip in it only once HR or an admin has signed that one off."""
    if user.employee_id is None:
        return
    own = await session.scalar(select(Payslip).where(Payslip.run_id == run.id, Payslip.employee_id == user.employee_id))
    if own is not None and own.signed_off_by is None:
        raise Forbidden(
            f"your own payslip ({own.id}) is in this run: HR or an admin signs it off first "
            f"(POST /payslips/{own.id}/sign-off), or another clerk approves the run",
            slug="own-payslip",
            payslip_id=own.id,
        )


async def _refuse_unverified_hours(session: AsyncSession, run: PayRun, group_ids: list[str]) -> None:
    """No run is approved while a timesheet of the period of someone of its group waits for a clerk."""
    pending: list[str] = []
    for start in range(0, len(group_ids), CHUNK):
        pending += (
            await session.scalars(
                select(SubmittedTimesheet.id).where(
                    SubmittedTimesheet.status == "pending",
                    SubmittedTimesheet.week_start <= run.period_end,
                    SubmittedTimesheet.employee_id.in_(group_ids[start : start + CHUNK]),
                )
            )
        ).all()
    if pending:
        pending.sort()
        raise Conflict(
            f"{len(pending)} timesheets of this period are not verified yet: approve or reject them first "
            f"({', '.join(pending[:20])})",
            slug="unverified-timesheets",
            timesheet_ids=pending[:100],
        )


async def _mark_paid_by(session: AsyncSession, run: PayRun, calc: Calculation) -> None:
    """Mark the hours and pay items of the calculation paid by ``run``; 409 when another run paid some meanwhile."""
    hours_ids = [i for m in calc.members.values() for i in m.hours_ids]
    marked = 0
    for start in range(0, len(hours_ids), CHUNK):
        marked += await _changed(
            session,
            update(PayableHours)
            .where(PayableHours.id.in_(hours_ids[start : start + CHUNK]), PayableHours.paid_in_run_id.is_(None))
            .values(paid_in_run_id=run.id),
        )
    item_ids = [i for r in calc.results for i in r.item_ids]
    if item_ids:
        marked += await _changed(
            session,
            update(PayItemRow)
            .where(PayItemRow.id.in_(item_ids), PayItemRow.status == "pending")
            .values(status="paid", paid_in_run_id=run.id, updated_at=utcnow()),
        )
    if marked != len(hours_ids) + len(item_ids):
        raise Conflict("another run paid some of these hours meanwhile: calculate again", slug="stale-calculation")


async def _changed(session: AsyncSession, statement: Update) -> int:
    """How many rows ``statement`` changed."""
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)  # what an UPDATE gives
    return result.rowcount


async def _store_year_to_date(session: AsyncSession, run: PayRun, results: list[PayslipResult], now: datetime) -> None:
    """The year-to-date of everyone paid by ``run``, including it, replaces what was stored for its year."""
    year = run.pay_date.year
    in_run = select(Payslip.employee_id).where(Payslip.run_id == run.id)
    await session.execute(delete(YearToDate).where(YearToDate.year == year, YearToDate.employee_id.in_(in_run)))
    ytd_rows = [
        {
            "employee_id": r.employee_id,
            "year": year,
            "by_code": dumps(r.ytd),
            "totals": dumps(r.ytd_totals),
            "last_run_id": run.id,
            "updated_at": now,
        }
        for r in results
    ]
    for start in range(0, len(ytd_rows), CHUNK):
        await session.execute(insert(YearToDate), ytd_rows[start : start + CHUNK])


def _payrun_posting(run: PayRun, accounts: dict[str, str]) -> EntryDraft:
    """Gross and employer contributions are the cost; deductions, contributions and net pay are owed."""
    unit = quantum(run.currency)
    gross, deductions, net, employer = (
        v.quantize(unit) for v in (run.gross, run.deductions, run.net, run.employer_contributions)
    )
    lines: list[PostingLine] = [
        (accounts["wages_expense"], gross, ZERO, "gross pay"),
        (accounts["employer_contributions_expense"], employer, ZERO, "employer contributions"),
        (accounts["deductions_payable"], ZERO, deductions, "deductions withheld"),
        (accounts["employer_contributions_payable"], ZERO, employer, "employer contributions owed"),
        (accounts["net_wages_payable"], ZERO, net, "net pay owed"),
    ]
    return EntryDraft(
        run.pay_date,
        f"Pay run {run.pay_group_code} {run.period_start} to {run.period_end}",
        run.currency,
        [ln for ln in lines if ln[1] > 0 or ln[2] > 0],
        source="payrun",
        source_id=run.id,
    )


def _differs(stored: Payslip, fresh: PayslipResult) -> bool:
    """Anything the payslip shows, year-to-date included (an earlier run approved since, say)."""
    return (
        stored.lines != dumps([line_fields(ln) for ln in fresh.lines])
        or stored.ytd != dumps({"totals": fresh.ytd_totals, "by_code": fresh.ytd})
        or stored.hours != dumps(fresh.hours)
        or stored.final != fresh.final
    )


def _payslip_events(
    run: PayRun, stored: dict[str, Payslip], fresh: dict[str, PayslipResult]
) -> list[tuple[Contract, str]]:
    """A payslip_issued event for each payslip of the run, by employee."""
    issued: list[tuple[Contract, str]] = []
    for employee_id in sorted(stored):
        slip, result = stored[employee_id], fresh[employee_id]
        data = events.PayslipIssued(
            payslip_id=slip.id,
            run_id=run.id,
            employee_id=employee_id,
            employee_name=slip.employee_name,
            department=slip.department,
            pay_type=slip.pay_type,
            currency=slip.currency,
            period_start=slip.period_start,
            period_end=slip.period_end,
            pay_date=slip.pay_date,
            final=slip.final,
            hours=result.hours,
            lines=[events.PayslipLine(**line_fields(ln)) for ln in result.lines],
            gross=result.gross,
            deductions=result.deductions,
            net=result.net,
            employer_contributions=result.employer_contributions,
            year_to_date=result.ytd_totals,
        )
        issued.append((data, employee_id))
    return issued


def _completed_event(run: PayRun, slips: list[Payslip]) -> events.PayrunCompleted:
    """The run's totals, by rule code and by department."""
    departments: dict[str | None, list[Payslip]] = defaultdict(list)
    for slip in slips:
        departments[slip.department].append(slip)
    read = run_read(run)
    return events.PayrunCompleted(
        run_id=run.id,
        pay_group=run.pay_group_code,
        period_start=run.period_start,
        period_end=run.period_end,
        pay_date=run.pay_date,
        currency=run.currency,
        employees=run.employee_count,
        gross=read.gross,
        deductions=read.deductions,
        net=read.net,
        employer_contributions=read.employer_contributions,
        by_code=read.by_code,
        by_department=[
            events.DepartmentTotal(
                department=name,
                employees=len(group),
                gross=sum((s.gross for s in group), ZERO),
                employer_contributions=sum((s.employer_contributions for s in group), ZERO),
            )
            for name, group in sorted(departments.items(), key=lambda kv: kv[0] or "")
        ],
    )


async def mark_paid(
    session: AsyncSession, user: Principal, run_id: str, on: date, accounts: dict[str, str] | None = None
) -> PayRun:
    """The net pay left the bank on ``on``: what was owed to the employees is settled."""
    run = await get_run(session, run_id, lock=True)
    if run.status != "approved":
        raise Conflict(f"pay run {run.id} is {run.status}: only an approved run is paid", slug="run-not-approved")
    now = utcnow()
    run.status, run.paid_at, run.paid_by, run.updated_at = "paid", now, user.user_id, now
    net = run.net.quantize(quantum(run.currency))
    if accounts is not None and net > 0:
        lines: list[PostingLine] = [
            (accounts["net_wages_payable"], net, ZERO, "net pay"),
            (accounts["bank"], ZERO, net, "net pay"),
        ]
        await post_entries(
            session,
            user.user_id,
            [EntryDraft(on, f"Net pay of run {run.id}", run.currency, lines, source="payrun-paid", source_id=run.id)],
            roll_forward=True,
        )
    return run
