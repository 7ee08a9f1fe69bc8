"""Who has access to one document, and what retention will do to it: what the console shows beside a document
(``GET /documents/{id}/access``). Here rather than in ``documents``: it reads the retention policies, and retention
already depends on documents."""

from __future__ import annotations

from datetime import datetime, timedelta

from backoffice.docs.documents.access import may_change, readable
from backoffice.docs.documents.filing import CHANGE_ROLES_OF_HOLD
from backoffice.docs.documents.models import TicketReader
from backoffice.docs.people.models import Person
from backoffice.docs.retention.models import RetentionPolicy
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.auth import Principal
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


class TicketAccess(BaseModel):
    ticket_id: str
    reader_kind: str = Field(description="employee or role")
    reader: str = Field(description="an employee id or a role")
    name: str | None = Field(description="the employee's name, when docs knows it")


class RetentionRead(BaseModel):
    legal_hold: bool
    trash_after_days: int | None = Field(description="the policy of the document's type; none: kept for ever")
    delete_after_days: int | None
    trash_on: datetime | None = Field(description="when retention moves it to the trash (none: never)")
    delete_on: datetime | None = Field(description="when retention deletes its files (none: never)")


class AccessRead(BaseModel):
    document_id: str
    owner_user_id: str = Field(description="who filed it: reads and changes it")
    owner_user_id_actor: Actor | None = actor_field("owner_user_id")
    roles: list[str] = Field(description="their holders read and change it")
    employee_id: str | None = Field(description="the employee it concerns: reads it while it is active")
    employee_name: str | None
    ticket_readers: list[TicketAccess] = Field(description="read it as people of a helpdesk ticket it is attached to")
    admins: bool = Field(default=True, description="admins read and change every document")
    you_may_change: bool = Field(description="the caller changes it (versions, copies, tags, sending, trash)")
    you_may_hold: bool = Field(description="the caller places and lifts legal holds (HR, admins)")
    retention: RetentionRead


async def document_access(session: AsyncSession, user: Principal, document_id: str) -> AccessRead:
    """Who reads and changes the document, and when retention takes it, for anyone who may read it (a 404
    otherwise)."""
    doc, roles = await readable(session, user, document_id)
    readers = (
        await session.scalars(
            select(TicketReader)
            .where(TicketReader.document_id == doc.id)
            .order_by(TicketReader.ticket_id, TicketReader.reader_kind, TicketReader.reader)
        )
    ).all()
    people = {doc.employee_id} if doc.employee_id else set()
    people |= {r.reader for r in readers if r.reader_kind == "employee"}
    names = (
        {p.employee_id: p.name for p in (await session.scalars(select(Person).where(Person.employee_id.in_(people))))}
        if people
        else {}
    )
    policy = await session.get(RetentionPolicy, doc.type)
    held = doc.legal_hold or doc.status == "deleted"

    def due(days: int | None) -> datetime | None:
        return None if days is None or held else doc.created_at + timedelta(days=days)

    trash_days = policy.trash_after_days if policy else None
    delete_days = policy.delete_after_days if policy else None
    return AccessRead(
        document_id=doc.id,
        owner_user_id=doc.owner_user_id,
        roles=roles,
        employee_id=doc.employee_id,
        employee_name=names.get(doc.employee_id) if doc.employee_id else None,
        ticket_readers=[
            TicketAccess(ticket_id=r.ticket_id, reader_kind=r.reader_kind, reader=r.reader, name=names.get(r.reader))
            for r in readers
        ],
        you_may_change=may_change(user, doc, roles),
        you_may_hold=user.is_admin or user.has_any(*CHANGE_ROLES_OF_HOLD),
        retention=RetentionRead(
            legal_hold=doc.legal_hold,
            trash_after_days=trash_days,
            delete_after_days=delete_days,
            trash_on=None if doc.status != "active" else due(trash_days),
            delete_on=due(delete_days),
        ),
    )
