from __future__ import annotations

from datetime import date, datetime

from backoffice.helpdesk.switchboard.models import CallStatus, HopOutcome
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDateTime
from backoffice.shared.paging import Page
from pydantic import BaseModel, Field


class CallCreate(BaseModel):
    caller_name: str = Field(min_length=1, max_length=200)
    caller_number: str | None = Field(default=None, max_length=40, pattern=r"^\+?[0-9 ()./-]{2,40}$")
    caller_employee_id: str | None = Field(default=None, max_length=64, description="when a staff member calls")
    asked_for_employee_id: str = Field(min_length=1, max_length=64)
    received_at: IsoDateTime | None = Field(default=None, description="when it rang; now if empty")


class TransferCreate(BaseModel):
    to_employee_id: str = Field(min_length=1, max_length=64)


class MessageCreate(BaseModel):
    body: str = Field(min_length=1, max_length=5000)
    for_employee_id: str | None = Field(
        default=None, max_length=64, description="empty: the last person the call was meant for"
    )
    callback_requested: bool = False


class HopRead(BaseModel):
    position: int
    from_employee_id: str | None = Field(description="empty: the switchboard")
    from_name: str | None
    to_employee_id: str
    to_name: str
    outcome: HopOutcome
    at: datetime


class MessageRead(BaseModel):
    id: str
    call_id: str
    for_employee_id: str
    for_name: str
    caller_name: str
    caller_number: str | None
    body: str
    callback_requested: bool
    taken_by: str
    taken_by_actor: Actor | None = actor_field("taken_by")
    taken_at: datetime
    read_at: datetime | None


class MessagePage(Page[MessageRead]):
    """Messages, newest first."""


class CallRead(BaseModel):
    id: str
    caller_name: str
    caller_number: str | None
    caller_employee_id: str | None
    asked_for_employee_id: str
    asked_for_name: str
    holder_employee_id: str | None
    status: CallStatus
    received_at: datetime
    answered_at: datetime
    answered_by: str
    answered_by_actor: Actor | None = actor_field("answered_by")
    ended_at: datetime | None
    path: list[HopRead]
    message: MessageRead | None


class CallPage(Page[CallRead]):
    pass


class PersonCalls(BaseModel):
    employee_id: str
    name: str
    calls: int = Field(description="times a call was put through or tried to them")
    connected: int
    missed: int = Field(description="tries when they were unavailable")
    messages: int
    unread_messages: int = Field(description="messages for them not yet read, whenever taken")


class SwitchboardReport(BaseModel):
    date_from: date
    date_to: date
    calls: int
    connected_calls: int
    missed_calls: int = Field(description="calls that ended without reaching anyone and without a message")
    messages_taken: int
    unread_messages: int
    people: list[PersonCalls]
