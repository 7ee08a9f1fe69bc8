"""Who reads and who changes a document: its owner, the holders of its roles, the employee it concerns (read
only, while it is active), the people of a helpdesk ticket it is attached to (read only) and admins."""

from __future__ import annotations

from backoffice.docs.documents.models import Document, DocumentRole, TicketReader
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Forbidden, NotFound
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement


async def roles_of(session: AsyncSession, document_id: str) -> list[str]:
    """The roles whose holders read and change the document, sorted."""
    rows = await session.scalars(select(DocumentRole.role).where(DocumentRole.document_id == document_id))
    return sorted(rows)


def may_read(user: Principal, doc: Document, roles: list[str]) -> bool:
    """Whether the caller reads the document other than through a ticket."""
    return (
        user.is_admin
        or doc.owner_user_id == user.user_id
        or user.has_any(*roles)
        or (doc.employee_id is not None and user.is_employee(doc.employee_id) and doc.status == "active")
    )


def may_change(user: Principal, doc: Document, roles: list[str]) -> bool:
    """Whether the caller changes the document (and reads its audit trail)."""
    return user.is_admin or doc.owner_user_id == user.user_id or user.has_any(*roles)


def _ticket_reader(user: Principal) -> ColumnElement[bool] | None:
    """The ``ticket_readers`` rows that name the caller (None: none can)."""
    names: list[ColumnElement[bool]] = []
    if user.employee_id:
        names.append(and_(TicketReader.reader_kind == "employee", TicketReader.reader == user.employee_id))
    if user.roles:
        names.append(and_(TicketReader.reader_kind == "role", TicketReader.reader.in_(sorted(user.roles))))
    return or_(*names) if names else None


def visible(user: Principal) -> ColumnElement[bool] | None:
    """The documents a caller may read, as a condition (None: all)."""
    if user.is_admin:
        return None
    conditions: list[ColumnElement[bool]] = [Document.owner_user_id == user.user_id]
    if user.employee_id:
        conditions.append(and_(Document.employee_id == user.employee_id, Document.status == "active"))
    if user.roles:
        conditions.append(
            exists().where(DocumentRole.document_id == Document.id, DocumentRole.role.in_(sorted(user.roles)))
        )
    reader = _ticket_reader(user)
    if reader is not None:
        conditions.append(
            and_(Document.status == "active", exists().where(TicketReader.document_id == Document.id, reader))
        )
    return or_(*conditions)


async def folders_holding(session: AsyncSession, user: Principal) -> set[str]:
    """The folders holding an active document the caller may read (what the folder listing shows them)."""
    holding = select(Document.folder_id).where(Document.folder_id.is_not(None), Document.status == "active")
    scope = visible(user)
    if scope is not None:
        holding = holding.where(scope)
    return {f for f in (await session.scalars(holding.distinct())).all() if f is not None}


async def _ticket_readable(session: AsyncSession, user: Principal, doc: Document) -> bool:
    """Whether the caller reads the document as one of the people of a ticket it is attached to."""
    reader = _ticket_reader(user)
    if reader is None or doc.status != "active":
        return False
    found = await session.scalar(select(TicketReader.ticket_id).where(TicketReader.document_id == doc.id, reader))
    return found is not None


async def document(session: AsyncSession, document_id: str, *, lock: bool = False) -> Document:
    """The document (locked for update with ``lock``), whoever asks; a 404 when there is none."""
    query = select(Document).where(Document.id == document_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    doc = await session.scalar(query)
    if doc is None:
        raise NotFound("document", document_id)
    return doc


async def readable(
    session: AsyncSession, user: Principal, document_id: str, *, lock: bool = False
) -> tuple[Document, list[str]]:
    """The document and its roles when the caller may read it; a 404 otherwise, as if it did not exist."""
    doc = await document(session, document_id, lock=lock)
    roles = await roles_of(session, doc.id)
    if not may_read(user, doc, roles) and not await _ticket_readable(session, user, doc):
        raise NotFound("document", document_id)  # no hint that it exists
    return doc, roles


async def changeable(session: AsyncSession, user: Principal, document_id: str) -> tuple[Document, list[str]]:
    """The document (locked) and its roles when the caller may change it; a 403 when they only read it, a 404
    when they do not even read it."""
    doc = await document(session, document_id, lock=True)
    roles = await roles_of(session, doc.id)
    if not may_change(user, doc, roles):
        if may_read(user, doc, roles) or await _ticket_readable(session, user, doc):
            raise Forbidden(f"you may read document {document_id} but not change it", slug="forbidden")
        raise NotFound("document", document_id)
    return doc, roles
