"""``/tickets``: IT support."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.settings import HelpdeskSettingsDep
from backoffice.helpdesk.sla.models import Priority
from backoffice.helpdesk.tickets import assignment, opening, reading, working
from backoffice.helpdesk.tickets import history as ticket_history
from backoffice.helpdesk.tickets.common import Context
from backoffice.helpdesk.tickets.models import Kind, TicketStatus
from backoffice.helpdesk.tickets.reading import TicketOrder
from backoffice.helpdesk.tickets.schemas import (
    AssigneeUpdate,
    AttachmentsCreate,
    CannedPreview,
    CommentCreate,
    CommentPage,
    CommentRead,
    HistoryPage,
    PriorityUpdate,
    StatusUpdate,
    TicketCreate,
    TicketPage,
    TicketRead,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.db import SessionDep
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Query

router = APIRouter(tags=["tickets"])


def context(settings: HelpdeskSettingsDep) -> Context:
    return Context.of(settings)


ContextDep = Annotated[Context, Depends(context)]


@router.post(
    "/tickets",
    status_code=201,
    response_model=TicketRead,
    summary="Open a ticket",
    description="Also checked, beyond what the schema says: requester_employee_id is needed when the login has none.",
)
async def create(body: TicketCreate, user: CurrentUser, session: SessionDep, ctx: ContextDep) -> TicketRead:
    return await opening.create_ticket(session, user, ctx, body)


@router.get(
    "/tickets",
    response_model=TicketPage,
    summary="Tickets the caller may see, newest first (or most urgent first)",
    description="order=urgency: breached tickets first, then by the nearest deadline (paused ones after). "
    "assigned_to_me: the caller's tickets; my_teams: the tickets of the caller's support teams.",
)
async def search(
    user: CurrentUser,
    session: SessionDep,
    status: Annotated[list[TicketStatus] | None, Query()] = None,
    kind: Kind | None = None,
    priority: Priority | None = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    team_id: str | None = None,
    assigned_to_me: bool = False,
    my_teams: bool = False,
    assignee_employee_id: str | None = None,
    requester_employee_id: str | None = None,
    about_employee_id: str | None = None,
    unassigned: bool = False,
    breached: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    order: TicketOrder = "newest",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> TicketPage:
    return await reading.list_tickets(
        session,
        user,
        status=list(status or []),
        kind=kind,
        priority=priority,
        category=category,
        team_id=team_id,
        assigned_to_me=assigned_to_me,
        my_teams=my_teams,
        assignee_employee_id=assignee_employee_id,
        requester_employee_id=requester_employee_id,
        about_employee_id=about_employee_id,
        unassigned=unassigned,
        breached=breached,
        q=q,
        order=order,
        limit=limit,
        offset=offset,
    )


@router.get("/tickets/{ticket_id}", response_model=TicketRead, summary="A ticket with its SLA clocks")
async def read(ticket_id: str, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await reading.read_ticket(session, user, ticket_id)


@router.get(
    "/tickets/{ticket_id}/canned-responses/{canned_id}",
    response_model=CannedPreview,
    summary="A canned response as it would be sent on this ticket",
    description="Its variables filled in for this ticket and the calling agent: what a reply with it would say.",
)
async def canned_preview(ticket_id: str, canned_id: str, user: CurrentUser, session: SessionDep) -> CannedPreview:
    return await working.preview_canned(session, user, ticket_id, canned_id)


@router.post(
    "/tickets/{ticket_id}/comments",
    status_code=201,
    response_model=CommentRead,
    summary="Reply or note",
    description="Also checked, beyond what the schema says: give a body or a canned_response_id.",
)
async def comment(ticket_id: str, body: CommentCreate, user: CurrentUser, session: SessionDep) -> CommentRead:
    return await working.add_comment(session, user, ticket_id, body)


@router.post("/tickets/{ticket_id}/attachments", response_model=TicketRead, summary="Attach documents")
async def attach(ticket_id: str, body: AttachmentsCreate, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await working.add_attachments(session, user, ticket_id, body)


@router.get("/tickets/{ticket_id}/comments", response_model=CommentPage, summary="Replies (and notes), newest first")
async def comments(
    ticket_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> CommentPage:
    return await working.list_comments(session, user, ticket_id, limit, offset)


@router.post("/tickets/{ticket_id}/status", response_model=TicketRead, summary="Move a ticket")
async def status_(ticket_id: str, body: StatusUpdate, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await working.change_status(session, user, ticket_id, body)


@router.post("/tickets/{ticket_id}/assignee", response_model=TicketRead, summary="Assign (or round-robin)")
async def assign(
    ticket_id: str, body: AssigneeUpdate, user: CurrentUser, session: SessionDep, ctx: ContextDep
) -> TicketRead:
    return await assignment.assign(session, user, ctx, ticket_id, body)


@router.post("/tickets/{ticket_id}/priority", response_model=TicketRead, summary="Change the priority")
async def priority_(ticket_id: str, body: PriorityUpdate, user: CurrentUser, session: SessionDep) -> TicketRead:
    return await working.change_priority(session, user, ticket_id, body)


@router.get("/tickets/{ticket_id}/history", response_model=HistoryPage, summary="What happened, newest first")
async def history(
    ticket_id: str, user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> HistoryPage:
    return await name_actors(session, await ticket_history.history(session, user, ticket_id, limit, offset))
