"""Flow 4: supplier invoices are entered by one clerk and approved by another, then paid in a payment run: a
pain.001 bank file valid against the ISO 20022 schema, remittance advices e-mailed and faxed (through the
e-mail-to-fax gateway) and received by a real SMTP server, and the ledger entries of invoices and payments."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import partial
from typing import Any

from e2ekit import FAX_DOMAIN, RUN, TODAY, Company, User, attachments, money, ok, pdf_text, wait_for

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def invoice(clerk: User, supplier: dict[str, Any], number: str, lines: list[tuple[str, str, str]]) -> dict[str, Any]:
    body = {
        "supplier_id": supplier["id"],
        "number": number,
        "invoice_date": TODAY.isoformat(),
        "due_date": TODAY.isoformat(),
        "lines": [{"description": d, "unit_price": p, "expense_account": a} for d, p, a in lines],
    }
    return dict(ok(clerk.post("/api/payroll/invoices", json=body), 201))


def test_approved_invoices_are_paid_with_a_bank_file_remittances_and_ledger_entries(company: Company) -> None:
    clerk, approver, mail = company.clerk, company.second_clerk, company.mail
    fax = f"+33 1 {random.randint(10_000_000, 99_999_999)}"
    paper = ok(
        clerk.post(
            "/api/payroll/suppliers",
            json={
                "name": f"Paper & Co {RUN}",
                "iban": "DE89 3704 0044 0532 0130 00",
                "bic": "COBADEFFXXX",
                "email": f"billing.{RUN}@paper.example",
                "fax": fax,
            },
        ),
        201,
    )
    cloud = ok(
        clerk.post(
            "/api/payroll/suppliers",
            json={
                "name": f"Cloud Ltd {RUN}",
                "iban": "GB29 NWBK 6016 1331 9268 19",
                "email": f"ar.{RUN}@cloud.example",
            },
        ),
        201,
    )
    assert paper["iban_masked"].startswith("DE89")
    assert "0532" not in paper["iban_masked"]
    a4 = invoice(clerk, paper, f"P-{RUN}-1", [("A4 paper", "42.00", "6300"), ("Toner", "88.50", "6300")])
    pens = invoice(clerk, paper, f"P-{RUN}-2", [("Pens", "19.90", "6300")])
    hosting = invoice(clerk, cloud, f"C-{RUN}-1", [("Hosting, one month", "250.00", "6200")])
    disputed = invoice(clerk, cloud, f"C-{RUN}-2", [("Extra storage", "75.00", "6200")])  # never approved
    assert money(a4["total"]) == Decimal("130.50")

    # Four eyes: the clerk who entered them may not approve them; the other clerk does, and each is booked.
    assert clerk.post(f"/api/payroll/invoices/{a4['id']}/approve").status_code == 403
    for entered in (a4, pens, hosting):
        assert ok(approver.post(f"/api/payroll/invoices/{entered['id']}/approve"))["status"] == "approved"
        posted = ok(clerk.get("/api/payroll/journal-entries", params={"source": "invoice", "source_id": entered["id"]}))
        assert posted["total"] == 1
        lines = {(ln["account"], money(ln["debit"]), money(ln["credit"])) for ln in posted["items"][0]["lines"]}
        total = money(entered["total"])
        expense = entered["lines"][0]["expense_account"]
        assert lines == {(expense, total, Decimal(0)), ("2000", Decimal(0), total)}

    # The payment run of these suppliers: the three approved invoices, not the fourth.
    run = ok(
        clerk.post(
            "/api/payroll/payment-runs",
            json={"execution_date": TODAY.isoformat(), "supplier_ids": [paper["id"], cloud["id"]]},
        ),
        201,
    )
    assert sorted(line["invoice_id"] for line in run["lines"]) == sorted([a4["id"], pens["id"], hosting["id"]])
    assert money(run["total"]) == Decimal("400.40")
    ok(approver.post(f"/api/payroll/payment-runs/{run['id']}/approve"))
    executed = ok(clerk.post(f"/api/payroll/payment-runs/{run['id']}/execute"))
    assert executed["status"] == "executed"
    assert len(executed["payments"]) == 2
    payments = {p["supplier_id"]: p for p in executed["payments"]}
    assert money(payments[paper["id"]]["amount"]) == Decimal("150.40")
    assert money(payments[cloud["id"]]["amount"]) == Decimal("250.00")
    for entered in (a4, pens, hosting):
        assert ok(clerk.get(f"/api/payroll/invoices/{entered['id']}"))["status"] == "paid"
    assert ok(clerk.get(f"/api/payroll/invoices/{disputed['id']}"))["status"] == "received"

    # The bank file: valid pain.001.001.03, one transfer per supplier, to their accounts, with the amounts.
    bank = clerk.get(f"/api/payroll/payment-runs/{run['id']}/pain.001.xml")
    assert bank.status_code == 200
    assert bank.headers["content-type"].startswith("application/xml")
    import xmlschema
    from backoffice.payroll.payments.service import PAIN_001_XSD  # the ISO file kept in the repository

    schema = xmlschema.XMLSchema(str(PAIN_001_XSD))
    schema.validate(bank.text)
    root = ET.fromstring(bank.text)
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert money(root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == Decimal("400.40")
    transfers = {
        tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS): (
            money(tx.findtext("p:Amt/p:InstdAmt", namespaces=NS)),
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
        )
        for tx in root.iterfind(".//p:CdtTrfTxInf", NS)
    }
    assert transfers == {
        "DE89370400440532013000": (Decimal("150.40"), payments[paper["id"]]["end_to_end_id"]),
        "GB29NWBK60161331926819": (Decimal("250.00"), payments[cloud["id"]]["end_to_end_id"]),
    }

    # The ledger: one payment entry per supplier, payables against the bank; the trial balance balanced.
    for supplier_id, payment in payments.items():
        posted = ok(clerk.get("/api/payroll/journal-entries", params={"source": "payment", "source_id": payment["id"]}))
        assert posted["total"] == 1, supplier_id
        amount = money(payment["amount"])
        lines = {(ln["account"], money(ln["debit"]), money(ln["credit"])) for ln in posted["items"][0]["lines"]}
        assert lines == {("2000", amount, Decimal(0)), ("1000", Decimal(0), amount)}
    assert ok(clerk.get("/api/payroll/ledger/trial-balance"))["balanced"] is True
    # What is still owed to them: only the invoice nobody approved.
    ageing = ok(clerk.get("/api/payroll/reports/payables-ageing"))
    ours = (paper["id"], cloud["id"])
    owed = {r["supplier_id"]: money(r["total"]) for r in ageing["rows"] if r["supplier_id"] in ours}
    assert owed == {cloud["id"]: Decimal("75.00")}

    # Remittance advices: filed per supplier, e-mailed to both, faxed to Paper & Co through the fax gateway.
    fax_address = f"{fax.replace('+', '').replace(' ', '')}@{FAX_DOMAIN}"
    wait_for(
        lambda: mail.to(paper["email"]) and mail.to(fax_address) and mail.to(cloud["email"]),
        "the remittance advices by e-mail and fax",
    )
    for address, numbers in (
        (paper["email"], [a4["number"], pens["number"]]),
        (fax_address, [a4["number"], pens["number"]]),
        (cloud["email"], [hosting["number"]]),
    ):
        received = mail.to(address)
        assert len(received) == 1, address
        (name, pdf), *others = attachments(received[0])
        assert not others
        assert name.endswith(".pdf")
        text = pdf_text(pdf)
        assert all(n in text for n in numbers), (address, text)
        assert disputed["number"] not in text

    def channels_are(document_id: str, expected: list[tuple[str, str]]) -> bool:
        deliveries = ok(clerk.get(f"/api/docs/documents/{document_id}/deliveries"))["items"]
        return sorted((d["channel"], d["status"]) for d in deliveries) == expected

    delivered = [("email", "delivered"), ("fax", "delivered")]
    for supplier, expected in ((paper, delivered), (cloud, delivered[:1])):
        advices = ok(clerk.get("/api/docs/documents", params={"supplier_id": supplier["id"]}))
        assert [d["type"] for d in advices["items"]] == ["remittance_advice"]
        document_id = advices["items"][0]["id"]
        wait_for(
            partial(channels_are, document_id, expected),
            f"the deliveries of {supplier['name']} recorded as delivered",
        )
