"""The helpdesk's listings are pages (items, total, limit, offset): a ticket's replies and history newest first;
teams, agents, calendars, policies and canned responses by name; messages newest first."""

from __future__ import annotations

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import Staff, ok, problem


def test_lists_are_pages_newest_first_or_by_name(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    admin = staff.admin
    zed, amy, kim = staff.hire("zed", "amy", "kim", roles=("employee", "it_agent"))
    (rita,) = staff.hire("rita")

    # Reference data: by name, a page at a time.
    for name, default in (("Zulu desk", True), ("Alpha desk", False), ("Mike desk", False)):
        team = ok(
            admin.post("/teams", json={"name": name, "categories": [name.split()[0]], "is_default": default}), 201
        )
        for member in ("zed", "amy", "kim"):
            ok(admin.post(f"/teams/{team['id']}/members", json={"employee_id": member}))
    teams = ok(amy.get("/teams", params={"limit": 2}))
    assert [t["name"] for t in teams["items"]] == ["Alpha desk", "Mike desk"]
    assert (teams["total"], teams["limit"], teams["offset"]) == (3, 2, 0)
    assert [t["name"] for t in ok(amy.get("/teams", params={"limit": 2, "offset": 2}))["items"]] == ["Zulu desk"]
    agents = ok(amy.get("/agents"))
    assert [a["employee_id"] for a in agents["items"]] == ["amy", "kim", "zed"] and agents["total"] == 3
    assert [a["name"] for a in ok(amy.get("/agents", params={"limit": 1, "offset": 1}))["items"]] == ["Kim Tester"]
    for title in ("thanks", "ack"):
        ok(amy.post("/canned-responses", json={"title": title, "body": "Hello {requester_name}."}), 201)
    canned = ok(amy.get("/canned-responses"))
    assert [c["title"] for c in canned["items"]] == ["ack", "thanks"] and canned["total"] == 2
    for name in ("Nights", "Days"):
        ok(admin.post("/sla/calendars", json={"name": name, "working_days": [0, 1, 2, 3, 4]}), 201)
    calendars = ok(amy.get("/sla/calendars"))
    assert [c["name"] for c in calendars["items"]] == ["Days", "Nights"] and calendars["total"] == 2
    for priority in ("normal", "high"):
        policy = {"priority": priority, "first_response_minutes": 60, "resolution_minutes": 480}
        ok(admin.put("/sla/policies", json=policy | {"calendar_id": calendars["items"][0]["id"]}))
    policies = ok(amy.get("/sla/policies", params={"limit": 1}))
    assert [p["priority"] for p in policies["items"]] == ["high"] and policies["total"] == 2

    # Events in time: the latest first, and the same order page after page.
    ticket = ok(rita.post("/tickets", json={"category": "Alpha", "subject": "Screen", "description": "flickers"}), 201)
    agent = {"zed": zed, "amy": amy, "kim": kim}[ticket["assignee_employee_id"]]
    for body in ("first reply", "second reply", "third reply"):
        ok(agent.post(f"/tickets/{ticket['id']}/comments", json={"body": body}), 201)
    ok(agent.post(f"/tickets/{ticket['id']}/comments", json={"body": "a note", "internal": True}), 201)
    replies = ok(rita.get(f"/tickets/{ticket['id']}/comments"))
    assert [c["body"] for c in replies["items"]] == ["third reply", "second reply", "first reply"]
    assert (replies["total"], replies["limit"], replies["offset"]) == (3, 100, 0)  # not the internal note
    assert ok(agent.get(f"/tickets/{ticket['id']}/comments", params={"limit": 1}))["items"][0]["body"] == "a note"
    page = ok(rita.get(f"/tickets/{ticket['id']}/comments", params={"limit": 1, "offset": 1}))
    assert [c["body"] for c in page["items"]] == ["second reply"] and page["total"] == 3
    history = ok(agent.get(f"/tickets/{ticket['id']}/history"))
    actions = [h["action"] for h in history["items"]]
    assert actions[-1] == "opened" and history["total"] == len(actions)
    assert [h["at"] for h in history["items"]] == sorted((h["at"] for h in history["items"]), reverse=True)
    assert ok(rita.get("/messages"))["items"] == []
    assert "limit" in problem(rita.get(f"/tickets/{ticket['id']}/comments", params={"limit": 0}), 422)
    assert "offset" in problem(rita.get("/messages", params={"offset": -1}), 422)
