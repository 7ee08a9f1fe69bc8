"""Payment runs: the bank file checked against the ISO schema, a run per currency, and refusals that leave nothing
half written."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

import sepaxml
from backoffice.payroll.payments.service import PAIN_001_XSD
from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import (
    IBANS,
    clerks,
    enter_invoice,
    legacy_supplier,
    ok,
    pain001,
    pain001_dict,
    problem,
    stored_events,
)

D = Decimal
TODAY = date.today()
# The ISO 20022 schema as sepaxml ships it (the archive's file with a source comment, re-indented): its digest
# is recorded here so that a sepaxml upgrade changing the schema the bank files are checked against fails here.
PAIN_SHA256 = "ed4be42522e3e35b108b3ad2ebbcc65da987cddbf6cfdc20828cd4fd0d69c51a"


def test_the_pain001_schema_is_the_iso_file_whose_digest_is_recorded() -> None:
    content = PAIN_001_XSD.read_bytes()
    assert hashlib.sha256(content).hexdigest() == PAIN_SHA256
    assert b"SWIFTStandards Workstation (build:R6.1.0.2) on 2009 Jan 08" in content
    # It really checks: the document sepaxml writes passes, the same with a broken amount or element does not.
    bank = sepaxml.SepaTransfer(
        {"name": "Us", "IBAN": IBANS[0], "BIC": "COBADEFFXXX", "batch": True, "currency": "EUR"},
        schema="pain.001.001.03",
    )
    bank.add_payment({"name": "Them", "IBAN": IBANS[1], "amount": 1250, "execution_date": TODAY, "description": "x"})
    xml = bank.export(validate=False).decode()
    pain001().validate(xml)
    assert "<CtrlSum>12.50</CtrlSum>" in xml
    for broken in (xml.replace("<CtrlSum>12.50</CtrlSum>", "<CtrlSum>12,50</CtrlSum>", 1), xml.replace("Nm>", "Name>")):
        assert not pain001().is_valid(broken)


def test_invoices_in_other_currencies_are_paid_by_their_own_runs_and_the_rest_refused_at_entry(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "fx")
    london = ok(ann.post("/suppliers", json={"name": "London Ltd", "iban": "GB29NWBK60161331926819"}), 201)["id"]
    zurich = ok(
        ann.post("/suppliers", json={"name": "Zurich AG", "iban": "CH9300762011623852957", "bic": "UBSWCHZH80A"}), 201
    )["id"]
    # A currency with three decimals cannot be carried by a bank file: refused at entry, naming what can be paid.
    refused = problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": london,
                "number": "KW-1",
                "invoice_date": TODAY.isoformat(),
                "currency": "KWD",
                "lines": [{"description": "x", "unit_price": "1.250"}],
            },
        ),
        422,
    )
    assert "KWD" in refused
    assert "EUR" in refused
    assert "GBP" in refused
    assert "CHF" in refused
    assert ok(ann.get("/invoices"))["total"] == 0
    pounds = [
        enter_invoice(ann, london, f"GB-{n}", amount, TODAY, currency="GBP")
        for n, amount in enumerate(("80.10", "19.90"))
    ]
    francs = enter_invoice(ann, zurich, "CH-1", "1200.00", TODAY, currency="CHF")
    euros = enter_invoice(ann, zurich, "EU-1", "10.00", TODAY)
    for inv in (*pounds, francs, euros):
        ok(bob.post(f"/invoices/{inv['id']}/approve"))
    assert "KWD" in problem(
        ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "KWD"}), 422
    )

    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "GBP"}), 201)
    assert {line["invoice_id"] for line in run["lines"]} == {p["id"] for p in pounds}
    assert run["total"] == "100.00"
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert [(p["supplier_id"], p["amount"]) for p in run["payments"]] == [(london, "100.00")]
    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    pain001().validate(xml)
    info = pain001_dict(xml)["CstmrCdtTrfInitn"]["PmtInf"][0]
    assert "PmtTpInf" not in info  # no SEPA service level outside the euro
    assert "<ChrgBr>SHAR</ChrgBr>" in xml
    assert "<CtrlSum>100.00</CtrlSum>" in xml
    assert "SLEV" not in xml
    assert [(t["Amt"]["InstdAmt"]["@Ccy"], str(t["Amt"]["InstdAmt"]["$"])) for t in info["CdtTrfTxInf"]] == [
        ("GBP", "100.00")
    ]
    assert ann.get(f"/payment-runs/{run['id']}/transfers.csv").text.splitlines()[1].split(",")[3:5] == ["100.00", "GBP"]
    for inv in pounds:
        assert ok(ann.get(f"/invoices/{inv['id']}"))["status"] == "paid"
    assert ok(ann.get(f"/invoices/{francs['id']}"))["status"] == "approved"  # a franc run of its own pays it
    gbp = ok(ann.get("/ledger/trial-balance", params={"currency": "GBP"}))
    balances = {r["account"]: D(r["balance"]) for r in gbp["rows"]}
    assert gbp["balanced"]
    assert balances["2000"] == 0
    assert balances["1000"] == D("-100.00")
    assert balances["6000"] == D("100.00")

    chf = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "CHF"}), 201)
    ok(bob.post(f"/payment-runs/{chf['id']}/approve"))
    ok(ann.post(f"/payment-runs/{chf['id']}/execute"))
    xml = ann.get(f"/payment-runs/{chf['id']}/pain.001.xml").text
    pain001().validate(xml)
    assert 'Ccy="CHF">1200.00<' in xml
    assert "<BIC>UBSWCHZH80A</BIC>" in xml
    # Outside SEPA the charges are shared (SLEV only means something with the SEPA service level).
    assert "<ChrgBr>SHAR</ChrgBr>" in xml
    assert "SLEV" not in xml
    assert "<SvcLvl>" not in xml

    # Yen have no minor unit: the file writes whole yen, as the invoice and the ledger do, not 1234.00.
    yen = [
        enter_invoice(ann, london, f"JP-{n}", amount, TODAY, currency="JPY")
        for n, amount in enumerate(("1000", "234.4"))
    ]
    assert [i["total"] for i in yen] == ["1000", "234"]
    for inv in yen:
        ok(bob.post(f"/invoices/{inv['id']}/approve"))
    jpy = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "JPY"}), 201)
    assert jpy["total"] == "1234"
    ok(bob.post(f"/payment-runs/{jpy['id']}/approve"))
    assert [p["amount"] for p in ok(ann.post(f"/payment-runs/{jpy['id']}/execute"))["payments"]] == ["1234"]
    xml = ann.get(f"/payment-runs/{jpy['id']}/pain.001.xml").text
    pain001().validate(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain')
    assert xml.count("<CtrlSum>1234</CtrlSum>") == 2  # the group header's and the payment's
    assert '<InstdAmt Ccy="JPY">1234</InstdAmt>' in xml
    assert "<ChrgBr>SHAR</ChrgBr>" in xml
    assert "1234.00" not in xml
    assert ann.get(f"/payment-runs/{jpy['id']}/transfers.csv").text.splitlines()[1].split(",")[3:5] == ["1234", "JPY"]

    # A euro run stays a SEPA credit transfer: the SEPA service level, charges following it.
    eur = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    assert [line["number"] for line in eur["lines"]] == ["EU-1"]
    ok(bob.post(f"/payment-runs/{eur['id']}/approve"))
    ok(ann.post(f"/payment-runs/{eur['id']}/execute"))
    xml = ann.get(f"/payment-runs/{eur['id']}/pain.001.xml").text
    pain001().validate(xml)
    assert "<SvcLvl><Cd>SEPA</Cd></SvcLvl>" in xml
    assert "<ChrgBr>SLEV</ChrgBr>" in xml
    assert '<InstdAmt Ccy="EUR">10.00</InstdAmt>' in xml
    assert "<CtrlSum>10.00</CtrlSum>" in xml


def test_refused_requests_leave_nothing_half_written(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    database_url = payroll.env["BACKOFFICE_PAYROLL_DATABASE_URL"]
    ann, bob = clerks(gateway_client, payroll.url, "hw")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    # A BIC the bank file's schema does not take (a location code starting with 1, a passive participant's) is
    # refused when the supplier is added; one stored before that check (written here into the service's database,
    # as such a row was) makes its run's file fail at execution.
    refused_bic = ann.post("/suppliers", json={"name": "Odd Bank", "iban": IBANS[1], "bic": "cobafr1fxxx"})
    assert problem(refused_bic, 422).startswith("bic: 'COBAFR1FXXX' cannot be written in a bank file")
    assert refused_bic.json()["errors"][0]["field"] == "body.bic"
    assert ok(ann.get("/suppliers"))["total"] == 1
    odd_bank = legacy_supplier(database_url, "Odd Bank", IBANS[1], "COBAFR1FXXX")
    fine = enter_invoice(ann, paper, "P-1", "100.00", TODAY)
    odd = enter_invoice(ann, odd_bank, "S-1", "50.00", TODAY)
    ok(bob.post(f"/invoices/{fine['id']}/approve"))

    def state() -> dict[str, Any]:
        return {
            "entries": ok(ann.get("/journal-entries"))["total"],
            "balance": ok(ann.get("/ledger/trial-balance", params={"as_of": "2100-01-01"})),
            "invoices": {i["number"]: i["status"] for i in ok(ann.get("/invoices"))["items"]},
            "payments": ok(ann.get("/journal-entries", params={"source": "payment"}))["total"],
            "events": stored_events(database_url),
        }

    before = state()
    assert before["entries"] == 1
    assert before["invoices"] == {"P-1": "approved", "S-1": "received"}

    # Four eyes: who entered it cannot approve it.
    assert "four eyes" in problem(ann.post(f"/invoices/{odd['id']}/approve"), 403)
    assert state() == before

    # A closed month takes no entry.
    ok(bob.post("/periods/2020-01/close"), 201)
    entry = {
        "entry_date": "2020-01-15",
        "description": "late",
        "lines": [{"account": "1000", "debit": "5.00"}, {"account": "4000", "credit": "5.00"}],
    }
    assert "closed" in problem(ann.post("/journal-entries", json=entry), 409)
    assert state() == before

    # A CSV whose second entry is bad posts neither (the first was fine).
    csv_text = (
        "entry,date,account,debit,credit,description\n"
        f"a,{TODAY},1000,10.00,,sale\n"
        f"a,{TODAY},4000,,10.00,sale\n"
        f"b,{TODAY},1000,3.00,,sale\n"
        f"b,{TODAY},4000,,2.99,sale\n"
    )
    refused = problem(ann.post("/journal-entries/import", content=csv_text, headers={"Content-Type": "text/csv"}), 422)
    assert "entry b" in refused
    assert "does not balance" in refused
    assert state() == before

    # A run whose bank file fails: no payment, no ledger entry, no remittance event, the invoices still scheduled.
    ok(bob.post(f"/invoices/{odd['id']}/approve"))
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    scheduled = state()
    assert scheduled["invoices"] == {"P-1": "scheduled", "S-1": "scheduled"}
    assert scheduled["entries"] == 2
    refused = problem(ann.post(f"/payment-runs/{run['id']}/execute"), 422)
    assert "bank file" in refused
    assert "BIC" in refused
    assert state() == scheduled
    assert scheduled["events"] == before["events"] == 0
    after = ok(ann.get(f"/payment-runs/{run['id']}"))
    assert after["status"] == "approved"
    assert after["payments"] == []
    problem(ann.get(f"/payment-runs/{run['id']}/pain.001.xml"), 409)
    # Cancelling the run puts both back; the fine one is then paid on its own.
    ok(ann.post(f"/payment-runs/{run['id']}/cancel"))
    assert state()["invoices"] == {"P-1": "approved", "S-1": "approved"}
    paid = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "supplier_ids": [paper]}), 201)
    ok(bob.post(f"/payment-runs/{paid['id']}/approve"))
    ok(ann.post(f"/payment-runs/{paid['id']}/execute"))
    assert stored_events(database_url) == 1
    assert state()["invoices"]["P-1"] == "paid"
