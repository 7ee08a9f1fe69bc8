"""The accounting dashboard in a real browser: the payroll clerk reads the profit and loss of two months posted to
the ledger, the same figures as the API's, in the chart's tooltip, in its table and in the CSV export, in English
and in Spanish; an employee sees the company's results but not what the payroll costs."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Page, expect

# Two months long before anything else the browser tests post (the ledger is theirs alone), and the second month a
# year earlier, so each comparison has something to compare with.
YEAR = date.today().year - 3
FIRST, SECOND, YEAR_BEFORE = f"{YEAR}-03", f"{YEAR}-04", f"{YEAR - 1}-04"
POSTED = {  # month: (income, expenses)
    YEAR_BEFORE: ("21000.00", "15000.00"),
    FIRST: ("18250.40", "11100.15"),
    SECOND: ("24800.00", "12345.60"),
}


def money(amount: str, locale: str, signed: bool = False) -> str:
    """An amount in euros as Intl writes it in British English (€1,234.50) or Spanish (1234,50 €; 12.345,60 €)."""
    value = Decimal(amount)
    sign = "-" if value < 0 else "+" if signed and value > 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}"
    if locale == "en":
        return f"{sign}€{grouped}.{cents}"
    # Spanish groups thousands only from five digits on (CLDR's minimum grouping digits).
    grouped = grouped.replace(",", ".") if len(whole) > 4 else whole
    return f"{sign}{grouped},{cents}\u00a0€"


def _post_months(demo: DemoCompany) -> None:
    paul = demo.api(demo.people["Paul"])
    for month, (income, expenses) in POSTED.items():
        for day, account, amount, side in (("10", "4000", income, "credit"), ("20", "6100", expenses, "debit")):
            other = "debit" if side == "credit" else "credit"
            entry = {
                "entry_date": f"{month}-{day}",
                "description": f"Dashboard test {month} {account}",
                "lines": [{"account": account, side: amount}, {"account": "1000", other: amount}],
            }
            posted = paul.post("/api/payroll/journal-entries", json=entry)
            assert posted.status_code == 201, posted.text


def _choose_months(page: Page, locale: str) -> None:
    words = {"en": ("From (month)", "To (month)"), "es": ("Desde (mes)", "Hasta (mes)")}[locale]
    page.get_by_label(words[0]).fill(FIRST)
    expect(page).to_have_url(re.compile(f"from={FIRST}"))
    page.get_by_label(words[1]).fill(SECOND)
    expect(page).to_have_url(re.compile(f"to={SECOND}"))
    expect(page.locator(f"tr[data-period='{SECOND}']")).to_have_count(1)


def _table_rows(page: Page) -> dict[str, list[str]]:
    rows = page.locator("[data-chart-table='pnl'] tbody tr")
    return {
        str(rows.nth(i).get_attribute("data-period")): [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    }


def test_the_clerk_reads_the_profit_and_loss_the_api_computes(page: Page, demo: DemoCompany) -> None:
    _post_months(demo)
    paul = demo.api(demo.people["Paul"])
    params = {"from": f"{FIRST}-01", "to": f"{SECOND}-01", "granularity": "month"}
    answer = paul.get("/api/payroll/reports/profit-and-loss", params=params)
    assert answer.status_code == 200, answer.text
    periods: dict[str, Any] = {p["period"]: p for p in answer.json()["periods"]}
    assert [periods[m]["income"] for m in (FIRST, SECOND)] == [POSTED[FIRST][0], POSTED[SECOND][0]]
    second = periods[SECOND]

    sign_in(page, demo.people["Paul"])
    # Payroll lands on the dashboard; its own entry in the menu opens it alone.
    expect(page.get_by_role("heading", name="Accounting dashboard", level=2)).to_be_visible()
    screenshot(page, "dashboard-landing")
    page.get_by_role("menuitem", name="Dashboard").click()
    expect(page).to_have_url(re.compile("/payroll/dashboard$"))
    _choose_months(page, "en")

    # The latest period, each figure as the API's, with the change's sign and its direction in words.
    latest = page.get_by_test_id("pnl-latest")
    expect(latest).to_contain_text(f"Latest period: Apr {YEAR}")
    profit = latest.locator("[data-figure=profit]")
    expect(profit).to_contain_text(money(second["profit"], "en"))
    change = second["against_previous"]
    assert change["direction"] == "up"
    expect(profit).to_contain_text(f"▲ up {money(change['amount'], 'en', True)} (+{change['percent']}%)")
    year = second["against_last_year"]
    expect(profit).to_contain_text(f"up {money(year['amount'], 'en', True)} (+{year['percent']}%)")
    expect(latest.locator("[data-figure=expenses]")).to_contain_text(money(second["expenses"], "en"))

    # Hovering the first month's bars shows its exact figures.
    page.locator("[data-chart=pnl] .recharts-bar-rectangle").first.hover()
    tooltip = page.get_by_test_id("chart-tooltip")
    expect(tooltip).to_contain_text(f"Mar {YEAR}")
    expect(tooltip).to_contain_text(money(periods[FIRST]["income"], "en"))
    expect(tooltip).to_contain_text(money(periods[FIRST]["profit"], "en"))
    screenshot(page, "dashboard-tooltip")

    # The table beside the chart holds the same figures.
    page.get_by_role("button", name="Show the figures of Profit and loss as a table").click()
    table = _table_rows(page)
    for month in (FIRST, SECOND):
        p = periods[month]
        assert table[month][:3] == [money(p["income"], "en"), money(p["expenses"], "en"), money(p["profit"], "en")]
    assert table[SECOND][3].endswith(f"up {money(change['amount'], 'en', True)} (+{change['percent']}%)")
    # March against an empty February (a real 0: no percentage), and against a March before the ledger began.
    assert table[FIRST][3] == f"▲ up {money(periods[FIRST]['profit'], 'en', True)}"
    assert table[FIRST][4] == "no earlier figures"

    # The CSV export is the API's file for the same months.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV: Profit and loss").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    rows = {row["period"]: row for row in csv.DictReader(io.StringIO(saved))}
    assert list(rows) == [FIRST, SECOND]
    assert [rows[SECOND][k] for k in ("income", "expenses", "profit")] == [
        second["income"],
        second["expenses"],
        second["profit"],
    ]
    assert rows[SECOND]["direction_vs_previous"] == "up"

    # The other reports are there for payroll.
    for heading in ("Payroll cost by department", "Payables ageing", "Cash-out forecast"):
        expect(page.get_by_role("heading", name=heading, level=3)).to_be_visible()
    check_accessibility(page, "dashboard")
    screenshot(page, "dashboard")
    assert untranslated_keys(page) == []

    # By quarter: the two months are in the same quarter, the API's sum.
    page.get_by_role("button", name="By quarter").click()
    quarter = paul.get("/api/payroll/reports/profit-and-loss", params={**params, "granularity": "quarter"}).json()[
        "periods"
    ][0]
    expect(page.locator(f"tr[data-period='{quarter['period']}']")).to_contain_text(money(quarter["profit"], "en"))

    # The same screen in Spanish: its words and Spanish numbers.
    page.get_by_role("button", name="English", exact=True).click()
    page.get_by_role("menuitem", name="Español").click()
    expect(page.get_by_role("heading", name="Cuadro de mando contable", level=2)).to_be_visible()
    page.get_by_role("button", name="Por mes").click()
    _choose_months(page, "es")
    latest = page.get_by_test_id("pnl-latest")
    expect(latest).to_contain_text(f"Último periodo: abr {YEAR}")
    profit = latest.locator("[data-figure=profit]")
    expect(profit).to_contain_text(money(second["profit"], "es"))
    expect(profit).to_contain_text(f"▲ sube {money(change['amount'], 'es', True)}")
    expect(page.get_by_role("heading", name="Coste de personal por departamento", level=3)).to_be_visible()
    assert untranslated_keys(page) == []
    check_accessibility(page, "dashboard (es)")
    screenshot(page, "dashboard-es")


def test_an_employee_sees_the_company_results_but_not_the_payroll_cost(page: Page, demo: DemoCompany) -> None:
    eve = demo.api(demo.people["Eve"])
    assert eve.get("/api/payroll/reports/profit-and-loss").status_code == 200
    assert eve.get("/api/payroll/reports/payroll-cost").status_code == 403

    sign_in(page, demo.people["Eve"])
    expect(page.get_by_role("heading", name="Accounting dashboard")).to_have_count(0)
    expect(page.get_by_role("menuitem", name="Dashboard")).to_have_count(0)
    page.get_by_role("menuitem", name="Company results").click()
    expect(page.get_by_role("heading", name="Company results", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Profit and loss", level=3)).to_be_visible()
    expect(page.get_by_test_id("pnl-latest")).to_be_visible()
    for heading in ("Payroll cost by department", "Payables ageing", "Cash-out forecast"):
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    check_accessibility(page, "company results")
    screenshot(page, "company-results")
    # The payroll dashboard's address is not hers either.
    page.goto("/payroll/dashboard")
    expect(page.get_by_role("heading", name="Payroll cost by department")).to_have_count(0)
