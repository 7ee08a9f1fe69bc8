"""The audit log: every read and change of a document, and who may read which part of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from backoffice.docs.documents.access import document, may_change, roles_of
from backoffice.docs.documents.models import AuditEntry
from backoffice.docs.documents.schemas import AuditPage, AuditRead
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Forbidden, NotFound
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement


def audit(
    session: AsyncSession, user_id: str, action: str, document_id: str | None, version: int | None, **detail: object
) -> None:
    """Adds an entry to the audit log, in the caller's transaction; ``detail`` is stored as JSON."""
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
        for col, value in (
            (AuditEntry.document_id, self.document_id),
            (AuditEntry.user_id, self.user_id),
            (AuditEntry.action, self.action),
        ):
            if value is not None:
                where.append(col == value)
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
        doc = await document(session, document_id)
        roles = await roles_of(session, doc.id)
        if not may_change(user, doc, roles):
            raise NotFound("document", document_id)
        conditions.append(AuditEntry.document_id == doc.id)
    elif not user.is_admin:
        raise Forbidden("the whole audit log is for admins; ask for one document's trail", slug="forbidden")
    query = select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    items = [AuditRead.model_validate(a, from_attributes=True) for a in rows]
    return AuditPage(items=items, total=total, limit=limit, offset=offset)
