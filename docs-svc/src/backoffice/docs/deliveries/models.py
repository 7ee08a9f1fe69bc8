"""Deliveries of a document to one recipient each, by e-mail or through the e-mail-to-fax gateway."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.docs.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

Channel = Literal["email", "fax"]
DeliveryStatus = Literal["queued", "sent", "delivered", "failed"]


class Delivery(Base):
    __tablename__ = "deliveries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[Channel] = mapped_column(String(8), doc="email, fax")
    recipient: Mapped[str] = mapped_column(String(320), doc="the e-mail address or the fax number (digits)")
    recipient_name: Mapped[str | None] = mapped_column(String(401))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(String(12), doc="queued, sent, delivered, failed")
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_document", "document_id"),
        Index("ix_deliveries_requested_by", "requested_by", "created_at"),  # the daily limit
    )
