"""Timesheets: fill, submit (event), payroll's verdict fed back (event), correction as a new version."""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from backoffice.shared.bus import Envelope
from backoffice.shared.events.payroll import Finding, HoursRejected, HoursVerified
from backoffice.testing import (
    GatewayClient,
    NatsServer,
    RunningService,
    ServiceStarter,
    events_about,
    publish_event,
)
from hrkit import hire_body, ok, problem

MONDAY = date.today() - timedelta(days=date.today().weekday() + 7)  # last week's Monday


async def publish_payroll(nats_url: str, envelope: Envelope) -> None:
    await publish_event(nats_url, "PAYROLL", envelope)


def wait_status(client: httpx.Client, sheet_id: str, status: str) -> Any:
    deadline = time.monotonic() + 20
    while True:
        sheet = ok(client.get(f"/timesheets/{sheet_id}"))
        if sheet["status"] == status:
            return sheet
        assert time.monotonic() < deadline, f"timesheet still {sheet['status']}, expected {status}"
        time.sleep(0.2)


@pytest.fixture
def hr(gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer) -> RunningService:
    asyncio.run(publish_payroll(nats_server.url, Envelope.new("payroll.warmed_up", source="payroll", data={})))
    return start_service("hr")


def test_a_week_goes_to_payroll_comes_back_rejected_is_corrected_and_verified(
    gateway_client: GatewayClient, hr: RunningService, nats_server: NatsServer
) -> None:
    officer = gateway_client.auth(gateway_client.make_user("officer3", ["hr"]))
    start = (MONDAY + timedelta(days=1)).isoformat()  # hired on the Tuesday of that week
    me = ok(
        httpx.post(f"{hr.url}/employees", headers=officer, json=hire_body("Tim", "tim@example.com", start_date=start)),
        201,
    )
    other = ok(httpx.post(f"{hr.url}/employees", headers=officer, json=hire_body("Oda", "oda@example.com")), 201)
    tim = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(me["id"])))
    oda = httpx.Client(base_url=hr.url, headers=gateway_client.auth(gateway_client.activate_employee(other["id"])))

    assert "Monday" in problem(
        tim.post("/timesheets", json={"week_start": (MONDAY + timedelta(days=2)).isoformat()}), 422
    )
    sheet = ok(tim.post("/timesheets", json={"week_start": MONDAY.isoformat()}), 201)
    assert sheet["status"] == "draft"
    assert sheet["version"] == 1
    assert sheet["employee_id"] == me["id"]
    problem(tim.post("/timesheets", json={"week_start": MONDAY.isoformat()}), 409)
    problem(oda.post("/timesheets", json={"week_start": MONDAY.isoformat(), "employee_id": me["id"]}), 403)

    def day(n: int) -> str:
        return (MONDAY + timedelta(days=n)).isoformat()

    entries = f"/timesheets/{sheet['id']}/entries"
    assert "negative" in problem(tim.put(entries, json={"entries": [{"day": day(1), "hours": "-1"}]}), 422)
    assert "more than 24" in problem(
        tim.put(
            entries,
            json={"entries": [{"day": day(1), "hours": "20"}, {"day": day(1), "hours": "5", "kind": "overtime"}]},
        ),
        422,
    )
    assert "outside the week" in problem(tim.put(entries, json={"entries": [{"day": day(7), "hours": "8"}]}), 422)
    assert "before the employment started" in problem(
        tim.put(entries, json={"entries": [{"day": day(0), "hours": "8"}]}), 422
    )
    problem(oda.put(entries, json={"entries": [{"day": day(1), "hours": "8"}]}), 403)
    problem(tim.post(f"/timesheets/{sheet['id']}/submit"), 422)  # empty

    week = [{"day": day(n), "hours": "8"} for n in range(1, 5)] + [
        {"day": day(4), "hours": "3", "kind": "overtime", "note": "release night"}
    ]
    filled = ok(tim.put(entries, json={"entries": week}))
    assert filled["total_hours"] == "35.00"
    assert len(filled["entries"]) == 5
    submitted = ok(tim.post(f"/timesheets/{sheet['id']}/submit"))
    assert submitted["status"] == "submitted"
    assert "cannot be edited" in problem(tim.put(entries, json={"entries": week[:1]}), 409)
    problem(oda.get(f"/timesheets/{sheet['id']}"), 403)

    events = events_about(nats_server.url, "hr.hours_submitted", "HR", lambda e: e.data["timesheet_id"] == sheet["id"])
    assert len(events) == 1
    assert events[0].data["total_hours"] == "35.00"
    assert len(events[0].data["entries"]) == 5

    rejected = Envelope.new(
        "payroll.hours_rejected",
        source="payroll",
        subject=me["id"],
        data=HoursRejected(
            timesheet_id=sheet["id"],
            employee_id=me["id"],
            reason="Thursday's overtime was not approved",
            findings=[
                Finding(
                    code="overtime-unapproved",
                    message="3 h of overtime without approval",
                    day=MONDAY + timedelta(days=4),
                )
            ],
        ),
    )
    asyncio.run(publish_payroll(nats_server.url, rejected))
    shown = wait_status(tim, sheet["id"], "rejected")
    assert shown["decision_reason"] == "Thursday's overtime was not approved"
    assert shown["findings"][0]["code"] == "overtime-unapproved"

    fixed = ok(tim.post(f"/timesheets/{sheet['id']}/correction"), 201)
    assert fixed["version"] == 2
    assert fixed["supersedes_id"] == sheet["id"]
    assert fixed["status"] == "draft"
    assert len(fixed["entries"]) == 5
    problem(tim.post(f"/timesheets/{sheet['id']}/correction"), 409)  # only the latest version
    ok(tim.put(f"/timesheets/{fixed['id']}/entries", json={"entries": week[:4]}))
    ok(tim.post(f"/timesheets/{fixed['id']}/submit"))
    verified = Envelope.new(
        "payroll.hours_verified",
        source="payroll",
        subject=me["id"],
        data=HoursVerified(timesheet_id=fixed["id"], employee_id=me["id"]),
    )
    asyncio.run(publish_payroll(nats_server.url, verified))
    assert wait_status(tim, fixed["id"], "verified")["total_hours"] == "32.00"
    assert ok(tim.get(f"/timesheets/{sheet['id']}"))["status"] == "rejected", "the old version stays readable"
    mine = ok(tim.get("/timesheets", params={"week_start": MONDAY.isoformat()}))
    assert [s["version"] for s in mine["items"]] == [2, 1]
    assert ok(oda.get("/timesheets"))["total"] == 0
    assert ok(httpx.get(f"{hr.url}/timesheets", headers=officer, params={"status": "verified"}))["total"] == 1
