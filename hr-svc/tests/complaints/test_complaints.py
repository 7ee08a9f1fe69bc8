"""Complaints stay between the filer and HR; the event says nothing confidential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from backoffice.testing import events_about
from hrkit import HrStack, hire_body, ok, problem


@dataclass
class Office:
    """The hr-svc of this module, an HR officer and an admin to hire people, and a way to log in as one."""

    stack: HrStack
    client: httpx.Client
    officer: dict[str, str]
    admin: dict[str, str]

    def hire(self, name: str, roles: tuple[str, ...] = ("employee",)) -> dict[str, Any]:
        """A new employee (department roles are an admin's to grant)."""
        headers = self.officer if set(roles) <= {"employee", "manager"} else self.admin
        body = hire_body(name, f"{name.lower()}@example.com", roles=list(roles))
        employee: dict[str, Any] = ok(self.client.post("/employees", headers=headers, json=body), 201)
        return employee

    def as_(self, employee: dict[str, Any]) -> dict[str, str]:
        """Headers of ``employee``'s login."""
        return self.stack.gateway.auth(self.stack.gateway.activate_employee(employee["id"]))

    def file(self, filer: dict[str, Any], accused: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        """A complaint ``filer`` files, against ``accused`` (or against a practice)."""
        body: dict[str, Any] = {"summary": "Shouting in meetings", "details": "On three occasions ...", **extra}
        if accused is not None:
            body.update(against_kind="person", against_employee_id=accused["id"], against_description="a colleague")
        else:
            body.update(against_kind="practice", against_description="On-call rota")
        complaint: dict[str, Any] = ok(self.client.post("/complaints", headers=self.as_(filer), json=body), 201)
        return complaint


@pytest.fixture(scope="module")
def office(hr_stack: HrStack) -> Office:
    g = hr_stack.gateway
    return Office(
        stack=hr_stack,
        client=httpx.Client(base_url=hr_stack.hr.url),
        officer=g.auth(g.make_user("officer4", ["hr"])),
        admin=g.auth(g.make_user("admin4", ["admin"])),
    )


def test_a_complaint_against_a_person_names_someone_else(office: Office) -> None:
    filer = office.hire("Fay")
    as_filer = office.as_(filer)
    body = {"against_kind": "person", "against_description": "my team lead", "summary": "x", "details": "y"}
    assert "against_employee_id is required" in problem(
        office.client.post("/complaints", headers=as_filer, json=body), 422
    )
    myself = {**body, "against_employee_id": filer["id"], "against_description": "me"}
    assert "yourself" in problem(office.client.post("/complaints", headers=as_filer, json=myself), 422)
    complaint = office.file(filer, office.hire("Acton"), withhold_name=True)
    assert complaint["status"] == "filed"
    assert complaint["notes"] is None


def test_only_the_filer_and_hr_see_a_complaint(office: Office) -> None:
    c = office.client
    filer, accused, bystander = office.hire("Fen"), office.hire("Abel"), office.hire("Bryn")
    complaint = office.file(filer, accused)
    # The accused and anyone else are told it does not exist.
    for outsider in (office.as_(accused), office.as_(bystander)):
        problem(c.get(f"/complaints/{complaint['id']}", headers=outsider), 404)
        assert ok(c.get("/complaints", headers=outsider))["total"] == 0
        problem(c.post(f"/complaints/{complaint['id']}/notes", headers=outsider, json={"text": "x"}), 403)
    assert ok(c.get(f"/complaints/{complaint['id']}", headers=office.as_(filer)))["summary"] == "Shouting in meetings"
    assert ok(c.get(f"/complaints/{complaint['id']}", headers=office.officer))["id"] == complaint["id"]


def test_only_an_hr_officer_investigates_and_only_after_assignment_is_it_closed(office: Office) -> None:
    c = office.client
    filer, accused, bystander = office.hire("Flo"), office.hire("Ari"), office.hire("Bea")
    investigator = office.hire("Ines", ("employee", "hr"))
    it_agent = office.hire("Itzel", ("employee", "it_agent"))
    complaint = office.file(filer, accused)
    assign = f"/complaints/{complaint['id']}/investigator"
    problem(c.post(assign, headers=office.as_(filer), json={"investigator_id": investigator["id"]}), 403)
    closing = {"status": "resolved", "outcome": "talked"}
    problem(c.post(f"/complaints/{complaint['id']}/closing", headers=office.officer, json=closing), 409)
    conflicted = c.post(assign, headers=office.officer, json={"investigator_id": accused["id"]})
    assert "cannot be the filer" in problem(conflicted, 422)
    # An IT agent or a plain employee is refused, and nothing is assigned.
    for outsider_id in (it_agent["id"], bystander["id"]):
        refused = c.post(assign, headers=office.officer, json={"investigator_id": outsider_id})
        assert "not an HR officer" in problem(refused, 422)
        # Named as the form's field, so the console shows it beside the investigator.
        assert [e["field"] for e in refused.json()["errors"]] == ["body.investigator_id"]
        assert ok(c.get(f"/complaints/{complaint['id']}", headers=office.officer))["status"] == "filed"
    unknown = c.post(assign, headers=office.officer, json={"investigator_id": "nobody"})
    assert "does not exist" in problem(unknown, 422)
    assert unknown.json()["errors"][0]["field"] == "body.investigator_id"
    assigned = ok(c.post(assign, headers=office.officer, json={"investigator_id": investigator["id"]}))
    assert assigned["status"] == "investigating"


def test_notes_are_hr_s_and_a_closed_complaint_takes_none(office: Office) -> None:
    c = office.client
    filer, investigator = office.hire("Fern"), office.hire("Iris", ("employee", "hr"))
    complaint = office.file(filer, office.hire("Axel"))
    path = f"/complaints/{complaint['id']}"
    ok(c.post(f"{path}/investigator", headers=office.officer, json={"investigator_id": investigator["id"]}))
    note = {"text": "Interviewed two witnesses", "evidence_document_id": "doc-123"}
    noted = ok(c.post(f"{path}/notes", headers=office.officer, json=note), 201)
    assert [n["evidence_document_id"] for n in noted["notes"]] == ["doc-123"]
    assert ok(c.get(path, headers=office.as_(filer)))["notes"] is None, "notes are HR's"
    outcome = {"status": "resolved", "outcome": "Written warning and coaching"}
    closed = ok(c.post(f"{path}/closing", headers=office.officer, json=outcome))
    assert closed["status"] == "resolved"
    assert closed["closed_at"]
    problem(c.post(f"{path}/notes", headers=office.officer, json={"text": "late"}), 409)
    resolved = ok(c.get("/complaints", headers=office.officer, params={"status": "resolved"}))["items"]
    assert complaint["id"] in [item["id"] for item in resolved]
    assert {item["status"] for item in resolved} == {"resolved"}


def test_self_service_lists_the_complaints_one_filed_and_hr_the_queue(office: Office) -> None:
    c = office.client
    filer, officer_employee = office.hire("Faye"), office.hire("Inka", ("employee", "hr"))
    complaint = office.file(filer, office.hire("Alba"))
    as_officer_employee = office.as_(officer_employee)
    own = office.file(officer_employee)
    queue = ok(c.get("/complaints", headers=office.officer))["total"]
    assert ok(c.get("/complaints", headers=as_officer_employee))["total"] == queue, "HR's queue: every complaint"
    mine = ok(c.get("/complaints", headers=as_officer_employee, params={"mine": "true"}))
    assert [item["id"] for item in mine["items"]] == [own["id"]]
    theirs = ok(c.get("/complaints", headers=office.as_(filer), params={"mine": "true"}))
    assert [item["id"] for item in theirs["items"]] == [complaint["id"]]


def test_the_event_says_nothing_confidential(office: Office) -> None:
    filer, accused = office.hire("Fitz"), office.hire("Acker")
    complaint = office.file(filer, accused, against_description="Acker, sales")
    filed = events_about(office.stack.nats_url, "hr.complaint_filed", "HR", lambda e: e.subject == complaint["id"])
    assert len(filed) == 1
    assert filed[0].data == {
        "complaint_id": complaint["id"],
        "against_kind": "person",
        "filed_on": filed[0].data["filed_on"],
    }
    text = filed[0].model_dump_json()
    for secret in ("Shouting", "Acker", filer["id"], accused["id"]):
        assert secret not in text
