"""Events produced by helpdesk-svc (stream ``HELPDESK``, subjects ``helpdesk.>``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

TICKET_OPENED = "helpdesk.ticket_opened"
TICKET_RESOLVED = "helpdesk.ticket_resolved"
SLA_BREACHED = "helpdesk.sla_breached"
CALL_MESSAGE_TAKEN = "helpdesk.call_message_taken"
ATTACHMENT_READERS_CHANGED = "helpdesk.attachment_readers_changed"

TICKET_KINDS = "incident, service_request, access_request, change_request, onboarding, offboarding"


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TicketOpened(_Contract):
    """``helpdesk.ticket_opened`` v1: a ticket was opened (subject: the ticket id)."""

    ticket_id: str
    number: int
    kind: str = Field(description=TICKET_KINDS)
    priority: str
    category: str
    subject: str
    requester_employee_id: str | None = None
    about_employee_id: str | None = None
    team_id: str | None = None
    opened_at: datetime


class TicketResolved(_Contract):
    """``helpdesk.ticket_resolved`` v1: a ticket was resolved (subject: the ticket id). For onboarding and
    offboarding tickets ``about_employee_id`` is the person joining or leaving."""

    ticket_id: str
    kind: str = Field(description=TICKET_KINDS)
    requester_employee_id: str | None = None
    about_employee_id: str | None = None
    resolved_at: datetime


class SlaBreached(_Contract):
    """``helpdesk.sla_breached`` v1: a ticket missed its first-response or resolution target and was
    escalated (subject: the ticket id)."""

    ticket_id: str
    number: int
    metric: str = Field(description="first_response or resolution")
    due_at: datetime
    detected_at: datetime
    priority_before: str
    priority_after: str
    escalated_to_employee_id: str | None = Field(default=None, description="the team lead it was reassigned to")


class CallMessageTaken(_Contract):
    """``helpdesk.call_message_taken`` v1: the switchboard took a message for a staff member who could not take a
    call (subject: the message id); docs delivers it."""

    message_id: str
    call_id: str
    for_employee_id: str
    for_name: str
    for_email: str | None = None
    caller_name: str
    caller_number: str | None = None
    caller_employee_id: str | None = None
    body: str
    callback_requested: bool = False
    taken_by: str | None = Field(default=None, description="user id of the office member who took it")
    taken_at: datetime


class AttachedDocument(_Contract):
    document_id: str
    attached_by: str = Field(description="the user who attached it (helpdesk takes only documents they filed)")


class AttachmentReadersChanged(_Contract):
    """``helpdesk.attachment_readers_changed`` v1: who may read a ticket's attachments, as a whole (subject: the
    ticket id). Published when documents are attached and whenever the people of the ticket change (assignee,
    team, the team's members); docs-svc replaces what it granted for the ticket with this. ``revision`` grows
    with each publication for the ticket: an older one arriving late is ignored."""

    ticket_id: str
    number: int
    revision: int = Field(ge=1)
    documents: list[AttachedDocument]
    reader_employee_ids: list[str] = Field(description="the requester, the assignee and the members of the team")
    reader_roles: list[str] = Field(
        default_factory=list, description="it_agent while the ticket has no team: every agent sees it then"
    )
    changed_at: datetime
