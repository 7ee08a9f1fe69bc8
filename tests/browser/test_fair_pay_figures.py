"""The pay gap report with real figures, in a real browser: a small company of its own (twenty people paid weekly
in euros, a pay group no other browser test uses) is hired through HR's API, its positions placed in two job
categories and every sex declared; payroll pays two weekly runs of January 2025. Hana then reads the report of
2025 and every figure on screen is the one worked out by hand below; she justifies the flagged category and reads
one row of the pay register. axe on each screen; the report read in Spanish by Paul.

The company, in pay per hour (weekly salary / 40 contracted hours; two full weeks paid, so 2 x salary / 80 h is
the same figure):

    category      women                          men
    Analysis      20, 21, 22, 23, 24              21.50, 22.50, 23.50, 24.50, 25.50
    Design        30                              36
    (none)        15, 17, 19, 27                  18, 26, 31, 34

Worked out by hand (no complementary pay: basic = all pay):

- Women (10): sum 218 -> mean 21.80; sorted 15 17 19 20 21 | 22 23 24 27 30 -> median (21 + 22) / 2 = 21.50.
- Men (10): sum 262.50 -> mean 26.25; sorted 18 21.5 22.5 23.5 24.5 | 25.5 26 31 34 36 -> median 25.00.
- Mean gap (26.25 - 21.80) / 26.25 = 4.45 / 26.25 = 16.952... -> 16.95 %; median gap (25 - 21.50) / 25 = 14.00 %.
- Complementary: 0.00 for both, no gap (men's figure is zero): "—"; 0.00 % of women and of men receive it.
- Quartiles, everyone sorted by pay per hour, four bands of five:
    1: 15W 17W 18M 19W 20W        -> 15.00 to 20.00, 4 women (80.00 %), 1 man (20.00 %)
    2: 21W 21.5M 22W 22.5M 23W    -> 21.00 to 23.00, 3 women (60.00 %), 2 men (40.00 %)
    3: 23.5M 24W 24.5M 25.5M 26M  -> 23.50 to 26.00, 1 woman (20.00 %), 4 men (80.00 %)
    4: 27W 30W 31M 34M 36M        -> 27.00 to 36.00, 2 women (40.00 %), 3 men (60.00 %)
- Analysis: women mean = median = 22.00, men mean = median = 23.50; gap 1.50 / 23.50 = 6.382... -> 6.38 % for both,
  at or over 5 %: flagged. Design: one woman and one man, fewer than 5: suppressed. Eight people have no category.
- The register's row Analysis / Salary: women 5 workers, average 22.00, median 22.00; men 5, 23.50, 23.50.

Nothing is left waiting for other tests: salaried people need no timesheets, both runs are approved, and the pay
dates are in 2025, which no other browser test pays. (test_fair_pay.py, run before this file, reads 2025 with
every group suppressed.)"""

from __future__ import annotations

import re
import secrets
from contextlib import closing
from decimal import Decimal
from typing import Any

import httpx
import pytest
from backoffice.testing import ok, wait_for
from consolekit import DemoCompany, check_accessibility, screenshot, sign_in, untranslated_keys
from playwright.sync_api import Locator, Page, expect

START = "2025-01-06"  # a Monday
WEEKS = [("2025-01-06", "2025-01-12", "2025-01-10"), ("2025-01-13", "2025-01-19", "2025-01-17")]
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
SUPPRESSED = "Suppressed — fewer than 5 workers"

# (given name, declared sex, category key or None, pay per hour)
PEOPLE: list[tuple[str, str, str | None, str]] = [
    ("Alba", "female", "analysis", "20"),
    ("Berta", "female", "analysis", "21"),
    ("Carla", "female", "analysis", "22"),
    ("Dora", "female", "analysis", "23"),
    ("Elena", "female", "analysis", "24"),
    ("Fermin", "male", "analysis", "21.50"),
    ("Gael", "male", "analysis", "22.50"),
    ("Hugo", "male", "analysis", "23.50"),
    ("Iker", "male", "analysis", "24.50"),
    ("Jaime", "male", "analysis", "25.50"),
    ("Lucia", "female", "design", "30"),
    ("Marcos", "male", "design", "36"),
    ("Nora", "female", None, "15"),
    ("Olga", "female", None, "17"),
    ("Pilar", "female", None, "19"),
    ("Rosa", "female", None, "27"),
    ("Sergio", "male", None, "18"),
    ("Tomas", "male", None, "26"),
    ("Ulises", "male", None, "31"),
    ("Victor", "male", None, "34"),
]


def _check(page: Page, name: str) -> None:
    """Loaded, no key shown untranslated, axe, and a screenshot."""
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=30_000)
    assert untranslated_keys(page) == [], name
    check_accessibility(page, name)
    screenshot(page, "fairpay-figures-" + name.replace(" ", "-"))


def _cells(row: Locator) -> list[str]:
    """A table row's cells as read, spaces made plain (Intl puts no-break spaces in "16,95 %")."""
    return [" ".join(t.split()) for t in row.locator("th, td").all_inner_texts()]


def _hire_the_company(hr: httpx.Client, tag: str) -> dict[str, str]:
    """Two categories with their positions, twenty hires on weekly euro salaries, each sex declared; the ids."""
    positions: dict[str | None, str] = {
        "analysis": f"Pay analyst {tag}",
        "design": f"Pay designer {tag}",
        None: f"Pay clerk {tag}",
    }
    categories = {}
    for key, name, scores in (
        ("analysis", "Analysis", {"skills": 60, "effort": 40, "responsibility": 50, "working_conditions": 20}),
        ("design", "Design", {"skills": 70, "effort": 40, "responsibility": 40, "working_conditions": 20}),
    ):
        made = ok(
            hr.post("/api/hr/job-categories", json={"code": f"{key[:2].upper()}{tag}", "name": name, "scores": scores}),
            201,
        )
        categories[key] = made
        ok(
            hr.post(
                f"/api/hr/job-categories/{made['id']}/placements",
                json={"position": positions[key], "effective_from": "2025-01-01"},
            ),
            201,
        )
    ids = {}
    for given, sex, placed, hourly in PEOPLE:
        weekly = Decimal(hourly) * 40
        body: dict[str, Any] = {
            "given_name": given,
            "family_name": f"Quiroga {tag}",
            "email": f"{given.lower()}.{tag}@example.com",
            "position": positions[placed],
            "employment_type": "salaried",
            "start_date": START,
            "pay_terms": {
                "pay_type": "salaried",
                "rate": str(weekly),
                "currency": "EUR",
                "frequency": "weekly",
                "weekly_hours": "40",
            },
        }
        hired = ok(hr.post("/api/hr/employees", json=body), 201)
        ids[given] = hired["id"]
        ok(hr.put(f"/api/hr/employees/{hired['id']}/sex", json={"sex": sex}))
    ids.update({f"category:{k}": v["id"] for k, v in categories.items()})
    return ids


def _pay_two_weeks(paul: httpx.Client, ids: dict[str, str]) -> None:
    """A weekly euro pay group with a salary rule, and two weeks of January 2025 paid to everyone hired."""
    for given, *_ in PEOPLE:
        profile = f"/api/payroll/profiles/{ids[given]}"
        wait_for(lambda: paul.get(profile).status_code == 200, f"{given} at payroll", 60)  # noqa: B023
    group = {"code": "weekly-eur", "name": "Weekly in euros", "frequency": "weekly", "currency": "EUR"}
    ok(paul.post("/api/payroll/pay-groups", json=group), 201)
    rules = {
        "pay_group": "weekly-eur",
        "effective_from": "2025-01-01",
        "rules": [{"kind": "salary", "code": "salary", "description": "Salary"}],
    }
    ok(paul.post("/api/payroll/rule-sets", json=rules), 201)
    for start, end, pay_date in WEEKS:
        run = ok(
            paul.post(
                "/api/payroll/payruns",
                json={"pay_group": "weekly-eur", "period_start": start, "period_end": end, "pay_date": pay_date},
            ),
            201,
        )
        calculated = ok(paul.post(f"/api/payroll/payruns/{run['id']}/calculate"))
        assert calculated["employees"] == len(PEOPLE), calculated
        ok(paul.post(f"/api/payroll/payruns/{run['id']}/approve"))


def _report_ready(paul: httpx.Client, ids: dict[str, str]) -> Any:
    """The report of 2025 once payroll knows every sex and placement (HR's events arrive in their own time)."""
    report = ok(paul.get("/api/payroll/pay-gap", params=YEAR))
    counts = {c["category_id"]: (c["women"], c["men"]) for c in report["categories"]}
    ready = (
        report["women"] == 10
        and report["men"] == 10
        and counts.get(ids["category:analysis"]) == (5, 5)
        and counts.get(ids["category:design"]) == (1, 1)
    )
    return report if ready else None


@pytest.fixture(scope="module")
def company(demo: DemoCompany) -> tuple[str, Any]:
    """The company hired and paid once for this file's tests: its tag (in category codes) and the API's report."""
    tag = secrets.token_hex(2).upper()
    with closing(demo.api(demo.people["Hana"])) as hr, closing(demo.api(demo.people["Paul"])) as paul:
        ids = _hire_the_company(hr, tag)
        _pay_two_weeks(paul, ids)
        report = wait_for(lambda: _report_ready(paul, ids), "the report of 2025 with every sex and category", 60)
    return tag, report


def test_hana_reads_real_figures_in_the_pay_gap_report_justifies_and_reads_the_register(
    page: Page, demo: DemoCompany, company: tuple[str, Any]
) -> None:
    hana = demo.people["Hana"]
    tag, report = company
    # The API says what the screen will: the hand-worked figures.
    assert (report["workers"], report["others"], report["uncategorised"]) == (20, 0, 8)
    overall = report["overall"]
    assert [overall[k] for k in ("women_mean", "men_mean", "mean_gap_percent")] == ["21.80", "26.25", "16.95"]
    assert [overall[k] for k in ("women_median", "men_median", "median_gap_percent")] == ["21.50", "25.00", "14.00"]

    # The report of 2025, chosen as a year.
    sign_in(page, hana)
    page.get_by_role("menuitem", name="Pay gap report").click()
    expect(page.get_by_role("heading", name="Pay gap report", level=2)).to_be_visible()
    page.get_by_role("combobox", name="Year").click()
    page.get_by_role("option", name="2025", exact=True).click()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("20 (10 women, 10 men, 0 others)")).to_be_visible()
    headline = page.get_by_role("table", name="Gaps in pay per hour")
    expect(headline.get_by_role("row", name=re.compile("^All pay"))).to_contain_text("16.95%")
    rows = headline.get_by_role("row")
    assert _cells(rows.nth(1)) == ["All pay", "€21.80", "€26.25", "16.95%", "€21.50", "€25.00", "14.00%"]
    assert _cells(rows.nth(2)) == ["Basic pay", "€21.80", "€26.25", "16.95%", "€21.50", "€25.00", "14.00%"]
    assert _cells(rows.nth(3)) == ["Complementary pay", "€0.00", "€0.00", "—", "€0.00", "€0.00", "—"]
    expect(page.get_by_text("0.00% of women and 0.00% of men received complementary pay.")).to_be_visible()

    bands = page.get_by_role("table", name="Quartile pay bands").get_by_role("row")
    expect(bands).to_have_count(5)
    assert [_cells(bands.nth(i))[:4] for i in range(1, 5)] == [
        ["Lowest quarter", "€15.00 to €20.00", "4 (80.00%)", "1 (20.00%)"],
        ["Lower middle", "€21.00 to €23.00", "3 (60.00%)", "2 (40.00%)"],
        ["Upper middle", "€23.50 to €26.00", "1 (20.00%)", "4 (80.00%)"],
        ["Highest quarter", "€27.00 to €36.00", "2 (40.00%)", "3 (60.00%)"],
    ]

    analysis = page.get_by_role("region", name=f"Analysis (AN{tag})")
    expect(analysis.get_by_text("Gap of 5.00% or more")).to_be_visible()
    expect(analysis.get_by_text("10 (5 women, 5 men, 0 others)")).to_be_visible()
    gaps = analysis.get_by_role("table", name="Gaps in Analysis").get_by_role("row")
    assert _cells(gaps.nth(1)) == ["Basic pay", "€22.00", "€23.50", "6.38%", "€22.00", "€23.50", "6.38%"]
    expect(analysis.get_by_text("Neither justified nor assessed yet.")).to_be_visible()
    design = page.get_by_role("region", name=f"Design (DE{tag})")
    expect(design.get_by_text("2 (1 woman, 1 man, 0 others)")).to_be_visible()
    expect(design.get_by_text(SUPPRESSED)).to_be_visible()
    expect(design.get_by_role("table")).to_have_count(0)
    assert not re.search(r"€\d", design.inner_text())
    _check(page, "report 2025")

    # The flagged category justified from the report: the justification is shown in its place.
    analysis.get_by_role("button", name="Record a justification").click()
    dialog = page.get_by_role("dialog", name="Justify the gap in Analysis")
    reason = "The men of Analysis hold the senior grade, paid 1.50 an hour more under the agreement."
    dialog.get_by_label("Justification").fill(reason)
    check_accessibility(page, "the justification dialog")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(analysis.get_by_text(reason)).to_be_visible()
    expect(analysis.get_by_text(re.compile(r"^Justified on "))).to_be_visible()
    expect(analysis.get_by_text("Neither justified nor assessed yet.")).to_have_count(0)
    _check(page, "report justified")

    # The register of the same year: Analysis' salary row, per sex.
    page.get_by_role("menuitem", name="Pay register").click()
    expect(page.get_by_role("heading", name="Pay register", level=2)).to_be_visible()
    register = page.get_by_role("table", name="Pay register")
    salary = register.get_by_role("row").filter(has_text="Analysis").filter(has_text="Salary")
    expect(salary).to_have_count(1)
    assert _cells(salary)[:8] == ["Analysis", "Salary (basic)", "5", "€22.00", "€22.00", "5", "€23.50", "€23.50"]
    unplaced = register.get_by_role("row").filter(has_text="No category").filter(has_text="Salary")
    expect(unplaced.get_by_text(SUPPRESSED)).to_have_count(2)  # four women, four men
    # Everyone declared a woman or a man: no columns for another sex or none declared.
    expect(register.get_by_role("columnheader", name="Another sex")).to_have_count(0)
    expect(register.get_by_role("columnheader", name="Not declared")).to_have_count(0)
    _check(page, "register 2025")


def test_paul_reads_the_figures_in_spanish(page: Page, demo: DemoCompany, company: tuple[str, Any]) -> None:
    """The same report of 2025 in Spanish: figures in Spanish notation."""
    sign_in(page, demo.people["Paul"], locale="es")
    page.get_by_role("menuitem", name="Brecha retributiva").click()
    page.get_by_role("combobox", name="Año").click()
    page.get_by_role("option", name="2025", exact=True).click()
    page.get_by_role("button", name="Mostrar").click()
    expect(page.get_by_text("20 (10 mujeres, 10 hombres, 0 otras)")).to_be_visible()
    rows = page.get_by_role("table", name="Brechas en la retribución por hora").get_by_role("row")
    assert _cells(rows.nth(1)) == [
        "Toda la retribución",
        "21,80 €",
        "26,25 €",
        "16,95 %",
        "21,50 €",
        "25,00 €",
        "14,00 %",
    ]
    tag = company[0]
    expect(
        page.get_by_role("region", name=f"Design (DE{tag})").get_by_text("2 (1 mujer, 1 hombre, 0 otras)")
    ).to_be_visible()
    bands = page.get_by_role("table", name="Cuartiles de retribución").get_by_role("row")
    assert _cells(bands.nth(1))[:4] == ["Cuarto inferior", "15,00 € a 20,00 €", "4 (80,00 %)", "1 (20,00 %)"]
    _check(page, "report 2025 es")
