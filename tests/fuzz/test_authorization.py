"""The authorization matrix (OWASP API1, broken object level authorization, and API5, broken function level
authorization), generated from the merged OpenAPI.

A victim (an employee) owns objects: their employee record, a timesheet, a complaint they filed, a warning HR gave
them, a ticket, a document they filed, their login. One person per role (employee, manager, hr, payroll, it_agent,
office; each an employee who is not the victim's manager) and an admin without an employee record call every
operation of the suite with the victim's ids in the path (random ids where the victim owns nothing of that kind) and
a body that passes validation where one can be made. ``RULES`` says, for each operation, which roles may act on
another person's objects; a 2xx for any other role is a finding. List operations that every role may call
(``OWN``) must not show the victim's objects to those outside the rule.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from backoffice.shared.auth import ROLES
from backoffice.testing import Stack
from fuzzkit import PASSWORD, RUN, Person, sign_in

PEOPLE_ROLES = [r for r in ROLES if r != "service"]  # "service" is for services' own calls, never a person
TODAY = datetime.now(UTC).date()

# Role sets, admins always included by the services.
ANY = frozenset(PEOPLE_ROLES)
HR = frozenset({"hr", "admin"})
PAYROLL = frozenset({"payroll", "admin"})
AGENTS = frozenset({"it_agent", "admin"})
ADMIN = frozenset({"admin"})
NOBODY_ELSE = ADMIN  # the owner (and admins) only
OFFICE = frozenset({"office", "admin"})
PAPERWORK = frozenset({"office", "hr", "payroll", "admin"})
PAY_READERS = frozenset({"hr", "payroll", "pay_auditor", "admin"})  # pay by sex: figures only, never a person's
OWN = "own"  # every role may call it; only the rule's roles may see the victim's objects in the answer

# hr-svc's equal-pay side: the declared sex is read by few and written by HR (or the employee alone); job
# categories are read by those who report on pay and written by HR; everyone reads their own category.
FAIR_PAY_HR: list[tuple[str, str, frozenset[str] | tuple[str, frozenset[str]]]] = [
    ("GET", r"^/api/hr/employees/{employee_id}/sex$", PAY_READERS),
    ("PUT", r"^/api/hr/employees/{employee_id}/sex$", HR),
    ("GET", r"^/api/hr/(job-categories|positions)", PAY_READERS),
    ("*", r"^/api/hr/(job-categories|position-placements)", HR),
    ("GET", r"^/api/hr/me/job-category$", ANY),  # one's own
]

# payroll-svc's fair pay: the pay gap report and register for HR, payroll and pay auditors; justifications and
# assessments recorded by HR; an information request is one's own (HR and pay auditors read everyone's).
FAIR_PAY_RULES: list[tuple[str, str, frozenset[str] | tuple[str, frozenset[str]]]] = [
    ("GET", r"^/api/payroll/pay-information-requests$", (OWN, frozenset({"hr", "pay_auditor", "admin"}))),
    ("POST", r"^/api/payroll/pay-information-requests$", ANY),  # about one's own category
    ("GET", r"^/api/payroll/pay-information-requests/{request_id}$", frozenset({"hr", "pay_auditor", "admin"})),
    ("POST", r"^/api/payroll/pay-gap/(justifications|assessments)", HR),
    ("GET", r"^/api/payroll/pay-(gap|register)", PAY_READERS),
    ("POST", r"^/api/payroll/pay-register/file$", PAY_READERS),
]

# Minimum pay: read by HR and pay auditors too; created, and runs' payslips overridden, by payroll.
MINIMUM_PAY_RULES: list[tuple[str, str, frozenset[str] | tuple[str, frozenset[str]]]] = [
    ("GET", r"^/api/payroll/minimum-pay(/{rule_id})?$", PAY_READERS),
    ("GET", r"^/api/payroll/payruns/{run_id}/overrides$", PAY_READERS),
    ("POST", r"^/api/payroll/(minimum-pay|payruns/{run_id}/overrides)$", PAYROLL),
]

# (method, path regex, who may act on another person's object / see everyone's) — the first match applies.
RULES: list[tuple[str, str, frozenset[str] | tuple[str, frozenset[str]]]] = [
    # operations and the gateway
    ("GET", r"^(/api/\w+)?/health(/live|/ready)?$", ANY),
    ("GET", r"^/metrics$", frozenset()),  # the gateway's scrape token, not a role
    ("GET", r"^/\.well-known/jwks\.json$", ANY),
    ("*", r"^(/api/\w+)?/admin/dead-letters", ADMIN),
    ("GET", r"^/auth/me$", ANY),
    ("PATCH", r"^/auth/users/{user_id}$", ADMIN),  # roles and disabling come from an admin
    ("*", r"^/auth/users", HR),
    ("POST", r"^/auth/keys/rotate$", ADMIN),
    # hr-svc: records are the employee's, their manager's and HR's; payroll reads what pay needs
    ("GET", r"^/api/hr/departments$", ANY),
    ("POST", r"^/api/hr/departments$", HR),
    ("GET", r"^/api/hr/employees$", (OWN, frozenset({"hr", "payroll", "admin"}))),
    ("POST", r"^/api/hr/employees$", HR),
    ("GET", r"^/api/hr/employees/{employee_id}$", frozenset({"hr", "payroll", "admin"})),
    *FAIR_PAY_HR,
    ("*", r"^/api/hr/employees/{employee_id}(/pay-terms|/termination)?$", HR),
    ("GET", r"^/api/hr/employees/{employee_id}/checklist$", frozenset({"hr", "it_agent", "office", "admin"})),
    ("GET", r"^/api/hr/employees/{employee_id}/training$", HR),
    ("GET", r"^/api/hr/timesheets$", (OWN, frozenset({"hr", "payroll", "admin"}))),
    ("POST", r"^/api/hr/timesheets$", HR),  # for the victim (anyone opens their own week)
    ("GET", r"^/api/hr/timesheets/{timesheet_id}$", frozenset({"hr", "payroll", "admin"})),
    ("*", r"^/api/hr/timesheets/{timesheet_id}/", HR),
    ("GET", r"^/api/hr/complaints$", (OWN, HR)),
    ("POST", r"^/api/hr/complaints$", ANY),  # against the victim: anyone may complain
    ("*", r"^/api/hr/complaints/{complaint_id}", HR),  # confidential: the filer and HR only
    ("GET", r"^/api/hr/warnings$", (OWN, HR)),
    ("POST", r"^/api/hr/warnings$", HR),  # or the victim's own manager, which no caller is
    ("GET", r"^/api/hr/warnings/{warning_id}$", HR),
    ("POST", r"^/api/hr/warnings/{warning_id}/acknowledgement$", frozenset()),  # the warned employee alone
    ("GET", r"^/api/hr/cases$", HR),  # every case: HR's list
    ("*", r"^/api/hr/cases/{employee_id}", HR),
    ("GET", r"^/api/hr/openings$", ANY),
    ("GET", r"^/api/hr/hiring/stages$", ANY),  # the company's stage names: configuration, nobody's data
    ("GET", r"^/api/hr/interviews$", (OWN, HR)),  # everyone lists the interviews they sit on
    ("*", r"^/api/hr/(openings|candidates|applications|interviews|offers|hiring)", HR),
    ("*", r"^/api/hr/checklist-", HR),
    ("GET", r"^/api/hr/courses$", ANY),
    ("GET", r"^/api/hr/courses/{course_id}/sessions$", ANY),  # when a course is given, for everyone
    ("*", r"^/api/hr/(courses|enrolments|training)", HR),
    # payroll-svc: every route needs payroll, except one's own payslips and timesheets and the company's results
    ("GET", r"^/api/payroll/(payslips|timesheets)$", (OWN, PAYROLL)),
    ("POST", r"^/api/payroll/payslips/{payslip_id}/sign-off$", HR),  # a clerk's own payslip, checked by HR
    ("GET", r"^/api/payroll/payruns/{run_id}/(changes|checks)$", PAYROLL),  # reviewing a run before approval
    ("GET", r"^/api/payroll/reports/profit-and-loss(\.csv|\.svg)?$", ANY),  # is the company going up or down
    *MINIMUM_PAY_RULES,
    ("GET", r"^/api/payroll/payment-runs$", PAYROLL),  # the list of payment runs: accountants only
    *FAIR_PAY_RULES,
    # unpaid verified hours: payroll, HR and pay auditors read them; a payroll clerk defers a week
    ("GET", r"^/api/payroll/(reports/unpaid-hours(\.csv)?|hours/deferrals)$", PAY_READERS),
    ("POST", r"^/api/payroll/hours/deferrals(/{deferral_id}/cancel)?$", PAYROLL),
    ("*", r"^/api/payroll/", PAYROLL),
    # helpdesk-svc: requesters see their own tickets; agents their teams'; leads and admins organise
    ("POST", r"^/api/helpdesk/tickets$", AGENTS),  # on the victim's behalf (anyone opens their own)
    ("GET", r"^/api/helpdesk/tickets$", (OWN, AGENTS)),
    ("GET", r"^/api/helpdesk/tickets/{ticket_id}/canned-responses/", AGENTS),  # a preview, for the ticket's agents
    ("*", r"^/api/helpdesk/tickets/{ticket_id}", AGENTS),
    ("*", r"^/api/helpdesk/(canned-responses|agents|teams|sla)", AGENTS),
    ("POST", r"^/api/helpdesk/changes$", ANY),  # anyone may propose a change
    ("GET", r"^/api/helpdesk/changes$", (OWN, AGENTS)),
    ("*", r"^/api/helpdesk/changes/", AGENTS),
    ("GET", r"^/api/helpdesk/assets$", (OWN, AGENTS)),
    ("*", r"^/api/helpdesk/assets", AGENTS),
    ("GET", r"^/api/helpdesk/directory", ANY),  # the staff directory is for everyone
    ("PUT", r"^/api/helpdesk/directory/{employee_id}/", frozenset({"office", "it_agent", "admin"})),
    ("GET", r"^/api/helpdesk/(calls|messages)$", (OWN, OFFICE)),
    ("*", r"^/api/helpdesk/(calls|messages|switchboard)", OFFICE),
    # docs-svc: the owner, the document's roles, the linked employee (reading) and admins; anyone else a 404
    ("POST", r"^/api/docs/documents$", ANY),
    ("GET", r"^/api/docs/(documents|search|folders)$", (OWN, ADMIN)),
    ("GET", r"^/api/docs/documents/{document_id}/access$", NOBODY_ELSE),  # who has access: for its readers only
    ("*", r"^/api/docs/documents/{document_id}", NOBODY_ELSE),
    ("POST", r"^/api/docs/folders$", PAPERWORK),
    ("GET", r"^/api/docs/(deliveries|retention-policies)$", PAPERWORK),
    ("GET", r"^/api/docs/people/{employee_id}$", PAPERWORK),
    ("*", r"^/api/docs/templates", OFFICE),
    ("*", r"^/api/docs/(retention|audit)", ADMIN),
]


def rule_for(method: str, path: str) -> frozenset[str] | tuple[str, frozenset[str]] | None:
    for rule_method, pattern, allowed in RULES:
        if rule_method in ("*", method) and re.search(pattern, path):
            return allowed
    return None


# Not called: the sign-in endpoints act on the caller's own session or a token in the body, not on an object id.
NOT_OBJECT_ROUTES = {
    ("POST", "/auth/login"),
    ("POST", "/auth/refresh"),
    ("POST", "/auth/logout"),
    ("POST", "/auth/password"),
    ("POST", "/auth/activate"),
    ("POST", "/auth/password-reset"),
    ("POST", "/auth/session"),
    ("POST", "/auth/session/refresh"),
    ("POST", "/auth/session/logout"),
}


@dataclass
class Victim:
    person: Person
    ids: dict[str, str]  # path parameter name -> the victim's object id


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


def _hire(admin: Person, department_id: str, name: str, roles: list[str]) -> dict[str, Any]:
    body = {
        "given_name": name,
        "family_name": f"Authz{RUN}",
        "email": f"{name}.{RUN}@example.com".lower(),
        "department_id": department_id,
        "manager_id": None,
        "employment_type": "salaried",
        "start_date": (TODAY - timedelta(days=90)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "3000", "currency": "EUR", "frequency": "semimonthly"},
        "roles": roles,
    }
    return dict(ok(admin.request("POST", "/api/hr/employees", json=body), 201))


def _activate(gateway: httpx.Client, admin: Person, employee: dict[str, Any]) -> Person:
    import time

    deadline = time.monotonic() + 30
    while True:
        page = ok(admin.request("GET", "/auth/users", params={"q": employee["email"]}))
        found = [u for u in page["items"] if u["employee_id"] == employee["id"]]
        if found:
            break
        assert time.monotonic() < deadline, f"no login provisioned for {employee['email']}"
        time.sleep(0.2)
    token = ok(admin.request("POST", f"/auth/users/{found[0]['id']}/activation-token"))["token"]
    ok(gateway.post("/auth/activate", json={"token": token, "password": PASSWORD}))
    return sign_in(gateway, found[0]["login"])


@pytest.fixture(scope="session")
def people(stack: Stack, gateway: httpx.Client, admin: Person) -> tuple[dict[str, Person], Victim]:
    department = ok(admin.request("POST", "/api/hr/departments", json={"name": f"Authz {RUN}"}), 201)["id"]
    victim_record = _hire(admin, department, "Victim", ["employee"])
    victim = _activate(gateway, admin, victim_record)
    callers: dict[str, Person] = {}
    for role in PEOPLE_ROLES:
        if role == "admin":
            login = f"authz-admin-{RUN}"
            ok(
                admin.request(
                    "POST",
                    "/auth/users",
                    json={"login": login, "email": f"{login}@example.com", "roles": ["admin"], "password": PASSWORD},
                ),
                201,
            )
            callers[role] = sign_in(gateway, login)
        else:
            callers[role] = _activate(gateway, admin, _hire(admin, department, f"As{role.replace('_', '')}", [role]))

    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    ids = {"employee_id": victim_record["id"], "user_id": victim.user_id}
    ids["timesheet_id"] = ok(
        victim.request("POST", "/api/hr/timesheets", json={"week_start": monday.isoformat()}), 201
    )["id"]
    complaint = {
        "against_kind": "practice",
        "against_description": "the night shifts",
        "summary": "Too many night shifts",
        "details": "Three weeks in a row.",
    }
    ids["complaint_id"] = ok(victim.request("POST", "/api/hr/complaints", json=complaint), 201)["id"]
    warning = {
        "employee_id": victim_record["id"],
        "category": "attendance",
        "severity": "minor",
        "facts": "Late three times this month.",
        "occurred_on": (TODAY - timedelta(days=2)).isoformat(),
    }
    ids["warning_id"] = ok(admin.request("POST", "/api/hr/warnings", json=warning), 202)["warning_id"]
    ticket = {"category": "hardware", "subject": "My laptop does not start"}
    ids["ticket_id"] = ok(victim.request("POST", "/api/helpdesk/tickets", json=ticket), 201)["id"]
    document = victim.request(
        "POST",
        "/api/docs/documents",
        files={"file": ("private.txt", b"my private notes", "text/plain")},
        data={"title": "Private notes", "type": "note"},
    )
    ids["document_id"] = ok(document, 201)["id"]
    return callers, Victim(victim, ids)


# -- requests made from the description --------------------------------------------------------------------------
def _resolve(node: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def example_of(node: dict[str, Any], spec: dict[str, Any], depth: int = 0, ids: dict[str, str] | None = None) -> Any:
    """A value valid for ``node`` as far as a schema tells: required properties, and any property naming one of the
    victim's ids (``employee_id``, ``requester_employee_id``...) set to that id."""
    ids = ids or {}
    node = _resolve(node, spec)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(o, spec).get("type") != "null"] or node[key]
            return example_of(options[0], spec, depth + 1, ids)
    if "allOf" in node:
        return example_of(node["allOf"][0], spec, depth + 1, ids)
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    if node.get("default") is not None:
        return node["default"]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return _object_example(node, spec, depth, ids)
    if kind == "array":
        return [example_of(node.get("items", {}), spec, depth + 1, ids) for _ in range(node.get("minItems", 0))]
    if kind == "string":
        return _string_example(node)
    scalar = _SCALAR_EXAMPLES.get(kind)
    return scalar(node) if scalar is not None else None


def _object_example(node: dict[str, Any], spec: dict[str, Any], depth: int, ids: dict[str, str]) -> dict[str, Any]:
    body = {}
    for name, prop in node.get("properties", {}).items():
        victims = [v for k, v in ids.items() if name == k or name.endswith("_" + k)]
        if victims:
            body[name] = victims[0]
        elif name in node.get("required", []):
            body[name] = example_of(prop, spec, depth + 1, ids)
    return body


def _string_example(node: dict[str, Any]) -> str:
    by_format: dict[str, Callable[[], str]] = {
        "date": lambda: TODAY.isoformat(),
        "date-time": lambda: (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        "email": lambda: f"someone.{RUN}@example.com",
        "binary": lambda: "file",
    }
    made = by_format.get(node.get("format") or "")
    if made is not None:
        return made()
    return "x" * max(1, node.get("minLength", 1)) if not node.get("pattern") else "1"


_SCALAR_EXAMPLES: dict[Any, Callable[[dict[str, Any]], Any]] = {
    "integer": lambda node: int(node.get("minimum", node.get("exclusiveMinimum", 0) + 1)),
    "number": lambda node: node.get("minimum", 1),
    "boolean": lambda node: False,
}


PATH_DEFAULTS = {"kind": "payslip", "doc_type": "note", "period": "2020-01"}


@dataclass
class Call:
    method: str
    path: str  # the template
    url: str
    kwargs: dict[str, Any]


def calls_of(spec: dict[str, Any], ids: dict[str, str]) -> list[Call]:
    calls = []
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if (
                method not in ("get", "post", "put", "patch", "delete")
                or (method.upper(), template) in NOT_OBJECT_ROUTES
            ):
                continue
            url = template
            for name in re.findall(r"{(\w+)}", template):
                url = url.replace(f"{{{name}}}", ids.get(name) or PATH_DEFAULTS.get(name) or str(uuid.uuid4()))
            kwargs: dict[str, Any] = {}
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" in content:
                kwargs["json"] = example_of(content["application/json"]["schema"], spec, ids=ids)
            elif "multipart/form-data" in content:
                kwargs["files"] = {"file": ("f.txt", b"some text", "text/plain")}
                kwargs["data"] = {"title": "t", "type": "note"}
            calls.append(Call(method.upper(), template, url, kwargs))
    return calls


def test_every_operation_has_a_rule(stack: Stack, admin: Person) -> None:
    spec = ok(admin.request("GET", "/openapi.json"))
    missing = [f"{c.method} {c.path}" for c in calls_of(spec, {}) if rule_for(c.method, c.path) is None]
    assert not missing, "operations without an access rule in RULES:\n" + "\n".join(missing)


@pytest.mark.timeout(900)
def test_no_2xx_where_the_rules_say_no(people: tuple[dict[str, Person], Victim], admin: Person) -> None:
    callers, victim = people
    spec = ok(admin.request("GET", "/openapi.json"))
    discover = os.environ.get("BACKOFFICE_AUTHZ_DISCOVER") == "1"
    findings: list[str] = []
    table: list[str] = []
    secrets = [v for k, v in victim.ids.items() if k not in ("employee_id", "user_id")]
    for call in calls_of(spec, victim.ids):
        rule = rule_for(call.method, call.path)
        if rule is None:
            if not discover:
                continue  # test_every_operation_has_a_rule reports it
            rule = frozenset()
        own = isinstance(rule, tuple)
        allowed = rule[1] if isinstance(rule, tuple) else rule
        row = []
        for role, caller in callers.items():
            if role in allowed and not discover:
                continue
            response = caller.request(call.method, call.url, **call.kwargs)
            row.append(f"{role}={response.status_code}")
            if role in allowed:
                continue
            if not own and 200 <= response.status_code < 300:
                findings.append(f"{call.method} {call.path} as {role}: {response.status_code} {response.text[:200]}")
            elif own and 200 <= response.status_code < 300:
                # The victim's objects; their employee id only where the list is of employees (an HR folder or a
                # contract linked to them is HR's to see, so it may name them).
                objects = secrets + ([victim.ids["employee_id"]] if call.path == "/api/hr/employees" else [])
                leaked = [s for s in objects if s in response.text]
                if leaked:
                    findings.append(f"{call.method} {call.path} as {role} shows the victim's {leaked}")
        table.append(f"{call.method} {call.path}: {' '.join(row)}")
    if discover:
        print("\n".join(table))
    assert not findings, f"{len(findings)} answers broke the access rules:\n" + "\n".join(findings)
