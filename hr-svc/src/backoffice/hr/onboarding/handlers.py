"""Other departments' events tick onboarding and offboarding tasks off; a hire and a termination make the
checklists (``LIFECYCLE``, registered with the employee record)."""

from __future__ import annotations

from backoffice.hr.employees.lifecycle import Reactions
from backoffice.hr.onboarding.service import on_document_filed, on_hired, on_terminated, on_ticket_resolved
from backoffice.hr.settings import HrSettings
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.docs import DocumentFiled
from backoffice.shared.events.helpdesk import TicketResolved

LIFECYCLE = Reactions(hired=on_hired, terminated=on_terminated)


def handlers(settings: HrSettings) -> list[EventHandler]:
    """The onboarding domain's consumers."""
    return [
        EventHandler.on(
            TicketResolved, on_ticket_resolved, does="ticks off the onboarding or offboarding task waiting for it"
        ),
        EventHandler.on(
            DocumentFiled,
            on_document_filed,
            does="a contract filed by HR or an admin (as `filed_by_roles` says) ticks off the onboarding task "
            "waiting for it",
        ),
    ]
