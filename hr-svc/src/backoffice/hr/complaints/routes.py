"""``/complaints``: grievances, confidential to the filer and HR."""

from __future__ import annotations

from typing import Annotated, Literal

from backoffice.hr.complaints import service
from backoffice.hr.complaints.schemas import (
    Assignment,
    Closing,
    ComplaintCreate,
    ComplaintPage,
    ComplaintRead,
    NoteCreate,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.paging import Offset
from fastapi import APIRouter, Query

router = APIRouter(prefix="/complaints", tags=["complaints"])


@router.post(
    "",
    response_model=ComplaintRead,
    status_code=201,
    summary="File a complaint",
    description="Also checked, beyond what the schema says: the caller's login must be linked to an employee.",
)
async def file(body: ComplaintCreate, user: CurrentUser, session: SessionDep) -> ComplaintRead:
    return await name_actors(session, await service.to_read(session, await service.file(session, user, body), user))


@router.get("", response_model=ComplaintPage, summary="Complaints you filed (HR: all)")
async def search(
    user: CurrentUser,
    session: SessionDep,
    status: Literal["filed", "investigating", "resolved", "unfounded"] | None = None,
    mine: Annotated[bool, Query(description="only those you filed (HR's own, in self-service)")] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> ComplaintPage:
    page = await service.search(session, user, status=status, mine=mine, limit=limit, offset=offset)
    return await name_actors(session, page)


@router.get("/{complaint_id}", response_model=ComplaintRead, summary="One complaint (filer and HR only)")
async def read(complaint_id: str, user: CurrentUser, session: SessionDep) -> ComplaintRead:
    return await name_actors(session, await service.read(session, user, complaint_id))


@router.post("/{complaint_id}/investigator", response_model=ComplaintRead, summary="Assign an investigator (HR)")
async def assign(
    complaint_id: str, body: Assignment, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> ComplaintRead:
    complaint = await service.assign(session, user, complaint_id, body.investigator_id, today)
    return await name_actors(session, await service.to_read(session, complaint, user))


@router.post(
    "/{complaint_id}/notes",
    response_model=ComplaintRead,
    status_code=201,
    summary="Add an investigation note or evidence (HR)",
)
async def add_note(complaint_id: str, body: NoteCreate, user: CurrentUser, session: SessionDep) -> ComplaintRead:
    complaint = await service.add_note(session, user, complaint_id, body)
    return await name_actors(session, await service.to_read(session, complaint, user))


@router.post("/{complaint_id}/closing", response_model=ComplaintRead, summary="Close as resolved or unfounded (HR)")
async def close(complaint_id: str, body: Closing, user: CurrentUser, session: SessionDep) -> ComplaintRead:
    complaint = await service.close(session, user, complaint_id, body)
    return await name_actors(session, await service.to_read(session, complaint, user))
