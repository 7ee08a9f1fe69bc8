"""Accounting screens in a real browser: a clerk compares a week with the person's previous ones and rejects it
with a reason; writes a new version of the pay rules, sees the API's refusal on the row at fault, fixes it and
reads the version as tables; reverses a journal entry and closes a month. Each screen passes the accessibility
check, in English and in Spanish."""

from __future__ import annotations

import re
from datetime import date, timedelta

from backoffice.testing import wait_for
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def _check(page: Page, name: str) -> None:
    page.wait_for_timeout(700)  # a fetch the screen starts (or a filter's debounce) shows the spinner a moment later
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)


def _submit_week(demo: DemoCompany, who: str, monday: date, hours: str = "8") -> None:
    client = demo.api(demo.people[who])
    sheet = client.post("/api/hr/timesheets", json={"week_start": monday.isoformat()})
    assert sheet.status_code == 201, sheet.text
    entries = [{"day": (monday + timedelta(days=i)).isoformat(), "hours": hours, "kind": "regular"} for i in range(5)]
    put = client.put(f"/api/hr/timesheets/{sheet.json()['id']}/entries", json={"entries": entries})
    assert put.status_code == 200, put.text
    submitted = client.post(f"/api/hr/timesheets/{sheet.json()['id']}/submit")
    assert submitted.status_code == 200, submitted.text


def test_a_week_is_compared_with_the_previous_ones_and_rejected_with_a_reason(page: Page, demo: DemoCompany) -> None:
    # Ida's weeks (no other browser test submits hers): three decided, the latest waiting.
    this_monday = date.today() - timedelta(days=date.today().weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in (6, 5, 4, 3)]
    for monday in mondays:
        _submit_week(demo, "Ida", monday, hours="7.5" if monday == mondays[1] else "8")
    paul = demo.api(demo.people["Paul"])
    ida_id = demo.people["Ida"].employee_id
    sheets = wait_for(
        lambda: (
            found
            if len(found := paul.get("/api/payroll/timesheets", params={"employee_id": ida_id}).json()["items"]) == 4
            else None
        ),
        "Ida's weeks reaching payroll",
    )
    by_week = {s["week_start"]: s["id"] for s in sheets}
    decided = paul.post(
        "/api/payroll/timesheets/decisions",
        json={"decision": "approve", "timesheet_ids": [by_week[m.isoformat()] for m in mondays[:2]]},
    )
    assert decided.status_code == 200, decided.text
    decided = paul.post(
        "/api/payroll/timesheets/decisions",
        json={"decision": "reject", "timesheet_ids": [by_week[mondays[2].isoformat()]], "reason": "Monday twice"},
    )
    assert decided.status_code == 200, decided.text

    sign_in(page, demo.people["Paul"])
    page.get_by_role("menuitem", name="Hours to verify").click()
    page.get_by_label("Week of", exact=True).fill(mondays[3].isoformat())
    row = page.get_by_role("row").filter(has_text=ida_id)
    expect(row).to_have_count(1)
    expect(page.get_by_role("row")).to_have_count(2)  # the header and Ida's week: the filter kept that week only
    row.get_by_role("cell").nth(2).click()
    previous = page.get_by_role("table", name="Previous weeks of Ida Lindqvist")
    expect(previous.get_by_role("row")).to_have_count(4)  # the header and the three weeks before, latest first
    expect(previous.get_by_role("row").nth(1)).to_contain_text("Rejected (Monday twice)")
    expect(previous.get_by_role("row").nth(2)).to_contain_text("37.50")
    expect(previous.get_by_role("row").nth(3)).to_contain_text("Approved")
    _check(page, "a week beside the previous ones")
    screenshot(page, "accounting-hours-previous-weeks")

    page.get_by_role("button", name="Reject", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Reject", exact=True).click()
    expect(dialog.get_by_text("Give a reason: the employee reads it")).to_be_visible()
    dialog.get_by_label("Reason").fill("Tuesday was a holiday")
    dialog.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_text("Week rejected", exact=True)).to_be_visible()
    week = paul.get(f"/api/payroll/timesheets/{by_week[mondays[3].isoformat()]}").json()
    assert (week["status"], week["decision_reason"]) == ("rejected", "Tuesday was a holiday")
    assert untranslated_keys(page) == []


def test_a_new_version_of_the_rules_shows_the_refused_row_then_reads_as_tables(page: Page, demo: DemoCompany) -> None:
    start = (date.today().replace(day=1) + timedelta(days=70)).replace(day=1)  # a month to come: no run uses it
    sign_in(page, demo.people["Paul"])
    page.get_by_role("menuitem", name="Pay rules").click()
    expect(page.get_by_role("row").filter(has_text="monthly")).to_have_count(1)
    _check(page, "pay rules")
    page.get_by_role("row").filter(has_text="monthly").get_by_role("cell").first.click()
    expect(page.get_by_role("heading", name="Pay group monthly, version 1")).to_be_visible()
    brackets = page.get_by_role("table", name="Brackets of income_tax")
    expect(brackets.get_by_role("row")).to_have_count(4)
    expect(brackets.get_by_role("row").nth(3)).to_contain_text("the rest")
    _check(page, "a version of the rules")

    page.get_by_role("link", name="New version from a date, starting from this one").click()
    page.get_by_label("In force from").fill(start.isoformat())
    page.get_by_label("Rate (%), bracket 2 of income_tax").fill("150")  # a rate above 100: refused
    page.get_by_label("Cap a period (social)").fill("350")
    _check(page, "a new version of the rules")
    page.get_by_role("button", name="Save the new version").click()
    rate = page.get_by_label("Rate (%), bracket 2 of income_tax")
    expect(rate).to_have_attribute("aria-invalid", "true")
    faulty = page.locator("tr[data-bracket='2']")
    expect(faulty).to_contain_text("less than or equal to 100")
    expect(page.get_by_label("Rate (%), bracket 1 of income_tax")).to_have_attribute("aria-invalid", "false")
    screenshot(page, "accounting-rules-refused-row")
    rate.fill("25")
    page.get_by_role("button", name="Save the new version").click()

    expect(page.get_by_role("heading", name="Pay group monthly, version 2")).to_be_visible()
    brackets = page.get_by_role("table", name="Brackets of income_tax")
    expect(brackets.get_by_role("row").nth(2)).to_contain_text("25 %")
    expect(page.get_by_role("row").filter(has_text="Social security").first).to_contain_text("350")
    _check(page, "the new version")
    screenshot(page, "accounting-rules-version")
    saved = demo.api(demo.people["Paul"]).get("/api/payroll/rule-sets", params={"pay_group": "monthly"}).json()
    latest = saved["items"][-1]
    assert latest["effective_from"] == start.isoformat()
    tax = next(r for r in latest["rules"] if r["code"] == "income_tax")
    assert [b["percent"] for b in tax["brackets"]] == ["0", "25", "40"]
    assert saved["items"][0]["in_force_to"] == (start - timedelta(days=1)).isoformat()
    assert untranslated_keys(page) == []


def test_an_entry_is_reversed_and_a_month_closed(page: Page, demo: DemoCompany) -> None:
    paul = demo.api(demo.people["Paul"])
    day = date.today().replace(day=1) - timedelta(days=400)
    month = day.strftime("%Y-%m")
    entry = paul.post(
        "/api/payroll/journal-entries",
        json={
            "entry_date": day.isoformat(),
            "description": "Office rent, by hand",
            "lines": [{"account": "6100", "debit": "950.00"}, {"account": "1000", "credit": "950.00"}],
        },
    )
    assert entry.status_code == 201, entry.text
    original = entry.json()

    sign_in(page, demo.people["Paul"])
    page.get_by_role("menuitem", name="Journal").click()
    page.get_by_role("textbox", name="Text", exact=True).fill("office rent")
    page.get_by_role("textbox", name="Account", exact=True).fill("6100")
    row = page.get_by_role("row").filter(has_text="Office rent, by hand")
    expect(row).to_have_count(1)
    _check(page, "journal filtered")
    row.get_by_role("cell").first.click()
    page.get_by_role("button", name="Reverse this entry").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("This entry is not changed")
    dialog.get_by_role("button", name="Reverse this entry").click()
    expect(dialog.get_by_text("Give a reason: it is kept with the reversing entry")).to_be_visible()
    dialog.get_by_label("Reason").fill("Posted twice")
    dialog.get_by_role("button", name="Reverse this entry").click()
    expect(page.get_by_text("This entry reverses another.")).to_be_visible()
    lines = page.get_by_role("table", name="Lines of the entry")
    expect(lines.get_by_role("row").filter(has_text="6100")).to_contain_text("€950.00")
    _check(page, "the reversing entry")
    screenshot(page, "accounting-reversal")
    page.get_by_role("link", name="Open the original entry").click()
    expect(page.get_by_text("This entry has been reversed; it stays as it was.")).to_be_visible()
    expect(page.get_by_role("link", name="Open the reversing entry")).to_be_visible()
    expect(page.get_by_role("button", name="Reverse this entry")).to_have_count(0)
    after = paul.get(f"/api/payroll/journal-entries/{original['id']}").json()
    assert after["lines"] == original["lines"]
    assert after["entry_date"] == original["entry_date"]
    assert after["reversed_by_entry_id"]

    page.get_by_role("menuitem", name="Closed months").click()
    page.get_by_role("textbox", name="Month", exact=True).fill(month)
    page.get_by_role("button", name="Close the month").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("no entry can be posted into it")
    _check(page, "closing a month")
    dialog.get_by_role("button", name="Close the month").click()
    expect(page.get_by_role("table", name="Closed months").get_by_role("row").filter(has_text=month)).to_be_visible()
    _check(page, "closed months")
    screenshot(page, "accounting-closed-months")
    refused = paul.post(
        "/api/payroll/journal-entries",
        json={
            "entry_date": day.isoformat(),
            "description": "Late rent",
            "lines": [{"account": "6100", "debit": "1.00"}, {"account": "1000", "credit": "1.00"}],
        },
    )
    assert refused.status_code == 409, refused.text
    assert untranslated_keys(page) == []


def test_accounting_screens_read_in_spanish(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Paul"], locale="es")
    page.get_by_role("menuitem", name="Reglas de nómina").click()
    page.get_by_role("row").filter(has_text="monthly").first.get_by_role("cell").first.click()
    expect(page.get_by_role("table", name="Tramos de income_tax")).to_be_visible()
    _check(page, "a version of the rules (es)")
    screenshot(page, "accounting-rules-es")
    assert untranslated_keys(page) == []
    page.get_by_role("menuitem", name="Meses cerrados").click()
    expect(page.get_by_role("heading", name="Meses cerrados", level=2)).to_be_visible()
    _check(page, "closed months (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("menuitem", name="Libro diario").click()
    expect(page.get_by_label("Texto")).to_be_visible()
    _check(page, "journal (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("menuitem", name="Horas por verificar").click()
    expect(page.get_by_role("combobox", name="Incidencia")).to_be_visible()
    assert re.search("Semana", page.locator("body").inner_text())
    assert untranslated_keys(page) == []
