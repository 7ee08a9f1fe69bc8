"""The pay gap report of a period: overall, by kind of pay, by quartile and by job category, from the figures the
database computes (``aggregates``); groups under the threshold suppressed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.payroll.paygap.aggregates import Figures, Group, figures
from backoffice.payroll.paygap.figures import gap_percent, percent
from backoffice.payroll.paygap.models import Assessment, Justification
from backoffice.payroll.paygap.people import Category, categories
from backoffice.payroll.paygap.schemas import (
    CategoryGap,
    ComplementaryShare,
    Gap,
    JustificationRead,
    PayGapReport,
    Quartile,
    Scores,
)
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Unprocessable
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

NO_GAP = Gap(
    women_mean=None,
    men_mean=None,
    mean_gap_percent=None,
    women_median=None,
    men_median=None,
    median_gap_percent=None,
    suppressed=True,
)


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


def gap(women: Group | None, men: Group | None, measure: str, threshold: int) -> Gap:
    """Women's and men's mean and median of ``measure``; nothing but ``suppressed`` when either group is small."""
    if women is None or men is None or women.workers < threshold or men.workers < threshold:
        return NO_GAP
    women_mean, men_mean = women.mean(measure), men.mean(measure)
    women_median, men_median = women.medians[measure], men.medians[measure]
    return Gap(
        women_mean=women_mean,
        men_mean=men_mean,
        mean_gap_percent=gap_percent(women_mean, men_mean),
        women_median=women_median,
        men_median=men_median,
        median_gap_percent=gap_percent(women_median, men_median),
        suppressed=False,
    )


def flagged(gaps: list[Gap], flag_percent: Decimal) -> bool:
    """A mean or median gap at or over ``flag_percent``, either way (women paid more counts too)."""
    values = [v for g in gaps for v in (g.mean_gap_percent, g.median_gap_percent) if v is not None]
    return any(abs(v) >= flag_percent for v in values)


def quartiles(found: Figures, threshold: int) -> list[Quartile]:
    """Four bands; one of fewer people than the threshold (or missing: fewer than four people) shows no figures."""
    bands = {b.quartile: b for b in found.bands}
    out = []
    for number in range(1, 5):
        band = bands.get(number)
        if band is None or band.people < threshold:
            out.append(
                Quartile(
                    quartile=number,
                    lower=None,
                    upper=None,
                    women=None,
                    men=None,
                    women_percent=None,
                    men_percent=None,
                    suppressed=True,
                )
            )
            continue
        men = band.people - band.women
        out.append(
            Quartile(
                quartile=number,
                lower=band.lower,
                upper=band.upper,
                women=band.women,
                men=men,
                women_percent=percent(band.women, band.people),
                men_percent=percent(men, band.people),
                suppressed=False,
            )
        )
    return out


def share(women: Group | None, men: Group | None, threshold: int) -> ComplementaryShare:
    """The percent of women and of men paid any complementary pay in the period."""
    if women is None or men is None or women.workers < threshold or men.workers < threshold:
        return ComplementaryShare(women_receiving_percent=None, men_receiving_percent=None, suppressed=True)
    return ComplementaryShare(
        women_receiving_percent=percent(women.with_complementary, women.workers),
        men_receiving_percent=percent(men.with_complementary, men.workers),
        suppressed=False,
    )


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
    found: Figures,
    threshold: int,
    flag_percent: Decimal,
    records: tuple[Justification | None, Assessment | None],
) -> CategoryGap:
    groups = {sex: g for (c, sex), g in found.by_category.items() if c == category.category_id}
    women, men = groups.get("female"), groups.get("male")
    basic = gap(women, men, "basic", threshold)
    complementary = gap(women, men, "complementary", threshold)
    justification, assessment = records
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
        workers=sum(g.workers for g in groups.values()),
        women=women.workers if women else 0,
        men=men.workers if men else 0,
        basic=basic,
        complementary=complementary,
        flagged=flagged([basic, complementary], flag_percent),
        suppressed=basic.suppressed,
        justification=JustificationRead.model_validate(justification) if justification else None,
        assessment_id=assessment.id if assessment else None,
    )


async def pay_gap(
    session: AsyncSession, start: date, end: date, *, currency: str, threshold: int, flag_percent: Decimal
) -> PayGapReport:
    """The report of payslips paid from ``start`` to ``end`` (their pay date): figures per hour paid."""
    found = await figures(session, start, end, currency)
    known = await categories(session)
    justified, assessed = await _latest_records(session, start, end)
    present = {c for c, _ in found.by_category if c is not None}
    rows = [
        _category(known[c], found, threshold, flag_percent, (justified.get(c), assessed.get(c)))
        for c in sorted(known, key=lambda c: (known[c].name, known[c].code, c))
        if c in present or c in justified or c in assessed
    ]
    women, men = found.by_sex.get("female"), found.by_sex.get("male")
    workers = sum(g.workers for g in found.by_sex.values())
    return PayGapReport(
        period_start=start,
        period_end=end,
        currency=currency,
        threshold=threshold,
        flag_percent=flag_percent,
        workers=workers,
        women=women.workers if women else 0,
        men=men.workers if men else 0,
        others=workers - (women.workers if women else 0) - (men.workers if men else 0),
        overall=gap(women, men, "hourly", threshold),
        basic=gap(women, men, "basic", threshold),
        complementary=gap(women, men, "complementary", threshold),
        complementary_share=share(women, men, threshold),
        quartiles=quartiles(found, threshold),
        categories=rows,
        uncategorised=sum(g.workers for (c, _), g in found.by_category.items() if c is None or c not in known),
        generated_at=utcnow(),
    )
