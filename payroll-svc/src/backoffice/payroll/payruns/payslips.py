"""Payslips (who reads which, HR's sign-off of a clerk's own) and the payroll register of a run."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

from backoffice.payroll.money import ZERO, quantum
from backoffice.payroll.payruns.models import PayRun, Payslip, RunStatus
from backoffice.payroll.payruns.runs import get_run, run_read
from backoffice.payroll.payruns.schemas import (
    PayslipPage,
    PayslipRead,
    Register,
    RegisterRow,
)
from backoffice.shared import csvfile
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound
from backoffice.shared.events import payroll as events
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

HOURS = Decimal("0.01")  # hours are recorded to the hundredth


# -- payslips -----------------------------------------------------------------------------------
def payslip_read(slip: Payslip, run_status: RunStatus) -> PayslipRead:
    """A payslip as the API shows it: lines by category, totals, year to date."""
    lines = [events.PayslipLine.model_validate(x) for x in json.loads(slip.lines)]
    ytd = json.loads(slip.ytd)["totals"]
    return PayslipRead(
        id=slip.id,
        run_id=slip.run_id,
        run_status=run_status,
        employee_id=slip.employee_id,
        employee_name=slip.employee_name,
        department=slip.department,
        pay_type=slip.pay_type,
        currency=slip.currency,
        period_start=slip.period_start,
        period_end=slip.period_end,
        pay_date=slip.pay_date,
        final=slip.final,
        working_days_employed=slip.working_days_employed,
        working_days_in_period=slip.working_days_in_period,
        hours={k: Decimal(v) for k, v in json.loads(slip.hours).items()},
        earnings=[x for x in lines if x.category == "earning"],
        deductions=[x for x in lines if x.category == "deduction"],
        employer_contributions=[x for x in lines if x.category == "employer_contribution"],
        gross=sum((x.amount for x in lines if x.category == "earning"), ZERO),
        total_deductions=sum((x.amount for x in lines if x.category == "deduction"), ZERO),
        net=sum((x.amount for x in lines if x.category == "earning"), ZERO)
        - sum((x.amount for x in lines if x.category == "deduction"), ZERO),
        total_employer_contributions=sum((x.amount for x in lines if x.category == "employer_contribution"), ZERO),
        year_to_date={k: Decimal(v) for k, v in ytd.items()},
        signed_off_by=slip.signed_off_by,
        signed_off_at=slip.signed_off_at,
    )


def _is_clerk(user: Principal) -> bool:
    return user.is_admin or user.has_any("payroll")


async def read_payslip(session: AsyncSession, user: Principal, payslip_id: str) -> PayslipRead:
    """One payslip: payroll reads any, an employee their own of an approved run, HR drafts to sign off."""
    row = (
        await session.execute(
            select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id).where(Payslip.id == payslip_id)
        )
    ).first()
    if row is None:
        raise NotFound("payslip", payslip_id)
    slip, status = row
    if not _is_clerk(user) and status not in ("approved", "paid") and not _reviews_drafts(user, slip, status):
        raise NotFound("payslip", payslip_id)
    if not _reviews_drafts(user, slip, status):
        ensure_access(user, owner_employee_id=slip.employee_id, roles=("payroll",), what=f"payslip {payslip_id}")
    return payslip_read(slip, status)


def _reviews_drafts(user: Principal, slip: Payslip, run_status: RunStatus) -> bool:
    """HR reads a draft payslip (of a calculated run) to sign it off; never their own."""
    return run_status == "calculated" and user.has_any("hr") and not user.is_employee(slip.employee_id)


async def sign_off_payslip(session: AsyncSession, user: Principal, payslip_id: str) -> PayslipRead:
    """HR or an admin checks a payslip of a calculated run (a payroll clerk's own), so that its clerk may approve
    the run it is in. A new calculation makes a new payslip, to be signed off again."""
    if not (user.is_admin or user.has_any("hr")):
        raise Forbidden("only HR or an admin signs off a payslip", slug="forbidden")
    row = (
        await session.execute(
            select(Payslip, PayRun.status)
            .join(PayRun, PayRun.id == Payslip.run_id)
            .where(Payslip.id == payslip_id)
            .with_for_update(of=Payslip)
        )
    ).first()
    if row is None:
        raise NotFound("payslip", payslip_id)
    slip, status = row
    if user.is_employee(slip.employee_id):
        raise Forbidden("your own payslip is signed off by someone else", slug="own-payslip")
    if status != "calculated":
        raise Conflict(
            f"the payslip's run is {status}: only a calculated run's payslips are signed off", slug="run-state"
        )
    if slip.signed_off_by is not None:
        raise Conflict(f"payslip {slip.id} was signed off already by {slip.signed_off_by}", slug="signed-off-already")
    slip.signed_off_by, slip.signed_off_at = user.user_id, utcnow()
    return payslip_read(slip, status)


async def search_payslips(
    session: AsyncSession,
    user: Principal,
    *,
    run_id: str | None,
    employee_id: str | None,
    year: int | None,
    limit: int,
    offset: int,
) -> PayslipPage:
    """Payslips, latest pay date first: payroll reads everyone's, an employee only their own issued ones."""
    query = select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id)
    if not _is_clerk(user):
        if employee_id is not None and not user.is_employee(employee_id):
            raise Forbidden("you may read only your own payslips", slug="forbidden")
        if user.employee_id is None:
            raise Forbidden("only employees, payroll and admins read payslips", slug="forbidden")
        employee_id = user.employee_id
        query = query.where(PayRun.status.in_(("approved", "paid")))
    if run_id is not None:
        query = query.where(Payslip.run_id == run_id)
    if employee_id is not None:
        query = query.where(Payslip.employee_id == employee_id)
    if year is not None:
        query = query.where(Payslip.pay_date >= date(year, 1, 1), Payslip.pay_date <= date(year, 12, 31))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(
        query.order_by(Payslip.pay_date.desc(), Payslip.employee_id).limit(limit).offset(offset)
    )
    return PayslipPage(
        items=[payslip_read(slip, status) for slip, status in rows], total=total, limit=limit, offset=offset
    )


async def register(session: AsyncSession, run_id: str) -> Register:
    """The payroll register of a run: one row per payslip, amounts by rule code."""
    run = await get_run(session, run_id)
    slips = await session.scalars(select(Payslip).where(Payslip.run_id == run.id).order_by(Payslip.employee_id))
    unit = quantum(run.currency)
    rows = []
    for slip in slips:
        amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line in json.loads(slip.lines):
            amounts[line["code"]] += Decimal(line["amount"])
        rows.append(
            RegisterRow(
                payslip_id=slip.id,
                employee_id=slip.employee_id,
                employee_name=slip.employee_name,
                department=slip.department,
                pay_type=slip.pay_type,
                final=slip.final,
                hours={k: Decimal(v) for k, v in json.loads(slip.hours).items()},
                amounts=dict(amounts),
                gross=slip.gross.quantize(unit),
                deductions=slip.deductions.quantize(unit),
                net=slip.net.quantize(unit),
                employer_contributions=slip.employer_contributions.quantize(unit),
            )
        )
    return Register(run=run_read(run), rows=rows)


def register_csv(reg: Register) -> str:
    """One line per payslip, a column per rule code and per kind of hours, and a TOTAL line. Every amount has the
    currency's decimals (``0.00`` where a payslip has no such line), hours two, ``final`` is ``true`` or ``false``."""
    codes = [t.code for t in reg.run.by_code]
    kinds = sorted({k for row in reg.rows for k in row.hours})
    unit = quantum(reg.run.currency)
    out = io.StringIO()
    writer = csvfile.writer(out)
    money = ["gross", "deductions", "net", "employer_contributions"]
    writer.writerow(
        ["employee_id", "employee_name", "department", "pay_type", "final"]
        + [f"hours_{k}" for k in kinds]
        + codes
        + money
    )
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in reg.rows:
        values = [
            value.quantize(unit)
            for value in [
                *(row.amounts.get(c, ZERO) for c in codes),
                row.gross,
                row.deductions,
                row.net,
                row.employer_contributions,
            ]
        ]
        for key, value in zip(codes + money, values, strict=True):
            totals[key] += value
        hours = [row.hours.get(k, ZERO).quantize(HOURS) for k in kinds]
        for k, h in zip(kinds, hours, strict=True):
            totals[f"hours_{k}"] += h
        who = [row.employee_id, row.employee_name, row.department or "", row.pay_type, row.final]
        writer.writerow([*who, *hours, *values])
    writer.writerow(
        ["TOTAL", f"{len(reg.rows)} payslips", "", "", ""]
        + [totals[f"hours_{k}"].quantize(HOURS) for k in kinds]
        + [totals[c].quantize(unit) for c in codes + money]
    )
    return out.getvalue()
