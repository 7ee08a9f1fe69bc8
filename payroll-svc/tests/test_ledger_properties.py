"""The ledger balances at all times: random entries, balanced or not, reversed or not, on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.ledger import service as ledger
from backoffice.payroll.ledger.schemas import TrialBalance
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from backoffice.shared.migrations import upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CLERK = Principal("prop", frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))
ACCOUNTS = ["1000", "2000", "4000", "5000", "6000", "6100"]
cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@st.composite
def drafts(draw: st.DrawFn) -> ledger.EntryDraft:
    lines = [
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
    return ledger.EntryDraft(day, "random", "EUR", lines)


def test_every_entry_balances_and_so_does_the_ledger(database_url: str) -> None:
    asyncio.run(upgrade(Database(database_url), MIGRATIONS_DIR))

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(drafts(), min_size=1, max_size=8), st.data())
    def check(batch: list[ledger.EntryDraft], data: st.DataObject) -> None:
        async def run() -> None:
            db = Database(database_url)
            try:
                before = await _balance(db)
                accepted = Decimal(0)
                for draft in batch:
                    debits = sum((ln[1] for ln in draft.lines), Decimal(0))
                    balanced = debits == sum((ln[2] for ln in draft.lines), Decimal(0)) and len(draft.lines) > 1
                    try:
                        async with db.session() as session:
                            entry_id = (await ledger.post_entries(session, CLERK.user_id, [draft]))[0]
                            if data.draw(st.booleans()):
                                await ledger.reverse(session, CLERK, entry_id, draft.entry_date, "test")
                                debits *= 2
                        assert balanced, "an unbalanced entry was accepted"
                        accepted += debits
                    except Problem as problem:
                        assert not balanced and problem.status == 422
                after = await _balance(db)
                assert after.balanced and after.total_debit == after.total_credit
                assert after.total_debit - before.total_debit == accepted  # refused entries left nothing behind
            finally:
                await db.dispose()

        asyncio.run(run())

    check()


async def _balance(db: Database) -> TrialBalance:
    async with db.session(write=False) as session:
        return await ledger.trial_balance(session, date(2100, 1, 1), "EUR")
