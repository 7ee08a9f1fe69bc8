"""``/retention-policies`` and ``/retention/run``."""

from __future__ import annotations

from typing import Annotated

from backoffice.docs.context import ContextDep
from backoffice.docs.database import DatabaseDep
from backoffice.docs.retention import service
from backoffice.docs.retention.access import AccessRead, document_access
from backoffice.docs.retention.service import PolicyPage, PolicyRead, PolicyUpdate, RunRead
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import CurrentUser, require_roles
from backoffice.shared.db import SessionDep
from backoffice.shared.errors import Forbidden
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Path, Response

router = APIRouter(tags=["retention"])
DocType = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$")]


@router.put(
    "/retention-policies/{doc_type}",
    response_model=PolicyRead,
    summary="Keep documents of a type so long",
    description="Also checked, beyond what the schema says: delete_after_days is not below trash_after_days.",
)
async def save(doc_type: DocType, body: PolicyUpdate, user: CurrentUser, session: SessionDep) -> PolicyRead:
    return await service.save_policy(session, user, doc_type, body)


@router.get(
    "/retention-policies",
    response_model=PolicyPage,
    dependencies=[Depends(require_roles("office", "hr", "payroll"))],
    summary="Retention policies, by document type",
)
async def list_policies(session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> PolicyPage:
    return await service.list_policies(session, limit, offset)


@router.delete("/retention-policies/{doc_type}", status_code=204, summary="Keep documents of a type for ever")
async def delete(doc_type: DocType, user: CurrentUser, session: SessionDep) -> Response:
    await service.delete_policy(session, user, doc_type)
    return Response(status_code=204)


@router.post("/retention/run", response_model=RunRead, summary="Apply the policies now (admins)")
async def run(user: CurrentUser, ctx: ContextDep, db: DatabaseDep) -> RunRead:
    if not user.is_admin:
        raise Forbidden("retention is run by admins", slug="forbidden")
    return await service.apply(db, ctx)


@router.get(
    "/documents/{document_id}/access",
    response_model=AccessRead,
    tags=["documents"],
    summary="Who reads and changes it, and when retention takes it",
)
async def access(document_id: str, user: CurrentUser, session: SessionDep) -> AccessRead:
    return await name_actors(session, await document_access(session, user, document_id))
