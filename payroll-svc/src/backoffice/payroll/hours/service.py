"""Verifying submitted hours: findings on receipt, overtime classified, a clerk's approval or rejection.

Errors (unknown employee, impossible hours, days outside the week or the employment, future days,
days already counted, kinds the employee may not record) reject the timesheet at once, with the
findings, back to HR. A timesheet without errors waits for a payroll clerk; only approved hours
are paid, each hour once (``PayableHours.paid_in_run_id``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Context, Decimal, DivisionByZero, InvalidOperation
from typing import Literal

from backoffice.payroll.events import emit
from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.hours.schemas import (
    DecisionResult,
    FindingRead,
    HoursRead,
    SubmittedEntry,
    SubmittedHours,
    TimesheetPage,
    TimesheetRead,
)
from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion
from backoffice.payroll.profiles.names import name_matches, names
from backoffice.payroll.profiles.service import history
from backoffice.payroll.settings import ENTRY_KINDS, PayrollSettings
from backoffice.shared.auth import Principal, ensure_access
from backoffice.shared.bus import Envelope
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Problem, Unprocessable
from backoffice.shared.events import payroll as events
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

WORKED = ("regular", "overtime")
ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")
MAX_ENTRIES = 100
MAX_TOTAL = Decimal("99999.99")  # what the total_hours column holds
SHOWN_KIND = 40  # characters of an unknown kind quoted in its finding
# Adds a day's hours without trapping overflow: absurdly large hours add up to Infinity, a finding, not an error.
ADDING = Context(traps=[InvalidOperation, DivisionByZero])


def _finding(
    code: str, message: str, day: date | None = None, severity: Literal["error", "info"] = "error"
) -> FindingRead:
    return FindingRead(code=code, severity=severity, message=message, day=day)


def classify(
    entries: list[SubmittedEntry], daily: Decimal, weekly: Decimal
) -> tuple[dict[tuple[date, str], Decimal], list[FindingRead]]:
    """Regular hours beyond ``daily`` in a day, then beyond ``weekly`` in the week, become overtime."""
    hours: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        hours[(entry.day, entry.kind)] += entry.hours
    findings: list[FindingRead] = []
    week_regular = ZERO
    for day in sorted({d for d, _ in hours}):
        regular = hours.get((day, "regular"), ZERO)
        if regular > daily:
            moved = regular - daily
            findings.append(
                _finding("daily_overtime", f"{moved} h above {daily} h on {day} counted as overtime", day, "info")
            )
            hours[(day, "regular")] = regular = daily
            hours[(day, "overtime")] += moved
        if regular and week_regular + regular > weekly:
            moved = week_regular + regular - weekly
            findings.append(
                _finding("weekly_overtime", f"{moved} h above {weekly} h in the week counted as overtime", day, "info")
            )
            hours[(day, "regular")] = regular = regular - moved
            hours[(day, "overtime")] += moved
        week_regular += regular
    return {key: value for key, value in hours.items() if value > 0}, findings


async def _check(
    session: AsyncSession, settings: PayrollSettings, data: SubmittedHours, today: date
) -> list[FindingRead]:
    """Everything wrong with a submitted week (errors) and worth a clerk's notice, in a stable order."""
    profile = await session.get(PayProfile, data.employee_id)
    terms = await history(session, data.employee_id) if profile else []
    findings = _check_week(data, profile, terms)
    per_day: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for entry in data.entries:
        findings += _check_entry(settings, entry, terms)
        if entry.hours.is_finite():
            per_day[entry.day] = ADDING.add(per_day[entry.day], entry.hours)
        else:
            per_day[entry.day] += ZERO  # not a number: the day itself is still checked
    findings += _check_days(data, profile, per_day, today)
    if per_day:
        findings += await _counted_already(session, data, list(per_day))
    return findings


def _check_week(data: SubmittedHours, profile: PayProfile | None, terms: list[PayTermsVersion]) -> list[FindingRead]:
    """Findings on the week as a whole: who, which week, how many entries."""
    findings: list[FindingRead] = []
    if profile is None:
        findings.append(_finding("unknown_employee", f"employee {data.employee_id} is not known to payroll"))
    if data.week_start.weekday() != 0:
        findings.append(_finding("week_start", f"the week must start on a Monday, not on {data.week_start}"))
    if data.week_start > date.max - timedelta(days=6):
        findings.append(_finding("week_start", f"the week of {data.week_start} does not fit in the calendar"))
    if not data.entries:
        findings.append(_finding("empty", "the timesheet has no entries"))
    if len(data.entries) > MAX_ENTRIES:
        findings.append(_finding("too_many_entries", f"{len(data.entries)} entries in a week (at most {MAX_ENTRIES})"))
    if profile is not None and not terms:
        findings.append(_finding("no_pay_terms", "the employee has no pay terms: HR must set them first"))
    return findings


def _check_entry(settings: PayrollSettings, entry: SubmittedEntry, terms: list[PayTermsVersion]) -> list[FindingRead]:
    """Findings on one entry: its hours and its kind."""
    if not entry.hours.is_finite():
        return [_finding("hours_not_a_number", f"the hours of {entry.day} are not a number", entry.day)]
    findings: list[FindingRead] = []
    if entry.kind not in ENTRY_KINDS:
        shown = entry.kind if len(entry.kind) <= SHOWN_KIND else entry.kind[:SHOWN_KIND] + "..."
        findings.append(_finding("unknown_kind", f"'{shown}' is not a kind of hours", entry.day))
    if entry.hours < 0:
        findings.append(_finding("negative_hours", f"{entry.hours} h is negative", entry.day))
    if abs(entry.hours) < 1000 and entry.hours != entry.hours.quantize(HUNDREDTH):
        findings.append(_finding("hours_precision", f"{entry.hours} h: hours are recorded to the hundredth", entry.day))
    if terms and entry.kind in ENTRY_KINDS:
        in_force = [t for t in terms if t.effective_from <= entry.day] or terms[:1]
        pay_type = in_force[-1].pay_type
        if entry.kind not in settings.allowed_entry_kinds.get(pay_type, ENTRY_KINDS):
            findings.append(
                _finding("kind_not_allowed", f"{pay_type} employees may not record '{entry.kind}' hours", entry.day)
            )
    return findings


def _check_days(
    data: SubmittedHours, profile: PayProfile | None, per_day: dict[date, Decimal], today: date
) -> list[FindingRead]:
    """Findings on each day of the entries, by date: its total, and whether it may be paid at all."""
    week_end = min(data.week_start, date.max - timedelta(days=6)) + timedelta(days=6)
    start = profile.start_date if profile is not None else None
    end = profile.end_date if profile is not None else None
    findings: list[FindingRead] = []
    for day, total in sorted(per_day.items()):
        if total > 24:
            findings.append(_finding("hours_out_of_range", f"{total} h in one day is more than 24", day))
        if not data.week_start <= day <= week_end:
            findings.append(_finding("day_outside_week", f"{day} is outside the week of {data.week_start}", day))
        if day > today:
            findings.append(_finding("future_day", f"{day} has not happened yet", day))
        if start is not None and day < start:
            findings.append(_finding("before_employment", f"{day} is before the start date {start}", day))
        if end is not None and day > end:
            findings.append(_finding("after_employment", f"{day} is after the last day {end}", day))
    return findings


async def _counted_already(session: AsyncSession, data: SubmittedHours, days: list[date]) -> list[FindingRead]:
    """The days of this week that another pending or approved timesheet of the employee counts already."""
    counted = await session.execute(
        select(PayableHours.day, PayableHours.timesheet_id)
        .join(SubmittedTimesheet, SubmittedTimesheet.id == PayableHours.timesheet_id)
        .where(
            PayableHours.employee_id == data.employee_id,
            PayableHours.day.in_(days),
            SubmittedTimesheet.status.in_(("pending", "approved")),
            SubmittedTimesheet.id != data.timesheet_id,
        )
        .distinct()
    )
    return [
        _finding("duplicate_day", f"{day} is already counted in timesheet {other}", day)
        for day, other in sorted(counted.all())
    ]


def _total(entries: list[SubmittedEntry]) -> Decimal | None:
    """The week's total as stored, or None when the entries cannot be added up (not numbers, or too large)."""
    if any(not e.hours.is_finite() or abs(e.hours) > MAX_TOTAL for e in entries):
        return None
    total = sum((e.hours for e in entries), ZERO)
    return total if abs(total) <= MAX_TOTAL else None


def _contract(findings: list[FindingRead]) -> list[events.Finding]:
    return [events.Finding(code=f.code, message=f.message, day=f.day) for f in findings]


async def on_submitted(
    session: AsyncSession, settings: PayrollSettings, envelope: Envelope, data: SubmittedHours
) -> None:
    """Record a submitted week with its findings; errors reject it at once (``payroll.hours_rejected``)."""
    # The employee's profile row is locked first: two weeks of one person judged at the same moment by two
    # replicas take turns, so the second sees the first's days and cannot count them again.
    await session.get(PayProfile, data.employee_id, with_for_update=True)
    if await session.get(SubmittedTimesheet, data.timesheet_id) is not None:
        return  # the same version sent again by another path: already judged
    today = datetime.now(settings.timezone).date()
    findings = await _check(session, settings, data, today)
    errors = [f for f in findings if f.severity == "error"]
    classified: dict[tuple[date, str], Decimal] = {}
    if not errors:
        classified, notes = classify(data.entries, settings.overtime_daily_hours, settings.overtime_weekly_hours)
        findings += notes
    now = utcnow()
    sheet = SubmittedTimesheet(
        id=data.timesheet_id,
        employee_id=data.employee_id,
        week_start=data.week_start,
        version=data.version,
        status="rejected" if errors else "pending",
        entries=json.dumps([e.model_dump(mode="json") for e in data.entries]),
        findings=json.dumps([f.model_dump(mode="json") for f in findings]),
        total_hours=_total(data.entries),
        received_at=now,
        decided_at=now if errors else None,
        reason="; ".join(f.message for f in errors[:5]) if errors else None,
        automatic=bool(errors),
        source_event_id=envelope.id,
    )
    session.add(sheet)
    await session.flush()
    session.add_all(
        PayableHours(timesheet_id=sheet.id, employee_id=sheet.employee_id, day=day, kind=kind, hours=hours)
        for (day, kind), hours in sorted(classified.items())
    )
    if errors:
        rejected = events.HoursRejected(
            timesheet_id=sheet.id,
            employee_id=sheet.employee_id,
            reason=sheet.reason or "rejected",
            findings=_contract(findings),
        )
        await emit(session, rejected, subject=data.employee_id, caused_by=envelope)


async def _read(session: AsyncSession, sheets: list[SubmittedTimesheet]) -> list[TimesheetRead]:
    ids = [s.id for s in sheets]
    hours: dict[str, list[HoursRead]] = {i: [] for i in ids}
    if ids:
        rows = await session.scalars(
            select(PayableHours).where(PayableHours.timesheet_id.in_(ids)).order_by(PayableHours.day, PayableHours.kind)
        )
        for row in rows:
            hours[row.timesheet_id].append(HoursRead.model_validate(row))
    named = await names(session, [s.employee_id for s in sheets])
    return [
        TimesheetRead(
            id=s.id,
            employee_id=s.employee_id,
            employee_name=named.get(s.employee_id),
            week_start=s.week_start,
            version=s.version,
            status=s.status,
            automatic=s.automatic,
            entries=[SubmittedEntry.model_validate(e) for e in json.loads(s.entries)],
            total_hours=s.total_hours,
            hours=hours[s.id],
            findings=[FindingRead.model_validate(f) for f in json.loads(s.findings)],
            received_at=s.received_at,
            decided_at=s.decided_at,
            decided_by=s.decided_by,
            decision_reason=s.reason,
            reason=s.reason,
        )
        for s in sheets
    ]


async def read(session: AsyncSession, user: Principal, timesheet_id: str) -> TimesheetRead:
    """One timesheet with its findings and payable hours; its employee reads it, and payroll."""
    sheet = await get_or_404(session, SubmittedTimesheet, timesheet_id, what="timesheet")
    ensure_access(user, owner_employee_id=sheet.employee_id, roles=("payroll",), what=f"timesheet {timesheet_id}")
    return (await _read(session, [sheet]))[0]


async def search(
    session: AsyncSession,
    user: Principal,
    *,
    status: str | None,
    employee_id: str | None,
    week_start: date | None,
    department: str | None = None,
    finding: str | None = None,
    name: str | None = None,
    limit: int,
    offset: int,
) -> TimesheetPage:
    """Submitted timesheets: payroll (and admins) see everyone's, an employee only their own."""
    if not (user.is_admin or user.has_any("payroll")):
        if employee_id is not None and not user.is_employee(employee_id):
            raise Forbidden("you may read only your own timesheets", slug="forbidden")
        if user.employee_id is None:
            raise Forbidden("only employees, payroll and admins read timesheets", slug="forbidden")
        employee_id = user.employee_id
    query = select(SubmittedTimesheet)
    if status is not None:
        query = query.where(SubmittedTimesheet.status == status)
    if employee_id is not None:
        query = query.where(SubmittedTimesheet.employee_id == employee_id)
    if week_start is not None:
        query = query.where(SubmittedTimesheet.week_start == week_start)
    if department:
        query = query.where(
            SubmittedTimesheet.employee_id.in_(
                select(PayProfile.employee_id).where(func.lower(PayProfile.department) == department.strip().lower())
            )
        )
    if name and name.strip():
        query = query.where(name_matches(SubmittedTimesheet.employee_id, name))
    if finding:
        # Findings are stored as JSON text written by json.dumps: each code appears as `"code": "<code>"`.
        query = query.where(SubmittedTimesheet.findings.contains(f'"code": "{finding}"', autoescape=True))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    sheets = (
        await session.scalars(
            query.order_by(SubmittedTimesheet.received_at, SubmittedTimesheet.id).limit(limit).offset(offset)
        )
    ).all()
    return TimesheetPage(items=await _read(session, list(sheets)), total=total, limit=limit, offset=offset)


async def decide(
    session: AsyncSession, user: Principal, ids: list[str], decision: str, reason: str | None
) -> DecisionResult:
    """Approve or reject pending timesheets, all or none; each verdict goes back to HR as an event."""
    if decision == "reject" and not reason:
        raise Unprocessable("give a reason to reject: the employee reads it", slug="reason-required")
    unique = list(dict.fromkeys(ids))
    sheets = {
        s.id: s
        for s in (
            await session.scalars(select(SubmittedTimesheet).where(SubmittedTimesheet.id.in_(unique)).with_for_update())
        ).all()
    }
    missing = [i for i in unique if i not in sheets]
    if missing:
        raise Problem(404, f"no such timesheets: {', '.join(missing[:20])}", slug="not-found")
    decided = [i for i in unique if sheets[i].status != "pending"]
    if decided:
        raise Conflict(
            "already decided, nothing was changed: " + ", ".join(f"{i} ({sheets[i].status})" for i in decided[:20]),
            slug="already-decided",
        )
    own = [i for i in unique if user.is_employee(sheets[i].employee_id)]
    if own:
        raise Forbidden(f"you may not decide on your own hours: {', '.join(own)}", slug="own-timesheet")
    now = utcnow()
    for sheet_id in unique:
        sheet = sheets[sheet_id]
        sheet.status = "approved" if decision == "approve" else "rejected"
        sheet.decided_at, sheet.decided_by, sheet.reason = now, user.user_id, reason
        findings = _contract([FindingRead.model_validate(f) for f in json.loads(sheet.findings)])
        data: events.HoursVerified | events.HoursRejected
        if decision == "approve":
            data = events.HoursVerified(timesheet_id=sheet.id, employee_id=sheet.employee_id, findings=findings)
        else:
            data = events.HoursRejected(
                timesheet_id=sheet.id, employee_id=sheet.employee_id, reason=reason or "", findings=findings
            )
        await emit(session, data, subject=sheet.employee_id)
    await session.flush()
    return DecisionResult(decided=len(unique), items=await _read(session, [sheets[i] for i in unique]))
