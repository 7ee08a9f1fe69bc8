"""The switchboard and the IT desk's equipment in a real browser, through the console only:

- The office clerk (Omar) finds people as he types (by name and by department), takes a call for Mia with the
  keyboard alone, transfers it to Paul and then to Eve, who is away, and takes a message for her. The call's path
  shows on the switchboard, Eve's row shows a message waiting, and the report counts it as not read.
- Eve (in Spanish) finds the message with the call's path in her own messages, marks it read and becomes
  available again.
- The IT agent (Ida) registers a device, hands it over to Paul and collects it back; its history keeps both.
Every screen passes axe (no serious or critical violation) and shows no translation key."""

from __future__ import annotations

import re
import uuid

from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def no_keys(page: Page) -> None:
    text = page.locator("body").inner_text()
    assert untranslated_keys(page) == []
    assert re.findall(r"\b(?:office|desk|self)\.[a-z_]+\.[a-z_.]+\b", text) == []


def test_a_call_goes_through_three_people_and_ends_in_a_message(page: Page, demo: DemoCompany) -> None:
    run = uuid.uuid4().hex[:6]
    caller, body = f"Carla Caller {run}", f"Please call back about order {run}"
    omar = demo.people["Omar"]
    sign_in(page, omar)
    page.get_by_role("menuitem", name="Switchboard", exact=True).click()
    search = page.get_by_role("combobox", name=re.compile("Find a person"))
    expect(search).to_be_focused()
    expect(page.get_by_role("option", name=re.compile("Eve Martin"))).to_be_visible()
    check_accessibility(page, "switchboard")

    # Search as you type: by a department, then by a name.
    search.press_sequentially("operat")
    expect(page.get_by_role("option", name=re.compile("Paul Okafor"))).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Eve Martin"))).to_have_count(0)
    search.fill("")

    # Eve is away today: the clerk marks it on her card.
    search.press_sequentially("eve mar")
    search.press("Enter")
    card = page.get_by_test_id("selected-person")
    expect(card).to_contain_text("Eve Martin")
    card.get_by_role("combobox", name="Availability").click()
    page.get_by_role("option", name="Away", exact=True).click()
    expect(page.get_by_role("option", name=re.compile("Eve Martin.*Away"))).to_be_visible()

    # The call for Mia, with the keyboard alone: search, Enter, the caller's name, Enter.
    search.fill("")
    search.press_sequentially("mia")
    search.press("Enter")
    caller_field = page.get_by_role("textbox", name=re.compile("Caller's name"))
    expect(caller_field).to_be_focused()
    caller_field.type(caller)
    caller_field.press("Enter")
    current = page.get_by_test_id("current-call")
    expect(current).to_contain_text("Mia Santos (answered")
    expect(search).to_be_focused()

    # Transferred to Paul, then to Eve: Enter selects, Enter transfers.
    for name, outcome in (("Paul", "answered"), ("Eve", "did not answer")):
        expect(search).to_be_focused()
        search.press_sequentially(name.lower())
        search.press("Enter")
        transfer = page.get_by_role("button", name=re.compile(f"Transfer to {name}"))
        expect(transfer).to_be_focused()
        transfer.press("Enter")
        expect(current.locator("li").last).to_contain_text(f"({outcome}")
    path = current.get_by_role("list", name="The call's path")
    expect(path).to_have_text(
        re.compile(r"Switchboard.*Mia Santos \(answered.*Paul Okafor \(answered.*Eve Martin \(did not answer")
    )

    # Eve did not answer: the focus is on "Take a message"; Ctrl+Enter saves it.
    take = page.get_by_role("button", name="Take a message")
    expect(take).to_be_focused()
    take.press("Enter")
    message = page.get_by_role("textbox", name=re.compile("^Message"))
    expect(message).to_be_focused()
    expect(page.get_by_text("Message for Eve Martin", exact=True)).to_be_visible()
    message.fill(body)
    message.press("Control+Enter")
    expect(current).to_contain_text("message taken")
    expect(current).to_contain_text(body)

    # The path and the message in the recent calls; a message waiting on Eve's row of the directory.
    recent = page.get_by_test_id("recent-calls").locator("li[data-call]").filter(has_text=caller)
    expect(recent).to_contain_text(re.compile(r"Mia Santos.*Paul Okafor.*Eve Martin"))
    expect(recent).to_contain_text(body)
    expect(recent).to_contain_text("not read yet")
    search.fill("")
    search.press_sequentially("eve")
    expect(page.get_by_role("option", name=re.compile(r"Eve Martin.*1 message"))).to_be_visible()
    search.press("Enter")
    expect(page.get_by_role("heading", name="Messages waiting for Eve Martin").locator("..")).to_contain_text(body)
    no_keys(page)
    check_accessibility(page, "switchboard with a message taken")
    screenshot(page, "switchboard")

    # The report: Eve's unread message is counted.
    page.get_by_role("menuitem", name="Switchboard report").click()
    eve_row = page.locator(f"tr[data-person='{demo.people['Eve'].employee_id}']")
    expect(eve_row).to_be_visible()
    assert int(eve_row.locator("td").last.inner_text()) >= 1
    assert int(page.locator("[data-total=missed_calls]").inner_text() or "0") >= 0
    no_keys(page)
    check_accessibility(page, "switchboard report")
    screenshot(page, "switchboard-report")

    # Eve, in Spanish: the message with the call's path, marked read; available again.
    page.context.clear_cookies()
    sign_in(page, demo.people["Eve"], locale="es")
    page.get_by_role("menuitem", name="Mis mensajes").click()
    mine = page.locator("li[data-message]").filter(has_text=body)
    expect(mine).to_contain_text(f"De {caller}")
    expect(mine.get_by_role("list", name="El recorrido de la llamada")).to_have_text(
        re.compile(r"Centralita.*Mia Santos \(contestó.*Paul Okafor \(contestó.*Eve Martin \(no contestó")
    )
    expect(mine).to_contain_text("Nuevo")
    no_keys(page)
    check_accessibility(page, "my messages in Spanish")
    screenshot(page, "my-messages-es")
    mine.get_by_role("button", name="Marcar como leído").click()
    expect(mine).to_contain_text("Leído el")
    expect(mine.get_by_role("button", name="Marcar como leído")).to_have_count(0)
    page.get_by_role("combobox", name="Mi disponibilidad para llamadas").click()
    page.get_by_role("option", name="Disponible", exact=True).click()
    expect(page.get_by_text("Su disponibilidad se ha guardado")).to_be_visible()
    eve_entry = demo.api(demo.people["Eve"]).get(f"/api/helpdesk/directory/{demo.people['Eve'].employee_id}")
    assert eve_entry.json()["availability"] == "available"


def test_an_agent_hands_a_device_over_and_collects_it(page: Page, demo: DemoCompany) -> None:
    tag = f"LT-{uuid.uuid4().hex[:6].upper()}"
    sign_in(page, demo.people["Ida"])
    page.get_by_role("menuitem", name="Equipment", exact=True).click()
    expect(page.get_by_role("link", name="Register a device")).to_be_visible()
    page.get_by_role("link", name="Register a device").click()
    expect(page).to_have_url(re.compile("/desk_assets/create$"))
    check_accessibility(page, "register a device")  # settled first: the form is not reset under our typing
    form = page.locator("form")
    for label, value in (("Tag", tag), ("Type", "laptop"), ("Model", "ThinkPad T14"), ("Serial number", f"SN-{tag}")):
        form.get_by_role("textbox", name=re.compile(f"^{label}")).fill(value)
    expect(form.get_by_role("textbox", name=re.compile("^Tag"))).to_have_value(tag)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=tag)).to_be_visible()
    expect(page.get_by_text("Never handed over yet.")).to_be_visible()

    # Hand it over to Paul, found by typing his name.
    page.get_by_role("combobox", name=re.compile("Hand over to")).fill("paul")
    page.get_by_role("option", name=re.compile("Paul Okafor")).click()
    page.get_by_role("button", name="Hand over to Paul Okafor").click()
    expect(page.get_by_test_id("holder")).to_have_text("Held by Paul Okafor")
    check_accessibility(page, "a device handed over")

    # The list finds it by its holder's name.
    page.get_by_role("menuitem", name="Equipment", exact=True).click()
    page.get_by_role("textbox", name=re.compile("Tag, serial")).fill(tag.lower())
    row = page.locator("tbody tr").filter(has_text=tag)
    expect(row).to_contain_text("Paul Okafor")
    expect(row).to_contain_text("Assigned")
    expect(page.locator("tbody tr")).to_have_count(1)
    no_keys(page)
    check_accessibility(page, "equipment list")
    screenshot(page, "equipment")

    # Collected back into stock with its condition; the history keeps both.
    row.click()
    page.get_by_role("textbox", name="Condition when returned").fill("scratched lid")
    page.get_by_role("button", name="Collect from Paul Okafor").click()
    expect(page.get_by_text("In stock", exact=True).first).to_be_visible()
    history = page.get_by_role("table", name="Who has had it")
    expect(history).to_contain_text("Paul Okafor")
    expect(history).to_contain_text("scratched lid")
    expect(history).to_contain_text("Ida Lindqvist")
    no_keys(page)
    check_accessibility(page, "a device collected")
    screenshot(page, "equipment-collected")
