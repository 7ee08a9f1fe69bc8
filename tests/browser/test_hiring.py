"""HR's hiring, checklists and training in a real browser, through the console only (what a test sets up through
the API says so): an opening drafted and approved, candidates on its pipeline board moved stage by stage, an
interview with the panel's feedback, an offer sent and accepted (the person is hired once, however often the
acceptance is clicked), their onboarding checklist with its late tasks; a course with a session, an enrolment
through attendance to completion, and the certificates that expire in the next 30, 60 or 90 days. Every screen
passes axe; the board is shown in Spanish without an untranslated word."""

from __future__ import annotations

import re
from contextlib import closing
from datetime import date, timedelta
from typing import Any

import pytest
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Locator, Page, expect

TODAY = date.today()


@pytest.fixture(autouse=True)
def patient_expectations() -> None:
    # Screens load their chunk the first time they open, then their data: more than the default 5 s on a busy
    # machine shared with other work.
    expect.set_options(timeout=20_000)


def settled(page: Page) -> None:
    """Nothing is loading any more (a spinner is no state to check the accessibility of), nor about to: an
    autocomplete asks again for the name just chosen a moment after the choice."""
    spinners = page.locator(".MuiCircularProgress-root, .MuiLinearProgress-root")
    quiet = 0
    while quiet < 2:
        expect(spinners).to_have_count(0)
        expect(page.get_by_role("status")).to_have_count(0)
        page.wait_for_timeout(400)
        quiet = quiet + 1 if spinners.count() == 0 else 0
    # Nor moving: a notification or a dialog fading in is checked once it shows in its own colours.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")


def check(page: Page, name: str) -> None:
    settled(page)
    check_accessibility(page, name)


def content(page: Page) -> Locator:
    """The page's content, without the app bar (which repeats the page's title)."""
    return page.locator("#main-content")


def menu(page: Page, name: str) -> None:
    page.get_by_role("menuitem", name=name, exact=True).click()


def pick(page: Page, label: str, typed: str, option: str) -> None:
    """Choose in an autocomplete input: type part of the name, then the option."""
    page.get_by_label(label).fill(typed)
    page.get_by_role("option", name=option).click()


def column(page: Page, stage: str) -> Locator:
    """A column of the pipeline board (its heading names the stage and its count)."""
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(stage)} \(\d+\)$"))


def card(page: Page, name: str) -> Locator:
    return page.get_by_role("article", name=name)


def test_hr_hires_a_candidate_through_the_pipeline_once(page: Page, demo: DemoCompany) -> None:
    hana = demo.people["Hana"]
    sign_in(page, hana)

    # An opening: drafted, then approved (it asks first, saying what approving does).
    menu(page, "Openings")
    check(page, "openings")
    page.get_by_role("link", name="Create").first.click()
    page.get_by_label("Position").fill("Warehouse clerk")
    page.get_by_label("Lowest salary").fill("24000")
    page.get_by_label("Highest salary").fill("28000.50")
    pick(page, "Hiring manager", "Mia", "Mia Santos")
    check(page, "opening form")
    page.get_by_role("button", name="Save").click()
    expect(content(page).get_by_role("heading", name="Opening: Warehouse clerk")).to_be_visible()
    expect(page.get_by_text("A draft takes no applications")).to_be_visible()
    check(page, "draft opening")
    page.get_by_role("button", name="Approve").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("€24,000.00 \u2013 €28,000.50")
    check(page, "approval asked")
    dialog.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("button", name="Put on hold")).to_be_visible()
    opening_url = page.url

    # Three candidates added from the board, each applied to it at once.
    for given, family, source in (
        ("Nora", "Quist", "referral"),
        ("Tom", "Berg", "job board"),
        ("Ola", "Rey", "agency"),
    ):
        page.get_by_role("link", name="Add a candidate").click()
        page.get_by_label("Given name").fill(given)
        page.get_by_label("Family name").fill(family)
        page.get_by_label("E-mail").fill(f"{given}.{family}@mail.example".lower())
        page.get_by_label("Source").fill(source)
        if given == "Nora":
            expect(page.get_by_label("Apply to the opening")).to_contain_text("Warehouse clerk")
            check(page, "candidate form")
        page.get_by_role("button", name="Save").click()
        expect(card(page, f"{given} {family}")).to_be_visible()
        expect(page).to_have_url(opening_url)
    expect(column(page, "Applied")).to_contain_text("(3)")

    # Moved with the cards' buttons (from the keyboard too), to any stage through "Move to…", or dragged to a
    # column; a rejection asks for its reason.
    card(page, "Nora Quist").get_by_role("button", name="Move to Screening: Nora Quist").click()
    expect(column(page, "Screening").get_by_role("article", name="Nora Quist")).to_be_visible()
    card(page, "Tom Berg").get_by_role("button", name="Move to Screening: Tom Berg").focus()
    page.keyboard.press("Enter")
    expect(column(page, "Screening").get_by_role("article", name="Tom Berg")).to_be_visible()
    card(page, "Ola Rey").get_by_role("button", name="Move to…: Ola Rey").click()
    page.get_by_role("menuitem", name="Interview", exact=True).click()
    expect(column(page, "Interview").get_by_role("article", name="Ola Rey")).to_be_visible()
    card(page, "Ola Rey").get_by_role("button", name="Reject: Ola Rey").click()
    page.get_by_role("dialog").get_by_role("button", name="Reject").click()
    expect(page.get_by_role("dialog").get_by_text("Required")).to_be_visible()  # no reason, no rejection
    page.get_by_role("dialog").get_by_label("Reason").fill("Lives too far for the early shift")
    page.get_by_role("dialog").get_by_role("button", name="Reject").click()
    expect(column(page, "Rejected or withdrawn").get_by_role("article", name="Ola Rey")).to_contain_text("rejected")
    nora = card(page, "Nora Quist")
    nora.drag_to(column(page, "Interview"))
    expect(column(page, "Interview").get_by_role("article", name="Nora Quist")).to_be_visible()
    check(page, "pipeline board")
    expect(page.locator(".MuiSnackbar-root")).to_have_count(0)  # the notification of the last move has gone
    screenshot(page, "hr-pipeline")

    # An interview with a panel (Hana sits on it; it took place yesterday), and her feedback.
    nora.get_by_role("link", name="Nora Quist").click()
    expect(content(page).get_by_role("heading", name="Nora Quist — Warehouse clerk")).to_be_visible()
    page.get_by_role("textbox", name="When").fill(f"{TODAY - timedelta(days=1)}T10:00")
    pick(page, "Panel", "Hana", "Hana Reyes")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Schedule an interview").click()
    expect(page.get_by_text("Your feedback", exact=True)).to_be_visible()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("radio", name="Hire", exact=True).check()
    page.get_by_label("Notes").fill("Knows the stock system already.")
    check(page, "application with an interview")
    page.get_by_role("button", name="Give feedback").click()
    expect(page.get_by_text("Hana Reyes: 4/5, Hire — Knows the stock system already.")).to_be_visible()
    expect(page.get_by_text("Rating 4.0 (expected 3.50)")).to_be_visible()
    menu(page, "Interviews")
    expect(page.get_by_role("cell", name="Nora Quist")).to_be_visible()
    check(page, "interviews")
    page.go_back()

    # To the offer stage, then an offer: made, sent (asked first), accepted (asked first: it hires).
    expect(content(page).get_by_role("heading", name="Nora Quist — Warehouse clerk")).to_be_visible()
    move = page.get_by_role("button", name="Move to Offer: Nora Quist")
    move.click()
    offer_form = page.get_by_role("heading", name="Make an offer")
    try:
        expect(offer_form).to_be_visible(timeout=10_000)
    except AssertionError:
        # Back on the page its record is fetched again: a click landing on the button the refetch replaces is lost
        # (twice in CI under load). The application must still be at the interview stage then: once more.
        if not offer_form.is_visible():
            expect(move).to_be_enabled()
            move.click()
        expect(offer_form).to_be_visible()
    page.get_by_label("Pay rate").fill("2100")
    start = TODAY - timedelta(days=1)  # she started yesterday: her first onboarding tasks are late already
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_role("button", name="Make an offer").click()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("dialog")).to_contain_text("€2,100.00 a month")
    page.get_by_role("dialog").get_by_role("button", name="Send").click()
    expect(page.get_by_role("button", name="Accept")).to_be_visible()

    # A second tab shows the same sent offer: the acceptance is clicked in both (and twice in the first).
    other = page.context.new_page()
    other.goto(page.url)
    expect(other.get_by_role("button", name="Accept")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Nora Quist is hired as Warehouse clerk")
    check(page, "acceptance asked")
    dialog.get_by_role("button", name="Hire").dblclick()
    hired = page.get_by_role("link", name="Nora Quist's employee record").first
    expect(hired).to_be_visible()
    other.get_by_role("button", name="Accept").click()
    other.get_by_role("dialog").get_by_role("button", name="Hire").click()
    expect(other.get_by_role("link", name="Nora Quist's employee record").first).to_be_visible()
    assert other.get_by_role("link", name="Nora Quist's employee record").first.get_attribute(
        "href"
    ) == hired.get_attribute("href")
    other.close()
    check(page, "hired")
    employee_id = (hired.get_attribute("href") or "").split("/")[-2]

    # Hired once: one employee of that name, whose page the link opens.
    menu(page, "Employees")
    page.get_by_placeholder("Search").fill("Quist")
    expect(page.get_by_role("row")).to_have_count(2)  # the heading's row and hers
    expect(page.get_by_role("cell", name="Nora")).to_be_visible()
    page.go_back()
    page.goto(opening_url)
    expect(column(page, "Hired").get_by_role("article", name="Nora Quist")).to_be_visible()
    expect(page.get_by_text("The opening is filled")).to_be_visible()

    # Her onboarding checklist (made by the hire), with what is late; a task ticked off.
    menu(page, "Onboarding and offboarding")
    pick(page, "Employee", "Quist", "Nora Quist")
    expect(page).to_have_url(re.compile(f"/checklists/people/{employee_id}$"))
    tasks = page.get_by_role("row")
    expect(page.get_by_role("cell", name="Sign the contract", exact=True)).to_be_visible()
    for title, late in (("Sign the contract", True), ("Laptop and accounts", True), ("Read the handbook", False)):
        row = tasks.filter(has_text=title)
        expect(row).to_contain_text("to do")
        if late:
            expect(row).to_contain_text("late")
        else:
            expect(row).not_to_contain_text("late")
    check(page, "a person's checklist")
    page.get_by_role("button", name="Mark done: Sign the contract").click()
    expect(tasks.filter(has_text="Sign the contract")).to_contain_text("done")
    expect(tasks.filter(has_text="Sign the contract")).not_to_contain_text("late")
    menu(page, "Late checklist tasks")
    late_tasks = page.get_by_role("row").filter(has=page.get_by_role("link", name="Nora Quist"))
    laptop = late_tasks.filter(has_text="Laptop and accounts")
    expect(
        laptop.get_by_role("cell", name="2", exact=True)
    ).to_be_visible()  # days late: due the day before she started
    expect(late_tasks.filter(has_text="Sign the contract")).to_have_count(0)
    check(page, "late tasks")

    # The templates the checklists are made from: edited whole and saved.
    menu(page, "Checklist templates")
    check(page, "checklist templates")
    page.get_by_role("link", name="Edit the onboarding template").click()
    expect(page.get_by_label("Task").first).to_have_value("Sign the contract")
    check(page, "checklist template form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The template is saved")).to_be_visible()


def test_hr_enrols_a_person_and_sees_the_certificates_expiring_in_30_60_90_days(page: Page, demo: DemoCompany) -> None:
    hana, eve = demo.people["Hana"], demo.people["Eve"]
    # Set up through the API: two mandatory courses of Eve's department that she completed ten days ago, one
    # valid a month (it expires within 30 days), one two months (within 60).
    with closing(demo.api(hana)) as api:
        department = api.get(f"/api/hr/employees/{eve.employee_id}").json()["department_id"]
        for title, months in (("Ladder safety", 1), ("Manual handling", 2)):
            course = _ok(
                api.post(
                    "/api/hr/courses",
                    json={
                        "title": title,
                        "mandatory_departments": [department],
                        "duration_hours": "2",
                        "validity_months": months,
                    },
                )
            )
            enrolment = _ok(
                api.post(f"/api/hr/courses/{course['id']}/enrolments", json={"employee_id": eve.employee_id})
            )
            done = {"completed_on": (TODAY - timedelta(days=10)).isoformat(), "score": "90"}
            _ok(api.post(f"/api/hr/enrolments/{enrolment['id']}/completion", json=done))

    sign_in(page, hana)
    # A course made in the console, a session planned, a person enrolled in it, attending, completing.
    menu(page, "Courses")
    expect(page.get_by_role("cell", name="Ladder safety")).to_be_visible()
    check(page, "courses")
    page.get_by_role("link", name="Create").first.click()
    page.get_by_label("Title").fill("Forklift basics")
    page.get_by_label("Hours").fill("3.5")
    page.get_by_label("Certificate valid (months)").fill("24")
    check(page, "course form")
    page.get_by_role("button", name="Save").click()
    expect(content(page).get_by_role("heading", name="Course: Forklift basics")).to_be_visible()
    expect(page.get_by_text("No session planned yet.")).to_be_visible()
    expect(page.get_by_text("Nobody is enrolled yet.")).to_be_visible()
    page.get_by_role("textbox", name="Starts").fill(f"{TODAY - timedelta(days=2)}T09:30")
    page.get_by_label("Where").fill("Yard")
    page.get_by_label("Places").fill("8")
    page.get_by_role("button", name="Plan a session").click()
    sessions = page.get_by_role("region", name="Sessions")
    expect(sessions.get_by_role("row").filter(has_text="Yard")).to_contain_text("0 of 8")
    pick(page, "Employee", "Omar", "Omar Haddad")
    page.get_by_label("Session").last.click()
    page.get_by_role("option", name=re.compile("Yard")).click()
    page.get_by_role("button", name="Enrol a person").click()
    enrolled = page.get_by_role("region", name="Who is enrolled").get_by_role("row").filter(has_text="Omar Haddad")
    expect(enrolled).to_contain_text("enrolled")
    expect(sessions.get_by_role("row").filter(has_text="Yard")).to_contain_text("1 of 8")
    check(page, "course with an enrolment")
    enrolled.get_by_role("button", name="Attended").click()
    expect(enrolled).to_contain_text("attended")
    enrolled.get_by_role("button", name="Completed").click()
    page.get_by_role("dialog").get_by_label("Score (0 to 100)").fill("85")
    check(page, "completion form")
    page.get_by_role("dialog").get_by_role("button", name="Completed").click()
    expect(enrolled).to_contain_text("completed")
    expires = TODAY.replace(year=TODAY.year + 2) if not (TODAY.month == 2 and TODAY.day == 29) else None
    if expires is not None:
        expect(enrolled).to_contain_text(f"{expires:%b} {expires.day}, {expires.year}")

    # The certificates expiring: in 30 days only the one-month course, in 60 both; what is overdue on request.
    menu(page, "Expiring certificates")
    report = page.get_by_role("region", name=re.compile("Certificates expiring"))
    eve_rows = report.get_by_role("row").filter(has_text="Eve Martin")
    expect(report.get_by_role("heading")).to_have_text("Certificates expiring in the next 30 days")
    expect(eve_rows.filter(has_text="Ladder safety")).to_contain_text("expiring")
    expect(eve_rows.filter(has_text="Manual handling")).to_have_count(0)
    check(page, "expiring in 30 days")
    page.get_by_role("button", name="60 days").click()
    expect(page.get_by_role("button", name="60 days")).to_have_attribute("aria-pressed", "true")
    expect(eve_rows.filter(has_text="Manual handling")).to_contain_text("expiring")
    expect(eve_rows.filter(has_text="Ladder safety")).to_be_visible()
    page.get_by_role("button", name="90 days").click()
    expect(report.get_by_role("heading")).to_have_text("Certificates expiring in the next 90 days")
    expect(eve_rows).to_have_count(2)
    check(page, "expiring in 90 days")
    screenshot(page, "hr-certificates-expiring")
    # Renewal enrols each of them again (asked first); a second renewal finds them enrolled already.
    page.get_by_role("button", name="Enrol them again").click()
    expect(page.get_by_role("dialog")).to_contain_text("expires within 90 days")
    page.get_by_role("dialog").get_by_role("button", name="Enrol them again").click()
    expect(page.get_by_text(re.compile(r"\d+ (person|people) enrolled again"))).to_be_visible()
    with closing(demo.api(hana)) as api:
        training = api.get(f"/api/hr/employees/{eve.employee_id}/training").json()["items"]
    renewals = sorted(e["course_title"] for e in training if e["reason"] == "renewal")
    assert renewals == ["Ladder safety", "Manual handling"]


def test_the_pipeline_board_and_the_certificates_in_spanish(page: Page, demo: DemoCompany) -> None:
    hana = demo.people["Hana"]
    with closing(demo.api(hana)) as api:  # an open opening with one candidate, set up through the API
        opening = _ok(
            api.post(
                "/api/hr/openings",
                json={
                    "position": "Dependiente",
                    "salary_min": "1500",
                    "salary_max": "1800",
                    "hiring_manager_id": demo.people["Mia"].employee_id,
                },
            )
        )
        _ok(api.post(f"/api/hr/openings/{opening['id']}/approve"))
        person = _ok(
            api.post(
                "/api/hr/candidates",
                json={"given_name": "Lucía", "family_name": "Prieto", "email": "lucia@mail.example", "source": "web"},
            )
        )
        _ok(api.post("/api/hr/applications", json={"opening_id": opening["id"], "candidate_id": person["id"]}))

    sign_in(page, hana, locale="es")
    expect(page.get_by_role("group", name="Selección y formación")).to_be_visible()
    menu(page, "Vacantes")
    page.get_by_role("cell", name="Dependiente").click()
    expect(column(page, "Inscrito").get_by_role("article", name="Lucía Prieto")).to_be_visible()
    card(page, "Lucía Prieto").get_by_role("button", name="Pasar a Preselección: Lucía Prieto").click()
    expect(column(page, "Preselección").get_by_role("article", name="Lucía Prieto")).to_be_visible()
    expect(page.get_by_text("Lucía Prieto ha pasado a Preselección")).to_be_visible()
    check(page, "pipeline board (es)")
    assert untranslated_keys(page) == []
    assert _hiring_keys(page) == []
    expect(page.locator(".MuiSnackbar-root")).to_have_count(0)
    screenshot(page, "hr-pipeline-es")
    menu(page, "Certificados que caducan")
    expect(page.get_by_role("heading", name="Certificados que caducan en los próximos 30 días")).to_be_visible()
    check(page, "expiring certificates (es)")
    assert untranslated_keys(page) == []
    assert _hiring_keys(page) == []


def _hiring_keys(page: Page) -> list[str]:
    """This area's translation keys shown as text (consolekit looks for app., ra. and resources. ones)."""
    return re.findall(r"\bhiring\.[a-z_]+\.[a-z_.]+\b", page.locator("body").inner_text())


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code < 300, response.text
    return dict(response.json())
