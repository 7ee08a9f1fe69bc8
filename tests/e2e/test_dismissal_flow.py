"""Flow 3: a manager issues warnings; one is ignored past its deadline and the case escalates by itself (the
deadline check, with a deadline of seconds); HR dismisses. The employee is terminated: final pay is computed in
the next run, the offboarding ticket lists their equipment, the termination letter is filed and sent, and their
login stops working."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from e2ekit import ACKNOWLEDGE_WITHIN_S, PASSWORD, RUN, TODAY, Company, User, money, ok, pay_group, pdf_text, wait_for


def issue(manager: User, employee: User, category: str, severity: str, facts: str) -> str:
    body = {
        "employee_id": employee.employee_id,
        "category": category,
        "severity": severity,
        "facts": facts,
        "occurred_on": TODAY.isoformat(),
    }
    return str(ok(manager.post("/api/hr/warnings", json=body), 202)["warning_id"])


def received(employee: User, warning_id: str) -> dict[str, Any]:
    """The warning once the disciplinary workflow has recorded it (the employee sees their own)."""

    def get() -> Any:
        response = employee.get(f"/api/hr/warnings/{warning_id}")
        return response.json() if response.status_code == 200 else None

    return dict(wait_for(get, f"warning {warning_id} to be recorded"))


def test_an_ignored_warning_escalates_to_dismissal_with_final_pay_offboarding_and_letters(company: Company) -> None:
    bo, hr, manager, agent, clerk = company.bo, company.bo.hr, company.manager, company.agent, company.clerk
    pay_group(clerk, f"biweekly-{RUN}", "biweekly")
    support = bo.department("Support")
    ok(
        hr.put(
            "/api/hr/checklist-templates",
            json={
                "kind": "offboarding",
                "department_id": support,
                "tasks": [
                    {
                        "title": "Collect equipment, revoke access",
                        "owner_role": "it_agent",
                        "due_offset_days": 0,
                        "done_on_event": "helpdesk.ticket_resolved",
                    },
                    {"title": "Exit interview", "owner_role": "hr", "due_offset_days": 0},
                ],
            },
        )
    )
    dan = bo.hire_and_activate(
        "Dan",
        "Dismissed",
        department_id=support,
        manager_id=manager.employee_id,
        pay_type="salaried",
        rate="2000",
        frequency="biweekly",
        start_date=TODAY - timedelta(days=60),
    )
    assert dan.employee_id is not None

    # IT hands Dan a laptop and a phone.
    def assigned_to_dan(asset_id: str) -> bool:
        answer = agent.post(f"/api/helpdesk/assets/{asset_id}/assign", json={"employee_id": dan.employee_id})
        return answer.status_code == 200

    assets = []
    for kind, model in (("laptop", "ThinkPad T14"), ("phone", "Pixel 8")):
        asset = ok(
            agent.post(
                "/api/helpdesk/assets",
                json={"tag": f"{kind[:2].upper()}-{RUN}", "type": kind, "serial": f"SN-{kind}-{RUN}", "model": model},
            ),
            201,
        )
        wait_for(partial(assigned_to_dan, asset["id"]), "the asset assigned (Dan in the directory)")
        assets.append(asset)

    # Three warnings from his manager: he acknowledges the first two in time, ignores the third.
    first = issue(manager, dan, "attendance", "minor", "Late three times in a week.")
    assert received(dan, first)["acknowledged_at"] is None
    ok(dan.post(f"/api/hr/warnings/{first}/acknowledgement", json={}))
    second = issue(manager, dan, "conduct", "serious", "Rude to a customer on the phone.")
    received(dan, second)
    ok(dan.post(f"/api/hr/warnings/{second}/acknowledgement", json={"response": "The customer insulted me first."}))
    third = issue(manager, dan, "policy", "serious", "Shared his password with a colleague.")
    assert received(dan, third)["ignored_at"] is None

    def case() -> dict[str, Any]:
        return dict(ok(hr.get(f"/api/hr/cases/{dan.employee_id}")))

    assert wait_for(lambda: case()["level"] >= 3, "the third step")
    # Nobody acts: the deadline passes and the check escalates the case to the dismissal review by itself.
    escalated = wait_for(
        lambda: (c := case())["status"] == "dismissal_review" and c,
        "the ignored warning to escalate the case",
        timeout_s=ACKNOWLEDGE_WITHIN_S + 20,
    )
    assert [(s["step"], s["reason"], s["warning_id"]) for s in escalated["history"]] == [
        ("verbal", "warning", first),
        ("written", "warning", second),
        ("final_written", "warning", third),
        ("dismissal_review", "ignored", third),
    ]
    assert ok(dan.get(f"/api/hr/warnings/{third}"))["ignored_at"] is not None
    late = dan.post(f"/api/hr/warnings/{third}/acknowledgement", json={})
    assert late.status_code == 409
    assert "deadline" in late.json()["detail"]

    # HR dismisses, effective today.
    decided = ok(
        hr.post(f"/api/hr/cases/{dan.employee_id}/decision", json={"decision": "dismiss", "note": "Third breach."})
    )
    assert decided["status"] == "dismissed"
    record = ok(hr.get(f"/api/hr/employees/{dan.employee_id}"))
    assert record["status"] == "terminated"
    assert record["end_date"] == TODAY.isoformat()
    assert record["termination"]["kind"] == "dismissal"

    # His login stops working: no sign-in, no refresh.
    def refused() -> bool:
        return bo.gateway.post("/auth/login", json={"login": dan.login, "password": PASSWORD}).status_code == 403

    wait_for(refused, "Dan's login to be disabled")
    refresh = bo.gateway.post("/auth/refresh", json={"refresh_token": dan.refresh_token})
    assert refresh.status_code == 401
    assert refresh.json()["type"].endswith("refresh-token-revoked")
    login = bo.login_of({"id": dan.employee_id, "email": dan.login})
    assert login["active"] is False
    # He has left the staff directory too: the switchboard no longer finds him.
    wait_for(
        lambda: ok(company.office.get("/api/helpdesk/directory", params={"q": "Dismissed"}))["total"] == 0,
        "Dan to leave the directory",
    )

    # The offboarding ticket lists his equipment; it cannot be resolved until the equipment is back.
    def offboarding() -> list[dict[str, Any]]:
        params = {"kind": "offboarding", "about_employee_id": dan.employee_id}
        return list(ok(agent.get("/api/helpdesk/tickets", params=params))["items"])

    tickets = wait_for(offboarding, "the offboarding ticket")
    assert len(tickets) == 1
    ticket = tickets[0]
    for asset in assets:
        assert asset["tag"] in ticket["description"]
        assert asset["serial"] in ticket["description"]
    assert sorted(a["tag"] for a in ticket["assets_to_return"]) == sorted(a["tag"] for a in assets)
    refused_resolution = agent.post(f"/api/helpdesk/tickets/{ticket['id']}/status", json={"status": "resolved"})
    assert refused_resolution.status_code == 409
    for asset in assets:
        ok(agent.post(f"/api/helpdesk/assets/{asset['id']}/return", json={"condition": "good", "status": "in_stock"}))
    ok(agent.post(f"/api/helpdesk/tickets/{ticket['id']}/status", json={"status": "resolved", "note": "All back."}))

    def equipment_task() -> Any:
        tasks = ok(hr.get(f"/api/hr/employees/{dan.employee_id}/checklist"))["items"]
        return [t for t in tasks if t["kind"] == "offboarding" and t["status"] == "done"]

    assert [t["title"] for t in wait_for(equipment_task, "the offboarding task ticked off")] == [
        "Collect equipment, revoke access"
    ]

    # The termination letter: filed for him, and sent to his e-mail (beside the three warning letters).
    def letters() -> list[dict[str, Any]]:
        params = {"employee_id": dan.employee_id, "type": "termination_letter"}
        return list(ok(hr.get("/api/docs/documents", params=params))["items"])

    filed = wait_for(letters, "the termination letter")
    assert len(filed) == 1
    assert "Dan Dismissed" in pdf_text(hr.get(f"/api/docs/documents/{filed[0]['id']}/content").content)
    warnings_filed = ok(
        hr.get("/api/docs/documents", params={"employee_id": dan.employee_id, "type": "warning_letter"})
    )
    assert warnings_filed["total"] == 3
    email = bo.email("Dan", "Dismissed")

    def mails(subject: str) -> list[Any]:
        return [m for m in company.mail.to(email) if str(m["Subject"]).startswith(subject)]

    wait_for(lambda: mails("Termination letter") and len(mails("Warning letter")) == 3, "the letters by e-mail")

    # Final pay in the next run: ten working days in the period, five of them employed (up to today included).
    run = ok(
        clerk.post(
            "/api/payroll/payruns",
            json={
                "pay_group": f"biweekly-{RUN}",
                "period_start": (TODAY - timedelta(days=6)).isoformat(),
                "period_end": (TODAY + timedelta(days=7)).isoformat(),
                "pay_date": (TODAY + timedelta(days=7)).isoformat(),
            },
        ),
        201,
    )
    wait_for(
        lambda: ok(clerk.get(f"/api/payroll/profiles/{dan.employee_id}")).get("end_date") == TODAY.isoformat(),
        "payroll to know the last day",
    )
    ok(clerk.post(f"/api/payroll/payruns/{run['id']}/calculate"))
    assert ok(clerk.post(f"/api/payroll/payruns/{run['id']}/approve"))["status"] == "approved"
    slips = ok(clerk.get("/api/payroll/payslips", params={"run_id": run["id"]}))
    assert slips["total"] == 1
    slip = slips["items"][0]
    assert slip["employee_id"] == dan.employee_id
    assert slip["final"] is True
    assert (slip["working_days_employed"], slip["working_days_in_period"]) == (5, 10)
    assert [(e["code"], money(e["amount"])) for e in slip["earnings"]] == [("salary", Decimal("1000.00"))]
    wait_for(lambda: mails("Payslip"), "the final payslip by e-mail")

    # Counting: one termination, one offboarding ticket, one termination letter, one of each e-mail.
    assert len(offboarding()) == 1
    assert len(letters()) == 1
    assert len(mails("Termination letter")) == 1
    assert len(mails("Warning letter")) == 3
    assert len(mails("Payslip")) == 1
    assert ok(hr.get("/api/hr/employees", params={"status": "terminated", "q": "Dismissed"}))["total"] == 1
    assert ok(clerk.get("/api/payroll/ledger/trial-balance", params={"as_of": run["pay_date"]}))["balanced"] is True
