"""The SLA check at chosen instants, on a real database: each target is breached once, the ticket climbs one
priority and goes to the team lead, ``helpdesk.sla_breached`` is written to the outbox; a paused ticket has no
deadline to miss. Every instant is fixed, so nothing depends on the time of day the tests run."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from backoffice.helpdesk.tickets import clocks, escalation, working
from backoffice.helpdesk.tickets import history as ticket_history
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.shared.bus import outbox
from backoffice.shared.db import Database
from helpdesk_factories import ADMIN, add_calendar, add_policy, add_staff, add_team, context, open_at
from sqlalchemy import select

# Monday 2 March 2026, 09:00 UTC: every deadline below falls on the same day, far from midnight.
OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def breaches(db: Database) -> list[dict[str, object]]:
    async with db.session() as session:
        events = (await session.execute(select(outbox.c.type, outbox.c.payload))).all()
        return [json.loads(p)["data"] for t, p in events if t == "helpdesk.sla_breached"]


async def test_each_target_breaches_once_and_escalates_to_the_lead(db: Database) -> None:
    ctx = context(db)
    async with db.session() as session:
        add_staff(session, "agent", "lead", "asker")
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 480, "always")
        await add_team(session, "desk", agents=["agent"], leads=["lead"])
        ticket = await open_at(session, ctx, OPENED)
        ticket_id = ticket.id
        paused = await open_at(session, ctx, OPENED, subject="Waiting on the user")
        await working.set_status(session, paused, "pending", "u", OPENED)
        paused_id = paused.id
    assert ticket.assignee_employee_id == "agent"
    assert ticket.first_response_due_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert ticket.resolution_due_at == datetime(2026, 3, 2, 17, 0, tzinfo=UTC)

    async def state() -> Ticket:
        async with db.session() as session:
            row = await session.get(Ticket, ticket_id)
            assert row is not None
            return row

    # Before the first-response target nothing happens; at the due second either; a minute after, one breach.
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 9, 59, tzinfo=UTC)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 10, 1, tzinfo=UTC)) == 1
    row = await state()
    assert row.first_response_breached_at == datetime(2026, 3, 2, 10, 1, tzinfo=UTC)
    assert row.resolution_breached_at is None
    assert (row.priority, row.assignee_employee_id) == ("high", "lead")
    assert await breaches(db) == [
        {
            "ticket_id": ticket_id,
            "number": row.number,
            "metric": "first_response",
            "due_at": "2026-03-02T10:00:00Z",
            "detected_at": "2026-03-02T10:01:00Z",
            "priority_before": "normal",
            "priority_after": "high",
            "escalated_to_employee_id": "lead",
        }
    ]
    # Checked again: not twice. At the resolution target: the second and last breach, one more step up.
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 11, 0, tzinfo=UTC)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 17, 0, tzinfo=UTC)) == 0
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 17, 0, 1, tzinfo=UTC)) == 1
    row = await state()
    assert row.priority == "urgent"
    assert [b["metric"] for b in await breaches(db)] == ["first_response", "resolution"]
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 4, 1, tzinfo=UTC)) == 0
    # A first response given late, before any check saw it, is recorded as breached when it is given, with its
    # event; the ticket stays with the agent answering it, at its priority.
    async with db.session() as session:
        late = await open_at(session, ctx, OPENED, subject="Late")
        assert late.assignee_employee_id == "agent"
        await clocks.meet(session, late, "first_response", datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
        assert late.first_response_breached_at == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
        assert late.first_response_elapsed_s == 7200
        assert (late.priority, late.assignee_employee_id) == ("normal", "agent")
        late_id, late_number = late.id, late.number
    assert [b for b in await breaches(db) if b["ticket_id"] == late_id] == [
        {
            "ticket_id": late_id,
            "number": late_number,
            "metric": "first_response",
            "due_at": "2026-03-02T10:00:00Z",
            "detected_at": "2026-03-02T11:00:00Z",
            "priority_before": "normal",
            "priority_after": "normal",
            "escalated_to_employee_id": None,
        }
    ]
    async with db.session() as session:
        (recorded,) = [
            h
            for h in (await ticket_history.history(session, ADMIN, late_id, 500, 0)).items
            if h.action == "sla_breached"
        ]
        assert recorded.detail["escalated_to"] is None
        assert recorded.detail["priority_after"] == "normal"
    # Its resolution target is still watched by the check, which escalates when it passes unmet.
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 17, 0, 1, tzinfo=UTC)) == 1
    async with db.session() as session:
        row = await session.get(Ticket, late_id)
        assert row is not None
        assert (row.priority, row.assignee_employee_id) == ("high", "lead")
    # The ticket waiting on its requester since it opened has missed nothing.
    async with db.session() as session:
        waiting = await session.get(Ticket, paused_id)
        assert waiting is not None
        assert waiting.resolution_due_at is None
        assert waiting.resolution_breached_at is None


async def test_the_lead_escalated_to_is_one_still_here_on_the_company_date(db: Database) -> None:
    # The company is in Auckland (UTC+13 in March). Alex, a lead, leaves on Tuesday 3 March 2026; Zoe stays.
    ctx = context(db, company_timezone="Pacific/Auckland")
    async with db.session() as session:
        add_staff(session, "agent", "zoe", "asker")
        add_staff(session, "alex", leaves_on=date(2026, 3, 3))
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 480, "always")
        await add_team(session, "desk", agents=["agent"], leads=["alex", "zoe"])
        ticket = await open_at(session, ctx, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
        ticket_id = ticket.id
    # Monday 2 March 11:30 UTC is already Tuesday 3 March 00:30 in Auckland: Alex has left, the ticket goes to Zoe.
    assert await escalation.escalate_breaches(db, ctx, now=datetime(2026, 3, 2, 11, 30, tzinfo=UTC)) == 1
    async with db.session() as session:
        row = await session.get(Ticket, ticket_id)
        assert row is not None
        assert row.assignee_employee_id == "zoe"
    assert [b["escalated_to_employee_id"] for b in await breaches(db)] == ["zoe"]
