"""Payment runs: propose the approved invoices that are due, let the clerk drop some, approve, execute.

Executing pays every remaining invoice: one transfer per supplier summing its invoices, a bank file in
ISO 20022 pain.001.001.03 (validated against its schema) and CSV, one ledger entry per transfer
(payables against the bank), and ``payroll.supplier_payment_made`` per supplier for the remittance advice.
"""

from __future__ import annotations

import functools
import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.dom import minidom

import sepaxml
from backoffice.payroll.events import emit
from backoffice.payroll.ledger.posting import EntryDraft, post_entries
from backoffice.payroll.money import PAYABLE_CURRENCIES, ZERO, quantum
from backoffice.payroll.payments.models import PaymentRun, PaymentRunLine, PaymentRunStatus, SupplierPayment
from backoffice.payroll.payments.schemas import (
    PaymentRead,
    PaymentRunCreate,
    PaymentRunPage,
    PaymentRunRead,
    PaymentRunSummary,
    ProposalLine,
    SupplierSubtotal,
)
from backoffice.payroll.settings import PayrollSettings
from backoffice.payroll.suppliers.models import Supplier, SupplierInvoice
from backoffice.shared import csvfile
from backoffice.shared.auth import Principal
from backoffice.shared.db import get_or_404, utcnow
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Problem, Unprocessable
from backoffice.shared.events import payroll as events
from backoffice.shared.events.contract import Contract
from backoffice.shared.ids import new_id
from sepaxml import SepaTransfer
from sqlalchemy import ColumnElement, and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000
# The ISO 20022 schema every bank file is checked against: the archive's file as the sepaxml package ships it
# (the version pinned in uv.lock; the tests check its digest, so an upgrade that changes it is noticed). It is
# validated here by xmlschema itself, not through sepaxml's own export check.
PAIN_001_XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"


@functools.cache
def pain001_schema() -> Any:
    """The pain.001.001.03 XML schema, loaded once."""
    import xmlschema  # imported when first needed: sepaxml warns that xmlschema patches ElementTree on import

    return xmlschema.XMLSchema(str(PAIN_001_XSD))


def _unpayable_currency(currency: str) -> Problem:
    return Unprocessable(
        f"currency {currency!r}: payment runs pay invoices in {', '.join(PAYABLE_CURRENCIES)} "
        "(a bank file carries amounts with at most two decimals)",
        slug="currency",
    )


async def _unschedule(session: AsyncSession, which: ColumnElement[bool]) -> None:
    """Back to where they were: a held invoice stays held until its release date, the others approved."""
    now = utcnow()
    await session.execute(
        update(SupplierInvoice)
        .where(which, SupplierInvoice.hold_until.is_not(None))
        .values(status="on_hold", payment_run_id=None, updated_at=now)
    )
    await session.execute(
        update(SupplierInvoice)
        .where(which, SupplierInvoice.hold_until.is_(None))
        .values(status="approved", payment_run_id=None, updated_at=now)
    )


async def _get(session: AsyncSession, run_id: str, *, lock: bool = False) -> PaymentRun:
    return await get_or_404(session, PaymentRun, run_id, lock=lock)


async def create_run(session: AsyncSession, user: Principal, body: PaymentRunCreate, today: date) -> PaymentRun:
    """Propose every approved invoice due by ``due_by`` (and held ones whose hold ends by the execution day)."""
    currency = body.currency.upper()
    if currency not in PAYABLE_CURRENCIES:
        raise _unpayable_currency(body.currency)
    if body.execution_date < today:
        raise Unprocessable("execution_date: the bank cannot pay in the past", slug="execution-date")
    due_by = body.due_by or body.execution_date
    eligible = or_(
        SupplierInvoice.status == "approved",
        and_(
            SupplierInvoice.status == "on_hold",
            SupplierInvoice.approved_by.is_not(None),
            SupplierInvoice.hold_until.is_not(None),
            SupplierInvoice.hold_until <= body.execution_date,
        ),
    )
    query = select(SupplierInvoice.id, SupplierInvoice.supplier_id, SupplierInvoice.total).where(
        eligible, SupplierInvoice.currency == currency, SupplierInvoice.due_date <= due_by
    )
    if body.supplier_ids:
        query = query.where(SupplierInvoice.supplier_id.in_(body.supplier_ids))
    rows = (
        await session.execute(query.order_by(SupplierInvoice.supplier_id, SupplierInvoice.due_date).with_for_update())
    ).all()
    if not rows:
        raise Unprocessable(f"no approved {currency} invoice is due by {due_by}", slug="nothing-to-pay")
    now = utcnow()
    run = PaymentRun(
        id=new_id(),
        execution_date=body.execution_date,
        due_by=due_by,
        currency=currency,
        status="proposed",
        total=sum((r.total for r in rows), ZERO),
        invoice_count=len(rows),
        created_at=now,
        created_by=user.user_id,
    )
    session.add(run)
    await session.flush()
    lines = [
        {"run_id": run.id, "invoice_id": r.id, "supplier_id": r.supplier_id, "amount": r.total, "dropped": False}
        for r in rows
    ]
    for start in range(0, len(lines), CHUNK):
        await session.execute(insert(PaymentRunLine), lines[start : start + CHUNK])
        ids = [line["invoice_id"] for line in lines[start : start + CHUNK]]
        await session.execute(
            update(SupplierInvoice)
            .where(SupplierInvoice.id.in_(ids))
            .values(status="scheduled", payment_run_id=run.id, updated_at=now)
        )
    return run


async def drop_line(session: AsyncSession, run_id: str, invoice_id: str) -> PaymentRun:
    """Leave an invoice out of a proposed run; it is due again for the next one."""
    run = await _get(session, run_id, lock=True)
    if run.status != "proposed":
        raise Conflict(f"payment run {run.id} is {run.status}: only a proposal can change", slug="payment-run-state")
    line = await session.scalar(
        select(PaymentRunLine).where(PaymentRunLine.run_id == run.id, PaymentRunLine.invoice_id == invoice_id)
    )
    if line is None or line.dropped:
        raise NotFound("invoice in this payment run", invoice_id)
    line.dropped = True
    run.total -= line.amount
    run.invoice_count -= 1
    await _unschedule(session, SupplierInvoice.id == invoice_id)
    return run


async def approve(
    session: AsyncSession, user: Principal, run_id: str, *, admin_approves_own: bool = False
) -> PaymentRun:
    """Approve a proposal: by someone other than who proposed it (four eyes, as for invoices); an admin may approve
    their own proposal only where the company allows it (``ADMIN_APPROVES_OWN_PAYMENT_RUNS``)."""
    run = await _get(session, run_id, lock=True)
    if run.status != "proposed":
        raise Conflict(f"payment run {run.id} is {run.status}: only a proposal is approved", slug="payment-run-state")
    if run.created_by == user.user_id and not (admin_approves_own and user.is_admin):
        raise Forbidden("someone other than who proposed the payment run must approve it (four eyes)", slug="four-eyes")
    if run.invoice_count == 0:
        raise Unprocessable("every invoice was dropped: cancel the run instead", slug="empty-run")
    run.status, run.approved_at, run.approved_by = "approved", utcnow(), user.user_id
    return run


async def cancel(session: AsyncSession, run_id: str) -> PaymentRun:
    """Cancel a run not yet executed; its invoices are due again."""
    run = await _get(session, run_id, lock=True)
    if run.status not in ("proposed", "approved"):
        raise Conflict(f"payment run {run.id} is {run.status}: it can no longer be cancelled", slug="payment-run-state")
    await _unschedule(session, and_(SupplierInvoice.payment_run_id == run.id, SupplierInvoice.status == "scheduled"))
    run.status = "cancelled"
    return run


def _end_to_end(payment_id: str) -> str:
    return payment_id.replace("-", "")[:35]


async def execute(session: AsyncSession, user: Principal, run_id: str, settings: PayrollSettings) -> PaymentRun:
    """Pay: invoices paid, a transfer per supplier, the bank file, the ledger, the remittance events."""
    run = await _get(session, run_id, lock=True)
    if run.status != "approved":
        raise Conflict(
            f"payment run {run.id} is {run.status}: only an approved run is executed"
            + (" (approve it first)" if run.status == "proposed" else ""),
            slug="payment-run-state",
        )
    rows = (
        await session.execute(
            select(
                PaymentRunLine.supplier_id,
                SupplierInvoice.id,
                SupplierInvoice.number,
                SupplierInvoice.invoice_date,
                SupplierInvoice.total,
                SupplierInvoice.status,
            )
            .join(SupplierInvoice, SupplierInvoice.id == PaymentRunLine.invoice_id)
            .where(PaymentRunLine.run_id == run.id, PaymentRunLine.dropped.is_(False))
            .order_by(PaymentRunLine.supplier_id, SupplierInvoice.due_date, SupplierInvoice.id)
        )
    ).all()
    not_payable = [r.number for r in rows if r.status != "scheduled"]
    if not_payable:
        raise Conflict(f"invoices no longer scheduled: {', '.join(not_payable[:20])}", slug="payment-run-state")
    by_supplier: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_supplier[row.supplier_id].append(row)
    suppliers = {s.id: s for s in await session.scalars(select(Supplier).where(Supplier.id.in_(list(by_supplier))))}
    unit = quantum(run.currency)
    now = utcnow()
    bank = SepaTransfer(
        {
            "name": settings.company_name,
            "IBAN": settings.company_iban,
            "BIC": settings.company_bic,
            "batch": True,
            "currency": run.currency,
            "domestic": run.currency != "EUR",  # no SEPA service level: a plain ISO 20022 credit transfer
        },
        schema="pain.001.001.03",
    )
    transfers = io.StringIO()
    sheet = csvfile.writer(transfers)
    sheet.writerow(["supplier", "iban", "bic", "amount", "currency", "execution_date", "end_to_end_id", "invoices"])
    payments, drafts = [], []
    notices: list[tuple[Contract, str]] = []
    accounts = settings.ledger_accounts
    for supplier_id, invoices in by_supplier.items():
        supplier = suppliers[supplier_id]
        amount = sum((r.total for r in invoices), ZERO).quantize(unit)
        payment_id = new_id()
        e2e = _end_to_end(payment_id)
        numbers = [r.number for r in invoices]
        payments.append(
            {
                "id": payment_id,
                "run_id": run.id,
                "supplier_id": supplier_id,
                "amount": amount,
                "currency": run.currency,
                "execution_date": run.execution_date,
                "end_to_end_id": e2e,
                "invoice_ids": json.dumps([r.id for r in invoices]),
                "created_at": now,
            }
        )
        transfer = {
            "name": supplier.name,
            "IBAN": supplier.iban,
            "amount": int(amount * 100),  # sepaxml takes cents; a currency without them is rewritten below
            "execution_date": run.execution_date,
            "description": ("Invoices " + ", ".join(numbers))[:140],
            "endtoend_id": e2e,
        }
        if supplier.bic:
            transfer["BIC"] = supplier.bic
        try:
            bank.add_payment(transfer)
        except Exception as exc:  # sepaxml raises plain exceptions for data it cannot write
            raise _bank_file_problem(f"{supplier.name}: {exc}") from None
        sheet.writerow(
            [
                supplier.name,
                supplier.iban,
                supplier.bic or "",
                amount,
                run.currency,
                run.execution_date,
                e2e,
                " ".join(numbers),
            ]
        )
        drafts.append(
            EntryDraft(
                run.execution_date,
                f"Payment to {supplier.name}",
                run.currency,
                [(accounts["payables"], amount, ZERO, None), (accounts["bank"], ZERO, amount, None)],
                source="payment",
                source_id=payment_id,
            )
        )
        notices.append(
            (
                events.SupplierPaymentMade(
                    payment_id=payment_id,
                    payment_run_id=run.id,
                    supplier_id=supplier_id,
                    supplier_name=supplier.name,
                    email=supplier.email,
                    fax=supplier.fax,
                    amount=amount,
                    currency=run.currency,
                    execution_date=run.execution_date,
                    end_to_end_id=e2e,
                    invoices=[
                        events.PaidInvoice(
                            invoice_id=r.id,
                            number=r.number,
                            invoice_date=r.invoice_date,
                            amount=r.total.quantize(unit),
                        )
                        for r in invoices
                    ],
                ),
                supplier_id,
            )
        )
    # The bank file is written and checked before anything is stored: a file the bank would refuse leaves
    # the run, its invoices, the ledger and the outbox as they were.
    pain001 = _pain001(bank, run.currency)
    for start in range(0, len(payments), CHUNK):
        await session.execute(insert(SupplierPayment), payments[start : start + CHUNK])
    paid = [
        {
            "id": r.id,
            "status": "paid",
            "payment_id": p["id"],
            "paid_on": run.execution_date,
            "updated_at": now,
            "hold_reason": None,
            "hold_until": None,
        }
        for p in payments
        for r in by_supplier[str(p["supplier_id"])]
    ]
    for start in range(0, len(paid), CHUNK):
        await session.execute(update(SupplierInvoice), paid[start : start + CHUNK])  # by primary key
    await post_entries(session, user.user_id, drafts, roll_forward=True)
    await emit.many(session, notices)
    run.pain001 = pain001
    run.transfers_csv = transfers.getvalue()
    run.status, run.executed_at = "executed", now
    return run


def _bank_file_problem(reason: str) -> Problem:
    return Unprocessable(
        f"the bank file cannot be written: {reason[:300]} (check the suppliers' names and bank details)",
        slug="bank-file",
    )


PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


def _outside_sepa(xml: str, currency: str) -> str:
    """The file of a run in another currency than the euro, as its bank reads it: sepaxml writes the SEPA charge
    bearer (SLEV, which only means something with the SEPA service level) and amounts in cents; here the charges
    are shared (SHAR) and every amount has the currency's own decimals (1000 JPY, not 1000.00)."""
    document = minidom.parseString(xml)
    for bearer in document.getElementsByTagNameNS(PAIN_NS, "ChrgBr"):
        _text(bearer).data = "SHAR"
    unit = quantum(currency)
    for tag in ("CtrlSum", "InstdAmt"):
        for amount in document.getElementsByTagNameNS(PAIN_NS, tag):
            _text(amount).data = str(Decimal(_text(amount).data).quantize(unit))
    return document.toxml(encoding="UTF-8").decode()


def _text(element: minidom.Element) -> minidom.Text:
    """The text an element of the bank file holds (sepaxml writes every value as an element's only child)."""
    node = element.firstChild
    assert isinstance(node, minidom.Text)
    return node


def _pain001(bank: SepaTransfer, currency: str) -> str:
    """The pain.001 XML of the run, valid against the ISO 20022 schema kept with this code (or a 422)."""
    try:
        xml: str = bank.export(validate=False).decode()
    except Exception as exc:  # sepaxml raises plain exceptions for data it cannot write
        raise _bank_file_problem(str(exc)) from None
    if currency != "EUR":
        xml = _outside_sepa(xml, currency)
    errors = [
        f"{getattr(error, 'path', None) or ''} {getattr(error, 'reason', None) or error}".strip()
        for error in pain001_schema().iter_errors(xml)
    ]
    if errors:
        raise _bank_file_problem(f"it breaks the pain.001.001.03 schema: {'; '.join(errors[:3])}")
    return xml


async def read(session: AsyncSession, run_id: str) -> PaymentRunRead:
    """A payment run: its lines as proposed, then the payment to each supplier once executed."""
    run = await _get(session, run_id)
    rows = (
        await session.execute(
            select(PaymentRunLine, SupplierInvoice.number, SupplierInvoice.due_date, Supplier.name)
            .join(SupplierInvoice, SupplierInvoice.id == PaymentRunLine.invoice_id)
            .join(Supplier, Supplier.id == PaymentRunLine.supplier_id)
            .where(PaymentRunLine.run_id == run.id)
            .order_by(Supplier.name, SupplierInvoice.due_date)
        )
    ).all()
    unit = quantum(run.currency)
    payments = (await session.scalars(select(SupplierPayment).where(SupplierPayment.run_id == run.id))).all()
    subtotals: dict[str, SupplierSubtotal] = {}
    for line, _number, _due, name in rows:
        if line.dropped:
            continue
        entry = subtotals.get(line.supplier_id) or SupplierSubtotal(
            supplier_id=line.supplier_id, supplier_name=name, amount=ZERO, invoices=0
        )
        subtotals[line.supplier_id] = entry
        entry.amount += line.amount.quantize(unit)
        entry.invoices += 1
    return PaymentRunRead(
        id=run.id,
        execution_date=run.execution_date,
        due_by=run.due_by,
        currency=run.currency,
        status=run.status,
        total=run.total.quantize(unit),
        invoices=run.invoice_count,
        suppliers=len({line.supplier_id for line, *_ in rows if not line.dropped}),
        lines=[
            ProposalLine(
                invoice_id=line.invoice_id,
                supplier_id=line.supplier_id,
                supplier_name=name,
                number=number,
                due_date=due,
                amount=line.amount.quantize(unit),
                dropped=line.dropped,
            )
            for line, number, due, name in rows
        ],
        by_supplier=list(subtotals.values()),
        payments=[
            PaymentRead(
                id=p.id,
                supplier_id=p.supplier_id,
                amount=p.amount.quantize(unit),
                end_to_end_id=p.end_to_end_id,
                invoice_ids=json.loads(p.invoice_ids),
            )
            for p in payments
        ],
        created_at=run.created_at,
        created_by=run.created_by,
        approved_by=run.approved_by,
        executed_at=run.executed_at,
    )


async def search(session: AsyncSession, *, status: PaymentRunStatus | None, limit: int, offset: int) -> PaymentRunPage:
    """Payment runs, newest first; only those in ``status`` if given."""
    query = select(PaymentRun)
    if status is not None:
        query = query.where(PaymentRun.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(PaymentRun.created_at.desc(), PaymentRun.id.desc()).limit(limit).offset(offset)
    )
    items = [
        PaymentRunSummary(
            id=run.id,
            execution_date=run.execution_date,
            due_by=run.due_by,
            currency=run.currency,
            status=run.status,
            total=run.total.quantize(quantum(run.currency)),
            invoices=run.invoice_count,
            created_at=run.created_at,
            created_by=run.created_by,
            approved_by=run.approved_by,
            executed_at=run.executed_at,
        )
        for run in rows
    ]
    return PaymentRunPage(items=items, total=total, limit=limit, offset=offset)


async def bank_file(session: AsyncSession, run_id: str, kind: str) -> str:
    """The bank file of an executed run: the pain.001 XML (``kind`` xml) or the transfers as CSV."""
    run = await _get(session, run_id)
    content = run.pain001 if kind == "xml" else run.transfers_csv
    if content is None:
        raise Conflict(
            f"payment run {run.id} is {run.status}: the bank file exists once it is executed",
            slug="payment-run-state",
        )
    return content
