"""Who may call what in hr-svc: every route against every role (employee A never reads B's records), each cell
a test of its own, then what the lists show and what the allowed calls did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hrkit import TODAY, HrStack, hire_body, ok

MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)
ROLES = (
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
)
everyone = set(ROLES) - {"anonymous"}
staff_readers = {"hr", "payroll", "admin"}
pay_readers = {"hr", "payroll", "pay_auditor", "admin"}  # equal pay: categories, placements, declared sex
SCORES = {"skills": 50, "effort": 50, "responsibility": 50, "working_conditions": 50}
OPENING_BODY = {"position": "Clerk", "salary_min": "1", "salary_max": "100000", "hiring_manager_id": "{boss}"}
OFFER_BODY = {
    "position": "Clerk",
    "employment_type": "salaried",
    "start_date": (TODAY + timedelta(days=30)).isoformat(),
    "pay_terms": {"pay_type": "salaried", "rate": "2000", "currency": "EUR", "frequency": "monthly"},
}

# (method, path, body, the roles allowed): "{x}" in a path or body is the id of record x of the world below.
MATRIX: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/employees/{a}", None, {"employee_a", "manager_of_a"} | staff_readers),
    ("GET", "/employees/{b}", None, {"employee_b"} | staff_readers),
    ("PATCH", "/employees/{a}", {"effective_date": TODAY.isoformat(), "position": "p"}, {"hr", "admin"}),
    ("POST", "/employees", hire_body("Zed", "zed@example.com"), {"hr", "admin"}),
    (
        "POST",
        "/employees/{b}/pay-terms",
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
    ("GET", "/timesheets/{sheet}", None, {"employee_a", "manager_of_a"} | staff_readers),
    ("PUT", "/timesheets/{sheet}/entries", {"entries": []}, {"employee_a", "hr", "admin"}),
    ("GET", "/complaints/{complaint}", None, {"employee_a", "hr", "admin"}),
    ("POST", "/complaints/{complaint}/notes", {"text": "n"}, {"hr", "admin"}),
    ("GET", "/cases/{a}", None, {"employee_a", "hr", "admin"}),
    (
        "POST",
        "/warnings",
        {
            "employee_id": "{a}",
            "category": "policy",
            "severity": "minor",
            "facts": "f",
            "occurred_on": TODAY.isoformat(),
        },
        {"manager_of_a", "hr", "admin"},
    ),
    ("GET", "/admin/dead-letters", None, {"admin"}),
    ("GET", "/openings", None, everyone),
    ("POST", "/openings", OPENING_BODY, {"manager_of_a", "hr", "admin"}),
    ("GET", "/openings/{opening}", None, {"manager_of_a", "hr", "admin"}),
    ("POST", "/openings/{opening}/approve", None, {"hr", "admin"}),
    ("GET", "/openings/{opening}/applications", None, {"manager_of_a", "hr", "admin"}),
    (
        "POST",
        "/candidates",
        {"given_name": "E", "family_name": "F", "email": "e@mail.example", "source": "w"},
        {"hr", "admin"},
    ),
    ("GET", "/candidates/{candidate}", None, {"manager_of_a", "hr", "admin"}),
    ("GET", "/candidates", None, {"hr", "admin"}),
    ("GET", "/hiring/stages", None, everyone),
    ("GET", "/applications/{at_offer}/offers", None, {"manager_of_a", "hr", "admin"}),
    ("POST", "/openings/{holding}/status", {"status": "on_hold"}, {"manager_of_a", "hr", "admin"}),
    ("POST", "/applications", {"opening_id": "{opening}", "candidate_id": "{unapplied}"}, {"hr", "admin"}),
    ("GET", "/applications/{application}", None, {"manager_of_a", "hr", "admin"}),
    ("POST", "/applications/{application}/stage", {"stage": "screening"}, {"manager_of_a", "hr", "admin"}),
    ("POST", "/applications/{to_reject}/reject", {"reason": "r"}, {"manager_of_a", "hr", "admin"}),
    ("POST", "/applications/{to_withdraw}/withdraw", {"reason": "w"}, {"manager_of_a", "hr", "admin"}),
    (
        "POST",
        "/applications/{application}/interviews",
        {"scheduled_at": "{when}", "interviewers": ["{boss}"]},
        {"manager_of_a", "hr", "admin"},
    ),
    ("GET", "/interviews", None, everyone),
    ("GET", "/interviews/{interview}", None, {"employee_a", "manager_of_a", "hr", "admin"}),
    (
        "POST",
        "/interviews/{interview}/feedback",
        {"rating": 4, "recommendation": "hire"},
        {"employee_a"},  # the panel only: not even HR writes an interviewer's feedback
    ),
    ("POST", "/applications/{at_offer}/offers", OFFER_BODY, {"hr", "admin"}),
    ("POST", "/offers/{to_send}/send", None, {"hr", "admin"}),
    ("POST", "/offers/{to_accept}/accept", None, {"hr", "admin"}),
    ("POST", "/offers/{to_decline}/decline", None, {"hr", "admin"}),
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
        "/employees/{a}/checklist",
        None,
        {"employee_a", "manager_of_a", "hr", "it_agent", "office", "admin"},
    ),
    ("GET", "/checklist-tasks/late", None, {"hr", "admin"}),
    ("POST", "/checklist-tasks/{task_employee}/done", None, {"employee_a", "hr", "admin"}),
    ("POST", "/checklist-tasks/{task_manager}/done", None, {"manager_of_a", "hr", "admin"}),
    ("POST", "/checklist-tasks/{task_it_agent}/done", None, {"it_agent", "hr", "admin"}),
    ("POST", "/courses", {"title": "c", "duration_hours": "1", "validity_months": 12}, {"hr", "admin"}),
    ("GET", "/courses", None, everyone),
    ("POST", "/courses/{course}/sessions", {"starts_at": "{when}", "capacity": 5}, {"hr", "admin"}),
    ("GET", "/courses/{course}/sessions", None, everyone),
    ("GET", "/courses/{course}", None, everyone),
    ("GET", "/courses/{course}/enrolments", None, {"hr", "admin"}),
    ("POST", "/courses/{course}/enrolments", {"employee_id": "{b}"}, {"hr", "admin"}),
    ("POST", "/enrolments/{enrolment}/attendance", None, {"hr", "admin"}),
    ("POST", "/enrolments/{enrolment}/completion", {"completed_on": TODAY.isoformat()}, {"hr", "admin"}),
    ("GET", "/employees/{a}/training", None, {"employee_a", "manager_of_a", "hr", "admin"}),
    ("GET", "/training/report", None, {"hr", "admin"}),
    ("POST", "/training/renewals", None, {"hr", "admin"}),
    *[  # fair pay: the declared sex and job categories
        ("GET", "/employees/{a}/sex", None, {"employee_a"} | pay_readers),
        ("GET", "/employees/{b}/sex", None, {"employee_b"} | pay_readers),
        ("PUT", "/employees/{a}/sex", {"sex": "female"}, {"employee_a", "hr", "admin"}),
        ("GET", "/job-categories", None, pay_readers),
        ("POST", "/job-categories", {"code": "M2", "name": "m", "scores": SCORES}, {"hr", "admin"}),
        ("GET", "/job-categories/{category}", None, pay_readers),
        ("PUT", "/job-categories/{category}", {"name": "n", "scores": SCORES}, {"hr", "admin"}),
        ("GET", "/job-categories/{category}/placements", None, pay_readers),
        (
            "POST",
            "/job-categories/{category}/placements",
            {"position": "Matrix", "effective_from": TODAY.isoformat()},
            {"hr", "admin"},
        ),
        ("POST", "/position-placements/{placement}/end", {"effective_to": TODAY.isoformat()}, {"hr", "admin"}),
        ("GET", "/positions", None, pay_readers),
        ("GET", "/me/job-category", None, everyone),
    ],
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with every "{x}" in its strings replaced by the id of record x."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


@dataclass
class World:
    """The records the matrix calls about, and a call as each role."""

    call: Callable[..., httpx.Response]
    ids: dict[str, str]


@pytest.fixture(scope="module")
def world(hr_stack: HrStack) -> World:
    g = hr_stack.gateway
    hr_token = g.make_user("matrix-hr", ["hr"])
    c = httpx.Client(base_url=hr_stack.hr.url)
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
        "pay_auditor": g.make_user("matrix-auditor", ["pay_auditor"]),
        "admin": g.admin_token,
    }

    def call(role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        token = tokens[role]
        headers = g.auth(token) if token else {}
        return c.request(method, path, headers=headers, json=body)

    ids = {"a": a["id"], "b": b["id"], "boss": boss["id"]}
    # Records that belong to employee A, made by A (or about A).
    ids["sheet"] = ok(call("employee_a", "POST", "/timesheets", {"week_start": MONDAY.isoformat()}), 201)["id"]
    ids["complaint"] = ok(
        call(
            "employee_a",
            "POST",
            "/complaints",
            {"against_kind": "practice", "against_description": "unpaid overtime", "summary": "s", "details": "d"},
        ),
        201,
    )["id"]

    # Hiring: an approved opening of A's manager with one application.
    opening_body = fill(OPENING_BODY, ids)
    ids["opening"] = ok(call("hr", "POST", "/openings", opening_body), 201)["id"]
    ok(call("hr", "POST", f"/openings/{ids['opening']}/approve"))

    def person(given: str) -> str:
        body = {"given_name": given, "family_name": "M", "email": f"{given}@m.example", "source": "web"}
        return str(ok(call("hr", "POST", "/candidates", body), 201)["id"])

    def applied(opening_id: str, given: str, stage: str = "applied") -> str:
        app = ok(call("hr", "POST", "/applications", {"opening_id": opening_id, "candidate_id": person(given)}), 201)
        if stage != "applied":
            ok(call("hr", "POST", f"/applications/{app['id']}/stage", {"stage": stage}))
        return str(app["id"])

    ids["candidate"] = person("C")
    ids["application"] = ok(
        call("hr", "POST", "/applications", {"opening_id": ids["opening"], "candidate_id": ids["candidate"]}), 201
    )["id"]
    ids["to_reject"], ids["to_withdraw"] = applied(ids["opening"], "r"), applied(ids["opening"], "w")
    ids["unapplied"] = person("u")
    ids["when"] = f"{(TODAY - timedelta(days=3)).isoformat()}T10:00:00Z"  # held: feedback may be given
    ids["interview"] = ok(
        call(
            "hr",
            "POST",
            f"/applications/{ids['application']}/interviews",
            {"scheduled_at": ids["when"], "interviewers": [a["id"]]},
        ),
        201,
    )["id"]
    # Offers on an opening of their own (headcount 5: the matrix's acceptances do not fill it).
    ids["offering"] = ok(call("hr", "POST", "/openings", {**opening_body, "position": "Offers", "headcount": 5}), 201)[
        "id"
    ]
    ok(call("hr", "POST", f"/openings/{ids['offering']}/approve"))
    at_offer = [applied(ids["offering"], given, "offer") for given in ("o1", "o2", "o3")]
    ids["at_offer"] = at_offer[0]
    ids["to_send"], ids["to_accept"], ids["to_decline"] = (
        ok(call("hr", "POST", f"/applications/{app}/offers", OFFER_BODY), 201)["id"] for app in at_offer
    )
    for offer_id in (ids["to_accept"], ids["to_decline"]):
        ok(call("hr", "POST", f"/offers/{offer_id}/send"))
    ids["holding"] = ok(call("hr", "POST", "/openings", {**opening_body, "position": "Held"}), 201)["id"]
    ok(call("hr", "POST", f"/openings/{ids['holding']}/approve"))

    # Training: a course with a session, and A enrolled in it.
    course = ok(call("hr", "POST", "/courses", {"title": "m", "duration_hours": "1", "validity_months": 12}), 201)
    ids["course"] = course["id"]
    ids["enrolment"] = ok(call("hr", "POST", f"/courses/{course['id']}/enrolments", {"employee_id": a["id"]}), 201)[
        "id"
    ]
    for task in ok(call("hr", "GET", f"/employees/{a['id']}/checklist"))["items"]:
        ids[f"task_{task['owner_role']}"] = task["id"]
    _fair_pay(call, ids)
    return World(call=call, ids=ids)


def _fair_pay(call: Callable[..., httpx.Response], ids: dict[str, str]) -> None:
    """A job category with a position placed in it."""
    ids["category"] = ok(call("hr", "POST", "/job-categories", {"code": "M1", "name": "m", "scores": SCORES}), 201)[
        "id"
    ]
    placement = {"position": "Placed", "effective_from": TODAY.isoformat()}
    ids["placement"] = ok(call("hr", "POST", f"/job-categories/{ids['category']}/placements", placement), 201)["id"]


# The cells run in this order, row by row, as the calls they make change the records (an offer accepted once).
@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in MATRIX for role in ROLES],
    ids=[f"{role}-{row[0]} {row[1]}" for row in MATRIX for role in ROLES],
)
def test_who_may_call_what(world: World, row: tuple[str, str, Any, set[str]], role: str) -> None:
    method, path, body, allowed = row
    response = world.call(role, method, fill(path, world.ids), fill(body, world.ids))
    status = response.status_code
    if role == "anonymous":
        assert status == 401
    elif role in allowed:
        assert status not in (401, 403), response.text
        # a complaint does not exist for those who may not see it, and does for those who may
        assert not (status == 404 and "complaints" in path), response.text
    else:
        assert status in (403, 404), response.text


def test_lists_only_ever_show_what_the_caller_may_see(world: World) -> None:
    call, ids = world.call, world.ids
    assert {e["id"] for e in ok(call("employee_b", "GET", "/employees"))["items"]} == {ids["b"]}
    assert ok(call("employee_b", "GET", "/timesheets"))["total"] == 0
    assert ok(call("employee_b", "GET", "/complaints"))["total"] == 0
    assert ok(call("it_agent", "GET", "/employees"))["total"] == 0
    assert ok(call("employee_b", "GET", "/interviews"))["total"] == 0
    assert ok(call("it_agent", "GET", "/interviews"))["total"] == 0
    assert [i["id"] for i in ok(call("employee_a", "GET", "/interviews"))["items"]] == [ids["interview"]]
    assert ok(call("manager_of_a", "GET", "/interviews"))["total"] == ok(call("hr", "GET", "/interviews"))["total"] > 1


def test_the_allowed_calls_did_their_work_once(world: World) -> None:
    """After the matrix: the acceptance hired one person, the decline hired nobody, the hold held."""
    call, ids = world.call, world.ids
    accepted = ok(call("hr", "POST", f"/offers/{ids['to_accept']}/accept"))
    assert accepted["status"] == "accepted"
    assert accepted["employee_id"]
    assert ok(call("hr", "GET", f"/openings/{ids['offering']}"))["hires"] == 1
    assert ok(call("hr", "GET", f"/openings/{ids['holding']}"))["status"] == "on_hold"
