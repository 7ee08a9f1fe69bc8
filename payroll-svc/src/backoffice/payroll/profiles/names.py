"""Employees' names as payroll knows them (from the pay profile), for screens and reports that show people."""

from __future__ import annotations

from backoffice.payroll.profiles.models import PayProfile
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

CHUNK = 5000


async def profiles(session: AsyncSession, ids: list[str]) -> dict[str, PayProfile]:
    """The pay profiles of ``ids`` that payroll has, by employee id."""
    found: dict[str, PayProfile] = {}
    for at in range(0, len(ids), CHUNK):
        found.update(
            {
                p.employee_id: p
                for p in await session.scalars(
                    select(PayProfile).where(PayProfile.employee_id.in_(ids[at : at + CHUNK]))
                )
            }
        )
    return found


def full_name(profile: PayProfile | None) -> str | None:
    """Given and family name, as the payslip shows them."""
    return f"{profile.given_name} {profile.family_name}".strip() if profile is not None else None


async def names(session: AsyncSession, ids: list[str]) -> dict[str, str]:
    """Employees' names as payroll knows them (from the pay profile), by employee id."""
    return {e: full_name(p) or e for e, p in (await profiles(session, sorted(set(ids)))).items()}


def name_matches(employee_id: InstrumentedAttribute[str], text: str) -> ColumnElement[bool]:
    """The employee id, or the name on the pay profile, holds ``text`` (any case)."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    full = func.lower(PayProfile.given_name + " " + PayProfile.family_name)
    return or_(
        func.lower(employee_id).like(pattern, escape="\\"),
        employee_id.in_(select(PayProfile.employee_id).where(full.like(pattern, escape="\\"))),
    )
