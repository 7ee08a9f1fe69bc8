"""The helpdesk's tickets say who reads the documents attached to them."""

from __future__ import annotations

from backoffice.docs.documents.tickets import share_with_ticket
from backoffice.docs.settings import DocsSettings
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.helpdesk import AttachmentReadersChanged


def handlers(settings: DocsSettings) -> list[EventHandler]:
    return [
        EventHandler.on(
            AttachmentReadersChanged,
            share_with_ticket,
            does="replaces what it granted for the ticket: the listed employees and roles read (never change) each "
            "listed document that its `attached_by` owns; an event whose `revision` is not above the last applied "
            "one for the ticket changes nothing",
        )
    ]
