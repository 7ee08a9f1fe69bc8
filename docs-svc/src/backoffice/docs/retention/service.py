"""Retention: documents of a type go to the trash N days after filing and their files are deleted M days after
filing; a legal hold stops both. The record of a deleted document (metadata, versions' hashes, audit trail)
stays; only the files and their text go."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from backoffice.docs.context import Context
from backoffice.docs.documents import search
from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import Document, DocumentVersion
from backoffice.docs.retention.models import RetentionPolicy
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, get_or_404, utcnow
from backoffice.shared.errors import Forbidden
from backoffice.shared.paging import Page, fetch_page
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.docs.retention")


class PolicyUpdate(BaseModel):
    trash_after_days: int = Field(ge=0, le=36500, strict=True)  # strict: `false` is no number of days
    delete_after_days: int = Field(ge=0, le=36500, strict=True)

    @model_validator(mode="after")
    def _order(self) -> PolicyUpdate:
        if self.delete_after_days < self.trash_after_days:
            raise ValueError("delete_after_days cannot come before trash_after_days")
        return self


class PolicyRead(PolicyUpdate):
    type: str
    updated_at: datetime


class PolicyPage(Page[PolicyRead]):
    """Retention policies, by document type."""


class RunRead(BaseModel):
    trashed: int
    deleted: int
    held: int = Field(description="documents due for retention but under legal hold")


def _admin(user: Principal) -> None:
    if not user.is_admin:
        raise Forbidden("retention policies are set by admins", slug="forbidden")


async def save_policy(session: AsyncSession, user: Principal, doc_type: str, body: PolicyUpdate) -> PolicyRead:
    """Sets how long documents of a type are kept (admins only)."""
    _admin(user)
    row = await session.get(RetentionPolicy, doc_type)
    if row is None:
        row = RetentionPolicy(type=doc_type)
        session.add(row)
    row.trash_after_days, row.delete_after_days = body.trash_after_days, body.delete_after_days
    row.updated_at, row.updated_by = utcnow(), user.user_id
    await session.flush()
    return PolicyRead(type=doc_type, **body.model_dump(), updated_at=row.updated_at)


async def list_policies(session: AsyncSession, limit: int, offset: int) -> PolicyPage:
    """Retention policies, by document type."""
    rows, total = await fetch_page(session, select(RetentionPolicy).order_by(RetentionPolicy.type), limit, offset)
    items = [PolicyRead.model_validate(r, from_attributes=True) for r in rows]
    return PolicyPage(items=items, total=total, limit=limit, offset=offset)


async def delete_policy(session: AsyncSession, user: Principal, doc_type: str) -> None:
    """Removes a type's policy, so its documents are kept for ever (admins only)."""
    _admin(user)
    await session.delete(await get_or_404(session, RetentionPolicy, doc_type))


async def apply(db: Database, ctx: Context, now: datetime | None = None) -> RunRead:
    """One pass over every policy. Files are deleted after the database says so (a crash leaves a file, never
    a document that points at nothing)."""
    now = now or utcnow()
    trashed = deleted = held = 0
    doomed: list[str] = []
    async with db.session(write=True) as session:
        for policy in (await session.scalars(select(RetentionPolicy))).all():
            due_trash = now - timedelta(days=policy.trash_after_days)
            due_delete = now - timedelta(days=policy.delete_after_days)
            query = select(Document).where(
                Document.type == policy.type,
                Document.status.in_(("active", "trashed")),
                Document.created_at <= due_trash,
            )
            if not db.is_sqlite:
                # a legal hold set meanwhile waits for this pass, and this pass sees it if it came first
                query = query.with_for_update().execution_options(populate_existing=True)
            rows = (await session.scalars(query)).all()
            for doc in rows:
                if doc.legal_hold:
                    held += 1
                    continue
                if doc.status == "active":
                    doc.status, doc.trashed_at, doc.updated_at = "trashed", now, now
                    audit(session, "retention", "retention_trash", doc.id, None, policy=policy.type)
                    trashed += 1
                if doc.created_at <= due_delete:
                    versions = (
                        await session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc.id))
                    ).all()
                    for version in versions:
                        if version.storage_key:
                            doomed.append(version.storage_key)
                        version.storage_key, version.text = None, ""
                    doc.status, doc.updated_at = "deleted", now
                    await search.remove(session, doc.id)
                    audit(session, "retention", "retention_delete", doc.id, None, policy=policy.type)
                    deleted += 1
    for key in doomed:
        await ctx.storage.delete(key)
    return RunRead(trashed=trashed, deleted=deleted, held=held)


async def apply_forever(db: Database, ctx: Context) -> None:
    """Applies the policies now and then until cancelled; a failed pass is logged and tried again later."""
    while True:
        try:
            result = await apply(db, ctx)
            if result.trashed or result.deleted:
                log.info("retention: %d trashed, %d deleted", result.trashed, result.deleted)
        except Exception as exc:
            log.warning("retention pass failed: %s", exc)
        await asyncio.sleep(ctx.settings.retention_interval_s)
