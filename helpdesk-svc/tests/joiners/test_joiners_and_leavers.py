"""Joiners and leavers from HR's real events, each delivered more than once: one onboarding ticket due before the
start date, one offboarding ticket due on the last day listing every asset the person holds (and not resolvable
until they are back), each moved rather than opened again when HR publishes the news again; a deadline missed
escalates the ticket to the team lead once, with ``helpdesk.sla_breached``.

The tests share one helpdesk and its People IT team (each test is about people of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from backoffice.testing import NatsServer
from helpdeskkit import (
    TODAY,
    PeopleDesk,
    desk_env,
    events_about,
    gateway_and_helpdesk,
    hired,
    ok,
    people_desk,
    problem,
    publish,
    terminated,
    wait_for,
)

ZONE = "Europe/Paris"


def midnight(day: date) -> datetime:
    """The start of ``day`` in the company's time zone."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(ZONE))


@pytest.fixture(scope="module")
def desk(nats_server: NatsServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PeopleDesk]:
    with gateway_and_helpdesk(nats_server, tmp_path_factory.mktemp("joiners"), desk_env(ZONE)) as (gateway, url):
        yield people_desk(gateway, url, nats_server.url)


def tickets_about(desk: PeopleDesk, employee_id: str, **params: str) -> list[dict[str, Any]]:
    """The tickets about the person, as the team's agent lists them."""
    items: list[dict[str, Any]] = ok(desk.ivo.get("/tickets", params={"about_employee_id": employee_id, **params}))[
        "items"
    ]
    return items


def test_a_joiner_gets_one_onboarding_ticket_due_when_the_start_date_begins(desk: PeopleDesk) -> None:
    start = TODAY + timedelta(days=7)
    joiner = hired("nora", start=start, manager_id="boss", position="Analyst", department="Finance")
    publish(desk.nats_url, joiner, joiner)
    tickets = wait_for(lambda: tickets_about(desk, "nora"), "nora's onboarding ticket")
    publish(desk.nats_url, joiner)  # a third delivery, after the first was handled
    (onboarding,) = tickets_about(desk, "nora")
    assert len(tickets) == 1
    assert onboarding["kind"] == "onboarding"
    assert onboarding["team_id"] == desk.team["id"]
    assert onboarding["assignee_employee_id"] == "ivo"
    assert onboarding["requester_employee_id"] == "boss"
    assert "Analyst, Finance" in onboarding["description"]
    assert datetime.fromisoformat(onboarding["sla"]["resolution"]["due_at"]) == midnight(start)
    assert ok(desk.boss.get(f"/tickets/{onboarding['id']}"))["id"] == onboarding["id"]  # the manager asked for it
    assert ok(desk.staff.login("nora").get("/tickets"))["total"] == 0  # the joiner is not the requester


def test_a_hire_published_again_with_a_later_start_moves_the_open_ticket(desk: PeopleDesk) -> None:
    start = TODAY + timedelta(days=7)
    publish(desk.nats_url, hired("nina", start=start, manager_id="boss", position="Analyst", department="Finance"))
    wait_for(lambda: tickets_about(desk, "nina"), "nina's onboarding ticket")
    # HR publishes the hire again (new events): the same news changes nothing; a later start date (here with a new
    # position) moves the open ticket's due date, subject and description rather than opening a second ticket.
    later = start + timedelta(days=3)
    again = hired("nina", start=start, manager_id="boss", position="Analyst", department="Finance")
    moved = hired("nina", start=later, manager_id="boss", position="Senior Analyst", department="Treasury")
    publish(desk.nats_url, again, moved, moved)

    def rescheduled() -> list[dict[str, Any]]:
        items = tickets_about(desk, "nina")
        due_at = items[0]["sla"]["resolution"]["due_at"] if items else None
        return items if due_at and datetime.fromisoformat(due_at) == midnight(later) else []

    (onboarding,) = wait_for(rescheduled, "nina's onboarding ticket to follow her new start date")
    assert onboarding["subject"].endswith(f"starts on {later.isoformat()}")
    # the description is written again as it is when a ticket opens: new date, new position
    assert onboarding["description"] == (
        f"Nina Tester (nina@example.com) joins as Senior Analyst, Treasury on {later.isoformat()}.\n"
        "- create their accounts and mailbox\n- grant the access their role needs\n"
        "- prepare and assign their equipment"
    )
    history = ok(desk.ivo.get(f"/tickets/{onboarding['id']}/history"))["items"]
    moves = [h["detail"] for h in history if h["action"] == "rescheduled"]
    assert moves == [
        {
            "due_before": midnight(start).astimezone(UTC).isoformat(),
            "due_after": midnight(later).astimezone(UTC).isoformat(),
        }
    ]


def test_a_late_hire_is_breached_at_once_and_escalated_to_the_lead_once(desk: PeopleDesk) -> None:
    late = hired("otto", start=TODAY - timedelta(days=2))
    publish(desk.nats_url, late, late)

    def escalated() -> dict[str, Any] | None:
        items = tickets_about(desk, "otto")
        return items[0] if items and items[0]["sla"]["resolution"]["breached_at"] else None

    ticket = wait_for(escalated, "the SLA check to escalate otto's ticket")
    assert ticket["priority"] == "high"
    assert ticket["assignee_employee_id"] == "lea"
    assert ticket["sla"]["resolution"]["breached"] is True
    breaches = events_about(desk.nats_url, "helpdesk.sla_breached", lambda e: e.subject == ticket["id"])
    assert len(breaches) == 1
    assert breaches[0].data["metric"] == "resolution"
    assert breaches[0].data["escalated_to_employee_id"] == "lea"
    assert breaches[0].data["priority_before"] == "normal"
    assert breaches[0].data["priority_after"] == "high"
    assert ok(desk.ivo.get("/tickets", params={"breached": True, "about_employee_id": "otto"}))["total"] == 1
    history = ok(desk.ivo.get(f"/tickets/{ticket['id']}/history"))["items"]
    assert [h["action"] for h in history].count("sla_breached") == 1


def _equipment_for(desk: PeopleDesk, employee_id: str) -> list[dict[str, Any]]:
    """A laptop and a phone handed to the person (a spare monitor stays in stock), tagged with their id."""
    devices = [
        {"tag": f"LT-{employee_id}", "type": "laptop", "serial": f"SN-A-{employee_id}", "model": "ThinkPad T14"},
        {"tag": f"PH-{employee_id}", "type": "phone", "serial": f"SN-P-{employee_id}", "model": "Pixel"},
    ]
    spare = {"tag": f"MN-{employee_id}", "type": "monitor", "serial": f"SN-M-{employee_id}", "model": "U27"}
    held = [ok(desk.ivo.post("/assets", json=device), 201) for device in devices]
    ok(desk.ivo.post("/assets", json=spare), 201)
    for asset in held:
        ok(desk.ivo.post(f"/assets/{asset['id']}/assign", json={"employee_id": employee_id}))
    return held


def _offboarding(desk: PeopleDesk, employee_id: str) -> dict[str, Any]:
    tickets = wait_for(lambda: tickets_about(desk, employee_id, kind="offboarding"), f"{employee_id}'s offboarding")
    assert len(tickets) == 1
    ticket: dict[str, Any] = ok(desk.ivo.get(f"/tickets/{tickets[0]['id']}"))
    return ticket


def test_a_leaver_gets_one_offboarding_ticket_listing_what_they_hold(desk: PeopleDesk) -> None:
    desk.staff.hire("lena", manager_id="boss")
    _equipment_for(desk, "lena")
    last_day = TODAY + timedelta(days=20)
    publish(desk.nats_url, terminated("lena", last_day), terminated("lena", last_day))
    off = _offboarding(desk, "lena")
    assert off["priority"] == "high"
    assert "LT-lena: laptop ThinkPad T14 (serial SN-A-lena)" in off["description"]
    assert "PH-lena" in off["description"]
    assert "MN-lena" not in off["description"]
    assert [a["tag"] for a in off["assets_to_return"]] == ["LT-lena", "PH-lena"]
    assert datetime.fromisoformat(off["sla"]["resolution"]["due_at"]) == midnight(last_day + timedelta(days=1))
    assert ok(desk.boss.get(f"/tickets/{off['id']}"))["assets_to_return"] is None  # the asset list is for agents


def test_a_termination_published_again_with_a_later_last_day_moves_the_ticket(desk: PeopleDesk) -> None:
    desk.staff.hire("leon", manager_id="boss")
    _equipment_for(desk, "leon")
    last_day = TODAY + timedelta(days=20)
    publish(desk.nats_url, terminated("leon", last_day))
    off = _offboarding(desk, "leon")
    publish(desk.nats_url, terminated("leon", last_day), terminated("leon", last_day + timedelta(days=1)))
    new_due = midnight(last_day + timedelta(days=2))
    wait_for(
        lambda: (
            datetime.fromisoformat(ok(desk.ivo.get(f"/tickets/{off['id']}"))["sla"]["resolution"]["due_at"]) == new_due
        ),
        "leon's offboarding ticket to follow her new last day",
    )
    assert len(tickets_about(desk, "leon", kind="offboarding")) == 1
    moved = ok(desk.ivo.get(f"/tickets/{off['id']}"))
    new_last_day = (last_day + timedelta(days=1)).isoformat()
    assert moved["subject"] == f"Offboarding: Leon Tester leaves on {new_last_day}"
    assert moved["description"] == (
        f"Leon Tester (leon@example.com) leaves on {new_last_day}.\n"
        "- revoke every account and access\n- collect the equipment assigned to them:\n"
        "- LT-leon: laptop ThinkPad T14 (serial SN-A-leon)\n- PH-leon: phone Pixel (serial SN-P-leon)"
    )


def test_an_offboarding_ticket_resolves_only_once_the_equipment_is_back(desk: PeopleDesk) -> None:
    desk.staff.hire("lisa", manager_id="boss")
    laptop, phone = _equipment_for(desk, "lisa")
    publish(desk.nats_url, terminated("lisa", TODAY + timedelta(days=20)))
    off = _offboarding(desk, "lisa")
    resolve = {"status": "resolved", "note": "All access revoked."}
    assert "not yet returned: LT-lisa, PH-lisa" in problem(
        desk.ivo.post(f"/tickets/{off['id']}/status", json={"status": "resolved"}), 409
    )
    ok(desk.ivo.post(f"/assets/{laptop['id']}/return", json={"condition": "scratched lid"}))
    ok(desk.ivo.post(f"/assets/{phone['id']}/status", json={"status": "lost", "note": "left on a train"}))
    assert ok(desk.ivo.get(f"/tickets/{off['id']}"))["assets_to_return"] == []
    done = ok(desk.ivo.post(f"/tickets/{off['id']}/status", json=resolve))
    assert done["status"] == "resolved"
    resolved = events_about(desk.nats_url, "helpdesk.ticket_resolved", lambda e: e.subject == off["id"])
    assert len(resolved) == 1
    assert resolved[0].data["kind"] == "offboarding"
    assert resolved[0].data["about_employee_id"] == "lisa"


def test_a_termination_that_overtakes_its_hire_waits_for_it(desk: PeopleDesk) -> None:
    publish(desk.nats_url, terminated("tom", TODAY + timedelta(days=3)))
    publish(desk.nats_url, hired("tom"))
    wait_for(lambda: tickets_about(desk, "tom", kind="offboarding"), "tom's offboarding ticket after his hire")
    tom = ok(desk.admin.get("/directory/tom"))
    # Named as HR's record names it; the former name stays for one release.
    assert tom["end_date"] == (TODAY + timedelta(days=3)).isoformat()
    assert tom["leaves_on"] == tom["end_date"]


def test_someone_leaving_today_leaves_the_directory_and_takes_no_equipment(desk: PeopleDesk) -> None:
    desk.staff.hire("bea")
    monitor = {"tag": "MN-bea", "type": "monitor", "serial": "SN-M-bea", "model": "U27"}
    spare = ok(desk.ivo.post("/assets", json=monitor), 201)
    publish(desk.nats_url, terminated("bea", TODAY))
    wait_for(lambda: ok(desk.admin.get("/directory/bea"))["active"] is False, "bea to leave the directory")
    assert "left on" in problem(desk.ivo.post(f"/assets/{spare['id']}/assign", json={"employee_id": "bea"}), 409)
    assert all(m["employee_id"] != "bea" for m in ok(desk.ivo.get("/directory"))["items"])
