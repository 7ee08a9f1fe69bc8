"""The helpdesk's tickets say who reads the documents attached to them."""

from __future__ import annotations

from backoffice.docs.documents.tickets import share_with_ticket
from backoffice.shared.bus import EventHandler
from backoffice.shared.events import helpdesk

HANDLERS = [
    EventHandler(
        "attachment_readers_changed",
        helpdesk.ATTACHMENT_READERS_CHANGED,
        "HELPDESK",
        share_with_ticket,
        helpdesk.AttachmentReadersChanged,
    )
]
