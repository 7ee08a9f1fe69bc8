"""Verifying hours: each rule's finding from real events, the clerk's decision back to HR over real events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from backoffice.testing import GatewayClient, NatsServer, RunningService, ServiceStarter
from payrollkit import hired, ok, payroll_events, problem, profile, publish, sheet, submitted, terminated, wait_for

TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)  # last week's Monday


@pytest.fixture
def payroll(start_service: ServiceStarter, gateway_client: GatewayClient, nats_server: NatsServer) -> RunningService:
    publish(nats_server.url, hired("warmup", MONDAY - timedelta(days=400)))  # the HR stream exists before payroll
    return start_service("payroll")


def codes(timesheet: dict[str, Any]) -> set[str]:
    return {f["code"] for f in timesheet["findings"]}


def test_each_rule_gives_its_finding_and_errors_reject_at_once(
    payroll: RunningService, gateway_client: GatewayClient, nats_server: NatsServer
) -> None:
    clerk = httpx.Client(
        base_url=payroll.url, headers=gateway_client.auth(gateway_client.make_user("clerk0", ["payroll"]))
    )
    publish(
        nats_server.url,
        hired("ann", MONDAY - timedelta(days=60)),
        hired("bob", MONDAY + timedelta(days=2)),
        hired("cat", MONDAY - timedelta(days=60)),
        terminated("cat", MONDAY + timedelta(days=2)),
    )
    assert (
        wait_for(lambda: profile(clerk, "cat")["end_date"], "cat's termination")
        == (MONDAY + timedelta(days=2)).isoformat()
    )
    profile(clerk, "bob")
    no_terms = hired("dee", MONDAY - timedelta(days=60))
    no_terms.data["pay_terms"] = None  # HR has not set them yet
    publish(nats_server.url, no_terms)
    profile(clerk, "dee")
    last_monday = date.max - timedelta(days=date.max.weekday())  # its Sunday is beyond the calendar
    cases = {
        "unknown_employee": submitted("nobody", MONDAY, [(0, "8", "regular")]),
        "hours_out_of_range": submitted(
            "ann", MONDAY - timedelta(days=21), [(0, "20", "regular"), (0, "5", "overtime")]
        ),
        "day_outside_week": submitted("ann", MONDAY - timedelta(days=14), [(7, "8", "regular")]),
        "future_day": submitted("ann", MONDAY + timedelta(days=14), [(0, "8", "regular")]),
        "before_employment": submitted("bob", MONDAY, [(0, "8", "regular"), (2, "8", "regular")]),
        "after_employment": submitted("cat", MONDAY, [(2, "8", "regular"), (3, "8", "regular")]),
        "kind_not_allowed": submitted("ann", MONDAY - timedelta(days=28), [(1, "8", "sick")]),
        "negative_hours": submitted("ann", MONDAY - timedelta(days=35), [(1, "-3", "regular")]),
        "hours_precision": submitted("ann", MONDAY - timedelta(days=42), [(1, "7.555", "regular")]),
        "too_many_entries": submitted("ann", MONDAY - timedelta(days=49), [(1, "0.01", "regular")] * 101),
        "unknown_kind": submitted("ann", MONDAY - timedelta(days=56), [(1, "8", "overtime-on-a-boat" * 5)]),
        "empty": submitted("ann", MONDAY - timedelta(days=63), []),
        "week_start": submitted("ann", MONDAY - timedelta(days=68), [(0, "8", "regular")]),  # a Wednesday
        "no_pay_terms": submitted("dee", MONDAY, [(0, "8", "regular")]),
        # Values the contract's bounds would refuse are recorded and rejected, not dead-lettered:
        "hours_not_a_number": submitted("ann", MONDAY - timedelta(days=70), [(1, "NaN", "regular")]),
        "hours_out_of_range ": submitted("ann", MONDAY - timedelta(days=77), [(1, "1000000", "regular")]),
        "week_start ": submitted("ann", last_monday, [(0, "8", "regular")]),
        "too_many_entries ": submitted("ann", MONDAY - timedelta(days=84), [(1, "0", "regular")] * 10_001),
    }
    publish(nats_server.url, *cases.values())
    for case, envelope in cases.items():
        code = case.strip()  # a trailing space tells a second case of one finding
        found = sheet(clerk, envelope.data["timesheet_id"])
        assert found["status"] == "rejected", (code, found["findings"])
        assert found["automatic"], (code, found["findings"])
        assert code in codes(found), (code, found["findings"])
        assert found["decision_reason"]
        assert found["decision_reason"] == found["reason"]
        assert found["hours"] == []

    # A clean week: 5 x 10 h and 6 h on Saturday -> 2 h a day over 8 h, then 6 h over 40 h in the week.
    clean = submitted("ann", MONDAY, [(d, "10", "regular") for d in range(5)] + [(5, "6", "regular")])
    publish(nats_server.url, clean)
    found = sheet(clerk, clean.data["timesheet_id"])
    assert found["status"] == "pending"
    assert codes(found) == {"daily_overtime", "weekly_overtime"}
    assert {f["severity"] for f in found["findings"]} == {"info"}
    by_kind: dict[str, float] = {}
    for h in found["hours"]:
        by_kind[h["kind"]] = by_kind.get(h["kind"], 0) + float(h["hours"])
    assert by_kind == {"regular": 40.0, "overtime": 16.0}

    twice = submitted("ann", MONDAY, [(2, "8", "regular")])  # Wednesday is in the clean week already
    publish(nats_server.url, twice)
    found = sheet(clerk, twice.data["timesheet_id"])
    assert found["status"] == "rejected"
    assert "duplicate_day" in codes(found)
    assert clean.data["timesheet_id"] in found["reason"]

    expected = {e.data["timesheet_id"] for e in [*cases.values(), twice]}

    def rejections() -> dict[str, Any]:
        found = {e.data["timesheet_id"]: e for e in payroll_events(nats_server.url, "payroll.hours_rejected")}
        return found if expected <= set(found) else {}

    rejected = wait_for(rejections, "every rejection published")
    for envelope in [*cases.values(), twice]:
        event = rejected[envelope.data["timesheet_id"]]
        assert event.causation_id == envelope.id
        assert event.data["findings"]
    assert clean.data["timesheet_id"] not in rejected
    # ann's only: the session's streams also carry other tests' timesheets, which this payroll verifies too
    pending = ok(clerk.get("/timesheets", params={"status": "pending", "employee_id": "ann"}))
    assert [s["id"] for s in pending["items"]] == [clean.data["timesheet_id"]]

    # The clerk's queue filtered by finding (its code) and by the employee's department (ann is in Operations).
    overtime = ok(clerk.get("/timesheets", params={"employee_id": "ann", "finding": "daily_overtime"}))
    assert clean.data["timesheet_id"] in [s["id"] for s in overtime["items"]]
    assert all("daily_overtime" in codes(s) for s in overtime["items"])
    twice_found = ok(clerk.get("/timesheets", params={"employee_id": "ann", "finding": "duplicate_day"}))
    assert [s["id"] for s in twice_found["items"]] == [twice.data["timesheet_id"]]
    in_ops = ok(
        clerk.get("/timesheets", params={"employee_id": "ann", "status": "pending", "department": "operations"})
    )
    assert [s["id"] for s in in_ops["items"]] == [clean.data["timesheet_id"]]
    assert ok(clerk.get("/timesheets", params={"employee_id": "ann", "department": "Sales"}))["total"] == 0
    problem(clerk.get("/timesheets", params={"finding": "daily%"}), 422)


def test_a_malformed_submission_is_dead_lettered_and_the_next_one_is_verified(
    payroll: RunningService, gateway_client: GatewayClient, nats_server: NatsServer
) -> None:
    admin = gateway_client.auth(gateway_client.admin_token)
    clerk = httpx.Client(base_url=payroll.url, headers=admin)
    publish(nats_server.url, hired("dan", MONDAY - timedelta(days=60)))
    bad = submitted("dan", MONDAY, [(0, "8", "regular")])
    bad.data["week_start"] = "not a date"
    good = submitted("dan", MONDAY, [(0, "8", "regular")])
    publish(nats_server.url, bad, good)
    assert sheet(clerk, good.data["timesheet_id"])["status"] == "pending"
    letters = wait_for(
        lambda: [d for d in ok(clerk.get("/admin/dead-letters"))["items"] if d["event_id"] == bad.id], "the dead letter"
    )
    assert "week_start" in letters[0]["reason"]


def test_the_clerks_decision_goes_back_to_hr(
    payroll: RunningService, gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = g.auth(g.make_user("officer1", ["hr"]))
    clerk_token = g.make_user("clerk1", ["payroll"])
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(clerk_token))
    body = {
        "given_name": "Eve",
        "family_name": "Tester",
        "email": "eve@example.com",
        "employment_type": "hourly",
        "start_date": (MONDAY - timedelta(days=60)).isoformat(),
        "pay_terms": {"pay_type": "hourly", "rate": "20", "currency": "EUR", "frequency": "monthly"},
    }
    eve = ok(httpx.post(f"{hr.url}/employees", headers=officer, json=body), 201)
    me = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(eve["id"])))
    profile(clerk, eve["id"])

    def submit(week: date, hours: str) -> str:
        created = ok(me.post("/timesheets", json={"week_start": week.isoformat()}), 201)
        entries = [{"day": (week + timedelta(days=d)).isoformat(), "hours": hours} for d in range(5)]
        ok(me.put(f"/timesheets/{created['id']}/entries", json={"entries": entries}))
        ok(me.post(f"/timesheets/{created['id']}/submit"))
        return str(created["id"])

    weeks = [MONDAY - timedelta(days=7 * n) for n in range(4)]
    ids = [submit(week, "8") for week in weeks]
    for sheet_id in ids:
        assert sheet(clerk, sheet_id)["status"] == "pending"

    def hr_status(sheet_id: str, status: str) -> Any:
        return wait_for(
            lambda: (s := ok(me.get(f"/timesheets/{sheet_id}")))["status"] == status and s, f"HR to see {status}"
        )

    ok(clerk.post(f"/timesheets/{ids[0]}/approve"))
    hr_status(ids[0], "verified")
    assert "reason" in problem(clerk.post(f"/timesheets/{ids[1]}/reject", json={}), 422)
    ok(clerk.post(f"/timesheets/{ids[1]}/reject", json={"reason": "Monday was a public holiday"}))
    assert hr_status(ids[1], "rejected")["decision_reason"] == "Monday was a public holiday"

    # A batch is all or none: one already decided refuses the whole batch.
    assert ids[0] in problem(
        clerk.post("/timesheets/decisions", json={"decision": "approve", "timesheet_ids": [*ids[2:], ids[0]]}), 409
    )
    assert sheet(clerk, ids[2])["status"] == "pending"
    done = ok(clerk.post("/timesheets/decisions", json={"decision": "approve", "timesheet_ids": ids[2:]}))
    assert done["decided"] == 2
    assert {s["status"] for s in done["items"]} == {"approved"}
    for sheet_id in ids[2:]:
        hr_status(sheet_id, "verified")

    # The employee reads their own week at payroll but may not decide; others may not read it.
    assert ok(httpx.get(f"{payroll.url}/timesheets/{ids[0]}", headers=me.headers))["status"] == "approved"
    problem(httpx.post(f"{payroll.url}/timesheets/{ids[0]}/approve", headers=me.headers), 403)
    stranger = g.auth(g.make_user("agent1", ["it_agent"]))
    problem(httpx.get(f"{payroll.url}/timesheets/{ids[0]}", headers=stranger), 403)
    problem(httpx.get(f"{payroll.url}/timesheets", headers=stranger), 403)
