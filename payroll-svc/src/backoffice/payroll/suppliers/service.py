"""Suppliers and their invoices: received -> approved (four eyes) -> scheduled -> paid; on hold; cancelled.

Approval posts the invoice to the ledger (expenses against payables); cancelling an approved
invoice reverses that entry. A held invoice is never selected for payment until released (by hand,
or by its release date).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from backoffice.payroll.ledger.accounts import invoice_line_errors
from backoffice.payroll.ledger.posting import EntryDraft, PostingLine, post_entries, reverse_source
from backoffice.payroll.money import PAYABLE_CURRENCIES, ZERO, is_known_currency, round_money
from backoffice.payroll.suppliers.bank import checked_bic, checked_iban, checked_name
from backoffice.payroll.suppliers.models import InvoiceLine, InvoiceStatus, Supplier, SupplierInvoice
from backoffice.payroll.suppliers.schemas import (
    MAX_DOCUMENTS,
    Attachment,
    Hold,
    InvoiceCreate,
    InvoiceLineRead,
    InvoicePage,
    InvoiceRead,
    SupplierCreate,
    SupplierPage,
    SupplierRead,
)
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, Unprocessable
from backoffice.shared.ids import new_id
from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

MAX_TOTAL = Decimal(1_000_000_000_000)


def mask(iban: str) -> str:
    """Country and check digits, then only the last four characters: DE89 **** **** **** **30 00."""
    return f"{iban[:4]} {'*' * (len(iban) - 8)} {iban[-4:]}"


def attachments(invoice: SupplierInvoice) -> list[Attachment]:
    """Stored as JSON objects; early rows hold bare ids, attached by who entered the invoice when they did."""
    out = []
    for item in json.loads(invoice.document_ids):
        if isinstance(item, str):
            item = {"document_id": item, "attached_by": invoice.entered_by, "attached_at": invoice.created_at}
        out.append(Attachment.model_validate(item))
    return out


def _stored(items: list[Attachment]) -> str:
    return json.dumps([a.model_dump(mode="json") for a in items])


def supplier_read(s: Supplier) -> SupplierRead:
    """A supplier as the API shows it, its IBAN masked."""
    return SupplierRead(
        id=s.id,
        name=s.name,
        tax_id=s.tax_id,
        payment_terms_days=s.payment_terms_days,
        iban_masked=mask(s.iban),
        bic=s.bic,
        contact_name=s.contact_name,
        email=s.email,
        fax=s.fax,
        created_at=s.created_at,
    )


def _bank_detail(field: str, check: Callable[[str], str], value: str) -> str:
    """One bank detail checked by the rule the bank file needs, or a 422 naming the field."""
    try:
        return check(value)
    except ValueError as exc:
        raise Unprocessable(
            f"{field}: {exc}",
            slug="supplier-name" if field == "name" else "bank-account",
            errors=[{"field": f"body.{field}", "message": str(exc), "type": f"supplier_{field}"}],
        ) from None


async def create_supplier(session: AsyncSession, user: Principal, body: SupplierCreate) -> Supplier:
    """Add a supplier: its IBAN, a BIC the bank file's schema takes, and a name a bank file can carry (refused now,
    not when the payment run is executed)."""
    _bank_detail("name", checked_name, body.name)
    iban = _bank_detail("iban", checked_iban, body.iban)
    bic = _bank_detail("bic", checked_bic, body.bic) if body.bic else None
    now = utcnow()
    supplier = Supplier(
        id=new_id(),
        name=body.name,
        tax_id=body.tax_id,
        payment_terms_days=body.payment_terms_days,
        iban=iban,
        bic=bic,
        contact_name=body.contact_name,
        email=str(body.email) if body.email else None,
        fax=body.fax,
        created_at=now,
        created_by=user.user_id,
        updated_at=now,
    )
    session.add(supplier)
    await session.flush()
    return supplier


async def get_supplier(session: AsyncSession, supplier_id: str) -> Supplier:
    """The supplier ``supplier_id`` (404 when there is none)."""
    return await get_or_404(session, Supplier, supplier_id)


async def search_suppliers(session: AsyncSession, *, name: str | None, limit: int, offset: int) -> SupplierPage:
    """Suppliers by name; only those whose name holds ``name`` (any case) if given."""
    query = select(Supplier)
    if name:
        query = query.where(func.lower(Supplier.name).contains(name.lower()))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(Supplier.name, Supplier.id).limit(limit).offset(offset))
    return SupplierPage(items=[supplier_read(s) for s in rows], total=total, limit=limit, offset=offset)


def shown_status(invoice: SupplierInvoice, today: date) -> InvoiceStatus:
    """The status as of ``today`` (the company's date): a hold whose release date has come is over, so the invoice
    is received or approved again, as its approval says, whether or not anyone has touched it since."""
    if _hold_ended(invoice, today):
        return "approved" if invoice.approved_by else "received"
    return invoice.status


def _hold_ended_clause(today: date) -> ColumnElement[bool]:
    return and_(
        SupplierInvoice.status == "on_hold",
        SupplierInvoice.hold_until.is_not(None),
        SupplierInvoice.hold_until <= today,
    )


def status_clause(status: str, today: date) -> ColumnElement[bool]:
    """Invoices whose status as of ``today`` is ``status``: the same rule as :func:`shown_status`, in SQL."""
    ended = _hold_ended_clause(today)
    if status == "on_hold":
        return and_(SupplierInvoice.status == "on_hold", not_(ended))
    if status == "received":
        return or_(SupplierInvoice.status == "received", and_(ended, SupplierInvoice.approved_by.is_(None)))
    if status == "approved":
        return or_(SupplierInvoice.status == "approved", and_(ended, SupplierInvoice.approved_by.is_not(None)))
    return SupplierInvoice.status == status


async def invoice_reads(session: AsyncSession, invoices: list[SupplierInvoice], today: date) -> list[InvoiceRead]:
    """Invoices as of ``today``: one whose hold has ended shows no hold."""
    ids = [i.id for i in invoices]
    lines: dict[str, list[InvoiceLineRead]] = defaultdict(list)
    names: dict[str, str] = {}
    if ids:
        currency = {i.id: i.currency for i in invoices}
        for ln in await session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id.in_(ids)).order_by(InvoiceLine.id)
        ):
            lines[ln.invoice_id].append(
                InvoiceLineRead(
                    description=ln.description,
                    quantity=ln.quantity,
                    unit_price=ln.unit_price,
                    amount=round_money(ln.amount, currency[ln.invoice_id]),
                    expense_account=ln.expense_account,
                )
            )
        supplier_ids = {i.supplier_id for i in invoices}
        names = dict(
            (await session.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(supplier_ids)))).all()
        )
    return [
        InvoiceRead(
            id=i.id,
            supplier_id=i.supplier_id,
            supplier_name=names.get(i.supplier_id, ""),
            number=i.number,
            invoice_date=i.invoice_date,
            due_date=i.due_date,
            currency=i.currency,
            total=round_money(i.total, i.currency),
            status=shown_status(i, today),
            lines=lines[i.id],
            document_ids=[a.document_id for a in attachments(i)],
            attachments=attachments(i),
            entered_by=i.entered_by,
            approved_by=i.approved_by,
            hold_reason=None if _hold_ended(i, today) else i.hold_reason,
            hold_until=None if _hold_ended(i, today) else i.hold_until,
            payment_run_id=i.payment_run_id,
            paid_on=i.paid_on,
        )
        for i in invoices
    ]


async def read_invoice(session: AsyncSession, invoice_id: str, today: date) -> InvoiceRead:
    """One invoice as of ``today``."""
    return (await invoice_reads(session, [await get_invoice(session, invoice_id)], today))[0]


async def get_invoice(session: AsyncSession, invoice_id: str, *, lock: bool = False) -> SupplierInvoice:
    """The invoice ``invoice_id`` (404 when there is none), locked for update if ``lock``."""
    return await get_or_404(session, SupplierInvoice, invoice_id, what="invoice", lock=lock)


async def create_invoice(
    session: AsyncSession, user: Principal, body: InvoiceCreate, default_expense: str, *, bank: str | None = None
) -> SupplierInvoice:
    """Enter a received invoice; each line's account (default ``default_expense``) must be able to take a purchase
    (an expense or asset account, not ``bank``), so a bad one is named now rather than at approval."""
    supplier = await get_supplier(session, body.supplier_id)
    currency = body.currency.upper()
    if not is_known_currency(currency):
        raise Unprocessable(f"unknown currency {body.currency!r}: give an ISO 4217 code such as EUR", slug="currency")
    if currency not in PAYABLE_CURRENCIES:
        raise Unprocessable(
            f"currency {currency}: no payment run could pay this invoice (a bank file carries at most two decimals); "
            f"enter it in one of {', '.join(PAYABLE_CURRENCIES)}",
            slug="currency",
        )
    due = body.due_date or body.invoice_date + timedelta(days=supplier.payment_terms_days)
    if due < body.invoice_date:
        raise Unprocessable("due_date is before the invoice date", slug="due-date")
    amounts = [round_money(ln.quantity * ln.unit_price, currency) for ln in body.lines]
    total = sum(amounts, ZERO)
    if total > MAX_TOTAL:
        raise Unprocessable(f"an invoice's total is at most {MAX_TOTAL:,}", slug="total")
    if total <= 0:
        raise Unprocessable("an invoice's total must be above zero (a credit note is not an invoice)", slug="total")
    accounts = [ln.expense_account or default_expense for ln in body.lines]
    bad_lines = await invoice_line_errors(session, accounts, bank)
    if bad_lines:
        raise Unprocessable(
            "; ".join(f"lines[{index}].expense_account: {why}" for index, why in bad_lines[:5]),
            slug="account",
            errors=[
                {"field": f"body.lines.{index}.expense_account", "message": why, "type": "account"}
                for index, why in bad_lines
            ],
        )
    duplicate = await session.scalar(
        select(SupplierInvoice.id).where(
            SupplierInvoice.supplier_id == supplier.id, SupplierInvoice.number == body.number
        )
    )
    if duplicate is not None:
        raise _duplicate(body.number, supplier.name, duplicate)
    now = utcnow()
    invoice = SupplierInvoice(
        id=new_id(),
        supplier_id=supplier.id,
        number=body.number,
        invoice_date=body.invoice_date,
        due_date=due,
        currency=currency,
        total=total,
        status="received",
        document_ids=_stored(
            [
                Attachment(document_id=d, attached_by=user.user_id, attached_at=now)
                for d in dict.fromkeys(body.document_ids)
            ]
        ),
        entered_by=user.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(invoice)
    try:
        await session.flush()
    except IntegrityError:
        raise _duplicate(body.number, supplier.name, None) from None
    session.add_all(
        InvoiceLine(
            invoice_id=invoice.id,
            description=ln.description,
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            amount=amount,
            expense_account=account,
        )
        for ln, amount, account in zip(body.lines, amounts, accounts, strict=True)
    )
    await session.flush()
    return invoice


def _duplicate(number: str, supplier: str, invoice_id: str | None) -> Conflict:
    """The refusal of an invoice number the supplier has used already, named on the number field."""
    which = f" ({invoice_id})" if invoice_id else ""
    message = f"invoice {number} of {supplier} was entered already{which}: check it is not the same invoice"
    return Conflict(
        message,
        slug="duplicate-invoice",
        errors=[{"field": "body.number", "message": message, "type": "duplicate_invoice"}],
    )


async def approve(
    session: AsyncSession, user: Principal, invoice_id: str, payables: str, today: date
) -> SupplierInvoice:
    """Four eyes; posts expenses against payables. A received invoice held until a day that has come is off
    hold by itself (its hold ends on its release date, approved or not)."""
    invoice = await get_invoice(session, invoice_id, lock=True)
    status = shown_status(invoice, today)
    if invoice.approved_by is not None and status != "cancelled":
        on = f" on {invoice.approved_at:%Y-%m-%d}" if invoice.approved_at else ""
        until = f" until {invoice.hold_until}" if invoice.hold_until else ""
        now = "" if status == "approved" else f"; it is {'on hold' + until if status == 'on_hold' else status}"
        raise Conflict(
            f"invoice {invoice.number} is approved already (by {invoice.approved_by}{on}){now}: nothing to approve",
            slug="invoice-state",
        )
    if status == "on_hold":
        until = f" until {invoice.hold_until}" if invoice.hold_until else ""
        raise Conflict(
            f"invoice {invoice.number} is on hold{until} ({invoice.hold_reason}): release it before approving it",
            slug="invoice-state",
        )
    if status != "received":
        raise Conflict(f"invoice {invoice.number} is {status}: only a received one is approved", slug="invoice-state")
    if invoice.entered_by == user.user_id:
        raise Forbidden("someone other than who entered the invoice must approve it (four eyes)", slug="four-eyes")
    if _hold_ended(invoice, today):  # its release date has come: approving it clears the hold
        invoice.hold_reason, invoice.hold_until = None, None
    lines = (await session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))).all()
    by_account: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        by_account[ln.expense_account] += ln.amount
    postings: list[PostingLine] = [
        (account, amount, ZERO, None) for account, amount in sorted(by_account.items()) if amount > 0
    ]
    postings.append((payables, ZERO, invoice.total, f"invoice {invoice.number}"))
    draft = EntryDraft(
        invoice.invoice_date,
        f"Invoice {invoice.number}",
        invoice.currency,
        postings,
        source="invoice",
        source_id=invoice.id,
    )
    await post_entries(session, user.user_id, [draft], roll_forward=True)
    invoice.status, invoice.approved_by, invoice.approved_at, invoice.updated_at = (
        "approved",
        user.user_id,
        utcnow(),
        utcnow(),
    )
    return invoice


async def attach(session: AsyncSession, user: Principal, invoice_id: str, document_ids: list[str]) -> SupplierInvoice:
    """Add documents to an invoice in any state (a scan may come after payment); ones already there stay as
    they were, so attaching twice changes nothing."""
    invoice = await get_invoice(session, invoice_id, lock=True)
    current = attachments(invoice)
    known = {a.document_id for a in current}
    now = utcnow()
    new = [Attachment(document_id=d, attached_by=user.user_id, attached_at=now) for d in dict.fromkeys(document_ids)]
    new = [a for a in new if a.document_id not in known]
    if len(current) + len(new) > MAX_DOCUMENTS:
        raise Unprocessable(
            f"document_ids: invoice {invoice.number} has {len(current)} documents; at most {MAX_DOCUMENTS} in all",
            slug="documents",
        )
    if new:
        invoice.document_ids, invoice.updated_at = _stored(current + new), now
    return invoice


def _hold_ended(invoice: SupplierInvoice, today: date) -> bool:
    return invoice.status == "on_hold" and invoice.hold_until is not None and invoice.hold_until <= today


async def hold(session: AsyncSession, invoice_id: str, body: Hold, today: date) -> SupplierInvoice:
    """Hold an unpaid invoice, with a reason and maybe a release date."""
    invoice = await get_invoice(session, invoice_id, lock=True)
    if invoice.status not in ("received", "approved", "on_hold"):
        raise Conflict(f"invoice {invoice.number} is {invoice.status}: it can no longer be held", slug="invoice-state")
    if body.until is not None and body.until <= today:
        raise Unprocessable("until: the release date must be in the future", slug="hold-until")
    invoice.hold_reason, invoice.hold_until, invoice.updated_at = body.reason, body.until, utcnow()
    invoice.status = "on_hold"  # released back to approved or received, as approved_by says
    return invoice


async def release(session: AsyncSession, invoice_id: str, today: date) -> SupplierInvoice:
    """Release an invoice from its hold, back to approved or received."""
    invoice = await get_invoice(session, invoice_id, lock=True)
    if shown_status(invoice, today) != "on_hold":
        ended = f" (its hold ended on {invoice.hold_until})" if _hold_ended(invoice, today) else ""
        raise Conflict(
            f"invoice {invoice.number} is {shown_status(invoice, today)}, not on hold{ended}",
            slug="invoice-state",
        )
    invoice.status = "approved" if invoice.approved_by else "received"
    invoice.hold_reason, invoice.hold_until, invoice.updated_at = None, None, utcnow()
    return invoice


async def cancel(session: AsyncSession, user: Principal, invoice_id: str, today: date) -> SupplierInvoice:
    """Cancel an unpaid invoice; what its approval posted is reversed on ``today``."""
    invoice = await get_invoice(session, invoice_id, lock=True)
    if invoice.status in ("scheduled", "paid", "cancelled"):
        raise Conflict(
            f"invoice {invoice.number} is {invoice.status}: it can no longer be cancelled", slug="invoice-state"
        )
    if invoice.approved_by:
        await reverse_source(session, user, "invoice", invoice.id, today)
    invoice.status, invoice.updated_at = "cancelled", utcnow()
    return invoice


async def search_invoices(
    session: AsyncSession,
    *,
    status: str | None,
    supplier_id: str | None,
    due_by: date | None,
    limit: int,
    offset: int,
    today: date,
    number: str | None = None,
    invoice_date: date | None = None,
    total: Decimal | None = None,
) -> InvoicePage:
    """Invoices by due date; ``status`` as of ``today``, as they are shown (a hold that ended is over). ``number``,
    ``invoice_date`` and ``total`` match exactly: with the supplier, they find an invoice entered already."""
    query = select(SupplierInvoice)
    if status is not None:
        query = query.where(status_clause(status, today))
    if supplier_id is not None:
        query = query.where(SupplierInvoice.supplier_id == supplier_id)
    if due_by is not None:
        query = query.where(SupplierInvoice.due_date <= due_by)
    if number is not None:
        query = query.where(SupplierInvoice.number == number)
    if invoice_date is not None:
        query = query.where(SupplierInvoice.invoice_date == invoice_date)
    if total is not None:
        query = query.where(SupplierInvoice.total == total)
    count = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(SupplierInvoice.due_date, SupplierInvoice.id).limit(limit).offset(offset)
    )
    return InvoicePage(items=await invoice_reads(session, list(rows), today), total=count, limit=limit, offset=offset)
