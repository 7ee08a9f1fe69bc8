"""Paged listings: the query parameters they share and the one shape they answer with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 500

Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="how many items to skip (paging); narrow the filters to go further")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"how many items per page, at most {MAX_LIMIT}")]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing: the items, how many match in all, and the page asked for. Subclass it per item
    (``class TeamPage(Page[TeamRead])``) so the API description names it."""

    items: list[T]
    total: int = Field(description="how many items match, over all pages")
    limit: int = Field(description="the page size asked for")
    offset: int = Field(description="how many items were skipped")


R = TypeVar("R")


async def fetch_page(session: AsyncSession, query: Select[R], limit: int, offset: int) -> tuple[Sequence[R], int]:
    """The rows of one page of ``query`` (already ordered) and how many rows it has in all."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return rows, int(total or 0)


def slice_page(items: Sequence[T], limit: int, offset: int) -> tuple[list[T], int]:
    """One page of a listing already held in memory (short reference lists filtered in Python)."""
    return list(items[offset : offset + limit]), len(items)
