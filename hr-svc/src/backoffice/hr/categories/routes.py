"""``/job-categories``, ``/position-placements``, ``/positions`` and ``/me/job-category``: categories of work of
equal value and where each position stands in them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from backoffice.hr.categories import service
from backoffice.hr.categories.schemas import (
    JobCategoryCreate,
    JobCategoryPage,
    JobCategoryRead,
    JobCategoryVersionCreate,
    MyJobCategory,
    PlacementCreate,
    PlacementEnd,
    PlacementPage,
    PlacementRead,
    PositionPage,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query

router = APIRouter(tags=["job categories"])


@router.get("/job-categories", response_model=JobCategoryPage, summary="Job categories of work of equal value")
async def list_categories(
    user: CurrentUser, session: SessionDep, limit: Limit = 200, offset: Offset = 0
) -> JobCategoryPage:
    return await service.list_categories(session, user, limit, offset)


@router.post("/job-categories", response_model=JobCategoryRead, status_code=201, summary="Define a job category (HR)")
async def create(body: JobCategoryCreate, user: CurrentUser, session: SessionDep) -> JobCategoryRead:
    category = await service.create_category(session, user, body)
    return await name_actors(session, await service.to_read(session, category, history=True))


@router.get("/job-categories/{category_id}", response_model=JobCategoryRead, summary="A job category, every version")
async def read(category_id: str, user: CurrentUser, session: SessionDep) -> JobCategoryRead:
    return await name_actors(session, await service.read_category(session, user, category_id))


@router.put(
    "/job-categories/{category_id}",
    response_model=JobCategoryRead,
    summary="A new version of a job category (HR)",
    description="The earlier versions are kept, with their scores, as they were.",
)
async def new_version(
    category_id: str, body: JobCategoryVersionCreate, user: CurrentUser, session: SessionDep
) -> JobCategoryRead:
    category = await service.new_version(session, user, category_id, body)
    return await name_actors(session, await service.to_read(session, category, history=True))


@router.get(
    "/job-categories/{category_id}/placements",
    response_model=PlacementPage,
    summary="The positions placed in a category",
)
async def placements(
    category_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 200, offset: Offset = 0
) -> PlacementPage:
    return await name_actors(session, await service.list_placements(session, user, category_id, limit, offset))


@router.post(
    "/job-categories/{category_id}/placements",
    response_model=PlacementRead,
    status_code=201,
    summary="Place a position in a category from a date (HR)",
    description="Also checked, beyond what the schema says: the position has no other placement on those dates.",
)
async def place(category_id: str, body: PlacementCreate, user: CurrentUser, session: SessionDep) -> PlacementRead:
    placement = await service.place(session, user, category_id, body)
    return await name_actors(session, PlacementRead.model_validate(placement))


@router.post(
    "/position-placements/{placement_id}/end", response_model=PlacementRead, summary="End a placement on a date (HR)"
)
async def end(placement_id: str, body: PlacementEnd, user: CurrentUser, session: SessionDep) -> PlacementRead:
    placement = await service.end_placement(session, user, placement_id, body.effective_to)
    return await name_actors(session, PlacementRead.model_validate(placement))


@router.get("/positions", response_model=PositionPage, summary="Positions in use, with their category on a date")
async def positions(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    on: Annotated[date | None, Query(description="the date (default today)")] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the position")] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> PositionPage:
    page = await service.positions(session, user, on or today, q, limit, offset)
    return await name_actors(session, page)


@router.get("/me/job-category", response_model=MyJobCategory, summary="Your position's job category today")
async def mine(user: CurrentUser, session: SessionDep, today: CompanyToday) -> MyJobCategory:
    return await service.my_category(session, user, today)
