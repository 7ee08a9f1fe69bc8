"""Change requests: modifications to systems in use, approved by someone other than who asked."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

ChangeStatus = Literal["requested", "approved", "rejected", "implemented", "reviewed"]
Risk = Literal["low", "medium", "high"]
ReviewOutcome = Literal["successful", "failed", "rolled_back"]


class ChangeRequest(Base):
    __tablename__ = "change_requests"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    affected_system: Mapped[str] = mapped_column(String(200))
    risk: Mapped[Risk] = mapped_column(String(8))
    planned_start: Mapped[datetime] = mapped_column(UTCDateTime)
    planned_end: Mapped[datetime] = mapped_column(UTCDateTime)
    rollback_plan: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ChangeStatus] = mapped_column(String(12))
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("tickets.id"))
    requested_by: Mapped[str] = mapped_column(String(64))
    requester_employee_id: Mapped[str | None] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    implemented_by: Mapped[str | None] = mapped_column(String(64))
    implemented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    implementation_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_outcome: Mapped[ReviewOutcome | None] = mapped_column(String(16))
    review_notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_change_requests_status", "status", "planned_start"),)
