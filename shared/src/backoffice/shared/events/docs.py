"""Events produced by docs-svc (stream ``DOCS``, subjects ``docs.>``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

DOCUMENT_FILED = "docs.document_filed"
DOCUMENT_DELIVERED = "docs.document_delivered"
DELIVERY_FAILED = "docs.delivery_failed"


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class DocumentFiled(_Contract):
    """``docs.document_filed`` v1: a document was filed (subject: the document id)."""

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


class DocumentDelivered(_Contract):
    """``docs.document_delivered`` v1: the mail server accepted a document for one recipient (subject: the
    delivery id)."""

    delivery_id: str
    document_id: str
    channel: str = Field(description="email or fax")
    recipient: str = Field(description="the e-mail address or fax number")
    attempts: int
    delivered_at: datetime


class DeliveryFailed(_Contract):
    """``docs.delivery_failed`` v1: a delivery was given up (a permanent refusal, or too many temporary
    failures) (subject: the delivery id)."""

    delivery_id: str
    document_id: str
    channel: str
    recipient: str
    attempts: int
    reason: str
    failed_at: datetime
