"""Demo data for a first start in development: a small company to click through, made the way users would make
it, through the gateway's API (no database writes behind the services' backs).

A department, four people hired by HR with their logins activated (HR officer, payroll clerk, IT agent leading
the service desk, an employee), a monthly pay group with the example rule set, a working-hours calendar with
SLA policies, and the service desk team. Used by ``backoffice up`` (see ``launcher.Suite.seed_demo``).
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from typing import Any

import httpx

PEOPLE = (
    ("Hana", "Reyes", ("hr",), "HR officer"),
    ("Paul", "Okafor", ("payroll",), "Payroll clerk"),
    ("Ida", "Lindqvist", ("it_agent",), "IT support"),
    ("Eve", "Martin", ("employee",), "Sales assistant"),
)


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and what the service answered."""


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise DemoError(f"{what}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


def load(gateway_url: str, admin_login: str, admin_password: str, timeout_s: float = 60.0) -> list[tuple[str, str]]:
    """Creates the demo company; returns the (login, password) of each person hired."""
    from backoffice.payroll.rules.example import EXAMPLE_RULES

    with httpx.Client(base_url=gateway_url, timeout=30) as gateway:
        token = _ok(gateway.post("/auth/login", json={"login": admin_login, "password": admin_password}), "sign-in")
        gateway.headers["Authorization"] = f"Bearer {token['access_token']}"
        department = _ok(gateway.post("/api/hr/departments", json={"name": "Operations"}), "department")
        start = date.today() - timedelta(days=60)
        logins: list[tuple[str, str]] = []
        people: dict[str, dict[str, Any]] = {}
        for given, family, roles, position in PEOPLE:
            email = f"{given}.{family}@example.com".lower()  # a domain for examples: no mail reaches anyone
            body = {
                "given_name": given,
                "family_name": family,
                "email": email,
                "department_id": department["id"],
                "position": position,
                "employment_type": "salaried",
                "start_date": start.isoformat(),
                "pay_terms": {"pay_type": "salaried", "rate": "3200", "currency": "EUR", "frequency": "monthly"},
                "roles": list(roles),
            }
            employee = _ok(gateway.post("/api/hr/employees", json=body), f"hiring {given} {family}")
            people[given] = employee
            login = _provisioned(gateway, email, employee["id"], timeout_s)
            activation = _ok(gateway.post(f"/auth/users/{login['id']}/activation-token"), "activation token")
            password = secrets.token_urlsafe(12)
            _ok(gateway.post("/auth/activate", json={"token": activation["token"], "password": password}), "activate")
            logins.append((login["login"], password))

        _ok(
            gateway.post(
                "/api/payroll/pay-groups",
                json={"code": "monthly", "name": "Monthly staff", "frequency": "monthly", "currency": "EUR"},
            ),
            "pay group",
        )
        _ok(
            gateway.post(
                "/api/payroll/rule-sets",
                json={"pay_group": "monthly", "effective_from": "2020-01-01", "rules": EXAMPLE_RULES},
            ),
            "rule set",
        )

        calendar = _ok(
            gateway.post(
                "/api/helpdesk/sla/calendars",
                json={
                    "name": "Office hours",
                    "timezone": "UTC",
                    "working_days": [0, 1, 2, 3, 4],
                    "opens": "09:00",
                    "closes": "17:30",
                    "holidays": [],
                },
            ),
            "SLA calendar",
        )
        for priority, first, resolution in (("low", 480, 4800), ("normal", 240, 1440), ("high", 60, 480)):
            _ok(
                gateway.put(
                    "/api/helpdesk/sla/policies",
                    json={
                        "priority": priority,
                        "category": "*",
                        "first_response_minutes": first,
                        "resolution_minutes": resolution,
                        "calendar_id": calendar["id"],
                    },
                ),
                f"SLA policy {priority}",
            )
        team = _ok(
            gateway.post("/api/helpdesk/teams", json={"name": "Service desk", "categories": [], "is_default": True}),
            "service desk team",
        )
        member = {"employee_id": people["Ida"]["id"], "is_lead": True}
        deadline = time.monotonic() + timeout_s
        while True:  # the helpdesk learns of the hire from its event, a moment after HR answered
            added = gateway.post(f"/api/helpdesk/teams/{team['id']}/members", json=member)
            if added.status_code < 300 or time.monotonic() > deadline:
                _ok(added, "service desk lead")
                return logins
            time.sleep(0.3)


def _provisioned(gateway: httpx.Client, email: str, employee_id: str, timeout_s: float) -> dict[str, Any]:
    """The login the gateway made from ``hr.employee_hired`` (it arrives as an event, a moment later)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page = _ok(gateway.get("/auth/users", params={"q": email}), "looking up a login")
        found = [u for u in page["items"] if u.get("employee_id") == employee_id]
        if found:
            return dict(found[0])
        time.sleep(0.3)
    raise DemoError(f"no login was provisioned for {email} within {timeout_s:.0f} s")
