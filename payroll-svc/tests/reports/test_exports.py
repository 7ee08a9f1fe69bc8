"""CSV exports and the cash forecast: text a spreadsheet would not run, amounts in the currency's decimals."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import (
    IBANS,
    clerks,
    enter_invoice,
    ok,
)

D = Decimal
TODAY = date.today()
MONEY = {2: r"-?\d+\.\d\d", 0: r"-?\d+"}  # a cell in the currency's decimals: 0.00 and 3000.00, whole yen


def test_csv_exports_write_what_a_spreadsheet_would_run_as_text(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "csv")
    evil = ok(ann.post("/suppliers", json={"name": formula, "iban": IBANS[0]}), 201)["id"]
    invoice = enter_invoice(ann, evil, "@SUM(1+1)", "75.00", TODAY)
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
    assert "<Nm>=HYPERLINK(" in xml
    assert "'=HYPERLINK" not in xml
    # A loss is a negative number, not a formula: it is written as it is.
    pnl = list(csv.DictReader(io.StringIO(ann.get("/reports/profit-and-loss.csv").text)))
    assert "-75.00" in [p["profit"] for p in pnl], pnl


def test_csv_exports_write_money_in_the_currencys_decimals_and_the_bank_transfers_in_full(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "dec")
    supplier = ok(ann.post("/suppliers", json={"name": "Paper", "iban": "DE89 3704 0044 0532 0130 00"}), 201)
    assert supplier["iban_masked"] == "DE89 ************** 3000"
    assert "iban" not in supplier
    euros = enter_invoice(ann, supplier["id"], "E-1", "75", TODAY)
    yen = enter_invoice(ann, supplier["id"], "Y-1", "1234", TODAY + timedelta(days=7), currency="JPY")
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
    assert IBANS[0] not in ann.get("/suppliers").text
    assert IBANS[0] not in ann.get(f"/suppliers/{supplier['id']}").text


def test_cash_forecast_keeps_currencies_apart_and_counts_held_invoices_from_their_release(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "cf")
    monday = TODAY - timedelta(days=TODAY.weekday())
    week = [monday + timedelta(weeks=n) for n in range(4)]
    paper = ok(ann.post("/suppliers", json={"name": "Paper", "iban": IBANS[0]}), 201)["id"]
    cloud = ok(ann.post("/suppliers", json={"name": "Cloud", "iban": IBANS[1]}), 201)["id"]
    approved = enter_invoice(ann, paper, "A", "100.00", week[0] + timedelta(days=1))
    dollars = enter_invoice(ann, paper, "B", "250.00", week[1] + timedelta(days=2), currency="USD")
    released = enter_invoice(ann, paper, "C", "40.00", week[0])
    held = enter_invoice(ann, paper, "D", "7.00", week[0])
    enter_invoice(ann, paper, "E", "9.00", week[0])  # received, not approved: not expected to go out
    scheduled = enter_invoice(ann, cloud, "F", "60.00", week[3] + timedelta(days=1))
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
    assert forecast["currency"] == "EUR"
    assert forecast["currencies"] == ["EUR", "USD"]
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
