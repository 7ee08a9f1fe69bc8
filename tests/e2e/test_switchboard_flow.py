"""Flow 5: a caller asks for a staff member; the call is transferred twice (the second time to someone away) and
the office takes a message. The message reaches its recipient: in their messages, filed as a document for them,
and e-mailed to them (received by a real SMTP server)."""

from __future__ import annotations

from typing import Any

from e2ekit import TODAY, Company, User, attachments, ok, pdf_text, wait_for


def test_a_call_transferred_twice_ends_with_a_message_that_reaches_its_recipient(company: Company) -> None:
    bo, office, manager = company.bo, company.office, company.manager
    sales = bo.department("Field sales")
    eve, frank, grace = (
        bo.hire_and_activate(given, family, department_id=sales, manager_id=manager.employee_id)
        for given, family in (("Eve", "Early"), ("Frank", "Forward"), ("Grace", "Away"))
    )

    def in_directory(user: User) -> bool:
        return office.get(f"/api/helpdesk/directory/{user.employee_id}").status_code == 200

    wait_for(lambda: all(in_directory(u) for u in (eve, frank, grace)), "the three in the staff directory")
    # Grace is out this afternoon: she says so herself.
    away = ok(grace.put(f"/api/helpdesk/directory/{grace.employee_id}/availability", json={"availability": "away"}))
    assert away["availability"] == "away"

    # The office logs the call for Eve, who takes it; she passes it to Frank, who passes it to Grace.
    call = ok(
        office.post(
            "/api/helpdesk/calls",
            json={
                "caller_name": "Mrs Client",
                "caller_number": "+44 20 7946 0000",
                "asked_for_employee_id": eve.employee_id,
            },
        ),
        201,
    )
    assert call["status"] == "connected"
    assert call["holder_employee_id"] == eve.employee_id
    call = ok(eve.post(f"/api/helpdesk/calls/{call['id']}/transfers", json={"to_employee_id": frank.employee_id}))
    assert call["holder_employee_id"] == frank.employee_id
    call = ok(frank.post(f"/api/helpdesk/calls/{call['id']}/transfers", json={"to_employee_id": grace.employee_id}))
    assert call["holder_employee_id"] == frank.employee_id  # Grace is away: Frank still has the caller
    assert [(h["from_employee_id"], h["to_employee_id"], h["outcome"]) for h in call["path"]] == [
        (None, eve.employee_id, "connected"),
        (eve.employee_id, frank.employee_id, "connected"),
        (frank.employee_id, grace.employee_id, "unavailable"),
    ]

    # The office takes a message: it is for the last person tried, Grace.
    body = "Please call back about the renewal of contract 2291 before Friday."
    call = ok(office.post(f"/api/helpdesk/calls/{call['id']}/message", json={"body": body, "callback_requested": True}))
    assert call["status"] == "message_taken"
    assert call["message"]["for_employee_id"] == grace.employee_id

    # It reaches Grace: in her messages (not Eve's or Frank's), as a document for her, and by e-mail.
    unread = ok(grace.get("/api/helpdesk/messages", params={"unread": "true"}))["items"]
    assert len(unread) == 1
    message = unread[0]
    assert (message["caller_name"], message["body"], message["callback_requested"]) == ("Mrs Client", body, True)
    assert ok(eve.get("/api/helpdesk/messages"))["items"] == []
    assert ok(frank.get("/api/helpdesk/messages"))["items"] == []

    def filed() -> list[dict[str, Any]]:
        return list(ok(grace.get("/api/docs/documents", params={"type": "call_message"}))["items"])

    documents = wait_for(filed, "the call message filed for Grace")
    assert len(documents) == 1
    assert documents[0]["employee_id"] == grace.employee_id
    assert "renewal of contract 2291" in pdf_text(
        grace.get(f"/api/docs/documents/{documents[0]['id']}/content").content
    )
    assert eve.get(f"/api/docs/documents/{documents[0]['id']}").status_code == 404

    email = bo.email("Grace", "Away")
    mails = wait_for(lambda: company.mail.to(email), "the message by e-mail")
    (name, pdf), *others = attachments(mails[0])
    assert not others
    assert name.endswith(".pdf")
    assert "Mrs Client" in pdf_text(pdf)
    assert "Mrs Client" in str(mails[0]["Subject"])
    assert company.mail.to(bo.email("Eve", "Early")) == []
    assert company.mail.to(bo.email("Frank", "Forward")) == []

    # Grace reads it. Counting: one call, one message, one document, one e-mail.
    assert ok(grace.post(f"/api/helpdesk/messages/{message['id']}/read"))["read_at"] is not None
    assert ok(grace.get("/api/helpdesk/messages", params={"unread": "true"}))["items"] == []
    report = ok(office.get("/api/helpdesk/switchboard/report", params={"date_from": TODAY.isoformat()}))
    people = {p["employee_id"]: p for p in report["people"]}
    assert [(people[u.employee_id]["connected"], people[u.employee_id]["missed"]) for u in (eve, frank, grace)] == [
        (1, 0),
        (1, 0),
        (0, 1),
    ]
    assert (people[grace.employee_id]["messages"], people[grace.employee_id]["unread_messages"]) == (1, 0)
    calls = ok(office.get("/api/helpdesk/calls", params={"employee_id": grace.employee_id}))
    assert calls["total"] == 1
    assert calls["items"][0]["id"] == call["id"]
    assert len(ok(grace.get("/api/helpdesk/messages"))["items"]) == 1
    assert len(filed()) == 1
    assert len(company.mail.to(email)) == 1
