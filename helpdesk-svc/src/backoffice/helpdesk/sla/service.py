"""Business-hours calendars and SLA policies. A ticket takes the policy of its priority and category (or the
priority's catch-all '*'), and keeps a copy of the targets so later edits do not move its deadlines."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from backoffice.helpdesk.signals import Signal
from backoffice.helpdesk.sla.clock import BusinessCalendar, add_business_time
from backoffice.helpdesk.sla.models import SlaCalendar, SlaPolicy
from backoffice.helpdesk.sla.schemas import (
    CalendarCreate,
    CalendarPage,
    CalendarRead,
    CalendarUpdate,
    PolicyPage,
    PolicyRead,
    PolicyUpdate,
)
from backoffice.helpdesk.teams.service import require_lead
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

# A calendar's working hours changed at an instant, by someone (in the caller's transaction): what runs on the
# calendar (the tickets' SLA clocks) settles the time used so far in the old hours, or refuses the edit (422).
calendar_hours_changed: Signal[[AsyncSession, str, BusinessCalendar, BusinessCalendar, str, datetime]] = Signal(
    "calendar hours changed"
)


def _calendar_read(row: SlaCalendar) -> CalendarRead:
    return CalendarRead(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        working_days=json.loads(row.working_days),
        opens=row.opens,
        closes=row.closes,
        holidays=[date.fromisoformat(d) for d in json.loads(row.holidays)],
        holiday_country=row.holiday_country,
        holiday_subdivision=row.holiday_subdivision,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _apply(row: SlaCalendar, body: CalendarCreate) -> None:
    row.name, row.timezone, row.opens, row.closes = body.name, body.timezone, body.opens, body.closes
    row.working_days = json.dumps(body.working_days)
    row.holidays = json.dumps(sorted({d.isoformat() for d in body.holidays}))
    row.holiday_country = body.holiday_country.upper() if body.holiday_country else None
    row.holiday_subdivision = body.holiday_subdivision
    row.updated_at = utcnow()


async def _flush_named(session: AsyncSession, name: str) -> None:
    await flush_or_conflict(session, f"a calendar named {name!r} exists", slug="calendar-exists")


async def create_calendar(session: AsyncSession, user: Principal, body: CalendarCreate) -> CalendarRead:
    """Adds a business-hours calendar (team leads and admins); a name already taken is a 409."""
    await require_lead(session, user, "setting SLA calendars")
    row = SlaCalendar(id=new_id(), created_at=utcnow())
    _apply(row, body)
    session.add(row)
    await _flush_named(session, body.name)
    return _calendar_read(row)


def _hours(row: SlaCalendar) -> tuple[object, ...]:
    """What a calendar's working time depends on (its name does not)."""
    return (
        row.timezone,
        row.working_days,
        row.opens,
        row.closes,
        row.holidays,
        row.holiday_country,
        row.holiday_subdivision,
    )


def _unreachable(calendar: BusinessCalendar, start: datetime, minutes: int) -> bool:
    """Whether the calendar has too little working time after ``start`` to ever count ``minutes``."""
    try:
        add_business_time(calendar, start, timedelta(minutes=minutes))
    except ValueError:
        return True
    return False


def _policy_name(row: SlaPolicy) -> str:
    return f"{row.priority}/{row.category}"


async def update_calendar(
    session: AsyncSession, user: Principal, calendar_id: str, body: CalendarUpdate, *, now: datetime | None = None
) -> CalendarRead:
    """New hours, holidays or zone apply from the moment of the edit (``now``, the clock's unless given): the
    tickets on the calendar that are not closed keep the working time used so far, and what is left of their
    targets runs in the new hours. Hours that would leave a policy on the calendar (or an open ticket) too
    little working time to ever reach its targets are refused (422)."""
    await require_lead(session, user, "setting SLA calendars")
    at = now or utcnow().replace(microsecond=0)  # in whole seconds, as the clocks count
    row = await get_calendar_row(session, calendar_id)
    candidate = SlaCalendar(id=row.id, created_at=row.created_at)
    _apply(candidate, body)
    if _hours(candidate) != _hours(row):
        old, new = business_calendar(row), business_calendar(candidate)
        policies = (
            await session.scalars(
                select(SlaPolicy)
                .where(SlaPolicy.calendar_id == calendar_id)
                .order_by(SlaPolicy.priority, SlaPolicy.category)
            )
        ).all()
        stuck = [p for p in policies if _unreachable(new, at, p.resolution_minutes)]
        if stuck:
            names = ", ".join(f"{_policy_name(p)} ({p.resolution_minutes} minutes to resolve)" for p in stuck)
            raise Unprocessable(
                f"these hours leave too little working time to ever reach the targets of the policy {names}: "
                "keep more working time in the calendar, or move the policy to another calendar first",
                slug="unreachable-target",
                policies=[{"id": p.id, "priority": p.priority, "category": p.category} for p in stuck],
            )
        _apply(row, body)
        await _flush_named(session, body.name)
        await calendar_hours_changed.send(session, calendar_id, old, new, user.user_id, at)
    else:
        _apply(row, body)
        await _flush_named(session, body.name)
    await session.flush()
    return _calendar_read(row)


async def get_calendar_row(session: AsyncSession, calendar_id: str) -> SlaCalendar:
    """The calendar's row; a 404 if there is none."""
    return await get_or_404(session, SlaCalendar, calendar_id, what="SLA calendar")


async def read_calendar(session: AsyncSession, calendar_id: str) -> CalendarRead:
    """The calendar as the API shows it; a 404 if there is none."""
    return _calendar_read(await get_calendar_row(session, calendar_id))


async def list_calendars(session: AsyncSession, limit: int, offset: int) -> CalendarPage:
    """Calendars, by name."""
    query = select(SlaCalendar).order_by(SlaCalendar.name, SlaCalendar.id)
    rows, total = await fetch_page(session, query, limit, offset)
    return CalendarPage(items=[_calendar_read(r) for r in rows], total=total, limit=limit, offset=offset)


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)


def business_calendar(row: SlaCalendar) -> BusinessCalendar:
    """The working hours a calendar row describes, public holidays of its country included."""
    public = _public_holidays(row.holiday_country, row.holiday_subdivision) if row.holiday_country else None
    return BusinessCalendar(
        timezone=ZoneInfo(row.timezone),
        working_days=frozenset(json.loads(row.working_days)),
        opens=row.opens,
        closes=row.closes,
        holidays=frozenset(date.fromisoformat(d) for d in json.loads(row.holidays)),
        is_public_holiday=(lambda day: day in public) if public is not None else None,
    )


async def save_policy(session: AsyncSession, user: Principal, body: PolicyUpdate) -> PolicyRead:
    """One policy per priority and category: saving again replaces its targets (for new tickets)."""
    await require_lead(session, user, "setting SLA policies")
    calendar = business_calendar(await get_calendar_row(session, body.calendar_id))
    if _unreachable(calendar, utcnow(), body.resolution_minutes):
        raise Unprocessable(
            "the calendar has too little working time to ever reach these targets", slug="unreachable-target"
        )
    row = await session.scalar(
        select(SlaPolicy).where(SlaPolicy.priority == body.priority, SlaPolicy.category == body.category)
    )
    if row is None:
        row = SlaPolicy(id=new_id(), priority=body.priority, category=body.category, created_at=utcnow())
        session.add(row)
    row.first_response_minutes, row.resolution_minutes = body.first_response_minutes, body.resolution_minutes
    row.calendar_id, row.updated_at = body.calendar_id, utcnow()
    await flush_or_conflict(
        session, "this policy was just changed by someone else: try again", slug="concurrent-change"
    )
    return PolicyRead.model_validate(row, from_attributes=True)


async def list_policies(session: AsyncSession, limit: int, offset: int) -> PolicyPage:
    """SLA policies, by priority and category."""
    query = select(SlaPolicy).order_by(SlaPolicy.priority, SlaPolicy.category, SlaPolicy.id)
    rows, total = await fetch_page(session, query, limit, offset)
    items = [PolicyRead.model_validate(r, from_attributes=True) for r in rows]
    return PolicyPage(items=items, total=total, limit=limit, offset=offset)


async def delete_policy(session: AsyncSession, user: Principal, policy_id: str) -> None:
    """Removes a policy (team leads and admins); tickets opened under it keep their targets."""
    await require_lead(session, user, "setting SLA policies")
    row = await get_or_404(session, SlaPolicy, policy_id, what="SLA policy")
    await session.delete(row)


async def policy_for(session: AsyncSession, priority: str, category: str) -> SlaPolicy | None:
    """The policy of the priority and category, else the priority's catch-all ``*``; None without either."""
    rows = (
        await session.scalars(
            select(SlaPolicy).where(SlaPolicy.priority == priority, SlaPolicy.category.in_([category, "*"]))
        )
    ).all()
    exact = [r for r in rows if r.category == category]
    chosen = exact or list(rows)
    return chosen[0] if chosen else None
