"""``/minimum-pay``: the hourly minimum by country, region and agreement group, from a date."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.minimum import service
from backoffice.payroll.minimum.schemas import (
    MinimumPayCreate,
    MinimumPayPage,
    MinimumPayRead,
)
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["minimum pay"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]
Reader = Annotated[Principal, Depends(require_roles("payroll", "hr", "pay_auditor"))]


def place(settings: PayrollSettings) -> service.Place:
    """Where the company is, by the settings: which minimums apply to its runs."""
    return service.Place(settings.company_country, settings.company_region)


@router.post(
    "/minimum-pay",
    response_model=MinimumPayRead,
    status_code=201,
    summary="Add a version of the hourly minimum pay",
    description="Also checked, beyond what the schema says: it may not overlap another version of the same "
    "country, region and agreement group (409 minimum-pay-overlap).",
)
async def create_minimum(body: MinimumPayCreate, user: Clerk, session: SessionDep) -> MinimumPayRead:
    return await name_actors(session, await service.create_rule(session, user, body))


@router.get("/minimum-pay", response_model=MinimumPayPage, summary="Minimum pay versions")
async def list_minimums(
    _: Reader,
    session: SessionDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> MinimumPayPage:
    return await name_actors(session, await service.list_rules(session, country, limit, offset))


@router.get("/minimum-pay/{rule_id}", response_model=MinimumPayRead, summary="One minimum pay version")
async def read_minimum(rule_id: str, _: Reader, session: SessionDep) -> MinimumPayRead:
    return await name_actors(session, await service.read_rule(session, rule_id))
