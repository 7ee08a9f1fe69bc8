"""docs-svc's filings keep the catalogue of documents tickets may take."""

from __future__ import annotations

from backoffice.helpdesk.attachments.service import remember_filed
from backoffice.shared.bus import EventHandler
from backoffice.shared.events import docs

HANDLERS = [EventHandler("document_filed", docs.DOCUMENT_FILED, "DOCS", remember_filed, docs.DocumentFiled)]
