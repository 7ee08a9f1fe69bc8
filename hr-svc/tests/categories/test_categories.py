"""Fair pay, HR's side: job categories with versioned scores, positions placed in them without overlaps, the
self-declared sex kept apart from the employee record and read by few, and offers outside their range."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.testing import events_about
from hrkit import TODAY, HrStack, hire_body, hr_events, ok, problem

SCORES = {"skills": 60, "effort": 40, "responsibility": 55, "working_conditions": 30}


@dataclass
class People:
    hr: httpx.Client
    payroll: httpx.Client
    auditor: httpx.Client
    it_agent: httpx.Client
    office: httpx.Client
    eve: httpx.Client
    boss: httpx.Client
    eve_id: str
    boss_id: str
    nats_url: str
    log_path: Path


@pytest.fixture(scope="module")
def people(hr_stack: HrStack) -> People:
    g, url = hr_stack.gateway, hr_stack.hr.url

    def client(token: str) -> httpx.Client:
        return httpx.Client(base_url=url, headers=g.auth(token))

    hr = client(g.make_user("fair-hr", ["hr"]))
    boss = ok(
        hr.post(
            "/employees",
            json=hire_body("Mara", "mara@fair.example", roles=["employee", "manager"], position="Team lead"),
        ),
        201,
    )
    eve = ok(
        hr.post("/employees", json=hire_body("Eva", "eva@fair.example", manager_id=boss["id"], position="Clerk")),
        201,
    )
    return People(
        hr=hr,
        payroll=client(g.make_user("fair-payroll", ["payroll"])),
        auditor=client(g.make_user("fair-auditor", ["pay_auditor"])),
        it_agent=client(g.make_user("fair-it", ["it_agent"])),
        office=client(g.make_user("fair-office", ["office"])),
        eve=client(g.activate_employee(eve["id"])),
        boss=client(g.activate_employee(boss["id"])),
        eve_id=eve["id"],
        boss_id=boss["id"],
        nats_url=hr_stack.nats_url,
        log_path=hr_stack.hr.proc.log_path,
    )


def category(code: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": f"Category {code}", "description": "Clerical work", "scores": SCORES, **extra}


def test_a_category_is_versioned_with_its_scores(people: People) -> None:
    hr = people.hr
    made = ok(hr.post("/job-categories", json=category("A1")), 201)
    assert (made["code"], made["version"], made["scores"]) == ("A1", 1, SCORES)
    assert "code" in problem(hr.post("/job-categories", json=category("a1")), 409)
    assert "skills" in problem(hr.post("/job-categories", json=category("A9", scores={**SCORES, "skills": 101})), 422)
    changed = {"name": "Clerical", "description": "Files and letters", "scores": {**SCORES, "effort": 45}}
    second = ok(hr.put(f"/job-categories/{made['id']}", json=changed))
    assert (second["version"], second["name"], second["scores"]["effort"]) == (2, "Clerical", 45)
    # The first version is kept with the scores it had.
    read = ok(people.auditor.get(f"/job-categories/{made['id']}"))
    assert [(v["version"], v["scores"]["effort"]) for v in read["versions"]] == [(2, 45), (1, 40)]
    listed = ok(people.payroll.get("/job-categories"))["items"]
    assert [(c["code"], c["version"]) for c in listed if c["id"] == made["id"]] == [("A1", 2)]
    problem(hr.put("/job-categories/nothing", json=changed), 404)
    saved = events_about(people.nats_url, "hr.job_category_saved", "HR", lambda e: e.subject == made["id"], at_least=2)
    assert [(e.data["version"], e.data["scores"]["effort"], e.data["code"]) for e in saved] == [
        (1, 40, "A1"),
        (2, 45, "A1"),
    ]


def test_placements_never_overlap_and_end_with_a_second_event(people: People) -> None:
    hr = people.hr
    first = ok(hr.post("/job-categories", json=category("B1")), 201)["id"]
    second = ok(hr.post("/job-categories", json=category("B2")), 201)["id"]
    start = TODAY - timedelta(days=100)
    placed = ok(
        hr.post(f"/job-categories/{first}/placements", json={"position": "Clerk", "effective_from": start.isoformat()}),
        201,
    )
    assert (placed["position"], placed["effective_to"]) == ("Clerk", None)
    # Overlapping the open placement, even in another category: refused, naming it, on the field.
    later = {"position": "Clerk", "effective_from": TODAY.isoformat()}
    clash = hr.post(f"/job-categories/{second}/placements", json=later)
    assert placed["id"] in problem(clash, 409)
    assert clash.json()["placement_id"] == placed["id"]
    assert clash.json()["errors"][0]["field"] == "body.effective_from"
    # Reversed dates, an unknown category.
    reversed_dates = {**later, "effective_to": (TODAY - timedelta(days=1)).isoformat()}
    assert "effective_to" in problem(hr.post(f"/job-categories/{second}/placements", json=reversed_dates), 422)
    assert "nowhere" in problem(hr.post("/job-categories/nowhere/placements", json=later), 404)
    # Ended yesterday, the position moves to the other category today.
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert "before" in problem(
        hr.post(f"/position-placements/{placed['id']}/end", json={"effective_to": (start - timedelta(1)).isoformat()}),
        422,
    )
    ended = ok(hr.post(f"/position-placements/{placed['id']}/end", json={"effective_to": yesterday}))
    assert ended["effective_to"] == yesterday
    problem(hr.post(f"/position-placements/{placed['id']}/end", json={"effective_to": yesterday}), 409)
    moved = ok(hr.post(f"/job-categories/{second}/placements", json=later), 201)
    assert ok(hr.get(f"/job-categories/{first}/placements"))["items"][0]["id"] == placed["id"]
    # The positions in use, with their category on a date.
    today = {p["position"]: p for p in ok(people.auditor.get("/positions"))["items"]}
    assert today["Clerk"]["category_code"] == "B2"
    assert today["Clerk"]["employees"] >= 1
    assert today["Team lead"]["placement"] is None
    before = ok(hr.get("/positions", params={"on": yesterday, "q": "cler"}))["items"]
    assert [(p["position"], p["category_code"]) for p in before] == [("Clerk", "B1")]
    # The employee reads their own category; a placement sent twice keeps its id.
    mine = ok(people.eve.get("/me/job-category"))
    assert (mine["position"], mine["category"]["code"]) == ("Clerk", "B2")
    assert ok(people.boss.get("/me/job-category"))["category"] is None
    sent = events_about(people.nats_url, "hr.position_placed", "HR", lambda e: e.subject == placed["id"], 2)
    assert [e.data["effective_to"] for e in sent] == [None, yesterday]
    assert events_about(people.nats_url, "hr.position_placed", "HR", lambda e: e.subject == moved["id"])


def test_who_reads_and_writes_categories(people: People) -> None:
    made = ok(people.hr.post("/job-categories", json=category("C1")), 201)["id"]
    body = {"position": "Driver", "effective_from": TODAY.isoformat()}
    for reader in (people.payroll, people.auditor):
        ok(reader.get(f"/job-categories/{made}"))
        ok(reader.get(f"/job-categories/{made}/placements"))
        problem(reader.post("/job-categories", json=category("C9")), 403)
        problem(reader.post(f"/job-categories/{made}/placements", json=body), 403)
    for outsider in (people.eve, people.boss, people.it_agent, people.office):
        problem(outsider.get("/job-categories"), 403)
        problem(outsider.get("/positions"), 403)
        problem(outsider.put(f"/job-categories/{made}", json={"name": "C", "scores": SCORES}), 403)
    assert "not linked" in problem(people.it_agent.get("/me/job-category"), 422)


def test_the_declared_sex_is_read_by_few_and_kept_out_of_the_record(people: People) -> None:
    hr, eve_id, boss_id = people.hr, people.eve_id, people.boss_id
    assert ok(hr.get(f"/employees/{eve_id}/sex"))["sex"] is None
    assert ok(hr.put(f"/employees/{boss_id}/sex", json={"sex": "male"}))["sex"] == "male"
    assert "sex" in problem(hr.put(f"/employees/{boss_id}/sex", json={"sex": "Male-ish"}), 422)
    # Eve declares her own, then changes it: the latest wins.
    assert ok(people.eve.put(f"/employees/{eve_id}/sex", json={"sex": "female"}))["self_declared"] is True
    assert ok(people.eve.put(f"/employees/{eve_id}/sex", json={"sex": "not_declared"}))["sex"] == "not_declared"
    assert ok(people.eve.get(f"/employees/{eve_id}/sex"))["sex"] == "not_declared"
    for reader in (people.payroll, people.auditor, hr):
        assert ok(reader.get(f"/employees/{eve_id}/sex"))["sex"] == "not_declared"
    # Her manager, an IT agent, the office and a colleague neither read nor write it.
    for outsider in (people.boss, people.it_agent, people.office):
        problem(outsider.get(f"/employees/{eve_id}/sex"), 403)
        problem(outsider.put(f"/employees/{eve_id}/sex", json={"sex": "male"}), 403)
    problem(people.eve.get(f"/employees/{boss_id}/sex"), 403)
    problem(people.payroll.put(f"/employees/{eve_id}/sex", json={"sex": "male"}), 403)
    problem(hr.get("/employees/nobody/sex"), 404)
    # Not in the record, nor in its lists, nor in any other event.
    for record in (ok(hr.get(f"/employees/{eve_id}")), *ok(hr.get("/employees"))["items"]):
        assert "sex" not in record
        assert "not_declared" not in str(record)
        assert "female" not in str(record)
    declared = events_about(people.nats_url, "hr.sex_declared", "HR", lambda e: e.subject == eve_id, 2)
    assert [e.data for e in declared] == [
        {"employee_id": eve_id, "sex": "female"},
        {"employee_id": eve_id, "sex": "not_declared"},
    ]
    # Nor in the service's log, not even a value it refused.
    logged = people.log_path.read_text()
    assert "answered 422" in logged
    assert "Male-ish" not in logged
    assert "not_declared" not in logged
    others = [e for e in asyncio.run(hr_events(people.nats_url)) if e.type != "hr.sex_declared"]
    assert others
    assert not [e for e in others if "sex" in e.data or "female" in str(e.data)]


def test_an_offer_outside_the_openings_range_needs_a_reason(people: People) -> None:
    hr = people.hr
    opening = ok(
        hr.post(
            "/openings",
            json={
                "position": "Clerk",
                "salary_min": "24000",
                "salary_max": "30000",
                "hiring_manager_id": people.boss_id,
            },
        ),
        201,
    )
    ok(hr.post(f"/openings/{opening['id']}/approve"))

    def at_offer(given: str) -> str:
        body = {"given_name": given, "family_name": "Range", "email": f"{given}@range.example", "source": "web"}
        candidate = ok(hr.post("/candidates", json=body), 201)
        app = ok(hr.post("/applications", json={"opening_id": opening["id"], "candidate_id": candidate["id"]}), 201)
        ok(hr.post(f"/applications/{app['id']}/stage", json={"stage": "offer"}))
        return str(app["id"])

    def offer(rate: str, frequency: str = "monthly", **extra: Any) -> dict[str, Any]:
        return {
            "position": "Clerk",
            "employment_type": "salaried",
            "start_date": (TODAY + timedelta(days=20)).isoformat(),
            "pay_terms": {"pay_type": "salaried", "rate": rate, "currency": "EUR", "frequency": frequency},
            **extra,
        }

    inside, low, high = at_offer("in"), at_offer("low"), at_offer("high")
    # 2,400 a month is 28,800 a year: inside.
    assert ok(hr.post(f"/applications/{inside}/offers", json=offer("2400")), 201)["outside_range_reason"] is None
    # 900 every two weeks is 23,400 a year: under the range, refused without a reason, naming the field and range.
    refused = hr.post(f"/applications/{low}/offers", json=offer("900", "biweekly"))
    detail = problem(refused, 422)
    assert "23400.00 EUR a year" in detail
    assert "24000.00 to 30000.00 EUR" in detail
    assert refused.json()["errors"][0]["field"] == "body.outside_range_reason"
    blank = offer("900", "biweekly", outside_range_reason="  ")
    assert "outside_range_reason" in problem(hr.post(f"/applications/{low}/offers", json=blank), 422)
    assert ok(hr.get(f"/applications/{low}/offers"))["total"] == 0  # nothing half-written
    reason = "Part-time: 30 hours a week"
    made = ok(hr.post(f"/applications/{low}/offers", json=offer("900", "biweekly", outside_range_reason=reason)), 201)
    assert made["outside_range_reason"] == reason
    assert ok(hr.get(f"/applications/{low}/offers"))["items"][0]["outside_range_reason"] == reason
    # An hourly rate counts at full time: 15 x 2,080 = 31,200 a year, over the range.
    hourly = {
        **offer("15"),
        "employment_type": "hourly",
        "pay_terms": {"pay_type": "hourly", "rate": "15", "currency": "EUR", "frequency": "monthly"},
    }
    assert "31200.00 EUR" in problem(hr.post(f"/applications/{high}/offers", json=hourly), 422)
    ok(hr.post(f"/applications/{high}/offers", json={**hourly, "outside_range_reason": "Senior clerk"}), 201)


def test_a_candidate_has_no_pay_history_field(people: People) -> None:
    body = {"given_name": "P", "family_name": "H", "email": "ph@range.example", "source": "web", "current_salary": "1"}
    assert "current_salary" in problem(people.hr.post("/candidates", json=body), 422)


def test_placements_of_one_position_at_the_same_moment_never_overlap(people: People) -> None:
    made = [ok(people.hr.post("/job-categories", json=category(f"D{n}")), 201)["id"] for n in range(3)]
    body = {"position": "Courier", "effective_from": TODAY.isoformat()}

    def place(n: int) -> int:  # into three categories at once
        return people.hr.post(f"/job-categories/{made[n % 3]}/placements", json=body).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(place, range(6)))
    assert statuses == [201, 409, 409, 409, 409, 409]
    assert sum(ok(people.hr.get(f"/job-categories/{c}/placements"))["total"] for c in made) == 1
