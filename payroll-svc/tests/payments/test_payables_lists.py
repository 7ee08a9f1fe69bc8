"""What the console's payables screens read: invoices found by number or by date and total (a possible duplicate),
the refusal of a number used twice named on its field, the list of payment runs with who proposed each, and a
run's subtotal per supplier."""

from __future__ import annotations

from datetime import date, timedelta

from backoffice.testing import GatewayClient, ServiceStarter
from payrollkit import IBANS, clerks, enter_invoice, ok, problem

TODAY = date.today()


def test_invoices_are_found_by_number_or_by_date_and_total_and_a_repeated_number_is_refused_on_its_field(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, _ = clerks(gateway_client, payroll.url, "dup")
    sol = ok(ann.post("/suppliers", json={"name": "Sol", "iban": IBANS[0]}), 201)["id"]
    luna = ok(ann.post("/suppliers", json={"name": "Luna", "iban": IBANS[1]}), 201)["id"]
    first = enter_invoice(ann, sol, "S-1", "45.50", TODAY)
    enter_invoice(ann, sol, "S-2", "12.00", TODAY)
    enter_invoice(ann, luna, "S-1", "45.50", TODAY)  # another supplier may use the same number

    def found(**query: str) -> list[str]:
        return [i["id"] for i in ok(ann.get("/invoices", params=query))["items"]]

    assert found(supplier_id=sol, number="S-1") == [first["id"]]
    assert found(supplier_id=sol, number="S-9") == []
    day = first["invoice_date"]
    assert found(supplier_id=sol, invoice_date=day, total="45.5") == [first["id"]]
    assert found(supplier_id=sol, invoice_date=day, total="45.50") == [first["id"]]
    assert found(supplier_id=sol, invoice_date=day, total="45.51") == []
    assert found(supplier_id=sol, invoice_date=(TODAY - timedelta(days=1)).isoformat(), total="45.50") == []
    assert len(found(invoice_date=day, total="45.50")) == 2
    assert problem(ann.get("/invoices", params={"total": "-1"}), 422)
    assert problem(ann.get("/invoices", params={"number": "x" * 61}), 422)

    again = ann.post(
        "/invoices",
        json={
            "supplier_id": sol,
            "number": "S-1",
            "invoice_date": TODAY.isoformat(),
            "lines": [{"description": "again", "unit_price": "1.00"}],
        },
    )
    assert "was entered already" in problem(again, 409)
    assert again.json()["errors"][0]["field"] == "body.number"
    assert ok(ann.get("/invoices", params={"supplier_id": sol}))["total"] == 2


def test_payment_runs_are_listed_newest_first_with_who_proposed_them(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    payroll = start_service("payroll")
    ann, bob = clerks(gateway_client, payroll.url, "lst")
    assert ok(ann.get("/payment-runs")) == {"items": [], "total": 0, "limit": 50, "offset": 0}
    sol = ok(ann.post("/suppliers", json={"name": "Sol", "iban": IBANS[0]}), 201)["id"]
    for n in range(2):
        ok(bob.post(f"/invoices/{enter_invoice(ann, sol, f'R-{n}', '10.00', TODAY)['id']}/approve"))
    first = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    assert first["created_by"] == first["created_by_actor"]["user_id"]
    assert first["by_supplier"] == [{"supplier_id": sol, "supplier_name": "Sol", "amount": "20.00", "invoices": 2}]
    dropped = ok(ann.post(f"/payment-runs/{first['id']}/lines/{first['lines'][0]['invoice_id']}/drop"))
    assert dropped["by_supplier"] == [{"supplier_id": sol, "supplier_name": "Sol", "amount": "10.00", "invoices": 1}]
    assert dropped["total"] == "10.00"
    ok(bob.post(f"/payment-runs/{first['id']}/cancel"))
    second = ok(ann.post("/payment-runs", json={"execution_date": TODAY.isoformat()}), 201)
    ok(bob.post(f"/payment-runs/{second['id']}/approve"))

    page = ok(ann.get("/payment-runs"))
    assert page["total"] == 2
    assert [r["id"] for r in page["items"]] == [second["id"], first["id"]]
    newest = page["items"][0]
    figures = (newest["status"], newest["total"], newest["invoices"], newest["currency"])
    assert figures == ("approved", "20.00", 2, "EUR")
    assert newest["created_by"] == first["created_by"]
    assert newest["approved_by_actor"]["user_id"] != newest["created_by"]
    assert [r["id"] for r in ok(ann.get("/payment-runs", params={"status": "cancelled"}))["items"]] == [first["id"]]
    assert ok(ann.get("/payment-runs", params={"limit": 1, "offset": 1}))["items"][0]["id"] == first["id"]
    assert problem(ann.get("/payment-runs", params={"status": "lost"}), 422)
    assert problem(ann.get("/payment-runs", params={"limit": 501}), 422)
    assert ok(ann.get(f"/payment-runs/{second['id']}"))["created_by"] == first["created_by"]
