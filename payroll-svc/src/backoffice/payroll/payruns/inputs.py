"""What a pay run pays, read in a few set-based queries and computed in memory; nothing is written.

Profiles, terms, placements, approved unpaid hours, pending pay items and year-to-date are read once for
the whole group, the engine computes each payslip, and arrears are found for paid periods whose inputs
changed since: a run of 10,000 people is a handful of statements, not 10,000 round trips.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.money import ZERO
from backoffice.payroll.payruns.engine import (
    EmployeeInput,
    Line,
    PayItem,
    PayslipResult,
    Period,
    Terms,
    WorkedHours,
    calculate,
    retro_lines,
)
from backoffice.payroll.payruns.models import PayItem as PayItemRow
from backoffice.payroll.payruns.models import PayRun, Payslip, YearToDate
from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion, PlacementVersion
from backoffice.payroll.rules import service as rules
from backoffice.payroll.rules.models import PayGroup
from backoffice.payroll.rules.schemas import Rule
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000
RETRO_MONTHS = 12  # how far back a run looks for paid periods that owe arrears (or a recovery)


# -- inputs -------------------------------------------------------------------------------------
@dataclass
class Member:
    profile: Any  # a row: employee_id, given_name, family_name, department, start_date, end_date
    hours_ids: list[int]
    department: str | None  # in force on the last day the run pays


@dataclass
class Calculation:
    rule_set_id: str
    results: list[PayslipResult]
    members: dict[str, Member]  # those with a payslip
    group_ids: list[str]  # everyone of the group in the period, with or without pay


async def gather(session: AsyncSession, run: PayRun, group: PayGroup) -> Calculation:
    """Everyone of the group to pay in the run's period, computed; nothing is written."""
    rule_set, rule_list = await rules.in_force(session, group.code, run.period_end)
    period_end = run.period_end
    hours: dict[str, list[tuple[int, WorkedHours]]] = defaultdict(list)
    rows = await session.execute(
        select(PayableHours.employee_id, PayableHours.id, PayableHours.day, PayableHours.kind, PayableHours.hours)
        .join(SubmittedTimesheet, SubmittedTimesheet.id == PayableHours.timesheet_id)
        .where(
            SubmittedTimesheet.status == "approved",
            PayableHours.paid_in_run_id.is_(None),
            PayableHours.day <= period_end,
        )
    )
    for employee_id, hours_id, day, kind, amount in rows:
        hours[employee_id].append((hours_id, WorkedHours(day, kind, amount)))
    hours_days = {e: {h.day for _, h in rows_} for e, rows_ in hours.items()}
    items: dict[str, list[PayItem]] = defaultdict(list)
    for item in await session.scalars(
        select(PayItemRow)
        .where(PayItemRow.status == "pending", PayItemRow.currency == group.currency)
        .order_by(PayItemRow.created_at, PayItemRow.id)
    ):
        items[item.employee_id].append(PayItem(item.id, item.kind, item.amount, item.description, item.corrects_run_id))
    terms: dict[str, list[Terms]] = defaultdict(list)
    for employee_id, starts, pay_type, rate, currency, frequency in await session.execute(
        select(
            PayTermsVersion.employee_id,
            PayTermsVersion.effective_from,
            PayTermsVersion.pay_type,
            PayTermsVersion.rate,
            PayTermsVersion.currency,
            PayTermsVersion.frequency,
        )
        .join(PayProfile, PayProfile.employee_id == PayTermsVersion.employee_id)
        .where(PayProfile.start_date <= period_end)
        .order_by(PayTermsVersion.employee_id, PayTermsVersion.effective_from)
    ):
        terms[employee_id].append(Terms(starts, pay_type, rate, currency, frequency))
    placed: dict[str, list[tuple[date, str | None]]] = defaultdict(list)
    for employee_id, starts, department in await session.execute(
        select(PlacementVersion.employee_id, PlacementVersion.effective_from, PlacementVersion.department)
        .where(PlacementVersion.effective_from <= period_end)
        .order_by(PlacementVersion.employee_id, PlacementVersion.effective_from)
    ):
        placed[employee_id].append((starts, department))
    ytd: dict[str, YearToDate] = {
        y.employee_id: y for y in await session.scalars(select(YearToDate).where(YearToDate.year == run.pay_date.year))
    }
    profiles = await session.execute(
        select(
            PayProfile.employee_id,
            PayProfile.given_name,
            PayProfile.family_name,
            PayProfile.department,
            PayProfile.start_date,
            PayProfile.end_date,
        )
        .where(PayProfile.start_date <= period_end)
        .order_by(PayProfile.employee_id)
    )
    period = Period(run.period_start, run.period_end, run.pay_date, group.currency, group.frequency)
    arrears = await _arrears(session, run, group, terms)
    members: dict[str, Member] = {}
    results: list[PayslipResult] = []
    group_ids: list[str] = []
    for profile in profiles:
        employee_id, end = profile.employee_id, profile.end_date
        employed = end is None or end >= run.period_start
        if not (employed or employee_id in hours or employee_id in items):
            continue
        history = terms.get(employee_id)
        if not history:
            continue
        # Only days of the employment count (a termination may arrive after its hours were approved).
        within = [
            (i, h)
            for i, h in hours.get(employee_id, ())
            if profile.start_date <= h.day and (end is None or h.day <= end)
        ]
        employee = EmployeeInput(
            employee_id=employee_id,
            start_date=profile.start_date,
            end_date=end,
            terms=history,
            hours=[h for _, h in within],
            items=items.get(employee_id, ()),
            arrears=arrears.get(employee_id, ()),
        )
        # In the group if the terms of some day to pay have its frequency and currency.
        span_start = max(run.period_start, profile.start_date)
        span_end = period_end if end is None else min(end, period_end)
        in_force = {employee.terms_on(day) for day in hours_days.get(employee_id, ())}
        in_force.add(employee.terms_on(span_end))
        if span_start <= span_end:
            in_force.add(employee.terms_on(span_start))
            in_force |= {t for t in history if span_start < t.effective_from <= span_end}
        if not any(period.pays(t) for t in in_force):
            continue
        group_ids.append(employee_id)
        known = ytd.get(employee_id)
        if known is not None:
            employee.ytd = {k: Decimal(v) for k, v in json.loads(known.by_code).items()}
            employee.ytd_totals = {k: Decimal(v) for k, v in json.loads(known.totals).items()}
        result = calculate(employee, period, rule_list, rule_set.standard_hours_per_year)
        if not any(line.category == "earning" for line in result.lines):
            continue  # nothing earned in this period (an hourly employee without approved hours)
        results.append(result)
        department = next((d for starts, d in reversed(placed[employee_id]) if starts <= span_end), profile.department)
        members[employee_id] = Member(
            profile, [i for i, h in within if period.pays(employee.terms_on(h.day))], department
        )
    return Calculation(rule_set.id, results, members, group_ids)


async def _arrears(
    session: AsyncSession, run: PayRun, group: PayGroup, terms: dict[str, list[Terms]]
) -> dict[str, list[Line]]:
    """Arrears and recoveries for the group's paid periods of the last ``RETRO_MONTHS``: for each person whose
    hire, pay terms or end were recorded after such a period was approved, that period's salary and hours are
    computed again and the difference from what was paid for it (its payslip and any arrears since) becomes a
    line of this run, naming the run it corrects. Only those changes are looked at: a run does not recompute
    everyone's past."""
    since = run.period_start - relativedelta(months=RETRO_MONTHS)
    past = list(
        await session.scalars(
            select(PayRun)
            .where(
                PayRun.pay_group_code == group.code,
                PayRun.status.in_(("approved", "paid")),
                PayRun.period_end < run.period_start,
                PayRun.period_end >= since,
            )
            .order_by(PayRun.period_start, PayRun.id)
        )
    )
    if not past:
        return {}
    earliest = min(r.approved_at or r.updated_at for r in past)
    changed_terms: dict[str, list[tuple[date, Any]]] = defaultdict(list)
    for employee_id, starts, recorded in await session.execute(
        select(PayTermsVersion.employee_id, PayTermsVersion.effective_from, PayTermsVersion.recorded_at).where(
            PayTermsVersion.recorded_at > earliest
        )
    ):
        changed_terms[employee_id].append((starts, recorded))
    profiles = {
        p.employee_id: p
        for p in await session.scalars(
            select(PayProfile).where(
                (PayProfile.updated_at > earliest) | PayProfile.employee_id.in_(list(changed_terms))
            )
        )
    }
    redo: list[tuple[str, PayRun]] = []
    for employee_id, profile in sorted(profiles.items()):
        for past_run in past:
            approved = past_run.approved_at or past_run.updated_at
            if profile.start_date > past_run.period_end:
                continue
            if profile.updated_at > approved or any(
                recorded > approved and starts <= past_run.period_end for starts, recorded in changed_terms[employee_id]
            ):
                redo.append((employee_id, past_run))
    if not redo:
        return {}
    people, run_ids = sorted({e for e, _ in redo}), sorted({r.id for _, r in redo})
    hours: dict[tuple[str, str | None], list[WorkedHours]] = defaultdict(list)
    for start in range(0, len(people), CHUNK):
        for employee_id, run_id, day, kind, amount in await session.execute(
            select(
                PayableHours.employee_id,
                PayableHours.paid_in_run_id,
                PayableHours.day,
                PayableHours.kind,
                PayableHours.hours,
            ).where(
                PayableHours.employee_id.in_(people[start : start + CHUNK]), PayableHours.paid_in_run_id.in_(run_ids)
            )
        ):
            hours[(employee_id, run_id)].append(WorkedHours(day, kind, amount))
    paid: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for start in range(0, len(people), CHUNK):
        for employee_id, run_id, lines in await session.execute(
            select(Payslip.employee_id, Payslip.run_id, Payslip.lines)
            .join(PayRun, PayRun.id == Payslip.run_id)
            .where(
                Payslip.employee_id.in_(people[start : start + CHUNK]),
                PayRun.pay_group_code == group.code,
                PayRun.status.in_(("approved", "paid")),
                PayRun.period_end >= since,
            )
        ):
            for line in json.loads(lines):
                if line["category"] == "earning":
                    corrected = line.get("corrects_run_id") or run_id
                    paid[(employee_id, corrected)][line["code"]] += Decimal(line["amount"])
    rule_sets: dict[date, tuple[Any, list[Rule]]] = {}
    found: dict[str, list[Line]] = defaultdict(list)
    for employee_id, past_run in redo:
        history = terms.get(employee_id)
        if not history:
            continue
        if past_run.period_end not in rule_sets:
            rule_sets[past_run.period_end] = await rules.in_force(session, group.code, past_run.period_end)
        rule_set, rule_list = rule_sets[past_run.period_end]
        profile = profiles[employee_id]
        employee = EmployeeInput(
            employee_id, profile.start_date, profile.end_date, history, hours.get((employee_id, past_run.id), [])
        )
        then = Period(past_run.period_start, past_run.period_end, past_run.pay_date, group.currency, group.frequency)
        found[employee_id] += retro_lines(
            employee, then, rule_list, rule_set.standard_hours_per_year, paid[(employee_id, past_run.id)], past_run.id
        )
    return found
