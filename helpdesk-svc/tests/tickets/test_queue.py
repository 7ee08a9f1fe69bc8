"""The agents' queue on a real database: most urgent first (breached, then the nearest deadline, paused tickets
after the running ones), the caller's own tickets and their teams', by category. The clock is read once and every
ticket opened relative to it, on a calendar that never closes, so the order does not depend on the time of day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backoffice.helpdesk.teams.models import Agent, Team, TeamMember
from backoffice.helpdesk.tickets import assignment, reading, working
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database
from helpdesk_factories import SET_UP, add_calendar, add_policy, add_staff, add_team, context, open_at

assert assignment  # provides the open tickets per agent that routing counts


def agent(employee_id: str) -> Principal:
    return Principal(
        user_id=f"u-{employee_id}",
        roles=frozenset({"it_agent"}),
        employee_id=employee_id,
        token_id="t",
        expires_at=datetime(2100, 1, 1, tzinfo=UTC),
    )


async def queue(db: Database, who: Principal, **filters: object) -> list[str]:
    query: dict[str, object] = {
        "status": [],
        "kind": None,
        "priority": None,
        "category": None,
        "team_id": None,
        "assigned_to_me": False,
        "my_teams": False,
        "assignee_employee_id": None,
        "requester_employee_id": None,
        "about_employee_id": None,
        "unassigned": False,
        "breached": None,
        "q": None,
        "order": "urgency",
        "limit": 50,
        "offset": 0,
    }
    async with db.session() as session:
        page = await reading.list_tickets(session, who, **{**query, **filters})  # type: ignore[arg-type]
    return [t.subject for t in page.items]


async def test_queue_most_urgent_first_mine_and_my_teams(db: Database) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    ctx = context(db)
    async with db.session() as session:
        add_staff(session, "ana", "oli", "asker")
        add_calendar(session, "always")
        add_policy(session, "normal", "*", 60, 480, "always")
        add_policy(session, "urgent", "*", 10, 60, "always")
        add_policy(session, "low", "*", 600, 6000, "always")
        await add_team(session, "desk", agents=["ana"])
        session.add(Team(id="net", name="Network", categories='["network"]', is_default=False, created_at=SET_UP))
        await session.flush()
        session.add(Agent(employee_id="oli", available=True, max_open_tickets=5, updated_at=SET_UP))
        await session.flush()
        session.add(TeamMember(team_id="net", employee_id="oli", is_lead=False, joined_at=SET_UP))
        await session.flush()
        await open_at(session, ctx, now - timedelta(minutes=5), subject="normal, 55 min left")
        await open_at(session, ctx, now, priority="low", subject="low, 10 h left")
        await open_at(session, ctx, now - timedelta(hours=2), subject="late")
        await open_at(session, ctx, now - timedelta(minutes=1), priority="urgent", subject="urgent, 9 min left")
        waiting = await open_at(session, ctx, now - timedelta(minutes=50), subject="waiting")
        await working.set_status(session, waiting, "pending", "u", now - timedelta(minutes=40))
        await open_at(session, ctx, now - timedelta(minutes=3), category="network", subject="vpn, 57 min left")

    admin = Principal(
        user_id="admin",
        roles=frozenset({"admin"}),
        employee_id=None,
        token_id="t",
        expires_at=datetime(2100, 1, 1, tzinfo=UTC),
    )
    assert await queue(db, admin) == [
        "late",
        "urgent, 9 min left",
        "normal, 55 min left",
        "vpn, 57 min left",
        "low, 10 h left",
        "waiting",  # paused: no deadline running
    ]
    # Newest first stays the default.
    assert (await queue(db, admin, order="newest"))[0] == "vpn, 57 min left"
    assert await queue(db, admin, breached=True) == ["late"]
    # Mine and my teams': the network ticket went to oli's team; ana sees hers.
    assert await queue(db, agent("oli"), my_teams=True) == ["vpn, 57 min left"]
    assert await queue(db, agent("oli"), assigned_to_me=True) == ["vpn, 57 min left"]
    assert "vpn, 57 min left" not in await queue(db, agent("ana"), assigned_to_me=True)
    assert await queue(db, agent("ana"), my_teams=True, category=" Network ") == []
    assert await queue(db, admin, category="Network") == ["vpn, 57 min left"]
    assert await queue(db, agent("asker"), assigned_to_me=True) == []
