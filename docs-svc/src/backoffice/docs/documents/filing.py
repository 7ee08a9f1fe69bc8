"""Filing documents: new ones from uploads, copies and events, their next versions, changes of their metadata,
the trash and legal holds. Whatever is filed is indexed for search and audited."""

from __future__ import annotations

import asyncio
import json

from backoffice.docs.context import Context
from backoffice.docs.documents import search
from backoffice.docs.documents.access import changeable, readable
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.extract import DOCX, extract_text
from backoffice.docs.documents.models import Document, DocumentRole, DocumentVersion
from backoffice.docs.documents.reading import text_of, to_read, version_of
from backoffice.docs.documents.schemas import CopyCreate, DocumentRead, DocumentUpdate
from backoffice.docs.documents.upload import StoredFile, Upload
from backoffice.docs.events import emit
from backoffice.docs.folders.service import FILING_ROLES, check_folder
from backoffice.docs.settings import DocsSettings
from backoffice.shared.auth import ROLES, Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict, Forbidden, Problem, Unprocessable
from backoffice.shared.events.docs import DocumentFiled
from backoffice.shared.ids import new_id
from pydantic import ValidationError
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

CHANGE_ROLES_OF_HOLD = ("hr",)  # besides admins, who may put documents under legal hold


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


def _may_share(user: Principal, roles: set[str]) -> None:
    if roles and not user.is_admin and not roles <= set(user.roles):
        raise Forbidden("you can share a document only with roles you hold", slug="forbidden")


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
        raise Unprocessable(detail, slug="validation-error") from None


def _meta(doc: Document) -> str:
    parts = [doc.type.replace("_", " "), *json.loads(doc.tags), doc.employee_id, doc.supplier_id, doc.ticket_id]
    return " ".join(p for p in parts if p)


async def _extracted(ctx: Context, stored: StoredFile) -> str:
    kind = stored.content_type
    if not (kind.startswith("text/") or kind in ("application/pdf", DOCX)):
        return ""  # nothing extract_text reads: not worth fetching the file (from a bucket, say)
    async with ctx.storage.as_file(stored.key) as path:
        return await asyncio.to_thread(extract_text, path, kind, ctx.settings.extracted_text_limit)


async def _reindex(session: AsyncSession, ctx: Context, doc: Document, body: str | None = None) -> None:
    if body is None:
        body = await text_of(session, await version_of(session, doc))
    await search.index(session, doc.id, doc.title, _meta(doc), body, ctx.settings.search_language)


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
    await check_folder(session, meta.folder_id)
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
    body = text_body if text_body is not None else await _extracted(ctx, stored)
    session.add(_new_version(doc.id, 1, stored, body, owner))
    await session.flush()
    await _reindex(session, ctx, doc, body)
    await emit(
        session,
        DocumentFiled(
            document_id=doc.id,
            type=doc.type,
            employee_id=doc.employee_id,
            title=doc.title,
            source_event_id=source_event_id,
            filed_by=owner,
            filed_by_roles=sorted(filer.roles) if filer else [],
        ),
        subject=doc.id,
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


async def create_from_upload(session: AsyncSession, user: Principal, ctx: Context, upload: Upload) -> DocumentRead:
    """Files an uploaded file as a new document of the caller's and commits; the stored file is deleted when
    anything fails."""
    assert upload.file is not None
    try:
        meta = _fields(upload.fields)
        _may_share(user, set(meta.roles or []))
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
            raise Conflict(f"document {doc.id} is {doc.status}: restore it first", slug="not-active")
        body = await _extracted(ctx, upload.file)
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


async def _replace_roles(
    session: AsyncSession, user: Principal, doc: Document, roles: list[str], wanted: list[str] | None
) -> list[str]:
    new_roles = sorted(set(wanted or []))
    _may_share(user, set(new_roles) - set(roles))
    await session.execute(delete(DocumentRole).where(DocumentRole.document_id == doc.id))
    session.add_all(DocumentRole(document_id=doc.id, role=r) for r in new_roles)
    return new_roles


async def update_document(
    session: AsyncSession, user: Principal, ctx: Context, document_id: str, body: DocumentUpdate
) -> DocumentRead:
    """Changes the metadata given in ``body`` (title, type, links, tags, roles) of a document the caller may
    change, with the checks filing it anew would make."""
    doc, roles = await changeable(session, user, document_id)
    changes = body.model_dump(exclude_unset=True)
    if "type" in changes or "employee_id" in changes:  # as if filed anew: by whom this type and link may be
        may_file(user, ctx.settings, changes.get("type") or doc.type, changes.get("employee_id", doc.employee_id))
    if "folder_id" in changes:
        await check_folder(session, body.folder_id)
    if "roles" in changes:
        roles = await _replace_roles(session, user, doc, roles, body.roles)
    for name in ("title", "type", "folder_id", "employee_id", "supplier_id", "ticket_id"):
        if name in changes:
            if name in ("title", "type") and changes[name] is None:
                raise Unprocessable(f"{name} cannot be emptied", slug="validation-error")
            setattr(doc, name, changes[name])
    if "tags" in changes:
        doc.tags = json.dumps(body.tags or [], ensure_ascii=False)
    doc.updated_at = utcnow()
    await session.flush()
    await _reindex(session, ctx, doc)
    audit(session, user.user_id, "update", doc.id, doc.current_version, changes=changes)
    return await to_read(session, doc, roles)


async def _copy_file(ctx: Context, version: DocumentVersion) -> StoredFile:
    """A copy of a version's file in storage, streamed."""
    assert version.storage_key is not None
    writer = ctx.storage.writer()
    try:
        async for chunk in ctx.storage.read(version.storage_key):
            await writer.write(chunk)
        key = await writer.commit()
    except BaseException:
        await writer.abort()
        raise
    return StoredFile(key, version.filename, version.content_type, version.size, version.sha256)


async def copy_document(
    session: AsyncSession, user: Principal, ctx: Context, document_id: str, body: CopyCreate
) -> DocumentRead:
    """A new document with its own copy of the file, recording where it came from."""
    doc, roles = await readable(session, user, document_id)
    may_file(user, ctx.settings, doc.type, body.employee_id)  # a copy is filed by the caller
    version = await version_of(session, doc, body.version)
    if version.storage_key is None:
        raise Problem(410, f"the file of document {doc.id} was deleted", slug="deleted")
    stored = await _copy_file(ctx, version)
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
            text_body=await text_of(session, version),
            filer=user,
        )
        read = await to_read(session, copy)
        await session.commit()  # a failed commit must not leave the copied file behind
    except BaseException:
        await ctx.storage.delete(stored.key)
        raise
    return read


async def set_trashed(session: AsyncSession, user: Principal, document_id: str, trashed: bool) -> DocumentRead:
    """Moves a document the caller may change to the trash, or takes it out; a 409 under legal hold or when it
    is there already."""
    doc, roles = await changeable(session, user, document_id)
    if doc.status == "deleted":
        raise Problem(410, f"document {doc.id} was deleted", slug="deleted")
    if trashed and doc.legal_hold:
        raise Conflict(f"document {doc.id} is under legal hold", slug="legal-hold")
    if (doc.status == "trashed") == trashed:
        raise Conflict(f"document {doc.id} is {doc.status} already", slug="same-status")
    now = utcnow()
    doc.status, doc.trashed_at, doc.updated_at = ("trashed", now, now) if trashed else ("active", None, now)
    audit(session, user.user_id, "trash" if trashed else "restore", doc.id, doc.current_version)
    return await to_read(session, doc, roles)


async def set_legal_hold(
    session: AsyncSession, user: Principal, document_id: str, hold: bool, reason: str
) -> DocumentRead:
    """Puts a document under legal hold (retention and the trash leave it alone) or lifts the hold: HR and
    admins only."""
    if not (user.is_admin or user.has_any(*CHANGE_ROLES_OF_HOLD)):
        raise Forbidden("legal holds are set by HR or an admin", slug="forbidden")
    doc, roles = await readable(session, user, document_id, lock=True)  # not while retention deletes it
    if doc.status == "deleted":
        raise Problem(410, f"document {doc.id} was deleted", slug="deleted")
    doc.legal_hold, doc.updated_at = hold, utcnow()
    audit(session, user.user_id, "legal_hold" if hold else "legal_hold_lifted", doc.id, None, reason=reason)
    return await to_read(session, doc, roles)
