"""What a pay run pays, read in a few set-based queries and computed in memory; nothing is written.

Profiles, terms, placements, approved unpaid hours, pending pay items and year-to-date are read once for
the whole group, the engine computes each payslip, and arrears are found for paid periods whose inputs
changed since: a run of 10,000 people is a handful of statements, not 10,000 round trips.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.money import ZERO
from backoffice.payroll.payruns.deferred import deferred_hours_ids, without_deferred
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
from backoffice.payroll.rules.models import PayGroup, RuleSet
from backoffice.payroll.rules.schemas import Rule
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000
RETRO_MONTHS = 12  # how far back a run looks for paid periods that owe arrears (or a recovery)


@dataclass(frozen=True)
class Profile:
    """What a payslip shows of an employee's pay profile, and their employment."""

    employee_id: str
    given_name: str
    family_name: str
    department: str | None
    start_date: date
    end_date: date | None


@dataclass
class Member:
    profile: Profile
    hours_ids: list[int]
    department: str | None  # in force on the last day the run pays


@dataclass
class Calculation:
    rule_set_id: str
    results: list[PayslipResult] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)  # those with a payslip
    group_ids: list[str] = field(default_factory=list)  # everyone of the group in the period, with or without pay


@dataclass
class _Inputs:
    """Everything the calculation of a run reads, for everyone at once, by employee."""

    hours: dict[str, list[tuple[int, WorkedHours]]]  # approved and not paid yet, with their ids
    items: dict[str, list[PayItem]]  # pending, in the group's currency
    terms: dict[str, list[Terms]]
    placed: dict[str, list[tuple[date, str | None]]]  # department from a date
    ytd: dict[str, YearToDate]
    arrears: dict[str, list[Line]]


async def gather(session: AsyncSession, run: PayRun, group: PayGroup) -> Calculation:
    """Everyone of the group to pay in the run's period, computed; nothing is written."""
    rule_set, rule_list = await rules.in_force(session, group.code, run.period_end)
    hours = await _approved_hours(session, run.period_end)
    hours = without_deferred(hours, await deferred_hours_ids(session, run))  # weeks left for a later run
    items = await _pending_items(session, group.currency)
    terms = await _terms(session, run.period_end)
    placed = await _placements(session, run.period_end)
    ytd: dict[str, YearToDate] = {
        y.employee_id: y for y in await session.scalars(select(YearToDate).where(YearToDate.year == run.pay_date.year))
    }
    profiles = await _profiles(session, run.period_end)
    inputs = _Inputs(hours, items, terms, placed, ytd, await _arrears(session, run, group, terms))
    period = Period(run.period_start, run.period_end, run.pay_date, group.currency, group.frequency)
    calc = Calculation(rule_set.id)
    for profile in profiles:
        employee = _employee(inputs, period, profile)
        if employee is None:
            continue
        calc.group_ids.append(profile.employee_id)
        result = calculate(employee, period, rule_list, rule_set.standard_hours_per_year)
        if not any(line.category == "earning" for line in result.lines):
            continue  # nothing earned in this period (an hourly employee without approved hours)
        calc.results.append(result)
        span_end = period.end if profile.end_date is None else min(profile.end_date, period.end)
        department = next(
            (d for starts, d in reversed(inputs.placed[profile.employee_id]) if starts <= span_end), profile.department
        )
        hours_ids = [i for i, h in _within(inputs, profile) if period.pays(employee.terms_on(h.day))]
        calc.members[profile.employee_id] = Member(profile, hours_ids, department)
    return calc


def _within(inputs: _Inputs, profile: Profile) -> list[tuple[int, WorkedHours]]:
    """The employee's hours on days of the employment (a termination may arrive after its hours were approved)."""
    end = profile.end_date
    return [
        (i, h)
        for i, h in inputs.hours.get(profile.employee_id, ())
        if profile.start_date <= h.day and (end is None or h.day <= end)
    ]


def _employee(inputs: _Inputs, period: Period, profile: Profile) -> EmployeeInput | None:
    """The engine's input for someone of the group in ``period``; None for whoever the run does not pay."""
    employee_id, end = profile.employee_id, profile.end_date
    employed = end is None or end >= period.start
    if not (employed or employee_id in inputs.hours or employee_id in inputs.items):
        return None
    history = inputs.terms.get(employee_id)
    if not history:
        return None
    employee = EmployeeInput(
        employee_id=employee_id,
        start_date=profile.start_date,
        end_date=end,
        terms=history,
        hours=[h for _, h in _within(inputs, profile)],
        items=inputs.items.get(employee_id, ()),
        arrears=inputs.arrears.get(employee_id, ()),
    )
    # In the group if the terms of some day to pay have its frequency and currency.
    span_start = max(period.start, profile.start_date)
    span_end = period.end if end is None else min(end, period.end)
    in_force = {employee.terms_on(h.day) for _, h in inputs.hours.get(employee_id, ())}
    in_force.add(employee.terms_on(span_end))
    if span_start <= span_end:
        in_force.add(employee.terms_on(span_start))
        in_force |= {t for t in history if span_start < t.effective_from <= span_end}
    if not any(period.pays(t) for t in in_force):
        return None
    known = inputs.ytd.get(employee_id)
    if known is not None:
        employee.ytd = {k: Decimal(v) for k, v in json.loads(known.by_code).items()}
        employee.ytd_totals = {k: Decimal(v) for k, v in json.loads(known.totals).items()}
    return employee


async def _approved_hours(session: AsyncSession, until: date) -> dict[str, list[tuple[int, WorkedHours]]]:
    hours: dict[str, list[tuple[int, WorkedHours]]] = defaultdict(list)
    rows = await session.execute(
        select(PayableHours.employee_id, PayableHours.id, PayableHours.day, PayableHours.kind, PayableHours.hours)
        .join(SubmittedTimesheet, SubmittedTimesheet.id == PayableHours.timesheet_id)
        .where(
            SubmittedTimesheet.status == "approved",
            PayableHours.paid_in_run_id.is_(None),
            PayableHours.day <= until,
        )
    )
    for employee_id, hours_id, day, kind, amount in rows:
        hours[employee_id].append((hours_id, WorkedHours(day, kind, amount)))
    return hours


async def _pending_items(session: AsyncSession, currency: str) -> dict[str, list[PayItem]]:
    items: dict[str, list[PayItem]] = defaultdict(list)
    for item in await session.scalars(
        select(PayItemRow)
        .where(PayItemRow.status == "pending", PayItemRow.currency == currency)
        .order_by(PayItemRow.created_at, PayItemRow.id)
    ):
        items[item.employee_id].append(PayItem(item.id, item.kind, item.amount, item.description, item.corrects_run_id))
    return items


async def _terms(session: AsyncSession, until: date) -> dict[str, list[Terms]]:
    """The pay terms of everyone employed by ``until``, oldest first."""
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
        .where(PayProfile.start_date <= until)
        .order_by(PayTermsVersion.employee_id, PayTermsVersion.effective_from)
    ):
        terms[employee_id].append(Terms(starts, pay_type, rate, currency, frequency))
    return terms


async def _placements(session: AsyncSession, until: date) -> dict[str, list[tuple[date, str | None]]]:
    placed: dict[str, list[tuple[date, str | None]]] = defaultdict(list)
    for employee_id, starts, department in await session.execute(
        select(PlacementVersion.employee_id, PlacementVersion.effective_from, PlacementVersion.department)
        .where(PlacementVersion.effective_from <= until)
        .order_by(PlacementVersion.employee_id, PlacementVersion.effective_from)
    ):
        placed[employee_id].append((starts, department))
    return placed


async def _profiles(session: AsyncSession, until: date) -> list[Profile]:
    rows = await session.execute(
        select(
            PayProfile.employee_id,
            PayProfile.given_name,
            PayProfile.family_name,
            PayProfile.department,
            PayProfile.start_date,
            PayProfile.end_date,
        )
        .where(PayProfile.start_date <= until)
        .order_by(PayProfile.employee_id)
    )
    return [Profile(*row) for row in rows]


# -- arrears ------------------------------------------------------------------------------------
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
    profiles, redo = await _changed_since(session, past)
    if not redo:
        return {}
    people, run_ids = sorted({e for e, _ in redo}), sorted({r.id for _, r in redo})
    hours = await _hours_paid(session, people, run_ids)
    paid = await _earnings_paid(session, group, people, since)
    rule_sets: dict[date, tuple[RuleSet, list[Rule]]] = {}
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


async def _changed_since(
    session: AsyncSession, past: list[PayRun]
) -> tuple[dict[str, PayProfile], list[tuple[str, PayRun]]]:
    """The profiles changed since the earliest of ``past`` was approved, and (employee, run) for each run of
    ``past`` that one of them was employed in and that was approved before their change was recorded."""
    earliest = min(r.approved_at or r.updated_at for r in past)
    changed_terms: dict[str, list[tuple[date, datetime]]] = defaultdict(list)
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
    return profiles, redo


async def _hours_paid(
    session: AsyncSession, people: list[str], run_ids: list[str]
) -> dict[tuple[str, str | None], list[WorkedHours]]:
    """The hours each of ``run_ids`` paid to each of ``people``."""
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
    return hours


async def _earnings_paid(
    session: AsyncSession, group: PayGroup, people: list[str], since: date
) -> dict[tuple[str, str], dict[str, Decimal]]:
    """What the group's paid runs since ``since`` paid each of ``people`` for each run, by earning code: a
    line correcting an earlier run (arrears) counts for the run it corrects."""
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
    return paid
