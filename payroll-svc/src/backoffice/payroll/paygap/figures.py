"""The arithmetic of fair pay figures, pure: means, medians, gaps, quartiles and the suppression of small groups.

Rounding: every figure shown is rounded half-up to two decimals; a gap is computed from the two figures shown,
so that a reader can check it: (men - women) / men x 100, rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backoffice.payroll.paygap.schemas import ComplementaryShare, Gap, Quartile

HUNDREDTH = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Worker:
    """One person's pay over the period: never shown, only aggregated."""

    employee_id: str
    sex: str  # female | male | another | not_declared
    category_id: str | None
    basic: Decimal
    complementary: Decimal
    hours: Decimal

    @property
    def total(self) -> Decimal:
        return self.basic + self.complementary

    @property
    def hourly(self) -> Decimal:
        return self.total / self.hours

    @property
    def basic_hourly(self) -> Decimal:
        return self.basic / self.hours

    @property
    def complementary_hourly(self) -> Decimal:
        return self.complementary / self.hours


def shown(value: Decimal) -> Decimal:
    """Rounded half-up to two decimals, as every figure is shown."""
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal:
    """The arithmetic mean, shown."""
    return shown(sum(values, ZERO) / len(values))


def median(values: Sequence[Decimal]) -> Decimal:
    """The middle value; with an even count, the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return shown(ordered[middle])
    return shown((ordered[middle - 1] + ordered[middle]) / 2)


def gap_percent(women: Decimal, men: Decimal) -> Decimal | None:
    """(men - women) / men x 100; none when men's figure is zero."""
    if men == 0:
        return None
    return shown((men - women) / men * HUNDRED)


def percent(part: int, whole: int) -> Decimal:
    """part / whole x 100, shown."""
    return shown(Decimal(part) * HUNDRED / whole)


def gap(women: Sequence[Decimal], men: Sequence[Decimal], threshold: int) -> Gap:
    """The gap between two groups of hourly figures; nothing but ``suppressed`` when either is under the threshold."""
    if len(women) < threshold or len(men) < threshold:
        return Gap(
            women_mean=None,
            men_mean=None,
            mean_gap_percent=None,
            women_median=None,
            men_median=None,
            median_gap_percent=None,
            suppressed=True,
        )
    women_mean, men_mean, women_median, men_median = mean(women), mean(men), median(women), median(men)
    return Gap(
        women_mean=women_mean,
        men_mean=men_mean,
        mean_gap_percent=gap_percent(women_mean, men_mean),
        women_median=women_median,
        men_median=men_median,
        median_gap_percent=gap_percent(women_median, men_median),
        suppressed=False,
    )


def complementary_share(women: Sequence[Worker], men: Sequence[Worker], threshold: int) -> ComplementaryShare:
    """The share of women and of men paid any complementary pay (a positive sum over the period)."""
    if len(women) < threshold or len(men) < threshold:
        return ComplementaryShare(women_receiving_percent=None, men_receiving_percent=None, suppressed=True)
    return ComplementaryShare(
        women_receiving_percent=percent(sum(1 for w in women if w.complementary > 0), len(women)),
        men_receiving_percent=percent(sum(1 for w in men if w.complementary > 0), len(men)),
        suppressed=False,
    )


def bands(count: int) -> list[int]:
    """The sizes of the four quartile bands of ``count`` people: equal, the remainder one each to the lowest bands
    (10 people: 3, 3, 2, 2)."""
    size, rest = divmod(count, 4)
    return [size + (1 if band < rest else 0) for band in range(4)]


def quartiles(people: Sequence[Worker], threshold: int) -> list[Quartile]:
    """Women and men sorted by hourly pay (ties by employee id), cut into four bands; a band of fewer people than
    the threshold shows no figures."""
    ordered = sorted(people, key=lambda w: (w.hourly, w.employee_id))
    out: list[Quartile] = []
    start = 0
    for number, size in enumerate(bands(len(ordered)), start=1):
        band = ordered[start : start + size]
        start += size
        if len(band) < threshold or not band:
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
        women = sum(1 for w in band if w.sex == "female")
        out.append(
            Quartile(
                quartile=number,
                lower=shown(band[0].hourly),
                upper=shown(band[-1].hourly),
                women=women,
                men=len(band) - women,
                women_percent=percent(women, len(band)),
                men_percent=percent(len(band) - women, len(band)),
                suppressed=False,
            )
        )
    return out


def flagged(gaps: Sequence[Gap], flag_percent: Decimal) -> bool:
    """A mean or median gap at or over ``flag_percent`` (in either direction: women paid more counts too)."""
    for one in gaps:
        for value in (one.mean_gap_percent, one.median_gap_percent):
            if value is not None and abs(value) >= flag_percent:
                return True
    return False
