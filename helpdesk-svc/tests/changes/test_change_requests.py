"""Change requests approved by someone other than who asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import Staff, ok, problem


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
    assert approved["status"] == "approved"
    assert approved["decided_by"] != approved["requested_by"]
    assert "requested" in problem(lea.post(f"/changes/{change['id']}/decision", json={"decision": "approve"}), 409)
    done = ok(bob.post(f"/changes/{change['id']}/implemented", json={"note": "Took 40 minutes"}))
    assert done["status"] == "implemented"
    assert done["implementation_note"] == "Took 40 minutes"
    assert "team leads" in problem(
        bob.post(f"/changes/{change['id']}/review", json={"outcome": "successful", "notes": "ok"}), 403
    )
    reviewed = ok(lea.post(f"/changes/{change['id']}/review", json={"outcome": "successful", "notes": "No incident"}))
    assert reviewed["status"] == "reviewed"
    assert reviewed["review_outcome"] == "successful"

    # Anyone may propose a change; a lead rejects it with a reason; the proposer sees only their own.
    idea = ok(emma.post("/changes", json={**body, "title": "Dark mode for the intranet", "risk": "low"}), 201)
    rejected = ok(ada.post(f"/changes/{idea['id']}/decision", json={"decision": "reject", "note": "Not this year"}))
    assert rejected["status"] == "rejected"
    assert rejected["decision_note"] == "Not this year"
    assert [c["title"] for c in ok(emma.get("/changes"))["items"]] == ["Dark mode for the intranet"]
    assert ok(bob.get("/changes", params={"status": "reviewed"}))["total"] == 1
