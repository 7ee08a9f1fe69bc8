"""Canned responses: agents save reply texts with variables, and reply to a ticket with one filled in."""

from __future__ import annotations

from backoffice.helpdesk.canned.models import CannedResponse
from backoffice.helpdesk.canned.schemas import CannedCreate, CannedPage, CannedRead
from backoffice.helpdesk.teams.service import is_agent
from backoffice.shared.auth import Principal
from backoffice.shared.db import flush_or_conflict, get_or_404, utcnow
from backoffice.shared.errors import Forbidden
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


def _require_agent(user: Principal) -> None:
    if not is_agent(user):
        raise Forbidden("canned responses are for agents", slug="forbidden")


async def save_canned(session: AsyncSession, user: Principal, body: CannedCreate) -> CannedRead:
    """Saves a new canned response (agents only); a title already taken is a 409."""
    _require_agent(user)
    row = CannedResponse(id=new_id(), title=body.title, body=body.body, created_by=user.user_id, created_at=utcnow())
    session.add(row)
    await flush_or_conflict(session, f"a canned response titled {body.title!r} exists", slug="canned-exists")
    return CannedRead.model_validate(row, from_attributes=True)


async def list_canned(session: AsyncSession, user: Principal, limit: int, offset: int) -> CannedPage:
    """Canned responses, by title (for agents)."""
    _require_agent(user)
    query = select(CannedResponse).order_by(CannedResponse.title, CannedResponse.id)
    rows, total = await fetch_page(session, query, limit, offset)
    items = [CannedRead.model_validate(r, from_attributes=True) for r in rows]
    return CannedPage(items=items, total=total, limit=limit, offset=offset)


async def render(session: AsyncSession, canned_id: str, values: dict[str, str]) -> str:
    """The text of a canned response with its variables filled in from ``values``; a 404 for an unknown id."""
    canned = await get_or_404(session, CannedResponse, canned_id)
    return canned.body.format_map(values)
