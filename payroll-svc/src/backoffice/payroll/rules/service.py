"""Pay groups and rule sets: a new version of the rules for a new date, never an edit of the old one."""

from __future__ import annotations

from datetime import date, timedelta

from backoffice.payroll.money import is_known_currency
from backoffice.payroll.rules.models import PayGroup, RuleSet
from backoffice.payroll.rules.schemas import (
    PayGroupCreate,
    PayGroupPage,
    PayGroupRead,
    Rule,
    RuleSetCreate,
    RuleSetPage,
    RuleSetRead,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page, slice_page
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

RULES = TypeAdapter(list[Rule])


async def create_group(session: AsyncSession, user: Principal, body: PayGroupCreate) -> PayGroupRead:
    """Add a pay group; 409 when its code, or its frequency and currency, are taken."""
    currency = body.currency.upper()
    if not is_known_currency(currency):
        raise Unprocessable(f"unknown currency {body.currency!r}: give an ISO 4217 code such as EUR", slug="currency")
    if await session.get(PayGroup, body.code) is not None:
        raise Conflict(f"pay group {body.code} exists already", slug="pay-group-exists")
    clash = await session.scalar(
        select(PayGroup.code).where(PayGroup.frequency == body.frequency, PayGroup.currency == currency)
    )
    if clash is not None:
        raise Conflict(f"pay group {clash} already pays {body.frequency} in {currency}", slug="pay-group-exists")
    group = PayGroup(
        code=body.code,
        name=body.name,
        frequency=body.frequency,
        currency=currency,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(group)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"pay group {body.code} was created at the same moment", slug="pay-group-exists") from None
    return PayGroupRead.model_validate(group)


async def get_group(session: AsyncSession, code: str) -> PayGroup:
    """The pay group ``code`` (404 when there is none)."""
    return await get_or_404(session, PayGroup, code)


async def list_groups(session: AsyncSession, limit: int, offset: int) -> PayGroupPage:
    """Pay groups, by code."""
    groups, total = await fetch_page(session, select(PayGroup).order_by(PayGroup.code), limit, offset)
    items = [PayGroupRead.model_validate(g) for g in groups]
    return PayGroupPage(items=items, total=total, limit=limit, offset=offset)


def _end(rule_set: RuleSet, later: list[RuleSet]) -> date | None:
    """The last day in force: its own end, or the day before the next version starts."""
    nexts = [r.effective_from for r in later if r.effective_from > rule_set.effective_from]
    implied = min(nexts) - timedelta(days=1) if nexts else None
    ends = [d for d in (rule_set.effective_to, implied) if d is not None]
    return min(ends) if ends else None


async def _versions(session: AsyncSession, group: str) -> list[RuleSet]:
    rows = await session.scalars(select(RuleSet).where(RuleSet.pay_group_code == group).order_by(RuleSet.version))
    return list(rows.all())


def _read(rule_set: RuleSet, versions: list[RuleSet]) -> RuleSetRead:
    return RuleSetRead(
        id=rule_set.id,
        version=rule_set.version,
        pay_group=rule_set.pay_group_code,
        effective_from=rule_set.effective_from,
        effective_to=rule_set.effective_to,
        in_force_to=_end(rule_set, versions),
        standard_hours_per_year=rule_set.standard_hours_per_year,
        rules=RULES.validate_json(rule_set.rules),
        created_at=rule_set.created_at,
        created_by=rule_set.created_by,
    )


async def create_rule_set(session: AsyncSession, user: Principal, body: RuleSetCreate) -> RuleSetRead:
    """Add a version; it may not overlap a version with a fixed end, nor start on the day another starts."""
    await get_group(session, body.pay_group)
    versions = await _versions(session, body.pay_group)
    far = date.max
    new_to = body.effective_to or far
    for other in versions:
        other_to = other.effective_to or far
        overlaps = body.effective_from <= other_to and other.effective_from <= new_to
        same_start = other.effective_from == body.effective_from
        # Two open-ended versions do not clash: the earlier ends the day before the later starts.
        fixed_clash = overlaps and (other.effective_to is not None or body.effective_to is not None)
        if same_start or fixed_clash:
            raise Conflict(
                f"the rules {body.effective_from} to {body.effective_to or 'open'} overlap version {other.version} "
                f"({other.effective_from} to {other.effective_to or 'open'}): choose dates that do not overlap",
                slug="rules-overlap",
            )
    rule_set = RuleSet(
        id=new_id(),
        pay_group_code=body.pay_group,
        version=max((v.version for v in versions), default=0) + 1,
        effective_from=body.effective_from,
        effective_to=body.effective_to,
        standard_hours_per_year=body.standard_hours_per_year,
        rules=RULES.dump_json(body.rules).decode(),
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(rule_set)
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(
            "another version of these rules was saved at the same moment: reload and retry", slug="rules-overlap"
        ) from None
    return _read(rule_set, [*versions, rule_set])


async def read_rule_set(session: AsyncSession, rule_set_id: str) -> RuleSetRead:
    """One version of a group's rules, with the day its successor takes over."""
    rule_set = await get_or_404(session, RuleSet, rule_set_id)
    return _read(rule_set, await _versions(session, rule_set.pay_group_code))


async def list_rule_sets(session: AsyncSession, group: str | None, limit: int, offset: int) -> RuleSetPage:
    """Rule set versions, by pay group and version (each read with its group's others, which end it)."""
    query = select(RuleSet).order_by(RuleSet.pay_group_code, RuleSet.version)
    if group is not None:
        query = query.where(RuleSet.pay_group_code == group)
    rows = list((await session.scalars(query)).all())
    page, total = slice_page(rows, limit, offset)
    items = [_read(r, [v for v in rows if v.pay_group_code == r.pay_group_code]) for r in page]
    return RuleSetPage(items=items, total=total, limit=limit, offset=offset)


async def in_force(session: AsyncSession, group: str, on: date) -> tuple[RuleSet, list[Rule]]:
    """The version in force on ``on``; 422 when the group has none for that day."""
    versions = await _versions(session, group)
    for rule_set in sorted(versions, key=lambda r: r.effective_from, reverse=True):
        end = _end(rule_set, versions)
        if rule_set.effective_from <= on and (end is None or on <= end):
            return rule_set, RULES.validate_json(rule_set.rules)
    raise Unprocessable(f"pay group {group} has no rules in force on {on}: add a rule set first", slug="no-rules")
