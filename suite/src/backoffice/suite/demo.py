"""Demo data for a first start in development: a small company to click through, made the way users would make
it, through the gateway's API (no database writes behind the services' backs).

Set up first, so that what follows lands somewhere: two departments, a monthly pay group with the example rule
set, a working-hours calendar with SLA policies and the service desk team. Then the staff, hired two months ago
with their logins activated: an HR officer, a payroll clerk, an IT agent who leads the service desk, a sales
manager with two reports (an employee and the receptionist); their onboarding tickets are closed, as the desk
would have closed them then. Then the onboarding and offboarding checklists, and one new joiner starting next
week, so that HR, the desk and his manager each have a live onboarding task to look at. Used by ``backoffice
up`` (see ``launcher.Suite.seed_demo``).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx


@dataclass(frozen=True)
class DemoPerson:
    given: str
    family: str
    roles: tuple[str, ...]
    position: str
    department: str
    manager: str | None = None  # the given name of their manager
    starts_in_days: int = -60  # before today: staff already in post


STAFF = (
    DemoPerson("Hana", "Reyes", ("hr",), "HR officer", "Operations"),
    DemoPerson("Paul", "Okafor", ("payroll",), "Payroll clerk", "Operations"),
    DemoPerson("Ida", "Lindqvist", ("it_agent",), "IT support lead", "Operations"),
    DemoPerson("Mia", "Santos", ("manager",), "Sales manager", "Sales"),
    DemoPerson("Eve", "Martin", ("employee",), "Sales assistant", "Sales", manager="Mia"),
    DemoPerson("Omar", "Haddad", ("office",), "Receptionist", "Sales", manager="Mia"),
)
NEW_JOINER = DemoPerson("Leo", "Novak", ("employee",), "Sales assistant", "Sales", manager="Mia", starts_in_days=7)

ONBOARDING = [
    {"title": "Sign the contract", "owner_role": "hr", "due_offset_days": 0, "done_on_event": "docs.document_filed"},
    {
        "title": "Laptop and accounts",
        "owner_role": "it_agent",
        "due_offset_days": -1,
        "done_on_event": "helpdesk.ticket_resolved",
    },
    {"title": "Meet the team", "owner_role": "manager", "due_offset_days": 2},
    {"title": "Read the handbook", "owner_role": "employee", "due_offset_days": 7},
]
OFFBOARDING = [
    {
        "title": "Collect equipment",
        "owner_role": "it_agent",
        "due_offset_days": 0,
        "done_on_event": "helpdesk.ticket_resolved",
    },
    {"title": "Exit interview", "owner_role": "hr", "due_offset_days": -2},
]


# Categories of work of equal value, with the demo positions placed in them, so the fair-pay screens show something.
# No declared sex is recorded for the demo people: each person declares their own (in "My profile") or HR does.
JOB_CATEGORIES = (
    {
        "code": "C1",
        "name": "Front-line support",
        "description": "Serving customers and visitors by set procedures, under supervision.",
        "scores": {"skills": 40, "effort": 55, "responsibility": 30, "working_conditions": 45},
        "positions": ("Sales assistant", "Receptionist"),
    },
    {
        "code": "C2",
        "name": "Specialists",
        "description": "Qualified work in one field (people, pay, IT), organised by the person within set rules.",
        "scores": {"skills": 70, "effort": 50, "responsibility": 60, "working_conditions": 30},
        "positions": ("HR officer", "Payroll clerk", "IT support lead"),
    },
    {
        "code": "C3",
        "name": "Management",
        "description": "Leading a team and answering for its results and budget.",
        "scores": {"skills": 75, "effort": 60, "responsibility": 85, "working_conditions": 35},
        "positions": ("Sales manager",),
    },
)


def describe(person: DemoPerson) -> str:
    """How a person appears in the list of demo logins: their job, roles and name."""
    when = f", starts {date.today() + timedelta(days=person.starts_in_days)}" if person.starts_in_days > 0 else ""
    return f"{person.position} ({', '.join(person.roles)}{when}): {person.given} {person.family}"


class DemoError(RuntimeError):
    """A step of the demo failed; the message says which and what the service answered."""


def _ok(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 300:
        raise DemoError(f"{what}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


def load(
    gateway_url: str, admin_login: str, admin_password: str, timeout_s: float = 60.0
) -> list[tuple[str, str, str]]:
    """Creates the demo company; returns the (login, password, who they are) of each person hired."""
    from backoffice.payroll.rules.example import EXAMPLE_RULES

    with httpx.Client(base_url=gateway_url, timeout=30) as gateway:
        token = _ok(gateway.post("/auth/login", json={"login": admin_login, "password": admin_password}), "sign-in")
        gateway.headers["Authorization"] = f"Bearer {token['access_token']}"
        departments = {
            name: _ok(gateway.post("/api/hr/departments", json={"name": name}), f"department {name}")["id"]
            for name in ("Operations", "Sales")
        }
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
        team = _service_desk(gateway)

        logins: list[tuple[str, str, str]] = []
        people: dict[str, str] = {}  # given name -> employee id
        for person in STAFF:
            logins.append(_hire(gateway, person, departments, people, timeout_s))
        _wait_ok(
            lambda: gateway.post(
                f"/api/helpdesk/teams/{team}/members", json={"employee_id": people["Ida"], "is_lead": True}
            ),
            "service desk lead",
            timeout_s,
        )
        for person in STAFF:  # staff in post for two months: the desk set them up back then
            _close_onboarding(gateway, people[person.given], timeout_s)

        for kind, tasks in (("onboarding", ONBOARDING), ("offboarding", OFFBOARDING)):
            _ok(gateway.put("/api/hr/checklist-templates", json={"kind": kind, "tasks": tasks}), f"{kind} checklist")
        logins.append(_hire(gateway, NEW_JOINER, departments, people, timeout_s))
        _job_categories(gateway)
        return logins


def _job_categories(gateway: httpx.Client) -> None:
    """The three demo categories, each position placed in one since 2020."""
    for spec in JOB_CATEGORIES:
        body = {key: value for key, value in spec.items() if key != "positions"}
        made = _ok(gateway.post("/api/hr/job-categories", json=body), f"job category {spec['code']}")
        for position in spec["positions"]:
            placement = {"position": position, "effective_from": "2020-01-01"}
            _ok(gateway.post(f"/api/hr/job-categories/{made['id']}/placements", json=placement), f"place {position}")


def _service_desk(gateway: httpx.Client) -> str:
    """Office hours, SLA targets per priority and the default team: before anyone is hired, so that the
    onboarding tickets of the hires have a team and targets from the start."""
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
    return str(team["id"])


def _hire(
    gateway: httpx.Client, person: DemoPerson, departments: dict[str, str], people: dict[str, str], timeout_s: float
) -> tuple[str, str, str]:
    """Hire through HR, wait for the login the gateway provisions, activate it; return the login line."""
    email = f"{person.given}.{person.family}@example.com".lower()  # a domain for examples: no mail reaches anyone
    body: dict[str, Any] = {
        "given_name": person.given,
        "family_name": person.family,
        "email": email,
        "department_id": departments[person.department],
        "position": person.position,
        "employment_type": "salaried",
        "start_date": (date.today() + timedelta(days=person.starts_in_days)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "3200", "currency": "EUR", "frequency": "monthly"},
        "roles": list(person.roles),
    }
    if person.manager:
        body["manager_id"] = people[person.manager]
    employee = _ok(gateway.post("/api/hr/employees", json=body), f"hiring {person.given} {person.family}")
    people[person.given] = employee["id"]
    login = _provisioned(gateway, email, employee["id"], timeout_s)
    activation = _ok(gateway.post(f"/auth/users/{login['id']}/activation-token"), "activation token")
    password = secrets.token_urlsafe(12)
    _ok(gateway.post("/auth/activate", json={"token": activation["token"], "password": password}), "activate")
    return login["login"], password, describe(person)


def _close_onboarding(gateway: httpx.Client, employee_id: str, timeout_s: float) -> None:
    """Resolve the onboarding ticket helpdesk opened for someone already in post (it arrives as an event)."""
    params = {"kind": "onboarding", "about_employee_id": employee_id}
    deadline = time.monotonic() + timeout_s
    while True:
        tickets = _ok(gateway.get("/api/helpdesk/tickets", params=params), "onboarding ticket")["items"]
        if tickets or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    for ticket in tickets:
        if ticket["status"] not in ("resolved", "closed"):
            note = "Set up when they joined, before Backoffice was installed."
            _ok(
                gateway.post(f"/api/helpdesk/tickets/{ticket['id']}/status", json={"status": "resolved", "note": note}),
                "closing an onboarding ticket",
            )


def _wait_ok(call: Any, what: str, timeout_s: float) -> Any:
    """Repeat ``call`` until it succeeds: what it needs arrives as an event, a moment after the answer."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = call()
        if answer.status_code < 300 or time.monotonic() > deadline:
            return _ok(answer, what)
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
