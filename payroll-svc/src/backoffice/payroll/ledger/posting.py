"""Double-entry bookkeeping: every entry balances, no entry is edited, closed months take no entries.

Other domains post through ``post_entries`` inside their own transaction (an approved invoice, a
payment, an approved pay run), so the ledger and the business record never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from backoffice.payroll.ledger.models import Account, ClosedPeriod, JournalEntry, JournalLine
from backoffice.payroll.ledger.periods import lock_periods, period_of
from backoffice.payroll.ledger.schemas import (
    EntryCreate,
)
from backoffice.payroll.money import ZERO, is_known_currency, quantum
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

PostingLine = tuple[str, Decimal, Decimal, str | None]  # account, debit, credit, description


@dataclass
class EntryDraft:
    entry_date: date
    description: str
    currency: str
    lines: list[PostingLine]
    source: str = "manual"
    source_id: str | None = None
    reverses_entry_id: str | None = None
    id: str = field(default_factory=new_id)


async def post_entries(
    session: AsyncSession, user_id: str | None, drafts: list[EntryDraft], *, roll_forward: bool = False
) -> list[str]:
    """Check and write entries (all or none): balanced, known accounts, open periods, the currency's cents.

    ``roll_forward`` (automatic postings: an invoice approved, a payment, a pay run) dates an entry that
    falls in a closed month on the first day of the next open one instead of refusing it."""
    if not drafts:
        return []
    accounts = set((await session.scalars(select(Account.code))).all())
    closed = await _lock_months(session, drafts, roll_forward=roll_forward)
    now = utcnow()
    entries, lines = [], []
    for draft in drafts:
        total = _checked_total(draft, accounts, closed)
        entries.append(
            {
                "id": draft.id,
                "entry_date": draft.entry_date,
                "description": draft.description[:500],
                "source": draft.source,
                "source_id": draft.source_id,
                "reverses_entry_id": draft.reverses_entry_id,
                "currency": draft.currency,
                "total": total,
                "created_at": now,
                "created_by": user_id,
            }
        )
        lines += [
            {
                "entry_id": draft.id,
                "entry_date": draft.entry_date,
                "account_code": account,
                "currency": draft.currency,
                "debit": debit,
                "credit": credit,
                "description": text,
            }
            for account, debit, credit, text in draft.lines
        ]
    for start in range(0, len(entries), 5000):
        await session.execute(insert(JournalEntry), entries[start : start + 5000])
    for start in range(0, len(lines), 5000):
        await session.execute(insert(JournalLine), lines[start : start + 5000])
    return [d.id for d in drafts]


async def _lock_months(session: AsyncSession, drafts: list[EntryDraft], *, roll_forward: bool) -> set[str]:
    """Lock the months posted into and return the closed months; ``roll_forward`` first moves each draft out of a
    closed month to the first day of the next open one.

    The closed months are read once the months posted into are locked, so none closes before this commits; an
    entry rolled forward into a month not yet locked has that month locked and the closed months read again."""
    locked: set[str] = set()
    closed: set[str] = set()
    while months := {period_of(d.entry_date) for d in drafts} - locked:
        await lock_periods(session, months)
        locked |= months
        closed = set((await session.scalars(select(ClosedPeriod.period))).all())
        if roll_forward:
            for draft in drafts:
                while period_of(draft.entry_date) in closed:
                    day = draft.entry_date
                    draft.entry_date = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return closed


def _checked_total(draft: EntryDraft, accounts: set[str], closed: set[str]) -> Decimal:
    """The entry's total once it is known to be postable: a known currency, an open month, balanced lines."""
    if not is_known_currency(draft.currency):
        raise Unprocessable(f"unknown currency {draft.currency!r}: give an ISO 4217 code such as EUR", slug="currency")
    if period_of(draft.entry_date) in closed:
        raise Conflict(
            f"the period {period_of(draft.entry_date)} is closed: date the entry in an open period",
            slug="period-closed",
        )
    unit = quantum(draft.currency)
    for account, debit, credit, _ in draft.lines:
        if account not in accounts:
            raise Unprocessable(f"account {account} does not exist in the chart of accounts", slug="account")
        if (debit > 0) == (credit > 0) or debit < 0 or credit < 0:
            raise Unprocessable(
                f"each line is a debit or a credit above zero (account {account}: {debit} / {credit})",
                slug="entry-line",
            )
        if debit != debit.quantize(unit) or credit != credit.quantize(unit):
            raise Unprocessable(f"{debit or credit} has more decimals than {draft.currency} has", slug="amount")
    debits = sum((debit for _, debit, _, _ in draft.lines), ZERO)
    credits = sum((credit for _, _, credit, _ in draft.lines), ZERO)
    if len(draft.lines) < 2 or debits != credits:
        raise Unprocessable(
            f"the entry does not balance: debits {debits} and credits {credits} must be equal",
            slug="unbalanced-entry",
        )
    return debits


async def create_entry(session: AsyncSession, user: Principal, body: EntryCreate, source: str = "manual") -> str:
    """Post an entry entered by hand (or imported) and return its id."""
    draft = EntryDraft(
        body.entry_date,
        body.description,
        body.currency.upper(),
        [(ln.account, ln.debit, ln.credit, ln.description) for ln in body.lines],
        source=source,
    )
    return (await post_entries(session, user.user_id, [draft]))[0]


async def reverse(
    session: AsyncSession, user: Principal, entry_id: str, on: date, reason: str, *, by_record: bool = False
) -> str:
    """A new entry with every line on the other side; the original stays as it was. Entries posted by an
    invoice, a payment or a pay run are reversed through that record (cancelling the invoice), not by hand."""
    entry = await get_or_404(session, JournalEntry, entry_id, lock=True)
    if not by_record and entry.source not in ("manual", "import"):
        raise Conflict(
            f"entry {entry_id} was posted by a {entry.source}: correct that record instead (cancel the invoice, "
            "or post a manual correcting entry)",
            slug="automatic-entry",
        )
    if entry.reverses_entry_id is not None:
        raise Conflict(f"entry {entry_id} is itself a reversal: post a new entry instead", slug="reversal")
    done = await session.scalar(select(JournalEntry.id).where(JournalEntry.reverses_entry_id == entry_id))
    if done is not None:
        raise Conflict(f"entry {entry_id} was already reversed by {done}", slug="already-reversed")
    rows = (await session.scalars(select(JournalLine).where(JournalLine.entry_id == entry_id))).all()
    draft = EntryDraft(
        on,
        f"Reversal of {entry.description}: {reason}"[:500],
        entry.currency,
        [(r.account_code, r.credit, r.debit, r.description) for r in rows],
        source="reversal",
        source_id=entry.source_id,
        reverses_entry_id=entry_id,
    )
    return (await post_entries(session, user.user_id, [draft]))[0]


async def reverse_source(session: AsyncSession, user: Principal, source: str, source_id: str, on: date) -> None:
    """Reverse what a business record posted (a cancelled invoice)."""
    ids = (
        await session.scalars(
            select(JournalEntry.id).where(
                JournalEntry.source == source,
                JournalEntry.source_id == source_id,
                JournalEntry.reverses_entry_id.is_(None),
            )
        )
    ).all()
    for entry_id in ids:
        await reverse(session, user, entry_id, on, "cancelled", by_record=True)
