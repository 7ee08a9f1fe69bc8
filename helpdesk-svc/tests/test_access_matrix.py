"""Who may call what in helpdesk-svc: every route against every role, on records that belong to someone
(requester A's ticket, asset and change; a call for a third person; a message for A)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import TODAY, Staff, ok


def test_every_route_against_every_role(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    g = gateway_client
    staff = Staff(g, helpdesk.url, nats_server.url)
    staff.hire("anna", "bert")
    staff.hire("agnes", "otto", "lee", roles=("employee", "it_agent"))
    staff.hire("carl", "spare")
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "requester_a": g.activate_employee("anna"),
        "employee_b": g.activate_employee("bert"),
        "agent": g.activate_employee("agnes"),
        "other_agent": g.activate_employee("otto"),  # an agent of no team
        "lead": g.activate_employee("lee"),
        "office": g.make_user("hd-office", ["office"]),
        "hr": g.make_user("hd-hr", ["hr"]),
        "payroll": g.make_user("hd-payroll", ["payroll"]),
        "admin": g.admin_token,
    }
    c = httpx.Client(base_url=helpdesk.url, timeout=30)

    def call(role: str, method: str, path: str, body: Any = None) -> httpx.Response:
        token = tokens[role]
        return c.request(method, path, headers=g.auth(token) if token else {}, json=body)

    team = ok(call("admin", "POST", "/teams", {"name": "Desk", "categories": ["hardware"]}), 201)
    for member, lead in (("agnes", False), ("lee", True), ("spare", False)):
        ok(call("admin", "POST", f"/teams/{team['id']}/members", {"employee_id": member, "is_lead": lead}))
    ticket = ok(call("requester_a", "POST", "/tickets", {"category": "hardware", "subject": "Screen"}), 201)
    calendar = ok(call("admin", "POST", "/sla/calendars", {"name": "Office hours"}), 201)
    policy_body = {
        "priority": "low",
        "first_response_minutes": 60,
        "resolution_minutes": 600,
        "calendar_id": calendar["id"],
    }
    policy = ok(call("admin", "PUT", "/sla/policies", policy_body))
    asset = ok(call("admin", "POST", "/assets", {"tag": "A1", "type": "laptop", "serial": "S1", "model": "M"}), 201)
    ok(call("admin", "POST", f"/assets/{asset['id']}/assign", {"employee_id": "anna"}))
    start = datetime.now(UTC) + timedelta(days=3)
    change_body = {
        "title": "t",
        "description": "d",
        "affected_system": "s",
        "risk": "low",
        "planned_start": start.isoformat(),
        "planned_end": (start + timedelta(hours=1)).isoformat(),
    }
    change = ok(call("requester_a", "POST", "/changes", change_body), 201)
    phone_call = ok(call("office", "POST", "/calls", {"caller_name": "X", "asked_for_employee_id": "carl"}), 201)
    for_a = ok(call("office", "POST", "/calls", {"caller_name": "Y", "asked_for_employee_id": "anna"}), 201)
    message = ok(call("office", "POST", f"/calls/{for_a['id']}/message", {"body": "call back"}))["message"]

    everyone = set(tokens) - {"anonymous"}
    agents = {"agent", "other_agent", "lead", "admin"}
    on_ticket = {"requester_a", "agent", "lead", "admin"}
    leads = {"lead", "admin"}
    office = {"office", "admin"}
    t, a, ch = ticket["id"], asset["id"], change["id"]
    matrix: list[tuple[str, str, Any, set[str]]] = [
        ("POST", "/tickets", {"category": "c", "subject": "s"}, everyone),
        ("GET", "/tickets", None, everyone),
        ("GET", f"/tickets/{t}", None, on_ticket),
        ("POST", f"/tickets/{t}/comments", {"body": "b"}, on_ticket),
        ("GET", f"/tickets/{t}/comments", None, on_ticket),
        ("GET", f"/tickets/{t}/history", None, on_ticket),
        ("POST", f"/tickets/{t}/status", {"status": "pending"}, {"agent", "lead", "admin"}),
        ("POST", f"/tickets/{t}/assignee", {"employee_id": "agnes"}, {"agent", "lead", "admin"}),
        ("POST", f"/tickets/{t}/priority", {"priority": "high", "reason": "r"}, {"agent", "lead", "admin"}),
        ("POST", "/canned-responses", {"title": "c", "body": "b"}, agents),
        ("GET", "/canned-responses", None, agents),
        ("POST", "/teams", {"name": "New"}, leads),
        ("GET", "/teams", None, agents),
        ("GET", f"/teams/{team['id']}", None, agents),
        ("PUT", f"/teams/{team['id']}", {"name": "Desk", "categories": ["hardware"]}, leads),
        ("POST", f"/teams/{team['id']}/members", {"employee_id": "otto"}, leads),
        ("DELETE", f"/teams/{team['id']}/members/spare", None, leads),
        ("GET", "/agents", None, agents),
        ("PATCH", "/agents/agnes", {"available": True}, {"agent", "lead", "admin"}),
        ("POST", "/sla/calendars", {"name": "Another"}, leads),
        ("GET", "/sla/calendars", None, agents),
        ("PUT", f"/sla/calendars/{calendar['id']}", {"name": "Office hours"}, leads),
        ("PUT", "/sla/policies", policy_body, leads),
        ("GET", "/sla/policies", None, agents),
        ("DELETE", f"/sla/policies/{policy['id']}", None, leads),
        ("POST", "/assets", {"tag": "A2", "type": "t", "serial": "S2", "model": "m"}, agents),
        ("GET", "/assets", None, everyone),
        ("GET", f"/assets/{a}", None, agents | {"requester_a"}),
        ("POST", f"/assets/{a}/return", {}, agents),
        ("POST", f"/assets/{a}/assign", {"employee_id": "anna"}, agents),
        ("POST", f"/assets/{a}/status", {"status": "in_repair"}, agents),
        ("POST", "/changes", change_body, everyone),
        ("GET", "/changes", None, everyone),
        ("GET", f"/changes/{ch}", None, agents | {"requester_a"}),
        ("POST", f"/changes/{ch}/decision", {"decision": "approve"}, leads),
        ("POST", f"/changes/{ch}/implemented", {}, agents),
        ("POST", f"/changes/{ch}/review", {"outcome": "successful", "notes": "n"}, leads),
        ("GET", "/directory", None, everyone),
        ("GET", "/directory/anna", None, everyone),
        ("PUT", "/directory/anna/extension", {"extension": "300"}, office),
        ("PUT", "/directory/anna/availability", {"availability": "busy"}, office | {"requester_a"}),
        ("POST", "/calls", {"caller_name": "Z", "asked_for_employee_id": "carl"}, office),
        ("GET", "/calls", None, everyone),
        ("GET", f"/calls/{phone_call['id']}", None, office),
        ("POST", f"/calls/{phone_call['id']}/transfers", {"to_employee_id": "spare"}, office),
        ("POST", f"/calls/{phone_call['id']}/end", None, office),
        ("POST", f"/calls/{phone_call['id']}/message", {"body": "m"}, office),
        ("GET", "/messages", None, everyone),
        ("POST", f"/messages/{message['id']}/read", None, {"requester_a"}),
        ("GET", "/switchboard/report", None, office),
        ("GET", "/admin/dead-letters", None, {"admin"}),
    ]
    failures = []
    for method, path, body, allowed in matrix:
        query = {"date_from": TODAY.isoformat()} if path == "/switchboard/report" else None
        for role in tokens:
            token = tokens[role]
            status = c.request(
                method, path, headers=g.auth(token) if token else {}, json=body, params=query
            ).status_code
            if role == "anonymous":
                good = status == 401
            elif role in allowed:
                good = status not in (401, 403, 404) or (status == 404 and method == "DELETE")
            else:
                good = status in (403, 404)
            if not good:
                failures.append(f"{role:13} {method:6} {path} -> {status}")
    assert not failures, "\n".join(failures)
    # Lists show only what the caller may see.
    assert {x["requester_employee_id"] for x in ok(call("employee_b", "GET", "/tickets"))["items"]} == {"bert"}
    assert ok(call("employee_b", "GET", "/assets"))["total"] == 0
    assert {x["requester_employee_id"] for x in ok(call("employee_b", "GET", "/changes"))["items"]} == {"bert"}
    assert ok(call("employee_b", "GET", "/calls"))["total"] == 0
    assert ok(call("employee_b", "GET", "/messages"))["total"] == 0
