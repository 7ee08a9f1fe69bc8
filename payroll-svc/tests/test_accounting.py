"""Accounts payable, payment runs with a schema-valid pain.001, the ledger, and reports checked by hand."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import sepaxml
import xmlschema
from backoffice.payroll.payments.service import PAIN_001_XSD
from backoffice.payroll.suppliers.models import Supplier
from backoffice.shared.bus.tables import outbox
from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from dateutil.relativedelta import relativedelta
from payrollkit import RULES, hired, ok, payroll_events, problem, profile, publish, wait_for
from sqlalchemy import func, insert, select

D = Decimal
TODAY = date.today()
IBANS = [
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
]
# The ISO 20022 schema as sepaxml ships it (the archive's file with a source comment, re-indented): its digest
# is recorded here so that a sepaxml upgrade changing the schema the bank files are checked against fails here.
PAIN_SHA256 = "ed4be42522e3e35b108b3ad2ebbcc65da987cddbf6cfdc20828cd4fd0d69c51a"
PAIN = xmlschema.XMLSchema(str(PAIN_001_XSD))


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
    PAIN.validate(xml)
    assert "<CtrlSum>12.50</CtrlSum>" in xml
    for broken in (xml.replace("<CtrlSum>12.50</CtrlSum>", "<CtrlSum>12,50</CtrlSum>", 1), xml.replace("Nm>", "Name>")):
        assert not PAIN.is_valid(broken)


def test_invoices_to_payment_run_to_ledger_and_reports(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    publish(nats_server.url, hired("acc-sal", date(2020, 1, 1), pay_type="salaried", rate="3000", department="Finance"))
    payroll = start_service("payroll")
    ann = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("ap-ann", ["payroll"])))
    bob = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("ap-bob", ["payroll"])))

    # Suppliers: the IBAN is checked and never shown whole.
    assert "iban" in problem(ann.post("/suppliers", json={"name": "Bad", "iban": "DE00123456789012345678"}), 422)
    suppliers = [
        ok(
            ann.post(
                "/suppliers",
                json={
                    "name": f"Supplier {n}",
                    "iban": iban,
                    "payment_terms_days": 30,
                    "email": f"s{n}@example.com",
                    "fax": "+49 30 1234567",
                },
            ),
            201,
        )
        for n, iban in enumerate(IBANS)
    ]
    assert suppliers[0]["iban_masked"].startswith("DE89") and "0532013000" not in str(suppliers[0])

    def invoice(supplier: dict[str, Any], number: str, amount: str, due: date, **extra: Any) -> dict[str, Any]:
        body = {
            "supplier_id": supplier["id"],
            "number": number,
            "invoice_date": (due - timedelta(days=30)).isoformat(),
            "due_date": due.isoformat(),
            "lines": [{"description": "services", "unit_price": amount}],
            **extra,
        }
        return ok(ann.post("/invoices", json=body), 201)

    # Twelve invoices over six suppliers, all due; plus one entered twice, one in an unknown currency.
    invoices = [
        invoice(suppliers[n % 6], f"INV-{n}", f"{100 + n}.{n:02d}", TODAY - timedelta(days=n)) for n in range(12)
    ]
    assert "entered already" in problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": suppliers[0]["id"],
                "number": "INV-0",
                "invoice_date": "2026-01-01",
                "lines": [{"description": "again", "unit_price": "1"}],
            },
        ),
        409,
    )
    assert "currency" in problem(
        ann.post(
            "/invoices",
            json={
                "supplier_id": suppliers[0]["id"],
                "number": "X-1",
                "invoice_date": "2026-01-01",
                "currency": "XYZ",
                "lines": [{"description": "x", "unit_price": "1"}],
            },
        ),
        422,
    )

    # Four eyes: Ann entered them, so Bob approves.
    assert "four eyes" in problem(ann.post(f"/invoices/{invoices[0]['id']}/approve"), 403)
    for inv in invoices[:11]:
        assert ok(bob.post(f"/invoices/{inv['id']}/approve"))["status"] == "approved"
    unapproved = invoices[11]
    held = invoices[10]
    assert "future" in problem(
        bob.post(f"/invoices/{held['id']}/hold", json={"reason": "x", "until": TODAY.isoformat()}), 422
    )
    release_on = TODAY + timedelta(days=3)
    ok(bob.post(f"/invoices/{held['id']}/hold", json={"reason": "goods damaged", "until": release_on.isoformat()}))

    # Neither the unapproved nor the held invoice can be paid: no run has anything to pay for their suppliers.
    for invoice_id, supplier_id in ((unapproved["id"], unapproved["supplier_id"]), (held["id"], held["supplier_id"])):
        only = [x["id"] for x in invoices[:11] if x["supplier_id"] == supplier_id and x["id"] != invoice_id]
        for other in only:
            ok(bob.post(f"/invoices/{other}/hold", json={"reason": "isolate the test"}))
        assert "no approved" in problem(
            ann.post(
                "/payment-runs",
                json={"execution_date": (TODAY + timedelta(days=1)).isoformat(), "supplier_ids": [supplier_id]},
            ),
            422,
        )
        for other in only:
            ok(bob.post(f"/invoices/{other}/release"))

    run = ok(ann.post("/payment-runs", json={"execution_date": (TODAY + timedelta(days=1)).isoformat()}), 201)
    proposed = {line["invoice_id"] for line in run["lines"]}
    assert proposed == {i["id"] for i in invoices[:10]}  # the held one waits for its release, the unapproved is out
    dropped = invoices[3]
    run = ok(ann.post(f"/payment-runs/{run['id']}/lines/{dropped['id']}/drop"))
    assert run["invoices"] == 9
    problem(ann.post(f"/payment-runs/{run['id']}/execute"), 409)  # not approved yet
    # Four eyes: Ann proposed the run, so she cannot approve it; it stays a proposal until Bob does.
    assert "four eyes" in problem(ann.post(f"/payment-runs/{run['id']}/approve"), 403)
    assert ok(ann.get(f"/payment-runs/{run['id']}"))["status"] == "proposed"
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert run["status"] == "executed" and len(run["payments"]) == 6
    paid = [i for i in invoices[:10] if i["id"] != dropped["id"]]
    expected = sum((D(i["total"]) for i in paid), D(0))
    assert D(run["total"]) == expected == sum((D(p["amount"]) for p in run["payments"]), D(0))
    for p in run["payments"]:
        assert D(p["amount"]) == sum((D(i["total"]) for i in paid if i["id"] in p["invoice_ids"]), D(0))

    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml")
    assert xml.headers["content-type"].startswith("application/xml")
    PAIN.validate(xml.content)  # raises if the file breaks the ISO 20022 schema
    parsed = PAIN.to_dict(xml.content)
    transfers = parsed["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"]
    assert len(transfers) == 6 and D(str(parsed["CstmrCdtTrfInitn"]["GrpHdr"]["CtrlSum"])) == expected
    rows = list(csv.DictReader(io.StringIO(ann.get(f"/payment-runs/{run['id']}/transfers.csv").text)))
    assert sum((D(r["amount"]) for r in rows), D(0)) == expected
    assert {i["status"] for i in ok(ann.get("/invoices", params={"status": "paid"}))["items"]} == {"paid"}
    assert ok(ann.get(f"/invoices/{dropped['id']}"))["status"] == "approved"

    events = wait_for(
        lambda: (
            len(
                found := [
                    e
                    for e in payroll_events(nats_server.url, "payroll.supplier_payment_made")
                    if e.data["payment_run_id"] == run["id"]
                ]
            )
            == 6
            and found
        ),
        "remittances",
    )
    assert {e.data["email"] for e in events} == {f"s{n}@example.com" for n in range(6)}

    # The held invoice is paid by a run executed after its release date, with the dropped one.
    later = ok(ann.post("/payment-runs", json={"execution_date": (release_on + timedelta(days=1)).isoformat()}), 201)
    assert {line["invoice_id"] for line in later["lines"]} == {held["id"], dropped["id"]}
    ok(ann.post(f"/payment-runs/{later['id']}/cancel"))
    assert ok(ann.get(f"/invoices/{held['id']}"))["status"] == "on_hold"  # still held until its release date
    soon = ok(ann.post("/payment-runs", json={"execution_date": (TODAY + timedelta(days=1)).isoformat()}), 201)
    assert held["id"] not in {line["invoice_id"] for line in soon["lines"]}
    ok(ann.post(f"/payment-runs/{soon['id']}/cancel"))
    assert "no approved USD invoice" in problem(
        ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "USD"}), 422
    )
    assert "past" in problem(ann.post("/payment-runs", json={"execution_date": "2020-01-01"}), 422)
    invoice_entry = ok(ann.get("/journal-entries", params={"source": "invoice"}))["items"][0]
    assert "cancel the invoice" in problem(
        ann.post(f"/journal-entries/{invoice_entry['id']}/reversal", json={"reason": "by hand"}), 409
    )

    # The ledger: invoices and payments posted; bad entries refused; a month closed.
    assert "does not balance" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": TODAY.isoformat(),
                "description": "x",
                "lines": [{"account": "1000", "debit": "10"}, {"account": "4000", "credit": "9.99"}],
            },
        ),
        422,
    )
    assert "4999" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": TODAY.isoformat(),
                "description": "x",
                "lines": [{"account": "1000", "debit": "10"}, {"account": "4999", "credit": "10"}],
            },
        ),
        422,
    )
    year_ago = TODAY.replace(day=1) - timedelta(days=365)
    income = [
        (TODAY.replace(day=1), "5000.00"),
        (year_ago, "3000.00"),
        (TODAY.replace(day=1) - timedelta(days=40), "4000.00"),
        (TODAY.replace(day=1) - relativedelta(years=2), "100.00"),
    ]
    for day, amount in income:
        ok(
            ann.post(
                "/journal-entries",
                json={
                    "entry_date": day.isoformat(),
                    "description": "sales",
                    "lines": [{"account": "1000", "debit": amount}, {"account": "4000", "credit": amount}],
                },
            ),
            201,
        )
    imported = ok(
        ann.post(
            "/journal-entries/import",
            content=(
                "entry,date,account,debit,credit,description\n"
                f"r1,{TODAY.replace(day=1).isoformat()},6100,1200.00,,rent\n"
                f"r1,{TODAY.replace(day=1).isoformat()},1000,,1200.00,rent\n"
            ),
            headers={"Content-Type": "text/csv"},
        ),
        201,
    )
    assert imported["entries"] == 1
    assert "line 3" in problem(
        ann.post(
            "/journal-entries/import",
            content=("entry,date,account,debit,credit\nr2,2026-01-05,6100,1,\nr2,not-a-date,1000,,1\n"),
            headers={"Content-Type": "text/csv"},
        ),
        422,
    )
    old_month = (year_ago - timedelta(days=31)).strftime("%Y-%m")
    ok(bob.post(f"/periods/{old_month}/close"), 201)
    assert "closed" in problem(
        ann.post(
            "/journal-entries",
            json={
                "entry_date": f"{old_month}-15",
                "description": "late",
                "lines": [{"account": "1000", "debit": "1"}, {"account": "4900", "credit": "1"}],
            },
        ),
        409,
    )
    rent = imported["ids"][0]
    reversal = ok(ann.post(f"/journal-entries/{rent}/reversal", json={"reason": "wrong month"}), 201)
    assert reversal["reverses_entry_id"] == rent
    problem(ann.post(f"/journal-entries/{rent}/reversal", json={"reason": "again"}), 409)

    # A pay run posts its cost; paying it settles the net wages.
    profile(ann, "acc-sal")
    ok(
        ann.post("/pay-groups", json={"code": "monthly", "name": "Monthly", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(ann.post("/rule-sets", json={"pay_group": "monthly", "effective_from": "2020-01-01", "rules": RULES}), 201)
    month_start = TODAY.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pay = ok(
        ann.post(
            "/payruns",
            json={
                "pay_group": "monthly",
                "period_start": month_start.isoformat(),
                "period_end": month_end.isoformat(),
                "pay_date": month_end.isoformat(),
            },
        ),
        201,
    )
    ok(ann.post(f"/payruns/{pay['id']}/calculate"))
    pay = ok(ann.post(f"/payruns/{pay['id']}/approve"))
    ok(ann.post(f"/payruns/{pay['id']}/paid"))
    posted = ok(ann.get("/journal-entries", params={"source": "payrun", "source_id": pay["id"]}))["items"][0]
    debits = {ln["account"]: D(ln["debit"]) for ln in posted["lines"] if D(ln["debit"])}
    assert debits == {"5000": D(pay["gross"]), "5100": D(pay["employer_contributions"])}
    balance = ok(ann.get("/ledger/trial-balance", params={"as_of": (month_end + timedelta(days=400)).isoformat()}))
    assert balance["balanced"] and D(balance["total_debit"]) == D(balance["total_credit"])
    accounts = {r["account"]: r for r in balance["rows"]}
    assert D(accounts["2100"]["balance"]) == 0  # net wages owed, then paid
    open_payables = sum((D(i["total"]) for i in invoices[:11] if i["id"] not in {p["id"] for p in paid}), D(0))
    assert -D(accounts["2000"]["balance"]) == open_payables

    # P&L recomputed here from what this test posted: income, rent (reversed the same month), invoices (on their
    # invoice date), the pay run (on its pay date). Payments move payables and cash only.
    income_by: dict[str, D] = defaultdict(D)
    expenses_by: dict[str, D] = defaultdict(D)
    for day, amount in income:
        income_by[day.strftime("%Y-%m")] += D(amount)
    for inv in invoices[:11]:
        expenses_by[inv["invoice_date"][:7]] += D(inv["total"])
    expenses_by[month_end.strftime("%Y-%m")] += D(pay["gross"]) + D(pay["employer_contributions"])
    ledger_starts = min(day for day, _ in income)  # the oldest entry this test posted: two years ago

    def profit_of(label: str) -> D:
        return income_by[label] - expenses_by[label]

    def month_label(day: date, months: int = 0) -> str:
        return (day + relativedelta(months=months)).strftime("%Y-%m")

    def check(change: dict[str, Any] | None, now: D, then: D) -> None:
        assert change is not None
        amount = now - then
        assert D(change["amount"]) == amount
        percent = None if then == 0 else (amount * 100 / abs(then)).quantize(D("0.1"), ROUND_HALF_UP)
        assert (None if change["percent"] is None else D(change["percent"])) == percent
        assert change["direction"] == ("up" if amount > 0 else "down" if amount < 0 else "flat")

    report = ok(ann.get("/reports/profit-and-loss", params={"from": year_ago.isoformat(), "to": month_end.isoformat()}))
    assert report["ledger_starts"] == ledger_starts.isoformat()
    by_period = {p["period"]: p for p in report["periods"]}
    this, previous = month_label(month_start), month_label(month_start, -1)
    this_month = by_period[this]
    assert D(this_month["income"]) == D("5000.00") == income_by[this]
    assert D(this_month["expenses"]) == expenses_by[this] > D(pay["gross"])
    assert D(this_month["profit"]) == profit_of(this)
    # Against the previous month: its profit is what this test posted in it (invoices, perhaps income).
    assert D(by_period[previous]["profit"]) == profit_of(previous)
    check(this_month["against_previous"], profit_of(this), profit_of(previous))
    check(this_month["income_against_previous"], income_by[this], income_by[previous])
    check(this_month["expenses_against_previous"], expenses_by[this], expenses_by[previous])
    # Against the same month last year (3000 of income, nothing spent).
    last_year = month_label(month_start, -12)
    assert profit_of(last_year) == D("3000.00")
    check(this_month["against_last_year"], profit_of(this), D("3000.00"))
    check(this_month["income_against_last_year"], D("5000.00"), D("3000.00"))
    check(this_month["expenses_against_last_year"], expenses_by[this], D(0))
    # Every month shown: its figures, and its comparisons (a month with no lines after the ledger began is 0).
    for p in report["periods"]:
        start_of = date.fromisoformat(p["start"])
        label, before, year = p["period"], month_label(start_of, -1), month_label(start_of, -12)
        assert (D(p["income"]), D(p["expenses"])) == (income_by[label], expenses_by[label])
        check(p["against_previous"], profit_of(label), profit_of(before))
        check(p["against_last_year"], profit_of(label), profit_of(year))
    first_shown = report["periods"][0]  # a year ago: the month before it and the year before it are in the ledger
    check(first_shown["against_previous"], profit_of(first_shown["period"]), profit_of(month_label(year_ago, -1)))
    assert D(first_shown["against_last_year"]["amount"]) == D("2900.00")  # 3000 now against the 100 two years ago
    # Before the ledger's first entry there is no data, so no change (not a change against 0).
    oldest = ok(
        ann.get(
            "/reports/profit-and-loss",
            params={"from": ledger_starts.isoformat(), "to": month_label(ledger_starts, 1) + "-01"},
        )
    )["periods"]
    assert oldest[0]["against_previous"] is None and oldest[0]["against_last_year"] is None
    assert oldest[0]["expenses_against_previous"] is None and oldest[0]["income_against_last_year"] is None
    check(oldest[1]["against_previous"], D(0), D("100.00"))  # nothing in the second month: down by all of it
    # By quarter: this quarter's expenses are its three months' (the invoices and the pay run).
    quarters = ok(
        ann.get(
            "/reports/profit-and-loss",
            params={"granularity": "quarter", "from": year_ago.isoformat(), "to": month_end.isoformat()},
        )
    )
    quarter_start = date(month_start.year, 3 * ((month_start.month - 1) // 3) + 1, 1)
    this_quarter = quarters["periods"][-1]
    assert this_quarter["start"] == quarter_start.isoformat()
    quarter_expenses = sum((expenses_by[month_label(quarter_start, n)] for n in range(3)), D(0))
    assert D(this_quarter["expenses"]) == quarter_expenses
    check(this_quarter["expenses_against_previous"], quarter_expenses, D(0))  # nothing spent the quarter before
    assert sum((D(q["income"]) for q in quarters["periods"]), D(0)) == D("12000.00")
    # Without 'from': twelve months, or four quarters, up to this one.
    assert [p["period"] for p in ok(ann.get("/reports/profit-and-loss"))["periods"]] == [
        month_label(month_start, n) for n in range(-11, 1)
    ]
    assert len(ok(ann.get("/reports/profit-and-loss", params={"granularity": "quarter"}))["periods"]) == 4
    header = ann.get("/reports/profit-and-loss.csv").text.splitlines()[0]
    assert header.startswith("period,income") and "expenses_direction_vs_last_year" in header
    assert ann.get("/reports/profit-and-loss.svg").text.startswith("<svg")
    cost = ok(ann.get("/reports/payroll-cost", params={"from": month_start.isoformat(), "to": month_end.isoformat()}))
    assert D(cost["by_department"]["Finance"]) == D(pay["gross"]) + D(pay["employer_contributions"])
    svg = ann.get("/reports/payroll-cost.svg", params={"from": month_start.isoformat(), "to": month_end.isoformat()})
    assert svg.headers["content-type"] == "image/svg+xml" and "Finance" in svg.text
    # Today nothing is paid yet (the transfers execute tomorrow); the day after, only the unpaid remain.
    ageing = ok(ann.get("/reports/payables-ageing", params={"as_of": TODAY.isoformat()}))
    assert D(ageing["totals"]["total"]) == sum((D(i["total"]) for i in invoices), D(0))
    later_ageing = ok(ann.get("/reports/payables-ageing", params={"as_of": (TODAY + timedelta(days=2)).isoformat()}))
    assert D(later_ageing["totals"]["total"]) == open_payables + D(unapproved["total"])
    forecast = ok(ann.get("/reports/cash-forecast", params={"weeks": 12}))
    assert forecast["next_pay_runs"] and D(forecast["rows"][0]["supplier_payments"]) >= D(dropped["total"])

    # Only payroll and admins see any of it.
    employee = g.auth(g.make_user("ap-emp", ["employee", "manager", "hr", "it_agent", "office"]))
    for path in (
        "/suppliers",
        "/invoices",
        "/journal-entries",
        "/reports/profit-and-loss",
        f"/payment-runs/{run['id']}",
        "/ledger/trial-balance",
    ):
        problem(httpx.get(f"{payroll.url}{path}", headers=employee), 403)


def _clerks(g: GatewayClient, payroll_url: str, prefix: str) -> tuple[httpx.Client, httpx.Client]:
    """Two payroll clerks: one enters invoices, the other approves them (four eyes)."""
    return tuple(  # type: ignore[return-value]
        httpx.Client(base_url=payroll_url, headers=g.auth(g.make_user(f"{prefix}-{who}", ["payroll"])))
        for who in ("enters", "approves")
    )


def _invoice(client: httpx.Client, supplier_id: str, number: str, amount: str, due: date, **extra: Any) -> Any:
    body = {
        "supplier_id": supplier_id,
        "number": number,
        "invoice_date": (due - timedelta(days=20)).isoformat(),
        "due_date": due.isoformat(),
        "lines": [{"description": "services", "unit_price": amount}],
        **extra,
    }
    return ok(client.post("/invoices", json=body), 201)


def test_csv_exports_write_what_a_spreadsheet_would_run_as_text(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "csv")
    evil = ok(ann.post("/suppliers", json={"name": formula, "iban": IBANS[0]}), 201)["id"]
    invoice = _invoice(ann, evil, "@SUM(1+1)", "75.00", TODAY)
    ok(bob.post(f"/invoices/{invoice['id']}/approve"))

    # OWASP's CSV injection rule: a cell starting with = + - @ (or a tab or CR) is given a leading quote.
    ageing = ann.get("/reports/payables-ageing.csv", params={"as_of": TODAY.isoformat()}).text
    rows = list(csv.DictReader(io.StringIO(ageing)))
    assert [(r["supplier"], r["total"]) for r in rows] == [(f"'{formula}", "75.00"), ("TOTAL", "75.00")]
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    transfers = list(csv.DictReader(io.StringIO(ann.get(f"/payment-runs/{run['id']}/transfers.csv").text)))
    assert [(t["supplier"], t["invoices"], t["amount"]) for t in transfers] == [(f"'{formula}", "'@SUM(1+1)", "75.00")]
    # The bank file carries the name as it is: the quote belongs to the spreadsheet's file only.
    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    assert "<Nm>=HYPERLINK(" in xml and "'=HYPERLINK" not in xml
    # A loss is a negative number, not a formula: it is written as it is.
    pnl = list(csv.DictReader(io.StringIO(ann.get("/reports/profit-and-loss.csv").text)))
    assert "-75.00" in [p["profit"] for p in pnl], pnl


MONEY = {2: r"-?\d+\.\d\d", 0: r"-?\d+"}  # a cell in the currency's decimals: 0.00 and 3000.00, whole yen


def test_csv_exports_write_money_in_the_currencys_decimals_and_the_bank_transfers_in_full(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "dec")
    supplier = ok(ann.post("/suppliers", json={"name": "Paper", "iban": "DE89 3704 0044 0532 0130 00"}), 201)
    assert supplier["iban_masked"] == "DE89 ************** 3000" and "iban" not in supplier
    euros = _invoice(ann, supplier["id"], "E-1", "75", TODAY)
    yen = _invoice(ann, supplier["id"], "Y-1", "1234", TODAY + timedelta(days=7), currency="JPY")
    for invoice in (euros, yen):
        ok(bob.post(f"/invoices/{invoice['id']}/approve"))

    # The cash forecast has a row per week in euros and one in yen for the week the yen go out: whole yen.
    monday = TODAY - timedelta(days=TODAY.weekday())
    rows = list(
        csv.DictReader(
            io.StringIO(ann.get("/reports/cash-forecast.csv", params={"from": monday.isoformat(), "weeks": 2}).text)
        )
    )
    assert [(r["currency"], r["supplier_payments"], r["total"]) for r in rows] == [
        ("EUR", "75.00", "75.00"),
        ("EUR", "0.00", "0.00"),
        ("JPY", "1234", "1234"),
    ]
    forecast = ok(ann.get("/reports/cash-forecast", params={"from": monday.isoformat(), "weeks": 2}))
    assert [r["total"] for r in forecast["rows"]] == ["75.00", "0.00", "1234"]  # the JSON says the same

    # Every money cell of every report reads as the currency has it: 0.00, never 0.
    reports = {
        "profit-and-loss.csv": ["income", "expenses", "profit", "change_vs_previous"],
        "payroll-cost.csv": ["gross", "employer_contributions", "cost"],
        "payables-ageing.csv": ["current", "1-30", "31-60", "61-90", "over 90", "total"],
    }
    for report, columns in reports.items():
        lines = list(csv.DictReader(io.StringIO(ann.get(f"/reports/{report}").text)))
        for line in lines:
            for column in columns:
                assert line[column] == "" or re.fullmatch(MONEY[2], line[column]), (report, column, line)
    ageing = list(csv.DictReader(io.StringIO(ann.get("/reports/payables-ageing.csv").text)))
    assert [(r["supplier"], r["current"], r["over 90"], r["total"]) for r in ageing] == [
        ("Paper", "75.00", "0.00", "75.00"),
        ("TOTAL", "75.00", "0.00", "75.00"),
    ]

    # The transfers file is the company's own instruction to its bank, beside the pain.001 file: it names the
    # account each transfer goes to in full (a masked IBAN cannot be paid, nor checked against an invoice).
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    transfers = list(csv.DictReader(io.StringIO(ann.get(f"/payment-runs/{run['id']}/transfers.csv").text)))
    assert [(t["iban"], t["amount"], t["currency"]) for t in transfers] == [(IBANS[0], "75.00", "EUR")]
    assert "<IBAN>DE89370400440532013000</IBAN>" in ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    # Everywhere else the account is masked: the supplier, its list.
    listed = ok(ann.get("/suppliers"))["items"]
    assert [s["iban_masked"] for s in listed] == ["DE89 ************** 3000"]
    assert IBANS[0] not in ann.get("/suppliers").text and IBANS[0] not in ann.get(f"/suppliers/{supplier['id']}").text


def test_a_refused_journal_import_names_the_line_and_column_of_every_fault(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "imp")
    day = TODAY.replace(day=1).isoformat()

    def refused(text: str, status: int = 422) -> dict[str, Any]:
        response = ann.post("/journal-entries/import", content=text, headers={"Content-Type": "text/csv"})
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        return body

    # Lines as a spreadsheet numbers its rows: the header is line 1, a quoted description over two lines is one
    # line, a blank line counts. Every fault is listed with its line and column, not only the first.
    body = refused(
        "entry,date,account,debit,credit,description\r\n"
        f'a,{day},1000,10.00,,"sale,\r\nsecond part"\r\n'  # line 2
        f"a,{day[:8]}32,4000,,10.00,sale\r\n"  # line 3: no such day
        "\r\n"  # line 4: blank
        f"b,{day},9999,5.00,,rent\r\n"  # line 5: no such account
        f"b,{day},1000,,5.001,rent\r\n"  # line 6: finer than a cent
        f",{day},1000,1.00,,x\r\n"  # line 7: no entry
        f"c,{day},6100,3.00,3.00,x\r\n"  # line 8: a debit and a credit
        f"c,{day},1000,,x,x\r\n"  # line 9: not a number
    )
    assert body["type"].endswith(":csv")
    assert [(e["line"], e["column"], e["cell"]) for e in body["errors"]] == [
        (3, "date", "B3"),
        (5, "account", "C5"),
        (6, "credit", "E6"),
        (7, "entry", "A7"),
        (8, "debit", "D8"),
        (9, "credit", "E9"),
    ]
    assert body["detail"].startswith("line 3, column date (cell B3): a date as YYYY-MM-DD")
    assert "line 5, column account (cell C5): account '9999' does not exist" in body["detail"]

    # An entry that does not balance is named at its last line, in the column short of money.
    body = refused(
        "entry,date,account,debit,credit,description\n"
        f"a,{day},1000,10.00,,sale\n"
        f"a,{day},4000,,10.00,sale\n"
        f"b,{day},1000,3.00,,sale\n"
        f"a,{day},4000,,0.00,nothing\n"  # line 5: a line of neither
        f"b,{day},4000,,2.99,sale\n"
    )
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(5, "debit"), (6, "credit")]
    body = refused(
        "entry,date,account,debit,credit\n"
        f"a,{day},1000,10.00,\n"
        f"b,{day},1000,3.00,\n"
        f"a,{day},4000,,10.00\n"
        f"b,{day},4000,,2.99\n"
    )
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(5, "credit")]
    assert "line 5, column credit (cell E5): entry b (lines 3, 5) does not balance" in body["detail"]
    assert "debits 3.00 and credits 2.99" in body["detail"]
    # Two dates in one entry: the line that differs.
    body = refused(f"entry,date,account,debit,credit\na,{day},1000,1.00,\na,2020-01-02,4000,,1.00\n")
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "date")]
    assert f"has one date: {day} (line 2)" in body["detail"]
    # Columns in another order are named by their own letters.
    body = refused(f"date,entry,debit,credit,account\n{day},a,1.00,,1000\n{day},a,,1.00,nope\n")
    assert [(e["line"], e["column"], e["cell"]) for e in body["errors"]] == [(3, "account", "E3")]
    # A closed month: the line whose date falls in it (409, as for an entry posted by hand).
    ok(bob.post("/periods/2020-01/close"), 201)
    body = refused(
        f"entry,date,account,debit,credit\nz,{day},1000,1.00,\nz,{day},4000,,1.00\n"
        "y,2020-01-15,1000,1.00,\ny,2020-01-15,4000,,1.00\n",
        409,
    )
    assert body["detail"].startswith("line 4, column date (cell B4): entry y: the period 2020-01 is closed")
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(4, "date")]
    assert ok(ann.get("/journal-entries"))["total"] == 0  # nothing of a refused file was posted


def test_cash_forecast_keeps_currencies_apart_and_counts_held_invoices_from_their_release(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "cf")
    monday = TODAY - timedelta(days=TODAY.weekday())
    week = [monday + timedelta(weeks=n) for n in range(4)]
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    cloud = ok(ann.post("/suppliers", json={"name": "Cloud", "iban": IBANS[1]}), 201)["id"]
    approved = _invoice(ann, paper, "A", "100.00", week[0] + timedelta(days=1))
    dollars = _invoice(ann, paper, "B", "250.00", week[1] + timedelta(days=2), currency="USD")
    released = _invoice(ann, paper, "C", "40.00", week[0])
    held = _invoice(ann, paper, "D", "7.00", week[0])
    _invoice(ann, paper, "E", "9.00", week[0])  # received, not approved: not expected to go out
    scheduled = _invoice(ann, cloud, "F", "60.00", week[3] + timedelta(days=1))
    for inv in (approved, dollars, released, held, scheduled):
        ok(bob.post(f"/invoices/{inv['id']}/approve"))
    ok(bob.post(f"/invoices/{released['id']}/hold", json={"reason": "check", "until": (week[2]).isoformat()}))
    ok(bob.post(f"/invoices/{held['id']}/hold", json={"reason": "disputed"}))  # no release date: not expected
    ok(
        ann.post(
            "/payment-runs",
            json={
                "execution_date": (week[1] + timedelta(days=3)).isoformat(),
                "due_by": (week[3] + timedelta(days=1)).isoformat(),
                "supplier_ids": [cloud],
            },
        ),
        201,
    )

    forecast = ok(ann.get("/reports/cash-forecast", params={"from": monday.isoformat(), "weeks": 4}))
    assert forecast["currency"] == "EUR" and forecast["currencies"] == ["EUR", "USD"]
    rows = [
        (r["week_start"], r["currency"], r["supplier_payments"], r["payroll"], r["total"]) for r in forecast["rows"]
    ]
    assert rows == [
        (week[0].isoformat(), "EUR", "100.00", "0.00", "100.00"),
        (week[1].isoformat(), "EUR", "60.00", "0.00", "60.00"),  # the run pays F on its execution day
        (week[1].isoformat(), "USD", "250.00", "0.00", "250.00"),  # dollars are not added to euros
        (week[2].isoformat(), "EUR", "40.00", "0.00", "40.00"),  # C, due earlier, goes out once released
        (week[3].isoformat(), "EUR", "0.00", "0.00", "0.00"),
    ]
    assert forecast["next_pay_runs"] == []
    text = ann.get("/reports/cash-forecast.csv", params={"from": monday.isoformat(), "weeks": 4}).text
    assert text.splitlines()[0:4] == [
        "week_start,currency,supplier_payments,payroll,total",
        f"{week[0]},EUR,100.00,0.00,100.00",
        f"{week[1]},EUR,60.00,0.00,60.00",
        f"{week[1]},USD,250.00,0.00,250.00",
    ]


def test_invoices_in_other_currencies_are_paid_by_their_own_runs_and_the_rest_refused_at_entry(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "fx")
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
    assert "KWD" in refused and "EUR" in refused and "GBP" in refused and "CHF" in refused
    assert ok(ann.get("/invoices"))["total"] == 0
    pounds = [
        _invoice(ann, london, f"GB-{n}", amount, TODAY, currency="GBP") for n, amount in enumerate(("80.10", "19.90"))
    ]
    francs = _invoice(ann, zurich, "CH-1", "1200.00", TODAY, currency="CHF")
    euros = _invoice(ann, zurich, "EU-1", "10.00", TODAY)
    for inv in (*pounds, francs, euros):
        ok(bob.post(f"/invoices/{inv['id']}/approve"))
    assert "KWD" in problem(
        ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "KWD"}), 422
    )

    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "GBP"}), 201)
    assert {line["invoice_id"] for line in run["lines"]} == {p["id"] for p in pounds} and run["total"] == "100.00"
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert [(p["supplier_id"], p["amount"]) for p in run["payments"]] == [(london, "100.00")]
    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    PAIN.validate(xml)
    info = PAIN.to_dict(xml)["CstmrCdtTrfInitn"]["PmtInf"][0]
    assert "PmtTpInf" not in info  # no SEPA service level outside the euro
    assert "<ChrgBr>SHAR</ChrgBr>" in xml and "<CtrlSum>100.00</CtrlSum>" in xml and "SLEV" not in xml
    assert [(t["Amt"]["InstdAmt"]["@Ccy"], str(t["Amt"]["InstdAmt"]["$"])) for t in info["CdtTrfTxInf"]] == [
        ("GBP", "100.00")
    ]
    assert ann.get(f"/payment-runs/{run['id']}/transfers.csv").text.splitlines()[1].split(",")[3:5] == ["100.00", "GBP"]
    for inv in pounds:
        assert ok(ann.get(f"/invoices/{inv['id']}"))["status"] == "paid"
    assert ok(ann.get(f"/invoices/{francs['id']}"))["status"] == "approved"  # a franc run of its own pays it
    gbp = ok(ann.get("/ledger/trial-balance", params={"currency": "GBP"}))
    balances = {r["account"]: D(r["balance"]) for r in gbp["rows"]}
    assert (
        gbp["balanced"]
        and balances["2000"] == 0
        and balances["1000"] == D("-100.00")
        and balances["6000"] == D("100.00")
    )

    chf = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "CHF"}), 201)
    ok(bob.post(f"/payment-runs/{chf['id']}/approve"))
    ok(ann.post(f"/payment-runs/{chf['id']}/execute"))
    xml = ann.get(f"/payment-runs/{chf['id']}/pain.001.xml").text
    PAIN.validate(xml)
    assert 'Ccy="CHF">1200.00<' in xml and "<BIC>UBSWCHZH80A</BIC>" in xml
    # Outside SEPA the charges are shared (SLEV only means something with the SEPA service level).
    assert "<ChrgBr>SHAR</ChrgBr>" in xml and "SLEV" not in xml and "<SvcLvl>" not in xml

    # Yen have no minor unit: the file writes whole yen, as the invoice and the ledger do, not 1234.00.
    yen = [
        _invoice(ann, london, f"JP-{n}", amount, TODAY, currency="JPY") for n, amount in enumerate(("1000", "234.4"))
    ]
    assert [i["total"] for i in yen] == ["1000", "234"]
    for inv in yen:
        ok(bob.post(f"/invoices/{inv['id']}/approve"))
    jpy = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "currency": "JPY"}), 201)
    assert jpy["total"] == "1234"
    ok(bob.post(f"/payment-runs/{jpy['id']}/approve"))
    assert [p["amount"] for p in ok(ann.post(f"/payment-runs/{jpy['id']}/execute"))["payments"]] == ["1234"]
    xml = ann.get(f"/payment-runs/{jpy['id']}/pain.001.xml").text
    PAIN.validate(xml)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain')
    assert xml.count("<CtrlSum>1234</CtrlSum>") == 2  # the group header's and the payment's
    assert '<InstdAmt Ccy="JPY">1234</InstdAmt>' in xml and "<ChrgBr>SHAR</ChrgBr>" in xml and "1234.00" not in xml
    assert ann.get(f"/payment-runs/{jpy['id']}/transfers.csv").text.splitlines()[1].split(",")[3:5] == ["1234", "JPY"]

    # A euro run stays a SEPA credit transfer: the SEPA service level, charges following it.
    eur = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    assert [line["number"] for line in eur["lines"]] == ["EU-1"]
    ok(bob.post(f"/payment-runs/{eur['id']}/approve"))
    ok(ann.post(f"/payment-runs/{eur['id']}/execute"))
    xml = ann.get(f"/payment-runs/{eur['id']}/pain.001.xml").text
    PAIN.validate(xml)
    assert "<SvcLvl><Cd>SEPA</Cd></SvcLvl>" in xml and "<ChrgBr>SLEV</ChrgBr>" in xml
    assert '<InstdAmt Ccy="EUR">10.00</InstdAmt>' in xml and "<CtrlSum>10.00</CtrlSum>" in xml


def _stored_events(database_url: str) -> int:
    """Events the service recorded (its outbox), read from its database."""

    async def count() -> int:
        db = Database(database_url)
        try:
            async with db.session(write=False) as session:
                return int(await session.scalar(select(func.count()).select_from(outbox)) or 0)
        finally:
            await db.dispose()

    return asyncio.run(count())


def _legacy_supplier(database_url: str, name: str, iban: str, bic: str) -> str:
    """A supplier row written straight into the service's database, as rows stored before a check was added are."""

    async def write() -> str:
        db = Database(database_url)
        try:
            async with db.session() as session:
                now = datetime.now(UTC)
                supplier_id = f"legacy-{name.lower().replace(' ', '-')}"
                values = {"id": supplier_id, "name": name, "payment_terms_days": 30, "iban": iban, "bic": bic}
                await session.execute(insert(Supplier), [{**values, "created_at": now, "updated_at": now}])
                return supplier_id
        finally:
            await db.dispose()

    return asyncio.run(write())


def test_refused_requests_leave_nothing_half_written(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    database_url = payroll.env["BACKOFFICE_PAYROLL_DATABASE_URL"]
    ann, bob = _clerks(gateway_client, payroll.url, "hw")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    # A BIC the bank file's schema does not take (a location code starting with 1, a passive participant's) is
    # refused when the supplier is added; one stored before that check (written here into the service's database,
    # as such a row was) makes its run's file fail at execution.
    refused_bic = ann.post("/suppliers", json={"name": "Odd Bank", "iban": IBANS[1], "bic": "cobafr1fxxx"})
    assert problem(refused_bic, 422).startswith("bic: 'COBAFR1FXXX' cannot be written in a bank file")
    assert refused_bic.json()["errors"][0]["field"] == "body.bic" and ok(ann.get("/suppliers"))["total"] == 1
    odd_bank = _legacy_supplier(database_url, "Odd Bank", IBANS[1], "COBAFR1FXXX")
    fine = _invoice(ann, paper, "P-1", "100.00", TODAY)
    odd = _invoice(ann, odd_bank, "S-1", "50.00", TODAY)
    ok(bob.post(f"/invoices/{fine['id']}/approve"))

    def state() -> dict[str, Any]:
        return {
            "entries": ok(ann.get("/journal-entries"))["total"],
            "balance": ok(ann.get("/ledger/trial-balance", params={"as_of": "2100-01-01"})),
            "invoices": {i["number"]: i["status"] for i in ok(ann.get("/invoices"))["items"]},
            "payments": ok(ann.get("/journal-entries", params={"source": "payment"}))["total"],
            "events": _stored_events(database_url),
        }

    before = state()
    assert before["entries"] == 1 and before["invoices"] == {"P-1": "approved", "S-1": "received"}

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
    assert "entry b" in refused and "does not balance" in refused
    assert state() == before

    # A run whose bank file fails: no payment, no ledger entry, no remittance event, the invoices still scheduled.
    ok(bob.post(f"/invoices/{odd['id']}/approve"))
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    scheduled = state()
    assert scheduled["invoices"] == {"P-1": "scheduled", "S-1": "scheduled"} and scheduled["entries"] == 2
    refused = problem(ann.post(f"/payment-runs/{run['id']}/execute"), 422)
    assert "bank file" in refused and "BIC" in refused
    assert state() == scheduled and scheduled["events"] == before["events"] == 0
    after = ok(ann.get(f"/payment-runs/{run['id']}"))
    assert after["status"] == "approved" and after["payments"] == []
    problem(ann.get(f"/payment-runs/{run['id']}/pain.001.xml"), 409)
    # Cancelling the run puts both back; the fine one is then paid on its own.
    ok(ann.post(f"/payment-runs/{run['id']}/cancel"))
    assert state()["invoices"] == {"P-1": "approved", "S-1": "approved"}
    paid = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat(), "supplier_ids": [paper]}), 201)
    ok(bob.post(f"/payment-runs/{paid['id']}/approve"))
    ok(ann.post(f"/payment-runs/{paid['id']}/execute"))
    assert _stored_events(database_url) == 1 and state()["invoices"]["P-1"] == "paid"


def test_a_supplier_whose_name_a_bank_file_cannot_carry_is_refused_when_added(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "nm")
    # Bank files carry names in Latin letters: only emoji, or only punctuation, leaves nothing to name the payee by.
    for name in ("\U0001f642\U0001f642", "--- !!! ---", "\u200b\u200b"):
        response = ann.post("/suppliers", json={"name": name, "iban": IBANS[1]})
        assert problem(response, 422).startswith("name: ") and response.json()["errors"][0]["field"] == "body.name"
    assert ok(ann.get("/suppliers"))["total"] == 0
    # Names in other scripts are written in Latin letters (as the bank file will), so they are fine and paid.
    kept = [
        ok(ann.post("/suppliers", json={"name": name, "iban": iban}), 201)
        for name, iban in (("株式会社", IBANS[0]), ("Привет \U0001f642", IBANS[1]), ("Ωmega Büro", IBANS[2]))
    ]
    assert [s["name"] for s in kept] == ["株式会社", "Привет \U0001f642", "Ωmega Büro"]
    for n, supplier in enumerate(kept):
        ok(bob.post(f"/invoices/{_invoice(ann, supplier['id'], f'K-{n}', '10.00', TODAY)['id']}/approve"))
    run = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    assert len(ok(ann.post(f"/payment-runs/{run['id']}/execute"))["payments"]) == 3
    xml = ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text
    PAIN.validate(xml)
    assert "<Nm>Zhu Shi Hui She </Nm>" in xml and "<Nm>Privet </Nm>" in xml and "<Nm>Omega Buro</Nm>" in xml


def test_a_held_invoice_is_paid_by_a_run_after_its_release_date_and_its_hold_cleared(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = _clerks(gateway_client, payroll.url, "rel")
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    held = _invoice(ann, paper, "H-1", "75.00", TODAY)
    ok(bob.post(f"/invoices/{held['id']}/approve"))
    release_on = TODAY + timedelta(days=5)
    ok(bob.post(f"/invoices/{held['id']}/hold", json={"reason": "credit note due", "until": release_on.isoformat()}))
    early = {"execution_date": (release_on - timedelta(days=1)).isoformat()}
    assert "no approved EUR invoice" in problem(ann.post("/payment-runs", json=early), 422)
    run = ok(ann.post("/payment-runs", json={"execution_date": release_on.isoformat()}), 201)
    assert [line["invoice_id"] for line in run["lines"]] == [held["id"]]
    ok(bob.post(f"/payment-runs/{run['id']}/approve"))
    run = ok(ann.post(f"/payment-runs/{run['id']}/execute"))
    assert [p["invoice_ids"] for p in run["payments"]] == [[held["id"]]] and run["payments"][0]["amount"] == "75.00"
    paid = ok(ann.get(f"/invoices/{held['id']}"))
    assert (paid["status"], paid["paid_on"], paid["hold_reason"], paid["hold_until"]) == (
        "paid",
        release_on.isoformat(),
        None,
        None,
    )
    PAIN.validate(ann.get(f"/payment-runs/{run['id']}/pain.001.xml").text)


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
                    return read.status, read.hold_reason, read.hold_until and str(read.hold_until), listed

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
                try:
                    await payables.approve(session, clerk("bob"), invoice.id, "2000", date(2026, 1, 9))
                    raise AssertionError("approved while on hold")
                except Problem as refused:
                    assert refused.status == 409 and "on hold until 2026-01-10" in str(refused.detail)
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
                    try:
                        if action == "approve":
                            await payables.approve(session, clerk("carl"), invoice.id, "2000", day)
                        else:
                            await payables.release(session, invoice.id, day)
                        raise AssertionError(f"{action} on {day} was taken")
                    except Problem as refused:
                        assert refused.status == 409 and expected in str(refused.detail), refused.detail
                        assert "release it" not in str(refused.detail)
                        if day.day == 19:
                            assert str(refused.detail).endswith("; it is on hold until 2026-01-20: nothing to approve")
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
    ann, bob = _clerks(gateway_client, payroll.url, "doc")
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
    entered = _invoice(ann, paper, "D-1", "10.00", TODAY, document_ids=["scan-1", "scan-2", "scan-1"])
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
    ann, bob = _clerks(gateway_client, payroll.url, "chart")
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


async def test_closing_a_month_and_posting_into_it_at_once_never_leave_an_entry_in_it_after_the_close(
    database_url: str,
) -> None:
    """Two replicas (two Database objects): a close waits for the postings into its month in flight, and postings
    that come while a close is in flight wait for it, then are refused (by hand) or moved to the next month."""
    from backoffice.payroll.app import MIGRATIONS_DIR
    from backoffice.payroll.ledger import service as ledger
    from backoffice.payroll.ledger.models import ClosedPeriod, JournalEntry
    from backoffice.shared.auth import Principal
    from backoffice.shared.errors import Problem
    from backoffice.shared.migrations import upgrade

    clerk = Principal("closer", frozenset({"payroll"}), None, "t", datetime(2100, 1, 1, tzinfo=UTC))

    def sale(day: date) -> Any:
        return ledger.EntryDraft(day, "sale", "EUR", [("1000", D("5.00"), D(0), None), ("4000", D(0), D("5.00"), None)])

    async def close(db: Database, period: str) -> None:
        async with db.session() as session:
            await ledger.close_period(session, clerk, period)

    async def post(db: Database, day: date, *, automatic: bool) -> date | int:
        try:
            async with db.session() as session:
                draft = sale(day)
                await ledger.post_entries(session, clerk.user_id, [draft], roll_forward=automatic)
                return draft.entry_date
        except Problem as refused:
            return refused.status

    db, other = Database(database_url), Database(database_url)
    await upgrade(db, MIGRATIONS_DIR)
    try:
        # A posting in flight when the close comes: the close waits until it is committed.
        async with db.session() as session:
            await ledger.post_entries(session, clerk.user_id, [sale(date(2026, 3, 10))])
            closing = asyncio.create_task(close(other, "2026-03"))
            await asyncio.sleep(1.0)
            assert not closing.done(), "March was closed while an entry into it was being posted"
        await asyncio.wait_for(closing, timeout=30)

        # A close in flight when postings come: they wait for it, then see May closed.
        async with other.session() as session:
            await ledger.close_period(session, clerk, "2026-05")
            by_hand = asyncio.create_task(post(db, date(2026, 5, 20), automatic=False))
            automatic = asyncio.create_task(post(db, date(2026, 5, 21), automatic=True))
            await asyncio.sleep(1.0)
            assert not by_hand.done() and not automatic.done(), "an entry went into May while it was being closed"
        assert await asyncio.wait_for(by_hand, timeout=30) == 409
        assert await asyncio.wait_for(automatic, timeout=30) == date(2026, 6, 1)

        async with db.session(write=False) as session:
            closed = {p.period: p.closed_at for p in await session.scalars(select(ClosedPeriod))}
            entries = [(e.entry_date, e.created_at) for e in await session.scalars(select(JournalEntry))]
        assert sorted(d for d, _ in entries) == [date(2026, 3, 10), date(2026, 6, 1)]
        for day, created in entries:
            period = day.strftime("%Y-%m")
            assert period not in closed or created < closed[period], (
                f"an entry was posted into {period} after it closed"
            )
    finally:
        await other.dispose()
        await db.dispose()
