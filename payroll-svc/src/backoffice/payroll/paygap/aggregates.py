"""The pay gap report's figures computed by the database in one statement: each person's sums over the period (a
common table expression over the payslips), their hourly pay, sex and category, then counts, sums, medians and
quartile bands per group. Only a few dozen rows come back, whatever the number of people.

Medians use window functions (the middle row, or the mean of the two middle rows, of each group sorted), so the
same SQL runs on PostgreSQL and SQLite; quartiles use ``ntile(4)``, which gives the remainder to the lowest bands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from backoffice.payroll.paygap.models import DeclaredSexRow, PositionPlacement
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.profiles.models import PlacementVersion
from sqlalchemy import (
    CTE,
    ColumnElement,
    Numeric,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

PAID = ("approved", "paid")
WORK_MEM = "256MB"
HUNDREDTH = Decimal("0.01")
MEASURES = ("hourly", "basic", "complementary")


def shown(value: object) -> Decimal:
    """A figure from the database (a Decimal on PostgreSQL, a float on SQLite) rounded half-up to two decimals;
    a float is first cut to nine decimals so that 14.835 stored as 14.83499999 still shows 14.84."""
    number = Decimal(str(round(value, 9))) if isinstance(value, float) else Decimal(str(value))
    return number.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass
class Group:
    """One sex overall or in a category: how many, their sums and medians per measure, how many had extras."""

    workers: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)
    medians: dict[str, Decimal] = field(default_factory=dict)
    with_complementary: int = 0
    total_pay: Decimal = Decimal(0)

    def mean(self, measure: str) -> Decimal:
        return shown(self.sums[measure] / self.workers)


@dataclass(frozen=True)
class Band:
    quartile: int
    lower: Decimal
    upper: Decimal
    people: int
    women: int


@dataclass
class Figures:
    by_sex: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_category: dict[tuple[str | None, str], Group] = field(default_factory=lambda: defaultdict(Group))
    bands: list[Band] = field(default_factory=list)


def _people(start: date, end: date, currency: str, category_id: str | None) -> CTE:
    """Each person paid in the period, with hours: sums, hourly figures, sex and category on their last paid day."""
    on_day = case((func.max(Payslip.period_end) < end, func.max(Payslip.period_end)), else_=end)
    sums = (
        select(
            Payslip.employee_id.label("employee_id"),
            func.sum(Payslip.basic_pay).label("basic"),
            func.sum(Payslip.complementary_pay).label("complementary"),
            func.sum(Payslip.hours_paid).label("hours"),
            on_day.label("on_day"),
        )
        .where(
            Payslip.run_id.in_(select(PayRun.id).where(PayRun.status.in_(PAID))),
            Payslip.currency == currency,
            Payslip.pay_date >= start,
            Payslip.pay_date <= end,
        )
        .group_by(Payslip.employee_id)
        .having(func.sum(Payslip.hours_paid) > 0)
        .cte("pay_sums")
    )
    position = (
        select(PlacementVersion.position)
        .where(PlacementVersion.employee_id == sums.c.employee_id, PlacementVersion.effective_from <= sums.c.on_day)
        .order_by(PlacementVersion.effective_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    placed = select(sums, position.label("position")).cte("pay_positions")
    # The category of each (position, day) met, looked up once: most people share the period's last day.
    slots = select(placed.c.position, placed.c.on_day).distinct().cte("pay_slots")
    category = (
        select(PositionPlacement.category_id)
        .where(
            PositionPlacement.position == slots.c.position,
            PositionPlacement.effective_from <= slots.c.on_day,
            or_(PositionPlacement.effective_to.is_(None), PositionPlacement.effective_to >= slots.c.on_day),
        )
        .order_by(PositionPlacement.effective_from.desc(), PositionPlacement.recorded_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    categorised = select(slots.c.position, slots.c.on_day, category.label("category_id")).cte("pay_slot_categories")
    total = placed.c.basic + placed.c.complementary
    one = literal(Decimal(1), Numeric(2, 0))  # turns SQLite's integer division into a decimal one
    people = select(
        placed.c.employee_id,
        func.coalesce(DeclaredSexRow.sex, "not_declared").label("sex"),
        categorised.c.category_id,
        (total * one / placed.c.hours).label("hourly"),
        (placed.c.basic * one / placed.c.hours).label("basic"),
        (placed.c.complementary * one / placed.c.hours).label("complementary"),
        total.label("total"),
    ).select_from(
        placed.outerjoin(DeclaredSexRow, DeclaredSexRow.employee_id == placed.c.employee_id).outerjoin(
            categorised,
            and_(categorised.c.position == placed.c.position, categorised.c.on_day == placed.c.on_day),
        )
    )
    if category_id is not None:
        inner = people.subquery()
        return select(inner).where(inner.c.category_id == category_id).cte("pay_people")
    return people.cte("pay_people")


def _row(kind: str, category: Any, sex: Any, n: Any, *values: Any) -> list[ColumnElement[Any]]:
    """A result row of the common shape: kind, category, sex, a count, four figures."""
    padded = [*values, *[null()] * (5 - len(values))]
    return [
        literal(kind, String).label("kind"),
        cast(category, String).label("category_id"),
        cast(sex, String).label("sex"),
        n.label("n"),
        *[v.label(f"v{i}") for i, v in enumerate(padded, start=1)],
    ]


def _medians(people: CTE, measure: str, by_category: bool, postgres: bool) -> Select[Any]:
    """The median of ``measure`` per sex (and category): the middle value, or the mean of the two middle ones.
    PostgreSQL: the middle value from the bottom and from the top (``percentile_disc``, exact decimals); elsewhere
    the middle rows by ``row_number``."""
    kind = f"median:{measure}:{'category' if by_category else 'sex'}"
    if postgres:
        value = people.c[measure]
        partition = [people.c.category_id, people.c.sex] if by_category else [people.c.sex]
        low = func.percentile_disc(0.5).within_group(value.asc())
        high = func.percentile_disc(0.5).within_group(value.desc())
        category = people.c.category_id if by_category else null()
        return select(*_row(kind, category, people.c.sex, func.count(), (low + high) / 2)).group_by(*partition)
    partition = [people.c.category_id, people.c.sex] if by_category else [people.c.sex]
    ranked = select(
        *partition,
        people.c[measure].label("value"),
        func.row_number().over(partition_by=partition, order_by=people.c[measure]).label("rank"),
        func.count().over(partition_by=partition).label("size"),
    ).subquery()
    middle = and_(ranked.c.rank * 2 >= ranked.c.size, ranked.c.rank * 2 <= ranked.c.size + 2)
    category = ranked.c.category_id if by_category else null()
    return (
        select(*_row(kind, category, ranked.c.sex, func.count(), func.avg(ranked.c.value)))
        .where(middle)
        .group_by(*([ranked.c.category_id] if by_category else []), ranked.c.sex)
    )


def _statement(people: CTE, postgres: bool) -> Select[Any]:
    sums = select(
        *_row(
            "sums",
            people.c.category_id,
            people.c.sex,
            func.count(),
            func.sum(people.c.hourly),
            func.sum(people.c.basic),
            func.sum(people.c.complementary),
            func.sum(case((people.c.complementary > 0, 1), else_=0)),
            func.sum(people.c.total),
        )
    ).group_by(people.c.category_id, people.c.sex)
    ranked = (
        select(
            people.c.hourly,
            people.c.sex,
            func.ntile(4).over(order_by=[people.c.hourly, people.c.employee_id]).label("band"),
        )
        .where(people.c.sex.in_(("female", "male")))
        .subquery()
    )
    quartiles = select(
        *_row(
            "quartile",
            null(),
            null(),
            ranked.c.band,
            func.min(ranked.c.hourly),
            func.max(ranked.c.hourly),
            func.count(),
            func.sum(case((ranked.c.sex == "female", 1), else_=0)),
        )
    ).group_by(ranked.c.band)
    medians = [_medians(people, m, False, postgres) for m in MEASURES]
    medians += [_medians(people, m, True, postgres) for m in ("basic", "complementary")]
    return union_all(sums, quartiles, *medians)  # type: ignore[return-value]


def _parse(rows: Sequence[Any]) -> Figures:
    figures = Figures()
    for kind, category_id, sex, n, v1, v2, v3, v4, v5 in rows:
        if kind == "sums":
            group = figures.by_category[(category_id, sex)]
            group.workers = int(n)
            group.sums = {"hourly": Decimal(str(v1)), "basic": Decimal(str(v2)), "complementary": Decimal(str(v3))}
            group.with_complementary, group.total_pay = int(v4), Decimal(str(v5))
            overall = figures.by_sex[sex]
            overall.workers += int(n)
            for measure, value in group.sums.items():
                overall.sums[measure] = overall.sums.get(measure, Decimal(0)) + value
            overall.with_complementary += int(v4)
            overall.total_pay += group.total_pay
        elif kind == "quartile":
            figures.bands.append(Band(int(n), shown(v1), shown(v2), int(v3), int(v4)))
        else:
            _, measure, level = kind.split(":")
            target = figures.by_category[(category_id, sex)] if level == "category" else figures.by_sex[sex]
            target.medians[measure] = shown(v1)
    figures.bands.sort(key=lambda b: b.quartile)
    return figures


async def figures(
    session: AsyncSession, start: date, end: date, currency: str, category_id: str | None = None
) -> Figures:
    """Every group's figures for payslips paid from ``start`` to ``end``; one category's people only if given."""
    people = _people(start, end, currency, category_id)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # One row per person is summed, joined and sorted in memory: PostgreSQL's default of 4 MB per operation
        # would spill them to disk. For this transaction only.
        await session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    rows = (await session.execute(_statement(people, postgres))).all()
    return _parse(rows)
