"""Who may call what in hr-svc: every route against every role (employee A never reads B's records)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from backoffice.shared.testing import GatewayClient, ServiceStarter
from hrkit import TODAY, hire_body, ok

MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)


def test_every_route_against_every_role(gateway_client: GatewayClient, start_service: ServiceStarter) -> None:
    hr = start_service("hr")
    g = gateway_client
    hr_token = g.make_user("matrix-hr", ["hr"])
    c = httpx.Client(base_url=hr.url)
    officer = g.auth(hr_token)
    boss = ok(
        c.post("/employees", headers=officer, json=hire_body("Mo", "mo@example.com", roles=["employee", "manager"])),
        201,
    )
    a = ok(c.post("/employees", headers=officer, json=hire_body("Amy", "amy@example.com", manager_id=boss["id"])), 201)
    b = ok(c.post("/employees", headers=officer, json=hire_body("Ben", "ben@example.com")), 201)
    tokens = {
        "anonymous": None,
        "employee_a": g.activate_employee(a["id"]),
        "employee_b": g.activate_employee(b["id"]),
        "manager_of_a": g.activate_employee(boss["id"]),
        "hr": hr_token,
        "payroll": g.make_user("matrix-payroll", ["payroll"]),
        "it_agent": g.make_user("matrix-it", ["it_agent"]),
        "office": g.make_user("matrix-office", ["office"]),
        "admin": g.admin_token,
    }

    def call(role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = g.auth(tokens[role]) if tokens[role] else {}
        return c.request(method, path, headers=headers, json=body)

    # Records that belong to employee A, made by A (or about A).
    sheet = ok(call("employee_a", "POST", "/timesheets", {"week_start": MONDAY.isoformat()}), 201)
    complaint = ok(
        call(
            "employee_a",
            "POST",
            "/complaints",
            {"against_kind": "practice", "against_description": "unpaid overtime", "summary": "s", "details": "d"},
        ),
        201,
    )

    # Hiring: an approved opening of A's manager with one application.
    opening_body = {"position": "Clerk", "salary_min": "1", "salary_max": "2", "hiring_manager_id": boss["id"]}
    opening = ok(call("hr", "POST", "/openings", opening_body), 201)
    ok(call("hr", "POST", f"/openings/{opening['id']}/approve"))
    candidate = ok(
        call(
            "hr",
            "POST",
            "/candidates",
            {"given_name": "C", "family_name": "D", "email": "c.d@mail.example", "source": "web"},
        ),
        201,
    )
    ok(call("hr", "POST", "/applications", {"opening_id": opening["id"], "candidate_id": candidate["id"]}), 201)

    everyone = set(tokens) - {"anonymous"}
    staff_readers = {"hr", "payroll", "admin"}
    matrix: list[tuple[str, str, Any, set[str]]] = [
        ("GET", f"/employees/{a['id']}", None, {"employee_a", "manager_of_a"} | staff_readers),
        ("GET", f"/employees/{b['id']}", None, {"employee_b"} | staff_readers),
        ("PATCH", f"/employees/{a['id']}", {"effective_date": TODAY.isoformat(), "position": "p"}, {"hr", "admin"}),
        ("POST", "/employees", hire_body("Zed", "zed@example.com"), {"hr", "admin"}),
        (
            "POST",
            f"/employees/{b['id']}/pay-terms",
            {
                "effective_from": (TODAY + timedelta(days=3)).isoformat(),
                "pay_type": "hourly",
                "rate": "30",
                "currency": "EUR",
                "frequency": "monthly",
            },
            {"hr", "admin"},
        ),
        ("POST", "/departments", {"name": "Matrix"}, {"hr", "admin"}),
        ("GET", "/departments", None, everyone),
        ("GET", f"/timesheets/{sheet['id']}", None, {"employee_a", "manager_of_a"} | staff_readers),
        ("PUT", f"/timesheets/{sheet['id']}/entries", {"entries": []}, {"employee_a", "hr", "admin"}),
        ("GET", f"/complaints/{complaint['id']}", None, {"employee_a", "hr", "admin"}),
        ("POST", f"/complaints/{complaint['id']}/notes", {"text": "n"}, {"hr", "admin"}),
        ("GET", f"/cases/{a['id']}", None, {"employee_a", "hr", "admin"}),
        (
            "POST",
            "/warnings",
            {
                "employee_id": a["id"],
                "category": "policy",
                "severity": "minor",
                "facts": "f",
                "occurred_on": TODAY.isoformat(),
            },
            {"manager_of_a", "hr", "admin"},
        ),
        ("GET", "/admin/dead-letters", None, {"admin"}),
        ("GET", "/openings", None, everyone),
        ("POST", "/openings", opening_body, {"manager_of_a", "hr", "admin"}),
        ("GET", f"/openings/{opening['id']}", None, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/openings/{opening['id']}/approve", None, {"hr", "admin"}),
        ("GET", f"/openings/{opening['id']}/applications", None, {"manager_of_a", "hr", "admin"}),
        (
            "POST",
            "/candidates",
            {"given_name": "E", "family_name": "F", "email": "e@mail.example", "source": "w"},
            {"hr", "admin"},
        ),
        ("GET", f"/candidates/{candidate['id']}", None, {"manager_of_a", "hr", "admin"}),
        ("GET", "/hiring/report", None, {"hr", "admin"}),
        (
            "PUT",
            "/checklist-templates",
            {"kind": "onboarding", "tasks": [{"title": "t", "owner_role": "hr", "due_offset_days": 1}]},
            {"hr", "admin"},
        ),
        ("GET", "/checklist-templates", None, {"hr", "admin"}),
        (
            "GET",
            f"/employees/{a['id']}/checklist",
            None,
            {"employee_a", "manager_of_a", "hr", "it_agent", "office", "admin"},
        ),
        ("GET", "/checklist-tasks/late", None, {"hr", "admin"}),
        ("POST", "/courses", {"title": "c", "duration_hours": "1", "validity_months": 12}, {"hr", "admin"}),
        ("GET", "/courses", None, everyone),
        ("GET", f"/employees/{a['id']}/training", None, {"employee_a", "manager_of_a", "hr", "admin"}),
        ("GET", "/training/report", None, {"hr", "admin"}),
        ("POST", "/training/renewals", None, {"hr", "admin"}),
    ]
    failures = []
    for method, path, body, allowed in matrix:
        for role in tokens:
            status = call(role, method, path, body).status_code
            if role == "anonymous":
                good = status == 401
            elif role in allowed:
                good = status not in (401, 403) and not (status == 404 and "complaints" in path)
            else:
                good = status in (403, 404)  # 404: a complaint does not exist for those who may not see it
            if not good:
                failures.append(f"{role:13} {method:5} {path} -> {status}")
    assert not failures, "\n".join(failures)
    # Lists only ever show what the caller may see.
    assert {e["id"] for e in ok(call("employee_b", "GET", "/employees"))["items"]} == {b["id"]}
    assert ok(call("employee_b", "GET", "/timesheets"))["total"] == 0
    assert ok(call("employee_b", "GET", "/complaints"))["total"] == 0
    assert ok(call("it_agent", "GET", "/employees"))["total"] == 0
