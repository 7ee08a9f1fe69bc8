"""What the console's calendar, policy and change forms rely on: each refusal names its field, a calendar reads
alone, and approving one's own change is refused as a problem the console can show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import Staff, ok, problem


def field_errors(response: httpx.Response) -> dict[str, str]:
    """The problem's errors by field, once checked it is a 422 problem+json."""
    problem(response, 422)
    errors: list[dict[str, Any]] = response.json()["errors"]
    return {e["field"]: e["message"] for e in errors}


def test_calendar_and_policy_refusals_name_their_field(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    admin = staff.admin
    (ada,) = staff.hire("ada", roles=("employee", "it_agent"))
    (emma,) = staff.hire("emma")

    # No working time: closing at or before opening is refused on the closing time, with the reason.
    errors = field_errors(admin.post("/sla/calendars", json={"name": "none", "opens": "17:00", "closes": "09:00"}))
    assert list(errors) == ["body.closes"]
    assert "no working hours" in errors["body.closes"]
    assert list(field_errors(admin.post("/sla/calendars", json={"name": "none", "working_days": []}))) == [
        "body.working_days"
    ]
    # An opening time refused alone does not also refuse the closing time.
    assert list(field_errors(admin.post("/sla/calendars", json={"name": "x", "opens": "25:00"}))) == ["body.opens"]
    assert list(field_errors(admin.post("/sla/calendars", json={"name": "x", "holiday_country": "ZZ"}))) == [
        "body.holiday_country"
    ]
    errors = field_errors(
        admin.post("/sla/calendars", json={"name": "x", "holiday_country": "FR", "holiday_subdivision": "XX"})
    )
    assert list(errors) == ["body.holiday_subdivision"]
    assert "no subdivision" in errors["body.holiday_subdivision"]
    assert "needs its holiday_country" in field_errors(
        admin.post("/sla/calendars", json={"name": "x", "holiday_subdivision": "75"})
    )["body.holiday_subdivision"]

    calendar = ok(
        admin.post(
            "/sla/calendars",
            json={
                "name": "Madrid office",
                "timezone": "Europe/Madrid",
                "working_days": [0, 1, 2, 3, 4],
                "opens": "08:30",
                "closes": "17:00",
                "holidays": ["2026-12-24"],
                "holiday_country": "ES",
                "holiday_subdivision": "MD",
            },
        ),
        201,
    )
    # The same refusal when a calendar is edited.
    edit = {**calendar, "opens": "18:00"}
    assert list(field_errors(admin.put(f"/sla/calendars/{calendar['id']}", json=edit))) == ["body.closes"]

    # One calendar, read alone by agents (what the edit form loads), not by others.
    assert ok(ada.get(f"/sla/calendars/{calendar['id']}")) == calendar
    assert "SLA calendar" in problem(ada.get("/sla/calendars/nope"), 404)
    problem(emma.get(f"/sla/calendars/{calendar['id']}"), 403)

    policy = {"priority": "high", "category": "email", "first_response_minutes": 60, "calendar_id": calendar["id"]}
    errors = field_errors(admin.put("/sla/policies", json={**policy, "resolution_minutes": 30}))
    assert list(errors) == ["body.resolution_minutes"]
    saved = ok(admin.put("/sla/policies", json={**policy, "resolution_minutes": 480}))
    assert (saved["category"], saved["resolution_minutes"]) == ("email", 480)


def test_approving_ones_own_change_is_a_problem_naming_why(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    (ada,) = staff.hire("ada", roles=("employee", "it_agent"))
    team = ok(staff.admin.post("/teams", json={"name": "Infrastructure", "is_default": True}), 201)
    ok(staff.admin.post(f"/teams/{team['id']}/members", json={"employee_id": "ada", "is_lead": True}))
    soon = datetime.now(UTC) + timedelta(days=1)
    change = ok(
        ada.post(
            "/changes",
            json={
                "title": "Rotate the VPN certificate",
                "description": "It expires next month",
                "affected_system": "vpn",
                "risk": "low",
                "planned_start": soon.isoformat(),
                "planned_end": (soon + timedelta(hours=1)).isoformat(),
            },
        ),
        201,
    )
    # The form's refusals name their fields.
    body = {k: change[k] for k in ("title", "description", "affected_system", "planned_start", "planned_end")}
    assert list(field_errors(ada.post("/changes", json={**body, "risk": "high"}))) == ["body.rollback_plan"]
    assert list(field_errors(ada.post("/changes", json={**body, "risk": "high", "rollback_plan": " "}))) == [
        "body.rollback_plan"
    ]
    assert list(
        field_errors(ada.post("/changes", json={**body, "risk": "low", "planned_end": body["planned_start"]}))
    ) == ["body.planned_end"]
    assert list(
        field_errors(staff.admin.post(f"/changes/{change['id']}/decision", json={"decision": "reject", "note": ""}))
    ) == ["body.note"]

    refused = ada.post(f"/changes/{change['id']}/decision", json={"decision": "approve"})
    assert "someone else must approve" in problem(refused, 403)
    assert refused.json()["type"].endswith(":own-change")
    assert ok(ada.get(f"/changes/{change['id']}"))["status"] == "requested"
