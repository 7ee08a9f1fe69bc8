"""Helpers of the HR tests: request bodies, answers, and the events on the HR stream."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from backoffice.shared.bus import Envelope
from backoffice.testing import GatewayClient, read_events

# re-exported for this service's tests
from backoffice.testing import ok as ok
from backoffice.testing import problem as problem
from backoffice.testing.services import RunningService

TODAY = date.today()


@dataclass(frozen=True)
class HrStack:
    """A gateway and an hr-svc shared by the tests of one module (each test makes records of its own)."""

    gateway: GatewayClient
    hr: RunningService
    nats_url: str


def hire_body(given: str, email: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_name": given,
        "family_name": "Tester",
        "email": email,
        "employment_type": "hourly",
        "start_date": (TODAY - timedelta(days=30)).isoformat(),
        "pay_terms": {"pay_type": "hourly", "rate": "25.50", "currency": "EUR", "frequency": "monthly"},
    }
    body.update(extra)
    return body


async def hr_events(nats_url: str) -> list[Envelope]:
    return await read_events(nats_url, "hr.>", "HR")
