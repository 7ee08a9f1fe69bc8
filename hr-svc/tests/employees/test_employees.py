"""The employee record through real processes: gateway tokens, hr-svc, NATS, a real consumer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from backoffice.testing import GatewayClient, RunningService, ServiceStarter, events_about
from hrkit import TODAY, HrStack, hire_body, ok, problem


@pytest.fixture
def hr(gateway_client: GatewayClient, start_service: ServiceStarter) -> RunningService:
    return start_service("hr")


@dataclass
class Desk:
    """The hr-svc of this module with an HR officer's client, and the gateway that gives hires their logins."""

    stack: HrStack
    client: httpx.Client

    def department(self, name: str) -> dict[str, Any]:
        """A new department."""
        made: dict[str, Any] = ok(self.client.post("/departments", json={"name": name}), 201)
        return made

    def hire(self, given: str, **extra: Any) -> dict[str, Any]:
        """A new employee (``extra``: fields of the hire's body)."""
        made: dict[str, Any] = ok(
            self.client.post("/employees", json=hire_body(given, f"{given.lower()}@example.com", **extra)), 201
        )
        return made


@pytest.fixture(scope="module")
def desk(hr_stack: HrStack) -> Desk:
    officer = hr_stack.gateway.auth(hr_stack.gateway.make_user("officer", ["hr"]))
    return Desk(stack=hr_stack, client=httpx.Client(base_url=hr_stack.hr.url, headers=officer))


def pay_terms(effective_from: str, rate: str) -> dict[str, str]:
    """A body of new hourly pay terms."""
    return {
        "effective_from": effective_from,
        "pay_type": "hourly",
        "rate": rate,
        "currency": "EUR",
        "frequency": "monthly",
    }


def test_a_hire_shows_department_status_and_pay(desk: Desk) -> None:
    sales = desk.department("Sales")
    problem(desk.client.post("/departments", json={"name": "sales"}), 409)
    boss = desk.hire("Maria", department_id=sales["id"], roles=["employee", "manager"])
    worker = desk.hire("Tom", department_id=sales["id"], manager_id=boss["id"])
    assert worker["department"] == "Sales"
    assert worker["status"] == "active"
    assert worker["pay_terms"]["rate"] == "25.5000"
    assert len(worker["pay_history"]) == 1


def test_the_gateway_gives_each_hire_a_login(desk: Desk) -> None:
    """A real consumer of hr.employee_hired."""
    gateway = desk.stack.gateway
    hired = {desk.hire("Lena")["id"], desk.hire("Lars")["id"]}
    deadline = time.monotonic() + 20
    while True:
        users = gateway.client.get(
            "/auth/users", headers=gateway.auth(gateway.admin_token), params={"q": "@example.com"}
        ).json()["items"]
        if hired <= {u["employee_id"] for u in users}:
            break
        assert time.monotonic() < deadline, f"logins not provisioned: {users}"
        time.sleep(0.3)


def test_new_pay_terms_start_on_their_date_once(desk: Desk) -> None:
    worker = desk.hire("Pia")
    raise_from = (TODAY + timedelta(days=10)).isoformat()
    raised = ok(desk.client.post(f"/employees/{worker['id']}/pay-terms", json=pay_terms(raise_from, "27.00")), 201)
    assert raised["pay_terms"]["rate"] == "25.5000", "the raise is not in force yet"
    assert [t["rate"] for t in raised["pay_history"]] == ["25.5000", "27.0000"]
    problem(desk.client.post(f"/employees/{worker['id']}/pay-terms", json=pay_terms(raise_from, "28.00")), 409)


def test_bad_input_is_refused_with_the_reason_and_nothing_written(desk: Desk) -> None:
    c = desk.client
    boss = desk.hire("Bodil", roles=["employee", "manager"])
    worker = desk.hire("Wim", manager_id=boss["id"])
    on = TODAY.isoformat()
    assert "loop" in problem(
        c.patch(f"/employees/{boss['id']}", json={"effective_date": on, "manager_id": worker["id"]}), 422
    )
    assert "own manager" in problem(
        c.patch(f"/employees/{boss['id']}", json={"effective_date": on, "manager_id": boss["id"]}), 422
    )
    assert "does not exist" in problem(
        c.post("/employees", json=hire_body("Ann", "ann@example.com", manager_id="nobody")), 422
    )
    assert "department" in problem(
        c.post("/employees", json=hire_body("Ann", "ann@example.com", department_id="nowhere")), 422
    )
    assert "exists already" in problem(c.post("/employees", json=hire_body("Wim", "WIM@example.com")), 409)
    early = {"effective_date": (TODAY - timedelta(days=60)).isoformat(), "kind": "voluntary", "reason": "moving"}
    assert "before the start date" in problem(c.post(f"/employees/{worker['id']}/termination", json=early), 422)
    problem(c.get("/employees/nobody"), 404)
    assert ok(c.get("/employees", params={"q": "ann"}))["total"] == 0


def test_a_terminated_record_is_closed(desk: Desk) -> None:
    c = desk.client
    worker = desk.hire("Gus")
    leaving = {"effective_date": TODAY.isoformat(), "kind": "voluntary", "reason": "moving abroad"}
    gone = ok(c.post(f"/employees/{worker['id']}/termination", json=leaving), 201)
    assert gone["status"] == "terminated"
    assert gone["termination"]["kind"] == "voluntary"
    problem(c.post(f"/employees/{worker['id']}/termination", json={**leaving, "reason": "again"}), 409)
    problem(c.patch(f"/employees/{worker['id']}", json={"effective_date": TODAY.isoformat(), "position": "x"}), 409)


def test_hire_change_pay_and_termination_are_announced_in_order(desk: Desk) -> None:
    c = desk.client
    boss = desk.hire("Eva", roles=["employee", "manager"])
    worker = desk.hire("Eli", manager_id=boss["id"])
    moved = ok(
        c.patch(f"/employees/{worker['id']}", json={"effective_from": TODAY.isoformat(), "position": "Senior seller"})
    )
    assert moved["position"] == "Senior seller"
    ok(
        c.post(
            f"/employees/{worker['id']}/pay-terms", json=pay_terms((TODAY + timedelta(days=10)).isoformat(), "27.00")
        ),
        201,
    )
    leaving = {"effective_date": TODAY.isoformat(), "kind": "voluntary", "reason": "moving abroad"}
    ok(c.post(f"/employees/{worker['id']}/termination", json=leaving), 201)

    # The outbox publishes after each commit: wait for the five.
    events = events_about(desk.stack.nats_url, "hr.>", "HR", lambda e: e.subject in (boss["id"], worker["id"]), 5)
    kinds = [(e.type, e.subject) for e in events]
    assert kinds == [
        ("hr.employee_hired", boss["id"]),
        ("hr.employee_hired", worker["id"]),
        ("hr.employee_updated", worker["id"]),
        ("hr.employee_updated", worker["id"]),
        ("hr.employee_terminated", worker["id"]),
    ]
    hired = events[1].data
    assert hired["manager_id"] == boss["id"]
    assert hired["pay_terms"]["rate"] == "25.5000"
    assert events[2].data["changes"] == ["position"]
    assert events[3].data["changes"] == ["pay_terms"]
    assert events[3].data["pay_terms"]["rate"] == "27.0000"
    assert events[4].data["kind"] == "voluntary"
    assert events[4].data["effective_date"] == TODAY.isoformat()


def test_who_sees_which_record_and_pay(gateway_client: GatewayClient, hr: RunningService) -> None:
    officer = gateway_client.auth(gateway_client.make_user("officer2", ["hr"]))
    c = httpx.Client(base_url=hr.url)
    boss = ok(
        c.post("/employees", headers=officer, json=hire_body("Bea", "bea@example.com", roles=["employee", "manager"])),
        201,
    )
    alice = ok(
        c.post("/employees", headers=officer, json=hire_body("Alice", "alice@example.com", manager_id=boss["id"])), 201
    )
    bob = ok(c.post("/employees", headers=officer, json=hire_body("Bob", "bob@example.com")), 201)
    # Their logins come from the hire events, as in production: activate them.
    as_alice = gateway_client.auth(gateway_client.activate_employee(alice["id"]))
    as_boss = gateway_client.auth(gateway_client.activate_employee(boss["id"]))
    as_payroll = gateway_client.auth(gateway_client.make_user("paula", ["payroll"]))

    problem(c.get(f"/employees/{alice['id']}"), 401)
    own = ok(c.get(f"/employees/{alice['id']}", headers=as_alice))
    assert own["pay_terms"] is None, "pay is for HR, payroll and admin"
    assert own["pay_history"] is None, "pay is for HR, payroll and admin"
    problem(c.get(f"/employees/{bob['id']}", headers=as_alice), 403)
    assert ok(c.get(f"/employees/{alice['id']}", headers=as_boss))["pay_terms"] is None
    problem(c.get(f"/employees/{bob['id']}", headers=as_boss), 403)
    assert ok(c.get(f"/employees/{bob['id']}", headers=as_payroll))["pay_terms"]["currency"] == "EUR"

    assert [e["id"] for e in ok(c.get("/employees", headers=as_alice))["items"]] == [alice["id"]]
    assert {e["id"] for e in ok(c.get("/employees", headers=as_boss))["items"]} == {alice["id"], boss["id"]}
    everyone = ok(c.get("/employees", headers=officer, params={"limit": 2}))
    assert everyone["total"] == 3
    assert len(everyone["items"]) == 2
    assert [e["id"] for e in ok(c.get("/employees", headers=officer, params={"manager_id": boss["id"]}))["items"]] == [
        alice["id"]
    ]
    assert ok(c.get("/employees", headers=officer, params={"q": "bob tes"}))["total"] == 1

    for who in (as_alice, as_boss, as_payroll):
        problem(c.post("/employees", headers=who, json=hire_body("Eve", "eve@example.com")), 403)
        problem(
            c.patch(
                f"/employees/{bob['id']}", headers=who, json={"effective_date": TODAY.isoformat(), "position": "x"}
            ),
            403,
        )
        problem(
            c.post(
                f"/employees/{bob['id']}/termination",
                headers=who,
                json={"effective_date": TODAY.isoformat(), "kind": "dismissal", "reason": "x"},
            ),
            403,
        )


def test_nobody_changes_their_own_pay_terms(gateway_client: GatewayClient, hr: RunningService) -> None:
    g = gateway_client
    c = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("officer3", ["hr"])))
    # An administrator hires them, since HR grants neither role.
    admin = g.auth(g.admin_token)
    hana = ok(c.post("/employees", headers=admin, json=hire_body("Hana", "hana@example.com", roles=["hr"])), 201)
    root = ok(c.post("/employees", headers=admin, json=hire_body("Root", "root.p@example.com", roles=["admin"])), 201)
    raise_body = {
        "effective_from": TODAY.isoformat(),
        "pay_type": "hourly",
        "rate": "99.00",
        "currency": "EUR",
        "frequency": "monthly",
    }
    # Hana works in HR, Root is an administrator: neither raises their own pay, as payroll clerks add no bonus
    # to themselves.
    for who in (hana, root):
        own = g.auth(g.activate_employee(who["id"]))
        detail = problem(c.post(f"/employees/{who['id']}/pay-terms", headers=own, json=raise_body), 403)
        assert "your own pay terms" in detail
        assert "another HR officer" in detail
        assert [t["rate"] for t in ok(c.get(f"/employees/{who['id']}"))["pay_history"]] == ["25.5000"]
    # Another officer may.
    raised = ok(c.post(f"/employees/{hana['id']}/pay-terms", json=raise_body), 201)
    assert raised["pay_terms"]["rate"] == "99.0000"


def test_an_update_refuses_null_for_what_a_record_cannot_be_without(
    gateway_client: GatewayClient, hr: RunningService
) -> None:
    c = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.make_user("officer4", ["hr"])))
    kim = ok(c.post("/employees", json=hire_body("Kim", "kim@example.com", phone="+34 600 000 000")), 201)
    on = TODAY.isoformat()
    for field in ("email", "status"):
        detail = problem(c.patch(f"/employees/{kim['id']}", json={"effective_date": on, field: None}), 422)
        assert detail.startswith(f"body.{field}: "), detail
        assert "cannot be null" in detail, detail
    # Fields a record may be without are cleared by null; left out, a field keeps its value.
    # ``effective_date``, the field's former name, is still read (for one release).
    cleared = ok(c.patch(f"/employees/{kim['id']}", json={"effective_date": on, "phone": None}))
    assert cleared["phone"] is None
    assert cleared["email"] == "kim@example.com"
    assert cleared["status"] == "active"
    # The API description says so too.
    schema = ok(c.get("/openapi.json"))["components"]["schemas"]["EmployeeUpdate"]["properties"]
    assert schema["email"] == {"type": "string", "format": "email", "title": "Email"}
    assert "null" not in str(schema["status"])
    assert {"type": "null"} in schema["phone"]["anyOf"]
