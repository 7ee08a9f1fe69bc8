"""A pay run end to end over real events: hourly, salaried, overtime, mid-period start, a raise and final pay,
bracketed tax with a cap, recalculation, approval rules, payslip privacy, register, corrections next run."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
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

D = Decimal
OCTOBER = {
    "pay_group": "monthly-eur",
    "period_start": "2026-10-01",
    "period_end": "2026-10-31",
    "pay_date": "2026-10-30",
}
NOVEMBER = {
    "pay_group": "monthly-eur",
    "period_start": "2026-11-01",
    "period_end": "2026-11-30",
    "pay_date": "2026-11-27",
}
FORMULA = '=HYPERLINK("http://evil.example","x")'
OCTOBER_WEEKS = [date(2026, 10, 5) + timedelta(days=7 * n) for n in range(4)]


def raise_for(employee_id: str, on: date, rate: str) -> Envelope:
    data = hr.EmployeeUpdated(
        employee_id=employee_id,
        effective_date=on,
        changes=["pay_terms"],
        given_name="Ted",
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department="Operations",
        status="active",
        pay_terms=hr.PayTerms(pay_type="salaried", rate=D(rate), currency="EUR", frequency="monthly"),
    )
    return Envelope.new(hr.EmployeeUpdated.TYPE, source="hr", subject=employee_id, data=data)


def moved(employee_id: str, on: date, department: str) -> Envelope:
    data = hr.EmployeeUpdated(
        employee_id=employee_id,
        effective_date=on,
        changes=["department"],
        given_name=employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department=department,
        status="active",
    )
    return Envelope.new(hr.EmployeeUpdated.TYPE, source="hr", subject=employee_id, data=data)


def slips_by_employee(clerk: httpx.Client, run_id: str) -> dict[str, Any]:
    return {s["employee_id"]: s for s in ok(clerk.get("/payslips", params={"run_id": run_id, "limit": 500}))["items"]}


def amounts(slip: dict[str, Any]) -> dict[str, str]:
    lines = slip["earnings"] + slip["deductions"] + slip["employer_contributions"]
    return {line["code"]: line["amount"] for line in lines}


def test_a_month_of_pay_from_hours_to_payslips_and_a_correction_the_month_after(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    publish(
        nats_server.url,
        hired("hana", date(2020, 1, 1)),
        hired("sal", date(2026, 10, 15), pay_type="salaried", rate="5000", department="Finance"),
        hired("ted", date(2025, 1, 1), pay_type="salaried", rate="4400"),
        hired("ivy", date(2024, 3, 1), given_name=FORMULA),  # a name a spreadsheet would run
        hired("hal", date(2024, 3, 1)),  # hourly, leaves on 14 October after his hours were approved
        hired("wes", date(2024, 3, 1), frequency="weekly"),  # another pay group: never in this run
    )
    payroll = start_service("payroll")
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("clerk2", ["payroll"])))
    publish(nats_server.url, raise_for("ted", date(2026, 10, 19), "5500"), terminated("ted", date(2026, 10, 27)))
    assert wait_for(lambda: profile(clerk, "ted")["end_date"], "ted's termination") == "2026-10-27"
    assert [t["rate"] for t in profile(clerk, "ted")["pay_terms"]] == ["4400.0000", "5500.0000"]
    # Sal moves to Sales from November, announced before October is paid: October stays Finance's cost.
    publish(nats_server.url, moved("sal", date(2026, 11, 1), "Sales"))
    placements = wait_for(lambda: len(p := profile(clerk, "sal")["placements"]) == 2 and p, "sal's move")
    assert [(m["effective_from"], m["department"]) for m in placements] == [
        ("2026-10-15", "Finance"),
        ("2026-11-01", "Sales"),
    ]

    # Rules: a group per frequency and currency; versions may not overlap a fixed end.
    assert "currency" in problem(
        clerk.post("/pay-groups", json={"code": "x", "name": "X", "frequency": "monthly", "currency": "XXX"}), 422
    )
    ok(
        clerk.post(
            "/pay-groups", json={"code": "monthly-eur", "name": "Monthly", "frequency": "monthly", "currency": "EUR"}
        ),
        201,
    )
    rules = {"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}
    v1 = ok(clerk.post("/rule-sets", json=rules), 201)
    assert v1["version"] == 1
    assert v1["in_force_to"] is None
    assert "overlap" in problem(
        clerk.post("/rule-sets", json={**rules, "effective_from": "2026-06-01", "effective_to": "2026-12-31"}), 409
    )
    assert "list every earning first" in problem(
        clerk.post("/rule-sets", json={**rules, "effective_from": "2027-01-01", "rules": RULES[::-1]}), 422
    )

    # Hours: Hana's four October weeks (18 h on 5 October: 10 h overtime), Ivy's week left pending.
    hana_weeks = [
        submitted(
            "hana", week, [(d, "18" if week == OCTOBER_WEEKS[0] and d == 0 else "8", "regular") for d in range(5)]
        )
        for week in OCTOBER_WEEKS
    ]
    ivy_week = submitted("ivy", OCTOBER_WEEKS[1], [(d, "8", "regular") for d in range(5)])
    hal_weeks = [submitted("hal", week, [(d, "8", "regular") for d in range(5)]) for week in OCTOBER_WEEKS[:2]]
    publish(nats_server.url, *hana_weeks, ivy_week, *hal_weeks)
    ids = [e.data["timesheet_id"] for e in [*hana_weeks, *hal_weeks]]
    for sheet_id in [*ids, ivy_week.data["timesheet_id"]]:
        assert sheet(clerk, sheet_id)["status"] == "pending"
    ok(clerk.post("/timesheets/decisions", json={"decision": "approve", "timesheet_ids": ids}))
    publish(nats_server.url, terminated("hal", date(2026, 10, 14)))  # Wednesday: 15-16 October are not paid
    assert wait_for(lambda: profile(clerk, "hal")["end_date"], "hal's termination") == "2026-10-14"

    run = ok(clerk.post("/payruns", json=OCTOBER), 201)
    assert run["status"] == "draft"
    assert "covers part of this period" in problem(clerk.post("/payruns", json=OCTOBER), 409)
    assert "starts on the 1st of a month" in problem(
        clerk.post("/payruns", json={**OCTOBER, "period_start": "2026-10-15", "period_end": "2026-11-14"}), 422
    )
    assert "ends on 2026-10-31" in problem(clerk.post("/payruns", json={**OCTOBER, "period_end": "2026-10-15"}), 422)
    problem(clerk.post(f"/payruns/{run['id']}/approve"), 409)  # not calculated yet
    run = ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    assert run["status"] == "calculated"
    assert run["employees"] == 4
    slips = slips_by_employee(clerk, run["id"])
    # Hana: 160 h x 25.50 + 10 h x 38.25; pension 5%; tax 20%/40% brackets on the taxable pay; social capped.
    assert amounts(slips["hana"]) == {
        "regular": "4080.00",
        "overtime": "382.50",
        "pension": "223.13",
        "income_tax": "895.75",
        "social": "300.00",
        "employer_social": "446.25",
    }
    assert (slips["hana"]["gross"], slips["hana"]["net"]) == ("4462.50", "3043.62")
    assert slips["hana"]["hours"] == {"overtime": "10.00", "regular": "160.00"}
    # Sal starts on 15 October: 12 of 22 working days of 5000.
    assert amounts(slips["sal"])["salary"] == "2727.27"
    assert slips["sal"]["net"] == "2054.55"
    assert slips["sal"]["department"] == "Finance"
    assert slips["hana"]["department"] == "Operations"
    # Ted: 12 days at 4400 and 7 at 5500 up to his last day, 27 October: final pay.
    ted = slips["ted"]
    assert [(x["quantity"], x["amount"]) for x in ted["earnings"]] == [("12", "2400.00"), ("7", "1750.00")]
    assert ted["final"]
    assert ted["gross"] == "4150.00"
    assert ted["net"] == "2865.50"
    # Hal: final pay of his approved hours up to 14 October, 5 + 3 days of 8 h: 64 h x 25.50 = 1632.00; pension
    # 81.60; tax 20% of 1550.40 - 1000 = 110.08; social 8% = 130.56: net 1309.76.
    hal = slips["hal"]
    assert hal["final"]
    assert hal["hours"] == {"regular": "64.00"}
    assert amounts(hal)["regular"] == "1632.00"
    assert (hal["total_deductions"], hal["net"], hal["total_employer_contributions"]) == ("322.24", "1309.76", "163.20")
    assert run["gross"] == "12971.77"
    assert run["net"] == "9273.43"
    # The run is the sum of its payslips, and each payslip the sum of its displayed lines.
    for total, of_slip in [("gross", "gross"), ("deductions", "total_deductions"), ("net", "net")]:
        assert D(run[total]) == sum(D(s[of_slip]) for s in slips.values()), total
    assert D(run["employer_contributions"]) == sum(D(s["total_employer_contributions"]) for s in slips.values())
    for slip in slips.values():
        assert D(slip["gross"]) == sum(D(x["amount"]) for x in slip["earnings"])
        assert D(slip["total_deductions"]) == sum(D(x["amount"]) for x in slip["deductions"])
        assert D(slip["net"]) == D(slip["gross"]) - D(slip["total_deductions"])

    again = ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    assert [again[k] for k in ("gross", "deductions", "net", "by_code")] == [
        run[k] for k in ("gross", "deductions", "net", "by_code")
    ]
    assert {e: amounts(s) for e, s in slips_by_employee(clerk, run["id"]).items()} == {
        e: amounts(s) for e, s in slips.items()
    }

    # Ivy's week is not verified: no approval. Once approved, the calculation is stale until redone.
    assert ivy_week.data["timesheet_id"] in problem(clerk.post(f"/payruns/{run['id']}/approve"), 409)
    ok(clerk.post(f"/timesheets/{ivy_week.data['timesheet_id']}/approve"))
    assert "calculate it again" in problem(clerk.post(f"/payruns/{run['id']}/approve"), 409)
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    run = ok(clerk.post(f"/payruns/{run['id']}/approve"))
    assert run["status"] == "approved"
    assert run["employees"] == 5
    problem(clerk.post(f"/payruns/{run['id']}/calculate"), 409)
    problem(clerk.post(f"/payruns/{run['id']}/cancel"), 409)
    slips = slips_by_employee(clerk, run["id"])
    assert slips["ivy"]["net"] == "887.40"

    def of_run(subject: str, count: int) -> list[Envelope]:
        found = [e for e in payroll_events(nats_server.url, subject) if e.data.get("run_id") == run["id"]]
        return found if len(found) >= count else []

    issued = wait_for(lambda: of_run("payroll.payslip_issued", 5), "five payslips issued")
    assert sorted(e.data["employee_id"] for e in issued) == ["hal", "hana", "ivy", "sal", "ted"]
    completed = wait_for(lambda: of_run("payroll.payrun_completed", 1), "run completed")
    assert completed[0].data["net"] == run["net"]
    assert completed[0].data["employees"] == 5
    assert D(completed[0].data["gross"]) == sum(D(e.data["gross"]) for e in issued)

    # Payslips are private: Hana reads hers only; a login without an employee reads none.
    hana = g.auth(g.activate_employee("hana"))
    mine = ok(httpx.get(f"{payroll.url}/payslips", headers=hana))
    assert [s["employee_id"] for s in mine["items"]] == ["hana"]
    ok(httpx.get(f"{payroll.url}/payslips/{slips['hana']['id']}", headers=hana))
    problem(httpx.get(f"{payroll.url}/payslips/{slips['sal']['id']}", headers=hana), 403)
    problem(httpx.get(f"{payroll.url}/payslips", headers=hana, params={"employee_id": "sal"}), 403)
    problem(httpx.get(f"{payroll.url}/payslips", headers=g.auth(g.make_user("agent2", ["it_agent"]))), 403)
    problem(httpx.get(f"{payroll.url}/payruns", headers=hana), 403)

    register = ok(clerk.get(f"/payruns/{run['id']}/register"))
    assert len(register["rows"]) == 5
    rows = list(csv.reader(io.StringIO(clerk.get(f"/payruns/{run['id']}/register.csv").text)))
    columns, total_row = rows[0], rows[-1]
    assert total_row[0] == "TOTAL"
    assert total_row[columns.index("net")] == run["net"]
    assert total_row[columns.index("hours_overtime")] == "10.00"
    # A name that is a formula is written as text (OWASP CSV injection), the amounts as numbers.
    ivy = next(row for row in rows if row[0] == "ivy")
    assert ivy[columns.index("employee_name")] == f"'{FORMULA} Tester"
    assert ivy[columns.index("net")] == "887.40"

    # A mistake found after approval: a correction in November names the October run.
    assert "corrects_run_id" in problem(
        clerk.post(
            "/pay-items", json={"employee_id": "hana", "kind": "correction", "amount": "100", "description": "x"}
        ),
        422,
    )
    assert "positive" in problem(
        clerk.post("/pay-items", json={"employee_id": "hana", "kind": "bonus", "amount": "-5", "description": "x"}),
        422,
    )
    ok(
        clerk.post(
            "/pay-items",
            json={
                "employee_id": "hana",
                "kind": "correction",
                "amount": "100",
                "description": "October overtime rate",
                "corrects_run_id": run["id"],
            },
        ),
        201,
    )
    recovery = ok(
        clerk.post(
            "/pay-items",
            json={
                "employee_id": "sal",
                "kind": "correction",
                "amount": "-6000",
                "description": "overpaid",
                "corrects_run_id": run["id"],
            },
        ),
        201,
    )
    november = ok(clerk.post("/payruns", json=NOVEMBER), 201)
    assert "negative net pay" in problem(clerk.post(f"/payruns/{november['id']}/calculate"), 422)
    assert ok(clerk.get(f"/payruns/{november['id']}"))["status"] == "draft"  # nothing half-written
    ok(clerk.post(f"/pay-items/{recovery['id']}/cancel"))
    november = ok(clerk.post(f"/payruns/{november['id']}/calculate"))
    slips = slips_by_employee(clerk, november["id"])
    assert set(slips) == {"hana", "sal"}  # Ted and Hal left in October; Ivy has no November hours
    assert slips["sal"]["department"] == "Sales"
    correction = slips["hana"]["earnings"]
    assert [(x["code"], x["amount"], x["corrects_run_id"]) for x in correction] == [("correction", "100.00", run["id"])]
    ok(clerk.post(f"/payruns/{november['id']}/approve"))
    hana_november = ok(httpx.get(f"{payroll.url}/payslips/{slips['hana']['id']}", headers=hana))
    assert hana_november["year_to_date"]["gross"] == "4562.50"
    october_slip = ok(
        httpx.get(f"{payroll.url}/payslips/{slips_by_employee(clerk, run['id'])['hana']['id']}", headers=hana)
    )
    assert october_slip["gross"] == "4462.50"  # the approved payslip is never edited
    assert ok(clerk.post(f"/payruns/{run['id']}/paid"))["status"] == "paid"


def test_the_only_clerk_approves_a_run_with_their_own_payslip_once_hr_signed_it_off(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    """A company with one payroll clerk: the clerk cannot approve a run holding their own payslip until HR (or an
    admin) signed that payslip off; then the clerk approves the run, and a recalculation needs a new sign-off."""
    g = gateway_client
    # Logins first: the gateway then leaves these employees' logins as they are when their hires arrive.
    pia_token = g.make_user("pia-c", ["payroll"], employee_id="pia")
    hed_token = g.make_user("hed-hr", ["hr"], employee_id="hed")
    olu_token = g.make_user("olu-e", ["employee"], employee_id="olu")
    publish(
        nats_server.url,
        hired("pia", date(2024, 1, 1), pay_type="salaried", rate="3000"),  # the clerk
        hired("olu", date(2024, 1, 1), pay_type="salaried", rate="2800"),
        hired("hed", date(2024, 1, 1), pay_type="salaried", rate="3100"),  # the HR officer
    )
    payroll = start_service("payroll")
    pia = httpx.Client(base_url=payroll.url, headers=g.auth(pia_token))
    hed = httpx.Client(base_url=payroll.url, headers=g.auth(hed_token))
    olu = httpx.Client(base_url=payroll.url, headers=g.auth(olu_token))
    wait_for(lambda: all(profile(pia, e) for e in ("pia", "olu", "hed")), "the three pay profiles")
    ok(
        pia.post("/pay-groups", json={"code": "monthly-eur", "name": "M", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(pia.post("/rule-sets", json={"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}), 201)
    run = ok(pia.post("/payruns", json=OCTOBER), 201)
    ok(pia.post(f"/payruns/{run['id']}/calculate"))
    own = slips_by_employee(pia, run["id"])["pia"]

    refused = problem(pia.post(f"/payruns/{run['id']}/approve"), 403)
    assert "HR or an admin signs it off first" in refused
    assert own["id"] in refused
    # Nobody signs off their own payslip; an employee signs off nothing; HR reads the draft it checks.
    assert "only HR or an admin" in problem(pia.post(f"/payslips/{own['id']}/sign-off"), 403)
    hers = slips_by_employee(pia, run["id"])["hed"]
    assert "someone else" in problem(hed.post(f"/payslips/{hers['id']}/sign-off"), 403)
    problem(olu.post(f"/payslips/{own['id']}/sign-off"), 403)
    assert ok(hed.get(f"/payslips/{own['id']}"))["net"] == own["net"]
    problem(olu.get(f"/payslips/{own['id']}"), 404)

    signed = ok(hed.post(f"/payslips/{own['id']}/sign-off"))
    assert signed["signed_off_by"] is not None
    assert signed["signed_off_at"] is not None
    assert "already" in problem(hed.post(f"/payslips/{own['id']}/sign-off"), 409)

    # A recalculation makes new payslips: the sign-off does not carry over to figures HR has not seen.
    ok(pia.post(f"/payruns/{run['id']}/calculate"))
    again = slips_by_employee(pia, run["id"])["pia"]
    assert again["signed_off_by"] is None
    problem(pia.post(f"/payruns/{run['id']}/approve"), 403)
    ok(hed.post(f"/payslips/{again['id']}/sign-off"))
    approved = ok(pia.post(f"/payruns/{run['id']}/approve"))
    assert approved["status"] == "approved"
    # Approved payslips are payroll's and their owners' again: HR no longer reads them.
    problem(hed.get(f"/payslips/{again['id']}"), 403)
    assert "calculated" in problem(hed.post(f"/payslips/{again['id']}/sign-off"), 409)


def test_a_paid_month_owes_arrears_for_a_late_hire_and_a_back_dated_raise_and_recovers_a_cut(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    """November is paid; then HR records a hire from 9 November, a raise and a cut from 9 November. December pays
    each difference for November on its own line naming the November run, and January pays nothing twice.

    By hand (November 2026: 21 working days, 16 from the 9th, 5 before; each part rounded half-up):
    - Lia, hired on the 9th at 3000: 3000 x 16/21 = 2285.71 owed.
    - Ray, 3000 raised to 3300: 3000 x 5/21 + 3300 x 16/21 = 714.29 + 2514.29 = 3228.58, paid 3000: 228.58 owed.
    - Cat, 3000 cut to 2700: 714.29 + 2700 x 16/21 = 714.29 + 2057.14 = 2771.43, paid 3000: 228.57 recovered.
    - Uma, unchanged: nothing.
    """
    g = gateway_client
    publish(
        nats_server.url,
        *(hired(e, date(2024, 1, 1), pay_type="salaried", rate="3000") for e in ("ray", "cat", "uma")),
    )
    payroll = start_service("payroll")
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("retro-clerk", ["payroll"])))
    wait_for(lambda: all(profile(clerk, e) for e in ("ray", "cat", "uma")), "the pay profiles")
    ok(
        clerk.post("/pay-groups", json={"code": "monthly-eur", "name": "M", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(clerk.post("/rule-sets", json={"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}), 201)

    def run_month(period: dict[str, str]) -> tuple[str, dict[str, Any]]:
        run = ok(clerk.post("/payruns", json=period), 201)
        ok(clerk.post(f"/payruns/{run['id']}/calculate"))
        return run["id"], slips_by_employee(clerk, run["id"])

    november, _ = run_month(NOVEMBER)
    ok(clerk.post(f"/payruns/{november}/approve"))

    publish(
        nats_server.url,
        hired("lia", date(2026, 11, 9), pay_type="salaried", rate="3000"),
        raise_for("ray", date(2026, 11, 9), "3300"),
        raise_for("cat", date(2026, 11, 9), "2700"),
    )
    wait_for(
        lambda: profile(clerk, "lia") and all(len(profile(clerk, e)["pay_terms"]) == 2 for e in ("ray", "cat")),
        "the hire and the new terms",
    )
    december_period = {"pay_group": "monthly-eur", "period_start": "2026-12-01", "period_end": "2026-12-31"}
    december, slips = run_month({**december_period, "pay_date": "2026-12-23"})

    def salary_lines(slip: dict[str, Any]) -> list[tuple[str, str, str | None]]:
        return [
            (x["description"], x["amount"], x["corrects_run_id"]) for x in slip["earnings"] if x["code"] == "salary"
        ]

    owed = "Salary arrears for 2026-11-01 to 2026-11-30"
    assert salary_lines(slips["lia"]) == [("Salary", "3000.00", None), (owed, "2285.71", november)]
    assert salary_lines(slips["ray"]) == [("Salary", "3300.00", None), (owed, "228.58", november)]
    recovered = "Salary recovery for 2026-11-01 to 2026-11-30"
    assert salary_lines(slips["cat"]) == [("Salary", "2700.00", None), (recovered, "-228.57", november)]
    assert salary_lines(slips["uma"]) == [("Salary", "3000.00", None)]
    for slip in slips.values():  # the payslip's totals are the sums of its lines, arrears included
        assert D(slip["gross"]) == sum((D(x["amount"]) for x in slip["earnings"]), D(0))
    # The same inputs give the same payslips (approval checks this), and approving pays the arrears once.
    ok(clerk.post(f"/payruns/{december}/calculate"))
    assert {e: salary_lines(s) for e, s in slips_by_employee(clerk, december).items()} == {
        e: salary_lines(s) for e, s in slips.items()
    }
    ok(clerk.post(f"/payruns/{december}/approve"))

    january_period = {"pay_group": "monthly-eur", "period_start": "2027-01-01", "period_end": "2027-01-31"}
    _, january = run_month({**january_period, "pay_date": "2027-01-29"})
    assert {e: [x[0] for x in salary_lines(s)] for e, s in january.items()} == {
        "lia": ["Salary"],
        "ray": ["Salary"],
        "cat": ["Salary"],
        "uma": ["Salary"],
    }


def test_a_clerk_neither_adds_nor_cancels_pay_of_their_own(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    # Pia is a clerk and an employee paid by payroll: her login exists before her hire reaches the gateway.
    pia = httpx.Client(headers=g.auth(g.make_user("pia-clerk", ["payroll"], employee_id="pia")))
    publish(nats_server.url, hired("pia", date(2024, 1, 1)))
    payroll = start_service("payroll")
    pia.base_url = httpx.URL(payroll.url)
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("clerk9", ["payroll"])))
    profile(clerk, "pia")
    bonus = {"employee_id": "pia", "kind": "bonus", "amount": "50", "description": "good work"}
    assert "another clerk" in problem(pia.post("/pay-items", json=bonus), 403)
    item = ok(clerk.post("/pay-items", json=bonus), 201)
    assert "another clerk" in problem(pia.post(f"/pay-items/{item['id']}/cancel"), 403)
    listed = ok(clerk.get("/pay-items", params={"employee_id": "pia"}))["items"]
    assert [(i["id"], i["status"]) for i in listed] == [(item["id"], "pending")]
    assert ok(clerk.post(f"/pay-items/{item['id']}/cancel"))["status"] == "cancelled"


def _october_of_kim_and_fin(
    g: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer, clerk_login: str
) -> tuple[httpx.Client, dict[str, Any]]:
    """Kim (3000 a month, a bonus of 500) and Fin (3000, leaving on Friday 16 October): October calculated."""
    publish(
        nats_server.url,
        hired("kim", date(2020, 1, 1), pay_type="salaried", rate="3000"),
        hired("fin", date(2020, 1, 1), pay_type="salaried", rate="3000"),
        terminated("fin", date(2026, 10, 16)),
    )
    payroll = start_service("payroll")
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user(clerk_login, ["payroll"])))
    assert wait_for(lambda: profile(clerk, "fin")["end_date"], "fin's termination") == "2026-10-16"
    profile(clerk, "kim")
    group = {"code": "monthly-eur", "name": "Monthly", "frequency": "monthly", "currency": "EUR"}
    ok(clerk.post("/pay-groups", json=group), 201)
    ok(clerk.post("/rule-sets", json={"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}), 201)
    bonus = {"employee_id": "kim", "kind": "bonus", "amount": "500", "description": "a good year"}
    ok(clerk.post("/pay-items", json=bonus), 201)
    run = ok(clerk.post("/payruns", json=OCTOBER), 201)
    return clerk, ok(clerk.post(f"/payruns/{run['id']}/calculate"))


def test_the_register_csv_says_true_or_false_and_writes_every_amount_with_cents(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    clerk, run = _october_of_kim_and_fin(gateway_client, start_service, nats_server, "clerk-csv")
    text = clerk.get(f"/payruns/{run['id']}/register.csv").text
    lines = list(csv.DictReader(io.StringIO(text)))
    by_id = {line["employee_id"]: line for line in lines}
    # Fin: 12 of 22 working days of 3000 = 1636.36, final pay, no bonus: 0.00, not an empty or a bare 0.
    assert (by_id["fin"]["final"], by_id["fin"]["salary"], by_id["fin"]["bonus"]) == ("true", "1636.36", "0.00")
    assert (by_id["kim"]["final"], by_id["kim"]["salary"], by_id["kim"]["bonus"]) == ("false", "3000.00", "500.00")
    assert by_id["TOTAL"]["final"] == ""
    assert by_id["TOTAL"]["bonus"] == "500.00"
    assert by_id["TOTAL"]["gross"] == run["gross"] == "5136.36"
    money = [c for c in lines[0] if c not in ("employee_id", "employee_name", "department", "pay_type", "final")]
    assert money[:2] == ["salary", "bonus"]
    assert money[-4:] == ["gross", "deductions", "net", "employer_contributions"]
    for line in lines:
        for column in money:
            assert len(line[column].split(".")) == 2, (column, line)
            assert len(line[column].split(".")[1]) == 2, (column, line)


def test_a_cancelled_pay_run_reads_as_it_was_when_cancelled(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    kim = g.auth(g.make_user("kim-login", ["employee"], employee_id="kim"))  # before the hire reaches the gateway
    clerk, run = _october_of_kim_and_fin(g, start_service, nats_server, "clerk-cancel")
    assert (run["employees"], run["gross"]) == (2, "5136.36")
    cancelled = ok(clerk.post(f"/payruns/{run['id']}/cancel"))
    # The figures it had, labelled cancelled: a clerk auditing it reads the same count, totals and payslips.
    figures = ("employees", "gross", "deductions", "net", "employer_contributions", "by_code")
    for read in (cancelled, ok(clerk.get(f"/payruns/{run['id']}"))):
        assert read["status"] == "cancelled"
        assert {k: read[k] for k in figures} == {k: run[k] for k in figures}
    register = ok(clerk.get(f"/payruns/{run['id']}/register"))
    assert sorted(r["employee_id"] for r in register["rows"]) == ["fin", "kim"]
    assert list(csv.reader(io.StringIO(clerk.get(f"/payruns/{run['id']}/register.csv").text)))[-1][:2] == [
        "TOTAL",
        "2 payslips",
    ]
    slips = ok(clerk.get("/payslips", params={"run_id": run["id"]}))
    assert slips["total"] == 2
    assert {s["run_status"] for s in slips["items"]} == {"cancelled"}
    problem(clerk.post(f"/payruns/{run['id']}/calculate"), 409)
    problem(clerk.post(f"/payruns/{run['id']}/cancel"), 409)

    # Nothing of it was paid: October is run again and pays the same, the bonus included; Kim never sees the draft.
    again = ok(clerk.post("/payruns", json=OCTOBER), 201)
    again = ok(clerk.post(f"/payruns/{again['id']}/calculate"))
    assert (again["employees"], again["gross"]) == (2, "5136.36")
    ok(clerk.post(f"/payruns/{again['id']}/approve"))
    items = ok(clerk.get("/pay-items", params={"employee_id": "kim"}))["items"]
    assert [(i["status"], i["paid_in_run_id"]) for i in items] == [("paid", again["id"])]
    mine = ok(httpx.get(f"{clerk.base_url}/payslips", headers=kim))["items"]
    assert [s["run_id"] for s in mine] == [again["id"]]
    assert ok(clerk.get(f"/payruns/{run['id']}"))["employees"] == 2  # still as it was
