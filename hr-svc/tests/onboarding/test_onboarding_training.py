"""Checklists made by a hire and a termination, ticked off by other departments' real events (delivered twice),
mandatory training on hire, certificates that expire, the report at a given date and re-enrolment."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events.docs import DocumentFiled
from backoffice.shared.events.helpdesk import TicketResolved
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish_event
from dateutil.relativedelta import relativedelta
from hrkit import TODAY, hire_body, ok, problem


def test_checklists_and_training_from_hire_to_termination(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("onb-hr", ["hr"])))
    ok(
        officer.put(
            "/checklist-templates",
            json={
                "kind": "onboarding",
                "tasks": [
                    {
                        "title": "Sign the contract",
                        "owner_role": "hr",
                        "due_offset_days": 0,
                        "done_on_event": "docs.document_filed",
                    },
                    {
                        "title": "Laptop and accounts",
                        "owner_role": "it_agent",
                        "due_offset_days": -1,
                        "done_on_event": "helpdesk.ticket_resolved",
                    },
                    {"title": "Meet the team", "owner_role": "manager", "due_offset_days": 2},
                    {"title": "Read the handbook", "owner_role": "employee", "due_offset_days": 7},
                ],
            },
        )
    )
    ok(
        officer.put(
            "/checklist-templates",
            json={
                "kind": "offboarding",
                "tasks": [
                    {
                        "title": "Collect equipment",
                        "owner_role": "it_agent",
                        "due_offset_days": 0,
                        "done_on_event": "helpdesk.ticket_resolved",
                    },
                    {"title": "Exit interview", "owner_role": "hr", "due_offset_days": -2},
                ],
            },
        )
    )
    assert "validity_months" in problem(
        officer.post("/courses", json={"title": "x", "duration_hours": "1", "validity_months": 0}), 422
    )
    safety = ok(
        officer.post(
            "/courses",
            json={"title": "Safety", "mandatory_departments": ["*"], "duration_hours": "2", "validity_months": 1},
        ),
        201,
    )
    ok(
        officer.post(
            "/courses",
            json={
                "title": "Finance compliance",
                "mandatory_positions": ["Accountant"],
                "duration_hours": "4",
                "validity_months": 24,
            },
        ),
        201,
    )
    ok(
        officer.post(
            "/courses",
            json={"title": "Forklift", "mandatory_positions": ["Driver"], "duration_hours": "8", "validity_months": 36},
        ),
        201,
    )

    start = TODAY - timedelta(days=30)
    boss = ok(officer.post("/employees", json=hire_body("Bo", "bo@example.com", roles=["employee", "manager"])), 201)
    emp = ok(
        officer.post(
            "/employees",
            json=hire_body(
                "Nia", "nia@example.com", start_date=start.isoformat(), position="Accountant", manager_id=boss["id"]
            ),
        ),
        201,
    )
    nia = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(emp["id"])))
    tasks = ok(nia.get(f"/employees/{emp['id']}/checklist"))["items"]
    assert [(t["title"], t["due_date"]) for t in tasks] == [
        ("Sign the contract", start.isoformat()),
        ("Laptop and accounts", (start - timedelta(days=1)).isoformat()),
        ("Meet the team", (start + timedelta(days=2)).isoformat()),
        ("Read the handbook", (start + timedelta(days=7)).isoformat()),
    ]
    assert all(t["late"] for t in tasks)
    late = ok(officer.get("/checklist-tasks/late"))["items"]
    assert {t["title"] for t in late if t["employee_id"] == emp["id"]} == {t["title"] for t in tasks}
    training = ok(nia.get(f"/employees/{emp['id']}/training"))["items"]
    assert sorted((e["course_title"], e["reason"]) for e in training) == [
        ("Finance compliance", "hire"),
        ("Safety", "hire"),
    ]  # not Forklift: she is no driver

    # Other departments' events tick their tasks off, once, however often they arrive. The contract letter docs
    # generates on the hire (source_event_id set) is the one to be signed: it does not tick the task; the
    # signed copy HR files (no source_event_id) does.
    generated = Envelope.new(
        DocumentFiled.TYPE,
        source="docs",
        subject="doc-0",
        data=DocumentFiled(
            document_id="doc-0", type="contract", employee_id=emp["id"], source_event_id="hire-1", filed_by_roles=[]
        ),
    )
    filed = Envelope.new(
        DocumentFiled.TYPE,
        source="docs",
        subject="doc-1",
        data=DocumentFiled(document_id="doc-1", type="contract", employee_id=emp["id"], filed_by_roles=["hr"]),
    )
    # The same kind of filing by someone who is not HR (docs refuses them the type, and older events say nothing
    # of the filer): neither is a signature.
    by_an_employee = Envelope.new(
        DocumentFiled.TYPE,
        source="docs",
        subject="doc-e",
        data=DocumentFiled(
            document_id="doc-e", type="signed_contract", employee_id=emp["id"], filed_by_roles=["employee"]
        ),
    )
    unknown_filer = Envelope.new(
        DocumentFiled.TYPE,
        source="docs",
        subject="doc-u",
        data=DocumentFiled(document_id="doc-u", type="signed_contract", employee_id=emp["id"]),
    )
    resolved = Envelope.new(
        TicketResolved.TYPE,
        source="helpdesk",
        subject="t-1",
        data=TicketResolved(
            ticket_id="t-1", kind="onboarding", about_employee_id=emp["id"], resolved_at=datetime.now(UTC)
        ),
    )

    signed_elsewhere = Envelope.new(  # a signed contract ticks the task however it was filed
        DocumentFiled.TYPE,
        source="docs",
        subject="doc-2",
        data=DocumentFiled(
            document_id="doc-2",
            type="signed_contract",
            employee_id=boss["id"],
            source_event_id="e-9",
            filed_by_roles=["employee", "hr"],
        ),
    )

    async def deliver() -> None:
        await publish_event(nats_server.url, "DOCS", signed_elsewhere)
        await publish_event(nats_server.url, "DOCS", by_an_employee)
        await publish_event(nats_server.url, "DOCS", unknown_filer)
        for _ in range(2):
            await publish_event(nats_server.url, "DOCS", generated)
        for _ in range(2):
            await publish_event(nats_server.url, "DOCS", filed)
            await publish_event(nats_server.url, "HELPDESK", resolved)

    asyncio.run(deliver())
    deadline = time.monotonic() + 30
    while True:
        done = {
            t["title"]: t for t in ok(nia.get(f"/employees/{emp['id']}/checklist"))["items"] if t["status"] == "done"
        }
        if {"Sign the contract", "Laptop and accounts"} <= set(done):
            break
        assert time.monotonic() < deadline, f"events did not tick the tasks off: {sorted(done)}"
        time.sleep(0.3)
    assert done["Laptop and accounts"]["done_by"] == "ticket t-1"
    assert done["Sign the contract"]["done_by"] == "document doc-1"  # not doc-0, doc-e or doc-u, filed before it
    bos_tasks = {t["title"]: t for t in ok(officer.get(f"/employees/{boss['id']}/checklist"))["items"]}
    assert bos_tasks["Sign the contract"]["done_by"] == "document doc-2"  # published before Nia's
    by_title = {t["title"]: t for t in tasks}
    problem(nia.post(f"/checklist-tasks/{by_title['Meet the team']['id']}/done"), 403)  # her manager's task
    ok(nia.post(f"/checklist-tasks/{by_title['Read the handbook']['id']}/done"))
    problem(nia.post(f"/checklist-tasks/{by_title['Read the handbook']['id']}/done"), 409)
    bo = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(boss["id"])))
    ok(bo.post(f"/checklist-tasks/{by_title['Meet the team']['id']}/done"))
    problem(bo.post(f"/checklist-tasks/{by_title['Read the handbook']['id']}/done"), 403)  # hers, not his

    # A certificate expiring in ten days: 'expiring' now, 'overdue' once past; re-enrolment before expiry.
    safety_enrolment = next(e for e in training if e["course_id"] == safety["id"])
    completed_on = TODAY - relativedelta(months=1) + timedelta(days=10)
    # A completion must be a day that can be true: not before she started, not in the future.
    for impossible, why in (
        (start - timedelta(days=1), "before the employee started"),
        (TODAY + timedelta(days=1), "future"),
    ):
        refused = officer.post(
            f"/enrolments/{safety_enrolment['id']}/completion", json={"completed_on": impossible.isoformat()}
        )
        assert why in problem(refused, 422)
    completion = ok(
        officer.post(
            f"/enrolments/{safety_enrolment['id']}/completion",
            json={"completed_on": completed_on.isoformat(), "score": "91.5", "certificate_document_id": "cert-1"},
        )
    )
    assert completion["expires_on"] == (completed_on + relativedelta(months=1)).isoformat()

    def states_of(employee_id: str, as_of: Any) -> dict[str, str]:
        report = ok(officer.get("/training/report", params={"as_of": as_of.isoformat(), "within_days": 30}))
        return {r["course_title"]: r["state"] for r in report["rows"] if r["employee_id"] == employee_id}

    def states(as_of: Any) -> dict[str, str]:
        return states_of(emp["id"], as_of)

    assert states(TODAY) == {"Safety": "expiring", "Finance compliance": "overdue"}
    assert states(TODAY + timedelta(days=11)) == {"Safety": "overdue", "Finance compliance": "overdue"}
    renewed = ok(officer.post("/training/renewals", params={"within_days": 30}))
    assert [(e["employee_id"], e["course_title"], e["reason"]) for e in renewed] == [(emp["id"], "Safety", "renewal")]
    assert ok(officer.post("/training/renewals", params={"within_days": 30})) == []  # enrolled already
    problem(nia.get("/training/report"), 403)

    # The termination makes the offboarding checklist; a former employee is not enrolled any more.
    last_day = TODAY - timedelta(days=1)
    ok(
        officer.post(
            f"/employees/{emp['id']}/termination",
            json={"effective_date": last_day.isoformat(), "kind": "voluntary", "reason": "moving abroad"},
        ),
        201,
    )
    offboarding = [
        t for t in ok(officer.get(f"/employees/{emp['id']}/checklist"))["items"] if t["kind"] == "offboarding"
    ]
    assert [(t["title"], t["due_date"]) for t in offboarding] == [
        ("Collect equipment", last_day.isoformat()),
        ("Exit interview", (last_day - timedelta(days=2)).isoformat()),
    ]
    assert {e["status"] for e in ok(officer.get(f"/employees/{emp['id']}/training"))["items"]} <= {
        "completed",
        "cancelled",
    }
    assert "left on" in problem(
        officer.post(f"/courses/{safety['id']}/enrolments", json={"employee_id": emp["id"]}), 409
    )
    # Renewals as of a day before she left still leave her out: she has gone by the day they are made.
    before = TODAY - timedelta(days=5)
    assert states(before)["Safety"] == "expiring"  # she was due then
    assert ok(officer.post("/training/renewals", params={"as_of": before.isoformat(), "within_days": 30})) == []
    # Nor is anyone renewed who leaves before the certificate lapses (Bo: expires in 20 days, leaves in 5).
    bos = next(
        e for e in ok(officer.get(f"/employees/{boss['id']}/training"))["items"] if e["course_id"] == safety["id"]
    )
    bo_completed = TODAY - relativedelta(months=1) + timedelta(days=20)
    ok(officer.post(f"/enrolments/{bos['id']}/completion", json={"completed_on": bo_completed.isoformat()}))
    assert states_of(boss["id"], TODAY) == {"Safety": "expiring"}
    ok(
        officer.post(
            f"/employees/{boss['id']}/termination",
            json={"effective_date": (TODAY + timedelta(days=5)).isoformat(), "kind": "voluntary", "reason": "r"},
        ),
        201,
    )
    assert ok(officer.post("/training/renewals", params={"within_days": 30})) == []


def test_sessions_attendance_and_a_department_course_in_the_report(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("training-hr", ["hr"])))
    warehouse = ok(officer.post("/departments", json={"name": "Warehouse"}), 201)["id"]
    office = ok(officer.post("/departments", json={"name": "Front office"}), 201)["id"]

    def course(title: str, departments: list[str]) -> dict[str, Any]:
        body = {"title": title, "mandatory_departments": departments, "duration_hours": "3", "validity_months": 12}
        return dict(ok(officer.post("/courses", json=body), 201))

    forklift, excel = course("Forklift", [warehouse]), course("Spreadsheets", [])
    course("Fire drill", ["*"])
    wes = ok(officer.post("/employees", json=hire_body("Wes", "wes@example.com", department_id=warehouse)), 201)
    ola = ok(officer.post("/employees", json=hire_body("Ola", "ola@example.com", department_id=office)), 201)

    def courses_of(employee: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {e["course_title"]: e for e in ok(officer.get(f"/employees/{employee['id']}/training"))["items"]}

    # The department's mandatory course is Wes's, not Ola's; the company's is both's.
    assert {t: e["reason"] for t, e in courses_of(wes).items()} == {"Forklift": "hire", "Fire drill": "hire"}
    assert {t: e["reason"] for t, e in courses_of(ola).items()} == {"Fire drill": "hire"}

    # A session of one place: the second enrolment in it is refused; the list shows the places taken.
    assert ok(officer.get(f"/courses/{excel['id']}/sessions"))["items"] == []
    starts = f"{(TODAY - timedelta(days=14)).isoformat()}T09:00:00Z"
    later = f"{(TODAY - timedelta(days=7)).isoformat()}T09:00:00Z"
    small = ok(officer.post(f"/courses/{excel['id']}/sessions", json={"starts_at": later, "capacity": 1}), 201)
    big = ok(officer.post(f"/courses/{excel['id']}/sessions", json={"starts_at": starts, "location": "Room 2"}), 201)
    assert (small["capacity"], small["enrolled"], big["capacity"]) == (1, 0, 20)
    problem(officer.post(f"/courses/{excel['id']}/sessions", json={"starts_at": starts, "capacity": 0}), 422)
    problem(officer.get("/courses/nothing/sessions"), 404)
    enrolled = ok(
        officer.post(f"/courses/{excel['id']}/enrolments", json={"employee_id": ola["id"], "session_id": small["id"]}),
        201,
    )
    assert (enrolled["session_id"], enrolled["status"], enrolled["reason"]) == (small["id"], "enrolled", "request")
    full = officer.post(
        f"/courses/{excel['id']}/enrolments", json={"employee_id": wes["id"], "session_id": small["id"]}
    )
    assert "full (1 places)" in problem(full, 409)
    wrong = {"employee_id": wes["id"], "session_id": small["id"]}
    problem(officer.post(f"/courses/{forklift['id']}/enrolments", json=wrong), 404)  # another course's session
    sessions = ok(officer.get(f"/courses/{excel['id']}/sessions"))["items"]
    assert [(s["id"], s["enrolled"]) for s in sessions] == [(big["id"], 0), (small["id"], 1)]  # by start time

    # Attendance, then completion; neither twice, and an attended place stays taken.
    attended = ok(officer.post(f"/enrolments/{enrolled['id']}/attendance"))
    assert attended["status"] == "attended"
    assert "attended" in problem(officer.post(f"/enrolments/{enrolled['id']}/attendance"), 409)
    assert "full" in problem(officer.post(f"/courses/{excel['id']}/enrolments", json=wrong), 409)  # still taken
    before_session = {"completed_on": (TODAY - timedelta(days=8)).isoformat()}
    assert "before the session" in problem(
        officer.post(f"/enrolments/{enrolled['id']}/completion", json=before_session), 422
    )
    done = ok(
        officer.post(
            f"/enrolments/{enrolled['id']}/completion", json={"completed_on": TODAY.isoformat(), "score": "80"}
        )
    )
    assert (done["status"], done["expires_on"]) == ("completed", (TODAY + relativedelta(months=12)).isoformat())
    problem(officer.post(f"/enrolments/{enrolled['id']}/attendance"), 409)
    problem(officer.post(f"/enrolments/{enrolled['id']}/completion", json={"completed_on": TODAY.isoformat()}), 409)
    assert ok(officer.get(f"/courses/{excel['id']}/sessions"))["items"][1]["enrolled"] == 1  # she took the place

    # One course, and who is enrolled in it: newest first, by session and by status.
    assert ok(officer.get(f"/courses/{excel['id']}")) == excel
    problem(officer.get("/courses/nothing"), 404)
    in_big = ok(
        officer.post(f"/courses/{excel['id']}/enrolments", json={"employee_id": wes["id"], "session_id": big["id"]}),
        201,
    )
    enrolled_in = f"/courses/{excel['id']}/enrolments"
    listed = ok(officer.get(enrolled_in))
    assert ([e["id"] for e in listed["items"]], listed["total"]) == ([in_big["id"], enrolled["id"]], 2)
    assert ok(officer.get(enrolled_in, params={"session_id": small["id"]}))["items"] == [done]
    assert [e["id"] for e in ok(officer.get(enrolled_in, params={"status": "enrolled"}))["items"]] == [in_big["id"]]
    assert ok(officer.get(enrolled_in, params={"status": "cancelled"}))["total"] == 0
    problem(officer.get(enrolled_in, params={"status": "lost"}), 422)
    problem(officer.get("/courses/nothing/enrolments"), 404)
    assert "full" in problem(officer.post(f"/courses/{excel['id']}/enrolments", json=wrong), 409)

    # The report's department filter: only that department's people, with their department's course.
    def report(**params: Any) -> set[tuple[str, str, str]]:
        rows = ok(officer.get("/training/report", params=params))["rows"]
        return {(r["employee_id"], r["course_title"], r["state"]) for r in rows if r["employee_id"] in ids}

    ids = {wes["id"], ola["id"]}
    assert report(department_id=warehouse) == {(wes["id"], "Forklift", "overdue"), (wes["id"], "Fire drill", "overdue")}
    assert report(department_id=office) == {(ola["id"], "Fire drill", "overdue")}
    assert report() == report(department_id=warehouse) | report(department_id=office)
    rows = ok(officer.get("/training/report", params={"department_id": warehouse}))["rows"]
    assert rows
    assert {r["department_id"] for r in rows} == {warehouse}
