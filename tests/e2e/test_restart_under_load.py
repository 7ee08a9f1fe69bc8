"""A service container restarted under load (``--stack=docker`` only): while an employee submits timesheets
through the gateway, ``docker compose restart payroll`` stops and starts payroll's container. The events wait in
JetStream; once payroll is back every timesheet is verified exactly once: none lost, none doubled."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from backoffice.testing import Stack
from backoffice.testing.stack import compose
from e2ekit import RUN, TODAY, Company, monday, ok, wait_for

WEEKS = 16  # timesheets submitted while payroll restarts


def test_payroll_restarted_under_load_verifies_every_timesheet_once(stack: Stack, company: Company) -> None:
    if stack.mode != "docker":
        pytest.skip("restarts a container: --stack=docker only")
    bo, clerk = company.bo, company.clerk
    # Payroll has one weekly pay group in EUR: the pay flow's when it ran first, else this one.
    weekly = clerk.post(
        "/api/payroll/pay-groups",
        json={"code": f"weekly-{RUN}", "name": "weekly", "frequency": "weekly", "currency": "EUR"},
    )
    assert weekly.status_code in (201, 409), weekly.text
    first_week = monday(TODAY) - timedelta(weeks=WEEKS + 1)
    rita = bo.hire_and_activate(
        "Rita",
        "Restart",
        department_id=bo.department("Night shift"),
        manager_id=company.manager.employee_id,
        pay_type="hourly",
        rate="20",
        frequency="weekly",
        start_date=first_week - timedelta(days=7),
    )
    wait_for(lambda: clerk.get(f"/api/payroll/profiles/{rita.employee_id}").status_code == 200, "Rita at payroll")

    restarted: dict[str, Any] = {}

    def restart_payroll() -> None:
        started = time.monotonic()
        restarted["result"] = compose("restart", "payroll", timeout=120)
        restarted["seconds"] = time.monotonic() - started

    submitted: list[str] = []
    restart = threading.Thread(target=restart_payroll)
    for n in range(WEEKS):
        if n == 2:
            restart.start()  # from the third timesheet on, payroll is stopping, down, or starting again
        week = first_week + timedelta(weeks=n)
        sheet = ok(rita.post("/api/hr/timesheets", json={"week_start": week.isoformat()}), 201)
        entries = [{"day": (week + timedelta(days=d)).isoformat(), "hours": "8"} for d in range(5)]
        ok(rita.put(f"/api/hr/timesheets/{sheet['id']}/entries", json={"entries": entries}))
        assert ok(rita.post(f"/api/hr/timesheets/{sheet['id']}/submit"))["status"] == "submitted"
        submitted.append(sheet["id"])
        time.sleep(0.5)
    restart.join()
    assert restarted["result"].returncode == 0, restarted["result"].stderr

    def at_payroll() -> list[str] | None:
        response = clerk.get(
            "/api/payroll/timesheets", params={"status": "pending", "employee_id": rita.employee_id, "limit": 100}
        )
        if response.status_code != 200:  # payroll still starting
            return None
        ids = [item["id"] for item in response.json()["items"]]
        return ids if len(ids) >= WEEKS else None

    received = wait_for(at_payroll, f"the {WEEKS} timesheets at payroll", timeout_s=120)
    assert sorted(received) == sorted(submitted)  # every one, each once
    # ... and still once a little later: a redelivery after the restart would have shown by now.
    time.sleep(3)
    assert sorted(at_payroll() or []) == sorted(submitted)
