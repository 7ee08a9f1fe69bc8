"""Checklists made by a hire and a termination, ticked off by other departments' real events (delivered twice),
mandatory training on hire, certificates that expire, the report at a given date and re-enrolment."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events.docs import DOCUMENT_FILED, DocumentFiled
from backoffice.shared.events.helpdesk import TICKET_RESOLVED, TicketResolved
from backoffice.shared.testing import GatewayClient, NatsServer, ServiceStarter, publish_event
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
            json={"title": "Safety", "mandatory_departments": ["*"], "duration_hours": "2", "validity_months": 12},
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
    tasks = ok(nia.get(f"/employees/{emp['id']}/checklist"))
    assert [(t["title"], t["due_date"]) for t in tasks] == [
        ("Sign the contract", start.isoformat()),
        ("Laptop and accounts", (start - timedelta(days=1)).isoformat()),
        ("Meet the team", (start + timedelta(days=2)).isoformat()),
        ("Read the handbook", (start + timedelta(days=7)).isoformat()),
    ]
    assert all(t["late"] for t in tasks)
    late = ok(officer.get("/checklist-tasks/late"))
    assert {t["title"] for t in late if t["employee_id"] == emp["id"]} == {t["title"] for t in tasks}
    training = ok(nia.get(f"/employees/{emp['id']}/training"))
    assert sorted((e["course_title"], e["reason"]) for e in training) == [
        ("Finance compliance", "hire"),
        ("Safety", "hire"),
    ]  # not Forklift: she is no driver

    # Other departments' events tick their tasks off, once, however often they arrive. The contract letter docs
    # generates on the hire (source_event_id set) is the one to be signed: it does not tick the task; the
    # signed copy HR files (no source_event_id) does.
    generated = Envelope.new(
        DOCUMENT_FILED,
        source="docs",
        subject="doc-0",
        data=DocumentFiled(document_id="doc-0", type="contract", employee_id=emp["id"], source_event_id="hire-1"),
    )
    filed = Envelope.new(
        DOCUMENT_FILED,
        source="docs",
        subject="doc-1",
        data=DocumentFiled(document_id="doc-1", type="contract", employee_id=emp["id"]),
    )
    resolved = Envelope.new(
        TICKET_RESOLVED,
        source="helpdesk",
        subject="t-1",
        data=TicketResolved(
            ticket_id="t-1", kind="onboarding", about_employee_id=emp["id"], resolved_at=datetime.now(UTC)
        ),
    )

    signed_elsewhere = Envelope.new(  # a signed contract ticks the task however it was filed
        DOCUMENT_FILED,
        source="docs",
        subject="doc-2",
        data=DocumentFiled(document_id="doc-2", type="signed_contract", employee_id=boss["id"], source_event_id="e-9"),
    )

    async def deliver() -> None:
        await publish_event(nats_server.url, "DOCS", signed_elsewhere)
        for _ in range(2):
            await publish_event(nats_server.url, "DOCS", generated)
        for _ in range(2):
            await publish_event(nats_server.url, "DOCS", filed)
            await publish_event(nats_server.url, "HELPDESK", resolved)

    asyncio.run(deliver())
    deadline = time.monotonic() + 30
    while True:
        done = {t["title"]: t for t in ok(nia.get(f"/employees/{emp['id']}/checklist")) if t["status"] == "done"}
        if {"Sign the contract", "Laptop and accounts"} <= set(done):
            break
        assert time.monotonic() < deadline, f"events did not tick the tasks off: {sorted(done)}"
        time.sleep(0.3)
    assert done["Laptop and accounts"]["done_by"] == "ticket t-1"
    assert done["Sign the contract"]["done_by"] == "document doc-1"  # not doc-0, filed (twice) before it
    bos_tasks = {t["title"]: t for t in ok(officer.get(f"/employees/{boss['id']}/checklist"))}
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
    completed_on = TODAY - relativedelta(months=12) + timedelta(days=10)
    completion = ok(
        officer.post(
            f"/enrolments/{safety_enrolment['id']}/completion",
            json={"completed_on": completed_on.isoformat(), "score": "91.5", "certificate_document_id": "cert-1"},
        )
    )
    assert completion["expires_on"] == (completed_on + relativedelta(months=12)).isoformat()

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
    offboarding = [t for t in ok(officer.get(f"/employees/{emp['id']}/checklist")) if t["kind"] == "offboarding"]
    assert [(t["title"], t["due_date"]) for t in offboarding] == [
        ("Collect equipment", last_day.isoformat()),
        ("Exit interview", (last_day - timedelta(days=2)).isoformat()),
    ]
    assert {e["status"] for e in ok(officer.get(f"/employees/{emp['id']}/training"))} <= {"completed", "cancelled"}
    assert "left on" in problem(
        officer.post(f"/courses/{safety['id']}/enrolments", json={"employee_id": emp["id"]}), 409
    )
    # Renewals as of a day before she left still leave her out: she has gone by the day they are made.
    before = TODAY - timedelta(days=5)
    assert states(before)["Safety"] == "expiring"  # she was due then
    assert ok(officer.post("/training/renewals", params={"as_of": before.isoformat(), "within_days": 30})) == []
    # Nor is anyone renewed who leaves before the certificate lapses (Bo: expires in 20 days, leaves in 5).
    bos = next(e for e in ok(officer.get(f"/employees/{boss['id']}/training")) if e["course_id"] == safety["id"])
    bo_completed = TODAY - relativedelta(months=12) + timedelta(days=20)
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
