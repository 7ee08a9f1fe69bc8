"""A ticket's history: every change is added as an entry (never edited), and read back newest first, the public
part only for the requester."""

from __future__ import annotations

import json
from datetime import datetime

from backoffice.helpdesk.tickets.access import handles, visible_ticket
from backoffice.helpdesk.tickets.models import Ticket, TicketHistory
from backoffice.helpdesk.tickets.schemas import HistoryPage, HistoryRead
from backoffice.shared.auth import Principal
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

# Parts of public history entries written by agents for agents: requesters see the entry without them.
INTERNAL_DETAIL: dict[str, frozenset[str]] = {"priority": frozenset({"reason"})}


def record(
    session: AsyncSession, ticket: Ticket, by: str, action: str, at: datetime, *, public: bool = True, **detail: object
) -> None:
    """Adds an entry to the ticket's history; ``detail`` is kept as JSON (other values as their text)."""
    session.add(
        TicketHistory(
            id=new_id(),
            ticket_id=ticket.id,
            at=at,
            by=by,
            action=action,
            detail=json.dumps(detail, default=str),
            public=public,
        )
    )


async def history(session: AsyncSession, user: Principal, ticket_id: str, limit: int, offset: int) -> HistoryPage:
    """What happened to a ticket, newest first; the requester sees the public part."""
    ticket = await visible_ticket(session, user, ticket_id)
    query = select(TicketHistory).where(TicketHistory.ticket_id == ticket.id)
    agent = await handles(session, user, ticket)
    if not agent:
        query = query.where(TicketHistory.public.is_(True))
    query = query.order_by(TicketHistory.at.desc(), TicketHistory.id.desc())
    rows, total = await fetch_page(session, query, limit, offset)
    out = []
    for h in rows:
        detail: dict[str, object] = json.loads(h.detail)
        if not agent:
            hidden = INTERNAL_DETAIL.get(h.action, frozenset())
            detail = {k: v for k, v in detail.items() if k not in hidden}
        out.append(HistoryRead(at=h.at, by=h.by, action=h.action, detail=detail))
    return HistoryPage(items=out, total=total, limit=limit, offset=offset)
