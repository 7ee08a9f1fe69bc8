"""The documents docs-svc filed (from ``docs.document_filed``) and the documents attached to each ticket."""

from __future__ import annotations

from datetime import datetime

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column


class KnownDocument(Base):
    """A document docs-svc filed, and who filed it: the helpdesk cannot ask docs-svc while a request waits, so it
    keeps what docs' events told it, and takes as attachments only documents it knows."""

    __tablename__ = "known_documents"

    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    filed_by: Mapped[str | None] = mapped_column(String(64), doc="user id; 'system' for generated documents")
    employee_id: Mapped[str | None] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(60))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketAttachment(Base):
    """A document attached to a ticket, by whom and when (``tickets.attachments`` keeps the order shown)."""

    __tablename__ = "ticket_attachments"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attached_by: Mapped[str] = mapped_column(String(64), doc="user id")
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime)
