"""Suppliers and their invoices: names a bank file can carry, holds and their release, documents, accounts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import (
    IBANS,
    clerks,
    enter_invoice,
    ok,
    pain001,
    problem,
)
from sqlalchemy import select

D = Decimal
TODAY = date.today()


def test_a_supplier_whose_name_a_bank_file_cannot_carry_is_refused_when_added(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "nm")
    # Bank files carry names in Latin letters: only emoji, or only punctuation, leaves nothing to name the payee by.
    for name in ("\U0001f642\U0001f642", "--- !!! ---", "\u200b\u200b"):
        response = ann.post("/suppliers", json={"name": name, "iban": IBANS[1]})
        assert problem(response, 422).startswith("name: ")
        assert response.json()["errors"][0]["field"] == "body.name"
    assert ok(ann.get("/suppliers"))["total"] == 0
    # Names in other scripts are written in Latin letters (as the bank file will), so they are fine and paid.
    kept = [
        ok(ann.post("/suppliers", json={"name": name, "iban": iban}), 201)
        for name, iban in (("株式会社", IBANS[0]), ("Привет \U0001f642", IBANS[1]), ("Ωmega Büro", IBANS[2]))
    ]
    assert [s["name"] for s in kept] == ["株式会社", "Привет \U0001f642", "Ωmega Büro"]
    for n, supplier in enumerate(kept):
        ok(bob.post(f"/invoices/{enter_invoice(ann, supplier['id'], f'K-{n}', '10.00', TODAY)['id']}/approve"))
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    assert len(ok(ann.post(f"/payment-runs/{run['id']}/execute"))["payments"]) == 3
    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    pain001().validate(xml)
    assert "<Nm>Zhu Shi Hui She </Nm>" in xml
    assert "<Nm>Privet </Nm>" in xml
    assert "<Nm>Omega Buro</Nm>" in xml


def test_a_held_invoice_is_paid_by_a_run_after_its_release_date_and_its_hold_cleared(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "rel")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    held = enter_invoice(ann, paper, "H-1", "75.00", TODAY)
    ok(bob.post(f"/invoices/{held['id']}/approve"))
    release_on = TODAY + timedelta(days=5)
    ok(bob.post(f"/invoices/{held['id']}/hold", json={"reason": "credit note due", "until": release_on.isoformat()}))
    early = {"execution_date": (release_on - timedelta(days=1)).isoformat()}
    assert "no approved EUR invoice" in problem(ann.post("/payment-runs", json=early), 422)
    run = ok(ann.post("/payment-runs", json={"execution_date": release_on.isoformat()}), 201)
    assert [line["invoice_id"] for line in run["lines"]] == [held["id"]]
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert [p["invoice_ids"] for p in run["payments"]] == [[held["id"]]]
    assert run["payments"][0]["amount"] == "75.00"
    paid = ok(ann.get(f"/invoices/{held['id']}"))
    assert (paid["status"], paid["paid_on"], paid["hold_reason"], paid["hold_until"]) == (
        "paid",
        release_on.isoformat(),
        None,
        None,
    )
    pain001().validate(ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text)


def test_a_received_invoice_comes_off_hold_by_itself_on_its_release_date(database_url: str) -> None:
    from backoffice.payroll.app import MIGRATIONS_DIR
    from backoffice.payroll.ledger.models import JournalEntry
    from backoffice.payroll.suppliers import service as payables
    from backoffice.payroll.suppliers.schemas import Hold, InvoiceCreate, InvoiceLineIn, SupplierCreate
    from backoffice.shared.auth import Principal
    from backoffice.shared.errors import Problem
    from backoffice.shared.migrations import upgrade

    def clerk(name: str) -> Principal:
        return Principal(name, frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))

    async def run() -> None:
        db = Database(database_url)
        await upgrade(db, MIGRATIONS_DIR)
        try:
            async with db.session() as session:
                supplier = await payables.create_supplier(
                    session, clerk("ann"), SupplierCreate(name="P", iban=IBANS[0])
                )
                body = InvoiceCreate(
                    supplier_id=supplier.id,
                    number="R-1",
                    invoice_date=date(2026, 1, 2),
                    lines=[InvoiceLineIn(description="x", unit_price=D("12.00"))],
                )
                invoice = await payables.create_invoice(session, clerk("ann"), body, "6000")
                await payables.hold(
                    session, invoice.id, Hold(reason="wrong address", until=date(2026, 1, 10)), date(2026, 1, 3)
                )

            async def shown(day: date) -> tuple[str, str | None, str | None, dict[str, list[str]]]:
                """The invoice as of ``day``: status, hold reason and release date, and the lists it is in."""
                """The invoice as read on ``day``, and the numbers each status filter lists that day."""
                async with db.session(write=False) as session:
                    read = await payables.read_invoice(session, invoice.id, day)
                    listed = {
                        status: [
                            i.number
                            for i in (
                                await payables.search_invoices(
                                    session,
                                    status=status,
                                    supplier_id=supplier.id,
                                    due_by=None,
                                    limit=50,
                                    offset=0,
                                    today=day,
                                )
                            ).items
                        ]
                        for status in ("received", "on_hold", "approved")
                    }
                    until = None if read.hold_until is None else str(read.hold_until)
                    return read.status, read.hold_reason, until, listed

            # The day before its release date it is held; on that day it is received again, for a clerk to approve,
            # though nobody has touched it.
            assert await shown(date(2026, 1, 9)) == (
                "on_hold",
                "wrong address",
                "2026-01-10",
                {"received": [], "on_hold": ["R-1"], "approved": []},
            )
            assert await shown(date(2026, 1, 10)) == (
                "received",
                None,
                None,
                {"received": ["R-1"], "on_hold": [], "approved": []},
            )
            async with db.session() as session:
                with pytest.raises(Problem) as on_hold:
                    await payables.approve(session, clerk("bob"), invoice.id, "2000", date(2026, 1, 9))
            assert on_hold.value.status == 409
            assert "on hold until 2026-01-10" in str(on_hold.value.detail)
            async with db.session() as session:  # the release day: off hold by itself, and approved
                approved = await payables.approve(session, clerk("bob"), invoice.id, "2000", date(2026, 1, 10))
                assert (approved.status, approved.hold_reason, approved.hold_until) == ("approved", None, None)
            async with db.session() as session:  # approved, then held: approved again once its hold has ended
                await payables.hold(
                    session, invoice.id, Hold(reason="credit note", until=date(2026, 1, 20)), date(2026, 1, 11)
                )
            assert (await shown(date(2026, 1, 19)))[:3] == ("on_hold", "credit note", "2026-01-20")
            assert await shown(date(2026, 1, 20)) == (
                "approved",
                None,
                None,
                {"received": [], "on_hold": [], "approved": ["R-1"]},
            )
            for day, action, expected in (
                (date(2026, 1, 19), "approve", "is approved already (by bob on "),
                (date(2026, 1, 20), "approve", "is approved already (by bob on "),
                (date(2026, 1, 20), "release", "invoice R-1 is approved, not on hold (its hold ended on 2026-01-20)"),
            ):
                async with db.session() as session:
                    attempt = (
                        payables.approve(session, clerk("carl"), invoice.id, "2000", day)
                        if action == "approve"
                        else payables.release(session, invoice.id, day)
                    )
                    with pytest.raises(Problem) as refused:
                        await attempt
                detail = str(refused.value.detail)
                assert refused.value.status == 409
                assert expected in detail, detail
                assert "release it" not in detail
                if day.day == 19:
                    assert detail.endswith("; it is on hold until 2026-01-20: nothing to approve")
            async with db.session(write=False) as session:
                posted = (await session.scalars(select(JournalEntry).where(JournalEntry.source_id == invoice.id))).all()
                assert [e.total for e in posted] == [D("12.00")]
        finally:
            await db.dispose()

    asyncio.run(run())


def test_documents_are_attached_once_each_with_who_and_when(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "doc")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    assert "document_ids" in problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": paper,
                "number": "D-0",
                "invoice_date": TODAY.isoformat(),
                "lines": [{"description": "x", "unit_price": "1"}],
                "document_ids": ["x" * 65],
            },
        ),
        422,
    )
    entered = enter_invoice(ann, paper, "D-1", "10.00", TODAY, document_ids=["scan-1", "scan-2", "scan-1"])
    assert entered["document_ids"] == ["scan-1", "scan-2"]
    assert {a["attached_by"] for a in entered["attachments"]} == {entered["entered_by"]}
    ok(bob.post(f"/invoices/{entered['id']}/approve"))
    attached = ok(bob.post(f"/invoices/{entered['id']}/documents", json={"document_ids": ["scan-2", "delivery-note"]}))
    assert attached["document_ids"] == ["scan-1", "scan-2", "delivery-note"]
    by_document = {a["document_id"]: a for a in attached["attachments"]}
    assert by_document["scan-2"] == next(a for a in entered["attachments"] if a["document_id"] == "scan-2")
    assert by_document["delivery-note"]["attached_by"] == attached["approved_by"] != entered["entered_by"]
    assert datetime.fromisoformat(by_document["delivery-note"]["attached_at"]) >= datetime.fromisoformat(
        by_document["scan-1"]["attached_at"]
    )
    assert ok(ann.get(f"/invoices/{entered['id']}"))["attachments"] == attached["attachments"]
    assert "at most 50" in problem(
        ann.post(f"/invoices/{entered['id']}/documents", json={"document_ids": [f"d{n}" for n in range(48)]}), 422
    )
    assert "document_ids" in problem(ann.post(f"/invoices/{entered['id']}/documents", json={"document_ids": []}), 422)
    problem(ann.post("/invoices/nope/documents", json={"document_ids": ["a"]}), 404)


def test_invoice_lines_are_checked_against_the_chart_when_entered(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "chart")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    ok(ann.post("/accounts", json={"code": "6450", "name": "Training", "type": "expense"}), 201)
    ok(ann.post("/accounts", json={"code": "1500", "name": "Equipment", "type": "asset"}), 201)

    def body(number: str, *accounts: str | None) -> dict[str, Any]:
        return {
            "supplier_id": paper,
            "number": number,
            "invoice_date": TODAY.isoformat(),
            "lines": [
                {"description": f"line {n}", "unit_price": "10.00", **({"expense_account": a} if a else {})}
                for n, a in enumerate(accounts)
            ],
        }

    # A new expense account, an asset (a laptop kept on the balance sheet) and the default, in one invoice.
    entered = ok(ann.post("/invoices", json=body("C-1", "6450", "1500", None)), 201)
    assert [ln["expense_account"] for ln in entered["lines"]] == ["6450", "1500", "6000"]
    ok(bob.post(f"/invoices/{entered['id']}/approve"))
    posted = ok(ann.get("/journal-entries", params={"source": "invoice", "source_id": entered["id"]}))["items"][0]
    assert {(ln["account"], ln["debit"], ln["credit"]) for ln in posted["lines"]} == {
        ("1500", "10.00", "0.00"),
        ("6000", "10.00", "0.00"),
        ("6450", "10.00", "0.00"),
        ("2000", "0.00", "30.00"),
    }

    # An unknown account, a liability, income, and the bank account: each named by its line, nothing entered.
    response = ann.post("/invoices", json=body("C-2", "6000", "6999", "2000", "4000", "1000"))
    detail = problem(response, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [f"body.lines.{n}.expense_account" for n in (1, 2, 3, 4)]
    assert "lines[1].expense_account: account 6999 does not exist" in detail
    assert "lines[2].expense_account: account 2000 (Accounts payable) is a liability account" in detail
    assert "lines[3].expense_account: account 4000 (Sales revenue) is an income account" in detail
    assert "lines[4].expense_account: account 1000 is the bank account" in detail
    assert "lines[0]" not in detail
    assert [i["number"] for i in ok(ann.get("/invoices"))["items"]] == ["C-1"]
    # Once the account exists, the same invoice is taken.
    ok(ann.post("/accounts", json={"code": "6999", "name": "Sundry", "type": "expense"}), 201)
    ok(ann.post("/invoices", json=body("C-2", "6999")), 201)
