"""Attachments: a ticket takes only documents the helpdesk knows from ``docs.document_filed`` and that the person
attaching filed (admins: any known document), so an id cannot pull someone else's papers into a ticket. Who may
then read them in docs-svc follows the ticket's people: the tickets domain publishes that (``tickets/sharing.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from backoffice.helpdesk.attachments.models import KnownDocument, TicketAttachment
from backoffice.shared.auth import Principal
from backoffice.shared.bus import Envelope
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Unprocessable
from backoffice.shared.events.docs import DocumentFiled
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def remember_filed(session: AsyncSession, envelope: Envelope, data: DocumentFiled) -> None:
    """Adds a filed document to the catalogue (once, however often the event comes)."""
    if await session.get(KnownDocument, data.document_id) is None:  # the inbox already drops a repeated event
        session.add(
            KnownDocument(
                document_id=data.document_id,
                filed_by=data.filed_by,
                employee_id=data.employee_id,
                type=data.type[:60],
                filed_at=envelope.occurred_at,
            )
        )


async def check_attachable(session: AsyncSession, user: Principal, document_ids: Sequence[str], field: str) -> None:
    """Refuses (422, naming the field) an id the helpdesk does not know or that the caller did not file. Both get
    the same answer, so the question cannot be used to learn whether someone else's document exists."""
    if not document_ids:
        return
    known = {
        d.document_id: d
        for d in await session.scalars(select(KnownDocument).where(KnownDocument.document_id.in_(list(document_ids))))
    }
    for n, document_id in enumerate(document_ids):
        found = known.get(document_id)
        if found is None or not (user.is_admin or found.filed_by == user.user_id):
            raise Unprocessable(
                f"{document_id} is not a document you filed: attach the id docs-svc gave your upload "
                "(a document filed a moment ago is known here within seconds; try again then)",
                slug="unknown-document",
                field=f"{field}.{n}",
            )


def record_attached(session: AsyncSession, ticket_id: str, user: Principal, document_ids: Sequence[str]) -> None:
    """Records who attached these documents to the ticket, and when."""
    now = utcnow()
    session.add_all(
        TicketAttachment(ticket_id=ticket_id, document_id=d, attached_by=user.user_id, attached_at=now)
        for d in document_ids
    )
