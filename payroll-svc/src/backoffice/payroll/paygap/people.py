"""Who was paid what in a period, for fair pay figures: each person's sums of approved (or paid) payslips, their
declared sex and their job category, gathered with a few aggregating queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backoffice.payroll.paygap.figures import Worker
from backoffice.payroll.paygap.models import DeclaredSexRow, JobCategoryVersion, PositionPlacement
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.profiles.models import PlacementVersion
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

PAID = ("approved", "paid")
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Category:
    category_id: str
    version: int
    code: str
    name: str
    skills: int
    effort: int
    responsibility: int
    working_conditions: int


def _decimal(value: object) -> Decimal:
    """A sum as the database gives it (SQLite: a float), to the cent."""
    return Decimal(str(value or 0)).quantize(CENTS)


class Placements:
    """Which job category each position is in, by date."""

    def __init__(self, rows: list[PositionPlacement]):
        self.by_position: dict[str, list[PositionPlacement]] = defaultdict(list)
        for row in rows:
            self.by_position[row.position].append(row)

    def category_on(self, position: str | None, on: date) -> str | None:
        """The category whose placement of ``position`` covers ``on`` (the latest starting one if two do)."""
        covering = [
            p
            for p in self.by_position.get(position or "", [])
            if p.effective_from <= on and (p.effective_to is None or on <= p.effective_to)
        ]
        return max(covering, key=lambda p: (p.effective_from, p.recorded_at)).category_id if covering else None


async def placements(session: AsyncSession) -> Placements:
    """Every placement of a position in a job category."""
    return Placements(list((await session.scalars(select(PositionPlacement))).all()))


async def categories(session: AsyncSession) -> dict[str, Category]:
    """The latest version of every job category."""
    latest = (
        select(JobCategoryVersion.category_id, func.max(JobCategoryVersion.version).label("version"))
        .group_by(JobCategoryVersion.category_id)
        .subquery()
    )
    rows = await session.scalars(
        select(JobCategoryVersion).join(
            latest,
            and_(
                JobCategoryVersion.category_id == latest.c.category_id, JobCategoryVersion.version == latest.c.version
            ),
        )
    )
    return {
        r.category_id: Category(
            r.category_id, r.version, r.code, r.name, r.skills, r.effort, r.responsibility, r.working_conditions
        )
        for r in rows
    }


async def positions_on(session: AsyncSession, employee_ids: list[str] | None, on: date) -> dict[str, str | None]:
    """Each employee's position in force on ``on`` (their latest placement starting by then)."""
    latest = select(PlacementVersion.employee_id, func.max(PlacementVersion.effective_from).label("since")).where(
        PlacementVersion.effective_from <= on
    )
    if employee_ids is not None:
        latest = latest.where(PlacementVersion.employee_id.in_(employee_ids))
    sub = latest.group_by(PlacementVersion.employee_id).subquery()
    rows = await session.execute(
        select(PlacementVersion.employee_id, PlacementVersion.position).join(
            sub, and_(PlacementVersion.employee_id == sub.c.employee_id, PlacementVersion.effective_from == sub.c.since)
        )
    )
    return {employee_id: position for employee_id, position in rows}


async def sexes(session: AsyncSession) -> dict[str, str]:
    """The declared sex of each employee who declared one."""
    return {e: s for e, s in await session.execute(select(DeclaredSexRow.employee_id, DeclaredSexRow.sex))}


async def workers(session: AsyncSession, start: date, end: date, currency: str) -> list[Worker]:
    """Everyone with hours paid by approved or paid payslips in ``currency`` whose pay date is in the period, with
    their sums. A person's category is the one of the position they held on the last day their payslips of the
    period pay (a leaver: their last position)."""
    sums = await session.execute(
        select(
            Payslip.employee_id,
            func.sum(Payslip.basic_pay),
            func.sum(Payslip.complementary_pay),
            func.sum(Payslip.hours_paid),
            func.max(Payslip.period_end),
        )
        .join(PayRun, PayRun.id == Payslip.run_id)
        .where(
            PayRun.status.in_(PAID),
            Payslip.currency == currency,
            Payslip.pay_date >= start,
            Payslip.pay_date <= end,
        )
        .group_by(Payslip.employee_id)
    )
    people = [(e, _decimal(b), _decimal(c), _decimal(h), last) for e, b, c, h, last in sums if _decimal(h) > 0]
    declared = await sexes(session)
    placed = await placements(session)
    on_day = {e: min(last, end) for e, _, _, _, last in people}
    held = await positions_on(session, None, end)  # most people: paid to the end; leavers by their last day
    for day in sorted({d for d in on_day.values() if d != end}):
        ids = [e for e, d in on_day.items() if d == day]
        for chunk in range(0, len(ids), 500):
            held.update(await positions_on(session, ids[chunk : chunk + 500], day))
    return [
        Worker(
            employee_id=employee_id,
            sex=declared.get(employee_id, "not_declared"),
            category_id=placed.category_on(held.get(employee_id), on_day[employee_id]),
            basic=basic,
            complementary=complementary,
            hours=hours,
        )
        for employee_id, basic, complementary, hours, _ in people
    ]
