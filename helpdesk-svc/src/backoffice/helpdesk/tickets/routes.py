"""``/tickets`` and ``/canned-responses``: IT support."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.sla.schemas import Priority
from backoffice.helpdesk.tickets import service
from backoffice.helpdesk.tickets.schemas import (
    AssignIn,
    AttachmentsIn,
    CannedIn,
    CannedPage,
    CannedRead,
    CommentIn,
    CommentPage,
    CommentRead,
    HistoryPage,
    Kind,
    PriorityIn,
    Status,
    StatusIn,
    TicketCreate,
    TicketPage,
    TicketRead,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query, Request

router = APIRouter(tags=["tickets"])


def context(request: Request) -> service.Context:
    settings = request.app.state.settings
    return service.Context(settings=settings, is_sqlite=request.app.state.db.is_sqlite)


@router.post(
    "/tickets",
    status_code=201,
    response_model=TicketRead,
    summary="Open a ticket",
    description="Also checked, beyond what the schema says: requester_employee_id is needed when the login has none.",
)
async def create(body: TicketCreate, user: CurrentUser, session: SessionDep, request: Request) -> TicketRead:
    return await service.create_ticket(session, user, context(request), body)


@router.get("/tickets", response_model=TicketPage, summary="Tickets the caller may see, newest first")
async def search(
    user: CurrentUser,
    session: SessionDep,
    status: Annotated[list[Status] | None, Query()] = None,
    kind: Kind | None = None,
    priority: Priority | None = None,
    team_id: str | None = None,
    assignee_employee_id: str | None = None,
    requester_employee_id: str | None = None,
    about_employee_id: str | None = None,
    unassigned: bool = False,
    breached: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> TicketPage:
    return await service.list_tickets(
        session,
        user,
        status=list(status or []),
        kind=kind,
        priority=priority,
        team_id=team_id,
        assignee_employee_id=assignee_employee_id,
        requester_employee_id=requester_employee_id,
        about_employee_id=about_employee_id,
        unassigned=unassigned,
        breached=breached,
        q=q,
        limit=limit,
        offset=offset,
    )


@router.get("/tickets/{ticket_id}", response_model=TicketRead, summary="A ticket with its SLA clocks")
async def read(ticket_id: str, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await service.read_ticket(session, user, ticket_id)


@router.post(
    "/tickets/{ticket_id}/comments",
    status_code=201,
    response_model=CommentRead,
    summary="Reply or note",
    description="Also checked, beyond what the schema says: give a body or a canned_response_id.",
)
async def comment(ticket_id: str, body: CommentIn, user: CurrentUser, session: SessionDep) -> CommentRead:
    return await service.add_comment(session, user, ticket_id, body)


@router.post("/tickets/{ticket_id}/attachments", response_model=TicketRead, summary="Attach documents")
async def attach(ticket_id: str, body: AttachmentsIn, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await service.add_attachments(session, user, ticket_id, body)


@router.get("/tickets/{ticket_id}/comments", response_model=CommentPage, summary="Replies (and notes), newest first")
async def comments(
    ticket_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> CommentPage:
    return await service.list_comments(session, user, ticket_id, limit, offset)


@router.post("/tickets/{ticket_id}/status", response_model=TicketRead, summary="Move a ticket")
async def status_(ticket_id: str, body: StatusIn, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await service.change_status(session, user, ticket_id, body)


@router.post("/tickets/{ticket_id}/assignee", response_model=TicketRead, summary="Assign (or round-robin)")
async def assign(
    ticket_id: str, body: AssignIn, user: CurrentUser, session: SessionDep, request: Request
) -> TicketRead:
    return await service.assign(session, user, context(request), ticket_id, body)


@router.post("/tickets/{ticket_id}/priority", response_model=TicketRead, summary="Change the priority")
async def priority_(ticket_id: str, body: PriorityIn, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await service.change_priority(session, user, ticket_id, body)


@router.get("/tickets/{ticket_id}/history", response_model=HistoryPage, summary="What happened, newest first")
async def history(
    ticket_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> HistoryPage:
    return await name_actors(session, await service.history(session, user, ticket_id, limit, offset))


@router.post("/canned-responses", status_code=201, response_model=CannedRead, summary="Add a canned response")
async def save_canned(body: CannedIn, user: CurrentUser, session: SessionDep) -> CannedRead:
    return await service.save_canned(session, user, body)


@router.get("/canned-responses", response_model=CannedPage, summary="Canned responses, by title")
async def list_canned(user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> CannedPage:
    return await service.list_canned(session, user, limit, offset)
