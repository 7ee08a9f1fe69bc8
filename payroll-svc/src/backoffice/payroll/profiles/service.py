"""Pay profiles kept from HR's events: hired, updated (pay terms, department and position effective-dated) and
terminated."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from backoffice.payroll.profiles.models import PayProfile, PayTermsVersion, PlacementVersion
from backoffice.payroll.profiles.schemas import PayProfilePage, PayProfileRead, PayTermsRead, PlacementRead
from backoffice.shared.bus import Envelope
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.events import hr as events
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


class ProfileNotYetKnownError(RuntimeError):
    """An update or termination arrived before the hire: retried later (the hire is on its way)."""


async def _set_terms(
    session: AsyncSession, employee_id: str, on: date, terms: events.PayTerms, envelope: Envelope
) -> None:
    row = await session.scalar(
        select(PayTermsVersion).where(PayTermsVersion.employee_id == employee_id, PayTermsVersion.effective_from == on)
    )
    if row is None:
        in_force = await terms_on(session, employee_id, on)
        if in_force is not None and _same(in_force, terms):
            return  # an update that did not touch pay
        row = PayTermsVersion(employee_id=employee_id, effective_from=on)
        session.add(row)
    row.pay_type, row.rate, row.currency, row.frequency = terms.pay_type, terms.rate, terms.currency, terms.frequency
    row.weekly_hours, row.agreement_group = terms.weekly_hours, terms.agreement_group
    row.recorded_at, row.source_event_id = utcnow(), envelope.id


async def _set_placement(
    session: AsyncSession, employee_id: str, on: date, department: str | None, position: str | None, envelope: Envelope
) -> None:
    """Department and position from ``on``: a new version when they changed, the same day's replaced."""
    row = await session.scalar(
        select(PlacementVersion).where(
            PlacementVersion.employee_id == employee_id, PlacementVersion.effective_from == on
        )
    )
    if row is None:
        in_force = await placement_on(session, employee_id, on)
        if in_force is not None and (in_force.department, in_force.position) == (department, position):
            return  # an update that moved nobody
        row = PlacementVersion(employee_id=employee_id, effective_from=on)
        session.add(row)
    row.department, row.position = department, position
    row.recorded_at, row.source_event_id = utcnow(), envelope.id


Version = TypeVar("Version", PayTermsVersion, PlacementVersion)


async def _in_force(session: AsyncSession, model: type[Version], employee_id: str, on: date) -> Version | None:
    """The version of ``model`` (terms or placement) in force on ``on``: the latest that starts by then."""
    return await session.scalar(
        select(model)
        .where(model.employee_id == employee_id, model.effective_from <= on)
        .order_by(model.effective_from.desc())
        .limit(1)
    )


async def placement_on(session: AsyncSession, employee_id: str, on: date) -> PlacementVersion | None:
    """The department and position in force on ``on``, if any."""
    return await _in_force(session, PlacementVersion, employee_id, on)


def _same(row: PayTermsVersion, terms: events.PayTerms) -> bool:
    return (row.pay_type, row.rate, row.currency, row.frequency, row.weekly_hours, row.agreement_group) == (
        terms.pay_type,
        terms.rate,
        terms.currency,
        terms.frequency,
        terms.weekly_hours,
        terms.agreement_group,
    )


async def on_hired(session: AsyncSession, envelope: Envelope, data: events.EmployeeHired) -> None:
    """Open (or refresh) the employee's profile with the pay terms from the start date."""
    now = utcnow()
    profile = await session.get(PayProfile, data.employee_id)
    if profile is None:
        profile = PayProfile(employee_id=data.employee_id, created_at=now)
        session.add(profile)
    profile.given_name, profile.family_name, profile.email = data.given_name, data.family_name, str(data.email)
    profile.department, profile.position, profile.start_date = data.department, data.position, data.start_date
    profile.updated_at = now
    await session.flush()
    await _set_placement(session, data.employee_id, data.start_date, data.department, data.position, envelope)
    if data.pay_terms is not None:
        await _set_terms(session, data.employee_id, data.start_date, data.pay_terms, envelope)


async def on_updated(session: AsyncSession, envelope: Envelope, data: events.EmployeeUpdated) -> None:
    """Keep HR's change of an employee: names, placement and pay terms from its effective date."""
    profile = await session.get(PayProfile, data.employee_id)
    if profile is None:
        raise ProfileNotYetKnownError(f"employee {data.employee_id} is not known yet")
    profile.given_name, profile.family_name, profile.email = data.given_name, data.family_name, str(data.email)
    profile.department, profile.position, profile.updated_at = data.department, data.position, utcnow()
    await _set_placement(session, data.employee_id, data.effective_date, data.department, data.position, envelope)
    if data.pay_terms is not None:
        await _set_terms(session, data.employee_id, data.effective_date, data.pay_terms, envelope)


async def on_terminated(session: AsyncSession, envelope: Envelope, data: events.EmployeeTerminated) -> None:
    """The effective date is the last day paid: final pay goes up to it."""
    profile = await session.get(PayProfile, data.employee_id)
    if profile is None:
        raise ProfileNotYetKnownError(f"employee {data.employee_id} is not known yet")
    profile.end_date, profile.termination_kind, profile.updated_at = data.effective_date, data.kind, utcnow()


async def terms_on(session: AsyncSession, employee_id: str, on: date) -> PayTermsVersion | None:
    """The pay terms in force on ``on``, if any."""
    return await _in_force(session, PayTermsVersion, employee_id, on)


async def history(session: AsyncSession, employee_id: str) -> list[PayTermsVersion]:
    """Every version of an employee's pay terms, oldest first."""
    return list(
        (
            await session.scalars(
                select(PayTermsVersion)
                .where(PayTermsVersion.employee_id == employee_id)
                .order_by(PayTermsVersion.effective_from)
            )
        ).all()
    )


async def placements(session: AsyncSession, employee_ids: list[str]) -> dict[str, list[PlacementVersion]]:
    """Every placement of each of ``employee_ids``, oldest first."""
    found: dict[str, list[PlacementVersion]] = {i: [] for i in employee_ids}
    rows = await session.scalars(
        select(PlacementVersion)
        .where(PlacementVersion.employee_id.in_(employee_ids))
        .order_by(PlacementVersion.effective_from)
    )
    for row in rows:
        found[row.employee_id].append(row)
    return found


def _read(profile: PayProfile, terms: list[PayTermsVersion], moves: list[PlacementVersion]) -> PayProfileRead:
    return PayProfileRead(
        employee_id=profile.employee_id,
        given_name=profile.given_name,
        family_name=profile.family_name,
        email=profile.email,
        department=profile.department,
        position=profile.position,
        start_date=profile.start_date,
        end_date=profile.end_date,
        termination_kind=profile.termination_kind,
        pay_terms=[PayTermsRead.model_validate(t) for t in terms],
        placements=[PlacementRead.model_validate(m) for m in moves],
    )


async def read(session: AsyncSession, employee_id: str) -> PayProfileRead:
    """The pay profile of an employee with their pay terms and placements."""
    profile = await get_or_404(session, PayProfile, employee_id, what="pay profile of employee")
    return _read(profile, await history(session, employee_id), (await placements(session, [employee_id]))[employee_id])


async def search(session: AsyncSession, *, department: str | None, limit: int, offset: int) -> PayProfilePage:
    """Pay profiles by family name, with their terms and placements; only one department's if given."""
    query = select(PayProfile)
    if department is not None:
        query = query.where(PayProfile.department == department)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    profiles = (
        await session.scalars(
            query.order_by(PayProfile.family_name, PayProfile.employee_id).limit(limit).offset(offset)
        )
    ).all()
    ids = [p.employee_id for p in profiles]
    terms: dict[str, list[PayTermsVersion]] = {i: [] for i in ids}
    rows = await session.scalars(
        select(PayTermsVersion).where(PayTermsVersion.employee_id.in_(ids)).order_by(PayTermsVersion.effective_from)
    )
    for row in rows:
        terms[row.employee_id].append(row)
    moves = await placements(session, ids)
    return PayProfilePage(
        items=[_read(p, terms[p.employee_id], moves[p.employee_id]) for p in profiles],
        total=total,
        limit=limit,
        offset=offset,
    )
