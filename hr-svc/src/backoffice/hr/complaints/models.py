from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.hr.database import Base
from backoffice.shared.db import UTCDateTime
from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

AgainstKind = Literal["person", "team", "practice"]
ComplaintStatus = Literal["filed", "investigating", "resolved", "unfounded"]


class Complaint(Base):
    """A grievance: seen only by its filer and HR. Its record of notes is append-only."""

    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    filed_by: Mapped[str] = mapped_column(ForeignKey("employees.id"))
    against_kind: Mapped[AgainstKind] = mapped_column(String(16))
    against_employee_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    against_description: Mapped[str] = mapped_column(String(500))
    withhold_name: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    status: Mapped[ComplaintStatus] = mapped_column(String(16))
    investigator_id: Mapped[str | None] = mapped_column(ForeignKey("employees.id"))
    outcome: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_complaints_filed_by", "filed_by"), Index("ix_complaints_status", "status"))


class ComplaintNote(Base):
    """An investigation note or piece of evidence (a document id); never edited or deleted."""

    __tablename__ = "complaint_notes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"))
    text: Mapped[str] = mapped_column(Text)
    evidence_document_id: Mapped[str | None] = mapped_column(String(64))
    written_by: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_complaint_notes_complaint", "complaint_id"),)
