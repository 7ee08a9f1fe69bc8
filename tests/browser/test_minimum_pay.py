"""Minimum pay in a real browser: Paul records the hourly minimum (a wrong rate is shown on its field), calculates
a run with a part-timer under it, sees the finding, overrides it with a written reason and approves; the screens
pass the accessibility check, and the minimum pay screen reads in Spanish.

The run is of a pay group of its own (monthly, in pounds) with one person hired for it, and the minimum is in
pounds, so the demo's euro runs that other tests calculate are not touched."""

from __future__ import annotations

import calendar
import re
import secrets
from contextlib import closing
from datetime import date, timedelta

from backoffice.testing import wait_for
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def _check(page: Page, name: str) -> None:
    """The accessibility check once the screen has loaded."""
    page.wait_for_timeout(700)
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)


def _last_month() -> tuple[date, date]:
    first = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _part_timer_in_pounds(demo: DemoCompany, start: date) -> str:
    """Hana hires a part-timer (20 h a week, £1,000 a month: 12,000 / 1,040 h = £11.5385 an hour) paid in pounds."""
    with closing(demo.api(demo.people["Hana"])) as hr:
        body = {
            "given_name": "Mina",
            "family_name": "Lowe",
            "email": f"mina.lowe.{secrets.token_hex(3)}@example.com",
            "employment_type": "salaried",
            "start_date": start.isoformat(),
            "pay_terms": {
                "pay_type": "salaried",
                "rate": "1000",
                "currency": "GBP",
                "frequency": "monthly",
                "weekly_hours": "20",
            },
        }
        answer = hr.post("/api/hr/employees", json=body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])


def test_paul_overrides_a_payslip_under_the_minimum_with_a_reason_and_approves(page: Page, demo: DemoCompany) -> None:
    first, last = _last_month()
    mina = _part_timer_in_pounds(demo, first)
    paul_api = demo.api(demo.people["Paul"])
    wait_for(lambda: paul_api.get(f"/api/payroll/profiles/{mina}").status_code == 200, "Mina at payroll")
    group = {"code": "monthly-gbp", "name": "Monthly in pounds", "frequency": "monthly", "currency": "GBP"}
    assert paul_api.post("/api/payroll/pay-groups", json=group).status_code == 201
    rules = {
        "pay_group": "monthly-gbp",
        "effective_from": first.isoformat(),
        "rules": [
            {"kind": "salary", "code": "salary", "description": "Salary"},
        ],
    }
    assert paul_api.post("/api/payroll/rule-sets", json=rules).status_code == 201

    # The minimum pay screen: a new version, first with a negative rate (the API's error shows on the field).
    sign_in(page, demo.people["Paul"])
    page.get_by_role("menuitem", name="Minimum pay").click()
    expect(page.get_by_role("link", name="New minimum pay version")).to_be_visible()
    _check(page, "minimum pay")
    page.get_by_role("link", name="New minimum pay version").click()
    page.locator("input[name=country]").fill("ES")
    page.locator("input[name=effective_from]").fill(first.isoformat())
    page.locator("input[name=currency]").fill("GBP")
    page.locator("input[name=hourly_minimum]").fill("-1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("greater than 0")).to_be_visible()
    _check(page, "new minimum pay with an error")
    page.locator("input[name=hourly_minimum]").fill("12.00")
    page.get_by_role("button", name="Save").click()
    row = page.get_by_role("row").filter(has_text="£12.00")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Whole country")
    screenshot(page, "payroll-minimum-pay")

    # The run of the pound group for last month, calculated on its screen: Mina is under the minimum.
    period = {
        "pay_group": "monthly-gbp",
        "period_start": first.isoformat(),
        "period_end": last.isoformat(),
        "pay_date": last.isoformat(),
    }
    created = paul_api.post("/api/payroll/payruns", json=period)
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    page.goto(f"{demo.gateway_url}/payroll_runs/{run_id}/show")
    page.get_by_role("button", name="Calculate", exact=True).click()
    expect(page.get_by_text("Status: Calculated")).to_be_visible()
    below = page.get_by_role("table", name="Payslips under the minimum pay")
    expect(below.get_by_role("row").filter(has_text="Mina Lowe")).to_contain_text("£11.5385")
    expect(below).to_contain_text("£0.4615")
    expect(page.get_by_role("button", name="Approve the run")).to_be_disabled()
    _check(page, "pay run under the minimum")
    screenshot(page, "payroll-run-below-minimum")

    # Override: the reason is required; with it the override is recorded, listed, and approval is possible.
    page.get_by_role("button", name="Override the minimum for Mina Lowe").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Override").click()
    expect(dialog.get_by_text("Write the reason")).to_be_visible()
    _check(page, "override dialog")
    reason = "Trial month agreed with the union; the difference is paid with the next run"
    dialog.get_by_label("Reason").fill(reason)
    dialog.get_by_role("button", name="Override").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    overrides = page.get_by_role("table", name="Overrides")
    expect(overrides).to_contain_text(reason)
    expect(page.get_by_role("table", name="Payslips under the minimum pay")).to_have_count(0)
    page.get_by_role("button", name="Approve the run").click()
    page.get_by_role("dialog").get_by_role("button", name="Approve the run").click()
    expect(page.get_by_text("Status: Approved")).to_be_visible()
    expect(page.get_by_role("table", name="Overrides")).to_contain_text(reason)
    _check(page, "approved run with an override")
    screenshot(page, "payroll-run-overridden")
    assert untranslated_keys(page) == []
    listed = paul_api.get(f"/api/payroll/payruns/{run_id}/overrides").json()
    assert [(o["employee_id"], o["reason"]) for o in listed["items"]] == [(mina, reason)]


def test_the_minimum_pay_screen_reads_in_spanish(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Paul"], locale="es")
    page.get_by_role("menuitem", name=re.compile("Salario mínimo|Salarios mínimos")).click()
    expect(page.get_by_role("link", name="Nueva versión del salario mínimo")).to_be_visible()
    _check(page, "minimum pay (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("link", name="Nueva versión del salario mínimo").click()
    expect(page.locator("input[name=hourly_minimum]")).to_be_visible()
    expect(page.get_by_text("Mínimo por hora").first).to_be_visible()
    _check(page, "new minimum pay (es)")
    screenshot(page, "payroll-minimum-pay-es")
    assert untranslated_keys(page) == []
