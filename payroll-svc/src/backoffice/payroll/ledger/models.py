"""The general ledger: accounts, journal entries with their lines, closed periods. Entries are never edited."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from backoffice.payroll.database import Base
from backoffice.shared.db import Created, UTCDateTime
from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

AccountType = Literal["asset", "liability", "equity", "income", "expense"]


class Account(Base):
    __tablename__ = "accounts"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[AccountType] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class JournalEntry(Created, Base):
    __tablename__ = "journal_entries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_date: Mapped[date] = mapped_column(Date, index=True)
    description: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(20), doc="manual, import, payrun, invoice, payment, reversal")
    source_id: Mapped[str | None] = mapped_column(String(64), index=True)
    reverses_entry_id: Mapped[str | None] = mapped_column(ForeignKey("journal_entries.id"), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal]


class JournalLine(Base):
    """One side of an entry; the entry's date is kept on the line so reports read lines alone."""

    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entries.id"))
    entry_date: Mapped[date] = mapped_column(Date)
    account_code: Mapped[str] = mapped_column(ForeignKey("accounts.code"))
    currency: Mapped[str] = mapped_column(String(3), doc="the entry's: each currency balances on its own")
    debit: Mapped[Decimal]
    credit: Mapped[Decimal]
    description: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        Index("ix_journal_lines_entry", "entry_id"),
        Index("ix_journal_lines_account_date", "account_code", "entry_date"),
        Index("ix_journal_lines_date", "entry_date"),
    )


class ClosedPeriod(Base):
    __tablename__ = "closed_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True, doc="YYYY-MM")
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
