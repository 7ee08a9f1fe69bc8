"""Equal pay, HR's side, in a real browser: Hana (HR) defines a job category with its four scores, gives it a new
version, places a position in it and sees a position already placed elsewhere refused on the date field; she
records an employee's declared sex on the employee's page. Eve declares her own in "My profile". The categories
list is read in Spanish. Every screen passes axe (no serious or critical violation)."""

from __future__ import annotations

import re
from contextlib import closing
from datetime import date

from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def check(page: Page, name: str) -> None:
    check_accessibility(page, name)
    screenshot(page, name.replace(" ", "-").replace("(", "").replace(")", ""))
    assert untranslated_keys(page) == [], name


def test_hana_defines_a_category_places_positions_and_records_a_declared_sex(page: Page, demo: DemoCompany) -> None:
    hana, eve = demo.people["Hana"], demo.people["Eve"]
    sign_in(page, hana)
    page.get_by_role("menuitem", name="Job categories", exact=True).click()
    expect(page.get_by_role("cell", name="Front-line support", exact=True)).to_be_visible()  # the demo's categories
    positions = page.get_by_role("region", name="Positions in use")
    expect(positions.get_by_role("row", name=re.compile("Payroll clerk"))).to_contain_text("C2 · Specialists")
    check(page, "job categories")

    # A new category, with its four scores.
    page.get_by_role("link", name="New job category").click()
    page.get_by_label("Code").fill("W1")
    page.get_by_label("Name").fill("Warehouse work")
    page.get_by_label("Description").fill("Receiving, storing and dispatching goods.")
    for label, score in (("Skills", "35"), ("Effort", "70"), ("Responsibility", "30"), ("Working conditions", "101")):
        page.get_by_label(label).fill(score)
    page.get_by_role("button", name="Save").click()
    # A score over 100 is refused beside its field.
    expect(page.get_by_label("Working conditions")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Must be 100 or less")).to_be_visible()
    page.get_by_label("Working conditions").fill("65")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="W1 · Warehouse work", level=1)).to_be_visible()
    check(page, "job category new")

    # A new version: the first is kept with its scores.
    versions = page.get_by_role("region", name="Versions")
    versions.get_by_label("Effort").fill("75")
    versions.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Version 2 saved")).to_be_visible()
    expect(versions.get_by_text(re.compile(r"Version 1, by .*Effort 70"))).to_be_visible()
    expect(versions.get_by_text(re.compile(r"Version 2, by .*Effort 75"))).to_be_visible()

    # A position placed; one already in another category is refused on its date.
    placements = page.get_by_role("region", name="Positions placed in this category")
    placements.get_by_label("Position").fill("Warehouse clerk")
    placements.get_by_role("button", name="Place a position").click()
    expect(placements.get_by_role("row", name=re.compile("Warehouse clerk"))).to_contain_text("ongoing")
    placements.get_by_label("Position").fill("Sales assistant")
    placements.get_by_role("button", name="Place a position").click()
    from_field = placements.get_by_role("textbox", name="From")
    expect(from_field).to_have_attribute("aria-invalid", "true")
    expect(
        placements.get_by_text(re.compile(r"'Sales assistant' is already placed in C1 from 2020-01-01"))
    ).to_be_visible()
    expect(placements.get_by_role("row", name=re.compile("Sales assistant"))).to_have_count(0)
    check(page, "job category placements")

    # Eve's declared sex, on her page (HR only), from its own endpoint.
    page.goto(f"/employees/{eve.employee_id}/show")
    declared = page.get_by_role("region", name="Declared sex")
    expect(declared.get_by_text("Not recorded")).to_be_visible()
    declared.get_by_role("combobox", name="Declared sex").click()
    page.get_by_role("option", name="Female").click()
    declared.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Declared sex saved")).to_be_visible()
    expect(declared.get_by_text("Recorded by HR")).to_be_visible()
    check(page, "employee declared sex")
    with closing(demo.api(hana)) as api:
        record = api.get(f"/api/hr/employees/{eve.employee_id}").json()
        assert "sex" not in record
        assert api.get(f"/api/hr/employees/{eve.employee_id}/sex").json()["sex"] == "female"


def test_eve_declares_her_own_sex_in_her_profile(page: Page, demo: DemoCompany) -> None:
    eve = demo.people["Eve"]
    sign_in(page, eve)
    page.get_by_role("menuitem", name="My profile", exact=True).click()
    declared = page.get_by_role("region", name="Declared sex")
    expect(declared.get_by_text(re.compile("Optional"))).to_be_visible()
    declared.get_by_role("combobox", name="Declared sex").click()
    page.get_by_role("option", name="Prefers not to say").click()
    declared.get_by_role("button", name="Save").click()
    expect(declared.get_by_text("Declared by the employee")).to_be_visible()
    check(page, "profile declared sex")
    with closing(demo.api(eve)) as api:
        assert api.get(f"/api/hr/employees/{eve.employee_id}/sex").json()["sex"] == "not_declared"
        assert api.get("/api/hr/me/job-category").json()["category"]["code"] == "C1"
        assert api.get("/api/hr/job-categories").status_code == 403


def test_payroll_reads_the_categories_in_spanish(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Paul"], locale="es")
    page.get_by_role("menuitem", name="Categorías profesionales", exact=True).click()
    expect(page.get_by_role("heading", name="Categorías de trabajo de igual valor", level=6)).to_be_visible()
    expect(page.get_by_role("cell", name="Specialists", exact=True)).to_be_visible()  # the demo's data, in English
    expect(page.get_by_role("columnheader", name="Condiciones de trabajo")).to_be_visible()
    expect(page.get_by_role("link", name="Nueva categoría")).to_have_count(0)
    check(page, "job categories (es)")


def test_an_offer_outside_the_openings_range_asks_why(page: Page, demo: DemoCompany) -> None:
    hana = demo.people["Hana"]
    with closing(demo.api(hana)) as api:  # an opening at the offer stage, set up through the API
        opening = api.post(
            "/api/hr/openings",
            json={
                "position": "Sales assistant",
                "salary_min": "24000",
                "salary_max": "30000",
                "hiring_manager_id": demo.people["Mia"].employee_id,
            },
        ).json()
        assert api.post(f"/api/hr/openings/{opening['id']}/approve").status_code == 200
        person = api.post(
            "/api/hr/candidates",
            json={"given_name": "Ruth", "family_name": "Range", "email": "ruth@mail.example", "source": "web"},
        ).json()
        application = api.post(
            "/api/hr/applications", json={"opening_id": opening["id"], "candidate_id": person["id"]}
        ).json()
        assert api.post(f"/api/hr/applications/{application['id']}/stage", json={"stage": "offer"}).status_code == 200

    sign_in(page, hana)
    page.goto(f"/applications/{application['id']}")
    expect(page.get_by_role("heading", name="Make an offer")).to_be_visible()
    page.get_by_label("Pay rate").fill("2400")
    expect(
        page.get_by_text(re.compile(r"The opening's range is €24,000.00 . €30,000.00 a year; .*€28,800.00"))
    ).to_be_visible()
    expect(page.get_by_label("Why outside the range")).to_have_count(0)
    page.get_by_label("Pay rate").fill("1900")
    expect(page.get_by_text(re.compile(r"€22,800.00 a year is outside the opening's range"))).to_be_visible()
    page.get_by_label("Start date").fill(date.today().isoformat())
    page.get_by_role("button", name="Make an offer").click()
    expect(page.get_by_label("Why outside the range")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Why outside the range").fill("Part-time: 30 hours a week")
    check(page, "offer outside range")
    page.get_by_role("button", name="Make an offer").click()
    expect(page.get_by_text("Outside the range: Part-time: 30 hours a week")).to_be_visible()
