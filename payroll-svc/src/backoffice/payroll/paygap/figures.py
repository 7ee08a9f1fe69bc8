"""The arithmetic of fair pay figures, pure: means, medians and gaps of figures already gathered.

Rounding: every figure shown is rounded half-up to two decimals; a gap is computed from the two figures shown,
so that a reader can check it: (men - women) / men x 100, rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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
