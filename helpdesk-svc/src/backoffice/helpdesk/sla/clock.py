"""Business-time arithmetic: how much working time lies between two instants, and when a given amount of
working time will have passed. Pure functions over a calendar; no database, no clock of its own.

Working hours are local times in the calendar's time zone, so a day that changes to or from daylight saving
time has its real length; holidays and non-working weekdays contribute nothing. A day that closes at midnight
(``closes`` 00:00, written "24:00" in the API) works until the end of the day, so a round-the-clock calendar loses
nothing at midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZERO = timedelta(0)
# A calendar may close for long stretches (holidays), never forever: the search for working time stops here.
MAX_DAYS = 366 * 20
# Closing at midnight is closing at the end of the day: a day cannot close at its own start.
END_OF_DAY = time(0)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days (0 = Monday), opening hours, a time zone and holidays."""

    timezone: ZoneInfo
    working_days: frozenset[int]
    opens: time
    closes: time
    holidays: frozenset[date] = frozenset()
    is_public_holiday: Callable[[date], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("a calendar needs at least one working day (0 = Monday … 6 = Sunday)")
        if self.closes != END_OF_DAY and self.opens >= self.closes:
            raise ValueError("a working day must open before it closes (no working hours otherwise)")

    def is_working_day(self, day: date) -> bool:
        if day.weekday() not in self.working_days or day in self.holidays:
            return False
        return not (self.is_public_holiday is not None and self.is_public_holiday(day))

    def interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's working hours as UTC instants, or None when it is not a working day."""
        if not self.is_working_day(day):
            return None
        closing_day = day + timedelta(days=1) if self.closes == END_OF_DAY else day
        return self._when_clocks_show(day, self.opens), self._when_clocks_show(closing_day, self.closes)

    def _when_clocks_show(self, day: date, at: time) -> datetime:
        """The first instant the local clocks show ``at`` on ``day``: the earlier of a time shown twice (the
        autumn change), and for a time they skip (the spring change) the instant they jump past it."""
        local = datetime.combine(day, at, tzinfo=self.timezone)
        instant = local.astimezone(UTC)
        wall = local.replace(tzinfo=None)
        if instant.astimezone(self.timezone).replace(tzinfo=None) == wall:
            return instant
        # Skipped: read with the offset after the change it lies before the jump, with the offset before it
        # after; the jump is found between the two by halving.
        before, after = local.replace(fold=1).astimezone(UTC), instant
        if before > after:
            before, after = after, before
        while after - before > timedelta(microseconds=1):
            middle = before + (after - before) // 2
            if middle.astimezone(self.timezone).replace(tzinfo=None) >= wall:
                after = middle
            else:
                before = middle
        return after

    def local_date(self, instant: datetime) -> date:
        return _aware(instant).astimezone(self.timezone).date()

    def _intervals_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        for offset in range(MAX_DAYS):
            window = self.interval(day + timedelta(days=offset))
            if window is not None:
                yield window
        raise ValueError(f"no working time within {MAX_DAYS} days of {day}")


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    return instant


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Working time in [start, end); zero when end is not after start."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        return ZERO
    total = ZERO
    day, last = calendar.local_date(start), calendar.local_date(end)
    while day <= last:
        window = calendar.interval(day)
        if window is not None:
            lo, hi = max(window[0], start), min(window[1], end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def add_business_time(calendar: BusinessCalendar, start: datetime, amount: timedelta) -> datetime:
    """The instant at which ``amount`` of working time has passed since ``start``. With nothing left to
    wait (``amount`` zero or less) it is ``start`` itself."""
    start = _aware(start)
    if amount <= ZERO:
        return start
    # The previous local day may still be open at ``start`` only if hours cross midnight, which calendars
    # refuse (a day closing at midnight ends where the next one begins), so the search begins on start's local day.
    for opens, closes in calendar._intervals_from(calendar.local_date(start)):
        begin = max(opens, start)
        if begin >= closes:
            continue
        available = closes - begin
        if amount <= available:
            return begin + amount
        amount -= available
    raise AssertionError("unreachable")  # pragma: no cover - _intervals_from raises first
