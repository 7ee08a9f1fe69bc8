"""docs-svc's filings keep the catalogue of documents tickets may take."""

from __future__ import annotations

from backoffice.helpdesk.attachments.service import remember_filed
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.docs import DocumentFiled


def handlers(settings: HelpdeskSettings) -> list[EventHandler]:
    return [
        EventHandler.on(
            DocumentFiled, remember_filed, does="the catalogue of documents a ticket may take, with who filed each"
        )
    ]
