"""Who may call what in payroll-svc: every route against every role; payslips and hours stay their owner's.

One company is set up for the whole module (an employee with a verified week and a payslip of an approved run);
each (route, role) cell is a test of its own, so a failing cell is reported by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from backoffice.testing import DatabaseFactory, GatewayClient, NatsServer, StartedServices, connect_gateway
from payrollkit import RULES, hired, ok, profile, publish, sheet, submitted

MONDAY = date(2026, 10, 5)
ROLES = [
    "anonymous",
    "employee_a",
    "employee_b",
    "manager_of_a",
    "hr",
    "payroll",
    "it_agent",
    "office",
    "pay_auditor",
    "admin",
]
CLERKS = {"payroll", "admin"}
WITH_EMPLOYEE = {"employee_a", "employee_b", "manager_of_a"}
STAFF = set(ROLES) - {"anonymous"}  # every signed-in person: whether the company is going up or down
PAY_READERS = {"hr", "payroll", "pay_auditor", "admin"}  # pay figures without any one person's pay
UNKNOWN = "01a00000-0000-7000-8000-000000000000"
# Minimum pay: read by HR (and pay auditors) too; written by payroll.
MINIMUM_PAY_ROUTES: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/minimum-pay", None, PAY_READERS),
    ("GET", f"/minimum-pay/{UNKNOWN}", None, set()),
    ("POST", "/minimum-pay", {"country": "ES", "effective_from": "2026-01-01", "currency": "EUR"}, set()),
    ("GET", "/payruns/{run}/overrides", None, PAY_READERS),
    ("POST", f"/payruns/{UNKNOWN}/overrides", {"payslip_id": "x", "reason": "r"}, set()),
]
# (method, path, body, the roles let through): {sheet}, {run} and {slip} are employee A's week, run and payslip.
# A route open to nobody here (an empty set) is one whose object does not exist or whose input is refused: the
# clerks are let in and told so (404, 409, 422); everyone else is refused (403, 404).
ROUTES: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/profiles", None, CLERKS),
    ("GET", "/profiles/mxa", None, CLERKS),
    ("GET", "/timesheets", None, WITH_EMPLOYEE | CLERKS),
    ("GET", "/timesheets?employee_id=mxa", None, {"employee_a"} | CLERKS),
    ("GET", "/timesheets/{sheet}", None, {"employee_a"} | CLERKS),
    ("POST", f"/timesheets/{UNKNOWN}/approve", None, set()),
    ("POST", f"/timesheets/{UNKNOWN}/reject", {"reason": "r"}, set()),
    ("POST", "/timesheets/decisions", {"decision": "approve", "timesheet_ids": [UNKNOWN]}, set()),
    ("GET", "/pay-groups", None, CLERKS),
    ("POST", "/pay-groups", {"code": "w", "name": "W", "frequency": "weekly", "currency": "XXX"}, set()),
    ("GET", "/rule-sets", None, CLERKS),
    ("POST", "/rule-sets", {"pay_group": "nope", "effective_from": "2026-01-01", "rules": RULES}, set()),
    ("GET", "/payruns", None, CLERKS),
    ("GET", "/payruns/{run}", None, CLERKS),
    (
        "POST",
        "/payruns",
        {"pay_group": "nope", "period_start": "2026-01-01", "period_end": "2026-01-31", "pay_date": "2026-01-31"},
        set(),
    ),
    ("POST", f"/payruns/{UNKNOWN}/calculate", None, set()),
    ("POST", f"/payruns/{UNKNOWN}/approve", None, set()),
    ("POST", f"/payruns/{UNKNOWN}/paid", None, set()),
    ("POST", f"/payruns/{UNKNOWN}/cancel", None, set()),
    ("GET", "/payruns/{run}/register", None, CLERKS),
    *MINIMUM_PAY_ROUTES,
    ("GET", "/payruns/{run}/register.csv", None, CLERKS),
    ("GET", "/payslips", None, WITH_EMPLOYEE | CLERKS),
    ("GET", "/payslips/{slip}", None, {"employee_a"} | CLERKS),
    ("GET", "/payslips?employee_id=mxa", None, {"employee_a"} | CLERKS),
    ("GET", "/pay-items", None, CLERKS),
    ("POST", "/pay-items", {"employee_id": "nobody", "kind": "bonus", "amount": "1", "description": "d"}, set()),
    ("POST", f"/pay-items/{UNKNOWN}/cancel", None, set()),
    ("GET", "/suppliers", None, CLERKS),
    ("POST", "/suppliers", {"name": "S", "iban": "DE00000000000000000000"}, set()),
    ("GET", f"/suppliers/{UNKNOWN}", None, set()),
    ("GET", "/invoices", None, CLERKS),
    (
        "POST",
        "/invoices",
        {
            "supplier_id": UNKNOWN,
            "number": "1",
            "invoice_date": "2026-01-01",
            "lines": [{"description": "d", "unit_price": "1"}],
        },
        set(),
    ),
    ("GET", f"/invoices/{UNKNOWN}", None, set()),
    ("POST", f"/invoices/{UNKNOWN}/documents", {"document_ids": ["scan-1"]}, set()),
    ("POST", f"/invoices/{UNKNOWN}/approve", None, set()),
    ("POST", f"/invoices/{UNKNOWN}/hold", {"reason": "r"}, set()),
    ("POST", f"/invoices/{UNKNOWN}/release", None, set()),
    ("POST", f"/invoices/{UNKNOWN}/cancel", None, set()),
    ("POST", "/payment-runs", {"execution_date": "2026-01-01", "currency": "XYZ"}, set()),
    ("GET", f"/payment-runs/{UNKNOWN}", None, set()),
    ("POST", f"/payment-runs/{UNKNOWN}/lines/{UNKNOWN}/drop", None, set()),
    ("POST", f"/payment-runs/{UNKNOWN}/approve", None, set()),
    ("POST", f"/payment-runs/{UNKNOWN}/execute", None, set()),
    ("POST", f"/payment-runs/{UNKNOWN}/cancel", None, set()),
    ("GET", f"/payment-runs/{UNKNOWN}/pain.001.xml", None, set()),
    ("GET", f"/payment-runs/{UNKNOWN}/transfers.csv", None, set()),
    ("GET", "/accounts", None, CLERKS),
    ("POST", "/accounts", {"code": "1000", "name": "dup", "type": "asset"}, set()),
    ("GET", "/journal-entries", None, CLERKS),
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
    ("GET", f"/journal-entries/{UNKNOWN}", None, set()),
    ("POST", f"/journal-entries/{UNKNOWN}/reversal", {"reason": "r"}, set()),
    ("GET", "/ledger/trial-balance", None, CLERKS),
    ("GET", "/periods/closed", None, CLERKS),
    ("POST", "/periods/2026-13/close", None, set()),
    ("GET", "/reports/profit-and-loss", None, STAFF),
    ("GET", "/reports/profit-and-loss.csv", None, STAFF),
    ("GET", "/reports/profit-and-loss.svg", None, STAFF),
    ("GET", "/reports/payroll-cost", None, CLERKS),
    ("GET", "/reports/payroll-cost.csv", None, CLERKS),
    ("GET", "/reports/payroll-cost.svg", None, CLERKS),
    ("GET", "/reports/payables-ageing", None, CLERKS),
    ("GET", "/reports/payables-ageing.csv", None, CLERKS),
    ("GET", "/reports/cash-forecast", None, CLERKS),
    ("GET", "/reports/cash-forecast.csv", None, CLERKS),
    # unpaid verified hours: payroll, HR (and pay auditors) read them, a clerk defers a week
    ("GET", "/reports/unpaid-hours", None, PAY_READERS),
    ("GET", "/reports/unpaid-hours.csv", None, PAY_READERS),
    ("GET", "/hours/deferrals", None, PAY_READERS),
    ("POST", "/hours/deferrals", {"timesheet_id": UNKNOWN, "reason": "r", "until": "next-run"}, set()),
    ("POST", f"/hours/deferrals/{UNKNOWN}/cancel", {"reason": "r"}, set()),
]
ROUTES += [  # fair pay: pay by sex is for HR, payroll and pay auditors; HR-only writes are checked below
    ("GET", "/pay-gap", None, PAY_READERS),
    ("GET", "/pay-gap?from=2026-01-01&to=2026-12-31", None, PAY_READERS),
    ("GET", "/pay-register", None, PAY_READERS),
    ("GET", "/pay-register?format=csv&from=2026-09-01&to=2026-09-30", None, PAY_READERS),
    ("POST", "/pay-register/file", {"from": "2026-09-01", "to": "2026-09-30"}, PAY_READERS),
    ("GET", "/pay-gap/assessments", None, PAY_READERS),
    ("GET", f"/pay-gap/assessments/{UNKNOWN}", None, set()),
    ("GET", "/pay-information-requests", None, STAFF),
    ("GET", f"/pay-information-requests/{UNKNOWN}", None, set()),
]
# Recorded by HR (and admins) alone; here about a category or assessment that does not exist: let in and told so.
HR_WRITES: list[tuple[str, Any, int]] = [
    (
        "/pay-gap/justifications",
        {"category_id": "nope", "period_start": "2026-01-01", "period_end": "2026-12-31", "text": "t"},
        422,
    ),
    (
        "/pay-gap/assessments",
        {
            "category_id": "nope",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "findings": "f",
            "measures": [{"description": "d", "owner": "o", "due": "2027-01-01"}],
        },
        422,
    ),
    (f"/pay-gap/assessments/{UNKNOWN}/follow-ups", {"note": "n", "status": "done"}, 404),
]


@dataclass
class Company:
    """Payroll with employee A's objects, and a client that calls it as each role."""

    client: httpx.Client
    gateway: GatewayClient
    tokens: dict[str, str | None]
    ids: dict[str, str]  # sheet, run, slip

    def call(self, role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        token = self.tokens[role]
        return self.client.request(
            method, path.format(**self.ids), headers=self.gateway.auth(token) if token else {}, json=body
        )


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, nats_server: NatsServer) -> Iterator[Company]:
    folder = tmp_path_factory.mktemp("access")
    databases = DatabaseFactory(folder)
    services = StartedServices(folder, nats_server.url, databases)
    try:
        g = connect_gateway(services.start("gateway"))
        boss = hired("mxboss", date(2020, 1, 1), pay_type="salaried", rate="6000")
        boss = boss.model_copy(update={"data": {**boss.data, "roles": ["employee", "manager"]}})
        a = hired("mxa", date(2020, 1, 1), pay_type="salaried", rate="3000")
        a = a.model_copy(update={"data": {**a.data, "manager_id": "mxboss"}})
        publish(nats_server.url, boss, a, hired("mxb", date(2020, 1, 1)))
        payroll = services.start("payroll")
        clerk_token = g.make_user("mx-payroll", ["payroll"])
        tokens: dict[str, str | None] = {
            "anonymous": None,
            "employee_a": g.activate_employee("mxa"),
            "employee_b": g.activate_employee("mxb"),
            "manager_of_a": g.activate_employee("mxboss"),
            "hr": g.make_user("mx-hr", ["hr"]),
            "payroll": clerk_token,
            "it_agent": g.make_user("mx-it", ["it_agent"]),
            "office": g.make_user("mx-office", ["office"]),
            "pay_auditor": g.make_user("mx-auditor", ["pay_auditor"]),
            "admin": g.admin_token,
        }
        clerk = httpx.Client(base_url=payroll.url, headers=g.auth(clerk_token))
        ids = {"sheet": _verified_week(clerk, nats_server), **_approved_run(clerk)}
        with httpx.Client(base_url=payroll.url) as client:
            yield Company(client, g, tokens, ids)
        clerk.close()
        g.client.close()
    finally:
        services.stop_all()
        databases.cleanup()


def _verified_week(clerk: httpx.Client, nats_server: NatsServer) -> str:
    """Employee A's week, received and checked by payroll: its id."""
    profile(clerk, "mxa")
    week = submitted("mxa", MONDAY, [(0, "8", "regular")])
    publish(nats_server.url, week)
    return str(sheet(clerk, week.data["timesheet_id"])["id"])


def _approved_run(clerk: httpx.Client) -> dict[str, str]:
    """A September run, approved: its id and employee A's payslip in it."""
    ok(clerk.post("/pay-groups", json={"code": "m", "name": "M", "frequency": "monthly", "currency": "EUR"}), 201)
    ok(clerk.post("/rule-sets", json={"pay_group": "m", "effective_from": "2026-01-01", "rules": RULES}), 201)
    period = {"pay_group": "m", "period_start": "2026-09-01", "period_end": "2026-09-30", "pay_date": "2026-09-30"}
    run = ok(clerk.post("/payruns", json=period), 201)
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    ok(clerk.post(f"/payruns/{run['id']}/approve"))
    slips = ok(clerk.get("/payslips", params={"run_id": run["id"]}))["items"]
    return {"run": run["id"], "slip": next(s["id"] for s in slips if s["employee_id"] == "mxa")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ROUTES, ids=[f"{method} {path}" for method, path, _, _ in ROUTES]
)
def test_each_role_is_let_through_only_where_allowed(
    company: Company, method: str, path: str, body: Any, allowed: set[str], role: str
) -> None:
    status = company.call(role, method, path, body).status_code
    if role == "anonymous":
        assert status == 401
    elif role in allowed:
        assert 200 <= status < 300
    elif not allowed and role in CLERKS:
        assert status in (404, 409, 422)  # let in; the object does not exist or the input is refused
    else:
        assert status in (403, 404)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(role, 401 if role == "anonymous" else 409 if role in ("hr", "admin") else 403) for role in ROLES],
)
def test_hr_and_admins_sign_off_payslips_and_are_told_the_run_is_approved_already(
    company: Company, role: str, expected: int
) -> None:
    assert company.call(role, "POST", "/payslips/{slip}/sign-off").status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "body", "told"), HR_WRITES, ids=[path for path, _, _ in HR_WRITES])
def test_only_hr_and_admins_record_justifications_and_assessments(
    company: Company, path: str, body: Any, told: int, role: str
) -> None:
    expected = 401 if role == "anonymous" else told if role in ("hr", "admin") else 403
    assert company.call(role, "POST", path, body).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_asks_for_their_categorys_pay_and_is_told_they_have_none(company: Company, role: str) -> None:
    """Nobody here has a job category (409), and the logins without an employee record are told so (422)."""
    expected = 401 if role == "anonymous" else 409 if role in WITH_EMPLOYEE else 422
    assert company.call(role, "POST", "/pay-information-requests").status_code == expected


def test_an_employee_lists_only_their_own_payslips(company: Company) -> None:
    items = company.call("employee_a", "GET", "/payslips").json()["items"]
    assert {s["employee_id"] for s in items} == {"mxa"}


def test_a_manager_does_not_read_the_payslip_of_someone_they_manage(company: Company) -> None:
    assert company.call("manager_of_a", "GET", "/payslips/{slip}").status_code == 403


def test_an_employee_lists_their_own_timesheets_and_no_one_elses(company: Company) -> None:
    assert [t["id"] for t in company.call("employee_a", "GET", "/timesheets").json()["items"]] == [company.ids["sheet"]]
    assert company.call("employee_b", "GET", "/timesheets").json() == {
        "items": [],
        "total": 0,
        "limit": 100,
        "offset": 0,
    }


def test_an_employee_reads_the_companys_results_but_not_what_the_payroll_costs(company: Company) -> None:
    september = {"from": "2026-09-01", "to": "2026-09-30"}
    path = "/reports/profit-and-loss?from={from}&to={to}".format(**september)
    seen = company.call("employee_b", "GET", path)
    assert seen.status_code == 200
    (period,) = seen.json()["periods"]
    # The same figures as payroll's: the approved September run is an expense, so the month is a loss.
    assert seen.json() == company.call("payroll", "GET", path).json()
    assert (period["period"], period["income"]) == ("2026-09", "0.00")
    assert period["expenses"] != "0.00"
    assert period["profit"] == f"-{period['expenses']}"
    csv_text = company.call("employee_b", "GET", "/reports/profit-and-loss.csv?from=2026-09-01&to=2026-09-30").text
    assert csv_text.splitlines()[1].startswith(f"2026-09,0.00,{period['expenses']},{period['profit']}")
    for report in ("payroll-cost", "payroll-cost.csv", "payables-ageing", "cash-forecast"):
        refused = company.call("employee_b", "GET", f"/reports/{report}")
        assert refused.status_code == 403, report
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "payroll" in refused.json()["detail"]
