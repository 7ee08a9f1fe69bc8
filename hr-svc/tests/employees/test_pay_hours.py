"""Pay terms may state the contracted weekly hours (a part-timer's) and the collective agreement group: HR keeps
them with the terms and sends them in the pay terms of its events, which payroll uses to check the minimum pay."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
from backoffice.testing import events_about
from hrkit import TODAY, HrStack, hire_body, ok


def test_weekly_hours_and_agreement_group_are_kept_and_sent_to_payroll(hr_stack: HrStack) -> None:
    officer = hr_stack.gateway.auth(hr_stack.gateway.make_user("hours-officer", ["hr"]))
    client = httpx.Client(base_url=hr_stack.hr.url, headers=officer)
    part = {"pay_type": "hourly", "rate": "25.50", "currency": "EUR", "frequency": "monthly", "weekly_hours": "20"}
    hired = ok(
        client.post(
            "/employees",
            json=hire_body("Paz", "paz@example.com", pay_terms={**part, "agreement_group": "retail"}),
        ),
        201,
    )
    assert (Decimal(hired["pay_terms"]["weekly_hours"]), hired["pay_terms"]["agreement_group"]) == (
        Decimal(20),
        "retail",
    )
    plain = ok(client.post("/employees", json=hire_body("Pol", "pol@example.com")), 201)
    assert (plain["pay_terms"]["weekly_hours"], plain["pay_terms"]["agreement_group"]) == (None, None)

    # Bad hours are refused naming the field, and nothing is written.
    later = (TODAY + timedelta(days=5)).isoformat()
    for hours in ("0", "-4", "169"):
        body = {**part, "effective_from": later, "weekly_hours": hours}
        answer = client.post(f"/employees/{hired['id']}/pay-terms", json=body)
        assert (answer.status_code, answer.headers["content-type"]) == (422, "application/problem+json")
        assert "weekly_hours" in answer.text
    assert len(ok(client.get(f"/employees/{hired['id']}"))["pay_history"]) == 1
    full_time = {**part, "effective_from": later, "weekly_hours": "38.5"}
    ok(client.post(f"/employees/{hired['id']}/pay-terms", json=full_time), 201)

    events = events_about(hr_stack.nats_url, "hr.>", "HR", lambda e: e.subject == hired["id"], 2)
    assert [e.type for e in events] == ["hr.employee_hired", "hr.employee_updated"]
    sent = events[0].data["pay_terms"]
    assert (Decimal(sent["weekly_hours"]), sent["agreement_group"]) == (Decimal(20), "retail")
    assert Decimal(events[1].data["pay_terms"]["weekly_hours"]) == Decimal("38.5")
