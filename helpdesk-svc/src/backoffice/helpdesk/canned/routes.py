"""``/canned-responses``: reply texts agents keep."""

from __future__ import annotations

from backoffice.helpdesk.canned import service
from backoffice.helpdesk.canned.schemas import CannedCreate, CannedPage, CannedRead
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter

router = APIRouter(tags=["tickets"])


@router.post("/canned-responses", status_code=201, response_model=CannedRead, summary="Add a canned response")
async def save_canned(body: CannedCreate, user: CurrentUser, session: SessionDep) -> CannedRead:
    return await service.save_canned(session, user, body)


@router.get("/canned-responses", response_model=CannedPage, summary="Canned responses, by title")
async def list_canned(user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> CannedPage:
    return await service.list_canned(session, user, limit, offset)
