"""Documents, their versions, the roles that may see each document, the readers of tickets' attachments and
the audit log. Documents are filed in folders (their own domain)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.docs.database import Base
from backoffice.docs.folders import models as _folders  # noqa: F401 - the table documents.folder_id refers to
from backoffice.shared.db import UTCDateTime
from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

DocumentStatus = Literal["active", "trashed", "deleted"]
ReaderKind = Literal["employee", "role"]


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(60))
    tags: Mapped[str] = mapped_column(Text, doc="JSON list")
    folder_id: Mapped[str | None] = mapped_column(ForeignKey("folders.id"))
    owner_user_id: Mapped[str] = mapped_column(String(64))
    employee_id: Mapped[str | None] = mapped_column(String(64), doc="the employee it concerns (they may read it)")
    supplier_id: Mapped[str | None] = mapped_column(String(64))
    ticket_id: Mapped[str | None] = mapped_column(String(64))
    current_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[DocumentStatus] = mapped_column(String(12), doc="active, trashed, deleted")
    legal_hold: Mapped[bool] = mapped_column(Boolean)
    copied_from_document_id: Mapped[str | None] = mapped_column(String(64))
    copied_from_version: Mapped[int | None] = mapped_column(Integer)
    source_event_id: Mapped[str | None] = mapped_column(String(64), unique=True, doc="generated from this event")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    trashed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_documents_employee", "employee_id"),
        Index("ix_documents_folder", "folder_id"),
        Index("ix_documents_type_created", "type", "created_at"),
    )


class DocumentRole(Base):
    """A role whose holders read and change the document (beside its owner and linked employee)."""

    __tablename__ = "document_roles"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class DocumentVersion(Base):
    __tablename__ = "document_versions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"))
    number: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str | None] = mapped_column(String(200), doc="empty once the file is deleted")
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, doc="extracted text (plain, PDF, DOCX)")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_versions_number"),)


class AuditEntry(Base):
    """Every read and change of a document. Rows are only added: the database refuses updates and deletes."""

    __tablename__ = "audit_log"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, doc="JSON")

    __table_args__ = (Index("ix_audit_log_document", "document_id", "at"),)


class TicketReader(Base):
    """Someone who may read a document because it is attached to a helpdesk ticket they work or asked for: an
    employee, or a role (every agent, while the ticket has no team). Replaced as a whole for the ticket by each
    ``helpdesk.attachment_readers_changed``."""

    __tablename__ = "ticket_readers"

    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reader_kind: Mapped[ReaderKind] = mapped_column(String(10), primary_key=True, doc="employee or role")
    reader: Mapped[str] = mapped_column(String(64), primary_key=True, doc="an employee id or a role")

    __table_args__ = (Index("ix_ticket_readers_document", "document_id", "reader_kind", "reader"),)


class TicketShare(Base):
    """The latest revision of a ticket's readers applied here: an older event arriving late changes nothing."""

    __tablename__ = "ticket_shares"

    ticket_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
