"""Reading journal entries with their lines and the entry that reversed each."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from backoffice.payroll.ledger.models import JournalEntry, JournalLine
from backoffice.payroll.ledger.schemas import (
    EntryPage,
    EntryRead,
    LineRead,
)
from backoffice.payroll.money import quantum
from backoffice.shared.db import get_or_404
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def _reads(session: AsyncSession, entries: list[JournalEntry]) -> list[EntryRead]:
    ids = [e.id for e in entries]
    lines: dict[str, list[LineRead]] = defaultdict(list)
    reversed_by: dict[str, str] = {}
    if ids:
        for row in await session.scalars(
            select(JournalLine).where(JournalLine.entry_id.in_(ids)).order_by(JournalLine.id)
        ):
            lines[row.entry_id].append(
                LineRead(account=row.account_code, debit=row.debit, credit=row.credit, description=row.description)
            )
        for later, original in await session.execute(
            select(JournalEntry.id, JournalEntry.reverses_entry_id).where(JournalEntry.reverses_entry_id.in_(ids))
        ):
            if original is not None:
                reversed_by[original] = later
    out = []
    for e in entries:
        unit = quantum(e.currency)
        out.append(
            EntryRead(
                id=e.id,
                entry_date=e.entry_date,
                description=e.description,
                source=e.source,
                source_id=e.source_id,
                reverses_entry_id=e.reverses_entry_id,
                reversed_by_entry_id=reversed_by.get(e.id),
                currency=e.currency,
                total=e.total.quantize(unit),
                lines=[
                    ln.model_copy(update={"debit": ln.debit.quantize(unit), "credit": ln.credit.quantize(unit)})
                    for ln in lines[e.id]
                ],
                created_at=e.created_at,
                created_by=e.created_by,
            )
        )
    return out


async def read_entry(session: AsyncSession, entry_id: str) -> EntryRead:
    """One journal entry with its lines and the entry that reversed it, if any."""
    entry = await get_or_404(session, JournalEntry, entry_id)
    return (await _reads(session, [entry]))[0]


async def search_entries(
    session: AsyncSession,
    *,
    source: str | None,
    source_id: str | None,
    since: date | None,
    until: date | None,
    account: str | None = None,
    text: str | None = None,
    limit: int,
    offset: int,
) -> EntryPage:
    """Journal entries, latest first, by source, date range, an account on a line and a part of the description."""
    query = select(JournalEntry)
    if source is not None:
        query = query.where(JournalEntry.source == source)
    if source_id is not None:
        query = query.where(JournalEntry.source_id == source_id)
    if since is not None:
        query = query.where(JournalEntry.entry_date >= since)
    if until is not None:
        query = query.where(JournalEntry.entry_date <= until)
    if account:
        query = query.where(
            JournalEntry.id.in_(select(JournalLine.entry_id).where(JournalLine.account_code == account.strip()))
        )
    if text and text.strip():
        query = query.where(func.lower(JournalEntry.description).contains(text.strip().lower(), autoescape=True))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(JournalEntry.entry_date.desc(), JournalEntry.id.desc()).limit(limit).offset(offset)
    )
    return EntryPage(items=await _reads(session, list(rows)), total=total, limit=limit, offset=offset)
