"""Who may call what in helpdesk-svc: every route against every role, each pair its own test, on records that
belong to someone (requester A's ticket, asset and change; a call for a third person; a message for A).

The records are made once for the module (a gateway and the helpdesk with their own databases); the cells run in
the order of the table, as requests of these people would: a device returned by one agent is no longer with
anyone when the next tries, which answers 409, not 403."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from backoffice.testing import DatabaseFactory, GatewayClient, NatsServer, StartedServices, connect_gateway
from helpdeskkit import TODAY, Staff, ok

ROLES = (
    "anonymous",
    "requester_a",
    "employee_b",
    "agent",
    "other_agent",  # an agent of no team
    "lead",
    "office",
    "hr",
    "payroll",
    "admin",
)
EVERYONE = frozenset(ROLES) - {"anonymous"}
AGENTS = frozenset({"agent", "other_agent", "lead", "admin"})
ON_TICKET = frozenset({"requester_a", "agent", "lead", "admin"})
TEAM_AGENTS = frozenset({"agent", "lead", "admin"})
LEADS = frozenset({"lead", "admin"})
OFFICE = frozenset({"office", "admin"})

START = datetime.now(UTC) + timedelta(days=3)
CHANGE = {
    "title": "t",
    "description": "d",
    "affected_system": "s",
    "risk": "low",
    "planned_start": START.isoformat(),
    "planned_end": (START + timedelta(hours=1)).isoformat(),
}
POLICY = {"priority": "low", "first_response_minutes": 60, "resolution_minutes": 600, "calendar_id": "{calendar}"}

# (method, path, body, roles allowed); ``{name}`` stands for the id of a record the module's world made.
MATRIX: list[tuple[str, str, Any, frozenset[str]]] = [
    ("POST", "/tickets", {"category": "c", "subject": "s"}, EVERYONE),
    ("GET", "/tickets", None, EVERYONE),
    ("GET", "/tickets/{ticket}", None, ON_TICKET),
    ("POST", "/tickets/{ticket}/comments", {"body": "b"}, ON_TICKET),
    ("GET", "/tickets/{ticket}/comments", None, ON_TICKET),
    ("GET", "/tickets/{ticket}/history", None, ON_TICKET),
    ("POST", "/tickets/{ticket}/status", {"status": "pending"}, TEAM_AGENTS),
    ("POST", "/tickets/{ticket}/assignee", {"employee_id": "agnes"}, TEAM_AGENTS),
    ("POST", "/tickets/{ticket}/priority", {"priority": "high", "reason": "r"}, TEAM_AGENTS),
    ("POST", "/canned-responses", {"title": "c", "body": "b"}, AGENTS),
    ("GET", "/canned-responses", None, AGENTS),
    ("POST", "/teams", {"name": "New"}, LEADS),
    ("GET", "/teams", None, AGENTS),
    ("GET", "/teams/{team}", None, AGENTS),
    ("PUT", "/teams/{team}", {"name": "Desk", "categories": ["hardware"]}, LEADS),
    ("POST", "/teams/{team}/members", {"employee_id": "otto"}, LEADS),
    ("DELETE", "/teams/{team}/members/spare", None, LEADS),
    ("GET", "/agents", None, AGENTS),
    ("PATCH", "/agents/agnes", {"available": True}, TEAM_AGENTS),
    ("POST", "/sla/calendars", {"name": "Another"}, LEADS),
    ("GET", "/sla/calendars", None, AGENTS),
    ("GET", "/sla/calendars/{calendar}", None, AGENTS),
    ("PUT", "/sla/calendars/{calendar}", {"name": "Office hours"}, LEADS),
    ("PUT", "/sla/policies", POLICY, LEADS),
    ("GET", "/sla/policies", None, AGENTS),
    ("DELETE", "/sla/policies/{policy}", None, LEADS),
    ("POST", "/assets", {"tag": "A2", "type": "t", "serial": "S2", "model": "m"}, AGENTS),
    ("GET", "/assets", None, EVERYONE),
    ("GET", "/assets/{asset}", None, AGENTS | {"requester_a"}),
    ("POST", "/assets/{asset}/return", {}, AGENTS),
    ("POST", "/assets/{asset}/assign", {"employee_id": "anna"}, AGENTS),
    ("POST", "/assets/{asset}/status", {"status": "in_repair"}, AGENTS),
    ("POST", "/changes", CHANGE, EVERYONE),
    ("GET", "/changes", None, EVERYONE),
    ("GET", "/changes/{change}", None, AGENTS | {"requester_a"}),
    ("POST", "/changes/{change}/decision", {"decision": "approve"}, LEADS),
    ("POST", "/changes/{change}/implemented", {}, AGENTS),
    ("POST", "/changes/{change}/review", {"outcome": "successful", "notes": "n"}, LEADS),
    ("GET", "/directory", None, EVERYONE),
    ("GET", "/directory/anna", None, EVERYONE),
    ("PUT", "/directory/anna/extension", {"extension": "300"}, OFFICE),
    ("PUT", "/directory/anna/availability", {"availability": "busy"}, OFFICE | {"requester_a"}),
    ("POST", "/calls", {"caller_name": "Z", "asked_for_employee_id": "carl"}, OFFICE),
    ("GET", "/calls", None, EVERYONE),
    ("GET", "/calls/{call}", None, OFFICE),
    ("POST", "/calls/{call}/transfers", {"to_employee_id": "spare"}, OFFICE),
    ("POST", "/calls/{call}/end", None, OFFICE),
    ("POST", "/calls/{call}/message", {"body": "m"}, OFFICE),
    ("GET", "/messages", None, EVERYONE),
    ("POST", "/messages/{message}/read", None, frozenset({"requester_a"})),
    ("GET", "/switchboard/report", None, OFFICE),
    ("GET", "/admin/dead-letters", None, frozenset({"admin"})),
]


@dataclass
class World:
    """The running helpdesk, a token per role and the ids of the records the routes are called on."""

    gateway: GatewayClient
    client: httpx.Client
    tokens: dict[str, str | None]
    ids: dict[str, str]

    def call(self, role: str, method: str, path: str, body: Any = None, params: Any = None) -> httpx.Response:
        """The answer to ``role`` calling the route (``{name}`` in the path and body filled in)."""
        token = self.tokens[role]
        headers = self.gateway.auth(token) if token else {}
        return self.client.request(
            method, path.format(**self.ids), headers=headers, json=self.fill(body), params=params
        )

    def fill(self, body: Any) -> Any:
        """The body with each ``{name}`` value replaced by the id it stands for."""
        if isinstance(body, dict):
            return {k: self.fill(v) for k, v in body.items()}
        if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
            return self.ids[body[1:-1]]
        return body


def _records(world: World) -> None:
    """The team, ticket, calendar, policy, asset, change, calls and message the routes are called on."""
    call = world.call
    team = ok(call("admin", "POST", "/teams", {"name": "Desk", "categories": ["hardware"]}), 201)
    world.ids["team"] = team["id"]
    for member, lead in (("agnes", False), ("lee", True), ("spare", False)):
        ok(call("admin", "POST", "/teams/{team}/members", {"employee_id": member, "is_lead": lead}))
    world.ids["ticket"] = ok(
        call("requester_a", "POST", "/tickets", {"category": "hardware", "subject": "Screen"}), 201
    )["id"]
    world.ids["calendar"] = ok(call("admin", "POST", "/sla/calendars", {"name": "Office hours"}), 201)["id"]
    world.ids["policy"] = ok(call("admin", "PUT", "/sla/policies", POLICY))["id"]
    asset = {"tag": "A1", "type": "laptop", "serial": "S1", "model": "M"}
    world.ids["asset"] = ok(call("admin", "POST", "/assets", asset), 201)["id"]
    ok(call("admin", "POST", "/assets/{asset}/assign", {"employee_id": "anna"}))
    world.ids["change"] = ok(call("requester_a", "POST", "/changes", CHANGE), 201)["id"]
    world.ids["call"] = ok(
        call("office", "POST", "/calls", {"caller_name": "X", "asked_for_employee_id": "carl"}), 201
    )["id"]
    for_a = ok(call("office", "POST", "/calls", {"caller_name": "Y", "asked_for_employee_id": "anna"}), 201)
    world.ids["message"] = ok(call("office", "POST", f"/calls/{for_a['id']}/message", {"body": "call back"}))[
        "message"
    ]["id"]


@pytest.fixture(scope="module")
def world(nats_server: NatsServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("access")
    databases = DatabaseFactory(root)
    services = StartedServices(root, nats_server.url, databases)
    try:
        gateway = connect_gateway(services.start("gateway"))
        helpdesk = services.start("helpdesk")
        staff = Staff(gateway, helpdesk.url, nats_server.url)
        staff.hire("anna", "bert")
        staff.hire("agnes", "otto", "lee", roles=("employee", "it_agent"))
        staff.hire("carl", "spare")
        tokens: dict[str, str | None] = {
            "anonymous": None,
            "requester_a": gateway.activate_employee("anna"),
            "employee_b": gateway.activate_employee("bert"),
            "agent": gateway.activate_employee("agnes"),
            "other_agent": gateway.activate_employee("otto"),
            "lead": gateway.activate_employee("lee"),
            "office": gateway.make_user("hd-office", ["office"]),
            "hr": gateway.make_user("hd-hr", ["hr"]),
            "payroll": gateway.make_user("hd-payroll", ["payroll"]),
            "admin": gateway.admin_token,
        }
        with httpx.Client(base_url=helpdesk.url, timeout=30) as client:
            built = World(gateway, client, tokens, {})
            _records(built)
            yield built
        gateway.client.close()
    finally:
        services.stop_all()
        databases.cleanup()


CELLS = [(method, path, body, allowed, role) for method, path, body, allowed in MATRIX for role in ROLES]


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed", "role"),
    CELLS,
    ids=[f"{role}-{method}-{path}" for method, path, _, _, role in CELLS],
)
def test_the_route_answers_the_role_as_the_rules_say(
    world: World, method: str, path: str, body: Any, allowed: frozenset[str], role: str
) -> None:
    query = {"date_from": TODAY.isoformat()} if path == "/switchboard/report" else None
    status = world.call(role, method, path, body, params=query).status_code
    if role == "anonymous":
        assert status == 401
    elif role in allowed:
        assert status not in (401, 403, 404) or (status == 404 and method == "DELETE")
    else:
        assert status in (403, 404)


@pytest.mark.parametrize(("path", "body"), [("/tickets", {"category": "c", "subject": "s"}), ("/changes", CHANGE)])
def test_a_list_shows_an_employee_only_their_own(world: World, path: str, body: Any) -> None:
    ok(world.call("employee_b", "POST", path, body), 201)
    assert {x["requester_employee_id"] for x in ok(world.call("employee_b", "GET", path))["items"]} == {"bert"}


@pytest.mark.parametrize("path", ["/assets", "/calls", "/messages"])
def test_a_list_shows_an_employee_nothing_of_others(world: World, path: str) -> None:
    assert ok(world.call("employee_b", "GET", path))["total"] == 0
