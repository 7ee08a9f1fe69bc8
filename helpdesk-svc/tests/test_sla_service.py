"""SLA clocks of real tickets in the service layer, on a real database, at fixed instants, against figures
worked out by hand (none computed with the code under test)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from backoffice.helpdesk.sla import service as sla_service
from backoffice.helpdesk.sla.schemas import CalendarIn
from backoffice.helpdesk.tickets import service
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.helpdesk.tickets.schemas import PriorityIn
from backoffice.shared.db import Database
from deskdb import ADMIN, add_calendar, add_policy, add_staff, add_team, context, open_at

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
        await service._meet(session, ticket, "first_response", paris(2026, 11, 27, 15, 30))
        await service._set_status(session, ticket, "open", "agent", paris(2026, 11, 27, 15, 30))
        await service._set_status(session, ticket, "pending", "agent", paris(2026, 11, 27, 16))

    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        # Monday (the holiday) at noon, still pending: paused Friday 16:00-17:00 = 1 working hour, and 68 hours
        # on the clock; the resolution clock stands at 1 hour used (Friday 15:00-16:00), 7 to go, no deadline.
        sla = (await service.to_read(session, ticket, ADMIN, paris(2026, 11, 30, 12))).sla
        assert sla is not None and sla.paused is True and sla.paused_since == utc(2026, 11, 27, 15)
        assert (sla.paused_business_seconds, sla.paused_wall_seconds) == (3600, 68 * 3600)
        assert sla.first_response.met_at == utc(2026, 11, 27, 14, 30)
        assert sla.first_response.elapsed_business_seconds == 1800 and sla.first_response.breached is False
        assert sla.resolution.due_at is None
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (3600, 25200)
        # The requester answers on Tuesday 1 December at 11:30: the pause adds Tuesday 09:00-11:30 (2.5 h),
        # 3.5 working hours in all, 91.5 hours on the clock (Friday 16:00 to Tuesday 11:30).
        await service._set_status(session, ticket, "open", "asker", paris(2026, 12, 1, 11, 30))
        # 7 hours to go from Tuesday 11:30: 5.5 on Tuesday (to 17:00), 1.5 on Wednesday: due 10:30 (09:30 UTC).
        assert ticket.resolution_due_at == utc(2026, 12, 2, 9, 30)
        assert (ticket.paused_business_s, ticket.paused_wall_s) == (12600, 91 * 3600 + 1800)

    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        # Wednesday 09:00: 1 hour on Friday and 5.5 on Tuesday used, 1.5 left.
        sla = (await service.to_read(session, ticket, ADMIN, paris(2026, 12, 2, 9))).sla
        assert sla is not None and sla.paused is False and sla.paused_since is None
        assert (sla.paused_business_seconds, sla.paused_wall_seconds) == (12600, 329400)
        assert sla.resolution.due_at == utc(2026, 12, 2, 9, 30)
        assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (23400, 5400)
        assert sla.resolution.breached is False
    # Not breached at 10:30:00, breached a second later.
    assert await service.escalate_breaches(db, ctx, now=utc(2026, 12, 2, 9, 30)) == 0
    assert await service.escalate_breaches(db, ctx, now=utc(2026, 12, 2, 9, 30, 1)) == 1


async def test_editing_a_calendar_recomputes_the_open_tickets_on_it(db: Database) -> None:
    ctx = context(db)
    office = {"name": "office", "timezone": "Europe/Paris", "opens": "09:00", "closes": "17:00"}
    async with db.session() as session:
        add_staff(session, "agent", "asker")
        add_calendar(session, "office", timezone="Europe/Paris", working_days=range(5), opens=time(9), closes=time(17))
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 480, "office")
        add_policy(session, "high", "*", 60, 480, "always")
        await add_team(session, "desk", agents=["agent"])
        # Opened Friday 27 November 2026 15:00, answered at once, pending from 16:00 to Monday 10:00 (one working
        # hour on Friday, one on Monday): 7 hours to go from Monday 10:00, due Monday 17:00 (16:00 UTC).
        ticket = await open_at(session, ctx, paris(2026, 11, 27, 15))
        await service._meet(session, ticket, "first_response", paris(2026, 11, 27, 15))
        await service._set_status(session, ticket, "pending", "agent", paris(2026, 11, 27, 16))
        await service._set_status(session, ticket, "open", "asker", paris(2026, 11, 30, 10))
        assert (ticket.paused_business_s, ticket.resolution_due_at) == (7200, utc(2026, 11, 30, 16))
        # Another ticket, on another calendar, due 8 hours after opening.
        other = await open_at(session, ctx, utc(2026, 11, 27, 14), priority="high")
        assert other.resolution_due_at == utc(2026, 11, 27, 22)
        ticket_id, other_id = ticket.id, other.id

    async with db.session() as session:
        # Monday 30 November becomes a holiday: the pause held one working hour (Friday 16:00-17:00), and the
        # 7 hours left run from Tuesday 09:00 to 16:00 (15:00 UTC).
        await sla_service.update_calendar(
            session,
            ADMIN,
            "office",
            CalendarIn(**office, holidays=[date(2026, 11, 30)]),  # type: ignore[arg-type]
        )
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        assert (ticket.paused_business_s, ticket.resolution_due_at) == (3600, utc(2026, 12, 1, 15))
        assert ticket.first_response_elapsed_s == 0  # met before the change: kept
        recomputed = [h for h in await service.history(session, ADMIN, ticket_id) if h.action == "sla_recomputed"]
        assert [(h.detail["resolution_due_before"], h.detail["resolution_due_after"]) for h in recomputed] == [
            ("2026-11-30T16:00:00+00:00", "2026-12-01T15:00:00+00:00")
        ]
        assert (await session.get(Ticket, other_id)).resolution_due_at == utc(2026, 11, 27, 22)  # type: ignore[union-attr]
        # Opening at 08:00 from now on: Friday 15:00-17:00 is 2 hours, the pause still 1 hour, 7 left from Tuesday
        # 08:00: due 15:00 (14:00 UTC).
        await sla_service.update_calendar(
            session,
            ADMIN,
            "office",
            CalendarIn(**{**office, "opens": "08:00"}, holidays=[date(2026, 11, 30)]),  # type: ignore[arg-type]
        )
    async with db.session() as session:
        ticket = await session.get(Ticket, ticket_id)  # type: ignore[assignment]
        assert (ticket.paused_business_s, ticket.resolution_due_at) == (3600, utc(2026, 12, 1, 14))


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
        assert (await service.to_read(session, urgent_email, ADMIN, opened)).sla is None
        # A new priority takes that priority's policy for the category, still counted from the opening.
        await service.change_priority(session, ADMIN, hardware.id, PriorityIn(priority="high", reason="VIP"))
        assert (hardware.first_response_target_s, hardware.resolution_target_s) == (600, 3600)
        assert (hardware.first_response_due_at, hardware.resolution_due_at) == (
            utc(2026, 3, 2, 16, 40),
            utc(2026, 3, 3, 9, 30),
        )
        await service.change_priority(session, ADMIN, email.id, PriorityIn(priority="high", reason="VIP"))
        assert (email.calendar_id, email.first_response_due_at, email.resolution_due_at) == (None, None, None)
