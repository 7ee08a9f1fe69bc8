"""Fair pay in the console (issue 22), against the real suite with the demo company: a pay auditor opens the pay gap
report (a small company: every group is suppressed, never a figure), files the pay register as a PDF and sees the
document docs filed; an employee asks for the pay in her category; HR sees the request; axe on each screen, and the
report in Spanish."""

from __future__ import annotations

import re
import time
import uuid
from contextlib import closing
from datetime import date

import httpx
from consolekit import DemoCompany, Person, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect

SUPPRESSED = "Suppressed — fewer than 5 workers"


def make_auditor(demo: DemoCompany) -> Person:
    """A login holding pay_auditor only, made through the gateway's admin API as an administrator would."""
    login, password = f"auditor-{uuid.uuid4().hex[:6]}", "a long enough password"
    with closing(demo.api(demo.admin)) as admin:
        made = admin.post(
            "/auth/users",
            json={
                "login": login,
                "email": f"{login}@example.com",
                "roles": ["pay_auditor"],
                "password": password,
                "name": "Ada Auditor",
            },
        )
        assert made.status_code == 201, made.text
    return Person(login, password, "pay auditor")


def has_job_categories(hr: httpx.Client) -> bool:
    """Whether HR's job categories (issue 22's other part) are in this suite: without them no position has a
    category, and an employee's request is refused saying so."""
    return hr.get("/api/hr/job-categories").status_code != 404


def place_in_a_category(hr: httpx.Client, employee: httpx.Client) -> None:
    """The employee's position in a job category (the demo company may place it already; else HR defines one and
    places it), and payroll told of it by HR's events: it answers the employee once it has."""
    mine = employee.get("/api/hr/me/job-category").json()
    if mine["category"] is None:
        scores = {"skills": 2, "effort": 2, "responsibility": 1, "working_conditions": 1}
        made = hr.post(
            "/api/hr/job-categories",
            json={"code": f"SA-{uuid.uuid4().hex[:4]}", "name": "Sales support", "scores": scores},
        )
        assert made.status_code == 201, made.text
        placed = hr.post(
            f"/api/hr/job-categories/{made.json()['id']}/placements",
            json={"position": mine["position"], "effective_from": "2000-01-01"},
        )
        assert placed.status_code == 201, placed.text
    deadline = time.monotonic() + 30
    while employee.post("/api/payroll/pay-information-requests").status_code != 201:
        assert time.monotonic() < deadline, "payroll never learnt the position's category"
        time.sleep(0.5)


def this_year(page: Page, year: str, show: str) -> None:
    """The report of this year, which pays nobody who declared their sex (test_fair_pay_figures.py pays its
    company in 2025, the default period in 2026): every group suppressed whatever order the tests run in."""
    page.get_by_role("combobox", name=year).click()
    page.get_by_role("option", name=str(date.today().year), exact=True).click()
    page.get_by_role("button", name=show).click()
    expect(page.get_by_role("combobox", name=year)).to_have_text(str(date.today().year))


def test_a_pay_auditor_reads_the_gap_report_and_files_the_register_and_an_employee_asks(
    page: Page, demo: DemoCompany
) -> None:
    auditor = make_auditor(demo)
    eve, hana = demo.people["Eve"], demo.people["Hana"]

    # The report: the demo company's groups are all under five, so each is suppressed, never shown.
    sign_in(page, auditor)
    page.get_by_role("menuitem", name="Pay gap report").click()
    expect(page.get_by_role("heading", name="Pay gap report", level=2)).to_be_visible()
    this_year(page, "Year", "Show")
    headline = page.get_by_role("table", name="Gaps in pay per hour")
    expect(headline.get_by_role("row")).to_have_count(4)
    expect(headline.get_by_text(SUPPRESSED)).to_have_count(3)
    expect(page.get_by_role("table", name="Quartile pay bands").get_by_text(SUPPRESSED)).to_have_count(4)
    expect(page.get_by_text("Groups of fewer than 5 workers are suppressed")).to_be_visible()
    # No figure leaks: no amount anywhere in the gap tables.
    assert not re.search(r"\d+\.\d{2}", headline.inner_text())
    # A pay auditor reads; only HR and admins record justifications and assessments.
    expect(page.get_by_role("button", name="Record a justification")).to_have_count(0)
    assert untranslated_keys(page) == []
    check_accessibility(page, "the pay gap report")
    screenshot(page, "fairpay-report")

    # The register, filed as a PDF: the screen waits for docs and then offers the document.
    page.get_by_role("menuitem", name="Pay register").click()
    expect(page.get_by_role("heading", name="Pay register", level=2)).to_be_visible()
    expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
    page.get_by_role("button", name="File as PDF").click()
    expect(page.get_by_text(re.compile(r"Filed in documents: Pay register \d{4}-01-01 to \d{4}-12-31"))).to_be_visible(
        timeout=60_000
    )
    page.get_by_role("button", name="Show the PDF").click()
    expect(page.locator("iframe[title^='Pay register']")).to_be_visible()
    assert untranslated_keys(page) == []
    check_accessibility(page, "the pay register")
    screenshot(page, "fairpay-register")
    with closing(demo.api(auditor)) as api:
        filed = api.get("/api/docs/documents", params={"type": "pay_register"}).json()["items"]
        assert len(filed) == 1
        assert sorted(filed[0]["roles"]) == ["hr", "pay_auditor", "payroll"]
        assert "pay-register" in filed[0]["tags"]
    with closing(demo.api(eve)) as api, closing(demo.api(hana)) as hr:
        assert api.get("/api/docs/documents", params={"type": "pay_register"}).json()["items"] == []
        categories = has_job_categories(hr)
        if categories:
            place_in_a_category(hr, api)  # and her first request, made once payroll knows the category

    page.get_by_role("menuitem", name="Joint pay assessments").click()
    expect(page.get_by_text("No joint pay assessment yet.")).to_be_visible()
    check_accessibility(page, "the joint pay assessments")

    # An employee asks for the pay in her category.
    page.context.clear_cookies()
    sign_in(page, eve)
    page.get_by_role("menuitem", name="Pay in my category").click()
    expect(page.get_by_role("heading", name="Pay in my category", level=2)).to_be_visible()
    if not categories:
        expect(page.get_by_text("You have not asked yet.")).to_be_visible()
    page.get_by_role("button", name="Ask for the pay in my category").click()
    if categories:
        answer = page.get_by_role("status")
        expect(answer.get_by_text("Suppressed — fewer than 5 workers")).to_have_count(2)
        expect(answer.get_by_text(re.compile("is not shown: its figures could tell"))).to_be_visible()
        expect(page.get_by_role("table", name="My earlier requests").get_by_role("row")).to_have_count(3)
    else:
        # No job categories in this suite: the refusal says why and what to do.
        expect(page.get_by_role("alert")).to_contain_text("ask HR to place it in a job category first")
    assert untranslated_keys(page) == []
    check_accessibility(page, "pay in my category")
    screenshot(page, "fairpay-pay-in-my-category")

    # HR sees the employees' requests (none when there was no category to answer from).
    page.context.clear_cookies()
    sign_in(page, hana)
    page.goto("/fairpay/information-requests")
    expect(page.get_by_role("heading", name="Pay information requests", level=2)).to_be_visible()
    if categories:
        expect(page.get_by_role("table", name="Pay information requests").get_by_text(SUPPRESSED)).to_have_count(4)
    else:
        expect(page.get_by_text("No employee has asked yet.")).to_be_visible()
    check_accessibility(page, "the information requests")


def test_the_pay_gap_report_in_spanish(page: Page, demo: DemoCompany) -> None:
    auditor = make_auditor(demo)
    sign_in(page, auditor, locale="es")
    page.get_by_role("menuitem", name="Brecha retributiva").click()
    expect(page.get_by_role("heading", name="Informe de brecha retributiva", level=2)).to_be_visible()
    this_year(page, "Año", "Mostrar")
    headline = page.get_by_role("table", name="Brechas en la retribución por hora")
    expect(headline.get_by_text("Oculto — menos de 5 personas")).to_have_count(3)
    assert untranslated_keys(page) == []
    check_accessibility(page, "the pay gap report in Spanish")
    screenshot(page, "fairpay-report-es")
