"""``/accounts``, ``/journal-entries``, ``/periods``, ``/ledger/trial-balance``: the general ledger."""

from __future__ import annotations

from typing import Annotated

from backoffice.payroll.ledger import accounts, entries, imports, periods, posting
from backoffice.payroll.ledger.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    EntryCreate,
    EntryPage,
    EntryRead,
    ImportResult,
    PeriodPage,
    PeriodRead,
    Reversal,
    TrialBalance,
)
from backoffice.payroll.settings import PayrollSettingsDep
from backoffice.shared.actors import name_actors
from backoffice.shared.auth import Principal, require_roles
from backoffice.shared.dates import IsoDate
from backoffice.shared.db import SessionDep
from backoffice.shared.deps import CompanyToday
from backoffice.shared.errors import Problem, Unprocessable
from backoffice.shared.paging import Limit, Offset
from fastapi import APIRouter, Depends, Path, Query, Request

router = APIRouter(tags=["ledger"])
Clerk = Annotated[Principal, Depends(require_roles("payroll"))]


@router.get("/accounts", response_model=AccountPage, summary="The chart of accounts, by code")
async def list_accounts(_: Clerk, session: SessionDep, limit: Limit = 200, offset: Offset = 0) -> AccountPage:
    return await accounts.list_accounts(session, limit, offset)


@router.post("/accounts", response_model=AccountRead, status_code=201, summary="Add an account")
async def create_account(body: AccountCreate, _: Clerk, session: SessionDep) -> AccountRead:
    return await accounts.create_account(session, body)


@router.post(
    "/journal-entries",
    response_model=EntryRead,
    status_code=201,
    summary="Post a balanced entry",
    description="Also checked, beyond what the schema says: each line a debit or a credit above zero; balanced.",
)
async def create_entry(body: EntryCreate, user: Clerk, session: SessionDep) -> EntryRead:
    return await name_actors(
        session, await entries.read_entry(session, await posting.create_entry(session, user, body))
    )


@router.post(
    "/journal-entries/import",
    response_model=ImportResult,
    status_code=201,
    summary="Import entries from CSV (entry, date, account, debit, credit, description)",
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}, "required": True}},
    description="Also checked, beyond what the schema says: the file must be a CSV with the named columns.",
)
async def import_entries(
    request: Request,
    user: Clerk,
    session: SessionDep,
    currency: Annotated[str, Query(min_length=3, max_length=3)] = "EUR",
) -> ImportResult:
    if not request.headers.get("content-type", "").startswith("text/csv"):
        raise Problem(415, "send the entries as text/csv", slug="unsupported-media-type")
    raw = await request.body()
    if len(raw) > 20 * 1024 * 1024:
        raise Problem(413, "the CSV is over 20 MiB: split it", slug="too-large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unprocessable("the CSV must be UTF-8", slug="csv") from None
    if "\x00" in text:
        raise Unprocessable("the CSV holds a NUL character, which text cannot contain", slug="csv")
    return await imports.import_csv(session, user, text, currency.upper())


@router.get("/journal-entries", response_model=EntryPage, summary="Journal entries, latest first")
async def search_entries(
    _: Clerk,
    session: SessionDep,
    source: Annotated[str | None, Query(max_length=20)] = None,
    source_id: Annotated[str | None, Query(max_length=64)] = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    account: Annotated[str | None, Query(max_length=20, description="entries with a line on this account")] = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the description (any case)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> EntryPage:
    return await name_actors(
        session,
        await entries.search_entries(
            session,
            source=source,
            source_id=source_id,
            since=since,
            until=until,
            account=account,
            text=q,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/journal-entries/{entry_id}", response_model=EntryRead, summary="One entry with its lines")
async def read_entry(entry_id: str, _: Clerk, session: SessionDep) -> EntryRead:
    return await name_actors(session, await entries.read_entry(session, entry_id))


@router.post(
    "/journal-entries/{entry_id}/reversal", response_model=EntryRead, status_code=201, summary="Reverse an entry"
)
async def reverse(entry_id: str, body: Reversal, user: Clerk, session: SessionDep, today: CompanyToday) -> EntryRead:
    new = await posting.reverse(session, user, entry_id, body.entry_date or today, body.reason)
    return await name_actors(session, await entries.read_entry(session, new))


@router.get("/ledger/trial-balance", response_model=TrialBalance, summary="Debits and credits per account")
async def trial_balance(
    _: Clerk,
    session: SessionDep,
    settings: PayrollSettingsDep,
    today: CompanyToday,
    as_of: IsoDate | None = None,
    currency: Annotated[str | None, Query(min_length=3, max_length=3, description="default: the reporting one")] = None,
) -> TrialBalance:
    chosen = (currency or settings.reporting_currency).upper()
    return await accounts.trial_balance(session, as_of or today, chosen)


@router.get("/periods/closed", response_model=PeriodPage, summary="Closed periods, the latest first")
async def closed(_: Clerk, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> PeriodPage:
    return await name_actors(session, await periods.list_closed(session, limit, offset))


@router.post("/periods/{period}/close", response_model=PeriodRead, status_code=201, summary="Close a month")
async def close(
    period: Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")],
    user: Clerk,
    session: SessionDep,
) -> PeriodRead:
    return await name_actors(session, await periods.close_period(session, user, period))
