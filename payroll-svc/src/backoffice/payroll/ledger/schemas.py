from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from backoffice.payroll.ledger.models import AccountType
from backoffice.payroll.money import Currency
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.decimals import InCurrency, Money
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z.\-]+$")
    name: str = Field(min_length=1, max_length=200)
    type: AccountType


class AccountRead(AccountCreate):
    model_config = ConfigDict(from_attributes=True)


class LineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: str = Field(min_length=1, max_length=20)
    debit: Decimal = Field(default=Decimal(0), ge=0, max_digits=15, decimal_places=3)
    credit: Decimal = Field(default=Decimal(0), ge=0, max_digits=15, decimal_places=3)
    description: str | None = Field(default=None, max_length=500)


class EntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_date: IsoDate
    description: str = Field(min_length=1, max_length=500)
    currency: Currency = "EUR"
    lines: list[LineIn] = Field(min_length=2, max_length=1000)


class LineRead(BaseModel):
    account: str
    debit: Money
    credit: Money
    description: str | None


class EntryRead(InCurrency):
    id: str
    entry_date: date
    description: str
    source: str
    source_id: str | None
    reverses_entry_id: str | None
    reversed_by_entry_id: str | None
    currency: str
    total: Money
    lines: list[LineRead]
    created_at: datetime
    created_by: str | None
    created_by_actor: Actor | None = actor_field("created_by")


class EntryPage(Page[EntryRead]):
    pass


class Reversal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_date: IsoDate | None = Field(default=None, description="default: today")
    reason: str = Field(min_length=1, max_length=500)


class ImportResult(BaseModel):
    entries: int
    lines: int
    ids: list[str]


class BalanceRow(BaseModel):
    account: str
    name: str
    type: AccountType
    debit: Money
    credit: Money
    balance: Money = Field(description="debit - credit")


class TrialBalance(InCurrency):
    as_of: date
    currency: str = Field(description="each currency's entries balance on their own")
    rows: list[BalanceRow]
    total_debit: Money
    total_credit: Money
    balanced: bool


class PeriodRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period: str
    closed_at: datetime
    closed_by: str | None
    closed_by_actor: Actor | None = actor_field("closed_by")


class AccountPage(Page[AccountRead]):
    """The chart of accounts, by code."""


class PeriodPage(Page[PeriodRead]):
    """Closed periods, the latest first."""
