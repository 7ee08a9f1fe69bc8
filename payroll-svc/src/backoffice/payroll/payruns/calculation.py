"""Calculating a draft run: its payslips written in one multi-row insert, its totals on the run."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from backoffice.payroll.money import ZERO
from backoffice.payroll.payruns.components import PaidFor, paid_for
from backoffice.payroll.payruns.engine import Line, PayslipResult
from backoffice.payroll.payruns.inputs import Member, gather
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.payruns.runs import LOCKED, get_run
from backoffice.payroll.profiles.models import PayTermsVersion
from backoffice.payroll.rules import service as rules
from backoffice.payroll.rules.schemas import Rule
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000  # rows per multi-row statement


def dumps(value: Any) -> str:
    """JSON as the payslip columns store it: compact, decimals and dates as strings."""
    return json.dumps(value, default=str, separators=(",", ":"))


def line_fields(line: Line) -> dict[str, Any]:
    """A payslip line as the payslip's JSON column and its event carry it."""
    return {
        "category": line.category,
        "code": line.code,
        "description": line.description,
        "quantity": line.quantity,
        "rate": line.rate,
        "amount": line.amount,
        "corrects_run_id": line.corrects_run_id,
    }


def _row(run: PayRun, result: PayslipResult, member: Member, now: datetime, pay: PaidFor) -> dict[str, Any]:
    profile = member.profile
    return {
        "id": new_id(),
        "run_id": run.id,
        "employee_id": result.employee_id,
        "employee_name": f"{profile.given_name} {profile.family_name}",
        "department": member.department,
        "pay_type": result.pay_type,
        "currency": run.currency,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "pay_date": run.pay_date,
        "hours": dumps(result.hours),
        "lines": dumps([line_fields(ln) for ln in result.lines]),
        "gross": result.gross,
        "deductions": result.deductions,
        "net": result.net,
        "employer_contributions": result.employer_contributions,
        "ytd": dumps({"totals": result.ytd_totals, "by_code": result.ytd}),
        "final": result.final,
        "working_days_employed": result.working_days_employed,
        "working_days_in_period": result.working_days_in_period,
        "item_ids": dumps(result.item_ids),
        "created_at": now,
        "basic_pay": pay.basic,
        "complementary_pay": pay.complementary,
        "hours_paid": pay.hours,
    }


def _totals(results: Sequence[PayslipResult], rule_order: list[Rule]) -> dict[str, dict[str, str]]:
    by_code: dict[str, Decimal] = defaultdict(lambda: ZERO)
    category: dict[str, str] = {}
    for result in results:
        for line in result.lines:
            by_code[line.code] += line.amount
            category[line.code] = line.category
    order = [r.code for r in rule_order if r.code in by_code]
    return {code: {"category": category[code], "amount": str(by_code[code])} for code in order}


def _refuse_negative(results: Sequence[PayslipResult]) -> None:
    negative = [r for r in results if r.net < 0]
    if negative:
        names = ", ".join(f"{r.employee_id} ({r.net})" for r in negative[:20])
        raise Unprocessable(
            f"{len(negative)} payslips would have a negative net pay: {names}. Spread the recovery over "
            "later runs (a smaller negative correction) or adjust the deductions",
            slug="negative-net-pay",
        )


async def _weekly_hours(session: AsyncSession, run: PayRun, ids: list[str]) -> dict[str, Decimal | None]:
    """Each person's contracted weekly hours in their terms in force on the period's last day (none: standard)."""
    weekly: dict[str, Decimal | None] = {}
    for at in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(PayTermsVersion.employee_id, PayTermsVersion.weekly_hours)
            .where(
                PayTermsVersion.employee_id.in_(ids[at : at + CHUNK]), PayTermsVersion.effective_from <= run.period_end
            )
            .order_by(PayTermsVersion.effective_from)
        )
        weekly.update(dict(rows.tuples().all()))
    return weekly


async def calculate_run(session: AsyncSession, user: Principal, run_id: str) -> PayRun:
    """(Re)calculate a draft run; the same inputs always give the same payslips."""
    run = await get_run(session, run_id, lock=True)
    if run.status in LOCKED:
        raise Conflict(f"pay run {run.id} is {run.status}: it can no longer be calculated", slug="run-locked")
    group = await rules.get_group(session, run.pay_group_code)
    calc = await gather(session, run, group)
    _refuse_negative(calc.results)
    await session.execute(delete(Payslip).where(Payslip.run_id == run.id))
    now = utcnow()
    rule_set, rule_list = await rules.in_force(session, group.code, run.period_end)
    hours_a_year = rule_set.standard_hours_per_year
    weekly = await _weekly_hours(session, run, [r.employee_id for r in calc.results])
    rows = [
        _row(
            run,
            r,
            calc.members[r.employee_id],
            now,
            paid_for(r, rule_list, hours_a_year, group.frequency, weekly.get(r.employee_id)),
        )
        for r in calc.results
    ]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(Payslip), rows[start : start + CHUNK])
    run.rule_set_id = calc.rule_set_id
    run.employee_count = len(rows)
    run.gross = sum((r.gross for r in calc.results), ZERO)
    run.deductions = sum((r.deductions for r in calc.results), ZERO)
    run.net = sum((r.net for r in calc.results), ZERO)
    run.employer_contributions = sum((r.employer_contributions for r in calc.results), ZERO)
    run.totals_by_code = dumps(_totals(calc.results, rule_list))
    run.status, run.calculated_at, run.calculated_by, run.updated_at = "calculated", now, user.user_id, now
    await session.flush()
    return run
