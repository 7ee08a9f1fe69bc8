"""Flow 1: HR hires an employee. The login is provisioned and activated, the onboarding ticket is opened (and
resolving it ticks HR's checklist off), the employee is enrolled in mandatory training, and docs files an
employee folder with the contract letter; the signed copy HR files ticks the contract task off. Everything
through the gateway, as the people involved."""

from __future__ import annotations

from datetime import timedelta

from e2ekit import PASSWORD, RUN, TODAY, Company, monday, ok, sign_in, wait_for


def test_a_hire_gets_a_login_an_onboarding_ticket_training_and_a_contract(company: Company) -> None:
    bo, hr, agent, manager = company.bo, company.bo.hr, company.agent, company.manager
    sales = bo.department("Sales")
    # HR's set-up for the department: its onboarding checklist and a mandatory course (and one that is not).
    ok(
        hr.put(
            "/api/hr/checklist-templates",
            json={
                "kind": "onboarding",
                "department_id": sales,
                "tasks": [
                    {
                        "title": "Accounts and laptop ready",
                        "owner_role": "it_agent",
                        "due_offset_days": 0,
                        "done_on_event": "helpdesk.ticket_resolved",
                    },
                    {
                        "title": "Contract signed and filed",
                        "owner_role": "hr",
                        "due_offset_days": 0,
                        "done_on_event": "docs.document_filed",
                    },
                    {"title": "Welcome lunch", "owner_role": "manager", "due_offset_days": 1},
                ],
            },
        )
    )
    induction = ok(
        hr.post(
            "/api/hr/courses",
            json={
                "title": f"Sales induction {RUN}",
                "mandatory_departments": [sales],
                "duration_hours": "4",
                "validity_months": 24,
            },
        ),
        201,
    )
    ok(
        hr.post(
            "/api/hr/courses",
            json={"title": f"Spreadsheets, optional {RUN}", "duration_hours": "2", "validity_months": 12},
        ),
        201,
    )

    # The hire, starting next Monday.
    starts = monday(TODAY) + timedelta(days=7)
    ada = bo.hire(
        "Ada",
        "Lovelace",
        department_id=sales,
        manager_id=manager.employee_id,
        position="Account executive",
        start_date=starts,
    )
    assert ada["status"] == "active"
    assert ada["department"] == f"Sales {RUN}"

    # The gateway provisioned her login from hr.employee_hired: her e-mail, her roles, no password yet.
    login = bo.login_of(ada)
    assert login["login"] == ada["email"]
    assert login["roles"] == ["employee"]
    assert login["activated"] is False
    assert login["active"] is True
    assert bo.gateway.post("/auth/login", json={"login": ada["email"], "password": PASSWORD}).status_code == 401
    # HR gives her a one-time token; she sets her password and signs in; the token does not work twice.
    token = ok(hr.post(f"/auth/users/{login['id']}/activation-token"))["token"]
    ok(bo.gateway.post("/auth/activate", json={"token": token, "password": PASSWORD}))
    assert bo.gateway.post("/auth/activate", json={"token": token, "password": PASSWORD}).status_code == 400
    me = sign_in(bo.gateway, ada["email"])
    assert me.employee_id == ada["id"]
    assert me.roles == ["employee"]
    assert ok(me.get(f"/api/hr/employees/{ada['id']}"))["email"] == ada["email"]

    # The onboarding ticket: one, about her, requested by her manager, routed to the service desk's agent.
    def onboarding() -> list[dict[str, object]]:
        params = {"kind": "onboarding", "about_employee_id": ada["id"]}
        return list(ok(agent.get("/api/helpdesk/tickets", params=params))["items"])

    tickets = wait_for(onboarding, "the onboarding ticket")
    assert len(tickets) == 1
    ticket = tickets[0]
    assert ticket["requester_employee_id"] == manager.employee_id
    assert ticket["assignee_employee_id"] == agent.employee_id
    assert "Ada Lovelace" in ticket["subject"]
    assert starts.isoformat() in ticket["subject"]
    assert ticket["status"] == "new"

    # Mandatory training, enrolled at hire (she sees it herself): the department's course, not the optional one.
    training = ok(me.get(f"/api/hr/employees/{ada['id']}/training"))["items"]
    assert [(t["course_id"], t["status"], t["reason"]) for t in training] == [(induction["id"], "enrolled", "hire")]

    # Her onboarding checklist; the agent resolves the ticket and the IT task ticks itself off.
    checklist = ok(hr.get(f"/api/hr/employees/{ada['id']}/checklist"))["items"]
    assert [(t["title"], t["status"], t["due_date"]) for t in checklist] == [
        ("Accounts and laptop ready", "open", starts.isoformat()),
        ("Contract signed and filed", "open", starts.isoformat()),  # the generated letter is not a signature
        ("Welcome lunch", "open", (starts + timedelta(days=1)).isoformat()),
    ]
    ok(agent.post(f"/api/helpdesk/tickets/{ticket['id']}/status", json={"status": "open"}))
    resolved = ok(
        agent.post(
            f"/api/helpdesk/tickets/{ticket['id']}/status",
            json={"status": "resolved", "note": "Mailbox, accounts and laptop LT-ADA are ready."},
        )
    )
    assert resolved["status"] == "resolved"

    def it_task() -> dict[str, object] | None:
        tasks = ok(hr.get(f"/api/hr/employees/{ada['id']}/checklist"))["items"]
        task = next(t for t in tasks if t["title"] == "Accounts and laptop ready")
        return task if task["status"] == "done" else None

    assert str(wait_for(it_task, "the IT task ticked off by the resolved ticket")["done_by"]) == (
        f"ticket {ticket['id']}"
    )

    # Counting the effects: one login, one onboarding ticket, one enrolment, three tasks.
    assert ok(hr.get("/auth/users", params={"q": ada["email"]}))["total"] == 1
    assert len(onboarding()) == 1
    assert len(ok(hr.get(f"/api/hr/employees/{ada['id']}/training"))["items"]) == 1
    assert len(ok(hr.get(f"/api/hr/employees/{ada['id']}/checklist"))["items"]) == 3

    # On hr.employee_hired docs files a folder under /Employees/ for her and the contract letter, linked to her in
    # it. That letter is the one to be signed: it does not tick HR's "contract signed" task.
    def contracts() -> list[dict[str, object]]:
        params = {"employee_id": ada["id"], "type": "contract"}
        return list(ok(hr.get("/api/docs/documents", params=params))["items"])

    filed = wait_for(contracts, "the contract letter filed by docs-svc")
    assert len(filed) == 1
    contract = filed[0]
    folders = {f["id"]: f["path"] for f in ok(hr.get("/api/docs/folders"))["items"]}
    assert str(folders[str(contract["folder_id"])]).startswith("/Employees/")
    assert [d["id"] for d in ok(me.get("/api/docs/documents", params={"type": "contract"}))["items"]] == [
        contract["id"]
    ]

    # She signs it; HR files the signed copy through docs, and that filing ticks the task off.
    signed = ok(
        hr.post(
            "/api/docs/documents",
            files={"file": ("contract-signed.txt", b"Employment contract, signed by Ada Lovelace.", "text/plain")},
            data={
                "type": "contract",
                "title": "Employment contract (signed)",
                "employee_id": ada["id"],
                "folder_id": str(contract["folder_id"]),
            },
        ),
        201,
    )

    def contract_task() -> dict[str, object] | None:
        tasks = ok(hr.get(f"/api/hr/employees/{ada['id']}/checklist"))["items"]
        task = next(t for t in tasks if t["title"] == "Contract signed and filed")
        return task if task["status"] == "done" else None

    # done by the signed copy, not by the letter docs filed (and hr consumed) before it
    assert wait_for(contract_task, "the contract task ticked off by the signed copy")["done_by"] == (
        f"document {signed['id']}"
    )
