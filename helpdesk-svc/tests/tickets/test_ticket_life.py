"""Tickets through a real gateway's tokens: routing and round-robin with caps, manual assignment, replies and
internal notes, canned responses, an SLA clock that stops exactly while pending, closing rules, and who sees
what (requesters their own tickets and public replies, agents their team's)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish, wait_for
from helpdeskkit import Staff, events_about, filed, ok, problem


def test_tickets_round_robin_sla_pause_and_visibility(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    admin = staff.admin
    ana, ben, cyd, lea = staff.hire("ana", "ben", "cyd", "lea", roles=("employee", "it_agent"))
    rita, eve = staff.hire("rita", "eve")

    # A calendar and policy, refused first without working hours.
    assert "body.working_days: List should have at least 1 item" in problem(
        admin.post("/sla/calendars", json={"name": "none", "working_days": []}), 422
    )
    assert "body.working_days.0: Input should be less than or equal to 6" in problem(
        admin.post("/sla/calendars", json={"name": "none", "working_days": [2**63]}), 422
    )
    assert "no working hours" in problem(
        admin.post("/sla/calendars", json={"name": "none", "opens": "17:00", "closes": "09:00"}), 422
    )
    calendar = ok(
        admin.post(
            "/sla/calendars",
            json={"name": "always", "working_days": list(range(7)), "opens": "00:00", "closes": "24:00"},
        ),
        201,
    )
    # Round the clock: working time is clock time, whatever the time of day the test runs.
    assert (calendar["opens"], calendar["closes"]) == ("00:00:00", "24:00:00")
    assert "crossing midnight" in problem(
        admin.post("/sla/calendars", json={"name": "night", "opens": "22:00", "closes": "06:00"}), 422
    )
    policy = {
        "priority": "normal",
        "first_response_minutes": 60,
        "resolution_minutes": 480,
        "calendar_id": calendar["id"],
    }
    assert "team leads" in problem(ana.put("/sla/policies", json=policy), 403)
    ok(admin.put("/sla/policies", json=policy))
    # A year of working time to resolve low tickets: one hour on Mondays would never get there, so those hours are
    # refused, naming the policy.
    ok(admin.put("/sla/policies", json={**policy, "priority": "low", "resolution_minutes": 525600}))
    narrow = {"name": "always", "working_days": [0], "opens": "09:00", "closes": "10:00"}
    assert "policy low/*" in problem(admin.put(f"/sla/calendars/{calendar['id']}", json=narrow), 422)
    assert "subdivision" in problem(
        admin.post("/sla/calendars", json={"name": "x", "holiday_country": "FR", "holiday_subdivision": "XX"}), 422
    )
    team = ok(admin.post("/teams", json={"name": "Service desk", "categories": [" Hardware"], "is_default": True}), 201)
    assert team["categories"] == ["hardware"]
    assert "team leads" in problem(ana.post("/teams", json={"name": "Rogue"}), 403)
    for member, lead in (("ana", False), ("ben", False), ("cyd", False), ("lea", True)):
        ok(admin.post(f"/teams/{team['id']}/members", json={"employee_id": member, "is_lead": lead}))
    # The lead coordinates rather than takes tickets.
    ok(lea.patch("/agents/lea", json={"available": False}))
    assert "lead" in problem(ana.patch("/agents/ben", json={"available": False}), 403)
    # Left out, a field stays as it is; an agent is never neither available nor unavailable.
    assert "body.available: " in problem(lea.patch("/agents/lea", json={"available": None}), 422)
    assert "body.max_open_tickets: " in problem(lea.patch("/agents/lea", json={"max_open_tickets": None}), 422)

    def open_ticket(n: int) -> dict[str, Any]:
        opened: dict[str, Any] = ok(
            rita.post("/tickets", json={"category": "Hardware", "subject": f"Printer {n}", "description": "jammed"}),
            201,
        )
        return opened

    first = [open_ticket(n) for n in range(6)]
    assert [t["assignee_employee_id"] for t in first] == ["ana", "ben", "cyd"] * 2
    assert all(t["team_id"] == team["id"] and t["category"] == "hardware" for t in first)
    assert [t["number"] for t in first] == list(range(first[0]["number"], first[0]["number"] + 6))

    # Caps and availability: ana is at her cap of 2, ben steps away; cyd takes what comes until his cap.
    ok(lea.patch("/agents/ana", json={"max_open_tickets": 2}))
    ok(ben.patch("/agents/ben", json={"available": False}))
    ok(lea.patch("/agents/cyd", json={"max_open_tickets": 4}))
    more = [open_ticket(n) for n in range(6, 9)]
    assert [t["assignee_employee_id"] for t in more] == ["cyd", "cyd", None]
    loads = {a["employee_id"]: a["open_tickets"] for a in ok(admin.get("/agents"))["items"]}
    assert loads == {"ana": 2, "ben": 2, "cyd": 4, "lea": 0}
    waiting = more[2]
    assert "not a helpdesk agent" in problem(
        ana.post(f"/tickets/{waiting['id']}/assignee", json={"employee_id": "rita"}), 404
    )
    assert "not available" in problem(ana.post(f"/tickets/{waiting['id']}/assignee", json={"employee_id": "ben"}), 409)
    assert "no agent" in problem(ana.post(f"/tickets/{waiting['id']}/assignee", json={}), 409)
    # Manual assignment is always possible to an available agent, over their cap.
    assert (
        ok(ana.post(f"/tickets/{waiting['id']}/assignee", json={"employee_id": "ana"}))["assignee_employee_id"] == "ana"
    )
    assert "only the helpdesk's agents" in problem(
        rita.post(f"/tickets/{waiting['id']}/assignee", json={"employee_id": "ana"}), 403
    )

    # Visibility: rita sees her nine, eve none and not rita's by id; agents of the team see them all.
    assert ok(rita.get("/tickets"))["total"] == 9
    assert ok(eve.get("/tickets"))["total"] == 0
    assert "does not exist" in problem(eve.get(f"/tickets/{first[0]['id']}"), 404)
    assert problem(eve.post(f"/tickets/{first[0]['id']}/comments", json={"body": "hi"}), 404)
    assert ok(ben.get("/tickets", params={"status": ["new"], "kind": "incident"}))["total"] == 9
    assert ok(ben.get("/tickets", params={"assignee_employee_id": "cyd"}))["total"] == 4
    assert "on someone else's behalf" in problem(
        eve.post("/tickets", json={"category": "x", "subject": "y", "requester_employee_id": "rita"}), 403
    )
    vpn = {"category": "network", "subject": "VPN", "requester_employee_id": "eve"}
    # Attachments are documents docs-svc filed (known here from its events), filed by whoever attaches them.
    documents = [*(filed(d, cyd) for d in ("doc-1", "doc-2", "log-7")), filed("photo-1", rita)]
    publish(nats_server.url, *documents, stream="DOCS")
    unknown = problem(cyd.post("/tickets", json={**vpn, "attachments": ["does-not-exist-123"]}), 422)
    assert "does-not-exist-123 is not a document you filed" in unknown

    def once_known(call: Callable[[], httpx.Response]) -> httpx.Response:
        """The answer once the helpdesk has read docs' events (a refused call changes nothing)."""
        answer: httpx.Response = wait_for(lambda: (r := call()).status_code != 422 and r, "docs' filings to be known")
        return answer

    on_behalf = ok(
        once_known(lambda: cyd.post("/tickets", json={**vpn, "attachments": ["doc-1", "doc-2", "doc-1"]})), 201
    )
    assert on_behalf["requester_name"] == "Eve Tester"
    assert on_behalf["team_id"] == team["id"]

    # Attachments are document ids, each once; more can be attached later by the requester or an agent.
    assert on_behalf["attachments"] == ["doc-1", "doc-2"]
    assert ok(eve.get(f"/tickets/{on_behalf['id']}"))["attachments"] == ["doc-1", "doc-2"]
    assert "attachments" in problem(cyd.post("/tickets", json={**vpn, "attachments": ["x" * 65]}), 422)
    assert "not a document id: 'doc 1'" in problem(cyd.post("/tickets", json={**vpn, "attachments": ["doc 1"]}), 422)
    assert "attachments" in problem(
        cyd.post("/tickets", json={**vpn, "attachments": [f"d{n}" for n in range(21)]}), 422
    )
    printer = first[2]["id"]  # rita's, cyd's to work
    assert ok(once_known(lambda: rita.post(f"/tickets/{printer}/attachments", json={"document_ids": ["photo-1"]})))[
        "attachments"
    ] == ["photo-1"]
    # Someone else's document is refused like an unknown one, naming the id and the field.
    taken = problem(rita.post(f"/tickets/{printer}/attachments", json={"document_ids": ["photo-1", "doc-1"]}), 422)
    assert "doc-1 is not a document you filed" in taken
    added = ok(cyd.post(f"/tickets/{printer}/attachments", json={"document_ids": ["log-7", "photo-1", "log-7"]}))
    assert added["attachments"] == ["photo-1", "log-7"]
    assert ok(rita.get(f"/tickets/{printer}"))["attachments"] == ["photo-1", "log-7"]
    assert problem(eve.post(f"/tickets/{printer}/attachments", json={"document_ids": ["x"]}), 404)
    assert "document_ids" in problem(rita.post(f"/tickets/{printer}/attachments", json={"document_ids": []}), 422)
    assert "attach at most 18 more" in problem(
        rita.post(f"/tickets/{printer}/attachments", json={"document_ids": [f"d{n}" for n in range(19)]}), 422
    )
    attached = [
        h for h in reversed(ok(rita.get(f"/tickets/{printer}/history"))["items"]) if h["action"] == "attachments_added"
    ]
    assert [h["detail"] for h in attached] == [{"document_ids": ["photo-1"]}, {"document_ids": ["log-7"]}]
    assert attached[0]["by"] != attached[1]["by"]  # rita, then cyd

    # Replies, internal notes and canned responses.
    ticket = first[0]  # ana's
    tid = ticket["id"]
    assert "unknown variables ['password']" in problem(
        ana.post("/canned-responses", json={"title": "bad", "body": "Your {password}"}), 422
    )
    assert "no formats" in problem(
        ana.post("/canned-responses", json={"title": "bad", "body": "{requester_name:>9999999}"}), 422
    )
    canned = ok(
        ana.post(
            "/canned-responses",
            json={"title": "ack", "body": "Hello {requester_name}, we are on {ticket_number} ({ticket_subject})."},
        ),
        201,
    )
    # Before sending, the agent reads the canned response as it would be sent on this ticket.
    preview = ok(ana.get(f"/tickets/{tid}/canned-responses/{canned['id']}"))
    assert preview == {
        "canned_response_id": canned["id"],
        "title": "ack",
        "body": f"Hello Rita Tester, we are on HD-{ticket['number']} (Printer 0).",
    }
    assert "canned responses are for agents" in problem(
        rita.get(f"/tickets/{tid}/canned-responses/{canned['id']}"), 403
    )
    assert "does not exist" in problem(ana.get(f"/tickets/{tid}/canned-responses/nope"), 404)
    # The queue: ana's own tickets, her team's, most urgent first.
    mine = ok(ana.get("/tickets", params={"assigned_to_me": True, "order": "urgency", "category": "Hardware"}))
    assert {t["assignee_employee_id"] for t in mine["items"]} == {"ana"}
    assert mine["total"] == 3
    teams = ok(ana.get("/tickets", params={"my_teams": True}))
    assert (
        teams["total"]
        == ok(ana.get("/tickets", params={"team_id": team["id"]}))["total"]
        < ok(ana.get("/tickets"))["total"]
    )
    assert ok(rita.get("/tickets", params={"my_teams": True}))["total"] == 0
    reply = ok(ana.post(f"/tickets/{tid}/comments", json={"canned_response_id": canned["id"]}), 201)
    assert reply["body"] == f"Hello Rita Tester, we are on HD-{ticket['number']} (Printer 0)."
    ok(ana.post(f"/tickets/{tid}/comments", json={"body": "toner supplier is slow", "internal": True}), 201)
    assert "internal notes" in problem(rita.post(f"/tickets/{tid}/comments", json={"body": "x", "internal": True}), 403)
    assert [c["internal"] for c in ok(rita.get(f"/tickets/{tid}/comments"))["items"]] == [False]
    assert [c["internal"] for c in ok(ben.get(f"/tickets/{tid}/comments"))["items"]] == [True, False]  # newest first
    after_reply = ok(rita.get(f"/tickets/{tid}"))
    assert after_reply["status"] == "open"
    assert after_reply["first_responded_at"] is not None
    assert after_reply["sla"]["first_response"]["met_at"] == after_reply["first_responded_at"]

    # The SLA clock stops while pending and starts again when the requester answers; the pause is shown.
    running = ok(ana.get(f"/tickets/{tid}"))["sla"]
    assert running["paused"] is False
    assert running["paused_business_seconds"] == 0
    due_before = datetime.fromisoformat(running["resolution"]["due_at"])
    ok(ana.post(f"/tickets/{tid}/status", json={"status": "pending", "note": "Which printer exactly?"}))
    paused = ok(rita.get(f"/tickets/{tid}"))
    assert paused["status"] == "pending"
    assert paused["sla"]["paused"] is True
    assert paused["sla"]["resolution"]["due_at"] is None
    time.sleep(2.2)
    ok(rita.post(f"/tickets/{tid}/comments", json={"body": "The one on floor 2"}), 201)
    resumed = ok(rita.get(f"/tickets/{tid}"))
    sla = resumed["sla"]
    assert resumed["status"] == "open"
    assert sla["paused"] is False
    assert sla["paused_business_seconds"] == sla["paused_wall_seconds"] >= 2
    # the first response was given before the pause: its figure does not change
    assert (
        sla["first_response"]["elapsed_business_seconds"] == running["first_response"]["elapsed_business_seconds"] >= 0
    )
    assert ok(ana.get("/tickets", params={"breached": False, "kind": "incident"}))["total"] >= 9
    assert ok(ana.get("/tickets", params={"breached": True, "kind": "incident"}))["total"] == 0
    # On a round-the-clock calendar the deadline is the opening + 8 hours + the pause, in plain clock time.
    opened = datetime.fromisoformat(resumed["opened_at"])
    expected = opened + timedelta(hours=8, seconds=sla["paused_wall_seconds"])
    assert datetime.fromisoformat(sla["resolution"]["due_at"]) == expected
    assert expected - due_before == timedelta(seconds=sla["paused_business_seconds"])

    # Closing: only once resolved; the requester confirms; nothing is added after.
    assert "resolve it first" in problem(ana.post(f"/tickets/{tid}/status", json={"status": "closed"}), 409)
    assert "only reopen or close" in problem(rita.post(f"/tickets/{tid}/status", json={"status": "resolved"}), 403)
    resolved = ok(ana.post(f"/tickets/{tid}/status", json={"status": "resolved", "note": "Fixed the feeder."}))
    assert resolved["sla"]["paused"] is True  # waiting for the requester's word does not count
    closed = ok(rita.post(f"/tickets/{tid}/status", json={"status": "closed"}))
    assert closed["status"] == "closed"
    assert closed["closed_at"]
    assert "closed" in problem(rita.post(f"/tickets/{tid}/comments", json={"body": "thanks"}), 409)
    assert "closed" in problem(rita.post(f"/tickets/{tid}/attachments", json={"document_ids": ["late"]}), 409)
    assert "cannot go from closed" in problem(ana.post(f"/tickets/{tid}/status", json={"status": "open"}), 409)
    resolved_events = events_about(nats_server.url, "helpdesk.ticket_resolved", lambda e: e.subject == tid)
    assert len(resolved_events) == 1
    assert resolved_events[0].data["kind"] == "incident"
    mine = {t["id"] for t in ok(admin.get("/tickets", params={"limit": 500}))["items"]}
    opened_events = events_about(nats_server.url, "helpdesk.ticket_opened", lambda e: e.subject in mine, 16)
    # each hire above opened its onboarding ticket too
    assert Counter(e.data["kind"] for e in opened_events) == {"incident": 10, "onboarding": 6}

    # History: agents see everything, the requester only what concerns them.
    agent_view = [h["action"] for h in ok(ben.get(f"/tickets/{tid}/history"))["items"]]
    requester_view = [h["action"] for h in ok(rita.get(f"/tickets/{tid}/history"))["items"]]
    assert agent_view[-2:] == ["assigned", "opened"]
    assert "assigned" not in requester_view
    assert requester_view.count("status") == 5  # open, pending, open, resolved, closed

    # A priority change takes that priority's targets (no policy for high: no SLA).
    other = first[1]
    changed = ok(ben.post(f"/tickets/{other['id']}/priority", json={"priority": "high", "reason": "the CEO's"}))
    assert changed["priority"] == "high"
    assert changed["sla"] is None
    # The requester sees the priority move, not the agent's reason for it.
    (seen,) = [
        h["detail"] for h in ok(rita.get(f"/tickets/{other['id']}/history"))["items"] if h["action"] == "priority"
    ]
    assert seen == {"before": "normal", "after": "high"}
    (kept,) = [
        h["detail"] for h in ok(ben.get(f"/tickets/{other['id']}/history"))["items"] if h["action"] == "priority"
    ]
    assert kept == {"before": "normal", "after": "high", "reason": "the CEO's"}
