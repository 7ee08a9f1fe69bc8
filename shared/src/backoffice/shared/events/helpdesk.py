"""Events produced by helpdesk-svc (stream ``HELPDESK``, subjects ``helpdesk.>``)."""

from __future__ import annotations

from datetime import datetime

from backoffice.shared.events.contract import Contract, Part
from pydantic import Field

TICKET_KINDS = "incident, service_request, access_request, change_request, onboarding, offboarding"


class TicketOpened(Contract):
    """A ticket was opened."""

    TYPE = "helpdesk.ticket_opened"
    SUBJECT = "the ticket id"
    PRODUCED_BY = "helpdesk (`POST /tickets`, and the onboarding/offboarding tickets HR's events open)"

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


class TicketResolved(Contract):
    """A ticket was resolved. For onboarding and
    offboarding tickets ``about_employee_id`` is the person joining or leaving."""

    TYPE = "helpdesk.ticket_resolved"
    SUBJECT = "the ticket id"
    PRODUCED_BY = "helpdesk (`POST /tickets/{id}/status` to `resolved`)"

    ticket_id: str
    kind: str = Field(description=TICKET_KINDS)
    requester_employee_id: str | None = None
    about_employee_id: str | None = None
    resolved_at: datetime


class SlaBreached(Contract):
    """A ticket missed its first-response or resolution target and was
    escalated."""

    TYPE = "helpdesk.sla_breached"
    SUBJECT = "the ticket id"
    PRODUCED_BY = "helpdesk (the SLA check, once per ticket and target)"

    ticket_id: str
    number: int
    metric: str = Field(description="first_response or resolution")
    due_at: datetime
    detected_at: datetime
    priority_before: str
    priority_after: str
    escalated_to_employee_id: str | None = Field(default=None, description="the team lead it was reassigned to")


class CallMessageTaken(Contract):
    """The switchboard took a message for a staff member who could not take a
    call; docs delivers it."""

    TYPE = "helpdesk.call_message_taken"
    SUBJECT = "the message id"
    PRODUCED_BY = "helpdesk (`POST /calls/{id}/message`)"

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


class AttachedDocument(Part):
    document_id: str
    attached_by: str = Field(description="the user who attached it (helpdesk takes only documents they filed)")


class AttachmentReadersChanged(Contract):
    """Who may read a ticket's attachments, as a whole. Published when documents are attached and whenever the people
    of the ticket change (assignee, team, the team's members); docs-svc replaces what it granted for the ticket
    with this. ``revision`` grows with each publication for the ticket: an older one arriving late is ignored."""

    TYPE = "helpdesk.attachment_readers_changed"
    SUBJECT = "the ticket id"
    PRODUCED_BY = (
        "helpdesk (documents attached to a ticket; a change of its assignee or team, of its team's members, or an"
        " escalation to the lead; only for tickets with attachments)"
    )

    ticket_id: str
    number: int
    revision: int = Field(ge=1)
    documents: list[AttachedDocument]
    reader_employee_ids: list[str] = Field(description="the requester, the assignee and the members of the team")
    reader_roles: list[str] = Field(
        default_factory=list, description="it_agent while the ticket has no team: every agent sees it then"
    )
    changed_at: datetime
