"""The payroll area in a real browser: the payroll clerk verifies a week an employee submitted, then runs pay for
the month through the whole flow (create, calculate, review, approve, mark paid), reads a payslip and downloads
the register; each screen passes the accessibility check."""

from __future__ import annotations

import calendar
import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from backoffice.testing import wait_for
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect


def _check(page: Page, name: str) -> None:
    """The accessibility check once the screen has loaded (a spinner is not what is being checked)."""
    # A fetch the screen starts on showing (or a filter's, after its 500 ms debounce) puts the app bar's spinner
    # up a moment later: the check waits it out.
    page.wait_for_timeout(700)
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    check_accessibility(page, name)


def _week_and_month() -> tuple[date, date, date]:
    """A Monday well inside the demo staff's employment (they started 60 days ago) and its month: weeks that
    other tests leave waiting (this week, last week) are after that month, so they do not block its run."""
    monday = date.today() - timedelta(days=49)
    monday -= timedelta(days=monday.weekday())
    first = monday.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return monday, first, last


def _submit_week(demo: DemoCompany, monday: date) -> str:
    """Eve submits a week through the API, with a long Monday (overtime: a finding for the clerk)."""
    eve = demo.api(demo.people["Eve"])
    sheet = eve.post("/api/hr/timesheets", json={"week_start": monday.isoformat()})
    assert sheet.status_code == 201, sheet.text
    sheet_id: str = sheet.json()["id"]
    entries = [
        {"day": (monday + timedelta(days=i)).isoformat(), "hours": "10" if i == 0 else "8", "kind": "regular"}
        for i in range(5)
    ]
    put = eve.put(f"/api/hr/timesheets/{sheet_id}/entries", json={"entries": entries})
    assert put.status_code == 200, put.text
    submitted = eve.post(f"/api/hr/timesheets/{sheet_id}/submit")
    assert submitted.status_code == 200, submitted.text
    return sheet_id


def test_clerk_verifies_a_week_and_runs_pay_for_the_month(page: Page, demo: DemoCompany) -> None:
    monday, first, last = _week_and_month()
    _submit_week(demo, monday)
    paul_api = demo.api(demo.people["Paul"])
    eve_id = demo.people["Eve"].employee_id
    wait_for(
        lambda: paul_api.get("/api/payroll/timesheets", params={"employee_id": eve_id, "status": "pending"}).json()[
            "total"
        ],
        "Eve's week reaching payroll",
    )

    # Hours to verify: Eve's week is waiting; opened, it shows its days; approved after a confirmation.
    sign_in(page, demo.people["Paul"])
    expect(page.get_by_role("group", name="Payroll and accounting")).to_be_visible()
    page.get_by_role("menuitem", name="Hours to verify").click()
    page.get_by_role("combobox", name="Finding").click()
    page.get_by_role("option", name="Overtime in a day").click()  # Eve's long Monday
    page.get_by_label("Department").fill("sales")
    row = page.get_by_role("row").filter(has_text=eve_id)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Check: Overtime in a day")
    _check(page, "hours to verify")
    row.get_by_role("cell").nth(2).click()  # the row opens to show the week day by day
    days = page.get_by_role("table", name=re.compile("Hours of the week of"))
    expect(days).to_be_visible()
    expect(days.get_by_role("row")).to_have_count(6)
    _check(page, "a week opened")
    page.get_by_role("button", name="Approve", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("become payable")
    dialog.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Week approved", exact=True)).to_be_visible()
    assert paul_api.get("/api/payroll/timesheets", params={"employee_id": eve_id}).json()["items"][0]["status"] == (
        "approved"
    )
    assert untranslated_keys(page) == []

    # Pay runs: create for the monthly group and the month.
    page.get_by_role("menuitem", name="Pay runs").click()
    # An empty list invites the first run; once another test has made one, the list's own "Create" does.
    create = page.get_by_role("link", name="New pay run").or_(page.get_by_role("link", name="Create", exact=True))
    expect(create.first).to_be_visible()
    _check(page, "pay runs")
    create.first.click()
    page.get_by_role("combobox", name=re.compile("Pay group")).click()
    page.get_by_role("option", name=re.compile(r"\(monthly, EUR\)")).click()
    page.locator("input[name=period_start]").fill(first.isoformat())
    page.locator("input[name=period_end]").fill(last.isoformat())
    page.locator("input[name=pay_date]").fill(last.isoformat())
    _check(page, "new pay run")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Pay run of monthly"))).to_be_visible()
    expect(page.get_by_text("Status: Draft")).to_be_visible()

    # HR gave Ida a raise from the Monday of that week: the review will show her pay as changed.
    hana_api = demo.api(demo.people["Hana"])
    ida_id = demo.people["Ida"].employee_id
    ida = hana_api.get(f"/api/hr/employees/{ida_id}").json()
    raised = {
        **ida["pay_terms"],
        "rate": str(Decimal(ida["pay_terms"]["rate"]) + 100),
        "effective_from": monday.isoformat(),
    }
    assert hana_api.post(f"/api/hr/employees/{ida_id}/pay-terms", json=raised).status_code == 201
    wait_for(lambda: len(paul_api.get(f"/api/payroll/profiles/{ida_id}").json()["pay_terms"]) > 1, "Ida's raise")

    # Calculate, then review: the API's totals, and everyone's gross, deductions, net and changes in a table.
    page.get_by_role("button", name="Calculate", exact=True).click()
    expect(page.get_by_text("Status: Calculated")).to_be_visible()
    people = page.get_by_role("table", name="Per person")
    expect(people.get_by_role("row").filter(has_text="Eve Martin")).to_have_count(1)
    expect(people.get_by_role("row").filter(has_text=f"{ida['given_name']} {ida['family_name']}")).to_contain_text(
        "Pay changed"
    )
    run_id = page.url.rstrip("/").split("/")[-2]
    run = paul_api.get(f"/api/payroll/payruns/{run_id}").json()
    net = "€" + f"{float(run['net']):,.2f}"  # the screen shows the API's total (en-GB: €12,345.67)
    expect(page.get_by_text(net).first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"of {run['employees']} shown")).to_be_visible()
    page.get_by_label("Search by name or department").fill("Eve")
    expect(page.get_by_role("status").filter(has_text=f"1 person of {run['employees']} shown")).to_be_visible()
    # Paul is paid in this run too: approval is blocked, and the screen says why, until HR signs his payslip off.
    expect(page.get_by_role("alert").filter(has_text="own payslip")).to_be_visible()
    expect(page.get_by_role("button", name="Approve the run")).to_be_disabled()
    _check(page, "pay run review")
    screenshot(page, "payroll-run")

    # A bonus for Eve, then the run calculated again: her new net pay is in the table.
    eve_slip = paul_api.get("/api/payroll/payslips", params={"run_id": run_id, "employee_id": eve_id}).json()
    page.get_by_role("combobox", name="Employee").fill("Eve")
    page.get_by_role("option", name=re.compile("Eve Martin")).click()
    page.get_by_role("textbox", name="Amount").fill("100")
    page.get_by_role("textbox", name="Reason").fill("Weekend cover")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("table", name="Corrections and bonuses")).to_contain_text("Weekend cover")
    expect(page.get_by_text("calculate again to include them")).to_be_visible()
    _check(page, "pay run with a correction")
    page.get_by_role("button", name="Calculate again").click()
    expect(page.get_by_text("calculate again to include them")).to_have_count(0)
    eve_after = paul_api.get("/api/payroll/payslips", params={"run_id": run_id, "employee_id": eve_id}).json()
    new_net = Decimal(eve_after["items"][0]["net"])
    assert new_net > Decimal(eve_slip["items"][0]["net"])
    eve_row = people.get_by_role("row").filter(has_text="Eve Martin")
    expect(eve_row).to_contain_text("€" + f"{new_net:,.2f}")
    screenshot(page, "payroll-run-recalculated")

    slips = paul_api.get(
        "/api/payroll/payslips", params={"run_id": run_id, "employee_id": demo.people["Paul"].employee_id}
    ).json()["items"]
    signed = hana_api.post(f"/api/payroll/payslips/{slips[0]['id']}/sign-off")
    assert signed.status_code == 200, signed.text
    page.get_by_role("button", name="Check again").click()
    expect(page.get_by_role("alert").filter(has_text="own payslip")).to_have_count(0)
    page.get_by_role("button", name="Approve the run").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("payslips become final and are published to the employees")
    expect(dialog).to_contain_text("ledger entries are posted")
    _check(page, "approve dialog")
    screenshot(page, "payroll-run-approve-dialog")
    dialog.get_by_role("button", name="Approve the run").click()
    expect(page.get_by_text("Status: Approved")).to_be_visible()

    # The register downloads as CSV, with the token, from the run: a line per payslip and the API's totals.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the register (CSV)").click()
    lines = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    approved = paul_api.get(f"/api/payroll/payruns/{run_id}").json()
    assert lines[-1]["employee_id"] == "TOTAL"
    assert lines[-1]["net"] == approved["net"]
    assert len(lines) - 1 == approved["employees"]
    assert next(line for line in lines if line["employee_id"] == eve_id)["net"] == f"{new_net:.2f}"

    page.get_by_role("button", name="Mark as paid").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("left the bank today")
    dialog.get_by_role("button", name="Mark as paid").click()
    expect(page.get_by_text("Status: Paid")).to_be_visible()
    _check(page, "pay run paid")

    # A payslip, line by line.
    people.get_by_role("link", name="Eve Martin").click()
    expect(page.get_by_role("heading", name="Payslip of Eve Martin")).to_be_visible()
    expect(page.get_by_role("table", name="Earnings")).to_be_visible()
    expect(page.get_by_role("table", name="Deductions")).to_be_visible()
    expect(page.get_by_role("table", name="Earnings")).to_contain_text("Weekend cover")
    expect(page.get_by_role("table", name="Hours paid")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Year to date"))).to_contain_text("€" + f"{new_net:,.2f}")
    _check(page, "payslip")
    screenshot(page, "payroll-payslip")
    assert untranslated_keys(page) == []


def test_payroll_screens_read_in_spanish(page: Page, demo: DemoCompany) -> None:
    sign_in(page, demo.people["Paul"], locale="es")
    expect(page.get_by_role("group", name="Nóminas y contabilidad")).to_be_visible()
    page.get_by_role("menuitem", name="Horas por verificar").click()
    expect(page.get_by_role("combobox", name="Incidencia")).to_be_visible()
    _check(page, "hours to verify (es)")
    assert untranslated_keys(page) == []
    page.get_by_role("menuitem", name="Nóminas", exact=True).click()
    expect(
        page.get_by_role("columnheader", name="Grupo de pago").or_(page.get_by_text("Todavía no hay"))
    ).to_be_visible()
    assert untranslated_keys(page) == []

    # A calculated run of a month far ahead (cancelled at the end): the review, corrections and payslip screens.
    paul_api = demo.api(demo.people["Paul"])
    groups = paul_api.get("/api/payroll/pay-groups").json()["items"]
    group = next(g for g in groups if g["frequency"] == "monthly" and g["currency"] == "EUR")
    first = date(date.today().year + 3, 1, 1)
    body = {
        "pay_group": group["code"],
        "period_start": first.isoformat(),
        "period_end": first.replace(day=31).isoformat(),
    }
    created = paul_api.post("/api/payroll/payruns", json={**body, "pay_date": body["period_end"]})
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]
    try:
        assert paul_api.post(f"/api/payroll/payruns/{run_id}/calculate").status_code == 200
        page.goto(f"{demo.gateway_url}/payroll_runs/{run_id}/show")
        expect(page.get_by_role("table", name="Por persona")).to_be_visible()
        expect(page.get_by_role("heading", name="Regularizaciones y gratificaciones")).to_be_visible()
        page.get_by_role("combobox", name="Mostrar").click()
        page.get_by_role("option", name="Cambios de salario").click()
        _check(page, "pay run review (es)")
        assert untranslated_keys(page) == []
        expect(page.get_by_role("alert").filter(has_text="Su propio recibo")).to_be_visible()
        expect(page.get_by_role("button", name="Aprobar la nómina")).to_be_disabled()
        page.get_by_role("combobox", name="Mostrar").click()
        page.get_by_role("option", name="Todos").click()
        page.get_by_label("Buscar por nombre o departamento").fill("Eve")
        page.get_by_role("table", name="Por persona").get_by_role("link").first.click()
        expect(page.get_by_role("table", name="Devengos")).to_be_visible()
        expect(page.get_by_role("table", name=re.compile("Acumulado del año"))).to_be_visible()
        _check(page, "payslip (es)")
        assert untranslated_keys(page) == []
    finally:
        paul_api.post(f"/api/payroll/payruns/{run_id}/cancel")
    page.get_by_role("menuitem", name="Balance de sumas y saldos").click()
    expect(page.get_by_role("heading", name="Balance de sumas y saldos", level=2)).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    _check(page, "trial balance (es)")
    assert untranslated_keys(page) == []
