"""The IT desk in the console: an employee opens an incident through self-service; an agent finds it in the ticket
queue, answers with a canned response (its variables filled in before sending), adds an internal note, puts the
ticket on hold (its countdown stops and shows the pause), resumes and resolves it; the employee reads the reply and
never the note. The queue and the ticket are also checked in Spanish.

The test brings its own round-the-clock SLA calendar and a policy for high-priority phone tickets (the demo's
calendar keeps office hours), so the clocks run whatever the hour it runs at."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect

T = TypeVar("T")


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json()


def wait_for(check: Callable[[], T], what: str, timeout_s: float = 60) -> T:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def accessible(page: Page, name: str) -> None:
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)
    assert untranslated_keys(page) == [], name


def round_the_clock_policy(root: httpx.Client) -> None:
    """High-priority phone tickets on a calendar that never closes: first answer within an hour, fixed in eight."""
    calendar = ok(
        root.post(
            "/api/helpdesk/sla/calendars",
            json={
                "name": f"Always {uuid.uuid4().hex[:6]}",
                "timezone": "UTC",
                "working_days": list(range(7)),
                "opens": "00:00",
                "closes": "24:00",
                "holidays": [],
            },
        )
    )
    policy = {
        "priority": "high",
        "category": "phone",
        "first_response_minutes": 60,
        "resolution_minutes": 480,
        "calendar_id": calendar["id"],
    }
    ok(root.put("/api/helpdesk/sla/policies", json=policy))


def test_an_agent_answers_holds_and_resolves_an_incident(page: Page, demo: DemoCompany, new_context: Any) -> None:
    eve = demo.people["Eve"]
    root = demo.api(demo.admin)
    round_the_clock_policy(root)
    title = f"Phone greeting {uuid.uuid4().hex[:6]}"
    ok(
        root.post(
            "/api/helpdesk/canned-responses",
            json={"title": title, "body": "Hello {requester_name}, {agent_name} here: {ticket_number} is ours now."},
        )
    )
    subject = f"My desk phone has no dial tone ({uuid.uuid4().hex[:6]})"
    secret = f"Switch port 12 is dead, replacing it ({uuid.uuid4().hex[:4]})"

    # Eve opens an incident through self-service.
    sign_in(page, eve)
    page.get_by_role("menuitem", name="My IT tickets").click()
    page.get_by_role("link", name="Open a ticket").first.click()
    page.get_by_label("Subject").fill(subject)
    page.get_by_role("combobox", name="Category").click()
    page.get_by_role("option", name="Phone").click()
    page.get_by_role("combobox", name="Priority").click()
    page.get_by_role("option", name="High").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(subject)))).to_be_visible()
    eve_ticket_url = page.url

    # Ida finds it in her team's queue, filtered down, and opens it from the keyboard.
    ida = new_context().new_page()
    sign_in(ida, demo.people["Ida"])
    ida.get_by_role("menuitem", name="Ticket queue").click()
    expect(ida.get_by_role("heading", name="Ticket queue", level=1)).to_be_visible()
    ida.get_by_role("button", name="My team's").click()
    ida.get_by_role("combobox", name="Category").click()
    ida.get_by_role("option", name="Phone").click()
    ida.get_by_role("combobox", name="Priority").click()
    ida.get_by_role("option", name="High").click()
    row = ida.get_by_role("row").filter(has_text=subject)
    expect(row).to_be_visible()
    expect(row).to_contain_text("Eve")
    expect(ida.get_by_text("1 ticket", exact=True)).to_be_visible()
    expect(row).to_contain_text(re.compile(r"\d\d:\d\d left"))  # the first response counts down
    expect(ida.get_by_text(re.compile("arrow keys or j and k"))).to_be_visible()
    # a view kept for next time
    ida.get_by_label("Name of the view").fill("Phones")
    ida.get_by_role("button", name="Save this view").click()
    expect(ida.get_by_role("button", name="Phones")).to_be_visible()
    accessible(ida, "ticket queue")
    screenshot(ida, "desk-ticket-queue")
    reference = row.get_by_role("link").first.inner_text()
    ida.locator("body").click(position={"x": 5, "y": 5})
    rows_before = ida.get_by_role("row").count()
    for _ in range(rows_before):  # j until the ticket's link has the focus
        ida.keyboard.press("j")
        if ida.evaluate("document.activeElement?.textContent") == reference:
            break
    expect(ida.locator(":focus")).to_have_text(reference)
    ida.keyboard.press("Enter")
    expect(ida.get_by_role("heading", level=1, name=re.compile(re.escape(subject)))).to_be_visible()

    # A canned response, its variables filled in before it is sent.
    ida.get_by_role("combobox", name="Canned response").click()
    ida.get_by_role("option", name=title).click()
    reply = ida.get_by_role("textbox", name="Reply")
    expect(reply).to_have_value(f"Hello Eve Martin, Ida Lindqvist here: {reference} is ours now.")
    ida.get_by_role("button", name="Send reply").click()
    conversation = ida.locator("section").filter(has=ida.get_by_role("heading", name="Conversation"))
    expect(conversation.locator("[data-comment=reply]")).to_contain_text(f"{reference} is ours now")
    expect(ida.get_by_test_id("first-response-clock")).to_have_text("met")

    # An internal note, from its own composer.
    expect(ida.get_by_role("heading", name="Internal note — not sent to the requester")).to_be_visible()
    ida.get_by_role("textbox", name="Note for the agents").fill(secret)
    ida.get_by_role("button", name="Add internal note").click()
    expect(conversation.locator("[data-comment=note]")).to_contain_text(secret)
    accessible(ida, "a ticket")

    # On hold: the resolution countdown stops and shows how long it has been paused.
    ida.get_by_role("button", name="Put on hold").click()
    expect(ida.get_by_test_id("ticket-status")).to_have_text("On hold")
    clock = ida.get_by_test_id("resolution-clock")
    expect(clock.locator("[data-clock=paused]")).to_be_visible()
    stopped = clock.inner_text()
    left = re.search(r"stopped with (\S+) left", stopped)
    assert left, stopped
    expect(clock).not_to_have_text(stopped, timeout=5_000)  # the pause ticks on...
    assert f"stopped with {left.group(1)} left" in clock.inner_text()  # ...the time left does not
    expect(ida.get_by_test_id("paused-total")).to_be_visible()
    screenshot(ida, "desk-ticket-on-hold")

    ida.get_by_role("button", name="Resume (open)").click()
    expect(ida.get_by_test_id("ticket-status")).to_have_text("Open")
    expect(clock.locator("[data-clock=running]")).to_be_visible()
    expect(ida.get_by_test_id("paused-total")).to_contain_text("Time paused so far")
    ida.get_by_role("button", name="Resolve").click()
    expect(ida.get_by_test_id("ticket-status")).to_have_text("Resolved")
    expect(clock).to_have_text("met")
    history = ida.locator("section").filter(has=ida.get_by_role("heading", name="History"))
    expect(history).to_contain_text("On hold → Open")
    accessible(ida, "a resolved ticket")
    screenshot(ida, "desk-ticket")

    # Eve reads the reply, never the note.
    page.goto(eve_ticket_url)
    expect(page.get_by_text(f"{reference} is ours now")).to_be_visible()
    expect(page.get_by_text("Resolved").first).to_be_visible()
    expect(page.get_by_text(secret)).to_have_count(0)
    ticket_id = eve_ticket_url.rstrip("/").rsplit("/", 1)[-1]
    comments = ok(demo.api(eve).get(f"/api/helpdesk/tickets/{ticket_id}/comments"))["items"]
    assert [c["internal"] for c in comments] == [False]

    # A joiner's onboarding ticket shows the person and the equipment to hand over.
    onboarding = wait_for(
        lambda: [
            t
            for t in ok(root.get("/api/helpdesk/tickets", params={"kind": "onboarding", "limit": 100}))["items"]
            if "Leo" in t["subject"] and t["status"] != "closed"
        ],
        "Leo's onboarding ticket",
    )[0]
    ida.goto(f"/desk_tickets/{onboarding['id']}/show")
    person = ida.locator("section").filter(has=ida.get_by_role("heading", name="Person"))
    expect(person).to_contain_text("Leo")
    expect(person).to_contain_text("Starts on")
    expect(person.get_by_role("heading", name="Equipment to hand over")).to_be_visible()
    accessible(ida, "an onboarding ticket")

    # In Spanish: the queue and the ticket.
    spanish = new_context().new_page()
    sign_in(spanish, demo.people["Ida"], locale="es")
    spanish.get_by_role("menuitem", name="Cola de incidencias").click()
    expect(spanish.get_by_role("heading", name="Cola de incidencias", level=1)).to_be_visible()
    spanish.get_by_role("button", name="Todas las abiertas").click()
    expect(spanish.get_by_role("columnheader", name="Primera respuesta")).to_be_visible()
    accessible(spanish, "ticket queue in Spanish")
    spanish.goto(f"/desk_tickets/{ticket_id}/show")
    expect(spanish.get_by_role("heading", name="Nota interna — no se envía al solicitante")).to_be_visible()
    expect(spanish.get_by_test_id("ticket-status")).to_have_text("Resuelta")
    expect(spanish.get_by_text(secret)).to_be_visible()
    accessible(spanish, "a ticket in Spanish")
    screenshot(spanish, "desk-ticket-es")
