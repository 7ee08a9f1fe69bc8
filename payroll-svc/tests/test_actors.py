"""Who acted, as another role reads it: a clerk's decision and an HR officer's warning name the person (their
employee id and name), not only a login id that only HR and admins could look up (gateway, hr and payroll)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from backoffice.testing import GatewayClient, NatsServer, RunningService, ServiceStarter
from payrollkit import hired, ok, profile, publish, sheet, wait_for

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)  # last week's Monday


@pytest.fixture
def payroll(start_service: ServiceStarter, gateway_client: GatewayClient, nats_server: NatsServer) -> RunningService:
    publish(nats_server.url, hired("warmup", MONDAY - timedelta(days=400)))  # the HR stream exists before payroll
    return start_service("payroll")


def person(given: str, family: str, **extra: Any) -> dict[str, Any]:
    return {
        "given_name": given,
        "family_name": family,
        "email": f"{given.lower()}.{family.lower()}@example.com",
        "employment_type": "hourly",
        "start_date": (MONDAY - timedelta(days=60)).isoformat(),
        "pay_terms": {"pay_type": "hourly", "rate": "20", "currency": "EUR", "frequency": "monthly"},
        **extra,
    }


def test_an_employee_sees_who_decided_their_week_and_who_warned_them(
    payroll: RunningService, gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    hr = start_service("hr")
    g = gateway_client
    admin = httpx.Client(base_url=hr.url, headers=g.auth(g.admin_token))
    # People hired through HR: their logins carry their names from HR.
    paula = ok(admin.post("/employees", json=person("Paula", "Payroll", roles=["employee", "payroll"])), 201)
    hanna = ok(admin.post("/employees", json=person("Hanna", "Officer", roles=["employee", "hr"])), 201)
    eve = ok(admin.post("/employees", json=person("Eve", "Tester")), 201)
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.activate_employee(paula["id"])))
    eve_token = g.activate_employee(eve["id"])
    me_at_hr = httpx.Client(base_url=hr.url, headers=g.auth(eve_token))
    me_at_payroll = httpx.Client(base_url=payroll.url, headers=g.auth(eve_token))
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(hanna["id"])))
    profile(clerk, eve["id"])

    # Eve's week, approved by Paula at payroll.
    created = ok(me_at_hr.post("/timesheets", json={"week_start": MONDAY.isoformat()}), 201)
    entries = [{"day": (MONDAY + timedelta(days=d)).isoformat(), "hours": "8"} for d in range(5)]
    ok(me_at_hr.put(f"/timesheets/{created['id']}/entries", json={"entries": entries}))
    ok(me_at_hr.post(f"/timesheets/{created['id']}/submit"))
    assert sheet(clerk, created["id"])["status"] == "pending"
    approved = ok(clerk.post(f"/timesheets/{created['id']}/approve"))
    paula_actor = {"user_id": approved["decided_by"], "employee_id": paula["id"], "name": "Paula Payroll"}
    assert approved["decided_by_actor"] == paula_actor  # the clerk's own first write names them

    # Eve (an employee: she may not look a login id up at the gateway) reads who decided.
    mine = ok(me_at_payroll.get(f"/timesheets/{created['id']}"))
    assert mine["decided_by_actor"] == paula_actor
    assert g.client.get(f"/auth/users/{approved['decided_by']}", headers=g.auth(eve_token)).status_code in (403, 404)

    # Hanna warns Eve; Eve reads the warning and sees who issued it.
    warned = ok(
        officer.post(
            "/warnings",
            json={
                "employee_id": eve["id"],
                "category": "conduct",
                "severity": "minor",
                "facts": "Left the till open overnight",
                "occurred_on": TODAY.isoformat(),
            },
        ),
        202,
    )
    warning = wait_for(
        lambda: (r := me_at_hr.get(f"/warnings/{warned['warning_id']}")).status_code == 200 and r.json(),
        "the warning to be recorded",
    )
    assert warning["issued_by_actor"] == {
        "user_id": warning["issued_by"],
        "employee_id": hanna["id"],
        "name": "Hanna Officer",
    }
    listed = ok(me_at_hr.get("/warnings", params={"employee_id": eve["id"]}))["items"]
    assert [w["issued_by_actor"]["name"] for w in listed] == ["Hanna Officer"]
