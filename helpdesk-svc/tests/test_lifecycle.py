"""Joiners and leavers from HR's real events, each delivered twice: one onboarding ticket due before the start
date, one offboarding ticket due on the last day listing every asset the person holds (and not resolvable
until they are back), each moved rather than opened again when HR publishes the news again; a deadline
missed escalates the ticket to the team lead once, with ``helpdesk.sla_breached``; equipment keeps its
assignment history."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from helpdeskkit import TODAY, Staff, events_about, hired, ok, problem, publish, terminated, wait_for

ZONE = "Europe/Paris"


def test_onboarding_offboarding_equipment_and_breach_escalation(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    helpdesk = start_service(
        "helpdesk",
        env={"BACKOFFICE_HELPDESK_SLA_CHECK_INTERVAL_S": "0.3", "BACKOFFICE_COMPANY_TIMEZONE": ZONE},
    )
    staff = Staff(gateway_client, helpdesk.url, nats_server.url)
    admin = staff.admin
    ivo, lea = staff.hire("ivo", "lea", roles=("employee", "it_agent"))
    (boss,) = staff.hire("boss", roles=("employee", "manager"))
    team = ok(admin.post("/teams", json={"name": "People IT", "categories": ["onboarding", "offboarding"]}), 201)
    ok(admin.post(f"/teams/{team['id']}/members", json={"employee_id": "ivo"}))
    ok(admin.post(f"/teams/{team['id']}/members", json={"employee_id": "lea", "is_lead": True}))
    ok(lea.patch("/agents/lea", json={"available": False}))  # leads are escalated to, not dealt tickets

    # A joiner starting next week: the event arrives twice, one ticket, due when the start date begins.
    start = TODAY + timedelta(days=7)
    joiner = hired("nora", start=start, manager_id="boss", position="Analyst", department="Finance")
    publish(nats_server.url, joiner, joiner)
    tickets = wait_for(
        lambda: ok(ivo.get("/tickets", params={"about_employee_id": "nora"}))["items"], "nora's onboarding ticket"
    )
    publish(nats_server.url, joiner)  # a third delivery, after the first was handled
    (onboarding,) = ok(ivo.get("/tickets", params={"about_employee_id": "nora"}))["items"]
    assert len(tickets) == 1 and onboarding["kind"] == "onboarding"
    assert onboarding["team_id"] == team["id"] and onboarding["assignee_employee_id"] == "ivo"
    assert onboarding["requester_employee_id"] == "boss" and "Analyst, Finance" in onboarding["description"]
    due = datetime.fromisoformat(onboarding["sla"]["resolution"]["due_at"])
    assert due == datetime.combine(start, time(0), tzinfo=ZoneInfo(ZONE))
    assert ok(boss.get(f"/tickets/{onboarding['id']}"))["id"] == onboarding["id"]  # the manager asked for it
    nora = staff.login("nora")
    assert ok(nora.get("/tickets"))["total"] == 0  # the joiner is not the requester
    # HR publishes the hire again (new events): the same news changes nothing; a later start date (here with a new
    # position) moves the open ticket's due date, subject and description rather than opening a second ticket.
    later = start + timedelta(days=3)
    again = hired("nora", start=start, manager_id="boss", position="Analyst", department="Finance")
    moved = hired("nora", start=later, manager_id="boss", position="Senior Analyst", department="Treasury")
    publish(nats_server.url, again, moved, moved)

    later_due = datetime.combine(later, time(0), tzinfo=ZoneInfo(ZONE))

    def rescheduled() -> list[dict]:
        items = ok(ivo.get("/tickets", params={"about_employee_id": "nora"}))["items"]
        due_at = items[0]["sla"]["resolution"]["due_at"] if items else None
        return items if due_at and datetime.fromisoformat(due_at) == later_due else []

    (onboarding,) = wait_for(rescheduled, "nora's onboarding ticket to follow her new start date")
    assert onboarding["subject"].endswith(f"starts on {later.isoformat()}")
    # the description is written again as it is when a ticket opens: new date, new position
    assert onboarding["description"] == (
        f"Nora Tester (nora@example.com) joins as Senior Analyst, Treasury on {later.isoformat()}.\n"
        "- create their accounts and mailbox\n- grant the access their role needs\n"
        "- prepare and assign their equipment"
    )
    moves = [
        h["detail"]
        for h in ok(ivo.get(f"/tickets/{onboarding['id']}/history"))["items"]
        if h["action"] == "rescheduled"
    ]
    assert moves == [
        {
            "due_before": datetime.combine(start, time(0), tzinfo=ZoneInfo(ZONE)).astimezone(UTC).isoformat(),
            "due_after": later_due.astimezone(UTC).isoformat(),
        }
    ]

    # A late hire: the start date has passed, so the ticket is breached at once and escalated to the lead.
    late = hired("otto", start=TODAY - timedelta(days=2))
    publish(nats_server.url, late, late)

    def escalated() -> dict | None:
        items = ok(ivo.get("/tickets", params={"about_employee_id": "otto"}))["items"]
        return items[0] if items and items[0]["sla"]["resolution"]["breached_at"] else None

    ticket = wait_for(escalated, "the SLA check to escalate otto's ticket")
    assert ticket["priority"] == "high" and ticket["assignee_employee_id"] == "lea"
    assert ticket["sla"]["resolution"]["breached"] is True
    breaches = events_about(nats_server.url, "helpdesk.sla_breached", lambda e: e.subject == ticket["id"])
    assert len(breaches) == 1
    assert breaches[0].data["metric"] == "resolution" and breaches[0].data["escalated_to_employee_id"] == "lea"
    assert breaches[0].data["priority_before"] == "normal" and breaches[0].data["priority_after"] == "high"
    assert ok(ivo.get("/tickets", params={"breached": True, "about_employee_id": "otto"}))["total"] == 1
    history = ok(ivo.get(f"/tickets/{ticket['id']}/history"))["items"]
    assert [h["action"] for h in history].count("sla_breached") == 1

    # Equipment: registered, handed out, history kept; bad input answered.
    laptop = ok(
        ivo.post(
            "/assets",
            json={
                "tag": "LT-001",
                "type": "laptop",
                "serial": "SN-A1",
                "model": "ThinkPad T14",
                "purchase_date": (TODAY - timedelta(days=400)).isoformat(),
                "warranty_end": (TODAY + timedelta(days=300)).isoformat(),
            },
        ),
        201,
    )
    phone = ok(ivo.post("/assets", json={"tag": "PH-007", "type": "phone", "serial": "SN-P7", "model": "Pixel"}), 201)
    spare = ok(ivo.post("/assets", json={"tag": "MN-003", "type": "monitor", "serial": "SN-M3", "model": "U27"}), 201)
    assert "exists" in problem(
        ivo.post("/assets", json={"tag": "LT-001", "type": "laptop", "serial": "other", "model": "x"}), 409
    )
    assert "warranty_end" in problem(
        ivo.post(
            "/assets",
            json={
                "tag": "X",
                "type": "x",
                "serial": "x",
                "model": "x",
                "purchase_date": "2026-01-02",
                "warranty_end": "2026-01-01",
            },
        ),
        422,
    )
    assert "agents" in problem(boss.post("/assets", json={"tag": "Y", "type": "y", "serial": "y", "model": "y"}), 403)
    for asset in (laptop, phone):
        ok(ivo.post(f"/assets/{asset['id']}/assign", json={"employee_id": "nora"}))
    assert "assigned" in problem(ivo.post(f"/assets/{laptop['id']}/assign", json={"employee_id": "boss"}), 409)
    assert "does not exist" in problem(ivo.post(f"/assets/{spare['id']}/assign", json={"employee_id": "ghost"}), 404)
    assert {a["tag"] for a in ok(nora.get("/assets"))["items"]} == {"LT-001", "PH-007"}  # her own only
    assert problem(nora.get(f"/assets/{spare['id']}"), 404)

    # The leaver: offboarding once, due by the end of the last day, listing what she holds.
    last_day = TODAY + timedelta(days=20)
    leaving = terminated("nora", last_day)
    publish(nats_server.url, leaving, leaving)
    offboarding = wait_for(
        lambda: ok(ivo.get("/tickets", params={"about_employee_id": "nora", "kind": "offboarding"}))["items"],
        "nora's offboarding ticket",
    )
    assert len(offboarding) == 1
    off = ok(ivo.get(f"/tickets/{offboarding[0]['id']}"))
    assert off["priority"] == "high" and "LT-001: laptop ThinkPad T14 (serial SN-A1)" in off["description"]
    assert "PH-007" in off["description"] and "MN-003" not in off["description"]
    assert [a["tag"] for a in off["assets_to_return"]] == ["LT-001", "PH-007"]
    assert datetime.fromisoformat(off["sla"]["resolution"]["due_at"]) == datetime.combine(
        last_day + timedelta(days=1), time(0), tzinfo=ZoneInfo(ZONE)
    )
    assert ok(boss.get(f"/tickets/{off['id']}"))["assets_to_return"] is None  # the asset list is for agents
    # The termination published again with a later last day: the same ticket, due a day later.
    publish(nats_server.url, terminated("nora", last_day), terminated("nora", last_day + timedelta(days=1)))
    new_due = datetime.combine(last_day + timedelta(days=2), time(0), tzinfo=ZoneInfo(ZONE))
    wait_for(
        lambda: datetime.fromisoformat(ok(ivo.get(f"/tickets/{off['id']}"))["sla"]["resolution"]["due_at"]) == new_due,
        "nora's offboarding ticket to follow her new last day",
    )
    assert ok(ivo.get("/tickets", params={"about_employee_id": "nora", "kind": "offboarding"}))["total"] == 1
    moved_off = ok(ivo.get(f"/tickets/{off['id']}"))
    new_last_day = (last_day + timedelta(days=1)).isoformat()
    assert moved_off["subject"] == f"Offboarding: Nora Tester leaves on {new_last_day}"
    assert moved_off["description"] == (
        f"Nora Tester (nora@example.com) leaves on {new_last_day}.\n"
        "- revoke every account and access\n- collect the equipment assigned to them:\n"
        "- LT-001: laptop ThinkPad T14 (serial SN-A1)\n- PH-007: phone Pixel (serial SN-P7)"
    )
    assert "not yet returned: LT-001, PH-007" in problem(
        ivo.post(f"/tickets/{off['id']}/status", json={"status": "resolved"}), 409
    )
    ok(ivo.post(f"/assets/{laptop['id']}/return", json={"condition": "scratched lid"}))
    ok(ivo.post(f"/assets/{phone['id']}/status", json={"status": "lost", "note": "left on a train"}))
    assert ok(ivo.get(f"/tickets/{off['id']}"))["assets_to_return"] == []
    done = ok(ivo.post(f"/tickets/{off['id']}/status", json={"status": "resolved", "note": "All access revoked."}))
    assert done["status"] == "resolved"
    resolved = events_about(nats_server.url, "helpdesk.ticket_resolved", lambda e: e.subject == off["id"])
    assert len(resolved) == 1
    assert resolved[0].data["kind"] == "offboarding" and resolved[0].data["about_employee_id"] == "nora"
    detail = ok(ivo.get(f"/assets/{laptop['id']}"))
    assert detail["status"] == "in_stock" and detail["assigned_employee_id"] is None
    assert [(h["employee_id"], h["return_condition"]) for h in detail["history"]] == [("nora", "scratched lid")]
    assert ok(ivo.get(f"/assets/{phone['id']}"))["status"] == "lost"
    assert {a["tag"] for a in ok(ivo.get("/assets", params={"status": "in_stock"}))["items"]} == {"LT-001", "MN-003"}

    # A termination that overtakes its hire waits for it, then opens the offboarding ticket.
    publish(nats_server.url, terminated("tom", TODAY + timedelta(days=3)))
    publish(nats_server.url, hired("tom"))
    wait_for(
        lambda: ok(ivo.get("/tickets", params={"about_employee_id": "tom", "kind": "offboarding"}))["items"],
        "tom's offboarding ticket after his hire",
    )
    tom = ok(admin.get("/directory/tom"))
    # Named as HR's record names it; the former name stays for one release.
    assert tom["end_date"] == tom["leaves_on"] == (TODAY + timedelta(days=3)).isoformat()

    # An agent who has left is dealt no more tickets.
    publish(nats_server.url, terminated("ivo", TODAY))
    wait_for(lambda: ok(admin.get("/directory/ivo"))["active"] is False, "ivo to leave")
    late_joiner = hired("uma", start=TODAY + timedelta(days=10))
    publish(nats_server.url, late_joiner)
    uma = wait_for(lambda: ok(admin.get("/tickets", params={"about_employee_id": "uma"}))["items"], "uma's ticket")
    assert uma[0]["assignee_employee_id"] is None

    # Leaving today: gone from the directory, no equipment for them any more.
    publish(nats_server.url, terminated("boss", TODAY))
    wait_for(lambda: ok(admin.get("/directory/boss"))["active"] is False, "boss to leave the directory")
    assert "left on" in problem(ivo.post(f"/assets/{spare['id']}/assign", json={"employee_id": "boss"}), 409)
    assert all(m["employee_id"] != "boss" for m in ok(ivo.get("/directory"))["items"])
    onboarded = {t["about_employee_id"] for t in ok(admin.get("/tickets", params={"kind": "onboarding"}))["items"]}
    assert onboarded == {"ivo", "lea", "boss", "nora", "otto", "tom", "uma"}
