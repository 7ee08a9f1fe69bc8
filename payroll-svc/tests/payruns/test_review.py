"""Reviewing a run before approval: who joined, left or changed pay beside the previous run, by how much each
person's pay differs, and what still stops the run from being approved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from payrollkit import RULES, hired, ok, problem, profile, publish, terminated, wait_for

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


def raised(employee_id: str, on: date, rate: str) -> Envelope:
    data = hr.EmployeeUpdated(
        employee_id=employee_id,
        effective_date=on,
        changes=["pay_terms"],
        given_name=employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department="Operations",
        status="active",
        pay_terms=hr.PayTerms(pay_type="salaried", rate=D(rate), currency="EUR", frequency="monthly"),
    )
    return Envelope.new(hr.EmployeeUpdated.TYPE, source="hr", subject=employee_id, data=data)


def by_employee(page: dict[str, Any]) -> dict[str, Any]:
    return {row["employee_id"]: row for row in page["items"]}


def test_the_review_shows_who_joined_left_or_changed_pay_and_the_difference_from_the_previous_run(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    kim_clerk = g.make_user("kim-clerk", ["payroll"], employee_id="kim")  # before the hire reaches the gateway
    publish(
        nats_server.url,
        hired("kim", date(2020, 1, 1), pay_type="salaried", rate="3000"),
        hired("fin", date(2020, 1, 1), pay_type="salaried", rate="3000", department="Sales"),
        hired("ada", date(2020, 1, 1), pay_type="salaried", rate="2500"),
        terminated("fin", date(2026, 10, 16)),
    )
    payroll = start_service("payroll")
    clerk = httpx.Client(base_url=payroll.url, headers=g.auth(g.make_user("clerk-review", ["payroll"])))
    kim = httpx.Client(base_url=payroll.url, headers=g.auth(kim_clerk))
    assert wait_for(lambda: profile(clerk, "fin")["end_date"], "fin's termination") == "2026-10-16"
    profile(clerk, "kim")
    profile(clerk, "ada")
    ok(
        clerk.post("/pay-groups", json={"code": "monthly-eur", "name": "M", "frequency": "monthly", "currency": "EUR"}),
        201,
    )
    ok(clerk.post("/rule-sets", json={"pay_group": "monthly-eur", "effective_from": "2026-01-01", "rules": RULES}), 201)
    ok(
        clerk.post("/pay-items", json={"employee_id": "kim", "kind": "bonus", "amount": "500", "description": "year"}),
        201,
    )

    # October, the first run: nobody before it to compare with; Fin's final pay is a leaver.
    october = ok(clerk.post("/payruns", json=OCTOBER), 201)
    before = ok(clerk.get(f"/payruns/{october['id']}/changes"))
    assert before["previous_run_id"] is None
    assert (before["total"], before["joined"], before["left"], before["pay_changed"]) == (0, 0, 0, 0)
    checks = ok(clerk.get(f"/payruns/{october['id']}/checks"))
    assert not checks["can_approve"]
    assert [f["slug"] for f in checks["findings"]] == ["not-calculated"]
    ok(clerk.post(f"/payruns/{october['id']}/calculate"))
    first = ok(clerk.get(f"/payruns/{october['id']}/changes"))
    rows = by_employee(first)
    assert [r["employee_id"] for r in first["items"]] == ["ada", "fin", "kim"]  # by name
    assert rows["fin"]["left"]
    assert not rows["kim"]["left"]
    assert rows["kim"]["previous_net"] is None
    assert rows["kim"]["net_delta"] is None
    assert rows["kim"]["gross"] == "3500.00"
    # Kim is a clerk: her own payslip stops her approving until HR signs it off; another clerk may.
    mine = ok(kim.get(f"/payruns/{october['id']}/checks"))
    assert (mine["can_approve"], [f["slug"] for f in mine["findings"]]) == (False, ["own-payslip"])
    assert mine["findings"][0]["ids"] == [rows["kim"]["payslip_id"]]
    assert ok(clerk.get(f"/payruns/{october['id']}/checks")) == {
        "run_id": october["id"],
        "can_approve": True,
        "findings": [],
        "overrides": [],
    }
    ok(clerk.post(f"/payruns/{october['id']}/approve"))

    # November: Kim gets a raise from the 1st (but no bonus), Leo joins on the 10th, Fin has gone.
    publish(
        nats_server.url,
        raised("kim", date(2026, 11, 1), "3300"),
        hired("leo", date(2026, 11, 10), pay_type="salaried", rate="2800", department="Sales"),
    )
    profile(clerk, "leo")
    wait_for(lambda: len(profile(clerk, "kim")["pay_terms"]) == 2, "kim's raise")
    november = ok(clerk.post("/payruns", json=NOVEMBER), 201)
    ok(clerk.post(f"/payruns/{november['id']}/calculate"))
    page = ok(clerk.get(f"/payruns/{november['id']}/changes"))
    assert page["previous_run_id"] == october["id"]
    assert (page["previous_period_start"], page["previous_period_end"]) == ("2026-10-01", "2026-10-31")
    assert (page["total"], page["joined"], page["left"], page["pay_changed"]) == (4, 1, 1, 1)
    rows = by_employee(page)
    kim_row, leo, fin, ada = rows["kim"], rows["leo"], rows["fin"], rows["ada"]
    assert (kim_row["pay_changed"], kim_row["joined"], kim_row["left"]) == (True, False, False)
    assert (kim_row["previous_gross"], kim_row["gross"], kim_row["gross_delta"]) == ("3500.00", "3300.00", "-200.00")
    assert D(kim_row["net_delta"]) == D(kim_row["net"]) - D(kim_row["previous_net"])
    assert (leo["joined"], leo["previous_net"], leo["net_delta"]) == (True, None, None)
    assert D(leo["net"]) > 0
    # Fin was paid only by October: a row with nothing this run, marked as a leaver.
    assert (fin["left"], fin["payslip_id"], fin["net"], fin["previous_gross"]) == (True, None, None, "1636.36")
    assert (ada["joined"], ada["left"], ada["pay_changed"], ada["net_delta"]) == (False, False, False, "0.00")

    # Filters and paging: only who changed, a name or a department, two at a time.
    changed = ok(clerk.get(f"/payruns/{november['id']}/changes", params={"only": "changed"}))
    assert sorted(r["employee_id"] for r in changed["items"]) == ["fin", "kim", "leo"]
    assert changed["joined"] == 1  # counts are over the whole run
    sales = ok(clerk.get(f"/payruns/{november['id']}/changes", params={"q": "sALes"}))
    assert sorted(r["employee_id"] for r in sales["items"]) == ["fin", "leo"]
    assert [
        r["employee_id"] for r in ok(clerk.get(f"/payruns/{november['id']}/changes", params={"q": "Ada"}))["items"]
    ] == ["ada"]
    second = ok(clerk.get(f"/payruns/{november['id']}/changes", params={"limit": 2, "offset": 2}))
    assert (second["total"], [r["employee_id"] for r in second["items"]]) == (4, ["kim", "leo"])
    problem(clerk.get(f"/payruns/{november['id']}/changes", params={"limit": 1001}), 422)
    problem(clerk.get(f"/payruns/{november['id']}/changes", params={"only": "nobody"}), 422)
    problem(clerk.get("/payruns/nope/changes"), 404)
    problem(clerk.get("/payruns/nope/checks"), 404)
