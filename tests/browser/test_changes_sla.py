"""The IT desk's change requests and SLA calendars in a real browser. Ida (IT agent, lead of the Service desk)
requests a change and is told she cannot approve it herself; the administrator approves it (in Spanish); Ida
records it implemented and reviews it, the card moving across the board at each step. Ida then creates a
calendar with no working time (the refusal shows under "Closes"), corrects it, adds a holiday, and sets a
policy's targets on it. Every screen passes the accessibility check."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from backoffice.testing import ok
from consolekit import DemoCompany, Person, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Locator, Page, expect

NOW = datetime.now()  # read once: the browser's clock is this machine's


def _check(page: Page, name: str) -> None:
    """The accessibility check once the screen has loaded, a screenshot, and no translation key shown."""
    page.wait_for_timeout(500)  # a fetch the screen starts on showing puts the app bar's spinner up a moment later
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)
    screenshot(page, f"changes-sla-{name.replace(' ', '-')}")
    assert untranslated_keys(page) == []


def _switch(page: Page, person: Person, *, locale: str | None = None) -> None:
    """Sign out (the refresh cookie goes; the access token lived in the page) and sign in as someone else."""
    page.context.clear_cookies()
    sign_in(page, person, locale=locale)


def _column(page: Page, status: str) -> Locator:
    return page.get_by_role("region", name=re.compile(rf"^{status} \(\d+\)$"))


def _card(page: Page, status: str, title: str) -> Locator:
    return _column(page, status).get_by_role("article", name=title)


def _dismissed(page: Page) -> None:
    """Waits until the notification of a refusal has gone (it covers the bottom of the form meanwhile)."""
    expect(page.locator(".MuiSnackbar-root")).to_have_count(0, timeout=15_000)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _helper_text(field: Locator) -> Locator:
    """The text shown under a form field (its helper or error), which the field names in aria-describedby."""
    described = field.get_attribute("aria-describedby") or ""
    return field.page.locator(f"[id='{described.split()[0]}']")


def test_a_change_moves_across_the_board_approved_by_someone_else(page: Page, demo: DemoCompany) -> None:
    ida = demo.people["Ida"]
    title = f"Move the file server to new disks {NOW:%H%M%S}"

    # Ida requests a change.
    sign_in(page, ida)
    page.get_by_role("menuitem", name="Change requests", exact=True).click()
    expect(page.get_by_role("heading", name="Change requests", level=1)).to_be_visible()
    page.get_by_role("link", name="Request a change").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What changes, and why").fill("The disks are five years old and one reports errors.")
    page.get_by_label("Affected system").fill("file server")
    page.get_by_role("combobox", name="Risk").click()
    page.get_by_role("option", name="High risk").click()
    start = NOW + timedelta(days=2)
    page.get_by_label("Planned start").fill(_local(start))
    page.get_by_label("Planned end").fill(_local(start + timedelta(hours=3)))
    _check(page, "request")
    # A high-risk change without a rollback plan: the API's refusal is shown (the plan is then given).
    page.get_by_role("button", name="Request a change").click()
    rollback = page.get_by_label("Rollback plan (needed for a high-risk change)")
    expect(rollback).to_have_attribute("aria-invalid", "true")
    expect(_helper_text(rollback)).to_contain_text("needs a rollback_plan")
    rollback.fill("Boot from the old disks.")
    _dismissed(page)
    page.get_by_role("button", name="Request a change").click()

    card = _card(page, "Requested", title)
    expect(card).to_be_visible()
    expect(card).to_contain_text("High risk")
    expect(card).to_contain_text("Requested by")
    # She cannot approve or reject her own change: the buttons are off and say why.
    approve = card.get_by_role("button", name=f"Approve: {title}")
    expect(approve).to_be_disabled()
    expect(card.get_by_role("button", name=f"Reject: {title}")).to_be_disabled()
    expect(card).to_contain_text("You asked for this change: someone else must approve or reject it.")
    expect(approve).to_have_accessible_description(re.compile("someone else must approve"))
    _check(page, "board requested")

    # The administrator approves it, in Spanish.
    _switch(page, demo.admin, locale="es")
    page.get_by_role("menuitem", name="Solicitudes de cambio", exact=True).click()
    card = _card(page, "Solicitado", title)
    card.get_by_role("button", name=f"Aprobar: {title}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Nota").fill("Adelante, fuera del horario de oficina.")
    _check(page, "approve es")
    dialog.get_by_role("button", name="Aprobar").click()
    card = _card(page, "Aprobado", title)
    expect(card).to_contain_text("Aprobado por")
    expect(card).to_contain_text("Adelante, fuera del horario de oficina.")
    _check(page, "board approved es")

    # Ida records it implemented, then reviews it.
    _switch(page, ida, locale="en")
    page.get_by_role("menuitem", name="Change requests", exact=True).click()
    _card(page, "Approved", title).get_by_role("button", name=f"Record implemented: {title}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Note").fill("Done in two hours.")
    dialog.get_by_role("button", name="Record implemented").click()
    card = _card(page, "Implemented", title)
    expect(card).to_contain_text("Implemented by")
    card.get_by_role("button", name=f"Review: {title}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("combobox", name="Outcome").click()
    page.get_by_role("option", name="Successful").click()
    dialog.get_by_label("Review notes").fill("No incident; backups checked.")
    _check(page, "review")
    dialog.get_by_role("button", name="Review").click()
    card = _card(page, "Reviewed", title)
    expect(card).to_contain_text("Reviewed by")
    expect(card).to_contain_text("Successful")
    expect(_column(page, "Requested").get_by_role("article", name=title)).to_have_count(0)
    _check(page, "board reviewed")

    change = next(c for c in ok(demo.api(ida).get("/api/helpdesk/changes"))["items"] if c["title"] == title)
    assert change["status"] == "reviewed"
    assert change["decided_by"] != change["requested_by"]


def test_a_calendar_without_working_time_is_refused_on_its_field(page: Page, demo: DemoCompany) -> None:
    ida = demo.people["Ida"]
    sign_in(page, ida)
    # A calendar with no working time is refused, under the closing time.
    calendar = f"Madrid office {NOW:%H%M%S}"
    page.get_by_role("menuitem", name="SLA calendars and policies", exact=True).click()
    expect(page.get_by_role("heading", name="SLA calendars and policies", level=1)).to_be_visible()
    _check(page, "sla")
    page.get_by_role("link", name="New calendar").click()
    page.get_by_label("Name").fill(calendar)
    zone = page.get_by_role("combobox", name="Time zone")
    zone.fill("Europe/Madrid")
    page.get_by_role("option", name="Europe/Madrid", exact=True).click()
    expect(zone).to_have_value("Europe/Madrid")
    page.get_by_label("Opens").fill("18:00")
    page.get_by_label("Closes").fill("09:00")
    page.get_by_role("button", name="Save").click()
    closes = page.get_by_label("Closes")
    expect(closes).to_have_attribute("aria-invalid", "true")
    expect(_helper_text(closes)).to_contain_text("no working hours")
    _check(page, "calendar refused")

    # Corrected, with a holiday.
    _dismissed(page)
    page.get_by_label("Opens").fill("08:30")
    page.get_by_label("Closes").fill("17:00")
    page.get_by_role("button", name="Add").click()
    holiday = (NOW + timedelta(days=30)).date().isoformat()
    page.get_by_role("textbox", name="Holiday", exact=True).fill(holiday)
    _check(page, "calendar")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row").filter(has_text=calendar)
    expect(row).to_contain_text("Europe/Madrid")
    expect(row).to_contain_text("08:30\u201317:00")  # an en dash between the hours
    expect(row).to_contain_text("1 date")

    # A policy with targets on it.
    policies = page.get_by_role("region", name="Set targets")
    policies.get_by_role("combobox", name="Priority").click()
    page.get_by_role("option", name="Urgent").click()
    policies.get_by_label("Category").fill("email")
    policies.get_by_label("First response (working minutes)").fill("15")
    policies.get_by_label("Resolution (working minutes)").fill("120")
    policies.get_by_role("combobox", name="Calendar").click()
    page.get_by_role("option", name=calendar).click()
    policies.get_by_role("button", name="Set targets").click()
    policy = page.get_by_role("row").filter(has_text="Urgent").filter(has_text="email")
    expect(policy).to_contain_text("15 min")
    expect(policy).to_contain_text("120 min")
    expect(policy).to_contain_text(calendar)
    _check(page, "sla policies")

    # The calendar opens again for editing as it was saved.
    page.get_by_role("link", name=f"Edit {calendar}").click()
    expect(page.get_by_label("Opens")).to_have_value("08:30")
    expect(page.get_by_role("textbox", name="Holiday", exact=True)).to_have_value(holiday)
    expect(page.get_by_role("checkbox", name="Saturday")).not_to_be_checked()
    page.get_by_role("link", name="Back to calendars and policies").click()

    # What the screens did is what the API keeps.
    api = demo.api(ida)
    saved = next(c for c in ok(api.get("/api/helpdesk/sla/calendars"))["items"] if c["name"] == calendar)
    assert (saved["timezone"], saved["opens"], saved["closes"], saved["holidays"]) == (
        "Europe/Madrid",
        "08:30:00",
        "17:00:00",
        [holiday],
    )
