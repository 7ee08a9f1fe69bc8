"""The ledger balances at all times, on a real database: random entries, balanced or not, reversed or not; and random
sequences of the automatic postings (invoices approved and cancelled, payment runs executed) and of CSV imports."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.ledger import accounts, imports, periods, posting
from backoffice.payroll.ledger import entries as journal
from backoffice.payroll.ledger.schemas import AccountCreate, TrialBalance
from backoffice.payroll.payments import service as payments
from backoffice.payroll.payments.schemas import PaymentRunCreate
from backoffice.payroll.settings import PayrollSettings
from backoffice.payroll.suppliers import service as payables
from backoffice.payroll.suppliers.schemas import Hold, InvoiceCreate, InvoiceLineIn, SupplierCreate
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from backoffice.shared.migrations import upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

CLERK = Principal("prop", frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))
ACCOUNTS = ["1000", "2000", "4000", "5000", "6000", "6100"]
T = TypeVar("T")
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def drafts(draw: st.DrawFn) -> posting.EntryDraft:
    lines: list[posting.PostingLine] = [
        (draw(st.sampled_from(ACCOUNTS)), amount, Decimal(0), None)
        if draw(st.booleans())
        else (draw(st.sampled_from(ACCOUNTS)), Decimal(0), amount, None)
        for amount in draw(st.lists(cents, min_size=1, max_size=5))
    ]
    debit = sum((ln[1] for ln in lines), Decimal(0))
    credit = sum((ln[2] for ln in lines), Decimal(0))
    if draw(st.integers(0, 3)):  # most entries balance; the rest are off by a cent or more
        if debit > credit:
            lines.append((draw(st.sampled_from(ACCOUNTS)), Decimal(0), debit - credit, None))
        elif credit > debit:
            lines.append((draw(st.sampled_from(ACCOUNTS)), credit - debit, Decimal(0), None))
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)))
    return posting.EntryDraft(day, "random", "EUR", lines)


async def _attempt(db: Database, act: Callable[[AsyncSession], Awaitable[T]]) -> T | Problem:
    """What ``act`` gives in a write transaction, or the problem it is refused with (nothing of it kept)."""
    try:
        async with db.session() as session:
            return await act(session)
    except Problem as problem:
        return problem


def test_every_entry_balances_and_so_does_the_ledger(database_url: str) -> None:
    asyncio.run(upgrade(Database(database_url), MIGRATIONS_DIR))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(drafts(), min_size=1, max_size=8), st.data())
    def check(batch: list[posting.EntryDraft], data: st.DataObject) -> None:
        async def run() -> None:
            db = Database(database_url)
            try:
                before = await _balance(db)
                accepted = Decimal(0)
                for draft in batch:
                    debits = sum((ln[1] for ln in draft.lines), Decimal(0))
                    balanced = debits == sum((ln[2] for ln in draft.lines), Decimal(0)) and len(draft.lines) > 1

                    async def post(session: AsyncSession, draft: posting.EntryDraft = draft) -> Decimal:
                        """Post the entry, and maybe reverse it: the amount moved on each side."""
                        entry_id = (await posting.post_entries(session, CLERK.user_id, [draft]))[0]
                        if data.draw(st.booleans()):
                            await posting.reverse(session, CLERK, entry_id, draft.entry_date, "test")
                            return 2 * sum((ln[1] for ln in draft.lines), Decimal(0))
                        return sum((ln[1] for ln in draft.lines), Decimal(0))

                    moved = await _attempt(db, post)
                    if isinstance(moved, Problem):
                        assert not balanced
                        assert moved.status == 422
                    else:
                        assert balanced, "an unbalanced entry was accepted"
                        accepted += moved
                after = await _balance(db)
                assert after.balanced
                assert after.total_debit == after.total_credit
                assert after.total_debit - before.total_debit == accepted  # refused entries left nothing behind
            finally:
                await db.dispose()

        asyncio.run(run())

    check()


async def _balance(db: Database, currency: str = "EUR") -> TrialBalance:
    async with db.session(write=False) as session:
        return await accounts.trial_balance(session, date(2100, 1, 1), currency)


# -- automatic postings ------------------------------------------------------------------------------------------
APPROVES = Principal("prop-2", frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))
TODAY = date(2026, 6, 15)  # the service's "today", fixed: payment runs pay on it, cancellations are dated on it
CLOSED = "2025-03"  # invoices dated then are posted on 1 April; an import into it is refused
CURRENCIES = ("EUR", "USD")
IBANS = ["DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300"]
LINE_ACCOUNTS = ["6000", "6100", "6300", "1500"]  # expenses, and equipment (an asset)
SETTINGS = PayrollSettings()

invoice_lines = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 500_000), st.sampled_from(LINE_ACCOUNTS)), min_size=1, max_size=3
)
# Now and then, the clerk who entered an invoice tries to approve it (refused).
invoice_step = st.tuples(
    st.just("invoice"),
    st.integers(0, 2),
    st.sampled_from(CURRENCIES),
    invoice_lines,
    st.sampled_from([False] * 3 + [True]),
)
steps = st.lists(
    st.one_of(
        invoice_step,  # entered more often than the rest, so runs and cancellations have invoices to work on
        invoice_step,
        invoice_step,
        st.tuples(st.just("cancel"), st.integers(0, 99)),
        st.tuples(st.just("hold"), st.integers(0, 99)),
        st.tuples(st.just("pay"), st.sampled_from(CURRENCIES)),
        st.tuples(st.just("import"), st.sampled_from(CURRENCIES), st.lists(drafts(), min_size=1, max_size=3)),
    ),
    min_size=3,
    max_size=12,
)


@dataclass
class Invoice:
    """What this test expects of an invoice it entered."""

    id: str
    currency: str
    total: Decimal
    status: str
    approved: bool = False


def test_automatic_postings_keep_every_currency_balanced_and_move_exactly_what_was_accepted(
    database_url: str,
) -> None:
    async def prepare() -> None:
        db = Database(database_url)
        try:
            await upgrade(db, MIGRATIONS_DIR)
            async with db.session() as session:
                await accounts.create_account(session, AccountCreate(code="1500", name="Equipment", type="asset"))
                await periods.close_period(session, CLERK, CLOSED)
        finally:
            await db.dispose()

    asyncio.run(prepare())

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps)
    def check(sequence: list[tuple[Any, ...]]) -> None:
        asyncio.run(_play(database_url, sequence))

    check()


async def _play(database_url: str, sequence: list[tuple[Any, ...]]) -> None:
    """Each step through the service functions, in its own transactions as requests would be; after each, every
    currency's trial balance balances and has moved by exactly what the step was expected to post."""
    db = Database(database_url)
    try:
        async with db.session() as session:  # this example's own suppliers, so its runs pay only its invoices
            suppliers = [
                (await payables.create_supplier(session, CLERK, SupplierCreate(name=f"Supplier {n}", iban=iban))).id
                for n, iban in enumerate(IBANS)
            ]
        invoices: list[Invoice] = []
        for step in sequence:
            before = {c: await _balance(db, c) for c in CURRENCIES}
            moved = {c: Decimal(0) for c in CURRENCIES}
            if step[0] == "invoice":
                _, supplier, currency, lines, own = step
                moved[currency] = await _enter_and_approve(db, suppliers[supplier], currency, lines, own, invoices)
            elif step[0] in ("cancel", "hold") and invoices:
                invoice = invoices[step[1] % len(invoices)]
                moved[invoice.currency] = await _cancel_or_hold(db, step[0], invoice)
            elif step[0] == "pay":
                moved[step[1]] = await _pay(db, step[1], suppliers, invoices)
            elif step[0] == "import":
                moved[step[1]] = await _import(db, step[1], step[2])
            for currency in CURRENCIES:
                after = await _balance(db, currency)
                assert after.balanced, (step, currency)
                assert after.total_debit == after.total_credit, (step, currency)
                assert after.total_debit - before[currency].total_debit == moved[currency], (step, currency)
    finally:
        await db.dispose()


async def _enter_and_approve(
    db: Database, supplier: str, currency: str, lines: list[tuple[int, int, str]], own: bool, invoices: list[Invoice]
) -> Decimal:
    """Entered by one clerk, approved by the other (or refused to the one who entered it): posts its total."""
    day = date(2025, 3, 1) + timedelta(days=len(invoices) * 11)
    body = InvoiceCreate(
        supplier_id=supplier,
        number=f"N-{len(invoices)}",
        invoice_date=day,
        due_date=day + timedelta(days=30),
        currency=currency,
        lines=[
            InvoiceLineIn(description="x", quantity=Decimal(q), unit_price=Decimal(c) / 100, expense_account=a)
            for q, c, a in lines
        ],
    )
    total = sum((Decimal(q * c) / 100 for q, c, _ in lines), Decimal(0))
    async with db.session() as session:
        entered = await payables.create_invoice(session, CLERK, body, "6000", bank="1000")
        assert entered.total == total
    invoice = Invoice(entered.id, currency, total, "received")
    invoices.append(invoice)
    refused = await _attempt(
        db, lambda session: payables.approve(session, CLERK if own else APPROVES, invoice.id, "2000", TODAY)
    )
    if isinstance(refused, Problem):
        assert own
        assert refused.status == 403
        return Decimal(0)
    assert not own, "approved by who entered it"
    invoice.status, invoice.approved = "approved", True
    async with db.session(write=False) as session:
        posted = await journal.search_entries(
            session, source="invoice", source_id=invoice.id, since=None, until=None, limit=5, offset=0
        )
    expected = date(2025, 4, 1) if periods.period_of(day) == CLOSED else day  # a closed month: the next one's first day
    assert [e.entry_date for e in posted.items] == [expected]
    return total


async def _cancel_or_hold(db: Database, kind: str, invoice: Invoice) -> Decimal:
    """Cancelling an approved invoice (held or not) reverses its total; holding, or cancelling a received one, posts
    nothing. A paid or cancelled invoice is refused."""
    open_ = invoice.status in ("received", "approved", "on_hold")
    if kind == "cancel":
        refused = await _attempt(db, lambda session: payables.cancel(session, APPROVES, invoice.id, TODAY))
    else:
        refused = await _attempt(db, lambda session: payables.hold(session, invoice.id, Hold(reason="check"), TODAY))
    if isinstance(refused, Problem):
        assert refused.status == 409, (kind, invoice.status)
        assert not open_, (kind, invoice.status)
        return Decimal(0)
    assert open_, (kind, invoice.status)
    invoice.status = "cancelled" if kind == "cancel" else "on_hold"
    return invoice.total if kind == "cancel" and invoice.approved else Decimal(0)


async def _pay(db: Database, currency: str, suppliers: list[str], invoices: list[Invoice]) -> Decimal:
    """A run over this example's suppliers pays every approved invoice in its currency (never a held one): one
    transfer per supplier, each posting payables against the bank. With nothing to pay it is refused."""
    due = [i for i in invoices if i.currency == currency and i.status == "approved"]
    expected = sum((i.total for i in due), Decimal(0))
    body = PaymentRunCreate(execution_date=TODAY, due_by=date(2027, 1, 1), currency=currency, supplier_ids=suppliers)
    run = await _attempt(db, lambda session: payments.create_run(session, CLERK, body, TODAY))
    if isinstance(run, Problem):
        assert not due, run.detail
        assert run.status == 422, run.detail
        return Decimal(0)
    assert due, "a run with nothing to pay was proposed"
    async with db.session() as session:
        await payments.approve(session, APPROVES, run.id)
    async with db.session() as session:
        paid = await payments.execute(session, CLERK, run.id, SETTINGS)
        assert paid.status == "executed"
        assert paid.total == expected
    for invoice in due:
        invoice.status = "paid"
    return expected


async def _import(db: Database, currency: str, entries: list[posting.EntryDraft]) -> Decimal:
    """A CSV of entries posts all of them or none: refused if one does not balance or falls in the closed month."""
    rows = ["entry,date,account,debit,credit,description"]
    for n, draft in enumerate(entries):
        rows += [f"e{n},{draft.entry_date},{a},{d or ''},{c or ''},line" for a, d, c, _ in draft.lines]
    acceptable = all(
        len(d.lines) > 1
        and sum(ln[1] for ln in d.lines) == sum(ln[2] for ln in d.lines)
        and periods.period_of(d.entry_date) != CLOSED
        for d in entries
    )
    result = await _attempt(db, lambda session: imports.import_csv(session, CLERK, "\n".join(rows) + "\n", currency))
    if isinstance(result, Problem):
        assert not acceptable, result.detail
        assert result.status in (409, 422), result.detail
        return Decimal(0)
    assert acceptable, "a CSV with a bad entry was imported"
    assert result.entries == len(entries)
    return sum((ln[1] for d in entries for ln in d.lines), Decimal(0))
