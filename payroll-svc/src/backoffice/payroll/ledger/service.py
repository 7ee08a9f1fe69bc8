"""Double-entry bookkeeping: every entry balances, no entry is edited, closed months take no entries.

Other domains post through ``post_entries`` inside their own transaction (an approved invoice, a
payment, an approved pay run), so the ledger and the business record never disagree.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from backoffice.payroll.ledger.models import Account, ClosedPeriod, JournalEntry, JournalLine
from backoffice.payroll.ledger.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    BalanceRow,
    EntryCreate,
    EntryPage,
    EntryRead,
    ImportResult,
    LineRead,
    PeriodPage,
    PeriodRead,
    TrialBalance,
)
from backoffice.payroll.money import ZERO, is_known_currency, quantum
from backoffice.shared.auth import Principal
from backoffice.shared.db import utcnow
from backoffice.shared.errors import NotFound, Problem
from backoffice.shared.ids import new_id
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

MAX_AMOUNT = Decimal(1_000_000_000_000)
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


# The type of account each automatic posting role needs (the setting LEDGER_ACCOUNTS names the accounts).
POSTING_ROLE_TYPES = {
    "bank": "asset",
    "payables": "liability",
    "net_wages_payable": "liability",
    "deductions_payable": "liability",
    "employer_contributions_payable": "liability",
    "wages_expense": "expense",
    "employer_contributions_expense": "expense",
    "default_expense": "expense",
}
# What an invoice line may be booked to: an expense, or an asset for a purchase kept on the balance sheet
# (equipment, a prepayment). Not the bank account: only payments move it.
INVOICE_LINE_TYPES = ("expense", "asset")


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


async def posting_account_errors(session: AsyncSession, roles: Mapping[str, str]) -> list[str]:
    """What is wrong with the accounts the automatic postings use: one phrase per role at fault."""
    chart = {a.code: a for a in await session.scalars(select(Account).where(Account.code.in_(set(roles.values()))))}
    errors = []
    for role, code in roles.items():
        wanted = POSTING_ROLE_TYPES[role]
        account = chart.get(code)
        if account is None:
            errors.append(f"{role} is account {code}, which is not in the chart of accounts")
        elif account.type != wanted:
            errors.append(
                f"{role} is account {code} ({account.name}), {_a(account.type)} account, not {_a(wanted)} one"
            )
    return errors


async def invoice_line_errors(session: AsyncSession, codes: Sequence[str], bank: str | None) -> list[tuple[int, str]]:
    """(line index, what is wrong) for each invoice line whose account cannot take a purchase."""
    chart = {a.code: a for a in await session.scalars(select(Account).where(Account.code.in_(set(codes))))}
    errors = []
    for index, code in enumerate(codes):
        account = chart.get(code)
        if account is None:
            errors.append((index, f"account {code} does not exist in the chart of accounts (GET /accounts)"))
        elif code == bank:
            errors.append((index, f"account {code} is the bank account, which only payments move"))
        elif account.type not in INVOICE_LINE_TYPES:
            errors.append(
                (
                    index,
                    f"account {code} ({account.name}) is {_a(account.type)} account: book a purchase to an "
                    "expense account, or to an asset account to keep it on the balance sheet",
                )
            )
    return errors


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# First key of the PostgreSQL advisory locks on ledger months (the second is the month, as 202610).
PERIOD_LOCK_SPACE = 0x4C4544  # "LED"


async def lock_periods(session: AsyncSession, periods: Iterable[str], *, close: bool = False) -> None:
    """Serialize closing a month with posting into it. Postings share the month's lock, so they never wait for each
    other; a close takes it alone, so it waits for the postings into that month in flight, and a posting waits for a
    close in flight and then sees the month closed. Held until the transaction ends. SQLite has one writer at a time
    already (write sessions begin immediate), so nothing is needed there."""
    if session.get_bind().dialect.name != "postgresql":
        return
    take = func.pg_advisory_xact_lock if close else func.pg_advisory_xact_lock_shared
    for period in sorted(set(periods)):  # always in the same order
        year, month = period.split("-")
        await session.execute(select(take(PERIOD_LOCK_SPACE, int(year) * 100 + int(month))))


async def post_entries(
    session: AsyncSession, user_id: str | None, drafts: list[EntryDraft], *, roll_forward: bool = False
) -> list[str]:
    """Check and write entries (all or none): balanced, known accounts, open periods, the currency's cents.

    ``roll_forward`` (automatic postings: an invoice approved, a payment, a pay run) dates an entry that
    falls in a closed month on the first day of the next open one instead of refusing it."""
    if not drafts:
        return []
    accounts = set((await session.scalars(select(Account.code))).all())
    # The closed months are read once the months posted into are locked, so none closes before this commits; an
    # entry rolled forward into a month not yet locked has that month locked and the closed months read again.
    locked: set[str] = set()
    while months := {period_of(d.entry_date) for d in drafts} - locked:
        await lock_periods(session, months)
        locked |= months
        closed = set((await session.scalars(select(ClosedPeriod.period))).all())
        if roll_forward:
            for draft in drafts:
                while period_of(draft.entry_date) in closed:
                    day = draft.entry_date
                    draft.entry_date = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    now = utcnow()
    entries, lines = [], []
    for draft in drafts:
        if not is_known_currency(draft.currency):
            raise Problem(
                422, f"unknown currency {draft.currency!r}: give an ISO 4217 code such as EUR", slug="currency"
            )
        if period_of(draft.entry_date) in closed:
            raise Problem(
                409,
                f"the period {period_of(draft.entry_date)} is closed: date the entry in an open period",
                slug="period-closed",
            )
        unit = quantum(draft.currency)
        debits = credits = ZERO
        for account, debit, credit, _ in draft.lines:
            if account not in accounts:
                raise Problem(422, f"account {account} does not exist in the chart of accounts", slug="account")
            if (debit > 0) == (credit > 0) or debit < 0 or credit < 0:
                raise Problem(
                    422,
                    f"each line is a debit or a credit above zero (account {account}: {debit} / {credit})",
                    slug="entry-line",
                )
            if debit != debit.quantize(unit) or credit != credit.quantize(unit):
                raise Problem(422, f"{debit or credit} has more decimals than {draft.currency} has", slug="amount")
            debits += debit
            credits += credit
        if len(draft.lines) < 2 or debits != credits:
            raise Problem(
                422,
                f"the entry does not balance: debits {debits} and credits {credits} must be equal",
                slug="unbalanced-entry",
            )
        entries.append(
            {
                "id": draft.id,
                "entry_date": draft.entry_date,
                "description": draft.description[:500],
                "source": draft.source,
                "source_id": draft.source_id,
                "reverses_entry_id": draft.reverses_entry_id,
                "currency": draft.currency,
                "total": debits,
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


async def create_entry(session: AsyncSession, user: Principal, body: EntryCreate, source: str = "manual") -> str:
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
    entry = await session.scalar(select(JournalEntry).where(JournalEntry.id == entry_id).with_for_update())
    if entry is None:
        raise NotFound("journal entry", entry_id)
    if not by_record and entry.source not in ("manual", "import"):
        raise Problem(
            409,
            f"entry {entry_id} was posted by a {entry.source}: correct that record instead (cancel the invoice, "
            "or post a manual correcting entry)",
            slug="automatic-entry",
        )
    if entry.reverses_entry_id is not None:
        raise Problem(409, f"entry {entry_id} is itself a reversal: post a new entry instead", slug="reversal")
    done = await session.scalar(select(JournalEntry.id).where(JournalEntry.reverses_entry_id == entry_id))
    if done is not None:
        raise Problem(409, f"entry {entry_id} was already reversed by {done}", slug="already-reversed")
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


CSV_COLUMNS = ("entry", "date", "account", "debit", "credit", "description")
MAX_CSV_ERRORS = 100  # every error is listed, up to this many


@dataclass
class _CsvError:
    line: int
    column: str
    message: str


class _CsvSheet:
    """The imported CSV as a spreadsheet shows it: the header is line 1, each record (a blank one included) the
    next line, columns named by their header and their letter."""

    def __init__(self, header: list[str]):
        self.index = {name: position for position, name in enumerate(header)}
        self.errors: list[_CsvError] = []

    def letter(self, column: str) -> str:
        number, letters = self.index.get(column, 0) + 1, ""
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return letters

    def fault(self, line: int, column: str, message: str) -> None:
        self.errors.append(_CsvError(line, column, message))

    def problem(self) -> Problem:
        errors = sorted(self.errors, key=lambda e: (e.line, self.index.get(e.column, 0)))
        said = [f"line {e.line}, column {e.column} (cell {self.letter(e.column)}{e.line}): {e.message}" for e in errors]
        more = f"; and {len(said) - 5} more (see errors)" if len(said) > 5 else ""
        return Problem(
            422,
            "; ".join(said[:5]) + more,
            slug="csv",
            errors=[
                {
                    "line": e.line,
                    "column": e.column,
                    "cell": f"{self.letter(e.column)}{e.line}",
                    "message": e.message,
                    "type": "csv",
                }
                for e in errors[:MAX_CSV_ERRORS]
            ],
        )


def _amount(text: str | None) -> Decimal:
    value = Decimal((text or "").strip() or "0")
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise ValueError(text)
    return value


async def import_csv(session: AsyncSession, user: Principal, text: str, currency: str) -> ImportResult:
    """Entries from CSV (columns entry, date, account, debit, credit, description; one entry per 'entry'
    value): all are posted or none. Every fault is named by its line, counted as a spreadsheet counts its rows
    (the header is line 1), and its column: 'line 3, column date (cell B3): …'."""
    if not is_known_currency(currency):
        raise Problem(422, f"currency: unknown {currency!r}, give an ISO 4217 code such as EUR", slug="currency")
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise Problem(422, f"line {len(records) + 1}: the CSV cannot be read ({exc})", slug="csv") from None
    header = [name.strip() for name in records[0]] if records else []
    missing = [c for c in CSV_COLUMNS[:5] if c not in header]
    if missing:
        raise Problem(
            422,
            f"line 1: the CSV needs the columns {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}",
            slug="csv",
        )
    sheet = _CsvSheet(header)
    chart = set((await session.scalars(select(Account.code))).all())
    unit = quantum(currency)
    grouped: dict[str, EntryDraft] = {}
    lines_of: dict[str, list[int]] = defaultdict(list)
    first_line: dict[str, tuple[int, date]] = {}
    faulty: set[str] = set()
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line: nothing to post
        row = {name: (record[i] if i < len(record) else "") for name, i in sheet.index.items()}
        faults = len(sheet.errors)
        key = row["entry"].strip()
        if not key:
            sheet.fault(number, "entry", "name the entry the line belongs to (lines of one entry share it)")
        day: date | None = None
        try:
            day = date.fromisoformat(row["date"].strip())
        except ValueError:
            sheet.fault(number, "date", f"a date as YYYY-MM-DD, not {row['date'].strip()[:40]!r}")
        amounts: dict[str, Decimal] = {}
        for column in ("debit", "credit"):
            try:
                amounts[column] = _amount(row[column])
            except (ValueError, InvalidOperation):
                sheet.fault(number, column, f"a number below {MAX_AMOUNT:,}, not {row[column].strip()[:40]!r}")
                continue
            if amounts[column] < 0:
                sheet.fault(number, column, "amounts are above zero: put a negative debit in credit and vice versa")
            elif amounts[column] != amounts[column].quantize(unit):
                sheet.fault(number, column, f"{currency} has no amounts finer than {unit}")
        debit, credit = amounts.get("debit"), amounts.get("credit")
        if debit is not None and credit is not None and min(debit, credit) >= 0 and (debit > 0) == (credit > 0):
            sheet.fault(number, "debit", "each line is a debit or a credit above zero: fill one of debit and credit")
        account = row["account"].strip()
        if not account:
            sheet.fault(number, "account", "name the account the line is booked to (GET /accounts lists the chart)")
        elif account not in chart:
            sheet.fault(
                number, "account", f"account {account[:40]!r} does not exist in the chart of accounts (GET /accounts)"
            )
        if key and len(sheet.errors) > faults:
            faulty.add(key)  # its balance means nothing until the line is right
        if not key or day is None:
            continue
        if key in first_line and first_line[key][1] != day:
            line, same = first_line[key]
            sheet.fault(number, "date", f"every line of entry {key} has one date: {same} (line {line})")
            faulty.add(key)
            continue
        first_line.setdefault(key, (number, day))
        description = (row.get("description") or "").strip()
        draft = grouped.setdefault(key, EntryDraft(day, description or key, currency, [], source="import"))
        draft.lines.append((account, debit or ZERO, credit or ZERO, description[:500] or None))
        lines_of[key].append(number)
    if len(records) < 2 or not (grouped or sheet.errors):
        raise Problem(422, "the CSV has no lines below its header", slug="csv")
    for key, draft in grouped.items():
        debits = sum((line[1] for line in draft.lines), ZERO)
        credits = sum((line[2] for line in draft.lines), ZERO)
        numbers = lines_of[key]
        if key in faulty:
            continue
        if len(numbers) < 2:
            sheet.fault(numbers[-1], "entry", f"entry {key} has one line: an entry has a debit and a credit line")
        elif debits != credits:
            sheet.fault(
                numbers[-1],
                "credit" if debits > credits else "debit",
                f"entry {key} (lines {', '.join(map(str, numbers))}) does not balance: "
                f"debits {debits} and credits {credits} must be equal",
            )
    if sheet.errors:
        raise sheet.problem()
    ids = []
    for key, draft in grouped.items():
        try:
            ids += await post_entries(session, user.user_id, [draft])
        except Problem as problem:  # a closed month: the entry's date
            line = first_line[key][0]
            raise Problem(
                problem.status,
                f"line {line}, column date (cell {sheet.letter('date')}{line}): entry {key}: {problem.detail}",
                slug=problem.slug,
                errors=[
                    {
                        "line": line,
                        "column": "date",
                        "cell": f"{sheet.letter('date')}{line}",
                        "message": problem.detail,
                        "type": problem.slug,
                    }
                ],
            ) from None
    return ImportResult(entries=len(ids), lines=sum(len(d.lines) for d in grouped.values()), ids=ids)


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
    entry = await session.get(JournalEntry, entry_id)
    if entry is None:
        raise NotFound("journal entry", entry_id)
    return (await _reads(session, [entry]))[0]


async def search_entries(
    session: AsyncSession,
    *,
    source: str | None,
    source_id: str | None,
    since: date | None,
    until: date | None,
    limit: int,
    offset: int,
) -> EntryPage:
    query = select(JournalEntry)
    if source is not None:
        query = query.where(JournalEntry.source == source)
    if source_id is not None:
        query = query.where(JournalEntry.source_id == source_id)
    if since is not None:
        query = query.where(JournalEntry.entry_date >= since)
    if until is not None:
        query = query.where(JournalEntry.entry_date <= until)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(JournalEntry.entry_date.desc(), JournalEntry.id.desc()).limit(limit).offset(offset)
    )
    return EntryPage(items=await _reads(session, list(rows)), total=total, limit=limit, offset=offset)


async def trial_balance(session: AsyncSession, as_of: date, currency: str) -> TrialBalance:
    sums = {
        code: (debit or ZERO, credit or ZERO)
        for code, debit, credit in await session.execute(
            select(JournalLine.account_code, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
            .where(JournalLine.entry_date <= as_of, JournalLine.currency == currency)
            .group_by(JournalLine.account_code)
        )
    }
    rows = []
    for account in await session.scalars(select(Account).order_by(Account.code)):
        debit, credit = sums.get(account.code, (ZERO, ZERO))
        debit, credit = Decimal(debit), Decimal(credit)  # shown in the currency's decimals by TrialBalance
        rows.append(
            BalanceRow(
                account=account.code,
                name=account.name,
                type=account.type,  # type: ignore[arg-type]
                debit=debit,
                credit=credit,
                balance=debit - credit,
            )
        )
    total_debit = sum((r.debit for r in rows), ZERO)
    total_credit = sum((r.credit for r in rows), ZERO)
    return TrialBalance(
        as_of=as_of,
        currency=currency,
        rows=rows,
        total_debit=total_debit,
        total_credit=total_credit,
        balanced=total_debit == total_credit,
    )


async def create_account(session: AsyncSession, body: AccountCreate) -> AccountRead:
    if await session.get(Account, body.code) is not None:
        raise Problem(409, f"account {body.code} exists already", slug="account-exists")
    session.add(Account(code=body.code, name=body.name, type=body.type, created_at=utcnow()))
    await session.flush()
    return AccountRead.model_validate(body.model_dump())


async def list_accounts(session: AsyncSession, limit: int, offset: int) -> AccountPage:
    """The chart of accounts, by code."""
    rows, total = await fetch_page(session, select(Account).order_by(Account.code), limit, offset)
    items = [AccountRead(code=a.code, name=a.name, type=a.type) for a in rows]  # type: ignore[arg-type]
    return AccountPage(items=items, total=total, limit=limit, offset=offset)


async def close_period(session: AsyncSession, user: Principal, period: str) -> PeriodRead:
    """Close a month once the postings into it in flight are committed; later ones are refused or rolled forward."""
    await lock_periods(session, [period], close=True)
    if await session.get(ClosedPeriod, period) is not None:
        raise Problem(409, f"the period {period} is closed already", slug="period-closed")
    row = ClosedPeriod(period=period, closed_at=utcnow(), closed_by=user.user_id)
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise Problem(409, f"the period {period} was closed at the same moment", slug="period-closed") from None
    return PeriodRead(period=row.period, closed_at=row.closed_at, closed_by=row.closed_by)


async def list_closed(session: AsyncSession, limit: int, offset: int) -> PeriodPage:
    """Closed periods, the latest first."""
    rows, total = await fetch_page(session, select(ClosedPeriod).order_by(ClosedPeriod.period.desc()), limit, offset)
    items = [PeriodRead(period=r.period, closed_at=r.closed_at, closed_by=r.closed_by) for r in rows]
    return PeriodPage(items=items, total=total, limit=limit, offset=offset)
