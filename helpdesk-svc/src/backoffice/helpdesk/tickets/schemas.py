from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.sla.models import Priority
from backoffice.helpdesk.tickets.models import Kind, RequestKind, TicketStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.ids import DocumentIds
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_ATTACHMENTS = 20


class TicketCreate(BaseModel):
    kind: RequestKind = "incident"
    category: str = Field(min_length=1, max_length=100, description="e.g. hardware, network, email, access")
    priority: Priority = "normal"
    subject: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=20000)
    attachments: DocumentIds = Field(
        default_factory=list, max_length=MAX_ATTACHMENTS, description="document ids (docs-svc); repeats count once"
    )
    requester_employee_id: str | None = Field(
        default=None, max_length=64, description="agents open tickets on someone's behalf; others for themselves"
    )

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        return value.strip().lower()


class AttachmentsCreate(BaseModel):
    document_ids: DocumentIds = Field(
        min_length=1, max_length=MAX_ATTACHMENTS, description="documents to attach (docs-svc ids); repeats count once"
    )


class SlaClockRead(BaseModel):
    target_minutes: float | None = Field(description="business minutes allowed")
    due_at: datetime | None = Field(description="empty while the clock is paused, or once met")
    met_at: datetime | None
    elapsed_business_seconds: int
    remaining_business_seconds: int | None
    breached: bool
    breached_at: datetime | None


class SlaRead(BaseModel):
    calendar_id: str | None
    paused: bool
    paused_since: datetime | None
    paused_business_seconds: int = Field(description="working time spent pending, on hold or resolved: excluded")
    paused_wall_seconds: int = Field(description="clock time spent pending, on hold or resolved")
    first_response: SlaClockRead
    resolution: SlaClockRead


class AssetBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    tag: str
    type: str
    model: str
    serial: str


class TicketRead(BaseModel):
    id: str
    number: int
    reference: str
    kind: Kind
    status: TicketStatus
    priority: Priority
    category: str
    subject: str
    description: str
    attachments: list[str]
    requester_employee_id: str | None
    requester_name: str | None
    about_employee_id: str | None
    team_id: str | None
    assignee_employee_id: str | None
    assignee_name: str | None
    opened_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    sla: SlaRead | None
    assets_to_return: list[AssetBrief] | None = Field(
        default=None, description="offboarding: equipment still assigned to the person leaving"
    )


class TicketPage(Page[TicketRead]):
    pass


class CommentCreate(BaseModel):
    body: str = Field(default="", max_length=20000)
    internal: bool = Field(default=False, description="an internal note, never shown to the requester")
    canned_response_id: str | None = Field(default=None, description="reply with this canned response")

    @model_validator(mode="after")
    def _something(self) -> CommentCreate:
        if not self.body.strip() and self.canned_response_id is None:
            raise ValueError("give a body or a canned_response_id")
        return self


class CannedPreview(BaseModel):
    canned_response_id: str
    title: str
    body: str = Field(description="the text with the ticket's variables filled in")


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    ticket_id: str
    author_employee_id: str | None
    author_name: str
    internal: bool
    body: str
    created_at: datetime


class CommentPage(Page[CommentRead]):
    """Replies and notes, newest first."""


class StatusUpdate(BaseModel):
    status: Literal["open", "pending", "on_hold", "resolved", "closed"]
    note: str | None = Field(default=None, max_length=20000, description="added as a public reply")


class AssigneeUpdate(BaseModel):
    employee_id: str | None = Field(default=None, max_length=64, description="empty: the team's next agent")
    team_id: str | None = Field(default=None, max_length=64, description="move the ticket to this team too")


class PriorityUpdate(BaseModel):
    priority: Priority
    reason: str = Field(min_length=1, max_length=2000)


class HistoryRead(BaseModel):
    at: datetime
    by: str
    by_actor: Actor | None = actor_field("by")
    action: str
    detail: dict[str, object]


class HistoryPage(Page[HistoryRead]):
    """What happened to a ticket, newest first."""
