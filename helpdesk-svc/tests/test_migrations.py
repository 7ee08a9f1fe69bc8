"""Migrations on a database that already holds data: what 0003 makes of the clock bases kept in history."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

import sqlalchemy as sa
from backoffice.helpdesk.app import MIGRATIONS_DIR
from backoffice.helpdesk.sla.models import SlaCalendar
from backoffice.helpdesk.tickets import reading
from backoffice.helpdesk.tickets.models import Ticket, TicketHistory
from backoffice.shared.db import Database
from backoffice.shared.migrations import upgrade
from helpdesk_factories import ADMIN
from sqlalchemy import delete, insert, select

OPENED = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday
# The tickets table as 0002 made it (without the columns of 0003 and 0004).
TICKETS_0002 = sa.table(
    "tickets",
    *(
        sa.column(c.name, c.type)
        for c in Ticket.__table__.c
        if not c.name.startswith("clock_base_") and c.name != "attachments_revision"  # 0003, 0004
    ),
)


def _ticket(ticket_id: str, number: int, paused_business_s: int = 0) -> dict[str, object]:
    """Open and running on the round-the-clock calendar: 1 hour to answer, 16 working hours to resolve."""
    return {
        "id": ticket_id,
        "number": number,
        "kind": "incident",
        "status": "open",
        "priority": "normal",
        "category": "email",
        "subject": "No mail",
        "description": "",
        "attachments": "[]",
        "opened_at": OPENED,
        "updated_at": OPENED,
        "calendar_id": "always",
        "first_response_target_s": 3600,
        "resolution_target_s": 57600,
        "paused_business_s": paused_business_s,
        "paused_wall_s": paused_business_s,
    }


def _entry(entry_id: str, ticket_id: str, at: datetime, action: str, **detail: Any) -> dict[str, object]:
    return {
        "id": entry_id,
        "ticket_id": ticket_id,
        "at": at,
        "by": "admin",
        "action": action,
        "detail": json.dumps(detail),
        "public": False,
    }


def _rebased(reason: str, base_at: str, elapsed: int, paused: int) -> dict[str, object]:
    return {
        "reason": reason,
        "clock_base_at": base_at,
        "elapsed_business_seconds": elapsed,
        "paused_business_seconds": paused,
        "first_response_due_before": None,
        "first_response_due_after": None,
        "resolution_due_before": None,
        "resolution_due_after": None,
    }


async def test_0003_keeps_on_each_ticket_the_clock_base_of_its_latest_recomputation(database_url: str) -> None:
    db = Database(database_url)
    try:
        await upgrade(db, MIGRATIONS_DIR, "0002")
        async with db.session() as session:
            await session.execute(
                insert(SlaCalendar.__table__).values(
                    id="always",
                    name="always",
                    timezone="UTC",
                    working_days="[0, 1, 2, 3, 4, 5, 6]",
                    opens=time(0),
                    closes=time(0),
                    holidays="[]",
                    created_at=OPENED,
                    updated_at=OPENED,
                )
            )
            await session.execute(
                insert(TICKETS_0002),
                [
                    _ticket("edited", 1, paused_business_s=1800),
                    _ticket("moved", 2),
                    _ticket("old", 3),
                    _ticket("new", 4),
                ],
            )
            tuesday = datetime(2026, 3, 3, tzinfo=UTC)
            await session.execute(
                insert(TicketHistory.__table__),
                [
                    # Edited twice: its clocks count from the second edit (Tuesday 13:00: 12 hours used, half an hour
                    # of them paused). An entry written before bases were kept comes first, a status move after.
                    _entry("h1", "edited", OPENED.replace(hour=12), "sla_recomputed", reason="calendar changed"),
                    _entry(
                        "h2",
                        "edited",
                        tuesday.replace(hour=9),
                        "sla_recomputed",
                        **_rebased("calendar changed", "2026-03-03T09:00:00+00:00", 28800, 0),
                    ),
                    _entry(
                        "h3",
                        "edited",
                        tuesday.replace(hour=13),
                        "sla_recomputed",
                        **_rebased("calendar changed", "2026-03-03T13:00:00+00:00", 43200, 1800),
                    ),
                    _entry("h4", "edited", tuesday.replace(hour=13, minute=30), "status", before="open", after="open"),
                    # Edited, then a priority change brought another calendar: back to the opening.
                    _entry(
                        "h5",
                        "moved",
                        tuesday.replace(hour=9),
                        "sla_recomputed",
                        **_rebased("calendar changed", "2026-03-03T09:00:00+00:00", 28800, 0),
                    ),
                    _entry(
                        "h6",
                        "moved",
                        tuesday.replace(hour=10),
                        "sla_recomputed",
                        **_rebased("priority brought another calendar", "2026-03-02T09:00:00+00:00", 0, 0),
                    ),
                    # Recomputed only before bases were kept: counted from the opening.
                    _entry("h7", "old", OPENED.replace(hour=12), "sla_recomputed", reason="calendar changed"),
                    _entry("h8", "new", OPENED, "opened", kind="incident", priority="normal", team_id=None),
                ],
            )
        await upgrade(db, MIGRATIONS_DIR)

        async with db.session(write=False) as session:
            rows = await session.execute(
                select(
                    Ticket.id, Ticket.clock_base_at, Ticket.clock_base_elapsed_s, Ticket.clock_base_paused_s
                ).order_by(Ticket.number)
            )
            assert [tuple(r) for r in rows] == [
                ("edited", datetime(2026, 3, 3, 13, tzinfo=UTC), 43200, 1800),
                ("moved", None, 0, 0),
                ("old", None, 0, 0),
                ("new", None, 0, 0),
            ]
        # The clocks read the base from the ticket, not from its history: gone, nothing changes.
        async with db.session() as session:
            await session.execute(delete(TicketHistory))
        async with db.session(write=False) as session:
            edited = await session.get(Ticket, "edited")
            moved = await session.get(Ticket, "moved")
            assert edited is not None
            assert moved is not None
            # Tuesday 14:00: the 12 hours used at 13:00 and the hour since (no pause since): 13 hours, 3 left.
            sla = (await reading.to_read(session, edited, ADMIN, datetime(2026, 3, 3, 14, tzinfo=UTC))).sla
            assert sla is not None
            assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (
                46800,
                10800,
            )
            # From the opening, round the clock: 29 hours, past its 16.
            sla = (await reading.to_read(session, moved, ADMIN, datetime(2026, 3, 3, 14, tzinfo=UTC))).sla
            assert sla is not None
            assert (sla.resolution.elapsed_business_seconds, sla.resolution.remaining_business_seconds) == (104400, 0)
    finally:
        await db.dispose()
