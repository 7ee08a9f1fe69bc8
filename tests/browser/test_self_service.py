"""Self-service in a real browser: what every employee does for themselves, through the console only (the steps
of other people, such as HR hiring or payroll approving, go through the API as those people).

- A new hire activates their login from HR's token, fills a week in the grid and submits it; payroll approves
  it and the new hire sees it approved, with payroll's findings per day.
- A rejected week is corrected as a new version.
- A manager warns an employee; the employee reads the warning, sees the deadline and acknowledges it with a
  response (in Spanish).
- An employee files a complaint with her name withheld; the colleague it is about cannot find it.
- An employee opens an IT ticket and talks with the desk; sees her equipment, her training and a certificate's
  PDF; after a pay run, her payslip and its PDF.
Every screen of these flows passes axe (no serious or critical violation)."""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from consolekit import DemoCompany, Person, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

T = TypeVar("T")
PASSWORD = "a long enough password for Nina"
TODAY = date.today()
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def wait_for(check: Callable[[], T], what: str, timeout_s: float = 60) -> T:
    """Repeat ``check`` until it answers something true: what other services do arrives as events."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hr_week(client: httpx.Client, employee_id: str | None, week: date | None = None) -> dict[str, Any]:
    """The newest version of someone's (last) week, as HR keeps it."""
    params = {"employee_id": employee_id, **({"week_start": week.isoformat()} if week else {})}
    return dict(ok(client.get("/api/hr/timesheets", params=params))["items"][0])


def pending_at_payroll(client: httpx.Client, employee_id: str | None, week: date | None = None) -> list[Any]:
    params = {"employee_id": employee_id, "status": "pending", **({"week_start": week.isoformat()} if week else {})}
    return list(ok(client.get("/api/payroll/timesheets", params=params))["items"])


def no_untranslated_words(page: Page) -> None:
    """No translation key shown as text: the console's shared ones and self-service's own (`self.…`)."""
    assert untranslated_keys(page) == []
    assert re.findall(r"\bself\.[a-z_]+\.[a-z_.]+\b", page.locator("body").inner_text()) == []


def accessible(page: Page, name: str) -> None:
    """axe on the screen once it has settled (react-admin's loading indicator gone: it is not the screen's)."""
    for _ in range(2):  # twice: a refetch may start just after the first look
        expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
        page.wait_for_timeout(300)
    check_accessibility(page, name)


def cell(page: Page, kind: str, weekday: str) -> Any:
    return page.get_by_label(re.compile(rf"^{kind} hours on {weekday}"))


def open_menu(page: Page, name: str) -> None:
    page.get_by_role("menuitem", name=name).click()
    expect(page.get_by_role("status")).to_have_count(0, timeout=30_000)  # nothing left loading


def sign_out(page: Page, person: Person) -> None:
    name = person.who.rsplit(": ", 1)[-1]  # the user menu names the person: "Eve Martin"
    page.get_by_role("button", name=name).click()
    page.get_by_role("menuitem", name=re.compile("Logout|Cerrar sesión", re.I)).click()
    expect(page).to_have_url(re.compile("/login"))


def expect_pdf_shown(page: Page) -> None:
    """The PDF in the console's frame, from an object URL (the token never goes into an address), shown as a PDF."""
    expect(page.locator("iframe")).to_have_attribute("src", re.compile("^blob:"), timeout=30_000)
    for _ in range(120):  # Playwright sees frames load while it runs: wait with it, not beside it
        types = [frame.evaluate("document.contentType") for frame in page.frames if frame.url.startswith("blob:")]
        if "application/pdf" in types:
            return
        page.wait_for_timeout(250)
    raise AssertionError("the PDF did not load in its frame")


def test_new_hire_activates_fills_a_week_and_sees_payroll_approve_it(page: Page, demo: DemoCompany) -> None:
    hr = demo.api(demo.people["Hana"])
    payroll = demo.api(demo.people["Paul"])
    sales = next(d["id"] for d in ok(hr.get("/api/hr/departments"))["items"] if d["name"] == "Sales")
    email = f"nina.{uuid.uuid4().hex[:8]}@example.com"
    nina = ok(
        hr.post(
            "/api/hr/employees",
            json={
                "given_name": "Nina",
                "family_name": "Kowalski",
                "email": email,
                "department_id": sales,
                "manager_id": demo.people["Mia"].employee_id,
                "position": "Sales assistant",
                "employment_type": "salaried",
                "start_date": (TODAY - timedelta(days=30)).isoformat(),
                "pay_terms": {"pay_type": "salaried", "rate": "3000", "currency": "EUR", "frequency": "monthly"},
                "roles": ["employee"],
            },
        )
    )
    # The gateway makes her login from the hire (an event); HR hands her an activation token.
    login = wait_for(
        lambda: [u for u in ok(hr.get("/auth/users", params={"q": email}))["items"] if u["employee_id"] == nina["id"]],
        "the new hire's login",
    )[0]
    token = ok(hr.post(f"/auth/users/{login['id']}/activation-token"))["token"]

    page.goto(f"/activate?token={token}")
    expect(page.get_by_role("heading", name="Set your first password")).to_be_visible()
    accessible(page, "activation")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=confirm]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")
    person = Person(login["login"], PASSWORD, "new hire", nina["id"])
    sign_in(page, person)

    # Last week (every day of it past): Monday 9 hours, the other weekdays 8, overtime on Wednesday, a note.
    open_menu(page, "My week")
    this_week = monday(TODAY)
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    page.get_by_role("button", name="Previous week").click()
    week = this_week - timedelta(days=7)
    expect(page).to_have_url(re.compile(f"week={week.isoformat()}"))
    expect(page.get_by_text("not started")).to_be_visible()
    cell(page, "Regular", "Monday").fill("9")
    for weekday in WEEKDAYS[1:5]:
        cell(page, "Regular", weekday).fill("8")
    cell(page, "Overtime", "Wednesday").fill("1,5")  # as a Spanish speaker writes it
    page.get_by_label(re.compile("^Note for Monday")).fill("Release night")
    # The totals are exact as they are typed.
    expect(page.get_by_test_id(f"total-{week.isoformat()}")).to_have_text("9.00")
    expect(page.get_by_test_id(f"total-{(week + timedelta(days=2)).isoformat()}")).to_have_text("9.50")
    expect(page.get_by_test_id("total-regular")).to_have_text("41.00")
    expect(page.get_by_test_id("total-overtime")).to_have_text("1.50")
    expect(page.get_by_test_id("total-week")).to_have_text("42.50")
    # A cell that is not hours is named, and the week cannot be saved with it.
    cell(page, "Sick", "Friday").fill("two")
    expect(page.get_by_text(re.compile("Sick: write the hours as a number"))).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_be_disabled()
    cell(page, "Sick", "Friday").fill("")
    accessible(page, "my week (filled in)")
    screenshot(page, "my-week")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Week saved")).to_be_visible()

    # Payroll knows her (from the hire) before the week reaches it; then she submits, confirming.
    wait_for(lambda: payroll.get(f"/api/payroll/profiles/{nina['id']}").status_code == 200, "payroll's profile")
    page.get_by_role("button", name="Submit to payroll").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("42.50 hours go to payroll")
    accessible(page, "my week (confirm submit)")
    dialog.get_by_role("button", name="Submit to payroll").click()
    expect(page.get_by_text("Week submitted to payroll")).to_be_visible()
    expect(page.get_by_text("Submitted: payroll checks the hours")).to_be_visible()
    expect(page.get_by_label(re.compile("^Regular hours on Monday"))).to_have_count(0)  # no longer editable
    accessible(page, "my week (submitted)")

    # The payroll clerk approves it through the API.
    pending = wait_for(lambda: pending_at_payroll(payroll, nina["id"]), "the week at payroll")
    ok(payroll.post(f"/api/payroll/timesheets/{pending[0]['id']}/approve"))
    wait_for(lambda: hr_week(hr, nina["id"])["status"] == "verified", "payroll's verdict in HR")
    page.reload()
    expect(page.get_by_text("Payroll approved these hours")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("approved", exact=True).first).to_be_visible()
    # Payroll's findings, by day: Monday's ninth hour counted as overtime.
    findings = page.locator("dl").filter(has_text="Overtime in the day")
    expect(findings).to_contain_text("1.00 h above 8")
    expect(page.get_by_role("link", name=re.compile("approved, 42.50 hours"))).to_be_visible()
    accessible(page, "my week (approved)")


def test_a_rejected_week_is_corrected_as_a_new_version(page: Page, demo: DemoCompany) -> None:
    eve, payroll = demo.people["Eve"], demo.api(demo.people["Paul"])
    week = monday(TODAY) - timedelta(days=14)
    sign_in(page, eve)
    page.goto(f"/me/week?week={week.isoformat()}")
    expect(page.get_by_role("heading", name=re.compile("^Week of"))).to_be_visible()
    for weekday in WEEKDAYS[:5]:
        cell(page, "Regular", weekday).fill("8")
    page.get_by_role("button", name="Submit to payroll").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit to payroll").click()
    expect(page.get_by_text("Week submitted to payroll")).to_be_visible()

    pending = wait_for(lambda: pending_at_payroll(payroll, eve.employee_id, week), "the week at payroll")
    ok(payroll.post(f"/api/payroll/timesheets/{pending[0]['id']}/reject", json={"reason": "Friday was a holiday"}))
    eve_api = demo.api(eve)
    wait_for(lambda: hr_week(eve_api, eve.employee_id, week)["status"] == "rejected", "the rejection in HR")
    page.reload()
    expect(page.get_by_text(re.compile("Payroll rejected this week: Friday was a holiday"))).to_be_visible()
    accessible(page, "my week (rejected)")
    page.get_by_role("button", name="Correct as a new version").click()
    expect(page.get_by_text("version 2")).to_be_visible()
    expect(cell(page, "Regular", "Friday")).to_have_value("8.00")  # the rejected version's hours, copied
    cell(page, "Regular", "Friday").fill("")
    cell(page, "Holiday", "Friday").fill("8")
    page.get_by_role("button", name="Submit to payroll").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit to payroll").click()
    expect(page.get_by_text("Week submitted to payroll")).to_be_visible()
    expect(page.get_by_text(re.compile("Version 1: rejected, 40.00 hours. Friday was a holiday"))).to_be_visible()
    accessible(page, "my week (corrected)")

    # Payroll approves the correction (nothing stays pending for the pay run of a later test).
    corrected = wait_for(lambda: pending_at_payroll(payroll, eve.employee_id, week), "the corrected week at payroll")
    assert corrected[0]["version"] == 2
    assert {e["kind"] for e in corrected[0]["entries"] if e["day"] == (week + timedelta(days=4)).isoformat()} == {
        "holiday"
    }
    ok(payroll.post(f"/api/payroll/timesheets/{corrected[0]['id']}/approve"))


def test_employee_acknowledges_a_warning_with_a_response_in_spanish(page: Page, demo: DemoCompany) -> None:
    eve = demo.people["Eve"]
    facts = f"Llegó 40 minutos tarde a la reunión con el cliente ({uuid.uuid4().hex[:6]})"
    ok(
        demo.api(demo.people["Mia"]).post(
            "/api/hr/warnings",
            json={
                "employee_id": eve.employee_id,
                "category": "attendance",
                "severity": "minor",
                "facts": facts,
                "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
            },
        )
    )
    eve_api = demo.api(eve)

    def the_warning() -> list[dict[str, Any]]:
        page_ = ok(eve_api.get("/api/hr/warnings", params={"employee_id": eve.employee_id}))
        return [w for w in page_["items"] if w["facts"] == facts]

    warning = wait_for(the_warning, "the warning in HR")[0]

    sign_in(page, eve, locale="es")
    open_menu(page, "Mis amonestaciones")
    # Other tests warn Eve too: this warning's own row, by the link to it.
    link = page.locator(f'a[href="/me/warnings/{warning["id"]}"]')
    row = page.get_by_role("row").filter(has=link)
    expect(row).to_contain_text("Pendiente de acuse")
    expect(link).to_have_text("Asistencia")
    no_untranslated_words(page)
    accessible(page, "mis amonestaciones")
    link.click()
    expect(page.get_by_text(facts)).to_be_visible()
    expect(page.get_by_text(re.compile("Dé acuse de recibo de esta amonestación antes del"))).to_be_visible()
    no_untranslated_words(page)
    accessible(page, "una amonestación")
    response = "El tren se averió; avisé a mi responsable a las 9:05."
    page.get_by_label("Mi respuesta (opcional)").fill(response)
    page.get_by_role("button", name="Acusar recibo").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Su respuesta se guarda con ella")
    accessible(page, "acusar recibo (confirmación)")
    dialog.get_by_role("button", name="Acusar recibo").click()
    expect(page.get_by_text(re.compile("Acusó recibo de esta amonestación el"))).to_be_visible()
    expect(page.get_by_text(response)).to_be_visible()
    no_untranslated_words(page)
    accessible(page, "una amonestación (recibida)")
    screenshot(page, "my-warning-es")

    read = ok(eve_api.get(f"/api/hr/warnings/{warning['id']}"))
    assert read["acknowledged_at"]
    assert read["response"] == response


def test_complaint_with_name_withheld_is_hidden_from_the_colleague(page: Page, demo: DemoCompany) -> None:
    eve, omar = demo.people["Eve"], demo.people["Omar"]
    summary = f"Remarks about my accent in meetings ({uuid.uuid4().hex[:6]})"
    sign_in(page, eve)
    open_menu(page, "My complaints")
    page.get_by_role("link", name="File a complaint").first.click()
    expect(page.get_by_label("A person")).to_be_checked()
    person = page.get_by_role("combobox", name="Person")
    person.fill("Omar")
    page.get_by_role("option", name="Omar Haddad").click()
    page.get_by_label("Summary").fill(summary)
    page.get_by_label("Details").fill("Three times this month, in front of clients.")
    page.get_by_label("Withhold my name").check()
    accessible(page, "file a complaint")
    screenshot(page, "file-a-complaint")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your complaint was filed with HR")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=summary)
    expect(row).to_contain_text("Withheld")
    expect(row).to_contain_text("Omar Haddad")
    expect(row).to_contain_text("Filed")
    accessible(page, "my complaints")

    mine = [c for c in ok(demo.api(eve).get("/api/hr/complaints"))["items"] if c["summary"] == summary]
    assert len(mine) == 1
    assert mine[0]["withhold_name"] is True
    assert mine[0]["against_employee_id"] == omar.employee_id

    # Omar cannot find it: not through the API, not in the console.
    as_omar = demo.api(omar)
    assert all(c["summary"] != summary for c in ok(as_omar.get("/api/hr/complaints"))["items"])
    assert as_omar.get(f"/api/hr/complaints/{mine[0]['id']}").status_code == 404
    sign_out(page, eve)
    sign_in(page, omar)
    open_menu(page, "My complaints")
    expect(page.get_by_text("You have filed no complaints.")).to_be_visible()
    expect(page.get_by_text(summary)).to_have_count(0)
    accessible(page, "my complaints (none)")


def test_employee_opens_a_ticket_and_talks_with_the_desk(page: Page, demo: DemoCompany) -> None:
    eve, ida = demo.people["Eve"], demo.api(demo.people["Ida"])
    subject = f"The docking station drops the screen ({uuid.uuid4().hex[:6]})"
    sign_in(page, eve)
    open_menu(page, "My IT tickets")
    page.get_by_role("link", name="Open a ticket").first.click()
    page.get_by_label("Subject").fill(subject)
    page.get_by_role("combobox", name="Category").click()
    page.get_by_role("option", name="Hardware").click()
    page.get_by_label("Description").fill("Every morning since Monday.")
    accessible(page, "open a ticket")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=2, name=re.compile(re.escape(subject)))).to_be_visible()
    expect(page.get_by_text("No replies yet.")).to_be_visible()
    page.get_by_label("My reply").fill("It also happens with the spare one.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("It also happens with the spare one.")).to_be_visible()
    accessible(page, "a ticket")
    screenshot(page, "my-ticket")

    # The desk answers through the API; she sees the answer and the ticket's status.
    ticket = wait_for(
        lambda: [
            t
            for t in ok(ida.get("/api/helpdesk/tickets", params={"requester_employee_id": eve.employee_id}))["items"]
            if t["subject"] == subject
        ],
        "the ticket at the desk",
    )[0]
    ok(ida.post(f"/api/helpdesk/tickets/{ticket['id']}/comments", json={"body": "Try the left USB-C port."}))
    ok(ida.post(f"/api/helpdesk/tickets/{ticket['id']}/status", json={"status": "pending"}))
    page.reload()
    expect(page.get_by_text("Try the left USB-C port.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Waiting for you").first).to_be_visible()

    open_menu(page, "My IT tickets")
    row = page.get_by_role("row").filter(has_text=subject)
    expect(row).to_contain_text("Waiting for you")
    expect(row).to_contain_text("Hardware")
    accessible(page, "my tickets")
    screenshot(page, "my-tickets")


def test_employee_sees_her_equipment_training_and_certificate(page: Page, demo: DemoCompany) -> None:
    eve = demo.people["Eve"]
    ida, hr = demo.api(demo.people["Ida"]), demo.api(demo.people["Hana"])
    tag = f"LT-{uuid.uuid4().hex[:6]}"
    asset = ok(
        ida.post(
            "/api/helpdesk/assets",
            json={"tag": tag, "type": "laptop", "model": "ThinkPad T14", "serial": f"SN{tag}", "warranty_end": None},
        )
    )
    ok(ida.post(f"/api/helpdesk/assets/{asset['id']}/assign", json={"employee_id": eve.employee_id}))

    title = f"Fire safety ({uuid.uuid4().hex[:6]})"
    course = ok(hr.post("/api/hr/courses", json={"title": title, "duration_hours": "2", "validity_months": 1}))
    enrolment = ok(hr.post(f"/api/hr/courses/{course['id']}/enrolments", json={"employee_id": eve.employee_id}))
    writer, pdf = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    certificate = ok(
        hr.post(
            "/api/docs/documents",
            files={"file": ("certificate.pdf", pdf.getvalue(), "application/pdf")},
            data={"title": f"Certificate, {title}", "type": "certificate", "employee_id": eve.employee_id},
        )
    )
    completed_on = TODAY - timedelta(days=10)
    ok(
        hr.post(
            f"/api/hr/enrolments/{enrolment['id']}/completion",
            json={"completed_on": completed_on.isoformat(), "certificate_document_id": certificate["id"]},
        )
    )

    sign_in(page, eve)
    open_menu(page, "My equipment")
    row = page.get_by_role("row").filter(has_text=tag)
    expect(row).to_contain_text("ThinkPad T14")
    expect(row).to_contain_text("With you")
    accessible(page, "my equipment")

    open_menu(page, "My training")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Completed")
    expect(row).to_contain_text(re.compile(r"expires in \d+ days"))
    accessible(page, "my training")
    screenshot(page, "my-training")
    row.get_by_role("link", name=f"Certificate of {title}").click()
    page.get_by_role("button", name="Show the PDF").click()
    expect_pdf_shown(page)
    accessible(page, "a certificate")


def test_employee_reads_her_payslip_and_its_pdf(page: Page, demo: DemoCompany) -> None:
    eve, clerk = demo.people["Eve"], demo.people["Paul"]
    payroll, hr = demo.api(clerk), demo.api(demo.people["Hana"])
    last_month_end = TODAY.replace(day=1) - timedelta(days=1)
    run = ok(
        payroll.post(
            "/api/payroll/payruns",
            json={
                "pay_group": "monthly",
                "period_start": last_month_end.replace(day=1).isoformat(),
                "period_end": last_month_end.isoformat(),
                "pay_date": last_month_end.isoformat(),
            },
        )
    )
    ok(payroll.post(f"/api/payroll/payruns/{run['id']}/calculate"))
    # The clerk's own payslip is checked by HR before the clerk approves the run.
    for own in ok(payroll.get("/api/payroll/payslips", params={"run_id": run["id"], "employee_id": clerk.employee_id}))[
        "items"
    ]:
        ok(hr.post(f"/api/payroll/payslips/{own['id']}/sign-off"))
    ok(payroll.post(f"/api/payroll/payruns/{run['id']}/approve"))
    slip = ok(payroll.get("/api/payroll/payslips", params={"run_id": run["id"], "employee_id": eve.employee_id}))[
        "items"
    ][0]

    sign_in(page, eve)
    open_menu(page, "My payslips")
    row = page.get_by_role("row").filter(has=page.get_by_role("link"))
    expect(row.first).to_contain_text("€")
    accessible(page, "my payslips")
    row.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(f"/me/payslips/{slip['id']}$"))
    expect(page.get_by_role("heading", level=2, name=re.compile("^Payslip,"))).to_be_visible()
    net = f"€{Decimal(slip['net']):,.2f}"  # shown in the payslip's currency
    expect(page.get_by_text(net).first).to_be_visible()
    # docs files the PDF a moment after the run is approved, tagged with the payslip's id.
    wait_for(
        lambda: ok(
            demo.api(eve).get("/api/docs/documents", params={"type": "payslip", "tag": f"payslip:{slip['id']}"})
        )["total"],
        "the payslip's PDF",
        timeout_s=90,
    )
    page.reload()
    page.get_by_role("button", name="Show the PDF").click()
    expect_pdf_shown(page)
    expect(page.get_by_role("link", name="Open in a new tab")).to_have_attribute("target", "_blank")
    accessible(page, "a payslip")
    screenshot(page, "my-payslip")
