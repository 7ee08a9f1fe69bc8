"""HR's people screens in a real browser, through the console only: hiring with the activation link that really
works, pay terms from a date, a manager's warning that HR sees in discipline (in Spanish), a complaint worked
from assignment to closing, and a termination after its confirmation. Every screen is checked with axe."""

from __future__ import annotations

import re
import secrets
from contextlib import closing
from datetime import date, timedelta
from typing import Any

from consolekit import DemoCompany, Person, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect

SLOW = 30_000  # what arrives as an event (a login, a warning) takes a moment on a busy machine


def hire_through_api(demo: DemoCompany, given: str, family: str, **extra: Any) -> dict[str, Any]:
    """A person for a test to change or end, hired by HR through the API (the demo's staff stay as they are)."""
    with closing(demo.api(demo.people["Hana"])) as hr:
        body = {
            "given_name": given,
            "family_name": family,
            "email": f"{given}.{family}.{secrets.token_hex(3)}@example.com".lower(),
            "employment_type": "salaried",
            "start_date": (date.today() - timedelta(days=30)).isoformat(),
            "pay_terms": {"pay_type": "salaried", "rate": "2900", "currency": "EUR", "frequency": "monthly"},
            **extra,
        }
        answer = hr.post("/api/hr/employees", json=body)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())


def choose(page: Page, field: str, option: str) -> None:
    """Pick an option of a select, and wait until its menu has gone (axe would see it fading out)."""
    page.get_by_role("combobox", name=field).click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.locator("li[role=option]")).to_have_count(0)


def accessible(page: Page, name: str) -> None:
    """axe on the screen once it has loaded and its dialogs and notifications have finished appearing."""
    loaded(page)
    settled(page)
    check_accessibility(page, name)


def loaded(page: Page) -> None:
    """Nothing loading (the app bar's indicator) for a moment: a list's filter is applied after a short pause."""
    indicator = page.locator("header .MuiCircularProgress-root, main .MuiLinearProgress-root")
    quiet = 0
    for _ in range(SLOW // 200):
        quiet = quiet + 1 if indicator.count() == 0 else 0
        if quiet == 4:
            return
        page.wait_for_timeout(200)
    raise AssertionError("the screen is still loading")


def settled(page: Page) -> None:
    """Dialogs and notifications have finished appearing (axe would see their colours half faded in)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.MuiSnackbarContent-root, .MuiDialog-container')].every("
        "e => getComputedStyle(e).opacity === '1' && ['none', ''].includes(getComputedStyle(e).transform))"
    )


def notified(page: Page, text: str) -> None:
    expect(page.locator(".MuiSnackbarContent-message", has_text=text)).to_be_visible()
    settled(page)


def open_employee(page: Page, name: str) -> None:
    """The employee list, searched by name, then the person's page."""
    page.get_by_role("menuitem", name=re.compile("^(Employees|Empleados)$")).click()
    page.get_by_placeholder(re.compile("Search|Buscar")).fill(name)
    given, family = name.split()
    row = page.get_by_role("row").filter(has_text=given).filter(has_text=family)
    expect(page.get_by_role("row")).to_have_count(2, timeout=SLOW)  # the header and the one person found
    expect(row).to_have_count(1)
    loaded(page)  # the search is applied after a pause: click the row of the list as it stays
    row.click()
    expect(page.get_by_role("tab").first).to_be_visible(timeout=SLOW)


def test_hr_hires_a_person_whose_activation_link_works(page: Page, demo: DemoCompany, new_context: Any) -> None:
    sign_in(page, demo.people["Hana"])
    page.get_by_role("menuitem", name="Hire").click()
    expect(page.get_by_role("heading", name="The person")).to_be_visible()
    email = f"noor.haddou.{secrets.token_hex(3)}@example.com"
    page.get_by_label("Given name").fill("Noor")
    page.get_by_label("Family name").fill("Haddou")
    page.get_by_label("E-mail").fill(email)
    choose(page, "Department", "Sales")
    page.get_by_label("Position").fill("Account executive")
    page.get_by_role("combobox", name="Manager").fill("Mia")
    page.get_by_role("option", name=re.compile("Mia Santos")).click()
    page.get_by_label("Rate").fill("3100")
    # HR may grant the everyday roles only: no payroll or admin box to tick.
    expect(page.get_by_role("checkbox", name="manager")).to_be_visible()
    expect(page.get_by_role("checkbox", name="payroll clerk")).to_have_count(0)
    expect(page.locator(".Mui-error")).to_have_count(0)  # every choice shown as chosen, no field in error
    accessible(page, "hire form")
    page.get_by_role("heading", name="The person").click()  # no field focused, the app bar back in view
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)
    screenshot(page, "hr-hire")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Noor Haddou is hired")).to_be_visible(timeout=SLOW)
    link_box = page.get_by_label("Activation link")
    expect(link_box).to_be_visible(timeout=SLOW)
    link = link_box.input_value()
    assert re.fullmatch(re.escape(demo.gateway_url) + r"/activate\?token=[^&\s]+", link), link
    accessible(page, "activation link")
    page.get_by_role("link", name="Open the record of Noor Haddou").click()
    expect(page.get_by_text("Account executive")).to_be_visible()
    expect(page.get_by_text("Sales", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Manager").click()
    page.get_by_role("link", name="Mia Santos").click()  # the manager's own page
    expect(page.get_by_role("heading", name="Mia Santos")).to_be_visible()

    # The new person, in a browser of their own, opens the link, sets a password and signs in.
    theirs = new_context().new_page()
    theirs.goto(link)
    expect(theirs.locator("input[name=token]")).not_to_have_value("")
    accessible(theirs, "activation page")
    password = secrets.token_urlsafe(12)
    theirs.locator("input[name=password]").fill(password)
    theirs.locator("input[name=confirm]").fill(password)
    theirs.locator("form button[type=submit]").click()
    expect(theirs.get_by_role("status")).to_contain_text("Your password is set")
    sign_in(theirs, Person(email, password, "new joiner"))
    expect(theirs.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(theirs.get_by_role("group", name="HR")).to_have_count(0)


def test_hr_changes_pay_terms_from_a_date(page: Page, demo: DemoCompany) -> None:
    person = hire_through_api(demo, "Pablo", "Rendon")
    sign_in(page, demo.people["Hana"])
    open_employee(page, "Pablo Rendon")
    accessible(page, "employee details")
    page.get_by_role("button", name="Change pay terms").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="New pay terms for Pablo Rendon")).to_be_visible()
    starts = date.today() + timedelta(days=20)
    dialog.get_by_label("From").fill(starts.isoformat())
    dialog.get_by_label("Rate").fill("3350.50")
    accessible(page, "pay terms dialog")
    dialog.get_by_role("button", name="Save the new terms").click()
    expect(dialog).to_have_count(0)

    page.get_by_role("tab", name="Pay terms").click()
    history = page.get_by_role("table", name="Pay terms history")
    rows = history.get_by_role("row")
    expect(rows).to_have_count(3)  # the header, the terms at hire, the new terms
    shown = f"{starts:%b} {starts.day}, {starts.year}"  # as the console writes dates in English
    expect(rows.filter(has_text=shown)).to_contain_text("€3,350.50")
    expect(rows.filter(has_text=shown)).to_contain_text("From a later date")
    expect(rows.filter(has_text="€2,900.00")).to_contain_text("Current")
    accessible(page, "pay terms history")
    screenshot(page, "hr-employee")
    page.get_by_role("tab", name="Manager").click()
    expect(page.get_by_text("This person reports to no manager.")).to_be_visible()
    assert person["id"]


def test_a_manager_warns_a_report_and_hr_sees_it_in_spanish(page: Page, demo: DemoCompany, new_context: Any) -> None:
    page.on("response", lambda r: print("RESPONSE", r.request.method, r.url, r.status) if "/api/" in r.url else None)
    page.on("console", lambda m: print("CONSOLE", m.type, m.text))
    sign_in(page, demo.people["Mia"])
    page.get_by_role("menuitem", name="My team").click()
    expect(page.get_by_role("row").filter(has_text="Omar Haddad")).to_be_visible()
    accessible(page, "my team")
    page.get_by_role("row").filter(has_text="Eve Martin").click()
    page.get_by_role("link", name="Issue a warning").click()
    expect(page.get_by_role("combobox", name="Employee")).to_have_value(re.compile("Eve Martin"))
    choose(page, "Category", "Attendance")
    choose(page, "Severity", "Minor")
    facts = f"Came in two hours late without notice ({secrets.token_hex(2)})"
    page.get_by_label("What happened").fill(facts)
    accessible(page, "warning form")
    screenshot(page, "manager-warning")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The warning is issued")).to_be_visible()
    expect(page.get_by_role("heading", name="Warnings you issued to them")).to_be_visible()
    assert _reload_until(page, lambda: page.get_by_role("row").filter(has_text=facts).count() > 0)
    expect(page.get_by_role("row").filter(has_text=facts)).to_contain_text("Awaiting")

    # HR, in Spanish, finds it in discipline: Eve's case and the warning awaiting her acknowledgement.
    hr = new_context().new_page()
    sign_in(hr, demo.people["Hana"], locale="es")
    hr.get_by_role("menuitem", name="Régimen disciplinario").click()
    case_row = hr.get_by_role("row").filter(has_text="Eve Martin")
    expect(case_row).to_contain_text("Amonestación verbal")
    accessible(hr, "discipline cases (es)")
    assert untranslated_keys(hr) == []
    case_row.click()
    expect(hr.get_by_role("heading", name="Expediente disciplinario")).to_be_visible()
    warning = hr.get_by_role("row").filter(has_text=facts)
    expect(warning).to_contain_text("Asistencia")
    expect(warning).to_contain_text("Pendiente")
    assert untranslated_keys(hr) == []
    accessible(hr, "employee discipline tab (es)")
    screenshot(hr, "hr-discipline-es")
    hr.get_by_role("menuitem", name="Amonestaciones", exact=True).click()
    choose(hr, "Acuse de recibo", "Pendiente")
    expect(hr.get_by_role("row").filter(has_text="Eve Martin").first).to_be_visible()
    assert untranslated_keys(hr) == []
    accessible(hr, "warnings (es)")


def _reload_until(page: Page, check: Any, tries: int = 20) -> bool:
    """What the workflow records from an event appears a moment later: reload until it does."""
    for _ in range(tries):
        if check():
            return True
        page.wait_for_timeout(500)
        page.reload()
        page.wait_for_load_state("networkidle")
    return bool(check())


def test_hr_assigns_an_investigator_adds_a_note_and_closes_a_complaint(page: Page, demo: DemoCompany) -> None:
    summary = f"Shouting at the front desk {secrets.token_hex(2)}"
    with closing(demo.api(demo.people["Eve"])) as eve:
        filed = eve.post(
            "/api/hr/complaints",
            json={
                "against_kind": "person",
                "against_employee_id": demo.people["Omar"].employee_id,
                "against_description": "the receptionist",
                "withhold_name": True,
                "summary": summary,
                "details": "He shouted at me in front of visitors on Monday.",
            },
        )
        assert filed.status_code == 201, filed.text
    complaint = filed.json()

    sign_in(page, demo.people["Hana"])
    page.get_by_role("menuitem", name="Complaints", exact=True).click()
    accessible(page, "complaints queue")
    page.get_by_role("row").filter(has_text=summary).click()
    expect(page.get_by_text("The filer asked to keep their name")).to_be_visible()
    investigator = page.get_by_role("combobox", name="Investigator")
    # Only an HR officer may investigate: the API's refusal is shown beside the field.
    investigator.fill("Paul")
    page.get_by_role("option", name=re.compile("Paul Okafor")).click()
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".MuiFormHelperText-root", has_text="is not an HR officer")).to_be_visible()
    notified(page, "is not an HR officer")
    accessible(page, "complaint with a field error")
    investigator.fill("Hana")
    page.get_by_role("option", name=re.compile("Hana Reyes")).click()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Under investigation")).to_be_visible()

    page.get_by_role("textbox", name=re.compile("^Note")).fill("Two visitors confirm the shouting.")
    page.locator("input[type=file]").set_input_files(
        {"name": "witness-statement.txt", "mimeType": "text/plain", "buffer": b"Statement of the visitor."}
    )
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Two visitors confirm the shouting.")).to_be_visible()
    expect(page.get_by_role("button", name="Download witness-statement.txt")).to_be_visible()

    page.get_by_label("What the filer is told").fill("Omar apologised and had a talk with his manager.")
    page.get_by_role("button", name="Close", exact=True).click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text("the filer reads the outcome")
    accessible(page, "close complaint confirmation")
    confirm.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Resolved", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Add the note")).to_have_count(0)
    accessible(page, "closed complaint")

    # The filer reads the outcome, never the notes; the person complained about is told nothing exists.
    with closing(demo.api(demo.people["Eve"])) as eve:
        mine = eve.get(f"/api/hr/complaints/{complaint['id']}").json()
        assert mine["status"] == "resolved"
        assert mine["notes"] is None
    with closing(demo.api(demo.people["Omar"])) as omar:
        assert omar.get(f"/api/hr/complaints/{complaint['id']}").status_code == 404


def test_hr_terminates_a_person_after_a_confirmation(page: Page, demo: DemoCompany) -> None:
    hire_through_api(demo, "Tomas", "Ferro")
    sign_in(page, demo.people["Hana"])
    open_employee(page, "Tomas Ferro")
    page.get_by_role("button", name="Terminate").click()
    form = page.get_by_role("dialog")
    choose(page, "Kind", "End of contract")
    form.get_by_label(re.compile("^Reason")).fill("The fixed-term contract ends.")
    form.get_by_role("button", name="Continue").click()

    confirm = page.get_by_role("dialog", name="Terminate Tomas Ferro?")
    expect(confirm).to_contain_text("final pay")
    expect(confirm).to_contain_text("login is disabled on that date")
    expect(confirm).to_contain_text("offboarding checklist starts")
    accessible(page, "terminate confirmation")
    confirm.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("The employment is ended")).to_be_visible()
    page.get_by_role("tab", name="Termination").click()
    expect(page.get_by_text("End of contract")).to_be_visible()
    expect(page.get_by_text("The fixed-term contract ends.")).to_be_visible()
    expect(page.get_by_role("button", name="Terminate")).to_have_count(0)
    accessible(page, "termination record")
