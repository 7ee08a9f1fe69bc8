"""Journal entries imported from CSV: all are posted or none, every fault named by its line and cell."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from backoffice.payroll.ledger.models import Account
from backoffice.payroll.ledger.posting import EntryDraft, post_entries
from backoffice.payroll.ledger.schemas import (
    ImportResult,
)
from backoffice.payroll.money import ZERO, is_known_currency, quantum
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Problem, Unprocessable
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

MAX_AMOUNT = Decimal(1_000_000_000_000)
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
        return Unprocessable(
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


@dataclass(frozen=True)
class _CsvLine:
    """One line of the CSV as read, each cell None (or empty) where it could not be."""

    key: str
    day: date | None
    account: str
    debit: Decimal | None
    credit: Decimal | None
    description: str


@dataclass
class _Entries:
    """The entries of a CSV as its lines are read: each entry's draft, its line numbers, its first line and date."""

    currency: str
    drafts: dict[str, EntryDraft] = field(default_factory=dict)
    lines_of: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    first_line: dict[str, tuple[int, date]] = field(default_factory=dict)
    faulty: set[str] = field(default_factory=set)  # entries with a faulty line: their balance means nothing

    def add(self, sheet: _CsvSheet, number: int, line: _CsvLine, *, faulty: bool) -> None:
        key, day = line.key, line.day
        if key and faulty:
            self.faulty.add(key)
        if not key or day is None:
            return
        if key in self.first_line and self.first_line[key][1] != day:
            first, same = self.first_line[key]
            sheet.fault(number, "date", f"every line of entry {key} has one date: {same} (line {first})")
            self.faulty.add(key)
            return
        self.first_line.setdefault(key, (number, day))
        draft = self.drafts.setdefault(
            key, EntryDraft(day, line.description or key, self.currency, [], source="import")
        )
        draft.lines.append((line.account, line.debit or ZERO, line.credit or ZERO, line.description[:500] or None))
        self.lines_of[key].append(number)

    def check_balances(self, sheet: _CsvSheet) -> None:
        """Fault each entry (on its last line) that has one line or does not balance, unless a line of it is faulty."""
        for key, draft in self.drafts.items():
            debits = sum((line[1] for line in draft.lines), ZERO)
            credits = sum((line[2] for line in draft.lines), ZERO)
            numbers = self.lines_of[key]
            if key in self.faulty:
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


async def import_csv(session: AsyncSession, user: Principal, text: str, currency: str) -> ImportResult:
    """Entries from CSV (columns entry, date, account, debit, credit, description; one entry per 'entry'
    value): all are posted or none. Every fault is named by its line, counted as a spreadsheet counts its rows
    (the header is line 1), and its column: 'line 3, column date (cell B3): …'."""
    if not is_known_currency(currency):
        raise Unprocessable(f"currency: unknown {currency!r}, give an ISO 4217 code such as EUR", slug="currency")
    records = _records(text)
    sheet = _CsvSheet(_header(records))
    chart = set((await session.scalars(select(Account.code))).all())
    entries = _Entries(currency)
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line: nothing to post
        faults = len(sheet.errors)
        line = _read_line(sheet, number, record, chart, currency)
        entries.add(sheet, number, line, faulty=len(sheet.errors) > faults)
    if len(records) < 2 or not (entries.drafts or sheet.errors):
        raise Unprocessable("the CSV has no lines below its header", slug="csv")
    entries.check_balances(sheet)
    if sheet.errors:
        raise sheet.problem()
    ids = await _post(session, user, sheet, entries)
    return ImportResult(entries=len(ids), lines=sum(len(d.lines) for d in entries.drafts.values()), ids=ids)


def _records(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise Unprocessable(f"line {len(records) + 1}: the CSV cannot be read ({exc})", slug="csv") from None
    return records


def _header(records: list[list[str]]) -> list[str]:
    """The column names of line 1, which must hold the columns of ``CSV_COLUMNS`` (the description may be left out)."""
    header = [name.strip() for name in records[0]] if records else []
    missing = [c for c in CSV_COLUMNS[:5] if c not in header]
    if missing:
        raise Unprocessable(
            f"line 1: the CSV needs the columns {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}",
            slug="csv",
        )
    return header


def _read_line(sheet: _CsvSheet, number: int, record: list[str], chart: set[str], currency: str) -> _CsvLine:
    """One line's cells, each fault in them noted on ``sheet``."""
    row = {name: (record[i] if i < len(record) else "") for name, i in sheet.index.items()}
    key = row["entry"].strip()
    if not key:
        sheet.fault(number, "entry", "name the entry the line belongs to (lines of one entry share it)")
    day: date | None = None
    try:
        day = date.fromisoformat(row["date"].strip())
    except ValueError:
        sheet.fault(number, "date", f"a date as YYYY-MM-DD, not {row['date'].strip()[:40]!r}")
    debit = _read_amount(sheet, number, row, "debit", currency)
    credit = _read_amount(sheet, number, row, "credit", currency)
    if debit is not None and credit is not None and min(debit, credit) >= 0 and (debit > 0) == (credit > 0):
        sheet.fault(number, "debit", "each line is a debit or a credit above zero: fill one of debit and credit")
    account = row["account"].strip()
    if not account:
        sheet.fault(number, "account", "name the account the line is booked to (GET /accounts lists the chart)")
    elif account not in chart:
        sheet.fault(
            number, "account", f"account {account[:40]!r} does not exist in the chart of accounts (GET /accounts)"
        )
    return _CsvLine(key, day, account, debit, credit, (row.get("description") or "").strip())


def _read_amount(sheet: _CsvSheet, number: int, row: dict[str, str], column: str, currency: str) -> Decimal | None:
    """The amount in ``column`` (None when it is not a number), its faults noted on ``sheet``."""
    try:
        value = _amount(row[column])
    except (ValueError, InvalidOperation):
        sheet.fault(number, column, f"a number below {MAX_AMOUNT:,}, not {row[column].strip()[:40]!r}")
        return None
    unit = quantum(currency)
    if value < 0:
        sheet.fault(number, column, "amounts are above zero: put a negative debit in credit and vice versa")
    elif value != value.quantize(unit):
        sheet.fault(number, column, f"{currency} has no amounts finer than {unit}")
    return value


async def _post(session: AsyncSession, user: Principal, sheet: _CsvSheet, entries: _Entries) -> list[str]:
    """Post every entry; a refusal (a closed month) is named by the entry's first line and its date cell."""
    ids = []
    for key, draft in entries.drafts.items():
        try:
            ids += await post_entries(session, user.user_id, [draft])
        except Problem as problem:
            line = entries.first_line[key][0]
            cell = f"{sheet.letter('date')}{line}"
            raise Problem(
                problem.status,
                f"line {line}, column date (cell {cell}): entry {key}: {problem.detail}",
                slug=problem.slug,
                errors=[
                    {"line": line, "column": "date", "cell": cell, "message": problem.detail, "type": problem.slug}
                ],
            ) from None
    return ids
