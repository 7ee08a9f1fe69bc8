"""The chart of accounts, the accounts the automatic postings and invoice lines may use, the trial balance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from backoffice.payroll.ledger.models import Account, JournalLine
from backoffice.payroll.ledger.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    BalanceRow,
    TrialBalance,
)
from backoffice.payroll.money import ZERO
from backoffice.shared.db import utcnow
from backoffice.shared.errors import Conflict
from backoffice.shared.paging import fetch_page
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def trial_balance(session: AsyncSession, as_of: date, currency: str) -> TrialBalance:
    """Debits, credits and balance of every account in ``currency`` up to ``as_of`` (its day included)."""
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
                type=account.type,
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
    """Add an account to the chart; 409 when its code is taken."""
    if await session.get(Account, body.code) is not None:
        raise Conflict(f"account {body.code} exists already", slug="account-exists")
    session.add(Account(code=body.code, name=body.name, type=body.type, created_at=utcnow()))
    await session.flush()
    return AccountRead.model_validate(body.model_dump())


async def list_accounts(session: AsyncSession, limit: int, offset: int) -> AccountPage:
    """The chart of accounts, by code."""
    rows, total = await fetch_page(session, select(Account).order_by(Account.code), limit, offset)
    items = [AccountRead.model_validate(a) for a in rows]
    return AccountPage(items=items, total=total, limit=limit, offset=offset)
