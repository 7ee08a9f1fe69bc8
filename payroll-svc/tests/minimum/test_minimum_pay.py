"""Minimum pay: versions by country and date, payslips under the minimum found at calculation, approval refused
until corrected or overridden with a reason, and overtime paid under the premium. Figures computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import hr
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter
from payrollkit import RULES, hired, ok, payroll_events, problem, profile, publish, sheet, submitted, wait_for

D = Decimal
OCTOBER = {"pay_group": "m", "period_start": "2026-10-01", "period_end": "2026-10-31", "pay_date": "2026-10-30"}
SPAIN = {"country": "ES", "effective_from": "2026-01-01", "currency": "EUR", "hourly_minimum": "12.00"}


def part_time(envelope: Envelope, weekly_hours: str) -> Envelope:
    """The hire with contracted weekly hours in its pay terms."""
    terms = {**envelope.data["pay_terms"], "weekly_hours": weekly_hours}
    return envelope.model_copy(update={"data": {**envelope.data, "pay_terms": terms}})


def raised(employee_id: str, on: date, rate: str, weekly_hours: str) -> Envelope:
    terms = hr.PayTerms(
        pay_type="salaried", rate=D(rate), currency="EUR", frequency="monthly", weekly_hours=D(weekly_hours)
    )
    data = hr.EmployeeUpdated(
        employee_id=employee_id,
        effective_date=on,
        changes=["pay_terms"],
        given_name=employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department="Operations",
        status="active",
        pay_terms=terms,
    )
    return Envelope.new(hr.EmployeeUpdated.TYPE, source="hr", subject=employee_id, data=data)


def clients(g: GatewayClient, url: str, *users: tuple[str, list[str], str | None]) -> list[httpx.Client]:
    return [
        httpx.Client(base_url=url, headers=g.auth(g.make_user(name, roles, employee_id=employee)), timeout=30)
        for name, roles, employee in users
    ]


def below(checks: dict[str, Any]) -> dict[str, dict[str, Any]]:
    finding: dict[str, Any] = next(
        (f for f in checks["findings"] if f["slug"] == "below-minimum-pay"), {"below_minimum": []}
    )
    return {row["employee_id"]: row for row in finding["below_minimum"]}


def test_minimum_versions_are_refused_when_wrong_and_read_by_hr_and_auditors(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    g = gateway_client
    payroll = start_service("payroll")
    clerk, hr_officer, auditor, agent = clients(
        g,
        payroll.url,
        ("mp-clerk", ["payroll"], None),
        ("mp-hr", ["hr"], None),
        ("mp-auditor", ["pay_auditor"], None),
        ("mp-it", ["it_agent"], None),
    )
    first = ok(clerk.post("/minimum-pay", json={**SPAIN, "overtime_premium_percent": "25"}), 201)
    assert (first["version"], D(first["hourly_minimum"]), first["in_force_to"]) == (1, D(12), None)

    # Bad input: each a problem naming what to fix, nothing written.
    for rate in ("-1", "0"):
        assert "hourly_minimum" in str(problem(clerk.post("/minimum-pay", json={**SPAIN, "hourly_minimum": rate}), 422))
    reversed_dates = {**SPAIN, "effective_from": "2027-03-01", "effective_to": "2027-02-01"}
    assert "effective_to" in str(problem(clerk.post("/minimum-pay", json=reversed_dates), 422))
    assert "currency" in str(problem(clerk.post("/minimum-pay", json={**SPAIN, "currency": "XYZ"}), 422))
    overlapping = {**SPAIN, "effective_from": "2026-06-01", "effective_to": "2026-12-31"}
    assert "overlaps version 1" in problem(clerk.post("/minimum-pay", json=overlapping), 409)
    assert "overlaps" in problem(clerk.post("/minimum-pay", json=SPAIN), 409)  # the same first day
    assert ok(clerk.get("/minimum-pay"))["total"] == 1

    # A new version from 2027 ends the first; a region and an agreement group are versions of their own.
    ok(clerk.post("/minimum-pay", json={**SPAIN, "effective_from": "2027-01-01", "hourly_minimum": "12.50"}), 201)
    ok(clerk.post("/minimum-pay", json={**SPAIN, "region": "Madrid", "hourly_minimum": "13.00"}), 201)
    ok(clerk.post("/minimum-pay", json={**SPAIN, "agreement_group": "hospitality", "hourly_minimum": "13.20"}), 201)
    listed = ok(hr_officer.get("/minimum-pay", params={"country": "ES"}))
    assert [(v["region"], v["agreement_group"], v["version"]) for v in listed["items"]] == [
        (None, None, 1),
        (None, None, 2),
        (None, "hospitality", 1),
        ("Madrid", None, 1),
    ]
    assert ok(auditor.get(f"/minimum-pay/{first['id']}"))["in_force_to"] == "2026-12-31"

    # Access: HR and auditors read, only payroll writes; an IT agent neither.
    problem(hr_officer.post("/minimum-pay", json={**SPAIN, "effective_from": "2028-01-01"}), 403)
    problem(auditor.post("/minimum-pay", json={**SPAIN, "effective_from": "2028-01-01"}), 403)
    problem(agent.get("/minimum-pay"), 403)
    problem(agent.post("/minimum-pay", json={**SPAIN, "effective_from": "2028-01-01"}), 403)
    problem(clerk.get("/minimum-pay/nope"), 404)


def test_a_run_under_the_minimum_is_blocked_until_corrected_or_overridden_with_a_reason(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    employee = g.make_user("mp-eve", ["employee"], employee_id="eve")
    manager = g.make_user("mp-mia", ["employee", "manager"], employee_id="mia")
    pia_officer = g.make_user("mp-pia", ["payroll"], employee_id="pia")  # before her hire reaches the gateway
    publish(
        nats_server.url,
        hired("hal", date(2024, 1, 1), rate="11.50"),  # hourly: 11.50 an hour
        part_time(hired("pia", date(2024, 1, 1), pay_type="salaried", rate="1000"), "20"),
        part_time(hired("pam", date(2024, 1, 1), pay_type="salaried", rate="1100"), "20"),
        hired("ful", date(2024, 1, 1), pay_type="salaried", rate="2500"),
    )
    payroll = start_service("payroll")
    clerk, pia_clerk, eve, mia, agent = [
        *clients(g, payroll.url, ("mp-clerk2", ["payroll"], None)),
        *(httpx.Client(base_url=payroll.url, headers=g.auth(t)) for t in (pia_officer, employee, manager)),
        *clients(g, payroll.url, ("mp-it2", ["it_agent"], None)),
    ]
    for person in ("hal", "pia", "pam", "ful"):
        profile(clerk, person)
    assert D(profile(clerk, "pia")["pay_terms"][0]["weekly_hours"]) == D(20)
    ok(clerk.post("/pay-groups", json={"code": "m", "name": "M", "frequency": "monthly", "currency": "EUR"}), 201)
    ok(clerk.post("/rule-sets", json={"pay_group": "m", "effective_from": "2026-01-01", "rules": RULES}), 201)
    ok(clerk.post("/minimum-pay", json=SPAIN), 201)
    week = submitted("hal", date(2026, 10, 5), [(d, "8", "regular") for d in range(5)])
    publish(nats_server.url, week)
    sheet(clerk, week.data["timesheet_id"])
    ok(clerk.post(f"/timesheets/{week.data['timesheet_id']}/approve"))

    run = ok(clerk.post("/payruns", json=OCTOBER), 201)
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    checks = ok(clerk.get(f"/payruns/{run['id']}/checks"))
    assert not checks["can_approve"]
    found = below(checks)
    # Hal: 11.50 < 12.00, short 0.50. Pia: 1000 x 12 months / (20 h x 52 weeks) = 12000 / 1040 = 11.5385 (half-up),
    # short 0.4615. Pam: 1100 x 12 / 1040 = 12.6923, above (at the standard 2080 h a year it would be 6.35).
    # Ful: 2500 x 12 / 2080 = 14.4231, above.
    assert sorted(found) == ["hal", "pia"]
    assert (D(found["hal"]["hourly_pay"]), D(found["hal"]["minimum"]), D(found["hal"]["shortfall"])) == (
        D("11.50"),
        D(12),
        D("0.50"),
    )
    assert (D(found["pia"]["hourly_pay"]), D(found["pia"]["shortfall"])) == (D("11.5385"), D("0.4615"))
    slips = {s["employee_id"]: s["id"] for s in ok(clerk.get("/payslips", params={"run_id": run["id"]}))["items"]}
    refused = problem(clerk.post(f"/payruns/{run['id']}/approve"), 409)
    assert slips["hal"] in refused
    assert slips["pia"] in refused
    assert "under the minimum" in refused

    # Overrides refused: no reason, someone else's run or payslip, one's own, a payslip not under the minimum.
    path = f"/payruns/{run['id']}/overrides"
    assert "reason" in str(problem(clerk.post(path, json={"payslip_id": slips["hal"]}), 422))
    assert "reason" in str(problem(clerk.post(path, json={"payslip_id": slips["hal"], "reason": "   "}), 422))
    problem(clerk.post(path, json={"payslip_id": "nope", "reason": "r"}), 422)
    problem(pia_clerk.post(path, json={"payslip_id": slips["pia"], "reason": "mine"}), 403)
    assert "not under the minimum" in problem(clerk.post(path, json={"payslip_id": slips["pam"], "reason": "r"}), 409)
    for outsider in (eve, mia, agent):
        problem(outsider.post(path, json={"payslip_id": slips["hal"], "reason": "r"}), 403)
        problem(outsider.get(path), 403)
        problem(outsider.get(f"/payruns/{run['id']}/checks"), 403)
    assert ok(clerk.get(path))["items"] == []

    reason = "apprentice contract: the training allowance is paid by the agency"
    hal_override = ok(clerk.post(path, json={"payslip_id": slips["hal"], "reason": reason}), 201)
    assert (hal_override["employee_id"], D(hal_override["hourly_pay"]), hal_override["reason"]) == (
        "hal",
        D("11.50"),
        reason,
    )
    assert hal_override["created_by_actor"]["user_id"] == hal_override["created_by"]
    assert hal_override["employee_name"] == "Hal Tester"
    problem(clerk.post(path, json={"payslip_id": slips["hal"], "reason": "again"}), 409)
    checks = ok(clerk.get(f"/payruns/{run['id']}/checks"))
    assert (checks["can_approve"], sorted(below(checks))) == (False, ["pia"])
    assert [o["payslip_id"] for o in checks["overrides"]] == [slips["hal"]]

    # Pia is corrected: HR raises her to 1300 (1300 x 12 / 1040 = 15.00); calculating again gives new payslips,
    # so Hal's override (kept) no longer covers his new one: it is overridden again.
    publish(nats_server.url, raised("pia", date(2026, 10, 1), "1300", "20"))
    wait_for(lambda: len(profile(clerk, "pia")["pay_terms"]) == 2, "pia's raise")
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    checks = ok(clerk.get(f"/payruns/{run['id']}/checks"))
    assert sorted(below(checks)) == ["hal"]
    new_hal = below(checks)["hal"]["payslip_id"]
    assert new_hal != slips["hal"]
    ok(clerk.post(path, json={"payslip_id": new_hal, "reason": reason}), 201)
    checks = ok(clerk.get(f"/payruns/{run['id']}/checks"))
    assert (checks["can_approve"], checks["findings"], len(checks["overrides"])) == (True, [], 2)
    assert ok(hr_reader(g, payroll.url).get(path))["total"] == 2
    assert ok(clerk.post(f"/payruns/{run['id']}/approve"))["status"] == "approved"
    problem(clerk.post(path, json={"payslip_id": new_hal, "reason": "late"}), 409)  # an approved run

    events = payroll_events(nats_server.url, "payroll.minimum_pay_overridden")
    assert [(e.subject, e.data["payslip_id"], e.data["reason"]) for e in events] == [
        (run["id"], slips["hal"], reason),
        (run["id"], new_hal, reason),
    ]
    assert (D(events[0].data["hourly_pay"]), D(events[0].data["minimum"])) == (D("11.50"), D(12))


def hr_reader(g: GatewayClient, url: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers=g.auth(g.make_user("mp-hr2", ["hr"])))


def test_overtime_paid_under_the_premium_blocks_the_run(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    g = gateway_client
    publish(nats_server.url, hired("otto", date(2024, 1, 1), rate="20"))
    payroll = start_service("payroll")
    (clerk,) = clients(g, payroll.url, ("mp-clerk3", ["payroll"], None))
    profile(clerk, "otto")
    ok(clerk.post("/pay-groups", json={"code": "m", "name": "M", "frequency": "monthly", "currency": "EUR"}), 201)
    cheap = [{**r, "multiplier": "1.2"} if r["code"] == "overtime" else r for r in RULES]
    ok(clerk.post("/rule-sets", json={"pay_group": "m", "effective_from": "2026-01-01", "rules": cheap}), 201)
    ok(clerk.post("/minimum-pay", json={**SPAIN, "overtime_premium_percent": "25"}), 201)
    week = submitted("otto", date(2026, 10, 5), [(0, "8", "regular"), (1, "2", "overtime")])
    publish(nats_server.url, week)
    sheet(clerk, week.data["timesheet_id"])
    ok(clerk.post(f"/timesheets/{week.data['timesheet_id']}/approve"))
    run = ok(clerk.post("/payruns", json=OCTOBER), 201)
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    checks = ok(clerk.get(f"/payruns/{run['id']}/checks"))
    (finding,) = checks["findings"]
    assert finding["slug"] == "overtime-below-premium"
    assert "overtime at x1.2" in finding["message"]
    assert "25" in finding["message"]
    assert "overtime under the premium" in problem(clerk.post(f"/payruns/{run['id']}/approve"), 409)

    # A new version of the rules at x1.25 (20 x 1.25 = 25.00 an overtime hour) clears it.
    ok(clerk.post("/rule-sets", json={"pay_group": "m", "effective_from": "2026-10-01", "rules": RULES}), 201)
    ok(clerk.post(f"/payruns/{run['id']}/calculate"))
    assert ok(clerk.get(f"/payruns/{run['id']}/checks"))["can_approve"]
