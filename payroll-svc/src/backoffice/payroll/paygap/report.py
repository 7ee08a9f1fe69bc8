"""The pay gap report of a period: overall, by kind of pay, by quartile and by job category."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from backoffice.payroll.paygap import figures
from backoffice.payroll.paygap.figures import Worker, gap
from backoffice.payroll.paygap.models import Assessment, Justification
from backoffice.payroll.paygap.people import Category, categories, workers
from backoffice.payroll.paygap.schemas import CategoryGap, JustificationRead, PayGapReport, Scores
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Unprocessable
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


def checked_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked for; by default the last full calendar year. Both bounds or neither, in order."""
    if start is None and end is None:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if start is None or end is None:
        raise Unprocessable("give both 'from' and 'to', or neither (the last full calendar year)", slug="bad-period")
    if end < start:
        raise Unprocessable(f"'to' ({end}) is before 'from' ({start}): swap them", slug="bad-period")
    if (end - start).days > 366 * 5:
        raise Unprocessable("a period of at most five years", slug="bad-period")
    return start, end


def _by_sex(people: Sequence[Worker]) -> tuple[list[Worker], list[Worker]]:
    return [w for w in people if w.sex == "female"], [w for w in people if w.sex == "male"]


async def _latest_records(
    session: AsyncSession, start: date, end: date
) -> tuple[dict[str, Justification], dict[str, Assessment]]:
    """Each category's latest justification and assessment over a period overlapping ``start``..``end``."""
    justified: dict[str, Justification] = {}
    for row in await session.scalars(
        select(Justification)
        .where(Justification.period_start <= end, Justification.period_end >= start)
        .order_by(Justification.created_at, Justification.id)
    ):
        justified[row.category_id] = row
    assessed: dict[str, Assessment] = {}
    for one in await session.scalars(
        select(Assessment)
        .where(Assessment.period_start <= end, Assessment.period_end >= start)
        .order_by(Assessment.created_at, Assessment.id)
    ):
        assessed[one.category_id] = one
    return justified, assessed


def _category(
    category: Category,
    people: Sequence[Worker],
    threshold: int,
    flag_percent: Decimal,
    justification: Justification | None,
    assessment: Assessment | None,
) -> CategoryGap:
    women, men = _by_sex(people)
    basic = gap([w.basic_hourly for w in women], [w.basic_hourly for w in men], threshold)
    complementary = gap([w.complementary_hourly for w in women], [w.complementary_hourly for w in men], threshold)
    return CategoryGap(
        category_id=category.category_id,
        code=category.code,
        name=category.name,
        scores=Scores(
            skills=category.skills,
            effort=category.effort,
            responsibility=category.responsibility,
            working_conditions=category.working_conditions,
        ),
        workers=len(people),
        women=len(women),
        men=len(men),
        basic=basic,
        complementary=complementary,
        flagged=figures.flagged([basic, complementary], flag_percent),
        suppressed=basic.suppressed,
        justification=JustificationRead.model_validate(justification) if justification else None,
        assessment_id=assessment.id if assessment else None,
    )


async def pay_gap(
    session: AsyncSession, start: date, end: date, *, currency: str, threshold: int, flag_percent: Decimal
) -> PayGapReport:
    """The report of payslips paid from ``start`` to ``end`` (their pay date): figures per hour paid."""
    people = await workers(session, start, end, currency)
    known = await categories(session)
    justified, assessed = await _latest_records(session, start, end)
    women, men = _by_sex(people)
    in_category: dict[str, list[Worker]] = defaultdict(list)
    for worker in people:
        if worker.category_id is not None and worker.category_id in known:
            in_category[worker.category_id].append(worker)
    rows = [
        _category(known[c], in_category[c], threshold, flag_percent, justified.get(c), assessed.get(c))
        for c in sorted(known, key=lambda c: (known[c].name, known[c].code, c))
        if in_category[c] or c in justified or c in assessed
    ]
    return PayGapReport(
        period_start=start,
        period_end=end,
        currency=currency,
        threshold=threshold,
        flag_percent=flag_percent,
        workers=len(people),
        women=len(women),
        men=len(men),
        others=len(people) - len(women) - len(men),
        overall=gap([w.hourly for w in women], [w.hourly for w in men], threshold),
        basic=gap([w.basic_hourly for w in women], [w.basic_hourly for w in men], threshold),
        complementary=gap([w.complementary_hourly for w in women], [w.complementary_hourly for w in men], threshold),
        complementary_share=figures.complementary_share(women, men, threshold),
        quartiles=figures.quartiles([*women, *men], threshold),
        categories=rows,
        uncategorised=sum(1 for w in people if w.category_id is None or w.category_id not in known),
        generated_at=utcnow(),
    )
