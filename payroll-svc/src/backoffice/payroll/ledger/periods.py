"""Closed months: a month is closed once the postings into it in flight are committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from backoffice.payroll.ledger.models import ClosedPeriod
from backoffice.payroll.ledger.schemas import (
    PeriodPage,
    PeriodRead,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


def period_of(day: date) -> str:
    """The month ``day`` falls in, as ``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


# First key of the PostgreSQL advisory locks on ledger months (the second is the month, as 202610).
PERIOD_LOCK_SPACE = 0x4C4544  # "LED"


async def lock_periods(session: AsyncSession, periods: Iterable[str], *, close: bool = False) -> None:
    """Serialize closing a month with posting into it. Postings share the month's lock, so they never wait for each
    other; a close takes it alone, so it waits for the postings into that month in flight, and a posting waits for a
    close in flight and then sees the month closed. Held until the transaction ends. SQLite has one writer at a time
    already (write sessions begin immediate), so nothing is needed there."""
    if session.get_bind().dialect.name != "postgresql":
        return
    take = func.pg_advisory_xact_lock if close else func.pg_advisory_xact_lock_shared
    for period in sorted(set(periods)):  # always in the same order
        year, month = period.split("-")
        await session.execute(select(take(PERIOD_LOCK_SPACE, int(year) * 100 + int(month))))


async def close_period(session: AsyncSession, user: Principal, period: str) -> PeriodRead:
    """Close a month once the postings into it in flight are committed; later ones are refused or rolled forward."""
    await lock_periods(session, [period], close=True)
    if await session.get(ClosedPeriod, period) is not None:
        raise Conflict(f"the period {period} is closed already", slug="period-closed")
    row = ClosedPeriod(period=period, closed_at=utcnow(), closed_by=user.user_id)
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"the period {period} was closed at the same moment", slug="period-closed") from None
    return PeriodRead.model_validate(row)


async def list_closed(session: AsyncSession, limit: int, offset: int) -> PeriodPage:
    """Closed periods, the latest first."""
    rows, total = await fetch_page(session, select(ClosedPeriod).order_by(ClosedPeriod.period.desc()), limit, offset)
    items = [PeriodRead.model_validate(r) for r in rows]
    return PeriodPage(items=items, total=total, limit=limit, offset=offset)
