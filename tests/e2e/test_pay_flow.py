"""Flow 2: an employee submits a week with overtime; payroll verifies it on receipt and a clerk approves it; a
pay run is calculated and approved; the payslip is visible to the employee only, its PDF is filed and e-mailed
(received by a real SMTP server); the ledger balances and the profit and loss shows the cost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from e2ekit import RUN, TODAY, Company, User, attachments, monday, money, ok, pay_group, pdf_text, wait_for


def expenses(clerk: User, month: str) -> Decimal:
    report = ok(clerk.get("/api/payroll/reports/profit-and-loss", params={"granularity": "month"}))
    return sum((money(p["expenses"]) for p in report["periods"] if p["period"] == month), Decimal(0))


def test_a_week_with_overtime_is_verified_paid_filed_mailed_and_booked(company: Company) -> None:
    bo, clerk, manager = company.bo, company.clerk, company.manager
    pay_group(clerk, f"weekly-{RUN}", "weekly")
    warehouse = bo.department("Warehouse")
    week = monday(TODAY) - timedelta(days=7)  # last week: every day of it is past
    bob = bo.hire_and_activate(
        "Bob",
        "Builder",
        department_id=warehouse,
        manager_id=manager.employee_id,
        pay_type="hourly",
        rate="20",
        frequency="weekly",
        start_date=week - timedelta(days=14),
    )
    assert bob.employee_id is not None
    # Payroll keeps his pay profile from hr.employee_hired (hours of someone it does not know yet are rejected).
    profile = wait_for(
        lambda: (r := clerk.get(f"/api/payroll/profiles/{bob.employee_id}")).status_code == 200 and r.json(),
        "Bob's pay profile at payroll",
    )
    assert [(t["pay_type"], money(t["rate"]), t["frequency"]) for t in profile["pay_terms"]] == [
        ("hourly", Decimal(20), "weekly")
    ]

    # Bob fills in his week (10 and 9 hours on Monday and Tuesday) and submits it to payroll.
    sheet = ok(bob.post("/api/hr/timesheets", json={"week_start": week.isoformat()}), 201)
    hours = ["10", "9", "8", "8", "8"]
    entries = [{"day": (week + timedelta(days=d)).isoformat(), "hours": h} for d, h in enumerate(hours)]
    ok(bob.put(f"/api/hr/timesheets/{sheet['id']}/entries", json={"entries": entries}))
    assert ok(bob.post(f"/api/hr/timesheets/{sheet['id']}/submit"))["status"] == "submitted"

    # Payroll verified it on receipt: no error, the overtime beyond 8 hours a day classified; it waits for a clerk.
    def pending() -> Any:
        found = ok(clerk.get("/api/payroll/timesheets", params={"status": "pending", "employee_id": bob.employee_id}))
        return found["items"]

    received = wait_for(pending, "Bob's timesheet at payroll")
    assert len(received) == 1
    assert received[0]["id"] == sheet["id"]
    assert {f["code"] for f in received[0]["findings"]} == {"daily_overtime"}
    assert {f["severity"] for f in received[0]["findings"]} == {"info"}
    by_kind: dict[str, Decimal] = {}
    for row in received[0]["hours"]:
        by_kind[row["kind"]] = by_kind.get(row["kind"], Decimal(0)) + money(row["hours"])
    assert by_kind == {"regular": Decimal(40), "overtime": Decimal(3)}
    approved = ok(clerk.post(f"/api/payroll/timesheets/{sheet['id']}/approve"))
    assert approved["status"] == "approved"
    wait_for(
        lambda: ok(bob.get(f"/api/hr/timesheets/{sheet['id']}"))["status"] == "verified",
        "HR to mark the timesheet verified",
    )

    # The pay run of that week, paid today: calculated (Bob sees nothing yet), then approved.
    run = ok(
        clerk.post(
            "/api/payroll/payruns",
            json={
                "pay_group": f"weekly-{RUN}",
                "period_start": week.isoformat(),
                "period_end": (week + timedelta(days=6)).isoformat(),
                "pay_date": TODAY.isoformat(),
            },
        ),
        201,
    )
    calculated = ok(clerk.post(f"/api/payroll/payruns/{run['id']}/calculate"))
    # 40 h x 20 + 3 h x 30 = 890 gross; pension 5% = 44.50; tax 20% of (845.50 - 500) = 69.10; social 8% = 71.20.
    assert (calculated["status"], calculated["employees"]) == ("calculated", 1)
    assert money(calculated["gross"]) == Decimal("890.00")
    assert money(calculated["deductions"]) == Decimal("184.80")
    assert money(calculated["net"]) == Decimal("705.20")
    assert money(calculated["employer_contributions"]) == Decimal("89.00")
    assert ok(bob.get("/api/payroll/payslips"))["total"] == 0  # a calculated run is not his to see yet
    month = TODAY.strftime("%Y-%m")
    expenses_before = expenses(clerk, month)
    assert ok(clerk.post(f"/api/payroll/payruns/{run['id']}/approve"))["status"] == "approved"

    # The payslip: Bob sees his; his manager and a colleague do not.
    mine = ok(bob.get("/api/payroll/payslips"))
    assert mine["total"] == 1
    slip = mine["items"][0]
    assert slip["employee_id"] == bob.employee_id
    assert slip["run_id"] == run["id"]
    assert {k: money(v) for k, v in slip["hours"].items()} == {"regular": Decimal(40), "overtime": Decimal(3)}
    assert [(e["code"], money(e["amount"])) for e in slip["earnings"]] == [
        ("regular", Decimal("800.00")),
        ("overtime", Decimal("90.00")),
    ]
    assert money(slip["net"]) == Decimal("705.20")
    for other in (manager, company.agent):
        assert other.get(f"/api/payroll/payslips/{slip['id']}").status_code == 403
        assert other.get("/api/payroll/payslips", params={"employee_id": bob.employee_id}).status_code == 403

    # Its PDF, filed by docs for Bob (and payroll), not for his manager; and e-mailed to him.
    def filed() -> Any:
        return ok(bob.get("/api/docs/documents", params={"type": "payslip"}))["items"]

    documents = wait_for(filed, "the payslip PDF filed")
    assert len(documents) == 1
    document = documents[0]
    assert document["employee_id"] == bob.employee_id
    assert document["roles"] == ["payroll"]
    text = pdf_text(bob.get(f"/api/docs/documents/{document['id']}/content").content)
    assert "Bob Builder" in text
    assert "705.20" in text
    assert manager.get(f"/api/docs/documents/{document['id']}").status_code == 404
    assert ok(manager.get("/api/docs/documents", params={"employee_id": bob.employee_id}))["items"] == []
    email = bo.email("Bob", "Builder")
    mails = wait_for(lambda: company.mail.to(email), "the payslip e-mail")
    assert len(mails) == 1
    (name, pdf), *others = attachments(mails[0])
    assert not others
    assert name.endswith(".pdf")
    assert "705.20" in pdf_text(pdf)
    assert "Payslip" in str(mails[0]["Subject"])

    # The ledger: one balanced posting of the run, the trial balance balanced, the P&L showing the cost.
    entries_of_run = ok(clerk.get("/api/payroll/journal-entries", params={"source": "payrun", "source_id": run["id"]}))
    assert entries_of_run["total"] == 1
    lines = {(ln["account"], money(ln["debit"]), money(ln["credit"])) for ln in entries_of_run["items"][0]["lines"]}
    assert lines == {
        ("5000", Decimal("890.00"), Decimal(0)),
        ("5100", Decimal("89.00"), Decimal(0)),
        ("2200", Decimal(0), Decimal("184.80")),
        ("2300", Decimal(0), Decimal("89.00")),
        ("2100", Decimal(0), Decimal("705.20")),
    }
    balance = ok(clerk.get("/api/payroll/ledger/trial-balance"))
    assert balance["balanced"] is True
    assert expenses(clerk, month) - expenses_before == Decimal("979.00")
    cost = ok(clerk.get("/api/payroll/reports/payroll-cost", params={"granularity": "month"}))
    assert money(cost["by_department"][f"Warehouse {RUN}"]) == Decimal("979.00")

    # Paid out: net pay leaves the bank; still balanced. Counting: one timesheet, one payslip, one PDF, one mail.
    assert ok(clerk.post(f"/api/payroll/payruns/{run['id']}/paid"))["status"] == "paid"
    assert ok(clerk.get("/api/payroll/ledger/trial-balance"))["balanced"] is True
    assert ok(clerk.get("/api/payroll/timesheets", params={"employee_id": bob.employee_id}))["total"] == 1
    assert ok(clerk.get("/api/payroll/payslips", params={"employee_id": bob.employee_id}))["total"] == 1
    assert len(filed()) == 1
    assert len(company.mail.to(email)) == 1
