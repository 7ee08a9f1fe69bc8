"""A document attached to a helpdesk ticket, with the real helpdesk and docs services and the events between them:
the ticket's people read it (the requester, the assignee, the team's members; every agent while it has no team),
nobody else does, and the readers follow the ticket when it moves; unknown ids, and documents someone else filed,
are refused when attached."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, publish, wait_for
from docskit import ok, problem, upload


def hired(employee_id: str, roles: list[str], hired_by: str) -> Envelope:
    data = hr.EmployeeHired(
        hired_by=hired_by,  # the gateway gives a login only the roles its author may grant (an admin: any)
        employee_id=employee_id,
        given_name=employee_id.split("-")[0].capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department="Operations",
        start_date=date.today() - timedelta(days=100),
        roles=roles,
    )
    return Envelope.new(hr.EmployeeHired.TYPE, source="hr", subject=employee_id, data=data)


def test_ticket_people_read_its_attachments_and_nobody_else(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, tmp_path: Path
) -> None:
    helpdesk = start_service("helpdesk")
    docs = start_service("docs", env={"BACKOFFICE_DOCS_STORAGE_DIR": str(tmp_path / "files")})
    g = gateway_client
    admin = httpx.Client(base_url=helpdesk.url, headers=g.auth(g.admin_token), timeout=30)
    agents, employees = ["ana", "ben", "lea", "max"], ["rita", "eve"]
    author = str(g.client.get("/auth/me", headers=g.auth(g.admin_token)).json()["id"])
    publish(nats_server.url, *(hired(a, ["employee", "it_agent"], author) for a in agents))
    publish(nats_server.url, *(hired(e, ["employee"], author) for e in employees))
    wait_for(lambda: all(admin.get(f"/directory/{p}").status_code == 200 for p in agents + employees), "the staff")

    class Person:
        def __init__(self, employee_id: str):
            headers = g.auth(g.activate_employee(employee_id))
            self.desk = httpx.Client(base_url=helpdesk.url, headers=headers, timeout=30)
            self.docs = httpx.Client(base_url=docs.url, headers=headers, timeout=30)

        def reads(self, document_id: str) -> bool:
            return self.docs.get(f"/documents/{document_id}/content").status_code == 200

    ana, ben, lea, max_, rita, eve = (Person(p) for p in agents + employees)
    desk = ok(admin.post("/teams", json={"name": "Desk", "categories": ["hardware"]}), 201)
    network = ok(admin.post("/teams", json={"name": "Network", "categories": ["network"]}), 201)
    ok(admin.post(f"/teams/{desk['id']}/members", json={"employee_id": "ana"}))
    ok(admin.post(f"/teams/{network['id']}/members", json={"employee_id": "ben"}))

    photo = ok(upload(rita.docs, b"a photo of the error", "error.txt", title="The error"), 201)["id"]
    secret = ok(upload(eve.docs, b"eve's own papers", "eve.txt", title="Eve's"), 201)["id"]

    def once_known(call: Callable[[], httpx.Response]) -> httpx.Response:
        """The answer once the helpdesk has read docs' events (a refused call changes nothing)."""
        answer: httpx.Response = wait_for(
            lambda: (r := call()).status_code != 422 and r, "docs' filings to be known by the helpdesk"
        )
        return answer

    laptop = {"category": "hardware", "subject": "Laptop shows an error"}
    unknown = problem(rita.desk.post("/tickets", json={**laptop, "attachments": ["does-not-exist-123"]}), 422)
    assert "does-not-exist-123 is not a document you filed" in unknown
    ticket = ok(once_known(lambda: rita.desk.post("/tickets", json={**laptop, "attachments": [photo]})), 201)
    assert ticket["team_id"] == desk["id"]
    assert ticket["assignee_employee_id"] == "ana"
    # Eve's document cannot be pulled into rita's ticket, known or not; the refusal does not say which.
    wait_for(lambda: eve.desk.post("/tickets", json={**laptop, "attachments": [secret]}).status_code == 201, "eve's")
    taken = problem(rita.desk.post(f"/tickets/{ticket['id']}/attachments", json={"document_ids": [secret]}), 422)
    assert f"{secret} is not a document you filed" in taken

    # The assignee reads it (and lists it), read only; an agent of another team and a colleague do not.
    wait_for(lambda: ana.reads(photo), "the assignee to read the attachment")
    assert ok(ana.docs.get(f"/documents/{photo}"))["title"] == "The error"
    assert photo in [d["id"] for d in ok(ana.docs.get("/documents"))["items"]]
    assert "not change it" in problem(ana.docs.patch(f"/documents/{photo}", json={"title": "x"}), 403)
    assert problem(ben.docs.get(f"/documents/{photo}/content"), 404)
    assert photo not in [d["id"] for d in ok(ben.docs.get("/documents"))["items"]]
    assert problem(eve.docs.get(f"/documents/{photo}/content"), 404)
    assert not ben.reads(secret)  # eve's ticket went to the desk too: ana reads eve's document, ben does not
    assert wait_for(lambda: ana.reads(secret), "eve's attachment for the desk")

    # A new member of the desk reads the desk's tickets' documents.
    ok(admin.post(f"/teams/{desk['id']}/members", json={"employee_id": "lea"}))
    wait_for(lambda: lea.reads(photo), "the new member to read it")

    # The ticket moves to the network team and to ben: they read it now, the desk no longer does.
    ok(admin.post(f"/tickets/{ticket['id']}/assignee", json={"team_id": network["id"], "employee_id": "ben"}))
    wait_for(lambda: ben.reads(photo) and not ana.reads(photo) and not lea.reads(photo), "the readers to follow")
    assert rita.reads(photo)
    assert not max_.reads(photo)
    assert not eve.reads(photo)

    # A later attachment follows the same readers; a ticket no team takes is read by every agent.
    log = ok(upload(rita.docs, b"the log", "log.txt", title="Log"), 201)["id"]
    ok(once_known(lambda: rita.desk.post(f"/tickets/{ticket['id']}/attachments", json={"document_ids": [log]})))
    wait_for(lambda: ben.reads(log), "the later attachment")
    assert not ana.reads(log)
    assert not eve.reads(log)
    scan = ok(upload(rita.docs, b"a scan", "scan.txt", title="Scan"), 201)["id"]
    printer = {"category": "printers", "subject": "Printer jammed"}
    loose = ok(once_known(lambda: rita.desk.post("/tickets", json={**printer, "attachments": [scan]})), 201)
    assert loose["team_id"] is None
    wait_for(lambda: max_.reads(scan) and ana.reads(scan), "every agent to read an unrouted ticket's document")
    assert not eve.reads(scan)
