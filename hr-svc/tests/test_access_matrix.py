"""Who may call what in hr-svc: every route against every role (employee A never reads B's records), and what
the allowed calls did."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from backoffice.testing import GatewayClient, ServiceStarter
from hrkit import TODAY, hire_body, ok

MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)


def test_every_route_against_every_role(gateway_client: GatewayClient, start_service: ServiceStarter) -> None:
    hr = start_service("hr")
    g = gateway_client
    hr_token = g.make_user("matrix-hr", ["hr"])
    c = httpx.Client(base_url=hr.url)
    officer = g.auth(hr_token)
    # Onboarding tasks for each owner, on every checklist made from now on.
    tasks = [
        {"title": "Read the handbook", "owner_role": "employee", "due_offset_days": 7},
        {"title": "Welcome lunch", "owner_role": "manager", "due_offset_days": 1},
        {"title": "Laptop", "owner_role": "it_agent", "due_offset_days": 0},
    ]
    ok(c.put("/checklist-templates", headers=officer, json={"kind": "onboarding", "tasks": tasks}))
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
    application = ok(
        call("hr", "POST", "/applications", {"opening_id": opening["id"], "candidate_id": candidate["id"]}), 201
    )

    def person(given: str) -> str:
        body = {"given_name": given, "family_name": "M", "email": f"{given}@m.example", "source": "web"}
        return str(ok(call("hr", "POST", "/candidates", body), 201)["id"])

    def applied(opening_id: str, given: str, stage: str = "applied") -> str:
        app = ok(call("hr", "POST", "/applications", {"opening_id": opening_id, "candidate_id": person(given)}), 201)
        if stage != "applied":
            ok(call("hr", "POST", f"/applications/{app['id']}/stage", {"stage": stage}))
        return str(app["id"])

    to_reject, to_withdraw, unapplied = applied(opening["id"], "r"), applied(opening["id"], "w"), person("u")
    when = f"{(TODAY - timedelta(days=3)).isoformat()}T10:00:00Z"  # held: feedback may be given
    interview = ok(
        call(
            "hr",
            "POST",
            f"/applications/{application['id']}/interviews",
            {"scheduled_at": when, "interviewers": [a["id"]]},
        ),
        201,
    )
    # Offers on an opening of their own (headcount 5: the matrix's acceptances do not fill it).
    offering = ok(call("hr", "POST", "/openings", {**opening_body, "position": "Offers", "headcount": 5}), 201)
    ok(call("hr", "POST", f"/openings/{offering['id']}/approve"))
    offer_body = {
        "position": "Clerk",
        "employment_type": "salaried",
        "start_date": (TODAY + timedelta(days=30)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "2000", "currency": "EUR", "frequency": "monthly"},
    }
    at_offer = [applied(offering["id"], given, "offer") for given in ("o1", "o2", "o3")]
    to_send, to_accept, to_decline = (
        ok(call("hr", "POST", f"/applications/{app}/offers", offer_body), 201)["id"] for app in at_offer
    )
    for offer_id in (to_accept, to_decline):
        ok(call("hr", "POST", f"/offers/{offer_id}/send"))
    holding = ok(call("hr", "POST", "/openings", {**opening_body, "position": "Held"}), 201)
    ok(call("hr", "POST", f"/openings/{holding['id']}/approve"))

    # Training: a course with a session, and A enrolled in it.
    course = ok(call("hr", "POST", "/courses", {"title": "m", "duration_hours": "1", "validity_months": 12}), 201)
    enrolment = ok(call("hr", "POST", f"/courses/{course['id']}/enrolments", {"employee_id": a["id"]}), 201)
    a_tasks = {t["owner_role"]: t["id"] for t in ok(call("hr", "GET", f"/employees/{a['id']}/checklist"))["items"]}

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
        ("GET", "/candidates", None, {"hr", "admin"}),
        ("GET", "/hiring/stages", None, everyone),
        ("GET", f"/applications/{at_offer[0]}/offers", None, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/openings/{holding['id']}/status", {"status": "on_hold"}, {"manager_of_a", "hr", "admin"}),
        ("POST", "/applications", {"opening_id": opening["id"], "candidate_id": unapplied}, {"hr", "admin"}),
        ("GET", f"/applications/{application['id']}", None, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/applications/{application['id']}/stage", {"stage": "screening"}, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/applications/{to_reject}/reject", {"reason": "r"}, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/applications/{to_withdraw}/withdraw", {"reason": "w"}, {"manager_of_a", "hr", "admin"}),
        (
            "POST",
            f"/applications/{application['id']}/interviews",
            {"scheduled_at": when, "interviewers": [boss["id"]]},
            {"manager_of_a", "hr", "admin"},
        ),
        ("GET", "/interviews", None, everyone),
        ("GET", f"/interviews/{interview['id']}", None, {"employee_a", "manager_of_a", "hr", "admin"}),
        (
            "POST",
            f"/interviews/{interview['id']}/feedback",
            {"rating": 4, "recommendation": "hire"},
            {"employee_a"},  # the panel only: not even HR writes an interviewer's feedback
        ),
        ("POST", f"/applications/{at_offer[0]}/offers", offer_body, {"hr", "admin"}),
        ("POST", f"/offers/{to_send}/send", None, {"hr", "admin"}),
        ("POST", f"/offers/{to_accept}/accept", None, {"hr", "admin"}),
        ("POST", f"/offers/{to_decline}/decline", None, {"hr", "admin"}),
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
        ("POST", f"/checklist-tasks/{a_tasks['employee']}/done", None, {"employee_a", "hr", "admin"}),
        ("POST", f"/checklist-tasks/{a_tasks['manager']}/done", None, {"manager_of_a", "hr", "admin"}),
        ("POST", f"/checklist-tasks/{a_tasks['it_agent']}/done", None, {"it_agent", "hr", "admin"}),
        ("POST", "/courses", {"title": "c", "duration_hours": "1", "validity_months": 12}, {"hr", "admin"}),
        ("GET", "/courses", None, everyone),
        ("POST", f"/courses/{course['id']}/sessions", {"starts_at": when, "capacity": 5}, {"hr", "admin"}),
        ("GET", f"/courses/{course['id']}/sessions", None, everyone),
        ("GET", f"/courses/{course['id']}", None, everyone),
        ("GET", f"/courses/{course['id']}/enrolments", None, {"hr", "admin"}),
        ("POST", f"/courses/{course['id']}/enrolments", {"employee_id": b["id"]}, {"hr", "admin"}),
        ("POST", f"/enrolments/{enrolment['id']}/attendance", None, {"hr", "admin"}),
        ("POST", f"/enrolments/{enrolment['id']}/completion", {"completed_on": TODAY.isoformat()}, {"hr", "admin"}),
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
    assert ok(call("employee_b", "GET", "/interviews"))["total"] == 0
    assert ok(call("it_agent", "GET", "/interviews"))["total"] == 0
    assert [i["id"] for i in ok(call("employee_a", "GET", "/interviews"))["items"]] == [interview["id"]]
    assert ok(call("manager_of_a", "GET", "/interviews"))["total"] == ok(call("hr", "GET", "/interviews"))["total"] > 1
    # What the allowed calls did, once each: the acceptance hired one person, the decline hired nobody.
    accepted = ok(call("hr", "POST", f"/offers/{to_accept}/accept"))
    assert accepted["status"] == "accepted"
    assert accepted["employee_id"]
    assert ok(call("hr", "GET", f"/openings/{offering['id']}"))["hires"] == 1
    assert ok(call("hr", "GET", f"/openings/{holding['id']}"))["status"] == "on_hold"
