"""Reading documents: one with its current version, its versions, and the lists of those a caller may read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from backoffice.docs.documents.access import readable, roles_of, visible
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import Document, DocumentRole, DocumentVersion
from backoffice.docs.documents.schemas import DocumentFilter, DocumentPage, DocumentRead, VersionPage, VersionRead
from backoffice.shared.auth import Principal
from backoffice.shared.errors import NotFound
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement


async def version_of(session: AsyncSession, doc: Document, number: int | None = None) -> DocumentVersion:
    """A version of the document (the current one when ``number`` is None), without its text; a 404 when the
    document has no such version."""
    number = number or doc.current_version
    version = await session.scalar(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id, DocumentVersion.number == number)
        .options(defer(DocumentVersion.text))  # the extracted text can be large; loaded only where needed
    )
    if version is None:
        raise NotFound(f"version of document {doc.id}", number)
    return version


async def text_of(session: AsyncSession, version: DocumentVersion) -> str:
    """The text extracted from a version's file (empty when none was)."""
    return await session.scalar(select(DocumentVersion.text).where(DocumentVersion.id == version.id)) or ""


def document_read(doc: Document, roles: list[str], version: DocumentVersion) -> DocumentRead:
    """The API's view of a document with its roles and the version given as current."""
    return DocumentRead(
        id=doc.id,
        title=doc.title,
        type=doc.type,
        tags=json.loads(doc.tags),
        folder_id=doc.folder_id,
        owner_user_id=doc.owner_user_id,
        employee_id=doc.employee_id,
        supplier_id=doc.supplier_id,
        ticket_id=doc.ticket_id,
        roles=roles,
        current_version=doc.current_version,
        status=doc.status,
        legal_hold=doc.legal_hold,
        copied_from_document_id=doc.copied_from_document_id,
        copied_from_version=doc.copied_from_version,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        trashed_at=doc.trashed_at,
        version=VersionRead.model_validate(version, from_attributes=True),
    )


async def to_read(session: AsyncSession, doc: Document, roles: list[str] | None = None) -> DocumentRead:
    """The API's view of a document as it is now (its roles read again unless given)."""
    if roles is None:
        roles = await roles_of(session, doc.id)
    return document_read(doc, roles, await version_of(session, doc))


async def read_document(session: AsyncSession, user: Principal, document_id: str) -> DocumentRead:
    """A document the caller may read; the read is audited."""
    doc, roles = await readable(session, user, document_id)
    audit(session, user.user_id, "read", doc.id, doc.current_version)
    return await to_read(session, doc, roles)


async def versions(session: AsyncSession, user: Principal, document_id: str, limit: int, offset: int) -> VersionPage:
    """A document's versions, newest first."""
    doc, _ = await readable(session, user, document_id)
    query = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id)
        .order_by(DocumentVersion.number.desc())
        .options(defer(DocumentVersion.text))
    )
    rows, total = await fetch_page(session, query, limit, offset)
    audit(session, user.user_id, "versions", doc.id, None)
    return VersionPage(
        items=[VersionRead.model_validate(v, from_attributes=True) for v in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def _tag_condition(tag: str) -> ColumnElement[bool]:
    """Documents with the tag: tags are a JSON list, so the quoted tag is matched, its LIKE wildcards literally."""
    forms = {json.dumps(tag.strip().lower(), ensure_ascii=False), json.dumps(tag.strip().lower())}
    escaped = [f.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for f in forms]
    return or_(*(Document.tags.like(f"%{e}%", escape="\\") for e in escaped))


def listed(user: Principal, filters: DocumentFilter, status: str) -> list[ColumnElement[bool]]:
    """The conditions of a list or search: the filters, the status, and what the caller may read."""
    conditions: list[ColumnElement[bool]] = [Document.status == status]
    for col, value in (
        (Document.type, filters.type),
        (Document.folder_id, filters.folder_id),
        (Document.employee_id, filters.employee_id),
        (Document.supplier_id, filters.supplier_id),
        (Document.ticket_id, filters.ticket_id),
    ):
        if value is not None:
            conditions.append(col == value)
    if filters.tag:
        conditions.append(_tag_condition(filters.tag))
    if filters.created_from:
        conditions.append(Document.created_at >= filters.created_from)
    if filters.created_to:
        conditions.append(Document.created_at < filters.created_to)
    scope = visible(user)
    if scope is not None:
        conditions.append(scope)
    return conditions


async def list_documents(
    session: AsyncSession,
    user: Principal,
    filters: DocumentFilter,
    *,
    status: str = "active",
    limit: int,
    offset: int,
) -> DocumentPage:
    """The documents the caller may read with the status and filters given, newest first; the listing is
    audited."""
    conditions = listed(user, filters, status)
    total = await session.scalar(select(func.count()).select_from(Document).where(*conditions)) or 0
    rows = (
        await session.scalars(
            select(Document)
            .where(*conditions)
            .order_by(Document.created_at.desc(), Document.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    audit(session, user.user_id, "list", None, None, filters=filters.model_dump(exclude_none=True), status=status)
    return DocumentPage(items=await reads(session, rows), total=total, limit=limit, offset=offset)


async def roles_by_document(session: AsyncSession, ids: list[str]) -> dict[str, list[str]]:
    """The roles of each document, sorted: one query for a page of documents."""
    roles: dict[str, list[str]] = {i: [] for i in ids}
    for document_id, role in (
        await session.execute(
            select(DocumentRole.document_id, DocumentRole.role)
            .where(DocumentRole.document_id.in_(ids))
            .order_by(DocumentRole.role)
        )
    ).all():
        roles[document_id].append(role)
    return roles


async def reads(session: AsyncSession, docs: Sequence[Document]) -> list[DocumentRead]:
    """A page of documents with their current version and roles: one query each, not two per document."""
    ids = [d.id for d in docs]
    current = {
        v.document_id: v
        for v in await session.scalars(
            select(DocumentVersion)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(DocumentVersion.document_id.in_(ids), DocumentVersion.number == Document.current_version)
            .options(defer(DocumentVersion.text))
        )
    }
    roles = await roles_by_document(session, ids)
    return [document_read(d, roles[d.id], current[d.id]) for d in docs]
