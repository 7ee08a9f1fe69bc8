"""Complaints stay between the filer and HR; the event says nothing confidential."""

from __future__ import annotations

import httpx
import pytest
from backoffice.testing import GatewayClient, NatsServer, RunningService, ServiceStarter, events_about
from hrkit import hire_body, ok, problem


@pytest.fixture
def hr(gateway_client: GatewayClient, start_service: ServiceStarter) -> RunningService:
    return start_service("hr")


def test_complaint_is_confidential_investigated_and_closed(
    gateway_client: GatewayClient, hr: RunningService, nats_server: NatsServer
) -> None:
    officer = gateway_client.auth(gateway_client.make_user("officer4", ["hr"]))
    c = httpx.Client(base_url=hr.url)

    def hire(name: str) -> dict[str, str]:
        return ok(c.post("/employees", headers=officer, json=hire_body(name, f"{name.lower()}@example.com")), 201)  # type: ignore[no-any-return]

    admin = gateway_client.auth(gateway_client.make_user("admin4", ["admin"]))

    def hire_as(name: str, roles: list[str]) -> dict[str, str]:  # department roles are an admin's to grant
        body = hire_body(name, f"{name.lower()}@example.com", roles=roles)
        return ok(c.post("/employees", headers=admin, json=body), 201)  # type: ignore[no-any-return]

    filer, accused, bystander = hire("Fay"), hire("Acker"), hire("Bysta")
    investigator, it_agent = hire_as("Ines", ["employee", "hr"]), hire_as("Itzel", ["employee", "it_agent"])
    as_filer = gateway_client.auth(gateway_client.activate_employee(filer["id"]))
    as_accused = gateway_client.auth(gateway_client.activate_employee(accused["id"]))
    as_bystander = gateway_client.auth(gateway_client.activate_employee(bystander["id"]))

    bad = problem(
        c.post(
            "/complaints",
            headers=as_filer,
            json={"against_kind": "person", "against_description": "my team lead", "summary": "x", "details": "y"},
        ),
        422,
    )
    assert "against_employee_id is required" in bad
    assert "yourself" in problem(
        c.post(
            "/complaints",
            headers=as_filer,
            json={
                "against_kind": "person",
                "against_employee_id": filer["id"],
                "against_description": "me",
                "summary": "x",
                "details": "y",
            },
        ),
        422,
    )
    complaint = ok(
        c.post(
            "/complaints",
            headers=as_filer,
            json={
                "against_kind": "person",
                "against_employee_id": accused["id"],
                "against_description": "Acker, sales",
                "withhold_name": True,
                "summary": "Shouting in meetings",
                "details": "On three occasions ...",
            },
        ),
        201,
    )
    assert complaint["status"] == "filed"
    assert complaint["notes"] is None

    # Only the filer and HR: the accused and anyone else are told it does not exist.
    for outsider in (as_accused, as_bystander):
        problem(c.get(f"/complaints/{complaint['id']}", headers=outsider), 404)
        assert ok(c.get("/complaints", headers=outsider))["total"] == 0
        problem(c.post(f"/complaints/{complaint['id']}/notes", headers=outsider, json={"text": "x"}), 403)
    assert ok(c.get(f"/complaints/{complaint['id']}", headers=as_filer))["summary"] == "Shouting in meetings"
    problem(
        c.post(
            f"/complaints/{complaint['id']}/investigator",
            headers=as_filer,
            json={"investigator_id": investigator["id"]},
        ),
        403,
    )

    problem(
        c.post(
            f"/complaints/{complaint['id']}/closing", headers=officer, json={"status": "resolved", "outcome": "talked"}
        ),
        409,
    )
    assert "cannot be the filer" in problem(
        c.post(f"/complaints/{complaint['id']}/investigator", headers=officer, json={"investigator_id": accused["id"]}),
        422,
    )
    # Only an HR officer investigates: an IT agent or a plain employee is refused, and nothing is assigned.
    for outsider_id in (it_agent["id"], bystander["id"]):
        refused = c.post(
            f"/complaints/{complaint['id']}/investigator", headers=officer, json={"investigator_id": outsider_id}
        )
        assert "not an HR officer" in problem(refused, 422)
        # Named as the form's field, so the console shows it beside the investigator.
        assert [e["field"] for e in refused.json()["errors"]] == ["body.investigator_id"]
        assert ok(c.get(f"/complaints/{complaint['id']}", headers=officer))["status"] == "filed"
    unknown = c.post(f"/complaints/{complaint['id']}/investigator", headers=officer, json={"investigator_id": "nobody"})
    assert "does not exist" in problem(unknown, 422)
    assert unknown.json()["errors"][0]["field"] == "body.investigator_id"
    assigned = ok(
        c.post(
            f"/complaints/{complaint['id']}/investigator", headers=officer, json={"investigator_id": investigator["id"]}
        )
    )
    assert assigned["status"] == "investigating"
    noted = ok(
        c.post(
            f"/complaints/{complaint['id']}/notes",
            headers=officer,
            json={"text": "Interviewed two witnesses", "evidence_document_id": "doc-123"},
        ),
        201,
    )
    assert [n["evidence_document_id"] for n in noted["notes"]] == ["doc-123"]
    assert ok(c.get(f"/complaints/{complaint['id']}", headers=as_filer))["notes"] is None, "notes are HR's"
    closed = ok(
        c.post(
            f"/complaints/{complaint['id']}/closing",
            headers=officer,
            json={"status": "resolved", "outcome": "Written warning and coaching"},
        )
    )
    assert closed["status"] == "resolved"
    assert closed["closed_at"]
    problem(c.post(f"/complaints/{complaint['id']}/notes", headers=officer, json={"text": "late"}), 409)
    assert ok(c.get("/complaints", headers=officer, params={"status": "resolved"}))["total"] == 1

    # An HR officer's own complaints, as self-service lists them: only those they filed, not the queue.
    as_investigator = gateway_client.auth(gateway_client.activate_employee(investigator["id"]))
    own = ok(
        c.post(
            "/complaints",
            headers=as_investigator,
            json={"against_kind": "practice", "against_description": "On-call rota", "summary": "s", "details": "d"},
        ),
        201,
    )
    assert ok(c.get("/complaints", headers=as_investigator))["total"] == 2, "HR's queue: every complaint"
    mine = ok(c.get("/complaints", headers=as_investigator, params={"mine": "true"}))
    assert [item["id"] for item in mine["items"]] == [own["id"]]
    assert [i["id"] for i in ok(c.get("/complaints", headers=as_filer, params={"mine": "true"}))["items"]] == [
        complaint["id"]
    ]

    filed = events_about(nats_server.url, "hr.complaint_filed", "HR", lambda e: e.subject == complaint["id"])
    assert len(filed) == 1
    assert filed[0].data == {
        "complaint_id": complaint["id"],
        "against_kind": "person",
        "filed_on": filed[0].data["filed_on"],
    }
    text = filed[0].model_dump_json()
    for secret in ("Shouting", "Acker", filer["id"], accused["id"]):
        assert secret not in text
