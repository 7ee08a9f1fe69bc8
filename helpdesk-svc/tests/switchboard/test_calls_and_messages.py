"""The switchboard: a call transferred twice and ending in a message that reaches the person
(``helpdesk.call_message_taken``), missed calls, the report, and who may do what (office staff run it, staff see
their own calls and messages)."""

from __future__ import annotations

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import TODAY, Staff, events_about, ok, problem


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
    assert call["status"] == "connected"
    assert call["holder_employee_id"] == "xavi"
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
    assert ended["status"] == "message_taken"
    assert ended["message"]["for_employee_id"] == "zoe"
    assert "message_taken" in problem(olga.post(f"/calls/{call['id']}/transfers", json={"to_employee_id": "xavi"}), 409)
    (event,) = events_about(nats_server.url, "helpdesk.call_message_taken", lambda e: e.data["call_id"] == call["id"])
    assert event.data["for_employee_id"] == "zoe"
    assert event.data["for_email"] == "zoe@example.com"
    assert event.data["caller_name"] == "Mrs Client"
    assert event.data["callback_requested"] is True

    # The message reaches zoe, and only her; the path is visible to those on it.
    (message,) = ok(zoe.get("/messages", params={"unread": True}))["items"]
    assert message["body"] == "Please call back about the invoice"
    assert message["caller_number"] == "+33 1 23 45 67 89"
    assert ok(xavi.get("/messages"))["items"] == []
    assert "person they were taken for" in problem(xavi.get("/messages", params={"for_employee_id": "zoe"}), 403)
    assert problem(xavi.post(f"/messages/{message['id']}/read"), 404)
    assert ok(yara.get(f"/calls/{call['id']}"))["id"] == call["id"]
    assert problem(agent.get(f"/calls/{call['id']}"), 404)

    # A call for someone away that ends without a message is a missed call.
    missed = ok(olga.post("/calls", json={"caller_name": "Supplier", "asked_for_employee_id": "zoe"}), 201)
    assert missed["status"] == "waiting"
    assert missed["holder_employee_id"] is None
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
    assert ok(zoe.get("/calls"))["total"] == 2
    assert ok(olga.get("/calls"))["total"] == 2
