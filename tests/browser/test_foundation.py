"""The console's foundation in a real browser: sign-in and sign-out, the session surviving a reload without the
refresh token ever reaching JavaScript, navigation by role, both languages, a problem shown readably, and the
accessibility of the screens."""

from __future__ import annotations

import re
import time

from backoffice.testing import Stack
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def test_sign_in_page_is_accessible_and_refuses_a_wrong_password(page: Page, demo: DemoCompany) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto("/")
    expect(page).to_have_url(re.compile("/login"))
    expect(page.get_by_role("heading", name="Sign in to Backoffice")).to_be_visible()
    check_accessibility(page, "sign-in")
    page.locator("input[name=login]").fill(demo.people["Eve"].login)
    page.locator("input[name=password]").fill("not the password")
    page.keyboard.press("Enter")  # the form works from the keyboard
    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")
    screenshot(page, "sign-in-refused")
    assert violations == []


def test_employee_sees_self_service_only_and_the_session_survives_a_reload(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Eve"])
    expect(page.get_by_role("heading", name="Welcome, Eve Martin")).to_be_visible()
    expect(page.get_by_role("group", name="My work")).to_be_visible()
    expect(page.get_by_role("group", name="HR")).to_have_count(0)
    # The refresh token is an HttpOnly cookie: the page's scripts cannot read it.
    assert "backoffice_refresh" not in page.evaluate("document.cookie")
    assert "backoffice_csrf" in page.evaluate("document.cookie")
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    # HR's screens are not for an employee even by address.
    check_accessibility(page, "employee home")
    page.goto("/employees")
    expect(page.get_by_role("heading", name="Nothing here", level=2)).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    check_accessibility(page, "not found")


def test_hr_lists_employees_in_spanish_and_signs_out(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Hana"], locale="es")
    expect(page.get_by_role("heading", name=re.compile("Hola"))).to_be_visible()
    page.get_by_role("menuitem", name="Empleados").click()
    table = page.get_by_role("table")
    expect(table.get_by_text("Martin")).to_be_visible()
    expect(page.get_by_text("Apellidos")).to_be_visible()
    assert untranslated_keys(page) == []
    check_accessibility(page, "employee list (es)")
    screenshot(page, "hr-employees-es")
    page.get_by_role("button", name="Hana Reyes").click()
    page.get_by_role("menuitem", name=re.compile("Cerrar sesión|Logout", re.I)).click()
    expect(page).to_have_url(re.compile("/login"))
    page.goto("/employees")
    expect(page).to_have_url(re.compile("/login"))


def test_a_service_that_is_down_is_named_and_the_rest_keeps_working(
    page: Page, demo: DemoCompany, stack: Stack
) -> None:
    helpdesk = stack.services["helpdesk"]
    sign_in(page, demo.people["Eve"])
    helpdesk.stop()
    try:
        page.get_by_role("menuitem", name="My IT tickets").click()
        expect(page.get_by_text(re.compile("The IT desk service is unavailable right now")).first).to_be_visible()
        # Everything that does not need the IT desk still works.
        page.get_by_role("menuitem", name="My profile").click()
        expect(page.get_by_text(demo.people["Eve"].login).first).to_be_visible()
        check_accessibility(page, "profile while the IT desk is down")
    finally:
        helpdesk.restart()
        api = demo.api(demo.people["Eve"])
        deadline = time.monotonic() + 60  # the gateway's circuit closes again after its reset time
        while api.get("/api/helpdesk/tickets").status_code >= 500 and time.monotonic() < deadline:
            time.sleep(0.5)
