"""``/documents``, ``/search``, ``/audit``: filing and finding documents."""

from __future__ import annotations

import re
from datetime import date, tzinfo
from typing import Annotated, Any
from urllib.parse import quote

from backoffice.docs.context import ContextDep
from backoffice.docs.documents import reading
from backoffice.docs.documents.access import changeable
from backoffice.docs.documents.audit import AuditFilter, audit_trail
from backoffice.docs.documents.download import open_download
from backoffice.docs.documents.filing import (
    add_version,
    copy_document,
    create_from_upload,
    set_legal_hold,
    set_trashed,
    update_document,
)
from backoffice.docs.documents.schemas import (
    AuditPage,
    CopyCreate,
    DocumentFilter,
    DocumentPage,
    DocumentRead,
    DocumentUpdate,
    SearchPage,
    VersionPage,
)
from backoffice.docs.documents.search import search_documents
from backoffice.docs.documents.upload import receive
from backoffice.docs.names import tidy_name
from backoffice.docs.numbers import INT32_MAX
from backoffice.docs.storage import Storage, StorageDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import ROLES, CurrentUser, Principal
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep, WriteSessionDep
from backoffice.shared.deps import CompanyZone
from backoffice.shared.errors import Unprocessable
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

router = APIRouter(tags=["documents"])

# A comma-separated list of roles, as the upload's ``roles`` field is read: items blank or one role each, spaces
# around them ignored.
_ROLE = "|".join(ROLES)
ROLES_LIST_PATTERN = rf"^\s*(?:{_ROLE})?\s*(?:,\s*(?:{_ROLE})?\s*)*$"

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "minLength": 1, "description": "not empty"},
                        "title": {"type": "string", "maxLength": 300, "description": "the file's name if empty"},
                        "type": {
                            "type": "string",
                            "pattern": "^[a-z0-9_]{0,60}$",
                            "description": "payslip, contract, letter, … (lower case, digits, '_'; other if empty)",
                        },
                        "tags": {
                            "type": "string",
                            "description": "comma-separated: at most 50 tags of at most 60 characters each",
                        },
                        "folder_id": {"type": "string", "description": "an existing folder"},
                        "employee_id": {
                            "type": "string",
                            "maxLength": 64,
                            "description": "the employee it concerns (may read it)",
                        },
                        "supplier_id": {"type": "string", "maxLength": 64},
                        "ticket_id": {"type": "string", "maxLength": 64},
                        "roles": {
                            "type": "string",
                            "pattern": ROLES_LIST_PATTERN,
                            "description": "comma-separated roles that may read and change it (roles you hold)",
                        },
                    },
                }
            }
        },
    }
}


# Types a browser shows without running anything; every other type (HTML, SVG, XML, JavaScript, …) is sent as
# bytes to save, so a file someone uploaded cannot act as a page of the suite.
PASSIVE_TYPES = re.compile(
    r"^(text/plain|text/csv|application/pdf|application/json|application/zip|image/(png|jpeg|gif|webp|bmp|tiff)"
    r"|application/msword|application/vnd\.(openxmlformats-officedocument|oasis\.opendocument|ms-excel)[\w.+-]*)$"
)


def served_type(content_type: str) -> str:
    passive = PASSIVE_TYPES.match(content_type.split(";")[0].strip().lower())
    return content_type if passive else "application/octet-stream"


def download_name(filename: str) -> str:
    """The stored name without any directory part (names filed before they were checked may have one)."""
    return tidy_name(re.split(r"[/\\]", filename)[-1], 300)


Status = Annotated[str, Query(pattern="^(active|trashed|deleted)$")]


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentRead,
    summary="Upload (file) a document",
    openapi_extra=UPLOAD_BODY,
)
async def upload(user: CurrentUser, session: SessionDep, request: Request, ctx: ContextDep) -> DocumentRead:
    received = await receive(request, ctx.storage, ctx.settings.max_upload_bytes)
    return await name_actors(session, await create_from_upload(session, user, ctx, received))


@router.get("/documents", response_model=DocumentPage, summary="Documents you may read, newest first")
async def list_documents(
    user: CurrentUser,
    session: WriteSessionDep,  # the listing is audited
    filters: Annotated[DocumentFilter, Query()],
    status: Status = "active",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> DocumentPage:
    return await name_actors(
        session, await reading.list_documents(session, user, filters, status=status, limit=limit, offset=offset)
    )


@router.get(
    "/search",
    response_model=SearchPage,
    summary="Full-text search, best match first",
    description="Also checked, beyond what the schema says: q must hold at least one word the full-text index keeps.",
)
async def search(
    user: CurrentUser,
    session: WriteSessionDep,
    ctx: ContextDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    filters: Annotated[DocumentFilter, Query()],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> SearchPage:
    return await name_actors(
        session, await search_documents(session, user, ctx, q, filters, limit=limit, offset=offset)
    )


@router.get("/documents/{document_id}", response_model=DocumentRead, summary="A document's metadata")
async def read(document_id: str, user: CurrentUser, session: WriteSessionDep) -> DocumentRead:
    return await name_actors(session, await reading.read_document(session, user, document_id))


@router.patch(
    "/documents/{document_id}",
    response_model=DocumentRead,
    summary="Change title, links, tags, roles",
    description="Also checked, beyond what the schema says: title and type may be left out, not emptied.",
)
async def update(
    document_id: str, body: DocumentUpdate, user: CurrentUser, session: SessionDep, ctx: ContextDep
) -> DocumentRead:
    return await name_actors(session, await update_document(session, user, ctx, document_id, body))


@router.get("/documents/{document_id}/versions", response_model=VersionPage, summary="Every version, newest first")
async def versions(
    document_id: str, user: CurrentUser, session: WriteSessionDep, limit: Limit = 100, offset: Offset = 0
) -> VersionPage:
    return await name_actors(session, await reading.versions(session, user, document_id, limit, offset))


@router.post(
    "/documents/{document_id}/versions",
    response_model=DocumentRead,
    summary="Upload the next version",
    openapi_extra=UPLOAD_BODY,
)
async def new_version(
    document_id: str, user: CurrentUser, session: SessionDep, request: Request, ctx: ContextDep
) -> DocumentRead:
    # Refuse before receiving a large body: only those who may change the document may send a version. The check's
    # transaction ends before the body comes: a slow upload must not hold the document's lock (or, on SQLite, the
    # database's write lock) for minutes. add_version checks again, with the lock, once the file is stored.
    await changeable(session, user, document_id)
    await session.rollback()
    received = await receive(request, ctx.storage, ctx.settings.max_upload_bytes)
    return await name_actors(session, await add_version(session, user, ctx, document_id, received))


# A document is sent back in the type it was filed as (PDF, DOCX, an image, text, ...): any type.
FILE_CONTENT = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the file, as an attachment, in the type it was filed as; active content (HTML, SVG, XML, "
        "scripts…) as application/octet-stream",
        "content": FILE_CONTENT,
    },
    206: {"description": "the range asked for", "content": FILE_CONTENT},
    304: {"description": "If-None-Match names the version's ETag: the copy the client has is current"},
}


async def _download(
    document_id: str,
    user: Principal,
    session: AsyncSession,
    request: Request,
    storage: Storage,
    version: int | None,
    *,
    body: bool,
) -> Response:
    found = await open_download(
        session, user, document_id, version, request.headers.get("range"), request.headers.get("if-none-match")
    )
    stored, span = found.version, found.span
    assert stored.storage_key is not None
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": found.etag,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(download_name(stored.filename))}",
        # Uploaded files are the uploader's content: never sniffed, never run as a page of this origin.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }
    if found.not_modified:
        return Response(status_code=304, headers=headers)
    start, end = span if span else (0, stored.size - 1)
    headers["Content-Length"] = str(end - start + 1)
    if span:
        headers["Content-Range"] = f"bytes {start}-{end}/{stored.size}"
    status, media_type = 206 if span else 200, served_type(stored.content_type)
    if not body:  # HEAD: the same headers, Content-Length included, and no body
        return Response(status_code=status, media_type=media_type, headers=headers)
    return StreamingResponse(
        storage.read(stored.storage_key, start, end), status_code=status, media_type=media_type, headers=headers
    )


@router.get(
    "/documents/{document_id}/content",
    response_class=StreamingResponse,
    summary="Download (a version); supports Range and If-None-Match",
    responses=DOWNLOAD_RESPONSES,
)
async def download(
    document_id: str,
    user: CurrentUser,
    session: WriteSessionDep,
    request: Request,
    storage: StorageDep,
    version: Annotated[int | None, Query(ge=1, le=INT32_MAX)] = None,
) -> Response:
    return await _download(document_id, user, session, request, storage, version, body=True)


@router.head(
    "/documents/{document_id}/content",
    response_class=Response,
    summary="A download's headers (size, type, ETag) without the file",
    responses=DOWNLOAD_RESPONSES,
)
async def download_headers(
    document_id: str,
    user: CurrentUser,
    session: WriteSessionDep,
    request: Request,
    storage: StorageDep,
    version: Annotated[int | None, Query(ge=1, le=INT32_MAX)] = None,
) -> Response:
    return await _download(document_id, user, session, request, storage, version, body=False)


@router.post("/documents/{document_id}/copy", status_code=201, response_model=DocumentRead, summary="Copy")
async def copy(
    document_id: str, body: CopyCreate, user: CurrentUser, session: SessionDep, ctx: ContextDep
) -> DocumentRead:
    return await name_actors(session, await copy_document(session, user, ctx, document_id, body))


@router.post("/documents/{document_id}/trash", response_model=DocumentRead, summary="Move to the trash")
async def trash(document_id: str, user: CurrentUser, session: SessionDep) -> DocumentRead:
    return await name_actors(session, await set_trashed(session, user, document_id, True))


@router.post("/documents/{document_id}/restore", response_model=DocumentRead, summary="Take out of the trash")
async def restore(document_id: str, user: CurrentUser, session: SessionDep) -> DocumentRead:
    return await name_actors(session, await set_trashed(session, user, document_id, False))


class LegalHoldUpdate(BaseModel):
    hold: bool
    reason: str = Field(min_length=1, max_length=2000)


@router.put("/documents/{document_id}/legal-hold", response_model=DocumentRead, summary="Set or lift a legal hold")
async def legal_hold(document_id: str, body: LegalHoldUpdate, user: CurrentUser, session: SessionDep) -> DocumentRead:
    return await name_actors(session, await set_legal_hold(session, user, document_id, body.hold, body.reason))


Actor = Annotated[str | None, Query(max_length=100, description="only what this login did (the entries' user_id)")]
Action = Annotated[str | None, Query(max_length=30, description="only this action, e.g. read, download, trash")]
Since = Annotated[IsoDate | None, Query(alias="from", description="first day (YYYY-MM-DD, company time), included")]
Until = Annotated[IsoDate | None, Query(alias="to", description="last day (YYYY-MM-DD, company time), included")]


def audit_filter(
    zone: tzinfo,
    document_id: str | None,
    user_id: str | None,
    action: str | None,
    since: date | None,
    to: date | None,
) -> AuditFilter:
    """The filters of an audit listing, or a 422 when the period ends before it starts."""
    if since is not None and to is not None and to < since:
        raise Unprocessable(f"'to' ({to}) is before 'from' ({since})", slug="date-range")
    return AuditFilter(
        document_id=document_id,
        user_id=user_id,
        action=action,
        since=since,
        to=to,
        zone=zone,
    )


@router.get("/documents/{document_id}/audit", response_model=AuditPage, summary="Who read and changed it, newest first")
async def document_audit(
    document_id: str,
    user: CurrentUser,
    session: SessionDep,
    zone: CompanyZone,
    user_id: Actor = None,
    action: Action = None,
    since: Since = None,
    to: Until = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> AuditPage:
    where = audit_filter(zone, None, user_id, action, since, to)
    return await name_actors(session, await audit_trail(session, user, document_id, where, limit, offset))


@router.get("/audit", response_model=AuditPage, summary="The whole audit log (admins), newest first")
async def audit_log(
    user: CurrentUser,
    session: SessionDep,
    zone: CompanyZone,
    document_id: Annotated[str | None, Query(max_length=64, description="only this document's entries")] = None,
    user_id: Actor = None,
    action: Action = None,
    since: Since = None,
    to: Until = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> AuditPage:
    where = audit_filter(zone, document_id, user_id, action, since, to)
    return await name_actors(session, await audit_trail(session, user, None, where, limit, offset))
