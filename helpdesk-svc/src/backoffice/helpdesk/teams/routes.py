"""``/teams`` and ``/agents``: who takes which tickets."""

from __future__ import annotations

from backoffice.helpdesk.settings import HelpdeskSettingsDep
from backoffice.helpdesk.teams import service
from backoffice.helpdesk.teams.schemas import (
    AgentPage,
    AgentRead,
    AgentUpdate,
    MemberCreate,
    TeamCreate,
    TeamPage,
    TeamRead,
    TeamUpdate,
)
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter

router = APIRouter(tags=["teams"])


@router.post("/teams", status_code=201, response_model=TeamRead, summary="Add a support team")
async def create(body: TeamCreate, user: CurrentUser, session: SessionDep) -> TeamRead:
    return await service.create_team(session, user, body)


@router.get("/teams", response_model=TeamPage, summary="Teams with their members, by name")
async def list_teams(user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> TeamPage:
    return await service.list_teams(session, user, limit, offset)


@router.get("/teams/{team_id}", response_model=TeamRead, summary="A team")
async def read(team_id: str, user: CurrentUser, session: SessionDep) -> TeamRead:
    return await service.read_team(session, user, team_id)


@router.put("/teams/{team_id}", response_model=TeamRead, summary="Rename a team or change what it takes")
async def update(team_id: str, body: TeamUpdate, user: CurrentUser, session: SessionDep) -> TeamRead:
    return await service.update_team(session, user, team_id, body)


@router.post("/teams/{team_id}/members", response_model=TeamRead, summary="Add an agent (or make them lead)")
async def add_member(
    team_id: str,
    body: MemberCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: HelpdeskSettingsDep,
    today: CompanyToday,
) -> TeamRead:
    return await service.add_member(session, user, settings, team_id, body, today)


@router.delete("/teams/{team_id}/members/{employee_id}", response_model=TeamRead, summary="Take an agent off")
async def remove_member(team_id: str, employee_id: str, user: CurrentUser, session: SessionDep) -> TeamRead:
    return await service.remove_member(session, user, team_id, employee_id)


@router.get("/agents", response_model=AgentPage, summary="Agents, their availability and load, by name")
async def list_agents(user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> AgentPage:
    return await service.list_agents(session, user, limit, offset)


@router.patch("/agents/{employee_id}", response_model=AgentRead, summary="Availability or cap of an agent")
async def update_agent(employee_id: str, body: AgentUpdate, user: CurrentUser, session: SessionDep) -> AgentRead:
    return await service.update_agent(session, user, employee_id, body)
