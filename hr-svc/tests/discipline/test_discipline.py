"""Progressive discipline end to end: warnings, acknowledgement, an ignored deadline, expiry, gross
misconduct, dismissal review and dismissal (real NATS, real consumer in hr-svc)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from backoffice.testing import GatewayClient, NatsServer, RunningService, ServiceStarter
from hrkit import TODAY, hire_body, hr_events, ok, problem

ACK_WINDOW_S = 8.0  # long enough to acknowledge on a busy machine, short enough to wait out


@pytest.fixture
def hr(gateway_client: GatewayClient, start_service: ServiceStarter) -> RunningService:
    return start_service(
        "hr",
        env={
            "BACKOFFICE_HR_WARNING_ACKNOWLEDGEMENT_DAYS": str(ACK_WINDOW_S / 86400),
            "BACKOFFICE_HR_DISCIPLINE_CHECK_INTERVAL_S": "0.5",
        },
    )


def wait_case(client: httpx.Client, employee_id: str, check: Any, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/cases/{employee_id}")
        if response.status_code == 200 and check(response.json()):
            return response.json()
        assert time.monotonic() < deadline, f"case not as expected: {response.text}"
        time.sleep(0.2)


def warn(client: httpx.Client, employee_id: str, severity: str = "minor", **extra: Any) -> str:
    body = {
        "employee_id": employee_id,
        "category": "conduct",
        "severity": severity,
        "facts": "Was rude to a customer on the phone",
        "occurred_on": TODAY.isoformat(),
        **extra,
    }
    return str(ok(client.post("/warnings", json=body), 202)["warning_id"])


def test_the_ladder_from_a_first_warning_to_dismissal(
    gateway_client: GatewayClient, hr: RunningService, nats_server: NatsServer
) -> None:
    officer = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.make_user("officer5", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Max", "max@example.com", roles=["employee", "manager"])), 201)
    emp = ok(officer.post("/employees", json=hire_body("Eli", "eli@example.com", manager_id=boss["id"])), 201)
    peer = ok(officer.post("/employees", json=hire_body("Pia", "pia@example.com")), 201)
    as_boss = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(boss["id"])))
    as_emp = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(emp["id"])))
    as_peer = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(peer["id"])))

    assert "not one of your reports" in problem(
        as_boss.post(
            "/warnings",
            json={
                "employee_id": peer["id"],
                "category": "ethics",
                "severity": "minor",
                "facts": "x",
                "occurred_on": TODAY.isoformat(),
            },
        ),
        403,
    )
    problem(
        as_peer.post(
            "/warnings",
            json={
                "employee_id": emp["id"],
                "category": "ethics",
                "severity": "minor",
                "facts": "x",
                "occurred_on": TODAY.isoformat(),
            },
        ),
        403,
    )

    first = warn(as_boss, emp["id"])
    case = wait_case(officer, emp["id"], lambda c: c["level"] == 1)
    assert case["step"] == "verbal"
    assert case["status"] == "open"
    problem(as_peer.post(f"/warnings/{first}/acknowledgement", json={}), 403)
    acked = ok(as_emp.post(f"/warnings/{first}/acknowledgement", json={"response": "I apologised to the customer"}))
    assert acked["acknowledged_at"]
    assert acked["response"] == "I apologised to the customer"
    problem(as_emp.post(f"/warnings/{first}/acknowledgement", json={}), 409)
    assert [w["id"] for w in ok(as_boss.get("/warnings"))["items"]] == [first]  # the warnings they issued
    assert ok(as_peer.get("/warnings"))["total"] == 0
    problem(as_peer.get(f"/cases/{emp['id']}"), 403)

    second = warn(as_boss, emp["id"], severity="serious")
    wait_case(officer, emp["id"], lambda c: c["level"] >= 2)
    # Not acknowledged in time: the check marks it ignored and the case climbs by itself.
    case = wait_case(officer, emp["id"], lambda c: c["level"] == 3, timeout=ACK_WINDOW_S + 15)
    assert case["step"] == "final_written"
    assert case["history"][-1]["reason"] == "ignored"
    assert "deadline" in problem(as_emp.post(f"/warnings/{second}/acknowledgement", json={}), 409)

    warn(officer, emp["id"])  # HR may warn anyone
    case = wait_case(officer, emp["id"], lambda c: c["status"] == "dismissal_review")
    assert case["step"] == "dismissal_review"
    assert ok(as_emp.get(f"/cases/{emp['id']}"))["status"] == "dismissal_review"  # the employee sees their case
    problem(as_boss.post(f"/cases/{emp['id']}/decision", json={"decision": "dismiss", "note": "x"}), 403)
    decided = ok(
        officer.post(
            f"/cases/{emp['id']}/decision",
            json={"decision": "dismiss", "note": "Repeated misconduct after a final written warning"},
        )
    )
    assert decided["status"] == "dismissed"
    assert [s["reason"] for s in decided["history"]] == ["warning", "warning", "ignored", "warning", "decision"]
    record = ok(officer.get(f"/employees/{emp['id']}"))
    assert record["status"] == "terminated"
    assert record["termination"]["kind"] == "dismissal"
    assert record["termination"]["reason"].startswith("disciplinary: Repeated misconduct")
    problem(officer.post(f"/cases/{emp['id']}/decision", json={"decision": "keep", "note": "x"}), 409)

    events = [e for e in asyncio.run(hr_events(nats_server.url)) if e.subject == emp["id"]]
    types = [e.type for e in events]
    assert types.count("hr.warning_issued") == 3
    assert types.count("hr.warning_acknowledged") == 1
    assert [e.data["step"] for e in events if e.type == "hr.disciplinary_escalated"] == [
        "verbal",
        "written",
        "final_written",
        "dismissal_review",
    ]
    decided = [e for e in events if e.type == "hr.disciplinary_decided"]
    assert len(decided) == 1
    assert decided[0].data["decision"] == "dismiss"
    terminated = [e for e in events if e.type == "hr.employee_terminated"]
    assert len(terminated) == 1
    assert terminated[0].data["kind"] == "dismissal"


def test_gross_misconduct_goes_to_review_and_expired_warnings_do_not_count(
    gateway_client: GatewayClient, hr: RunningService
) -> None:
    officer = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.make_user("officer6", ["hr"])))
    gus = ok(
        officer.post(
            "/employees", json=hire_body("Gus", "gus@example.com", start_date=(TODAY - timedelta(days=800)).isoformat())
        ),
        201,
    )
    ida = ok(
        officer.post(
            "/employees", json=hire_body("Ida", "ida@example.com", start_date=(TODAY - timedelta(days=800)).isoformat())
        ),
        201,
    )
    warn(officer, gus["id"], severity="gross_misconduct", category="ethics")
    case = wait_case(officer, gus["id"], lambda c: c["status"] == "dismissal_review")
    assert case["level"] == 4
    assert case["history"][0]["reason"] == "gross_misconduct"
    kept = ok(officer.post(f"/cases/{gus['id']}/decision", json={"decision": "keep", "note": "Last chance"}))
    assert kept["status"] == "kept"
    assert kept["history"][-1]["note"] == "Last chance"
    assert ok(officer.get(f"/employees/{gus['id']}"))["status"] == "active"

    warn(officer, ida["id"], occurred_on=(TODAY - timedelta(days=400)).isoformat())  # expired at once
    wait_case(officer, ida["id"], lambda c: len(c["history"]) == 1)
    warn(officer, ida["id"])
    case = wait_case(officer, ida["id"], lambda c: len(c["history"]) == 2)
    assert case["level"] == 1, "the expired warning no longer counts"
    assert case["step"] == "verbal", "the expired warning no longer counts"
    assert "future" in problem(
        officer.post(
            "/warnings",
            json={
                "employee_id": ida["id"],
                "category": "policy",
                "severity": "minor",
                "facts": "x",
                "occurred_on": (TODAY + timedelta(days=1)).isoformat(),
            },
        ),
        422,
    )
    assert "before the employee started" in problem(
        officer.post(
            "/warnings",
            json={
                "employee_id": ida["id"],
                "category": "policy",
                "severity": "minor",
                "facts": "x",
                "occurred_on": (TODAY - timedelta(days=801)).isoformat(),
            },
        ),
        422,
    )
    problem(
        officer.post(
            "/warnings",
            json={
                "employee_id": "nobody",
                "category": "policy",
                "severity": "minor",
                "facts": "x",
                "occurred_on": TODAY.isoformat(),
            },
        ),
        404,
    )


def test_hr_lists_cases_with_what_is_awaited_and_overdue(gateway_client: GatewayClient, hr: RunningService) -> None:
    officer = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.make_user("officer7", ["hr"])))
    ann = ok(officer.post("/employees", json=hire_body("Ann", "ann@example.com")), 201)
    bob = ok(officer.post("/employees", json=hire_body("Bob", "bob@example.com")), 201)
    as_ann = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(ann["id"])))
    late = warn(officer, ann["id"])
    warn(officer, bob["id"], severity="gross_misconduct")
    wait_case(officer, ann["id"], lambda c: c["level"] == 1)
    wait_case(officer, bob["id"], lambda c: c["status"] == "dismissal_review")

    cases = ok(officer.get("/cases"))
    assert cases["total"] == 2
    first, second = cases["items"]
    assert (first["employee_name"], first["step"], first["status"]) == (
        "Bob Tester",
        "dismissal_review",
        "dismissal_review",
    )
    assert (second["employee_name"], second["step"], second["awaiting_warnings"]) == ("Ann Tester", "verbal", 1)
    assert second["next_deadline"] is not None
    assert second["overdue_warnings"] == 0
    assert [c["employee_id"] for c in ok(officer.get("/cases", params={"status": "open"}))["items"]] == [ann["id"]]
    assert {w["employee_id"] for w in ok(officer.get("/warnings", params={"state": "awaiting"}))["items"]} == {
        ann["id"],
        bob["id"],
    }
    problem(as_ann.get("/cases"), 403)  # the list is HR's; each employee reads only their own case

    # Past the deadline, unacknowledged: overdue, in the list of cases and among the warnings.
    wait_case(officer, ann["id"], lambda c: c["history"][-1]["reason"] == "ignored", timeout=ACK_WINDOW_S + 15)
    ann_case = next(c for c in ok(officer.get("/cases"))["items"] if c["employee_id"] == ann["id"])
    assert (ann_case["overdue_warnings"], ann_case["awaiting_warnings"], ann_case["next_deadline"]) == (1, 0, None)
    overdue = ok(officer.get("/warnings", params={"state": "overdue", "employee_id": ann["id"]}))
    assert [w["id"] for w in overdue["items"]] == [late]
    assert ok(officer.get("/warnings", params={"state": "acknowledged"}))["total"] == 0
    problem(officer.get("/warnings", params={"state": "lost"}), 422)
