"""Documents: filed from uploads (or generated from events), organised in folders, versioned, copied with their
origin recorded, found by full-text search, and read only by those entitled: the owner, the holders of the
document's roles, the employee it concerns (read only), the people of a helpdesk ticket it is attached to (read
only) and admins. Every read and change is audited."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from backoffice.docs.documents import search
from backoffice.docs.documents.extract import extract_text
from backoffice.docs.documents.models import (
    AuditEntry,
    Document,
    DocumentRole,
    DocumentVersion,
    Folder,
    TicketReader,
    TicketShare,
)
from backoffice.docs.documents.names import tidy_name
from backoffice.docs.documents.schemas import (
    AuditPage,
    AuditRead,
    CopyIn,
    DocumentFilter,
    DocumentPage,
    DocumentRead,
    DocumentUpdate,
    FolderIn,
    FolderPage,
    FolderRead,
    SearchHit,
    SearchPage,
    VersionPage,
    VersionRead,
)
from backoffice.docs.documents.upload import StoredFile, Upload
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import Storage
from backoffice.shared.auth import ROLES, Principal
from backoffice.shared.bus import Envelope, record_event
from backoffice.shared.db import flush_or_conflict, utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.events import docs as events
from backoffice.shared.events.helpdesk import AttachmentReadersChanged
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page, slice_page
from pydantic import ValidationError
from sqlalchemy import String, and_, column, delete, exists, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql.elements import ColumnElement

CHANGE_ROLES_OF_HOLD = ("hr",)  # besides admins, who may put documents under legal hold


@dataclass
class Context:
    settings: DocsSettings
    storage: Storage


# -- access and audit ---------------------------------------------------------------------------
async def roles_of(session: AsyncSession, document_id: str) -> list[str]:
    rows = await session.scalars(select(DocumentRole.role).where(DocumentRole.document_id == document_id))
    return sorted(rows)


def _may_read(user: Principal, doc: Document, roles: list[str]) -> bool:
    return (
        user.is_admin
        or doc.owner_user_id == user.user_id
        or user.has_any(*roles)
        or (doc.employee_id is not None and user.is_employee(doc.employee_id) and doc.status == "active")
    )


def _may_change(user: Principal, doc: Document, roles: list[str]) -> bool:
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


async def _ticket_readable(session: AsyncSession, user: Principal, doc: Document) -> bool:
    """Whether the caller reads the document as one of the people of a ticket it is attached to."""
    reader = _ticket_reader(user)
    if reader is None or doc.status != "active":
        return False
    found = await session.scalar(select(TicketReader.ticket_id).where(TicketReader.document_id == doc.id, reader))
    return found is not None


def audit(
    session: AsyncSession, user_id: str, action: str, document_id: str | None, version: int | None, **detail: Any
) -> None:
    session.add(
        AuditEntry(
            id=new_id(),
            at=utcnow(),
            user_id=user_id,
            action=action,
            document_id=document_id,
            version=version,
            detail=json.dumps(detail, default=str),
        )
    )


async def _document(session: AsyncSession, document_id: str, *, lock: bool = False) -> Document:
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
    doc = await _document(session, document_id, lock=lock)
    roles = await roles_of(session, doc.id)
    if not _may_read(user, doc, roles) and not await _ticket_readable(session, user, doc):
        raise NotFound("document", document_id)  # no hint that it exists
    return doc, roles


async def changeable(session: AsyncSession, user: Principal, document_id: str) -> tuple[Document, list[str]]:
    doc = await _document(session, document_id, lock=True)
    roles = await roles_of(session, doc.id)
    if not _may_change(user, doc, roles):
        if _may_read(user, doc, roles) or await _ticket_readable(session, user, doc):
            raise Problem(403, f"you may read document {document_id} but not change it", slug="forbidden")
        raise NotFound("document", document_id)
    return doc, roles


# -- helpdesk tickets -----------------------------------------------------------------------------
async def share_with_ticket(session: AsyncSession, envelope: Envelope, data: AttachmentReadersChanged) -> None:
    """Records who may read a ticket's attachments, replacing what an older revision said. Only a document that
    its attacher owns is shared: the helpdesk checks this already, and docs does not take its word for it."""
    share = await session.scalar(
        select(TicketShare)
        .where(TicketShare.ticket_id == data.ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if share is not None and share.revision >= data.revision:
        return  # older news than what is applied
    if share is None:
        session.add(TicketShare(ticket_id=data.ticket_id, revision=data.revision, updated_at=utcnow()))
    else:
        share.revision, share.updated_at = data.revision, utcnow()
    await session.execute(delete(TicketReader).where(TicketReader.ticket_id == data.ticket_id))
    owners = dict(
        (
            await session.execute(
                select(Document.id, Document.owner_user_id).where(
                    Document.id.in_([d.document_id for d in data.documents])
                )
            )
        ).all()
    )
    readers = [("employee", e) for e in sorted(set(data.reader_employee_ids))]
    readers += [("role", r) for r in sorted(set(data.reader_roles)) if r in ROLES]
    for attached in {d.document_id: d for d in data.documents}.values():
        if owners.get(attached.document_id) != attached.attached_by:
            continue  # unknown here, or attached by someone who does not own it: nobody reads it through the ticket
        session.add_all(
            TicketReader(ticket_id=data.ticket_id, document_id=attached.document_id, reader_kind=kind, reader=who[:64])
            for kind, who in readers
        )
        audit(
            session,
            f"helpdesk ticket {data.number}",
            "ticket_readers",
            attached.document_id,
            None,
            ticket_id=data.ticket_id,
            revision=data.revision,
            employees=[who for kind, who in readers if kind == "employee"],
            roles=[who for kind, who in readers if kind == "role"],
        )


# -- reading --------------------------------------------------------------------------------------
async def _version(session: AsyncSession, doc: Document, number: int | None = None) -> DocumentVersion:
    number = number or doc.current_version
    version = await session.scalar(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id, DocumentVersion.number == number)
        .options(defer(DocumentVersion.text))  # the extracted text can be large; loaded only where needed
    )
    if version is None:
        raise NotFound(f"version of document {doc.id}", number)
    return version


async def _text(session: AsyncSession, version: DocumentVersion) -> str:
    return await session.scalar(select(DocumentVersion.text).where(DocumentVersion.id == version.id)) or ""


def _version_read(v: DocumentVersion) -> VersionRead:
    return VersionRead(
        number=v.number,
        filename=v.filename,
        content_type=v.content_type,
        size=v.size,
        sha256=v.sha256,
        created_at=v.created_at,
        created_by=v.created_by,
    )


def _read_with(doc: Document, roles: list[str], version: DocumentVersion) -> DocumentRead:
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
        status=doc.status,  # type: ignore[arg-type]
        legal_hold=doc.legal_hold,
        copied_from_document_id=doc.copied_from_document_id,
        copied_from_version=doc.copied_from_version,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        trashed_at=doc.trashed_at,
        version=_version_read(version),
    )


async def to_read(session: AsyncSession, doc: Document, roles: list[str] | None = None) -> DocumentRead:
    if roles is None:
        roles = await roles_of(session, doc.id)
    return _read_with(doc, roles, await _version(session, doc))


async def read_document(session: AsyncSession, user: Principal, document_id: str) -> DocumentRead:
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
    return VersionPage(items=[_version_read(v) for v in rows], total=total, limit=limit, offset=offset)


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """One byte range of a ``Range`` header, inclusive; None for the whole file. A range that starts past the
    end is a 416; a header we do not understand, an invalid range (``bytes=5-2``: the last byte before the first)
    or several ranges are ignored, as RFC 9110 (14.2) asks."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            raise Problem(
                416,
                "an empty suffix range selects nothing",
                slug="range-not-satisfiable",
                headers={"Content-Range": f"bytes */{size}"},
            )
        return max(size - length, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a range at all: the whole file
    end = min(int(last), size - 1) if last else size - 1
    if start >= size:
        raise Problem(
            416,
            f"the file has {size} bytes",
            slug="range-not-satisfiable",
            headers={"Content-Range": f"bytes */{size}"},
        )
    return start, end


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or is ``*``), compared weakly as RFC 9110 (13.1.2)
    says for this header."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag.removeprefix("W/") in tags


@dataclass
class Download:
    """What a download answers: the version, the range (None: all of it), or that the caller's copy is current."""

    version: DocumentVersion
    span: tuple[int, int] | None
    not_modified: bool

    @property
    def etag(self) -> str:
        return f'"{self.version.sha256}"'


async def open_download(
    session: AsyncSession,
    user: Principal,
    document_id: str,
    number: int | None,
    range_header: str | None,
    if_none_match: str | None = None,
) -> Download:
    doc, _ = await readable(session, user, document_id)
    version = await _version(session, doc, number)
    if version.storage_key is None:
        raise Problem(410, f"the file of document {doc.id} was deleted under its retention policy", slug="deleted")
    if etag_matches(if_none_match, f'"{version.sha256}"'):  # checked before the range, as RFC 9110 (13.2.2) orders
        audit(session, user.user_id, "download", doc.id, version.number, not_modified=True)
        return Download(version, None, True)
    span = parse_range(range_header, version.size)
    audit(session, user.user_id, "download", doc.id, version.number, range=list(span) if span else None)
    return Download(version, span, False)


# -- filing ---------------------------------------------------------------------------------------
def may_file(user: Principal, settings: DocsSettings, doc_type: str, employee_id: str | None) -> None:
    """Who files what: a type with roles (``TYPE_ROLES``: HR's letters and contracts, payroll's payslips and
    invoices …) is filed by those roles and admins; a document about an employee by that employee, the filing
    roles and admins. Anyone else would put papers into HR's lists and a colleague's record under their name."""
    if user.is_admin:
        return
    filers = settings.type_roles.get(doc_type, [])
    if filers and not user.has_any(*filers):
        raise Problem(
            403,
            f"documents of type {doc_type} are filed by {', '.join(filers)}: choose another type for your own papers",
            slug="forbidden",
            field="type",
        )
    if employee_id is not None and not user.is_employee(employee_id) and not user.has_any(*FILING_ROLES):
        raise Problem(
            403,
            f"you may link a document only to yourself (employee_id {user.employee_id or 'empty'}); "
            f"documents about others are filed by {', '.join(FILING_ROLES)}",
            slug="forbidden",
            field="employee_id",
        )


def _fields(fields: dict[str, str]) -> DocumentUpdate:
    def split(value: str | None) -> list[str] | None:
        return [v for v in (value or "").split(",") if v.strip()] if value is not None else None

    try:
        return DocumentUpdate(
            title=fields.get("title") or None,
            type=fields.get("type") or None,
            tags=split(fields.get("tags")),
            folder_id=fields.get("folder_id") or None,
            employee_id=fields.get("employee_id") or None,
            supplier_id=fields.get("supplier_id") or None,
            ticket_id=fields.get("ticket_id") or None,
            roles=[r.strip() for r in split(fields.get("roles")) or []] or None,
        )
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise Problem(422, detail, slug="validation-error") from None


async def _check_folder(session: AsyncSession, folder_id: str | None) -> None:
    if folder_id is not None and await session.get(Folder, folder_id) is None:
        raise NotFound("folder", folder_id)


def _meta(doc: Document) -> str:
    parts = [doc.type.replace("_", " "), *json.loads(doc.tags), doc.employee_id, doc.supplier_id, doc.ticket_id]
    return " ".join(p for p in parts if p)


async def _text_of(ctx: Context, stored: StoredFile) -> str:
    from backoffice.docs.documents.extract import DOCX

    kind = stored.content_type
    if not (kind.startswith("text/") or kind in ("application/pdf", DOCX)):
        return ""  # nothing extract_text reads: not worth fetching the file (from a bucket, say)
    async with ctx.storage.as_file(stored.key) as path:
        return await asyncio.to_thread(extract_text, path, kind, ctx.settings.extracted_text_limit)


async def _reindex(session: AsyncSession, ctx: Context, doc: Document, body: str | None = None) -> None:
    if body is None:
        body = await _text(session, await _version(session, doc))
    await search.index(session, doc.id, doc.title, _meta(doc), body, ctx.settings.search_language)


async def file_document(
    session: AsyncSession,
    ctx: Context,
    *,
    owner: str,
    stored: StoredFile,
    meta: DocumentUpdate,
    source_event_id: str | None = None,
    copied_from: tuple[str, int] | None = None,
    text_body: str | None = None,
    filer: Principal | None = None,
) -> Document:
    """Records a stored file as a new document (version 1) with its roles, index entry and audit line. ``filer``
    is the person who filed it (None: generated by this service); the event carries their roles, so HR knows a
    signed contract filed by HR from one filed by anyone else."""
    await _check_folder(session, meta.folder_id)
    now = utcnow()
    doc_type = meta.type or "other"
    doc = Document(
        id=new_id(),
        title=meta.title or stored.filename,
        type=doc_type,
        tags=json.dumps(meta.tags or [], ensure_ascii=False),
        folder_id=meta.folder_id,
        owner_user_id=owner,
        employee_id=meta.employee_id,
        supplier_id=meta.supplier_id,
        ticket_id=meta.ticket_id,
        current_version=1,
        status="active",
        legal_hold=False,
        copied_from_document_id=copied_from[0] if copied_from else None,
        copied_from_version=copied_from[1] if copied_from else None,
        source_event_id=source_event_id,
        created_at=now,
        updated_at=now,
    )
    session.add(doc)
    roles = meta.roles if meta.roles is not None else ctx.settings.type_roles.get(doc_type, [])
    session.add_all(DocumentRole(document_id=doc.id, role=r) for r in sorted(set(roles)) if r in ROLES)
    body = text_body if text_body is not None else await _text_of(ctx, stored)
    session.add(_new_version(doc.id, 1, stored, body, owner))
    await session.flush()
    await _reindex(session, ctx, doc, body)
    await record_event(
        session,
        Envelope.new(
            events.DOCUMENT_FILED,
            source="docs",
            subject=doc.id,
            data=events.DocumentFiled(
                document_id=doc.id,
                type=doc.type,
                employee_id=doc.employee_id,
                title=doc.title,
                source_event_id=source_event_id,
                filed_by=owner,
                filed_by_roles=sorted(filer.roles) if filer else [],
            ),
        ),
    )
    audit(
        session,
        owner,
        "file" if copied_from is None else "copy",
        doc.id,
        1,
        copied_from=copied_from,
        event=source_event_id,
    )
    return doc


def _new_version(document_id: str, number: int, stored: StoredFile, body: str, by: str) -> DocumentVersion:
    return DocumentVersion(
        id=new_id(),
        document_id=document_id,
        number=number,
        storage_key=stored.key,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        text=body,
        created_at=utcnow(),
        created_by=by,
    )


async def create_from_upload(session: AsyncSession, user: Principal, ctx: Context, upload: Upload) -> DocumentRead:
    assert upload.file is not None
    try:
        meta = _fields(upload.fields)
        if meta.roles and not user.is_admin and not set(meta.roles) <= set(user.roles):
            raise Problem(403, "you can share a document only with roles you hold", slug="forbidden")
        may_file(user, ctx.settings, meta.type or "other", meta.employee_id)
        doc = await file_document(session, ctx, owner=user.user_id, stored=upload.file, meta=meta, filer=user)
        read = await to_read(session, doc)
        await session.commit()  # here, not after the route: a failed commit must not leave the file behind
    except BaseException:
        await ctx.storage.delete(upload.file.key)
        raise
    return read


async def add_version(
    session: AsyncSession, user: Principal, ctx: Context, document_id: str, upload: Upload
) -> DocumentRead:
    """A new file for a document becomes its next version; the older ones stay readable."""
    assert upload.file is not None
    try:
        doc, roles = await changeable(session, user, document_id)
        if doc.status != "active":
            raise Problem(409, f"document {doc.id} is {doc.status}: restore it first", slug="not-active")
        body = await _text_of(ctx, upload.file)
        doc.current_version += 1
        doc.updated_at = utcnow()
        session.add(_new_version(doc.id, doc.current_version, upload.file, body, user.user_id))
        await session.flush()
        await _reindex(session, ctx, doc, body)
        audit(session, user.user_id, "new_version", doc.id, doc.current_version, sha256=upload.file.sha256)
        read = await to_read(session, doc, roles)
        await session.commit()  # a failed commit must not leave the file behind
    except BaseException:
        await ctx.storage.delete(upload.file.key)
        raise
    return read


async def update_document(
    session: AsyncSession, user: Principal, ctx: Context, document_id: str, body: DocumentUpdate
) -> DocumentRead:
    doc, roles = await changeable(session, user, document_id)
    changes = body.model_dump(exclude_unset=True)
    if "type" in changes or "employee_id" in changes:  # as if filed anew: by whom this type and link may be
        may_file(user, ctx.settings, changes.get("type") or doc.type, changes.get("employee_id", doc.employee_id))
    if "folder_id" in changes:
        await _check_folder(session, body.folder_id)
    if "roles" in changes:
        new_roles = sorted(set(body.roles or []))
        added = set(new_roles) - set(roles)
        if added and not user.is_admin and not added <= set(user.roles):
            raise Problem(403, "you can share a document only with roles you hold", slug="forbidden")
        await session.execute(delete(DocumentRole).where(DocumentRole.document_id == doc.id))
        session.add_all(DocumentRole(document_id=doc.id, role=r) for r in new_roles)
        roles = new_roles
    for name in ("title", "type", "folder_id", "employee_id", "supplier_id", "ticket_id"):
        if name in changes:
            if name in ("title", "type") and changes[name] is None:
                raise Problem(422, f"{name} cannot be emptied", slug="validation-error")
            setattr(doc, name, changes[name])
    if "tags" in changes:
        doc.tags = json.dumps(body.tags or [], ensure_ascii=False)
    doc.updated_at = utcnow()
    await session.flush()
    await _reindex(session, ctx, doc)
    audit(session, user.user_id, "update", doc.id, doc.current_version, changes=changes)
    return await to_read(session, doc, roles)


async def copy_document(
    session: AsyncSession, user: Principal, ctx: Context, document_id: str, body: CopyIn
) -> DocumentRead:
    """A new document with its own copy of the file, recording where it came from."""
    doc, roles = await readable(session, user, document_id)
    may_file(user, ctx.settings, doc.type, body.employee_id)  # a copy is filed by the caller
    version = await _version(session, doc, body.version)
    if version.storage_key is None:
        raise Problem(410, f"the file of document {doc.id} was deleted", slug="deleted")
    writer = ctx.storage.writer()
    try:
        async for chunk in ctx.storage.read(version.storage_key):
            await writer.write(chunk)
        key = await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    stored = StoredFile(key, version.filename, version.content_type, version.size, version.sha256)
    meta = DocumentUpdate(
        title=body.title or doc.title,
        type=doc.type,
        tags=json.loads(doc.tags),
        folder_id=body.folder_id,
        employee_id=body.employee_id,
        supplier_id=body.supplier_id,
        ticket_id=body.ticket_id,
        roles=roles,
    )
    try:
        copy = await file_document(
            session,
            ctx,
            owner=user.user_id,
            stored=stored,
            meta=meta,
            copied_from=(doc.id, version.number),
            text_body=await _text(session, version),
            filer=user,
        )
        read = await to_read(session, copy)
        await session.commit()  # a failed commit must not leave the copied file behind
    except BaseException:
        await ctx.storage.delete(key)
        raise
    return read


async def set_trashed(session: AsyncSession, user: Principal, document_id: str, trashed: bool) -> DocumentRead:
    doc, roles = await changeable(session, user, document_id)
    if doc.status == "deleted":
        raise Problem(410, f"document {doc.id} was deleted", slug="deleted")
    if trashed and doc.legal_hold:
        raise Problem(409, f"document {doc.id} is under legal hold", slug="legal-hold")
    if (doc.status == "trashed") == trashed:
        raise Problem(409, f"document {doc.id} is {doc.status} already", slug="same-status")
    doc.status, doc.trashed_at, doc.updated_at = (
        ("trashed", utcnow(), utcnow()) if trashed else ("active", None, utcnow())
    )
    audit(session, user.user_id, "trash" if trashed else "restore", doc.id, doc.current_version)
    return await to_read(session, doc, roles)


async def set_legal_hold(
    session: AsyncSession, user: Principal, document_id: str, hold: bool, reason: str
) -> DocumentRead:
    if not (user.is_admin or user.has_any(*CHANGE_ROLES_OF_HOLD)):
        raise Problem(403, "legal holds are set by HR or an admin", slug="forbidden")
    doc, roles = await readable(session, user, document_id, lock=True)  # not while retention deletes it
    if doc.status == "deleted":
        raise Problem(410, f"document {doc.id} was deleted", slug="deleted")
    doc.legal_hold, doc.updated_at = hold, utcnow()
    audit(session, user.user_id, "legal_hold" if hold else "legal_hold_lifted", doc.id, None, reason=reason)
    return await to_read(session, doc, roles)


# -- finding --------------------------------------------------------------------------------------
def _filters(filters: DocumentFilter, status: str) -> list[ColumnElement[bool]]:
    type, tag, created_from, created_to = filters.type, filters.tag, filters.created_from, filters.created_to
    folder_id, employee_id, supplier_id, ticket_id = (
        filters.folder_id,
        filters.employee_id,
        filters.supplier_id,
        filters.ticket_id,
    )
    conditions: list[ColumnElement[bool]] = [Document.status == status]
    for col, value in (
        (Document.type, type),
        (Document.folder_id, folder_id),
        (Document.employee_id, employee_id),
        (Document.supplier_id, supplier_id),
        (Document.ticket_id, ticket_id),
    ):
        if value is not None:
            conditions.append(col == value)
    if tag:
        # tags are a JSON list: match the quoted tag, its LIKE wildcards taken literally
        forms = {json.dumps(tag.strip().lower(), ensure_ascii=False), json.dumps(tag.strip().lower())}
        escaped = [f.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for f in forms]
        conditions.append(or_(*(Document.tags.like(f"%{e}%", escape="\\") for e in escaped)))
    if created_from:
        conditions.append(Document.created_at >= created_from)
    if created_to:
        conditions.append(Document.created_at < created_to)
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
    conditions = _filters(filters, status)
    scope = visible(user)
    if scope is not None:
        conditions.append(scope)
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
    return DocumentPage(items=await _reads(session, rows), total=total, limit=limit, offset=offset)


async def _reads(session: AsyncSession, docs: Sequence[Document]) -> list[DocumentRead]:
    """A page of documents with their current version and roles: one query each, not two per document."""
    ids = [d.id for d in docs]
    versions = {
        v.document_id: v
        for v in await session.scalars(
            select(DocumentVersion)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(DocumentVersion.document_id.in_(ids), DocumentVersion.number == Document.current_version)
            .options(defer(DocumentVersion.text))
        )
    }
    roles: dict[str, list[str]] = {i: [] for i in ids}
    for document_id, role in (
        await session.execute(
            select(DocumentRole.document_id, DocumentRole.role)
            .where(DocumentRole.document_id.in_(ids))
            .order_by(DocumentRole.role)
        )
    ).all():
        roles[document_id].append(role)
    return [_read_with(d, roles[d.id], versions[d.id]) for d in docs]


def _snippet(body: str, terms: list[str], width: int = 90) -> str | None:
    folded = search.fold(body)  # same length as the body for accented letters, so positions carry over
    positions = [p for p in (folded.find(t) for t in terms) if p >= 0]
    if not positions:
        return None
    start = max(min(positions) - width // 3, 0)
    piece = " ".join(body[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


TOTAL_CAP = 1000  # beyond this a search says "more than 1,000" instead of counting every match
MIN_CANDIDATES = 100  # asked of the index at first: enough for a page of 20 when filters keep a third
MAX_CANDIDATES = 50_000


async def search_documents(
    session: AsyncSession, user: Principal, ctx: Context, q: str, filters: DocumentFilter, *, limit: int, offset: int
) -> SearchPage:
    """Documents with every word of ``q`` (the last may be the start of a word), best first. The index gives the
    best candidates; filters and access rules keep those the caller may see, taking more candidates while the
    page is not full."""
    if not search.words(q):
        raise Problem(422, "give at least one word to search for", slug="empty-query")
    conditions = _filters(filters, "active")
    scope = visible(user)
    if scope is not None:
        conditions.append(scope)
    wanted = offset + limit
    pool = max(wanted * 3, MIN_CANDIDATES)
    while True:
        ranked = await search.ranked(session, q, ctx.settings.search_language, pool)
        scores = dict(ranked)
        place = {document_id: n for n, (document_id, _) in enumerate(ranked)}
        kept = (
            (await session.scalars(select(Document).where(Document.id.in_(list(scores)), *conditions))).all()
            if scores
            else []
        )
        if len(kept) >= wanted or len(ranked) < pool or pool >= MAX_CANDIDATES:
            break
        pool *= 4
    ordered = sorted(kept, key=lambda d: place[d.id])[offset:wanted]
    rows = [(doc, scores[doc.id]) for doc in ordered]
    match_sql, match_params = search.matching_sql(session, q, ctx.settings.search_language)
    matching = text(match_sql).bindparams(**match_params).columns(column("document_id", String)).subquery()
    counted = (
        select(Document.id)
        .join(matching, matching.c.document_id == Document.id)
        .where(*conditions)
        .limit(TOTAL_CAP + 1)
    )
    total = await session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    terms = search.words(q)
    ids = [doc.id for doc, _ in rows]
    # One query each for the page's current versions (with the start of their text) and roles.
    versions = {
        v.document_id: (v, excerpt)
        for v, excerpt in (
            await session.execute(
                select(DocumentVersion, func.substr(DocumentVersion.text, 1, 20000))
                .join(Document, Document.id == DocumentVersion.document_id)
                .where(DocumentVersion.document_id.in_(ids), DocumentVersion.number == Document.current_version)
                .options(defer(DocumentVersion.text))
            )
        ).all()
    }
    roles: dict[str, list[str]] = {i: [] for i in ids}
    for document_id, role in (
        await session.execute(
            select(DocumentRole.document_id, DocumentRole.role).where(DocumentRole.document_id.in_(ids))
        )
    ).all():
        roles[document_id].append(role)
    items = []
    for doc, score in rows:
        version, excerpt = versions[doc.id]
        items.append(
            SearchHit(
                document=_read_with(doc, sorted(roles[doc.id]), version),
                score=float(score),
                snippet=_snippet(excerpt or "", terms),
            )
        )
    audit(session, user.user_id, "search", None, None, q=q, results=min(total, TOTAL_CAP))
    return SearchPage(
        items=items, total=min(total, TOTAL_CAP), total_is_exact=total <= TOTAL_CAP, limit=limit, offset=offset
    )


PATH_LIMIT = 2000  # the length of folders.path


# -- folders and audit ----------------------------------------------------------------------------
async def create_folder(session: AsyncSession, user: Principal, body: FolderIn) -> FolderRead:
    if not (user.is_admin or user.has_any(*FILING_ROLES)):
        raise Problem(403, f"folders are organised by {', '.join(FILING_ROLES)} and admins", slug="forbidden")
    parent_path = ""
    if body.parent_id is not None:
        parent = await session.get(Folder, body.parent_id)
        if parent is None:
            raise NotFound("folder", body.parent_id)
        parent_path = parent.path
    path = f"{parent_path}/{body.name.strip()}"
    if len(path) > PATH_LIMIT:
        raise Problem(
            422,
            f"the folder's path would be {len(path)} characters, over {PATH_LIMIT}: nest less deeply",
            slug="path-too-long",
        )
    folder = Folder(
        id=new_id(),
        name=body.name.strip(),
        parent_id=body.parent_id,
        path=path,
        created_at=utcnow(),
        created_by=user.user_id,
    )
    session.add(folder)
    await flush_or_conflict(session, f"folder {folder.path} exists", slug="folder-exists")
    return FolderRead(
        id=folder.id, name=folder.name, parent_id=folder.parent_id, path=folder.path, created_at=folder.created_at
    )


async def ensure_folder(session: AsyncSession, names: list[str], *, by: str) -> Folder:
    """The folder at ``/names[0]/names[1]/…``, made with its parents where missing (for documents filed by
    events, such as each employee's folder). Names are tidied (a '/' inside one becomes '-')."""
    folder: Folder | None = None
    path = ""
    for raw in names:
        name = tidy_name(raw)
        path = f"{path}/{name}"
        found = await session.scalar(select(Folder).where(Folder.path == path))
        if found is None:
            found = Folder(
                id=new_id(),
                name=name,
                parent_id=folder.id if folder else None,
                path=path,
                created_at=utcnow(),
                created_by=by,
            )
            session.add(found)
            await session.flush()
        folder = found
    assert folder is not None, "at least one folder name"
    return folder


FILING_ROLES = ("hr", "payroll", "office")  # they organise the folders; others see only where their documents are


async def list_folders(session: AsyncSession, user: Principal, limit: int, offset: int) -> FolderPage:
    """Every folder for admins and the filing roles; for anyone else (folder names such as an employee's own
    say who works here) the folders holding a document they may read, with the folders above them."""
    rows = (await session.scalars(select(Folder).order_by(Folder.path))).all()
    if not (user.is_admin or user.has_any(*FILING_ROLES)):
        scope = visible(user)
        holding = select(Document.folder_id).where(Document.folder_id.is_not(None), Document.status == "active")
        if scope is not None:
            holding = holding.where(scope)
        paths = {f.path for f in rows if f.id in set((await session.scalars(holding.distinct())).all())}
        rows = [f for f in rows if any(p == f.path or p.startswith(f.path + "/") for p in paths)]
    items, total = slice_page(rows, limit, offset)
    return FolderPage(
        items=[
            FolderRead(id=f.id, name=f.name, parent_id=f.parent_id, path=f.path, created_at=f.created_at) for f in items
        ],
        total=total,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True)
class AuditFilter:
    """What an audit listing narrows to; every one given must hold. ``since`` and ``to`` are days in ``zone``,
    both included."""

    document_id: str | None = None
    user_id: str | None = None
    action: str | None = None
    since: date | None = None
    to: date | None = None
    zone: tzinfo = UTC

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.document_id is not None:
            where.append(AuditEntry.document_id == self.document_id)
        if self.user_id is not None:
            where.append(AuditEntry.user_id == self.user_id)
        if self.action is not None:
            where.append(AuditEntry.action == self.action)
        if self.since is not None:
            where.append(AuditEntry.at >= datetime.combine(self.since, time.min, self.zone).astimezone(UTC))
        if self.to is not None:
            where.append(
                AuditEntry.at < datetime.combine(self.to + timedelta(days=1), time.min, self.zone).astimezone(UTC)
            )
        return where


async def audit_trail(
    session: AsyncSession, user: Principal, document_id: str | None, where: AuditFilter, limit: int, offset: int
) -> AuditPage:
    """Audit entries, newest first, narrowed by ``where``: a document's trail for those who may change it; the
    whole log (``document_id`` None) for admins."""
    conditions = where.conditions()
    if document_id is not None:
        doc = await _document(session, document_id)
        roles = await roles_of(session, doc.id)
        if not _may_change(user, doc, roles):
            raise NotFound("document", document_id)
        conditions.append(AuditEntry.document_id == doc.id)
    elif not user.is_admin:
        raise Problem(403, "the whole audit log is for admins; ask for one document's trail", slug="forbidden")
    query = select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    items = [
        AuditRead(
            at=a.at,
            user_id=a.user_id,
            action=a.action,
            document_id=a.document_id,
            version=a.version,
            detail=json.loads(a.detail),
        )
        for a in rows
    ]
    return AuditPage(items=items, total=total, limit=limit, offset=offset)
