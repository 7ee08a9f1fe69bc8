"""Pay runs: draft -> calculated (repeatable) -> approved (locked, payslips issued) -> paid.

Inputs are read in a few set-based queries (profiles, terms, approved unpaid hours, pending pay
items, year-to-date), the engine computes each payslip in memory, and the payslips are written in
one multi-row insert: a run of 10,000 people is a handful of statements, not 10,000 round trips.
"""

from __future__ import annotations

import calendar
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.ledger.service import EntryDraft, PostingLine, post_entries
from backoffice.payroll.money import ZERO, quantum, round_money
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
from backoffice.payroll.payruns.schemas import (
    PayItemCreate,
    PayItemPage,
    PayItemRead,
    PayRunCreate,
    PayRunPage,
    PayRunRead,
    PayslipPage,
    PayslipRead,
    Register,
    RegisterRow,
)
from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion, PlacementVersion
from backoffice.payroll.profiles.service import terms_on
from backoffice.payroll.rules import service as rules
from backoffice.payroll.rules.models import PayGroup
from backoffice.payroll.rules.schemas import Rule
from backoffice.shared import csvfile
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.bus import Envelope, record_events
from backoffice.shared.db import utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.events import payroll as events
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

SOURCE = "payroll"
LOCKED = ("approved", "paid", "cancelled")
CHUNK = 5000
HOURS = Decimal("0.01")  # hours are recorded to the hundredth
RETRO_MONTHS = 12  # how far back a run looks for paid periods that owe arrears (or a recovery)


def _dumps(value: Any) -> str:
    return json.dumps(value, default=str, separators=(",", ":"))


# -- runs ---------------------------------------------------------------------------------------
def run_read(run: PayRun) -> PayRunRead:
    totals = json.loads(run.totals_by_code)
    q = quantum(run.currency)  # columns keep three decimals; sums of rounded lines are exact in the currency's
    return PayRunRead(
        id=run.id,
        pay_group=run.pay_group_code,
        period_start=run.period_start,
        period_end=run.period_end,
        pay_date=run.pay_date,
        status=run.status,  # type: ignore[arg-type]
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
    query = select(PayRun).where(PayRun.id == run_id)
    if lock:
        query = query.with_for_update()
    run = await session.scalar(query)
    if run is None:
        raise NotFound("pay run", run_id)
    return run


async def create_run(session: AsyncSession, user: Principal, body: PayRunCreate) -> PayRun:
    await rules.get_group(session, body.pay_group)
    # The group's row is locked so two clerks cannot open overlapping runs at the same moment.
    group = await session.scalar(select(PayGroup).where(PayGroup.code == body.pay_group).with_for_update())
    assert group is not None
    expected = expected_period(group.frequency, body.period_start)
    if expected is None or expected != body.period_end:
        raise Problem(
            422,
            f"a {group.frequency} pay period starting {body.period_start} ends on {expected}"
            if expected
            else f"a {group.frequency} pay period starts on the 1st"
            + (" or the 16th" if group.frequency == "semimonthly" else "")
            + f" of a month, not on {body.period_start}",
            slug="period",
        )
    if not body.period_start <= body.pay_date <= body.period_end + timedelta(days=62):
        raise Problem(422, "the pay date is in the period or within two months after it", slug="period")
    clash = await session.scalar(
        select(PayRun).where(
            PayRun.pay_group_code == group.code,
            PayRun.status != "cancelled",
            PayRun.period_start <= body.period_end,
            PayRun.period_end >= body.period_start,
        )
    )
    if clash is not None:
        raise Problem(
            409,
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


async def _calculate(session: AsyncSession, run: PayRun, group: PayGroup) -> Calculation:
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


def _line(line: Any) -> dict[str, Any]:
    return {
        "category": line.category,
        "code": line.code,
        "description": line.description,
        "quantity": line.quantity,
        "rate": line.rate,
        "amount": line.amount,
        "corrects_run_id": line.corrects_run_id,
    }


def _row(run: PayRun, result: PayslipResult, member: Member, now: Any) -> dict[str, Any]:
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
        "hours": _dumps(result.hours),
        "lines": _dumps([_line(ln) for ln in result.lines]),
        "gross": result.gross,
        "deductions": result.deductions,
        "net": result.net,
        "employer_contributions": result.employer_contributions,
        "ytd": _dumps({"totals": result.ytd_totals, "by_code": result.ytd}),
        "final": result.final,
        "working_days_employed": result.working_days_employed,
        "working_days_in_period": result.working_days_in_period,
        "item_ids": _dumps(result.item_ids),
        "created_at": now,
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
        raise Problem(
            422,
            f"{len(negative)} payslips would have a negative net pay: {names}. Spread the recovery over "
            "later runs (a smaller negative correction) or adjust the deductions",
            slug="negative-net-pay",
        )


async def calculate_run(session: AsyncSession, user: Principal, run_id: str) -> PayRun:
    """(Re)calculate a draft run; the same inputs always give the same payslips."""
    run = await get_run(session, run_id, lock=True)
    if run.status in LOCKED:
        raise Problem(409, f"pay run {run.id} is {run.status}: it can no longer be calculated", slug="run-locked")
    group = await rules.get_group(session, run.pay_group_code)
    calc = await _calculate(session, run, group)
    _refuse_negative(calc.results)
    await session.execute(delete(Payslip).where(Payslip.run_id == run.id))
    now = utcnow()
    rows = [_row(run, r, calc.members[r.employee_id], now) for r in calc.results]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(Payslip), rows[start : start + CHUNK])
    _, rule_list = await rules.in_force(session, group.code, run.period_end)
    run.rule_set_id = calc.rule_set_id
    run.employee_count = len(rows)
    run.gross = sum((r.gross for r in calc.results), ZERO)
    run.deductions = sum((r.deductions for r in calc.results), ZERO)
    run.net = sum((r.net for r in calc.results), ZERO)
    run.employer_contributions = sum((r.employer_contributions for r in calc.results), ZERO)
    run.totals_by_code = _dumps(_totals(calc.results, rule_list))
    run.status, run.calculated_at, run.calculated_by, run.updated_at = "calculated", now, user.user_id, now
    await session.flush()
    return run


async def approve_run(
    session: AsyncSession, user: Principal, run_id: str, accounts: dict[str, str] | None = None
) -> PayRun:
    """Lock the run: hours and pay items are marked paid by it, the cost is posted to the ledger, payslips
    are issued as events."""
    run = await get_run(session, run_id, lock=True)
    own = (
        await session.scalar(select(Payslip).where(Payslip.run_id == run.id, Payslip.employee_id == user.employee_id))
        if user.employee_id is not None
        else None
    )
    if own is not None and own.signed_off_by is None:
        raise Problem(
            403,
            f"your own payslip ({own.id}) is in this run: HR or an admin signs it off first "
            f"(POST /payslips/{own.id}/sign-off), or another clerk approves the run",
            slug="own-payslip",
            payslip_id=own.id,
        )
    if run.status != "calculated":
        raise Problem(
            409,
            f"pay run {run.id} is {run.status}: only a calculated run can be approved"
            + (" (calculate it first)" if run.status == "draft" else ""),
            slug="run-not-calculated",
        )
    group = await rules.get_group(session, run.pay_group_code)
    calc = await _calculate(session, run, group)
    pending: list[str] = []
    for start in range(0, len(calc.group_ids), CHUNK):
        pending += (
            await session.scalars(
                select(SubmittedTimesheet.id).where(
                    SubmittedTimesheet.status == "pending",
                    SubmittedTimesheet.week_start <= run.period_end,
                    SubmittedTimesheet.employee_id.in_(calc.group_ids[start : start + CHUNK]),
                )
            )
        ).all()
    if pending:
        pending.sort()
        raise Problem(
            409,
            f"{len(pending)} timesheets of this period are not verified yet: approve or reject them first "
            f"({', '.join(pending[:20])})",
            slug="unverified-timesheets",
            timesheet_ids=pending[:100],
        )
    stored = {p.employee_id: p for p in await session.scalars(select(Payslip).where(Payslip.run_id == run.id))}
    fresh = {r.employee_id: r for r in calc.results}
    changed = set(stored) ^ set(fresh) | {e for e in set(stored) & set(fresh) if _differs(stored[e], fresh[e])}
    if changed or calc.rule_set_id != run.rule_set_id:
        raise Problem(
            409,
            f"the inputs changed since the run was calculated ({len(changed)} payslips differ): calculate it again "
            "and review before approving",
            slug="stale-calculation",
        )
    hours_ids = [i for m in calc.members.values() for i in m.hours_ids]
    marked = 0
    for start in range(0, len(hours_ids), CHUNK):
        result = await session.execute(
            update(PayableHours)
            .where(PayableHours.id.in_(hours_ids[start : start + CHUNK]), PayableHours.paid_in_run_id.is_(None))
            .values(paid_in_run_id=run.id)
        )
        marked += result.rowcount  # type: ignore[attr-defined]
    item_ids = [i for r in calc.results for i in r.item_ids]
    if item_ids:
        result = await session.execute(
            update(PayItemRow)
            .where(PayItemRow.id.in_(item_ids), PayItemRow.status == "pending")
            .values(status="paid", paid_in_run_id=run.id, updated_at=utcnow())
        )
        marked += result.rowcount  # type: ignore[attr-defined]
    if marked != len(hours_ids) + len(item_ids):
        raise Problem(409, "another run paid some of these hours meanwhile: calculate again", slug="stale-calculation")
    now = utcnow()
    year = run.pay_date.year
    in_run = select(Payslip.employee_id).where(Payslip.run_id == run.id)
    await session.execute(delete(YearToDate).where(YearToDate.year == year, YearToDate.employee_id.in_(in_run)))
    ytd_rows = [
        {
            "employee_id": r.employee_id,
            "year": year,
            "by_code": _dumps(r.ytd),
            "totals": _dumps(r.ytd_totals),
            "last_run_id": run.id,
            "updated_at": now,
        }
        for r in calc.results
    ]
    for start in range(0, len(ytd_rows), CHUNK):
        await session.execute(insert(YearToDate), ytd_rows[start : start + CHUNK])
    run.status, run.approved_at, run.approved_by, run.updated_at = "approved", now, user.user_id, now
    await session.flush()
    await record_events(session, [*_payslip_events(run, stored, fresh), _completed_event(run, list(stored.values()))])
    if accounts is not None:
        posting = _payrun_posting(run, accounts)
        if posting.lines:  # a run that paid nothing posts nothing
            await post_entries(session, user.user_id, [posting], roll_forward=True)
    return run


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
        stored.lines != _dumps([_line(ln) for ln in fresh.lines])
        or stored.ytd != _dumps({"totals": fresh.ytd_totals, "by_code": fresh.ytd})
        or stored.hours != _dumps(fresh.hours)
        or stored.final != fresh.final
    )


def _payslip_events(run: PayRun, stored: dict[str, Payslip], fresh: dict[str, PayslipResult]) -> list[Envelope]:
    envelopes = []
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
            lines=[events.PayslipLine(**_line(ln)) for ln in result.lines],
            gross=result.gross,
            deductions=result.deductions,
            net=result.net,
            employer_contributions=result.employer_contributions,
            year_to_date=result.ytd_totals,
        )
        envelopes.append(Envelope.new(events.PAYSLIP_ISSUED, source=SOURCE, subject=employee_id, data=data))
    return envelopes


def _completed_event(run: PayRun, slips: list[Payslip]) -> Envelope:
    departments: dict[str | None, list[Payslip]] = defaultdict(list)
    for slip in slips:
        departments[slip.department].append(slip)
    read = run_read(run)
    data = events.PayrunCompleted(
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
    return Envelope.new(events.PAYRUN_COMPLETED, source=SOURCE, subject=run.id, data=data)


async def mark_paid(
    session: AsyncSession, user: Principal, run_id: str, on: date, accounts: dict[str, str] | None = None
) -> PayRun:
    """The net pay left the bank on ``on``: what was owed to the employees is settled."""
    run = await get_run(session, run_id, lock=True)
    if run.status != "approved":
        raise Problem(409, f"pay run {run.id} is {run.status}: only an approved run is paid", slug="run-not-approved")
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


async def cancel_run(session: AsyncSession, user: Principal, run_id: str) -> PayRun:
    """Cancel a run not yet approved. It stays readable as it was (employees, totals, payslips), marked cancelled."""
    run = await get_run(session, run_id, lock=True)
    if run.status in LOCKED:
        raise Problem(409, f"pay run {run.id} is {run.status}: it can no longer be cancelled", slug="run-locked")
    # Kept as it was when cancelled, figures and draft payslips, so that whoever audits it reads what was
    # calculated and not paid; nothing of it is paid, and its hours and pay items are left for the next run.
    run.status, run.updated_at = "cancelled", utcnow()
    return run


# -- payslips -----------------------------------------------------------------------------------
def payslip_read(slip: Payslip, run_status: str) -> PayslipRead:
    lines = [events.PayslipLine.model_validate(x) for x in json.loads(slip.lines)]
    ytd = json.loads(slip.ytd)["totals"]
    return PayslipRead(
        id=slip.id,
        run_id=slip.run_id,
        run_status=run_status,  # type: ignore[arg-type]
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
    row = (
        await session.execute(
            select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id).where(Payslip.id == payslip_id)
        )
    ).first()
    slip, status = row if row is not None else (None, None)
    if slip is None or (
        not _is_clerk(user) and status not in ("approved", "paid") and not _reviews_drafts(user, slip, status)
    ):
        raise NotFound("payslip", payslip_id)
    if not _reviews_drafts(user, slip, status):
        ensure_access(user, owner_employee_id=slip.employee_id, roles=("payroll",), what=f"payslip {payslip_id}")
    return payslip_read(slip, str(status))


def _reviews_drafts(user: Principal, slip: Payslip, run_status: str | None) -> bool:
    """HR reads a draft payslip (of a calculated run) to sign it off; never their own."""
    return run_status == "calculated" and user.has_any("hr") and not user.is_employee(slip.employee_id)


async def sign_off_payslip(session: AsyncSession, user: Principal, payslip_id: str) -> PayslipRead:
    """HR or an admin checks a payslip of a calculated run (a payroll clerk's own), so that its clerk may approve
    the run it is in. A new calculation makes a new payslip, to be signed off again."""
    if not (user.is_admin or user.has_any("hr")):
        raise Problem(403, "only HR or an admin signs off a payslip", slug="forbidden")
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
        raise Problem(403, "your own payslip is signed off by someone else", slug="own-payslip")
    if status != "calculated":
        raise Problem(
            409, f"the payslip's run is {status}: only a calculated run's payslips are signed off", slug="run-state"
        )
    if slip.signed_off_by is not None:
        raise Problem(
            409, f"payslip {slip.id} was signed off already by {slip.signed_off_by}", slug="signed-off-already"
        )
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
    query = select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id)
    if not _is_clerk(user):
        if employee_id is not None and not user.is_employee(employee_id):
            raise Problem(403, "you may read only your own payslips", slug="forbidden")
        if user.employee_id is None:
            raise Problem(403, "only employees, payroll and admins read payslips", slug="forbidden")
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


# -- pay items ----------------------------------------------------------------------------------
def item_read(item: PayItemRow) -> PayItemRead:
    return PayItemRead.model_validate(item, from_attributes=True)


async def create_item(session: AsyncSession, user: Principal, body: PayItemCreate, today: date) -> PayItemRow:
    if user.is_employee(body.employee_id):
        raise Problem(403, "you may not add pay for yourself: another clerk does", slug="own-pay")
    profile = await session.get(PayProfile, body.employee_id)
    if profile is None:
        raise Problem(422, f"employee {body.employee_id} is not known to payroll", slug="unknown-employee")
    terms = await terms_on(session, body.employee_id, min(today, profile.end_date or today))
    if terms is None:
        raise Problem(422, f"employee {body.employee_id} has no pay terms yet", slug="no-pay-terms")
    if body.amount == 0:
        raise Problem(422, "amount: give a non-zero amount", slug="amount")
    if body.amount != round_money(body.amount, terms.currency):
        raise Problem(
            422, f"amount: {terms.currency} has no amounts finer than {quantum(terms.currency)}", slug="amount"
        )
    if body.kind == "bonus":
        if body.amount < 0:
            raise Problem(422, "amount: a bonus is positive; recover an overpayment with a correction", slug="amount")
        if body.corrects_run_id is not None:
            raise Problem(422, "corrects_run_id: only a correction names the run it corrects", slug="corrects")
    else:
        if body.corrects_run_id is None:
            raise Problem(422, "corrects_run_id: a correction names the approved run it corrects", slug="corrects")
        corrected = await session.get(PayRun, body.corrects_run_id)
        if corrected is None or corrected.status not in ("approved", "paid"):
            raise Problem(422, f"corrects_run_id: {body.corrects_run_id} is not an approved pay run", slug="corrects")
        paid = await session.scalar(
            select(Payslip.id).where(Payslip.run_id == corrected.id, Payslip.employee_id == body.employee_id)
        )
        if paid is None:
            raise Problem(
                422, f"corrects_run_id: pay run {corrected.id} has no payslip for {body.employee_id}", slug="corrects"
            )
    now = utcnow()
    item = PayItemRow(
        id=new_id(),
        employee_id=body.employee_id,
        kind=body.kind,
        amount=body.amount,
        currency=terms.currency,
        description=body.description,
        corrects_run_id=body.corrects_run_id,
        status="pending",
        created_at=now,
        created_by=user.user_id,
        updated_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def cancel_item(session: AsyncSession, user: Principal, item_id: str) -> PayItemRow:
    item = await session.get(PayItemRow, item_id)
    if item is None:
        raise NotFound("pay item", item_id)
    # Cancelling a correction that recovers an overpayment raises the pay as surely as adding a bonus.
    if user.is_employee(item.employee_id):
        raise Problem(403, "you may not cancel pay items of your own: another clerk does", slug="own-pay")
    if item.status != "pending":
        raise Problem(409, f"pay item {item_id} is {item.status}: only a pending item can be cancelled", slug="item")
    item.status, item.updated_at = "cancelled", utcnow()
    return item


async def search_items(
    session: AsyncSession, *, employee_id: str | None, status: str | None, limit: int, offset: int
) -> PayItemPage:
    """Pay items, newest first."""
    query = select(PayItemRow)
    if employee_id is not None:
        query = query.where(PayItemRow.employee_id == employee_id)
    if status is not None:
        query = query.where(PayItemRow.status == status)
    query = query.order_by(PayItemRow.created_at.desc(), PayItemRow.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    return PayItemPage(items=[item_read(i) for i in rows], total=total, limit=limit, offset=offset)
