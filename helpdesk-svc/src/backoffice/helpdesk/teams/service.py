"""Support teams and agents: who takes which tickets, who is available, how many each may hold, and the
round-robin that spreads new tickets fairly (the agent waiting longest since their last ticket goes first)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from backoffice.helpdesk.directory.models import StaffMember
from backoffice.helpdesk.directory.service import active_member, get_member
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.signals import Provided, Signal
from backoffice.helpdesk.teams.models import Agent, Team, TeamMember
from backoffice.helpdesk.teams.schemas import (
    AgentPage,
    AgentRead,
    AgentUpdate,
    MemberCreate,
    MemberRead,
    TeamCreate,
    TeamPage,
    TeamRead,
    TeamUpdate,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

# How many open tickets each of these agents holds: answered by the tickets domain, which builds on this one.
open_counts: Provided[[AsyncSession, Sequence[str]], dict[str, int]] = Provided("open tickets per agent")
# A team's members changed (in the caller's transaction): who may read its tickets' attachments changes with them.
members_changed: Signal[[AsyncSession, str]] = Signal("team members changed")


def is_agent(user: Principal) -> bool:
    """Whether the caller works for the helpdesk (an IT agent, or an admin)."""
    return user.is_admin or user.has_any("it_agent")


async def is_lead(session: AsyncSession, user: Principal) -> bool:
    """Admins and the leads of any support team run the helpdesk (teams, SLAs, change approvals)."""
    if user.is_admin:
        return True
    if not user.has_any("it_agent") or user.employee_id is None:
        return False
    lead = await session.scalar(
        select(TeamMember.team_id).where(TeamMember.employee_id == user.employee_id, TeamMember.is_lead).limit(1)
    )
    return lead is not None


async def require_lead(session: AsyncSession, user: Principal, what: str) -> None:
    """Refuses (403) callers who are not a team lead or an admin; ``what`` names what they tried."""
    if not await is_lead(session, user):
        raise Forbidden(f"{what} is for helpdesk team leads and admins", slug="forbidden")


async def team_ids_of(session: AsyncSession, employee_id: str | None) -> list[str]:
    """The teams the person belongs to (none for no one)."""
    if employee_id is None:
        return []
    return list(await session.scalars(select(TeamMember.team_id).where(TeamMember.employee_id == employee_id)))


async def _read_team(session: AsyncSession, team: Team) -> TeamRead:
    rows = await session.execute(
        select(TeamMember, Agent)
        .join(Agent, Agent.employee_id == TeamMember.employee_id)
        .where(TeamMember.team_id == team.id)
        .order_by(TeamMember.employee_id)
    )
    pairs = list(rows)
    counts = await open_counts(session, [m.employee_id for m, _ in pairs])
    members = []
    for member, agent in pairs:
        staff = await get_member(session, member.employee_id)
        members.append(
            MemberRead(
                employee_id=member.employee_id,
                name=staff.name,
                is_lead=member.is_lead,
                available=agent.available,
                max_open_tickets=agent.max_open_tickets,
                open_tickets=counts.get(member.employee_id, 0),
                last_assigned_at=member.last_assigned_at,
            )
        )
    return TeamRead(
        id=team.id,
        name=team.name,
        categories=json.loads(team.categories),
        is_default=team.is_default,
        members=members,
        created_at=team.created_at,
    )


async def _check_routing(session: AsyncSession, body: TeamCreate, team_id: str | None) -> None:
    """One default team, each category routed to one team. Two leads saving teams at the same moment take turns
    (on SQLite every write transaction does; on PostgreSQL this lock, which the other's check waits for)."""
    if session.get_bind().dialect.name != "sqlite":
        await session.execute(text(f"LOCK TABLE {Team.__tablename__} IN SHARE ROW EXCLUSIVE MODE"))
    others = (await session.scalars(select(Team).where(Team.id != (team_id or "")))).all()
    for other in others:
        if body.is_default and other.is_default:
            raise Conflict(f"team {other.name} is already the default team", slug="default-team-taken")
        shared = set(json.loads(other.categories)) & set(body.categories)
        if shared:
            raise Conflict(f"team {other.name} already takes categories {sorted(shared)}", slug="category-routed-twice")


async def create_team(session: AsyncSession, user: Principal, body: TeamCreate) -> TeamRead:
    """Adds a team (team leads and admins); one default team, each category routed to one team."""
    await require_lead(session, user, "setting up teams")
    await _check_routing(session, body, None)
    team = Team(
        id=new_id(),
        name=body.name,
        categories=json.dumps(sorted(set(body.categories))),
        is_default=body.is_default,
        created_at=utcnow(),
    )
    session.add(team)
    await flush_or_conflict(session, f"a team named {body.name!r} exists", slug="team-exists")
    return await _read_team(session, team)


async def update_team(session: AsyncSession, user: Principal, team_id: str, body: TeamUpdate) -> TeamRead:
    """Renames a team or changes the categories it takes, under the same routing rules as a new one."""
    await require_lead(session, user, "setting up teams")
    team = await get_team(session, team_id)
    await _check_routing(session, body, team_id)
    team.name, team.categories, team.is_default = body.name, json.dumps(sorted(set(body.categories))), body.is_default
    await flush_or_conflict(session, f"a team named {body.name!r} exists", slug="team-exists")
    return await _read_team(session, team)


async def get_team(session: AsyncSession, team_id: str) -> Team:
    """The team; a 404 if there is none."""
    return await get_or_404(session, Team, team_id)


async def read_team(session: AsyncSession, user: Principal, team_id: str) -> TeamRead:
    """The team with its members, their availability and load (for agents)."""
    if not is_agent(user):
        raise Forbidden("teams are for the helpdesk's agents", slug="forbidden")
    return await _read_team(session, await get_team(session, team_id))


async def list_teams(session: AsyncSession, user: Principal, limit: int, offset: int) -> TeamPage:
    """Teams with their members, by name (for the helpdesk's agents)."""
    if not is_agent(user):
        raise Forbidden("teams are for the helpdesk's agents", slug="forbidden")
    rows, total = await fetch_page(session, select(Team).order_by(Team.name, Team.id), limit, offset)
    return TeamPage(items=[await _read_team(session, t) for t in rows], total=total, limit=limit, offset=offset)


async def add_member(
    session: AsyncSession, user: Principal, settings: HelpdeskSettings, team_id: str, body: MemberCreate, today: date
) -> TeamRead:
    """Makes the person an agent (available, with the default cap) the first time they join a team."""
    await require_lead(session, user, "changing a team")
    team = await get_team(session, team_id)
    await active_member(session, body.employee_id, today, what="agent")
    if await session.get(Agent, body.employee_id) is None:
        session.add(
            Agent(
                employee_id=body.employee_id,
                available=True,
                max_open_tickets=settings.default_agent_cap,
                updated_at=utcnow(),
            )
        )
    member = await session.get(TeamMember, (team_id, body.employee_id))
    if member is None:
        session.add(
            TeamMember(
                team_id=team_id,
                employee_id=body.employee_id,
                is_lead=body.is_lead,
                last_assigned_at=None,
                joined_at=utcnow(),
            )
        )
    else:
        member.is_lead = body.is_lead
    await flush_or_conflict(
        session, f"{body.employee_id} was just added by someone else: try again", slug="concurrent-change"
    )
    if member is None:
        await members_changed.send(session, team_id)  # a new member reads the team's tickets' documents
    return await _read_team(session, team)


async def remove_member(session: AsyncSession, user: Principal, team_id: str, employee_id: str) -> TeamRead:
    """Takes an agent off a team (team leads and admins); they stay an agent."""
    await require_lead(session, user, "changing a team")
    team = await get_team(session, team_id)
    member = await session.get(TeamMember, (team_id, employee_id))
    if member is None:
        raise NotFound(f"member of team {team.name}", employee_id)
    await session.delete(member)
    await session.flush()
    await members_changed.send(session, team_id)  # and no longer reads the team's tickets' documents
    return await _read_team(session, team)


async def get_agent(session: AsyncSession, employee_id: str) -> Agent:
    """The agent; a 404 if the person is none."""
    return await get_or_404(session, Agent, employee_id, what="agent (employee)")


async def read_agent(session: AsyncSession, agent: Agent) -> AgentRead:
    """The agent with their availability, cap, open tickets and teams."""
    staff = await get_member(session, agent.employee_id)
    counts = await open_counts(session, [agent.employee_id])
    return AgentRead(
        employee_id=agent.employee_id,
        name=staff.name,
        available=agent.available,
        max_open_tickets=agent.max_open_tickets,
        open_tickets=counts.get(agent.employee_id, 0),
        teams=await team_ids_of(session, agent.employee_id),
    )


async def update_agent(session: AsyncSession, user: Principal, employee_id: str, body: AgentUpdate) -> AgentRead:
    """An agent marks themselves available or not; leads also set caps."""
    agent = await get_agent(session, employee_id)
    lead = await is_lead(session, user)
    if not (lead or (user.has_any("it_agent") and user.is_employee(employee_id))):
        raise Forbidden("agents change their own availability; leads change anyone's", slug="forbidden")
    if body.max_open_tickets is not None and not lead:
        raise Forbidden("a team lead sets an agent's cap", slug="forbidden")
    if body.available is not None:
        agent.available = body.available
    if body.max_open_tickets is not None:
        agent.max_open_tickets = body.max_open_tickets
    agent.updated_at = utcnow()
    return await read_agent(session, agent)


async def list_agents(session: AsyncSession, user: Principal, limit: int, offset: int) -> AgentPage:
    """Agents with their availability and load, by name (for the helpdesk's agents)."""
    if not is_agent(user):
        raise Forbidden("agents are listed for the helpdesk's agents", slug="forbidden")
    query = (
        select(Agent)
        .outerjoin(StaffMember, StaffMember.employee_id == Agent.employee_id)
        .order_by(StaffMember.family_name, StaffMember.given_name, Agent.employee_id)
    )
    rows, total = await fetch_page(session, query, limit, offset)
    return AgentPage(items=[await read_agent(session, a) for a in rows], total=total, limit=limit, offset=offset)


async def team_for_category(session: AsyncSession, category: str) -> Team | None:
    """The team that takes tickets of the category, else the default team; None without either."""
    teams = (await session.scalars(select(Team).order_by(Team.name))).all()
    for team in teams:
        if category in json.loads(team.categories):
            return team
    return next((t for t in teams if t.is_default), None)


def _still_here(today: date) -> ColumnElement[bool]:
    return or_(StaffMember.leaves_on.is_(None), StaffMember.leaves_on > today)


async def next_agent(session: AsyncSession, team_id: str, is_sqlite: bool, today: date) -> str | None:
    """Round-robin: among the team's available agents under their cap, the one whose last ticket is oldest
    (never assigned first). The team row is locked so two tickets arriving together go to two agents; on
    PostgreSQL the candidates' rows too (in one statement, in id order, so two teams sharing agents cannot
    deadlock), and their open tickets are counted once those locks are held: an agent in two teams is dealt
    tickets from both at the same moment one at a time, so their cap holds."""
    lock = select(Team.id).where(Team.id == team_id)
    if not is_sqlite:
        lock = lock.with_for_update()
    await session.execute(lock)
    rows = await session.execute(
        select(TeamMember, Agent)
        .join(Agent, Agent.employee_id == TeamMember.employee_id)
        .join(StaffMember, StaffMember.employee_id == TeamMember.employee_id)
        .where(TeamMember.team_id == team_id, Agent.available, _still_here(today))
    )
    candidates = list(rows)
    if candidates and not is_sqlite:  # SQLite has one writer at a time: nothing can be assigned meanwhile
        await session.execute(
            select(Agent.employee_id)
            .where(Agent.employee_id.in_([a.employee_id for _, a in candidates]))
            .order_by(Agent.employee_id)
            .with_for_update()
        )
    counts = await open_counts(session, [m.employee_id for m, _ in candidates])
    eligible = [(m, a) for m, a in candidates if counts.get(m.employee_id, 0) < a.max_open_tickets]
    if not eligible:
        return None
    member, _ = min(
        eligible, key=lambda pair: (pair[0].last_assigned_at is not None, pair[0].last_assigned_at, pair[0].employee_id)
    )
    member.last_assigned_at = utcnow()
    return member.employee_id


async def team_lead(session: AsyncSession, team_id: str, today: date) -> str | None:
    """The team's lead to escalate to: an available one first."""
    rows = await session.execute(
        select(TeamMember.employee_id, Agent.available)
        .join(Agent, Agent.employee_id == TeamMember.employee_id)
        .join(StaffMember, StaffMember.employee_id == TeamMember.employee_id)
        .where(TeamMember.team_id == team_id, TeamMember.is_lead, _still_here(today))
        .order_by(Agent.available.desc(), TeamMember.employee_id)
    )
    first = next(iter(rows), None)
    return first[0] if first else None
