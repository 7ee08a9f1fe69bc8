"""Other departments' events tick onboarding and offboarding tasks off; a hire and a termination make the
checklists (``LIFECYCLE``, registered with the employee record)."""

from __future__ import annotations

from backoffice.hr.employees.lifecycle import Reactions
from backoffice.hr.onboarding.service import on_document_filed, on_hired, on_terminated, on_ticket_resolved
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.docs import DOCUMENT_FILED, DocumentFiled
from backoffice.shared.events.helpdesk import TICKET_RESOLVED, TicketResolved

HANDLERS = [
    EventHandler("ticket_resolved", TICKET_RESOLVED, "HELPDESK", on_ticket_resolved, TicketResolved),
    EventHandler("document_filed", DOCUMENT_FILED, "DOCS", on_document_filed, DocumentFiled),
]

LIFECYCLE = Reactions(hired=on_hired, terminated=on_terminated)
