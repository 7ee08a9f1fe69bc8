"""Events produced by helpdesk-svc (stream ``HELPDESK``, subjects ``helpdesk.>``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

TICKET_RESOLVED = "helpdesk.ticket_resolved"


class TicketResolved(BaseModel):
    """``helpdesk.ticket_resolved`` v1: a ticket was resolved (subject: the ticket id). For onboarding and
    offboarding tickets ``about_employee_id`` is the person joining or leaving."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    ticket_id: str
    kind: str = Field(description="incident, service_request, access_request, change_request, onboarding, offboarding")
    requester_employee_id: str | None = None
    about_employee_id: str | None = Field(default=None, description="onboarding/offboarding: who joins or leaves")
    resolved_at: datetime
