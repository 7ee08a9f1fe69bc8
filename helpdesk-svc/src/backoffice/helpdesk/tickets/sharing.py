"""Who may read a ticket's attachments in docs-svc. Each time a ticket's documents or people change, the helpdesk
publishes ``helpdesk.attachment_readers_changed`` with the whole list of readers (the requester, the assignee and
the team's members; every agent while the ticket has no team, as every agent sees it then), and docs-svc records
that grant. Nothing waits on docs-svc: both sides work from events."""

from __future__ import annotations

from collections.abc import Sequence

from backoffice.helpdesk.attachments.models import TicketAttachment
from backoffice.helpdesk.events import emit
from backoffice.helpdesk.teams.models import TeamMember
from backoffice.helpdesk.teams.service import members_changed
from backoffice.helpdesk.tickets.models import Ticket
from backoffice.shared.db import utcnow
from backoffice.shared.events.contract import Contract
from backoffice.shared.events.helpdesk import AttachedDocument, AttachmentReadersChanged
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

# While a ticket has no team every agent sees it (tickets/access.py), so every agent reads its files.
UNROUTED_READER_ROLES = ["it_agent"]


async def _readers(session: AsyncSession, ticket: Ticket) -> tuple[list[str], list[str]]:
    """The people and the roles who may read the ticket's attachments now."""
    people = {p for p in (ticket.requester_employee_id, ticket.assignee_employee_id) if p}
    if ticket.team_id is None:
        return sorted(people), UNROUTED_READER_ROLES
    members = await session.scalars(select(TeamMember.employee_id).where(TeamMember.team_id == ticket.team_id))
    return sorted(people | set(members)), []


async def share_attachments(session: AsyncSession, tickets: Sequence[Ticket]) -> None:
    """Publishes who may read each ticket's attachments now (tickets without any are skipped). Call it after a
    change of a ticket's documents, assignee or team, or of a team's members, in the same transaction."""
    await session.flush()
    attached: dict[str, list[TicketAttachment]] = {}
    ids = [t.id for t in tickets]
    for row in await session.scalars(
        select(TicketAttachment)
        .where(TicketAttachment.ticket_id.in_(ids))
        .order_by(TicketAttachment.attached_at, TicketAttachment.document_id)
    ):
        attached.setdefault(row.ticket_id, []).append(row)
    changes: list[tuple[Contract, str]] = []
    for ticket in tickets:
        if ticket.id not in attached:
            continue
        # Counted up in the database first: on PostgreSQL this waits for a concurrent change of the ticket, so the
        # readers read next are at least as new as that change's, and the higher revision carries them.
        revision = await session.scalar(
            update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(attachments_revision=Ticket.attachments_revision + 1)
            .returning(Ticket.attachments_revision)
            .execution_options(synchronize_session=False)
        )
        assert revision is not None
        people, roles = await _readers(session, ticket)
        changes.append(
            (
                AttachmentReadersChanged(
                    ticket_id=ticket.id,
                    number=ticket.number,
                    revision=revision,
                    documents=[
                        AttachedDocument(document_id=a.document_id, attached_by=a.attached_by)
                        for a in attached[ticket.id]
                    ],
                    reader_employee_ids=people,
                    reader_roles=roles,
                    changed_at=utcnow(),
                ),
                ticket.id,
            )
        )
    if changes:
        await emit.many(session, changes)


@members_changed.connect
async def share_team_attachments(session: AsyncSession, team_id: str) -> None:
    """After a team's members changed: its tickets' attachments are read by the new members, not the old."""
    with_files = select(TicketAttachment.ticket_id).distinct()
    tickets = (await session.scalars(select(Ticket).where(Ticket.team_id == team_id, Ticket.id.in_(with_files)))).all()
    await share_attachments(session, tickets)
