"""Helpers of the payroll tests: HR's events as HR publishes them, answers, and the PAYROLL stream."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation, Overflow, localcontext
from typing import Any

import httpx
from backoffice.payroll.rules.example import EXAMPLE_RULES
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.shared.ids import new_id

# re-exported for this service's tests
from backoffice.testing import ok as ok
from backoffice.testing import problem as problem
from backoffice.testing import publish as publish
from backoffice.testing import read_events, wait_for

RULES = EXAMPLE_RULES


def hired(
    employee_id: str,
    start: date,
    *,
    pay_type: str = "hourly",
    rate: str = "25.50",
    department: str = "Operations",
    frequency: str = "monthly",
    given_name: str | None = None,
) -> Envelope:
    data = hr.EmployeeHired(
        employee_id=employee_id,
        given_name=given_name or employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department=department,
        start_date=start,
        pay_terms=hr.PayTerms(pay_type=pay_type, rate=Decimal(rate), currency="EUR", frequency=frequency),  # type: ignore[arg-type]
    )
    return Envelope.new(hr.EMPLOYEE_HIRED, source="hr", subject=employee_id, data=data)


def terminated(employee_id: str, on: date) -> Envelope:
    data = hr.EmployeeTerminated(employee_id=employee_id, effective_date=on, kind="voluntary")
    return Envelope.new(hr.EMPLOYEE_TERMINATED, source="hr", subject=employee_id, data=data)


def submitted(employee_id: str, week_start: date, entries: list[tuple[int, str, str]], **extra: Any) -> Envelope:
    """A week's hours: entries are (day offset from the Monday, hours, kind); values are not checked here."""
    with localcontext() as context:  # absurd hours add up to Infinity (or NaN) here, as HR's total would
        context.traps[Overflow] = context.traps[InvalidOperation] = False
        total = sum((Decimal(h) for _, h, _ in entries), Decimal(0))
    data = {
        "timesheet_id": extra.pop("timesheet_id", new_id()),
        "employee_id": employee_id,
        "week_start": week_start.isoformat(),
        "version": 1,
        "entries": [
            {"day": (week_start + timedelta(days=d)).isoformat(), "hours": h, "kind": k} for d, h, k in entries
        ],
        "total_hours": str(total),
        **extra,
    }
    return Envelope.new(hr.HOURS_SUBMITTED, source="hr", subject=employee_id, data=data)


def sheet(client: httpx.Client, sheet_id: str) -> Any:
    """The timesheet once payroll has received it."""

    def get() -> Any:
        response = client.get(f"/timesheets/{sheet_id}")
        return response.json() if response.status_code == 200 else None

    return wait_for(get, f"timesheet {sheet_id} at payroll")


def profile(client: httpx.Client, employee_id: str) -> Any:
    def get() -> Any:
        response = client.get(f"/profiles/{employee_id}")
        return response.json() if response.status_code == 200 else None

    return wait_for(get, f"profile {employee_id} at payroll")


def payroll_events(nats_url: str, subject: str = "payroll.>") -> list[Envelope]:
    return list(asyncio.run(read_events(nats_url, subject, "PAYROLL")))
