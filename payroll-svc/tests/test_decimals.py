"""Decimals as a client reads them: money in its currency's decimals, quantities without an exponent, and a create
answer that shows what a later read shows."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import ok

NO_EXPONENT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
TODAY = date.today()


def _clerk(g: GatewayClient, url: str, name: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers=g.auth(g.make_user(name, ["payroll"])))


def test_invoice_lines_show_quantities_plainly_and_prices_in_the_currency(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann = _clerk(gateway_client, payroll.url, "dec-ann")
    supplier = ok(ann.post("/suppliers", json={"name": "Decimals Ltd", "iban": "DE89370400440532013000"}), 201)

    def invoice(number: str, currency: str, lines: list[dict[str, object]]) -> tuple[Any, Any]:
        body = {"supplier_id": supplier["id"], "number": number, "invoice_date": TODAY.isoformat()}
        made = ok(ann.post("/invoices", json={**body, "currency": currency, "lines": lines}), 201)
        return made, ok(ann.get(f"/invoices/{made['id']}"))

    lines: list[dict[str, object]] = [
        {"description": "ten hours", "quantity": 10, "unit_price": "4.2"},
        {"description": "a part", "quantity": "1.5000", "unit_price": "0.1234"},
        {"description": "a hundred", "quantity": "100", "unit_price": 3},
    ]
    made, read = invoice("DEC-1", "EUR", lines)
    assert made == read, "the create answer shows what a read shows"
    shown = [(x["quantity"], x["unit_price"], x["amount"]) for x in read["lines"]]
    assert shown == [("10", "4.20", "42.00"), ("1.5", "0.1234", "0.19"), ("100", "3.00", "300.00")]
    assert read["total"] == "342.19"

    made, read = invoice("DEC-2", "JPY", [{"description": "yen", "quantity": "2.0", "unit_price": "1500.5"}])
    assert made == read
    assert [(x["quantity"], x["unit_price"], x["amount"]) for x in read["lines"]] == [("2", "1500.5", "3001")]
    assert read["total"] == "3001"

    listed = ok(ann.get("/invoices"))["items"]
    for inv in listed:
        for line in inv["lines"]:
            assert all(NO_EXPONENT.fullmatch(line[k]) for k in ("quantity", "unit_price", "amount")), line


def test_the_ledger_shows_each_currency_in_its_own_decimals(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann = _clerk(gateway_client, payroll.url, "dec-ledger")

    def entry(currency: str, amount: Any) -> tuple[Any, Any]:
        body = {
            "entry_date": TODAY.isoformat(),
            "description": f"sales in {currency}",
            "currency": currency,
            "lines": [{"account": "1000", "debit": amount}, {"account": "4000", "credit": amount}],
        }
        made = ok(ann.post("/journal-entries", json=body), 201)
        return made, ok(ann.get(f"/journal-entries/{made['id']}"))

    # Stored with three places (a dinar has three), euros are still shown with two, yen with none.
    cases = {"EUR": ("20050.75", "20050.75"), "JPY": (1234, "1234"), "KWD": ("1.25", "1.250")}
    for currency, (sent, shown) in cases.items():
        made, read = entry(currency, sent)
        assert made == read, "the create answer shows what a read shows"
        assert read["total"] == shown
        assert [(x["debit"], x["credit"]) for x in read["lines"]] == [
            (shown, "0" if currency == "JPY" else "0." + "0" * len(shown.split(".")[1])),
            ("0" if currency == "JPY" else "0." + "0" * len(shown.split(".")[1]), shown),
        ]
        balance = ok(ann.get("/ledger/trial-balance", params={"currency": currency}))
        rows = {r["account"]: (r["debit"], r["credit"], r["balance"]) for r in balance["rows"]}
        zero = "0" if currency == "JPY" else "0." + "0" * len(shown.split(".")[1])
        assert rows["1000"] == (shown, zero, shown), (currency, rows["1000"])
        assert rows["4000"] == (zero, shown, "-" + shown), (currency, rows["4000"])
        assert (balance["total_debit"], balance["total_credit"]) == (shown, shown)
