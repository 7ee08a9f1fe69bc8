"""Helpers of the HR tests: request bodies, answers, and the events on the HR stream."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.testing import read_events

TODAY = date.today()


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


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["detail"])


async def hr_events(nats_url: str) -> list[Envelope]:
    return await read_events(nats_url, "hr.>", "HR")
