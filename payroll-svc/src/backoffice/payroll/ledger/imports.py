"""Journal entries imported from CSV: all are posted or none, every fault named by its line and cell."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from backoffice.payroll.ledger.models import Account
from backoffice.payroll.ledger.posting import MAX_AMOUNT, EntryDraft, post_entries
from backoffice.payroll.ledger.schemas import (
    ImportResult,
)
from backoffice.payroll.money import ZERO, is_known_currency, quantum
from backoffice.shared.auth import Principal
from backoffice.shared.errors import Problem
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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
