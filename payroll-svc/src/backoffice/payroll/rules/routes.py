"""``/pay-groups`` and ``/rule-sets``: who is paid together, and by which rules from which day."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.rules import service
from backoffice.payroll.rules.schemas import (
    PayGroupCreate,
    PayGroupPage,
    PayGroupRead,
    RuleSetCreate,
    RuleSetPage,
    RuleSetRead,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["pay rules"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.post("/pay-groups", response_model=PayGroupRead, status_code=201, summary="Create a pay group")
async def create_group(body: PayGroupCreate, user: Clerk, session: SessionDep) -> PayGroupRead:
    return await service.create_group(session, user, body)


@router.get("/pay-groups", response_model=PayGroupPage, summary="Pay groups, by code")
async def list_groups(_: Clerk, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> PayGroupPage:
    return await service.list_groups(session, limit, offset)


@router.post(
    "/rule-sets",
    response_model=RuleSetRead,
    status_code=201,
    summary="Add a version of a group's rules",
    description="Also checked, beyond what the schema says: brackets rise, and only the last one has no up_to.",
)
async def create_rule_set(body: RuleSetCreate, user: Clerk, session: SessionDep) -> RuleSetRead:
    return await name_actors(session, await service.create_rule_set(session, user, body))


@router.get("/rule-sets", response_model=RuleSetPage, summary="Rule set versions, by pay group and version")
async def list_rule_sets(
    _: Clerk,
    session: SessionDep,
    pay_group: Annotated[str | None, Query(max_length=40)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> RuleSetPage:
    return await name_actors(session, await service.list_rule_sets(session, pay_group, limit, offset))


@router.get("/rule-sets/{rule_set_id}", response_model=RuleSetRead, summary="One version of the rules")
async def read_rule_set(rule_set_id: str, _: Clerk, session: SessionDep) -> RuleSetRead:
    return await name_actors(session, await service.read_rule_set(session, rule_set_id))
