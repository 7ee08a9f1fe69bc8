"""SLA clocks of real tickets in the service layer, on a real database, at fixed instants, against figures
worked out by hand (none computed with the code under test)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from backoffice.helpdesk.sla import service as sla_service
from backoffice.helpdesk.sla.schemas import CalendarUpdate, PolicyUpdate
from backoffice.helpdesk.tickets import clocks, escalation, reading, working
from backoffice.helpdesk.tickets import history as ticket_history
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.helpdesk.tickets.schemas import PriorityUpdate
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from helpdesk_factories import ADMIN, add_calendar, add_policy, add_staff, add_team, context, open_at

PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


async def test_a_pause_over_the_night_weekend_and_a_holiday_is_excluded_exactly(db: Database) -> None:
    # Paris office, Monday to Friday 09:00-17:00 (CET, UTC+1 in November); Monday 30 November 2026 a holiday.
    # Normal tickets: first response in 1 hour, resolution in 8 working hours.
    ctx = context(db)
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(
            session,
            "office",
            timezone="Europe/Paris",
            working_days=range(5),
            opens=time(9),
            closes=time(17),
            holidays=["2026-11-30"],
        )
        add_policy(session, "normal", "*", 60, 480, "office")
        await add_team(session, "desk", agents=["agent"])
        # Opened Friday 27 November 15:00.
        ticket = await open_at(session, ctx, paris(2026, 11, 27, 15))
        ticket_id = ticket.id
        # First response due 16:00; resolution: Friday 15:00-17:00 (2 h), then Tuesday 09:00-15:00 (6 h).
        assert ticket.first_response_due_at == utc(2026, 11, 27, 15)
        assert ticket.resolution_due_at == utc(2026, 12, 1, 14)
        # The agent answers at 15:30, and at 16:00 waits for the requester.
        await clocks.meet(session, ticket, "first_response", paris(2026, 11, 27, 15, 30))
        await working.set_status(session, ticket, "open", "agent", paris(2026, 11, 27, 15, 30))
        await working.set_status(session, ticket, "pending", "agent", paris(2026, 11, 27, 16))

    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        # Monday (the holiday) at noon, still pending: paused Friday 16:00-17:00 = 1 working hour, and 68 hours
        # on the clock; the resolution clock stands at 1 hour used (Friday 15:00-16:00), 7 to go, no deadline.
        sla = (await reading.to_read(session, ticket, ADMIN, paris(2026, 11, 30, 12))).sla
        assert sla is not None
        assert sla.paused is True
        assert sla.paused_since == utc(2026, 11, 27, 15)
        assert (sla.paused_business_seconds, sla.paused_wall_seconds) == (3600, 68 * 3600)
        assert sla.first_response.met_at == utc(2026, 11, 27, 14, 30)
        assert sla.first_response.elapsed_business_seconds == 1800
        assert sla.first_response.breached is False
        assert sla.resolution.due_at is None
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (3600, 25200)
        # The requester answers on Tuesday 1 December at 11:30: the pause adds Tuesday 09:00-11:30 (2.5 h),
        # 3.5 working hours in all, 91.5 hours on the clock (Friday 16:00 to Tuesday 11:30).
        await working.set_status(session, ticket, "open", "asker", paris(2026, 12, 1, 11, 30))
        # 7 hours to go from Tuesday 11:30: 5.5 on Tuesday (to 17:00), 1.5 on Wednesday: due 10:30 (09:30 UTC).
        assert ticket.resolution_due_at == utc(2026, 12, 2, 9, 30)
        assert (ticket.paused_business_s, ticket.paused_wall_s) == (12600, 91 * 3600 + 1800)

    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        # Wednesday 09:00: 1 hour on Friday and 5.5 on Tuesday used, 1.5 left.
        sla = (await reading.to_read(session, ticket, ADMIN, paris(2026, 12, 2, 9))).sla
        assert sla is not None
        assert sla.paused is False
        assert sla.paused_since is None
        assert (sla.paused_business_seconds, sla.paused_wall_seconds) == (12600, 329400)
        assert sla.resolution.due_at == utc(2026, 12, 2, 9, 30)
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (23400, 5400)
        assert sla.resolution.breached is False
    # Not breached at 10:30:00, breached a second later.
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 12, 2, 9, 30)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 12, 2, 9, 30, 1)) == 1


async def test_a_holiday_added_during_a_pause_counts_from_the_edit(db: Database) -> None:
    ctx = context(db)
    office = {"name": "office", "timezone": "Europe/Paris", "opens": "09:00", "closes": "17:00"}
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "office", timezone="Europe/Paris", working_days=range(5), opens=time(9), closes=time(17))
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 480, "office")
        add_policy(session, "high", "*", 60, 480, "always")
        await add_team(session, "desk", agents=["agent"])
        # Opened Friday 27 November 2026 15:00 (CET, UTC+1), answered at once, pending from 16:00.
        ticket = await open_at(session, ctx, paris(2026, 11, 27, 15))
        await clocks.meet(session, ticket, "first_response", paris(2026, 11, 27, 15))
        await working.set_status(session, ticket, "pending", "agent", paris(2026, 11, 27, 16))
        # Another ticket, on another calendar, due 8 hours after opening.
        other = await open_at(session, ctx, utc(2026, 11, 27, 14), priority="high")
        assert other.resolution_due_at == utc(2026, 11, 27, 22)
        ticket_id, other_id = ticket.id, other.id

    async with db.session() as session:
        # Saturday 28 November 12:00, still pending: Monday 30 November becomes a holiday. The clock has used one
        # working hour (Friday 15:00-16:00), and the pause so far holds one (Friday 16:00-17:00).
        await sla_service.update_calendar(
            session,
            ADMIN,
            "office",
            CalendarUpdate(**office, holidays=[date(2026, 11, 30)]),  # type: ignore[arg-type]
            now=paris(2026, 11, 28, 12),
        )
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        assert (ticket.paused_business_s, ticket.resolution_due_at) == (3600, None)
        recomputed = [
            h
            for h in (await ticket_history.history(session, ADMIN, ticket_id, 500, 0)).items
            if h.action == "sla_recomputed"
        ]
        assert [h.detail for h in recomputed] == [
            {
                "reason": "calendar changed",
                "clock_base_at": "2026-11-28T11:00:00+00:00",
                "elapsed_business_seconds": 3600,
                "paused_business_seconds": 3600,
                "first_response_due_before": None,
                "first_response_due_after": None,
                "resolution_due_before": None,
                "resolution_due_after": None,
            }
        ]
        assert (await session.get(Ticket, other_id)).resolution_due_at == utc(2026, 11, 27, 22)  # type: ignore[union-attr]
        # The requester answers on Tuesday 1 December at 10:00: the pause adds Tuesday 09:00-10:00 (the Monday is
        # a holiday now), 2 working hours in all; 7 hours to go from 10:00: due Tuesday 17:00 (16:00 UTC).
        await working.set_status(session, ticket, "open", "asker", paris(2026, 12, 1, 10))
        assert (ticket.paused_business_s, ticket.resolution_due_at) == (7200, utc(2026, 12, 1, 16))
        assert ticket.first_response_elapsed_s == 0  # met before the change: kept
        sla = (await reading.to_read(session, ticket, ADMIN, paris(2026, 12, 1, 11))).sla
        assert sla is not None
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (7200, 21600)


async def test_wider_hours_apply_from_the_edit_not_to_the_time_already_past(db: Database) -> None:
    # Paris office, Monday to Friday 09:00-17:00 (CET, UTC+1, in March 2026); normal tickets: first response in
    # 1 hour, resolution in 16 working hours. On Wednesday 4 March 10:00 a lead widens the hours to 08:00-20:00.
    ctx = context(db)
    office = {"name": "office", "timezone": "Europe/Paris", "working_days": list(range(5))}
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "office", timezone="Europe/Paris", working_days=range(5), opens=time(9), closes=time(17))
        add_policy(session, "normal", "*", 60, 960, "office")
        await add_team(session, "desk", agents=["agent"])
        # A: opened Monday 2 March 09:00, answered at 09:30, pending from Monday 16:00 to Tuesday 10:00 (two
        # working hours: 16:00-17:00 and 09:00-10:00). 18 hours from Monday 09:00: due Wednesday 11:00.
        a = await open_at(session, ctx, paris(2026, 3, 2, 9), subject="No mail")
        await clocks.meet(session, a, "first_response", paris(2026, 3, 2, 9, 30))
        await working.set_status(session, a, "open", "agent", paris(2026, 3, 2, 9, 30))
        await working.set_status(session, a, "pending", "agent", paris(2026, 3, 2, 16))
        await working.set_status(session, a, "open", "asker", paris(2026, 3, 3, 10))
        assert (a.paused_business_s, a.resolution_due_at) == (7200, utc(2026, 3, 4, 10))
        # B: opened at the same time, answered at 09:30, pending from Tuesday 16:00 (15 working hours used),
        # still pending when the hours change.
        b = await open_at(session, ctx, paris(2026, 3, 2, 9), subject="Printer")
        await clocks.meet(session, b, "first_response", paris(2026, 3, 2, 9, 30))
        await working.set_status(session, b, "open", "agent", paris(2026, 3, 2, 9, 30))
        await working.set_status(session, b, "pending", "agent", paris(2026, 3, 3, 16))
        a_id, b_id = a.id, b.id

    async with db.session() as session:
        await sla_service.update_calendar(
            session,
            ADMIN,
            "office",
            CalendarUpdate(**office, opens="08:00", closes="20:00"),  # type: ignore[arg-type]
            now=paris(2026, 3, 4, 10),
        )
    async with db.session() as session:
        a = await session.get(Ticket, a_id)  # type: ignore[assignment]
        b = await session.get(Ticket, b_id)  # type: ignore[assignment]
        # A has used 15 working hours of the old hours (Monday 09:00-16:00, Tuesday 10:00-17:00, Wednesday
        # 09:00-10:00) and its pause keeps its 2 hours: 1 hour left from 10:00, due 11:00 (10:00 UTC) as before.
        # (Counted again from the opening in the new hours, Monday and Tuesday would hold 23 hours and the pause
        # 6: due Tuesday 19:00, overdue at once.)
        sla = (await reading.to_read(session, a, ADMIN, paris(2026, 3, 4, 10))).sla
        assert sla is not None
        assert sla.paused_business_seconds == 7200
        assert sla.resolution.due_at == utc(2026, 3, 4, 10)
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (54000, 3600)
        assert (sla.first_response.met_at, sla.first_response.elapsed_business_seconds) == (
            utc(2026, 3, 2, 8, 30),
            1800,
        )
        # B has used 15 hours (Monday 8, Tuesday 7); the pause so far holds Tuesday 16:00-17:00 and Wednesday
        # 09:00-10:00 of the old hours.
        sla = (await reading.to_read(session, b, ADMIN, paris(2026, 3, 4, 10))).sla
        assert sla is not None
        assert sla.paused is True
        assert sla.paused_business_seconds == 7200
        assert (sla.resolution.due_at, sla.resolution.elapsed_business_seconds) == (None, 54000)
        (recomputed,) = [
            h.detail
            for h in (await ticket_history.history(session, ADMIN, a_id, 500, 0)).items
            if h.action == "sla_recomputed"
        ]
        assert recomputed == {
            "reason": "calendar changed",
            "clock_base_at": "2026-03-04T09:00:00+00:00",
            "elapsed_business_seconds": 54000,
            "paused_business_seconds": 7200,
            "first_response_due_before": None,
            "first_response_due_after": None,
            "resolution_due_before": "2026-03-04T10:00:00+00:00",
            "resolution_due_after": "2026-03-04T10:00:00+00:00",
        }
    # Nothing is overdue a second after the edit.
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 3, 4, 9, 0, 1)) == 0

    async with db.session() as session:
        a = await session.get(Ticket, a_id)  # type: ignore[assignment]
        b = await session.get(Ticket, b_id)  # type: ignore[assignment]
        # From the edit on, the new hours count. A waits from 10:30 (15.5 hours used) to 18:00: 7.5 working hours
        # of pause now (the old hours would have given 6.5); half an hour left from 18:00: due 18:30 (17:30 UTC).
        await working.set_status(session, a, "pending", "agent", paris(2026, 3, 4, 10, 30))
        # B's requester answers at 12:00: the pause adds Wednesday 10:00-12:00, 4 hours in all; 1 hour left: due
        # 13:00 (12:00 UTC).
        await working.set_status(session, b, "open", "asker", paris(2026, 3, 4, 12))
        assert (b.paused_business_s, b.resolution_due_at) == (14400, utc(2026, 3, 4, 12))
        sla = (await reading.to_read(session, b, ADMIN, paris(2026, 3, 4, 12, 30))).sla
        assert sla is not None
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (55800, 1800)
        await working.set_status(session, a, "open", "asker", paris(2026, 3, 4, 18))
        assert (a.paused_business_s, a.resolution_due_at) == (34200, utc(2026, 3, 4, 17, 30))
        sla = (await reading.to_read(session, a, ADMIN, paris(2026, 3, 4, 18, 15))).sla
        assert sla is not None
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (56700, 900)
    # B breaches a second after 13:00, A a second after 18:30.
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 3, 4, 12)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 3, 4, 12, 0, 1)) == 1
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 3, 4, 17, 30)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=utc(2026, 3, 4, 17, 30, 1)) == 1


async def test_hours_that_leave_a_policy_or_a_ticket_no_time_to_reach_its_targets_are_refused(db: Database) -> None:
    # A year of working time to resolve (the most a policy may ask): within reach of office hours (20 years of
    # weekdays 09:00-17:00 hold some 41,000 hours), not of one hour on Mondays (some 1,000 hours).
    ctx = context(db)
    narrow = CalendarUpdate(name="office", timezone="UTC", working_days=[0], opens=time(9), closes=time(10))
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "office", working_days=range(5), opens=time(9), closes=time(17))
        add_calendar(session, "always")
        add_policy(session, "low", "*", 60, 525600, "office")
        await add_team(session, "desk", agents=["agent"])
        ticket = await open_at(session, ctx, utc(2026, 3, 2, 9), priority="low")
        due = ticket.resolution_due_at
        assert due is not None

    with pytest.raises(Problem) as refused:  # the session's transaction is rolled back
        async with db.session() as session:
            await sla_service.update_calendar(session, ADMIN, "office", narrow, now=utc(2026, 3, 4, 9))
    assert (refused.value.status, refused.value.slug) == (422, "unreachable-target")
    assert "policy low/* (525600 minutes to resolve)" in refused.value.detail
    assert refused.value.extra["policies"] == [{"id": "low-*", "priority": "low", "category": "*"}]

    # The policy moves to another calendar; the ticket keeps its targets, and the same hours are refused for it.
    async with db.session() as session:
        await sla_service.save_policy(
            session,
            ADMIN,
            PolicyUpdate(
                priority="low", category="*", first_response_minutes=60, resolution_minutes=525600, calendar_id="always"
            ),
        )
    with pytest.raises(Problem) as refused:  # the session's transaction is rolled back
        async with db.session() as session:
            await sla_service.update_calendar(session, ADMIN, "office", narrow, now=utc(2026, 3, 4, 9))
    assert (refused.value.status, refused.value.slug) == (422, "unreachable-target")
    assert "targets of HD-1" in refused.value.detail
    assert refused.value.extra["tickets"] == ["HD-1"]
    async with db.session() as session:
        calendar = await sla_service.get_calendar_row(session, "office")
        assert (calendar.opens, calendar.working_days) == (time(9), "[0, 1, 2, 3, 4]")  # nothing changed
        assert (await session.get(Ticket, ticket.id)).resolution_due_at == due  # type: ignore[union-attr]
        assert [
            h
            for h in (await ticket_history.history(session, ADMIN, ticket.id, 500, 0)).items
            if h.action == "sla_recomputed"
        ] == []


async def test_a_priority_change_to_another_calendar_counts_from_the_opening_again(db: Database) -> None:
    # Office hours Monday to Friday 09:00-17:00 UTC for normal tickets, round the clock for high ones; 16 working
    # hours to resolve either way.
    ctx = context(db)
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "office", working_days=range(5), opens=time(9), closes=time(17))
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 960, "office")
        add_policy(session, "high", "*", 60, 960, "always")
        await add_team(session, "desk", agents=["agent"])
        # Opened Monday 2 March 2026 09:00, answered at 09:30.
        ticket = await open_at(session, ctx, utc(2026, 3, 2, 9))
        await clocks.meet(session, ticket, "first_response", utc(2026, 3, 2, 9, 30))
        ticket_id = ticket.id
    async with db.session() as session:
        # Tuesday 09:00 the office opens 08:00-20:00: 8 hours used on Monday, 8 left from Tuesday 09:00: 17:00.
        office = CalendarUpdate(
            name="office", timezone="UTC", working_days=list(range(5)), opens=time(8), closes=time(20)
        )
        await sla_service.update_calendar(session, ADMIN, "office", office, now=utc(2026, 3, 3, 9))
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        assert ticket.resolution_due_at == utc(2026, 3, 3, 17)
        # High: round the clock from the opening, 16 hours: Tuesday 01:00.
        await working.change_priority(session, ADMIN, ticket_id, PriorityUpdate(priority="high", reason="VIP"))
        assert ticket.resolution_due_at == utc(2026, 3, 3, 1)
        # Normal again: the office's hours as they are now, from the opening: Monday 09:00-20:00 (11 hours) and
        # Tuesday 08:00-13:00.
        await working.change_priority(session, ADMIN, ticket_id, PriorityUpdate(priority="normal", reason="not VIP"))
        assert ticket.resolution_due_at == utc(2026, 3, 3, 13)
        recomputed = [
            h.detail
            for h in (await ticket_history.history(session, ADMIN, ticket_id, 500, 0)).items
            if h.action == "sla_recomputed"
        ]
        assert [(d["reason"], d["clock_base_at"], d["resolution_due_after"]) for d in recomputed] == [  # newest first
            ("priority brought another calendar", "2026-03-02T09:00:00+00:00", "2026-03-03T01:00:00+00:00"),
            ("calendar changed", "2026-03-03T09:00:00+00:00", "2026-03-03T17:00:00+00:00"),
        ]


async def test_a_category_policy_comes_before_the_priority_catch_all(db: Database) -> None:
    # Normal tickets: hardware has its own policy (15 min / 2 h, office hours 09:00-17:00 UTC on weekdays),
    # every other category the catch-all (1 h / 8 h, round the clock). High: only hardware has one.
    ctx = context(db)
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "always")
        add_calendar(session, "office", working_days=range(5), opens=time(9), closes=time(17))
        add_policy(session, "normal", "*", 60, 480, "always")
        add_policy(session, "normal", "hardware", 15, 120, "office")
        add_policy(session, "high", "hardware", 10, 60, "office")
        await add_team(session, "desk", agents=["agent"])
        # All opened on Monday 2 March 2026 at 16:30 UTC.
        opened = utc(2026, 3, 2, 16, 30)
        hardware = await open_at(session, ctx, opened, category="hardware")
        email = await open_at(session, ctx, opened, category="email")
        urgent_hardware = await open_at(session, ctx, opened, category="hardware", priority="high")
        urgent_email = await open_at(session, ctx, opened, category="email", priority="high")
        due = {
            t.category + "/" + t.priority: (t.calendar_id, t.first_response_due_at, t.resolution_due_at)
            for t in (hardware, email, urgent_hardware, urgent_email)
        }
        assert due == {
            # 15 min; 2 h: 30 min on Monday, 90 on Tuesday from 09:00.
            "hardware/normal": ("office", utc(2026, 3, 2, 16, 45), utc(2026, 3, 3, 10, 30)),
            # the catch-all: 1 h and 8 h of clock time.
            "email/normal": ("always", utc(2026, 3, 2, 17, 30), utc(2026, 3, 3, 0, 30)),
            # 10 min; 1 h: 30 min on Monday, 30 on Tuesday.
            "hardware/high": ("office", utc(2026, 3, 2, 16, 40), utc(2026, 3, 3, 9, 30)),
            # no high policy for email, and no high catch-all: no SLA.
            "email/high": (None, None, None),
        }
        assert (await reading.to_read(session, urgent_email, ADMIN, opened)).sla is None
        # A new priority takes that priority's policy for the category, still counted from the opening.
        await working.change_priority(session, ADMIN, hardware.id, PriorityUpdate(priority="high", reason="VIP"))
        assert (hardware.first_response_target_s, hardware.resolution_target_s) == (600, 3600)
        assert (hardware.first_response_due_at, hardware.resolution_due_at) == (
            utc(2026, 3, 2, 16, 40),
            utc(2026, 3, 3, 9, 30),
        )
        await working.change_priority(session, ADMIN, email.id, PriorityUpdate(priority="high", reason="VIP"))
        assert (email.calendar_id, email.first_response_due_at, email.resolution_due_at) == (None, None, None)
