"""Helpdesk tickets: the people of a ticket read the documents attached to it, as the helpdesk tells us."""

from __future__ import annotations

from backoffice.docs.documents.audit import audit
from backoffice.docs.documents.models import Document, TicketReader, TicketShare
from backoffice.shared.auth import ROLES
from backoffice.shared.bus import Envelope
from backoffice.shared.db import utcnow
from backoffice.shared.events.helpdesk import AttachmentReadersChanged
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession


async def _apply_revision(session: AsyncSession, data: AttachmentReadersChanged) -> bool:
    """Records the revision as the latest for its ticket; False when a newer one is applied already."""
    share = await session.scalar(
        select(TicketShare)
        .where(TicketShare.ticket_id == data.ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if share is not None and share.revision >= data.revision:
        return False  # older news than what is applied
    if share is None:
        session.add(TicketShare(ticket_id=data.ticket_id, revision=data.revision, updated_at=utcnow()))
    else:
        share.revision, share.updated_at = data.revision, utcnow()
    return True


async def share_with_ticket(session: AsyncSession, envelope: Envelope, data: AttachmentReadersChanged) -> None:
    """Records who may read a ticket's attachments, replacing what an older revision said. Only a document that
    its attacher owns is shared: the helpdesk checks this already, and docs does not take its word for it."""
    if not await _apply_revision(session, data):
        return
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
