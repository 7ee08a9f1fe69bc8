"""Who may call what in payroll-svc: every route against every role; payslips and hours stay their owner's."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from payrollkit import RULES, hired, ok, profile, publish, sheet, submitted

MONDAY = date(2026, 10, 5)


def test_every_route_against_every_role(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    boss = hired("mxboss", date(2020, 1, 1), pay_type="salaried", rate="6000")
    boss = boss.model_copy(update={"data": {**boss.data, "roles": ["employee", "manager"]}})
    a = hired("mxa", date(2020, 1, 1), pay_type="salaried", rate="3000")
    a = a.model_copy(update={"data": {**a.data, "manager_id": "mxboss"}})
    publish(nats_server.url, boss, a, hired("mxb", date(2020, 1, 1)))
    payroll = start_service("payroll")
    c = httpx.Client(base_url=payroll.url)
    tokens = {
        "anonymous": None,
        "employee_a": g.activate_employee("mxa"),
        "employee_b": g.activate_employee("mxb"),
        "manager_of_a": g.activate_employee("mxboss"),
        "hr": g.make_user("mx-hr", ["hr"]),
        "payroll": g.make_user("mx-payroll", ["payroll"]),
        "it_agent": g.make_user("mx-it", ["it_agent"]),
        "office": g.make_user("mx-office", ["office"]),
        "admin": g.admin_token,
    }

    def call(role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = g.auth(tokens[role]) if tokens[role] else {}
        return c.request(method, path, headers=headers, json=body)

    # Objects of employee A: a timesheet at payroll and a payslip of an approved run.
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(tokens["payroll"]))
    profile(clerk, "mxa")
    week = submitted("mxa", MONDAY, [(0, "8", "regular")])
    publish(nats_server.url, week)
    sheet_id = sheet(clerk, week.data["timesheet_id"])["id"]
    ok(clerk.post("/pay-groups", json={"code": "m", "name": "M", "frequency": "monthly", "currency": "EUR"}), 201)
    ok(clerk.post("/rule-sets", json={"pay_group": "m", "effective_from": "2026-01-01", "rules": RULES}), 201)
    run = ok(
        clerk.post(
            "/payruns",
            json={"pay_group": "m", "period_start": "2026-09-01", "period_end": "2026-09-30", "pay_date": "2026-09-30"},
        ),
        201,
    )
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    ok(clerk.post(f"/payruns/{run['id']}/approve"))
    slip = next(
        s for s in ok(clerk.get("/payslips", params={"run_id": run["id"]}))["items"] if s["employee_id"] == "mxa"
    )

    clerks = {"payroll", "admin"}
    with_employee = {"employee_a", "employee_b", "manager_of_a"}
    unknown = "01a00000-0000-7000-8000-000000000000"
    matrix: list[tuple[str, str, Any, set[str]]] = [
        ("GET", "/profiles", None, clerks),
        ("GET", "/profiles/mxa", None, clerks),
        ("GET", "/timesheets", None, with_employee | clerks),
        ("GET", "/timesheets?employee_id=mxa", None, {"employee_a"} | clerks),
        ("GET", f"/timesheets/{sheet_id}", None, {"employee_a"} | clerks),
        ("POST", f"/timesheets/{unknown}/approve", None, set()),
        ("POST", f"/timesheets/{unknown}/reject", {"reason": "r"}, set()),
        ("POST", "/timesheets/decisions", {"decision": "approve", "timesheet_ids": [unknown]}, set()),
        ("GET", "/pay-groups", None, clerks),
        ("POST", "/pay-groups", {"code": "w", "name": "W", "frequency": "weekly", "currency": "XXX"}, set()),
        ("GET", "/rule-sets", None, clerks),
        ("POST", "/rule-sets", {"pay_group": "nope", "effective_from": "2026-01-01", "rules": RULES}, set()),
        ("GET", "/payruns", None, clerks),
        ("GET", f"/payruns/{run['id']}", None, clerks),
        (
            "POST",
            "/payruns",
            {"pay_group": "nope", "period_start": "2026-01-01", "period_end": "2026-01-31", "pay_date": "2026-01-31"},
            set(),
        ),
        ("POST", f"/payruns/{unknown}/calculate", None, set()),
        ("POST", f"/payruns/{unknown}/approve", None, set()),
        ("POST", f"/payruns/{unknown}/paid", None, set()),
        ("POST", f"/payruns/{unknown}/cancel", None, set()),
        ("GET", f"/payruns/{run['id']}/register", None, clerks),
        ("GET", f"/payruns/{run['id']}/register.csv", None, clerks),
        ("GET", "/payslips", None, with_employee | clerks),
        ("GET", f"/payslips/{slip['id']}", None, {"employee_a"} | clerks),
        ("GET", "/payslips?employee_id=mxa", None, {"employee_a"} | clerks),
        ("GET", "/pay-items", None, clerks),
        ("POST", "/pay-items", {"employee_id": "nobody", "kind": "bonus", "amount": "1", "description": "d"}, set()),
        ("POST", f"/pay-items/{unknown}/cancel", None, set()),
        ("GET", "/suppliers", None, clerks),
        ("POST", "/suppliers", {"name": "S", "iban": "DE00000000000000000000"}, set()),
        ("GET", f"/suppliers/{unknown}", None, set()),
        ("GET", "/invoices", None, clerks),
        (
            "POST",
            "/invoices",
            {
                "supplier_id": unknown,
                "number": "1",
                "invoice_date": "2026-01-01",
                "lines": [{"description": "d", "unit_price": "1"}],
            },
            set(),
        ),
        ("GET", f"/invoices/{unknown}", None, set()),
        ("POST", f"/invoices/{unknown}/documents", {"document_ids": ["scan-1"]}, set()),
        ("POST", f"/invoices/{unknown}/approve", None, set()),
        ("POST", f"/invoices/{unknown}/hold", {"reason": "r"}, set()),
        ("POST", f"/invoices/{unknown}/release", None, set()),
        ("POST", f"/invoices/{unknown}/cancel", None, set()),
        ("POST", "/payment-runs", {"execution_date": "2026-01-01", "currency": "XYZ"}, set()),
        ("GET", f"/payment-runs/{unknown}", None, set()),
        ("POST", f"/payment-runs/{unknown}/lines/{unknown}/drop", None, set()),
        ("POST", f"/payment-runs/{unknown}/approve", None, set()),
        ("POST", f"/payment-runs/{unknown}/execute", None, set()),
        ("POST", f"/payment-runs/{unknown}/cancel", None, set()),
        ("GET", f"/payment-runs/{unknown}/pain.001.xml", None, set()),
        ("GET", f"/payment-runs/{unknown}/transfers.csv", None, set()),
        ("GET", "/accounts", None, clerks),
        ("POST", "/accounts", {"code": "1000", "name": "dup", "type": "asset"}, set()),
        ("GET", "/journal-entries", None, clerks),
        (
            "POST",
            "/journal-entries",
            {
                "entry_date": "2026-01-01",
                "description": "d",
                "lines": [{"account": "1000", "debit": "1"}, {"account": "4000", "credit": "2"}],
            },
            set(),
        ),
        ("GET", f"/journal-entries/{unknown}", None, set()),
        ("POST", f"/journal-entries/{unknown}/reversal", {"reason": "r"}, set()),
        ("GET", "/ledger/trial-balance", None, clerks),
        ("GET", "/periods/closed", None, clerks),
        ("POST", "/periods/2026-13/close", None, set()),
        ("GET", "/reports/profit-and-loss", None, clerks),
        ("GET", "/reports/profit-and-loss.csv", None, clerks),
        ("GET", "/reports/profit-and-loss.svg", None, clerks),
        ("GET", "/reports/payroll-cost", None, clerks),
        ("GET", "/reports/payroll-cost.csv", None, clerks),
        ("GET", "/reports/payroll-cost.svg", None, clerks),
        ("GET", "/reports/payables-ageing", None, clerks),
        ("GET", "/reports/payables-ageing.csv", None, clerks),
        ("GET", "/reports/cash-forecast", None, clerks),
        ("GET", "/reports/cash-forecast.csv", None, clerks),
    ]
    failures = []
    for method, path, body, allowed in matrix:
        for role in sorted(tokens):
            status = call(role, method, path, body).status_code
            if role == "anonymous":
                good = status == 401
            elif role in allowed:
                good = 200 <= status < 300
            elif not allowed and role in clerks:
                good = status in (404, 409, 422)  # allowed in; the object does not exist or the input is refused
            else:
                good = status in (403, 404)
            if not good:
                failures.append(f"{method} {path} as {role}: {status}")
    assert not failures, "\n".join(failures)
    # Signing off a payslip is HR's (and admins'): they are let in and told its run is approved already.
    for role in sorted(tokens):
        status = call(role, "POST", f"/payslips/{slip['id']}/sign-off", None).status_code
        expected = 401 if role == "anonymous" else 409 if role in ("hr", "admin") else 403
        assert status == expected, f"sign-off as {role}: {status}"
    # What an employee lists is only theirs.
    assert {s["employee_id"] for s in call("employee_a", "GET", "/payslips").json()["items"]} == {"mxa"}
    assert call("manager_of_a", "GET", f"/payslips/{slip['id']}").status_code == 403
    # ... and so are the timesheets: A lists their own week, B lists none of A's.
    assert [t["id"] for t in call("employee_a", "GET", "/timesheets").json()["items"]] == [sheet_id]
    assert call("employee_b", "GET", "/timesheets").json() == {"items": [], "total": 0, "limit": 100, "offset": 0}
