"""``/calls``, ``/messages`` and ``/switchboard/report``: the office switchboard."""

from __future__ import annotations

from typing import Annotated

from backoffice.helpdesk.switchboard import service
from backoffice.helpdesk.switchboard.models import CallStatus
from backoffice.helpdesk.switchboard.schemas import (
    CallCreate,
    CallPage,
    CallRead,
    MessageCreate,
    MessagePage,
    MessageRead,
    SwitchboardReport,
    TransferCreate,
)
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser
from backoffice.shared.dates import IsoDate, IsoDateTime
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday, CompanyZone
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query

router = APIRouter(tags=["switchboard"])


@router.post("/calls", status_code=201, response_model=CallRead, summary="Log a call and put it through")
async def log_call(body: CallCreate, user: CurrentUser, session: SessionDep, today: CompanyToday) -> CallRead:
    return await name_actors(session, await service.log_call(session, user, body, today))


@router.get("/calls", response_model=CallPage, summary="Calls (office: all; staff: theirs), newest first")
async def list_calls(
    user: CurrentUser,
    session: SessionDep,
    status: CallStatus | None = None,
    employee_id: str | None = None,
    received_from: IsoDateTime | None = None,
    received_to: IsoDateTime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> CallPage:
    return await name_actors(
        session,
        await service.list_calls(
            session,
            user,
            status=status,
            employee_id=employee_id,
            received_from=received_from,
            received_to=received_to,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/calls/{call_id}", response_model=CallRead, summary="A call and its path")
async def read_call(call_id: str, user: CurrentUser, session: SessionDep) -> CallRead:
    return await name_actors(session, await service.read_call(session, user, call_id))


@router.post("/calls/{call_id}/transfers", response_model=CallRead, summary="Transfer to another staff member")
async def transfer(
    call_id: str, body: TransferCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> CallRead:
    return await name_actors(session, await service.transfer(session, user, call_id, body, today))


@router.post("/calls/{call_id}/message", response_model=CallRead, summary="Take a message and end the call")
async def message(
    call_id: str, body: MessageCreate, user: CurrentUser, session: SessionDep, today: CompanyToday
) -> CallRead:
    return await name_actors(session, await service.take_message(session, user, call_id, body, today))


@router.post("/calls/{call_id}/end", response_model=CallRead, summary="The call is over")
async def end(call_id: str, user: CurrentUser, session: SessionDep) -> CallRead:
    return await name_actors(session, await service.end_call(session, user, call_id))


@router.get(
    "/messages", response_model=MessagePage, summary="Messages taken (yours, or all for the office), newest first"
)
async def messages(
    user: CurrentUser,
    session: SessionDep,
    for_employee_id: Annotated[str | None, Query(max_length=64)] = None,
    unread: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> MessagePage:
    return await name_actors(
        session,
        await service.list_messages(
            session, user, for_employee_id=for_employee_id, unread=unread, limit=limit, offset=offset
        ),
    )


@router.post("/messages/{message_id}/read", response_model=MessageRead, summary="Mark a message of yours read")
async def read_message(message_id: str, user: CurrentUser, session: SessionDep) -> MessageRead:
    return await name_actors(session, await service.mark_read(session, user, message_id))


@router.get(
    "/switchboard/report",
    response_model=SwitchboardReport,
    summary="Calls per person, missed, unread",
    description="Also checked, beyond what the schema says: date_to is not before date_from.",
)
async def report(
    user: CurrentUser,
    session: SessionDep,
    today: CompanyToday,
    zone: CompanyZone,
    date_from: IsoDate,
    date_to: IsoDate | None = None,
) -> SwitchboardReport:
    return await service.report(session, user, date_from, date_to or today, zone)
