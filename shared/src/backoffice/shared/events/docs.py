"""Events produced by docs-svc (stream ``DOCS``, subjects ``docs.>``)."""

from __future__ import annotations

from datetime import datetime

from backoffice.shared.events.contract import Contract
from pydantic import Field


class DocumentFiled(Contract):
    """A document was filed."""

    TYPE = "docs.document_filed"
    SUBJECT = "the document id"
    PRODUCED_BY = "docs (every upload, copy and generated document)"

    document_id: str
    type: str
    employee_id: str | None = None
    title: str | None = None
    source_event_id: str | None = Field(default=None, description="the event it was generated from")
    filed_by: str | None = Field(default=None, description="the user who filed it (system: generated from an event)")
    filed_by_roles: list[str] | None = Field(
        default=None,
        description="the roles the filer held (empty for generated documents; absent from events of older versions)",
    )


class DocumentDelivered(Contract):
    """The mail server accepted a document for one recipient."""

    TYPE = "docs.document_delivered"
    SUBJECT = "the delivery id"
    PRODUCED_BY = "docs (the mail server accepted a delivery)"

    delivery_id: str
    document_id: str
    channel: str = Field(description="email or fax")
    recipient: str = Field(description="the e-mail address or fax number")
    attempts: int
    delivered_at: datetime


class DeliveryFailed(Contract):
    """A delivery was given up (a permanent refusal, or too many temporary
    failures)."""

    TYPE = "docs.delivery_failed"
    SUBJECT = "the delivery id"
    PRODUCED_BY = "docs (a 5xx refusal, or too many temporary failures)"

    delivery_id: str
    document_id: str
    channel: str
    recipient: str
    attempts: int
    reason: str
    failed_at: datetime
