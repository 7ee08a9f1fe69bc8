"""Change requests approved by someone other than who asked; the switchboard: a call transferred twice and
ending in a message that reaches the person (``helpdesk.call_message_taken``), missed calls, the report, and
who may do what (office staff run it, staff see their own calls and messages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import TODAY, Staff, events_about, ok, problem


def test_change_requests_follow_their_approval_rules(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    ada, bob, lea = staff.hire("ada", "bob", "lea", roles=("employee", "it_agent"))
    (emma,) = staff.hire("emma")
    team = ok(staff.admin.post("/teams", json={"name": "Infrastructure", "is_default": True}), 201)
    for member, lead in (("ada", True), ("bob", False), ("lea", True)):
        ok(staff.admin.post(f"/teams/{team['id']}/members", json={"employee_id": member, "is_lead": lead}))

    soon = datetime.now(UTC) + timedelta(days=2)
    body = {
        "title": "Upgrade the mail server",
        "description": "Move to the supported release",
        "affected_system": "mail",
        "risk": "medium",
        "planned_start": soon.isoformat(),
        "planned_end": (soon + timedelta(hours=2)).isoformat(),
    }
    assert "planned_end" in problem(ada.post("/changes", json={**body, "planned_end": body["planned_start"]}), 422)
    assert "rollback_plan" in problem(ada.post("/changes", json={**body, "risk": "high"}), 422)
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert "in the past" in problem(ada.post("/changes", json={**body, "planned_start": past}), 422)
    change = ok(ada.post("/changes", json=body), 201)
    assert change["status"] == "requested"
    # ada leads a team but asked for it herself; bob is no lead; emma is not even an agent.
    assert "someone else" in problem(ada.post(f"/changes/{change['id']}/decision", json={"decision": "approve"}), 403)
    assert "team leads" in problem(bob.post(f"/changes/{change['id']}/decision", json={"decision": "approve"}), 403)
    assert problem(emma.get(f"/changes/{change['id']}"), 404)
    assert "implemented only when approved" in problem(ada.post(f"/changes/{change['id']}/implemented", json={}), 409)
    assert "why" in problem(lea.post(f"/changes/{change['id']}/decision", json={"decision": "reject"}), 422)
    approved = ok(lea.post(f"/changes/{change['id']}/decision", json={"decision": "approve", "note": "Go."}))
    assert approved["status"] == "approved" and approved["decided_by"] != approved["requested_by"]
    assert "requested" in problem(lea.post(f"/changes/{change['id']}/decision", json={"decision": "approve"}), 409)
    done = ok(bob.post(f"/changes/{change['id']}/implemented", json={"note": "Took 40 minutes"}))
    assert done["status"] == "implemented" and done["implementation_note"] == "Took 40 minutes"
    assert "team leads" in problem(
        bob.post(f"/changes/{change['id']}/review", json={"outcome": "successful", "notes": "ok"}), 403
    )
    reviewed = ok(lea.post(f"/changes/{change['id']}/review", json={"outcome": "successful", "notes": "No incident"}))
    assert reviewed["status"] == "reviewed" and reviewed["review_outcome"] == "successful"

    # Anyone may propose a change; a lead rejects it with a reason; the proposer sees only their own.
    idea = ok(emma.post("/changes", json={**body, "title": "Dark mode for the intranet", "risk": "low"}), 201)
    rejected = ok(ada.post(f"/changes/{idea['id']}/decision", json={"decision": "reject", "note": "Not this year"}))
    assert rejected["status"] == "rejected" and rejected["decision_note"] == "Not this year"
    assert [c["title"] for c in ok(emma.get("/changes"))["items"]] == ["Dark mode for the intranet"]
    assert ok(bob.get("/changes", params={"status": "reviewed"}))["total"] == 1


def test_a_call_transferred_twice_ends_in_a_message_that_reaches_the_person(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service("helpdesk")
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    (olga,) = staff.hire("olga", roles=("employee", "office"))
    xavi, yara, zoe = staff.hire("xavi", "yara", "zoe")
    (agent,) = staff.hire("ian", roles=("employee", "it_agent"))

    # The directory: the office gives extensions, people set their own availability.
    ok(olga.put("/directory/xavi/extension", json={"extension": "201"}))
    assert "belongs to Xavi Tester" in problem(olga.put("/directory/yara/extension", json={"extension": "201"}), 409)
    assert "office" in problem(xavi.put("/directory/yara/extension", json={"extension": "202"}), 403)
    assert "only the person" in problem(xavi.put("/directory/zoe/availability", json={"availability": "away"}), 403)
    ok(zoe.put("/directory/zoe/availability", json={"availability": "away", "note": "at the dentist"}))
    assert ok(xavi.get("/directory", params={"q": "201"}))["items"][0]["employee_id"] == "xavi"

    # Only the office logs calls, and only for people in the directory.
    assert "office" in problem(agent.post("/calls", json={"caller_name": "A", "asked_for_employee_id": "xavi"}), 403)
    assert "does not exist" in problem(
        olga.post("/calls", json={"caller_name": "A", "asked_for_employee_id": "nobody"}), 404
    )
    call = ok(
        olga.post(
            "/calls",
            json={"caller_name": "Mrs Client", "caller_number": "+33 1 23 45 67 89", "asked_for_employee_id": "xavi"},
        ),
        201,
    )
    assert call["status"] == "connected" and call["holder_employee_id"] == "xavi"
    # xavi passes it to yara, who passes it to zoe, who is away.
    assert "does not exist" in problem(
        xavi.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "ghost"}), 404
    )
    assert "transfers it" in problem(zoe.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "zoe"}), 403)
    ok(xavi.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "yara"}))
    after = ok(yara.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "zoe"}))
    assert [(h["from_employee_id"], h["to_employee_id"], h["outcome"]) for h in after["path"]] == [
        (None, "xavi", "connected"),
        ("xavi", "yara", "connected"),
        ("yara", "zoe", "unavailable"),
    ]
    assert "office" in problem(yara.post(f"/calls/{call['id']}/message", json={"body": "x"}), 403)
    ended = ok(
        olga.post(
            f"/calls/{call['id']}/message",
            json={"body": "Please call back about the invoice", "callback_requested": True},
        )
    )
    assert ended["status"] == "message_taken" and ended["message"]["for_employee_id"] == "zoe"
    assert "message_taken" in problem(olga.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "xavi"}), 409)
    (event,) = events_about(nats_server.url, "helpdesk.call_message_taken", lambda e: e.data["call_id"] == call["id"])
    assert event.data["for_employee_id"] == "zoe" and event.data["for_email"] == "zoe@example.com"
    assert event.data["caller_name"] == "Mrs Client" and event.data["callback_requested"] is True

    # The message reaches zoe, and only her; the path is visible to those on it.
    (message,) = ok(zoe.get("/messages", params={"unread": True}))["items"]
    assert message["body"] == "Please call back about the invoice" and message["caller_number"] == "+33 1 23 45 67 89"
    assert ok(xavi.get("/messages"))["items"] == []
    assert "person they were taken for" in problem(xavi.get("/messages", params={"for_employee_id": "zoe"}), 403)
    assert problem(xavi.post(f"/messages/{message['id']}/read"), 404)
    assert ok(yara.get(f"/calls/{call['id']}"))["id"] == call["id"]
    assert problem(agent.get(f"/calls/{call['id']}"), 404)

    # A call for someone away that ends without a message is a missed call.
    missed = ok(olga.post("/calls", json={"caller_name": "Supplier", "asked_for_employee_id": "zoe"}), 201)
    assert missed["status"] == "waiting" and missed["holder_employee_id"] is None
    assert ok(olga.post(f"/calls/{missed['id']}/end"))["status"] == "missed"
    report = ok(olga.get("/switchboard/report", params={"date_from": TODAY.isoformat()}))
    assert (report["calls"], report["missed_calls"], report["messages_taken"], report["unread_messages"]) == (
        2,
        1,
        1,
        1,
    )
    people = {p["employee_id"]: p for p in report["people"]}
    assert (people["zoe"]["calls"], people["zoe"]["missed"], people["zoe"]["unread_messages"]) == (2, 2, 1)
    assert (people["xavi"]["connected"], people["yara"]["connected"]) == (1, 1)
    assert "office" in problem(zoe.get("/switchboard/report", params={"date_from": TODAY.isoformat()}), 403)
    assert ok(zoe.post(f"/messages/{message['id']}/read"))["read_at"] is not None
    again = ok(olga.get("/switchboard/report", params={"date_from": TODAY.isoformat()}))
    assert again["unread_messages"] == 0
    assert ok(zoe.get("/calls"))["total"] == 2 and ok(olga.get("/calls"))["total"] == 2
