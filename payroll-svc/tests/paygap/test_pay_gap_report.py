"""The pay gap report, the pay register, justifications, assessments and the right to information, over a small
company whose figures are worked out by hand below (never with the report's own code).

The company, paid monthly in 2025 (pay date: the last day of each month), threshold 3 (a setting):

* Engineers (ENG, salaried; the rule set's 2400 standard hours a year make 200 h a month, so the hourly
  pay is the salary / 200):
  Ada F 4000 + a 1200 bonus in March; Bea F 3800; Cai F 4200; Dan M 4400 + a 2400 bonus in March; Eli M 4000;
  Fin M 4600.
* Operators (OPS, hourly, one week a month):
  Gia F 15.00, 20 h a month (part time); Ivy F 14.00, 20 h; Lia F 15.50, 20 h; Jon M 16.00, 20 h;
  Hal M 15.00, 40 h a month and in January 60 h (12 h a day: 20 h overtime at 1.5 x 15.00 = 22.50);
  Kai M 15.00, 40 h a month, leaves on 30 June (six payslips).
* Clerks (ADM): Nia F, salaried 3000. Oli, salaried 3200, an intern whose position has no category and who
  declared no sex.

Per person over the year (total pay / hours paid = hourly; basic / hours; complementary / hours):

    Ada 49200 / 2400 = 20.50 (basic 20.00, complementary 0.50)   Dan 55200 / 2400 = 23.00 (22.00, 1.00)
    Bea 45600 / 2400 = 19.00                                     Eli 48000 / 2400 = 20.00
    Cai 50400 / 2400 = 21.00                                     Fin 55200 / 2400 = 23.00
    Gia  3600 /  240 = 15.00                                     Hal (480 x 15.00 + 20 x 22.50) / 500 = 7650 / 500
    Ivy  3360 /  240 = 14.00                                         = 15.30 (basic 7200 / 500 = 14.40, compl. 0.90)
    Lia  3720 /  240 = 15.50                                     Jon  3840 / 240 = 16.00
    Nia 36000 / 2400 = 15.00                                     Kai  3600 / 240 = 15.00
    Oli: counted among the others, in no gap.

Overall (7 women, 6 men):
    women mean 120.00 / 7 = 17.142857 -> 17.14; men mean 112.30 / 6 = 18.716667 -> 18.72
    mean gap (18.72 - 17.14) / 18.72 = 8.440171 % -> 8.44
    women median (14, 15, 15, 15.5, 19, 20.5, 21) = 15.50; men median (15, 15.3, 16, 20, 23, 23) = 18.00
    median gap 2.50 / 18.00 = 13.888889 % -> 13.89
Basic: women 119.50 / 7 = 17.07; men 110.40 / 6 = 18.40; gap 1.33 / 18.40 = 7.228261 % -> 7.23;
    medians 15.50 and (16 + 20) / 2 = 18.00: 13.89.
Complementary: women 0.50 / 7 = 0.0714 -> 0.07; men 1.90 / 6 = 0.3167 -> 0.32; gap 0.25 / 0.32 = 78.125 % -> 78.13
    (half up); medians 0.00 and 0.00: no gap (men's is zero).
Complementary share: 1 woman in 7 = 14.29 %; 2 men in 6 = 33.33 %.
Quartiles: 13 people, bands of 4, 3, 3, 3 (the remainder to the lowest band), by hourly pay, ties by id:
    1: Ivy 14, Gia 15, Kai 15, Nia 15          -> 14.00 to 15.00, 3 women 1 man: 75.00 / 25.00
    2: Hal 15.30, Lia 15.50, Jon 16            -> 15.30 to 16.00, 1 woman 2 men: 33.33 / 66.67
    3: Bea 19, Eli 20, Ada 20.50               -> 19.00 to 20.50, 2 women 1 man: 66.67 / 33.33
    4: Cai 21, Dan 23, Fin 23                  -> 21.00 to 23.00, 1 woman 2 men: 33.33 / 66.67
ENG: basic women (20, 19, 21) mean 20.00 median 20.00; men (22, 20, 23) mean 21.67 median 22.00;
    gaps 1.67 / 21.67 = 7.706507 % -> 7.71 and 2 / 22 = 9.090909 % -> 9.09: flagged.
    complementary women (0.5, 0, 0) 0.17, median 0.00; men (1, 0, 0) 0.33, median 0.00; gap 0.16 / 0.33 = 48.48.
OPS: basic women (15, 14, 15.5) 14.83, median 15.00; men (14.4, 16, 15) 15.13, median 15.00;
    gaps 0.30 / 15.13 = 1.982816 % -> 1.98 and 0.00. complementary women 0.00, men (0.9, 0, 0) 0.30: 100.00 %,
    medians 0.00: flagged.
ADM: Nia alone: suppressed, not flagged. Uncategorised: Oli.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from backoffice.shared.bus import Envelope
from backoffice.shared.bus.tables import outbox
from backoffice.shared.db import Database
from backoffice.shared.events import hr
from backoffice.testing import DatabaseFactory, GatewayClient, NatsServer, StartedServices, connect_gateway
from payrollkit import (
    RULES,
    hired,
    ok,
    payroll_events,
    problem,
    profile,
    publish,
    sheet,
    submitted,
    terminated,
    wait_for,
)
from sqlalchemy import func, select

D = Decimal
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}
SALARIED: dict[str, tuple[str, str | None]] = {
    "ada": ("4000", "F"),
    "bea": ("3800", "F"),
    "cai": ("4200", "F"),
    "dan": ("4400", "M"),
}
SALARIED |= {"eli": ("4000", "M"), "fin": ("4600", "M"), "nia": ("3000", "F"), "oli": ("3200", None)}
HOURLY: dict[str, tuple[str, str | None]] = {
    "gia": ("15.00", "F"),
    "ivy": ("14.00", "F"),
    "lia": ("15.50", "F"),
    "jon": ("16.00", "M"),
}
HOURLY |= {"hal": ("15.00", "M"), "kai": ("15.00", "M")}
POSITION = {p: "Engineer" for p in ("ada", "bea", "cai", "dan", "eli", "fin")}
POSITION |= {p: "Operator" for p in ("gia", "ivy", "lia", "jon", "hal", "kai")} | {"nia": "Clerk", "oli": "Intern"}
CATEGORIES = {"cat-eng": ("ENG", "Engineers", "Engineer"), "cat-ops": ("OPS", "Operators", "Operator")}
CATEGORIES |= {"cat-adm": ("ADM", "Clerks", "Clerk")}


def pid(name: str) -> str:
    return f"pg-{name}"


def gap(*figures: str | None, suppressed: bool = False) -> dict[str, Any]:
    keys = ("women_mean", "men_mean", "mean_gap_percent", "women_median", "men_median", "median_gap_percent")
    return {**dict(zip(keys, figures, strict=True)), "suppressed": suppressed}


SUPPRESSED = gap(None, None, None, None, None, None, suppressed=True)


def hr_event(contract: hr.SexDeclared | hr.JobCategorySaved | hr.PositionPlaced, subject: str) -> Envelope:
    return Envelope.new(contract.TYPE, source="hr", subject=subject, data=contract)


def hires() -> list[Envelope]:
    """Everyone hired in 2024 with their position; Kai leaves on 30 June 2025."""
    out = []
    for name, (rate, _) in {**SALARIED, **HOURLY}.items():
        kind: Literal["hourly", "salaried"] = "salaried" if name in SALARIED else "hourly"
        event = hired(pid(name), date(2024, 1, 1), pay_type=kind, rate=rate, given_name=name.capitalize())
        out.append(event.model_copy(update={"data": {**event.data, "position": POSITION[name]}}))
    return [*out, terminated(pid("kai"), date(2025, 6, 30))]


def fair_pay_events() -> list[Envelope]:
    """Declared sexes (Oli none), three categories (ENG twice: version 2 is the one shown) and their placements."""
    out = []
    for name, (_, sex) in {**SALARIED, **HOURLY}.items():
        if sex is not None:
            declared = hr.SexDeclared(employee_id=pid(name), sex="female" if sex == "F" else "male")
            out.append(hr_event(declared, pid(name)))
    scores = hr.CriterionScores(skills=80, effort=50, responsibility=60, working_conditions=20)
    out.append(
        hr_event(
            hr.JobCategorySaved(category_id="cat-eng", code="ENG", name="Engineering", scores=scores, version=1),
            "cat-eng",
        )
    )
    for category_id, (code, name, position) in CATEGORIES.items():
        saved = hr.JobCategorySaved(category_id=category_id, code=code, name=name, scores=scores, version=2)
        out.append(hr_event(saved, category_id))
        placed = hr.PositionPlaced(
            placement_id=f"pl-{code}", position=position, category_id=category_id, effective_from=date(2024, 1, 1)
        )
        out.append(hr_event(placed, placed.placement_id))
    return out


def weeks() -> list[Envelope]:
    """One week a month for each hourly person: the first Monday of the month to Friday."""
    out = []
    for month in range(1, 13):
        first = date(2025, month, 1)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        for name in HOURLY:
            if name == "kai" and month > 6:
                continue
            daily = "8" if name in ("hal", "kai") else "4"
            if name == "hal" and month == 1:
                daily = "12"  # 4 h a day above 8: 20 h overtime
            out.append(submitted(pid(name), monday, [(d, daily, "regular") for d in range(5)]))
    return out


@dataclass
class Company:
    url: str
    gateway: GatewayClient
    database_url: str
    hr: httpx.Client
    clerk: httpx.Client
    auditor: httpx.Client
    logs: Path

    def as_employee(self, name: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.gateway.auth(self.gateway.activate_employee(pid(name))))


def _year_of_runs(clerk: httpx.Client) -> None:
    ok(clerk.post("/pay-groups", json={"code": "m", "name": "M", "frequency": "monthly", "currency": "EUR"}), 201)
    rules = {"pay_group": "m", "effective_from": "2025-01-01", "standard_hours_per_year": "2400", "rules": RULES}
    ok(clerk.post("/rule-sets", json=rules), 201)
    for month in range(1, 13):
        if month == 3:
            for name, amount in (("ada", "1200"), ("dan", "2400")):
                item = {"employee_id": pid(name), "kind": "bonus", "amount": amount, "description": "Bonus"}
                ok(clerk.post("/pay-items", json=item), 201)
        first = date(2025, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        period = {"pay_group": "m", "period_start": str(first), "period_end": str(last), "pay_date": str(last)}
        run = ok(clerk.post("/payruns", json=period), 201)
        ok(clerk.post(f"/payruns/{run['id']}/calculate"))
        ok(clerk.post(f"/payruns/{run['id']}/approve"))


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory, nats_server: NatsServer) -> Iterator[Company]:
    folder = tmp_path_factory.mktemp("paygap")
    databases = DatabaseFactory(folder)
    services = StartedServices(folder, nats_server.url, databases)
    try:
        g = connect_gateway(services.start("gateway"))
        publish(nats_server.url, *hires(), *fair_pay_events())
        database_url = databases.new_url("payroll")
        payroll = services.start(
            "payroll", database_url=database_url, env={"BACKOFFICE_PAYROLL_PAY_GAP_THRESHOLD": "3"}
        )
        clients = [
            httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user(f"pg-{who}", [role])), timeout=30)
            for who, role in (("hr", "hr"), ("clerk", "payroll"), ("auditor", "pay_auditor"))
        ]
        hr_client, clerk, auditor = clients
        for name in [*SALARIED, *HOURLY]:
            profile(clerk, pid(name))
        assert wait_for(lambda: profile(clerk, pid("kai"))["end_date"], "kai's termination") == "2025-06-30"
        submissions = weeks()
        publish(nats_server.url, *submissions)
        ids = [str(sheet(clerk, e.data["timesheet_id"])["id"]) for e in submissions]
        ok(clerk.post("/timesheets/decisions", json={"decision": "approve", "timesheet_ids": ids}))
        _year_of_runs(clerk)
        yield Company(payroll.url, g, database_url, hr_client, clerk, auditor, folder / "logs")
        for client in clients:
            client.close()
        g.client.close()
    finally:
        services.stop_all()
        databases.cleanup()


def _report(company: Company) -> dict[str, Any]:
    """The 2025 report once payroll has every declaration and category (they come from HR's stream)."""

    def ready() -> dict[str, Any] | None:
        report = ok(company.auditor.get("/pay-gap", params=YEAR))
        ready = report["women"] == 7 and len(report["categories"]) == 3 and report["uncategorised"] == 1
        return report if ready else None

    found: dict[str, Any] = wait_for(ready, "the fair pay events at payroll")
    return found


def test_each_payslip_keeps_its_basic_and_complementary_pay_and_its_hours(company: Company) -> None:
    runs = ok(company.clerk.get("/payruns", params={"limit": 20}))["items"]
    assert sorted(r["status"] for r in runs) == ["approved"] * 12
    # Hal's January: 40 h regular and 20 h overtime (12 h days), as verification classified them.
    january = next(r for r in runs if r["period_start"] == "2025-01-01")
    slips = ok(company.clerk.get("/payslips", params={"run_id": january["id"], "limit": 100}))["items"]
    hal = next(s for s in slips if s["employee_id"] == pid("hal"))
    assert hal["hours"] == {"overtime": "20.00", "regular": "40.00"}
    assert {x["code"]: x["amount"] for x in hal["earnings"]} == {"regular": "600.00", "overtime": "450.00"}


def test_the_pay_gap_report_matches_the_figures_worked_out_by_hand(company: Company) -> None:
    report = _report(company)
    assert (report["period_start"], report["period_end"], report["currency"]) == ("2025-01-01", "2025-12-31", "EUR")
    assert report["threshold"] == 3
    assert D(report["flag_percent"]) == 5
    assert (report["workers"], report["women"], report["men"], report["others"]) == (14, 7, 6, 1)
    assert report["overall"] == gap("17.14", "18.72", "8.44", "15.50", "18.00", "13.89")
    assert report["basic"] == gap("17.07", "18.40", "7.23", "15.50", "18.00", "13.89")
    assert report["complementary"] == gap("0.07", "0.32", "78.13", "0.00", "0.00", None)
    assert report["complementary_share"] == {
        "women_receiving_percent": "14.29",
        "men_receiving_percent": "33.33",
        "suppressed": False,
    }
    quartiles = [
        (q["quartile"], q["lower"], q["upper"], q["women"], q["men"], q["women_percent"], q["men_percent"])
        for q in report["quartiles"]
    ]
    assert quartiles == [
        (1, "14.00", "15.00", 3, 1, "75.00", "25.00"),
        (2, "15.30", "16.00", 1, 2, "33.33", "66.67"),
        (3, "19.00", "20.50", 2, 1, "66.67", "33.33"),
        (4, "21.00", "23.00", 1, 2, "33.33", "66.67"),
    ]
    categories = {c["code"]: c for c in report["categories"]}
    assert [c["name"] for c in report["categories"]] == ["Clerks", "Engineers", "Operators"]  # version 2's names
    eng, ops, adm = categories["ENG"], categories["OPS"], categories["ADM"]
    assert eng["scores"] == {"skills": 80, "effort": 50, "responsibility": 60, "working_conditions": 20}
    assert (eng["workers"], eng["women"], eng["men"], eng["flagged"], eng["suppressed"]) == (6, 3, 3, True, False)
    assert eng["basic"] == gap("20.00", "21.67", "7.71", "20.00", "22.00", "9.09")
    assert eng["complementary"] == gap("0.17", "0.33", "48.48", "0.00", "0.00", None)
    assert (ops["workers"], ops["women"], ops["men"], ops["flagged"]) == (6, 3, 3, True)
    assert ops["basic"] == gap("14.83", "15.13", "1.98", "15.00", "15.00", "0.00")
    assert ops["complementary"] == gap("0.00", "0.30", "100.00", "0.00", "0.00", None)
    # A category of one woman: counted, never a figure.
    assert (adm["workers"], adm["women"], adm["men"], adm["flagged"], adm["suppressed"]) == (1, 1, 0, False, True)
    assert adm["basic"] == adm["complementary"] == SUPPRESSED
    assert (eng["justification"], eng["assessment_id"]) == (None, None)
    # No per-person data in the answer.
    text = str(report)
    assert not any(pid(name) in text for name in [*SALARIED, *HOURLY])


def test_a_group_under_the_threshold_shows_no_figures(company: Company) -> None:
    """December (Kai has left: 5 men) still shows the overall gaps, not the lone clerk's; a year without payslips
    shows nothing but suppressed groups."""
    december = ok(company.auditor.get("/pay-gap", params={"from": "2025-12-01", "to": "2025-12-31"}))
    assert (december["women"], december["men"]) == (7, 5)  # Kai left in June
    assert december["overall"]["suppressed"] is False
    assert all(c["suppressed"] for c in december["categories"] if c["code"] == "ADM")
    empty = ok(company.auditor.get("/pay-gap", params={"from": "2024-01-01", "to": "2024-12-31"}))
    assert (empty["workers"], empty["overall"], empty["complementary_share"]["suppressed"]) == (0, SUPPRESSED, True)
    assert all(q["suppressed"] and q["women_percent"] is None for q in empty["quartiles"])


def test_the_pay_register_by_category_and_concept_as_json_and_csv(company: Company) -> None:
    register = ok(company.auditor.get("/pay-register", params=YEAR))
    rows = {(r["category_name"], r["concept"]): r for r in register["rows"]}
    assert [k for k in rows if k[0] == "Engineers"] == [
        ("Engineers", "salary"),
        ("Engineers", "bonus"),
        ("Engineers", "total"),
    ]
    assert [k for k in rows if k[0] == "Operators"] == [
        ("Operators", "regular"),
        ("Operators", "overtime"),
        ("Operators", "total"),
    ]

    def cells(key: tuple[str, str]) -> list[tuple[str, int, str | None, str | None, bool]]:
        return [(c["sex"], c["workers"], c["average"], c["median"], c["suppressed"]) for c in rows[key]["cells"]]

    # Per hour paid: salary women 20, 19, 21; men 22, 20, 23. Bonus women 0.50, 0, 0; men 1.00, 0, 0.
    assert cells(("Engineers", "salary"))[:2] == [
        ("female", 3, "20.00", "20.00", False),
        ("male", 3, "21.67", "22.00", False),
    ]
    assert rows[("Engineers", "bonus")]["component"] == "complementary"
    assert cells(("Engineers", "bonus"))[:2] == [
        ("female", 3, "0.17", "0.00", False),
        ("male", 3, "0.33", "0.00", False),
    ]
    assert cells(("Engineers", "total")) == [
        ("female", 3, "20.17", "20.50", False),
        ("male", 3, "22.00", "23.00", False),
        ("another", 0, None, None, True),
        ("not_declared", 0, None, None, True),
    ]
    # Hal's overtime 450 / 500 h = 0.90; Jon and Kai none: mean 0.30.
    assert cells(("Operators", "overtime"))[1] == ("male", 3, "0.30", "0.00", False)
    assert cells(("No job category", "total"))[3] == ("not_declared", 1, None, None, True)
    assert cells(("Clerks", "total"))[0] == ("female", 1, None, None, True)

    text = company.auditor.get("/pay-register", params={**YEAR, "format": "csv"})
    assert text.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(text.text)))
    assert lines[0][:8] == [
        "category_id",
        "category",
        "concept",
        "description",
        "component",
        "female_workers",
        "female_average",
        "female_median",
    ]
    assert (lines[1 + list(rows).index(("Engineers", "total"))][:11]) == [
        "cat-eng",
        "Engineers",
        "total",
        "Total pay",
        "total",
        "3",
        "20.17",
        "20.50",
        "3",
        "22.00",
        "23.00",
    ]
    assert len(lines) == 1 + len(register["rows"])


def _outbox_count(database_url: str) -> int:
    async def count() -> int:
        db = Database(database_url)
        try:
            async with db.session(write=False) as session:
                return int(await session.scalar(select(func.count()).select_from(outbox)) or 0)
        finally:
            await db.dispose()

    return asyncio.run(count())


def test_filing_the_register_sends_it_to_docs(company: Company, nats_server: NatsServer) -> None:
    before = _outbox_count(company.database_url)
    assert "before" in problem(
        company.hr.post("/pay-register/file", json={"from": "2025-12-31", "to": "2025-01-01"}), 422
    )
    assert _outbox_count(company.database_url) == before  # nothing sent
    filed = ok(company.hr.post("/pay-register/file", json=YEAR), 202)

    def found() -> Envelope | None:
        events = payroll_events(nats_server.url, "payroll.pay_register_filed")
        return next((e for e in events if e.data["register_id"] == filed["register_id"]), None)

    event = wait_for(found, "the register filed")
    assert (event.data["period_start"], event.data["period_end"], event.data["threshold"]) == (
        "2025-01-01",
        "2025-12-31",
        3,
    )
    assert len(event.data["rows"]) == filed["rows"] == len(ok(company.hr.get("/pay-register", params=YEAR))["rows"])
    assert all(pid(name) not in str(event.data) for name in SALARIED)


def test_justifications_and_assessments_of_a_flagged_category(company: Company) -> None:
    period = {"category_id": "cat-eng", "period_start": "2025-01-01", "period_end": "2025-12-31"}
    # Bad input: nothing written.
    assert "category" in problem(
        company.hr.post("/pay-gap/justifications", json={**period, "category_id": "x", "text": "t"}), 422
    )
    assert "text" in problem(company.hr.post("/pay-gap/justifications", json={**period, "text": "   "}), 422)
    reversed_period = {**period, "period_start": "2025-12-31", "period_end": "2025-01-01", "text": "t"}
    assert "before" in problem(company.hr.post("/pay-gap/justifications", json=reversed_period), 422)
    assert "measures" in problem(
        company.hr.post("/pay-gap/assessments", json={**period, "findings": "f", "measures": []}), 422
    )
    assert _report(company)["categories"][1]["justification"] is None
    assert ok(company.auditor.get("/pay-gap/assessments"))["total"] == 0
    problem(company.auditor.post("/pay-gap/justifications", json={**period, "text": "t"}), 403)
    problem(company.clerk.post("/pay-gap/assessments", json={**period, "findings": "f", "measures": []}), 403)

    ok(company.hr.post("/pay-gap/justifications", json={**period, "text": "Seniority: the men joined earlier"}), 201)
    later = ok(company.hr.post("/pay-gap/justifications", json={**period, "text": "Seniority, and a night shift"}), 201)
    measures = [
        {"description": "Review the bonus policy", "owner": "HR", "due": "2026-03-31"},
        {"description": "Align starting salaries", "owner": "Payroll", "due": "2026-06-30"},
    ]
    assessment = ok(
        company.hr.post("/pay-gap/assessments", json={**period, "findings": "Bonuses", "measures": measures}), 201
    )
    assert (assessment["category_name"], assessment["follow_ups"]) == ("Engineers", [])
    path = f"/pay-gap/assessments/{assessment['id']}/follow-ups"
    assert "measure_index" in problem(
        company.hr.post(path, json={"note": "n", "measure_index": 2, "status": "done"}), 422
    )
    assert "status" in problem(company.hr.post(path, json={"note": "n", "status": "finished"}), 422)
    ok(company.hr.post(path, json={"note": "Policy drafted", "measure_index": 0, "status": "in_progress"}), 201)
    done = ok(company.hr.post(path, json={"note": "Policy adopted", "measure_index": 0, "status": "done"}), 201)
    assert [(f["note"], f["status"]) for f in done["follow_ups"]] == [
        ("Policy drafted", "in_progress"),
        ("Policy adopted", "done"),
    ]
    assert done["measures"] == measures  # never edited
    assert ok(company.auditor.get(f"/pay-gap/assessments/{assessment['id']}")) == done
    assert [
        a["id"] for a in ok(company.auditor.get("/pay-gap/assessments", params={"category_id": "cat-eng"}))["items"]
    ] == [assessment["id"]]
    problem(company.auditor.get("/pay-gap/assessments/nope"), 404)
    eng = next(c for c in _report(company)["categories"] if c["code"] == "ENG")
    assert (eng["justification"]["id"], eng["justification"]["text"]) == (later["id"], "Seniority, and a night shift")
    assert eng["assessment_id"] == assessment["id"]


def test_an_employee_asks_for_the_pay_of_their_category(company: Company) -> None:
    _report(company)
    bea = company.as_employee("bea")
    answer = ok(bea.post("/pay-information-requests"), 201)
    assert answer["employee_id"] == pid("bea")
    # ENG in 2025: women 20.50, 19.00, 21.00 an hour, 49200, 45600, 50400 a year; men 23, 20, 23 and 55200, 48000,
    # 55200.
    assert answer["answer"] == {
        "category_id": "cat-eng",
        "category_name": "Engineers",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "currency": "EUR",
        "threshold": 3,
        "women": {"workers": 3, "average_hourly": "20.17", "average_annual": "48400.00", "suppressed": False},
        "men": {"workers": 3, "average_hourly": "22.00", "average_annual": "52800.00", "suppressed": False},
    }
    # Nia is the only clerk: under the threshold, no figure.
    nia = company.as_employee("nia")
    small = ok(nia.post("/pay-information-requests"), 201)["answer"]
    assert small["women"] == {"workers": 1, "average_hourly": None, "average_annual": None, "suppressed": True}
    assert small["men"] == {"workers": 0, "average_hourly": None, "average_annual": None, "suppressed": True}
    # Oli's position has no category: refused, nothing kept.
    assert "no job category" in problem(company.as_employee("oli").post("/pay-information-requests"), 409)
    assert "employee" in problem(company.clerk.post("/pay-information-requests"), 422)
    # Each reads their own; HR and auditors read all.
    assert [r["id"] for r in ok(bea.get("/pay-information-requests"))["items"]] == [answer["id"]]
    ok(bea.get(f"/pay-information-requests/{answer['id']}"))
    problem(nia.get(f"/pay-information-requests/{answer['id']}"), 403)
    assert ok(company.auditor.get("/pay-information-requests"))["total"] == 2
    assert ok(company.hr.get("/pay-information-requests"))["total"] == 2
    assert ok(company.clerk.get("/pay-information-requests"))["total"] == 0  # payroll: only their own


def test_bad_periods_and_who_may_read(company: Company) -> None:
    assert "before" in problem(company.auditor.get("/pay-gap", params={"from": "2025-12-31", "to": "2025-01-01"}), 422)
    assert "both" in problem(company.auditor.get("/pay-gap", params={"from": "2025-01-01"}), 422)
    problem(company.auditor.get("/pay-register", params={"from": "2025-13-01", "to": "2025-12-31"}), 422)
    default = ok(company.hr.get("/pay-gap"))  # the last full calendar year
    assert default["period_end"][:4] == str(date.today().year - 1)
    bea = company.as_employee("bea")
    for path in ("/pay-gap", "/pay-register", "/pay-gap/assessments"):
        assert problem(bea.get(path), 403)


def test_the_declared_sex_is_never_written_to_a_log(company: Company) -> None:
    _report(company)  # every declaration has been received and used
    logs = list(company.logs.glob("payroll-*.log"))
    assert logs
    for log in logs:
        text = log.read_text().lower()
        assert not [value for value in ("female", '"male"', "'male'", "=male") if value in text], log.name
