"""Business-time arithmetic against values worked out by hand: nights, weekends, holidays, daylight saving
time, days worked until midnight, and pauses; and, for random instants and amounts, adding then measuring gives
back the amount."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from backoffice.helpdesk.sla.clock import END_OF_DAY, BusinessCalendar, add_business_time, business_time_between
from backoffice.helpdesk.sla.schemas import CalendarCreate
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

PARIS = ZoneInfo("Europe/Paris")
# Monday to Friday, 09:00 to 17:00 in Paris; Christmas Day 2026 (a Friday) off.
OFFICE = BusinessCalendar(
    timezone=PARIS,
    working_days=frozenset(range(5)),
    opens=time(9),
    closes=time(17),
    holidays=frozenset({date(2026, 12, 25)}),
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


H = timedelta(hours=1)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "amount", "due"),
    [
        # Friday 16:00 + 4 h: one hour on Friday, three on Monday.
        (paris(2026, 11, 27, 16), 4 * H, paris(2026, 11, 30, 12)),
        # Opened at night: the clock starts at the next opening.
        (paris(2026, 12, 1, 20), 2 * H, paris(2026, 12, 2, 11)),
        # Opened on Saturday morning.
        (paris(2026, 11, 28, 10), timedelta(minutes=30), paris(2026, 11, 30, 9, 30)),
        # Exactly at closing time, one minute to go: Monday 09:01.
        (paris(2026, 11, 27, 17), timedelta(minutes=1), paris(2026, 11, 30, 9, 1)),
        # Christmas Eve 15:00 + 8 h: two hours that day, Christmas Day off, the weekend, six hours on Monday.
        (paris(2026, 12, 24, 15), 8 * H, paris(2026, 12, 28, 15)),
        # A target that ends exactly at closing stays on that day.
        (paris(2026, 11, 30, 9), 8 * H, paris(2026, 11, 30, 17)),
        # A week of work (40 h) from Monday 09:00 ends on Friday 17:00.
        (paris(2026, 11, 30, 9), 40 * H, paris(2026, 12, 4, 17)),
        # Nothing left to wait: the start itself.
        (paris(2026, 11, 28, 10), timedelta(0), paris(2026, 11, 28, 10)),
    ],
)
def test_due_times_worked_out_by_hand(start: datetime, amount: timedelta, due: datetime) -> None:
    assert add_business_time(OFFICE, start, amount) == due
    if amount:
        # the due instant is the end of the working time, so measuring back gives the amount
        assert business_time_between(OFFICE, start, due) == amount


@pytest.mark.parametrize(
    ("start", "end", "worked"),
    [
        (paris(2026, 11, 27, 16, 30), paris(2026, 11, 30, 9, 30), H),  # over a weekend
        (paris(2026, 11, 30, 8), paris(2026, 11, 30, 20), 8 * H),  # a whole day from before to after hours
        (paris(2026, 12, 24, 0), paris(2026, 12, 29, 0), 16 * H),  # Thu, (Fri holiday), Sat, Sun, Mon
        (paris(2026, 11, 30, 12), paris(2026, 11, 30, 11), timedelta(0)),  # backwards
    ],
)
def test_working_time_between_two_instants(start: datetime, end: datetime, worked: timedelta) -> None:
    assert business_time_between(OFFICE, start, end) == worked


def test_daylight_saving_days_have_their_real_length() -> None:
    # Every day 01:00 to 05:00 in Paris; on 29 March 2026 clocks go from 02:00 to 03:00: that day has 3 hours.
    night = BusinessCalendar(timezone=PARIS, working_days=frozenset(range(7)), opens=time(1), closes=time(5))
    assert business_time_between(night, paris(2026, 3, 28), paris(2026, 3, 30)) == 7 * H
    # On 25 October 2026 clocks go back from 03:00 to 02:00: that day has 5 hours.
    assert business_time_between(night, paris(2026, 10, 25), paris(2026, 10, 26)) == 5 * H
    # 4 h from 29 March 01:00: three hours that day, the fourth from 01:00 to 02:00 CEST on the 30th (00:00 UTC).
    assert add_business_time(night, paris(2026, 3, 29, 1), 4 * H) == datetime(2026, 3, 30, 0, 0, tzinfo=UTC)


BERLIN = ZoneInfo("Europe/Berlin")
# Monday to Friday, 09:00 to 17:00 in Berlin.
BERLIN_OFFICE = BusinessCalendar(timezone=BERLIN, working_days=frozenset(range(5)), opens=time(9), closes=time(17))


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Friday 27 March 2026 16:00 CET (UTC+1, 15:00 UTC): one hour on Friday; clocks go forward on Sunday
        # the 29th; three hours on Monday the 30th from 09:00 CEST (UTC+2): 12:00 CEST, 10:00 UTC.
        (berlin(2026, 3, 27, 16), utc(2026, 3, 30, 10)),
        # Friday 23 October 2026 16:00 CEST (14:00 UTC): one hour on Friday; clocks go back on Sunday the 25th;
        # three hours on Monday the 26th from 09:00 CET: 12:00 CET, 11:00 UTC.
        (berlin(2026, 10, 23, 16), utc(2026, 10, 26, 11)),
    ],
)
def test_berlin_office_hours_over_the_daylight_saving_weekends(start: datetime, due: datetime) -> None:
    assert add_business_time(BERLIN_OFFICE, start, 4 * H) == due
    assert due.astimezone(BERLIN).time() == time(12)
    assert business_time_between(BERLIN_OFFICE, start, due) == 4 * H


def test_an_opening_in_the_hour_the_clocks_skip() -> None:
    # Every day 02:30 to 06:00 in Berlin. On Sunday 29 March 2026 the clocks jump from 02:00 CET to 03:00 CEST:
    # 02:30 is never shown, so the day opens when the clocks jump past it, 03:00 CEST (01:00 UTC), and closes
    # at 06:00 CEST (04:00 UTC): 3 working hours instead of 3.5.
    early = BusinessCalendar(timezone=BERLIN, working_days=frozenset(range(7)), opens=time(2, 30), closes=time(6))
    assert early.interval(date(2026, 3, 29)) == (utc(2026, 3, 29, 1), utc(2026, 3, 29, 4))
    assert early.interval(date(2026, 3, 28)) == (utc(2026, 3, 28, 1, 30), utc(2026, 3, 28, 5))
    assert business_time_between(early, berlin(2026, 3, 28), berlin(2026, 3, 30)) == 6 * H + 30 * M
    # One hour from Saturday's closing (06:00 CET, 05:00 UTC): Sunday 03:00 to 04:00 CEST, 02:00 UTC.
    assert add_business_time(early, berlin(2026, 3, 28, 6), H) == utc(2026, 3, 29, 2)
    # Three and a half hours from then: Sunday's three, and half an hour on Monday from 02:30 CEST (00:30 UTC).
    assert add_business_time(early, berlin(2026, 3, 28, 6), 3 * H + 30 * M) == utc(2026, 3, 30, 1)
    # On Sunday 25 October 02:30 is shown twice: the day opens at the first, 02:30 CEST (00:30 UTC), and runs
    # to 06:00 CET (05:00 UTC): 4.5 hours.
    assert early.interval(date(2026, 10, 25)) == (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 5))
    # A closing time in the skipped hour closes when the clocks jump past it: 01:00 to 02:30 is 01:00 to
    # 03:00 CEST that Sunday (00:00 to 01:00 UTC), one hour.
    late = BusinessCalendar(timezone=BERLIN, working_days=frozenset(range(7)), opens=time(1), closes=time(2, 30))
    assert late.interval(date(2026, 3, 29)) == (utc(2026, 3, 29, 0), utc(2026, 3, 29, 1))


def test_a_pause_is_excluded_exactly() -> None:
    # Opened Monday 09:00 with 4 h to resolve; pending from Monday 10:00 to Tuesday 10:00 (8 working hours).
    opened, paused, resumed = paris(2026, 11, 30, 9), paris(2026, 11, 30, 10), paris(2026, 12, 1, 10)
    paused_work = business_time_between(OFFICE, paused, resumed)
    assert paused_work == 8 * H
    # One hour before the pause, three after it: due Tuesday 13:00, which is opening + (target + pause).
    assert add_business_time(OFFICE, opened, 4 * H + paused_work) == paris(2026, 12, 1, 13)
    assert add_business_time(OFFICE, resumed, 4 * H - business_time_between(OFFICE, opened, paused)) == paris(
        2026, 12, 1, 13
    )


def test_a_calendar_needs_working_hours() -> None:
    with pytest.raises(ValueError, match="working day"):
        BusinessCalendar(timezone=PARIS, working_days=frozenset(), opens=time(9), closes=time(17))
    with pytest.raises(ValueError, match="open before it closes"):
        BusinessCalendar(timezone=PARIS, working_days=frozenset({0}), opens=time(17), closes=time(9))


instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=300, deadline=None)
@given(start=instants, minutes=st.integers(min_value=1, max_value=60 * 200))
def test_adding_then_measuring_gives_the_amount_back(start: datetime, minutes: int) -> None:
    amount = timedelta(minutes=minutes)
    due = add_business_time(OFFICE, start, amount)
    assert business_time_between(OFFICE, start, due) == amount
    # and no earlier instant would do: a second before, the amount is not yet reached
    assert business_time_between(OFFICE, start, due - timedelta(seconds=1)) < amount


@settings(max_examples=200, deadline=None)
@given(a=instants, b=instants, c=instants)
def test_working_time_adds_up_over_consecutive_spans(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    assert business_time_between(OFFICE, a, c) == business_time_between(OFFICE, a, b) + business_time_between(
        OFFICE, b, c
    )


ROUND_THE_CLOCK = BusinessCalendar(timezone=PARIS, working_days=frozenset(range(7)), opens=time(0), closes=END_OF_DAY)


def test_a_day_worked_until_midnight_loses_nothing() -> None:
    # Every day 00:00 to 24:00 in Paris: working time is clock time, across midnight, weeks and DST changes.
    assert business_time_between(ROUND_THE_CLOCK, paris(2026, 11, 30, 23, 59, 59), paris(2026, 12, 1)) == timedelta(
        seconds=1
    )
    assert business_time_between(ROUND_THE_CLOCK, paris(2026, 11, 30), paris(2026, 12, 7)) == 7 * 24 * H
    assert add_business_time(ROUND_THE_CLOCK, paris(2026, 11, 30, 16), 8 * H) == paris(2026, 12, 1, 0)
    assert add_business_time(ROUND_THE_CLOCK, paris(2026, 11, 30, 23, 59, 59), timedelta(seconds=2)) == paris(
        2026, 12, 1, 0, 0, 1
    )
    # 29 March 2026 has 23 hours in Paris, 25 October 26: both are worked in full.
    assert business_time_between(ROUND_THE_CLOCK, paris(2026, 3, 29), paris(2026, 3, 30)) == 23 * H
    assert business_time_between(ROUND_THE_CLOCK, paris(2026, 10, 25), paris(2026, 10, 26)) == 25 * H
    # 8 h from Saturday 28 March 20:00 CET (19:00 UTC) end at 03:00 UTC: 05:00 CEST on the 29th, nine hours
    # later on the wall clock, which skipped from 02:00 to 03:00.
    assert add_business_time(ROUND_THE_CLOCK, paris(2026, 3, 28, 20), 8 * H) == datetime(2026, 3, 29, 3, tzinfo=UTC)
    # Office hours until midnight: Monday 18:00 to 24:00, then Tuesday from 18:00.
    evenings = BusinessCalendar(timezone=PARIS, working_days=frozenset(range(7)), opens=time(18), closes=END_OF_DAY)
    assert add_business_time(evenings, paris(2026, 11, 30, 23), 2 * H) == paris(2026, 12, 1, 19)
    assert business_time_between(evenings, paris(2026, 11, 30, 12), paris(2026, 12, 1, 12)) == 6 * H


@pytest.mark.parametrize("closes", ["24:00", "24:00:00", "00:00"])
def test_calendars_may_close_at_midnight(closes: str) -> None:
    body = CalendarCreate(name="24/7", working_days=list(range(7)), opens="00:00", closes=closes)  # type: ignore[arg-type]
    assert body.closes == END_OF_DAY
    assert body.model_dump(mode="json")["closes"] == "24:00:00"
    assert CalendarCreate(name="late", opens="18:00", closes=closes).model_dump(mode="json")["closes"] == "24:00:00"  # type: ignore[arg-type]


@pytest.mark.parametrize(("opens", "closes"), [("09:00", "24:30"), ("22:00", "06:00"), ("09:00", "09:00")])
def test_closing_after_midnight_or_at_opening_is_refused(opens: str, closes: str) -> None:
    with pytest.raises(ValidationError):
        CalendarCreate(name="x", opens=opens, closes=closes)  # type: ignore[arg-type]


EARLY_BERLIN = BusinessCalendar(timezone=BERLIN, working_days=frozenset(range(7)), opens=time(2, 30), closes=time(6))
near_changes = st.sampled_from([datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)]).flatmap(
    lambda base: st.integers(min_value=0, max_value=4 * 86400).map(lambda s: base + timedelta(seconds=s))
)


@settings(max_examples=200, deadline=None)
@given(start=near_changes, seconds=st.integers(min_value=1, max_value=20 * 3600))
def test_around_the_changes_adding_then_measuring_gives_the_amount_back(start: datetime, seconds: int) -> None:
    amount = timedelta(seconds=seconds)
    due = add_business_time(EARLY_BERLIN, start, amount)
    assert business_time_between(EARLY_BERLIN, start, due) == amount
    assert business_time_between(EARLY_BERLIN, start, due - timedelta(seconds=1)) < amount
