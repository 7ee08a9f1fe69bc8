"""Minimum pay versions: a new version for a new date, never an edit of the old one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backoffice.payroll.minimum.models import MinimumPayRule
from backoffice.payroll.minimum.schemas import MinimumPayCreate, MinimumPayPage, MinimumPayRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict
from backoffice.shared.ids import new_id
from backoffice.shared.paging import slice_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Place:
    """Where the company is (settings company_country, company_region): which minimums apply."""

    country: str
    region: str | None = None


Key = tuple[str, str | None, str | None]  # country, region, agreement group


def _key(rule: MinimumPayRule | MinimumPayCreate) -> Key:
    return rule.country, rule.region, rule.agreement_group


def _end(rule: MinimumPayRule, versions: list[MinimumPayRule]) -> date | None:
    """The last day in force: its own end, or the day before the next version of the same key starts."""
    nexts = [v.effective_from for v in versions if _key(v) == _key(rule) and v.effective_from > rule.effective_from]
    implied = min(nexts) - timedelta(days=1) if nexts else None
    ends = [d for d in (rule.effective_to, implied) if d is not None]
    return min(ends) if ends else None


def _read(rule: MinimumPayRule, versions: list[MinimumPayRule]) -> MinimumPayRead:
    return MinimumPayRead(
        id=rule.id,
        country=rule.country,
        region=rule.region,
        agreement_group=rule.agreement_group,
        version=rule.version,
        effective_from=rule.effective_from,
        effective_to=rule.effective_to,
        in_force_to=_end(rule, versions),
        currency=rule.currency,
        hourly_minimum=rule.hourly_minimum,
        overtime_premium_percent=rule.overtime_premium_percent,
        created_at=rule.created_at,
        created_by=rule.created_by,
    )


async def _country(session: AsyncSession, country: str) -> list[MinimumPayRule]:
    query = select(MinimumPayRule).where(MinimumPayRule.country == country)
    return list((await session.scalars(query.order_by(MinimumPayRule.version, MinimumPayRule.id))).all())


def _refuse_overlap(body: MinimumPayCreate, versions: list[MinimumPayRule]) -> None:
    """Two versions of one key may not start on the same day, nor overlap where one has a fixed end (two open
    versions do not clash: the earlier ends the day before the later starts, as pay rules do)."""
    far = date.max
    new_to = body.effective_to or far
    for other in versions:
        overlaps = body.effective_from <= (other.effective_to or far) and other.effective_from <= new_to
        fixed = other.effective_to is not None or body.effective_to is not None
        if other.effective_from == body.effective_from or (overlaps and fixed):
            raise Conflict(
                f"effective_from {body.effective_from} to {body.effective_to or 'open'} overlaps version "
                f"{other.version} ({other.effective_from} to {other.effective_to or 'open'}) of the minimum for "
                f"{'/'.join(k or '-' for k in _key(other))}: choose dates that do not overlap",
                slug="minimum-pay-overlap",
                version_id=other.id,
            )


async def create_rule(session: AsyncSession, user: Principal, body: MinimumPayCreate) -> MinimumPayRead:
    """Add a version of the minimum of a country (region, agreement group); 409 when it overlaps another."""
    everything = await _country(session, body.country)
    versions = [v for v in everything if _key(v) == _key(body)]
    _refuse_overlap(body, versions)
    rule = MinimumPayRule(
        id=new_id(),
        country=body.country,
        region=body.region,
        agreement_group=body.agreement_group,
        version=max((v.version for v in versions), default=0) + 1,
        effective_from=body.effective_from,
        effective_to=body.effective_to,
        currency=body.currency,
        hourly_minimum=body.hourly_minimum,
        overtime_premium_percent=body.overtime_premium_percent,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(rule)
    await session.flush()
    return _read(rule, [*versions, rule])


async def read_rule(session: AsyncSession, rule_id: str) -> MinimumPayRead:
    """One version, with the day its successor takes over."""
    rule = await get_or_404(session, MinimumPayRule, rule_id)
    return _read(rule, await _country(session, rule.country))


async def list_rules(session: AsyncSession, country: str | None, limit: int, offset: int) -> MinimumPayPage:
    """Versions by country, region, agreement group and version."""
    query = select(MinimumPayRule)
    if country is not None:
        query = query.where(MinimumPayRule.country == country)
    rows = list((await session.scalars(query)).all())
    rows.sort(key=lambda r: (r.country, r.region or "", r.agreement_group or "", r.version))
    page, total = slice_page(rows, limit, offset)
    items = [_read(r, [v for v in rows if v.country == r.country]) for r in page]
    return MinimumPayPage(items=items, total=total, limit=limit, offset=offset)


async def in_force(session: AsyncSession, country: str, region: str | None, on: date) -> list[MinimumPayRule]:
    """The versions in force on ``on`` for a place: the country's, its region's, of every agreement group."""
    versions = await _country(session, country)
    return [
        v
        for v in versions
        if v.region in (None, region) and v.effective_from <= on and ((end := _end(v, versions)) is None or on <= end)
    ]
