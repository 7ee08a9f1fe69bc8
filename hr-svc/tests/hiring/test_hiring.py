"""Hiring: an opening approved by HR, candidates through the stages, interviews and ratings, offers and the
hire (one hr.employee_hired however often the acceptance is retried), and who sees what."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from backoffice.hr.hiring.models import JobOpening, StageMove
from backoffice.hr.settings import HrSettings
from backoffice.shared.db import Database
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, events_about
from hrkit import TODAY, hire_body, ok, problem
from sqlalchemy import update


def test_an_opening_from_approval_to_hire_with_every_rule(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("hiring-hr", ["hr"])))
    boss = ok(
        officer.post("/employees", json=hire_body("Maya", "maya@example.com", roles=["employee", "manager"])), 201
    )
    panel = ok(officer.post("/employees", json=hire_body("Ivan", "ivan@example.com")), 201)
    other = ok(
        officer.post("/employees", json=hire_body("Olga", "olga@example.com", roles=["employee", "manager"])), 201
    )
    maya = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(boss["id"])))
    ivan = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(panel["id"])))
    olga = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(other["id"])))

    opening_body: dict[str, Any] = {
        "position": "Accountant",
        "headcount": 1,
        "salary_min": "40000",
        "salary_max": "52000",
        "hiring_manager_id": boss["id"],
    }
    problem(olga.post("/openings", json=opening_body), 403)  # not her team
    assert "salary_max" in problem(officer.post("/openings", json={**opening_body, "salary_max": "1"}), 422)
    opening = ok(maya.post("/openings", json=opening_body), 201)
    assert opening["status"] == "draft"
    problem(maya.post(f"/openings/{opening['id']}/approve"), 403)

    def candidate(given: str, source: str) -> dict[str, Any]:
        made: dict[str, Any] = ok(
            officer.post(
                "/candidates",
                json={
                    "given_name": given,
                    "family_name": "Applicant",
                    "email": f"{given.lower()}@mail.example",
                    "source": source,
                },
            ),
            201,
        )
        return made

    ada, bea, cy = candidate("Ada", "referral"), candidate("Bea", "job board"), candidate("Cy", "agency")
    draft_apply = {"opening_id": opening["id"], "candidate_id": ada["id"]}
    assert "takes no applications" in problem(officer.post("/applications", json=draft_apply), 409)
    ok(officer.post(f"/openings/{opening['id']}/approve"))
    apps = {
        c["given_name"]: ok(
            officer.post("/applications", json={"opening_id": opening["id"], "candidate_id": c["id"]}), 201
        )
        for c in (ada, bea, cy)
    }
    problem(officer.post("/applications", json={"opening_id": opening["id"], "candidate_id": ada["id"]}), 409)
    a = apps["Ada"]["id"]
    assert apps["Ada"]["stage"] == "applied"
    assert "does not exist" in problem(maya.post(f"/applications/{a}/stage", json={"stage": "party"}), 422)
    problem(maya.post(f"/applications/{a}/stage", json={"stage": "hired"}), 422)
    ok(maya.post(f"/applications/{a}/stage", json={"stage": "screening"}))
    assert "already" in problem(maya.post(f"/applications/{a}/stage", json={"stage": "screening"}), 409)
    ok(maya.post(f"/applications/{a}/stage", json={"stage": "interview"}))

    when = f"{(TODAY - timedelta(days=2)).isoformat()}T10:00:00Z"  # held two days ago, feedback comes after
    interview = ok(
        maya.post(
            f"/applications/{a}/interviews", json={"scheduled_at": when, "interviewers": [panel["id"], boss["id"]]}
        ),
        201,
    )
    problem(olga.post(f"/interviews/{interview['id']}/feedback", json={"rating": 1, "recommendation": "no_hire"}), 403)
    ok(ivan.post(f"/interviews/{interview['id']}/feedback", json={"rating": 4, "recommendation": "hire"}), 201)
    problem(ivan.post(f"/interviews/{interview['id']}/feedback", json={"rating": 5, "recommendation": "hire"}), 409)
    ok(
        maya.post(
            f"/interviews/{interview['id']}/feedback", json={"rating": 5, "recommendation": "hire", "notes": "strong"}
        ),
        201,
    )
    seen_by_ivan = ok(ivan.get(f"/interviews/{interview['id']}"))
    assert [f["interviewer_id"] for f in seen_by_ivan["feedback"]] == [panel["id"]]  # only his own
    assert seen_by_ivan["candidate_name"] == "Ada Applicant"
    assert ok(maya.get(f"/interviews/{interview['id']}"))["average_rating"] == "4.5"
    seen_by_maya = ok(maya.get(f"/applications/{a}"))
    assert (seen_by_maya["average_rating"], seen_by_maya["expected_rating"]) == ("4.5", "3.50")
    assert seen_by_maya["candidate"]["email"] == "ada@mail.example"
    problem(ivan.get(f"/applications/{a}"), 403)  # an interviewer sees the interview, not the application

    # Listing interviews: the panel sees theirs, the hiring manager her openings', an outsider none.
    later = f"{(TODAY + timedelta(days=5)).isoformat()}T09:00:00Z"
    second = ok(
        maya.post(f"/applications/{a}/interviews", json={"scheduled_at": later, "interviewers": [panel["id"]]}), 201
    )
    assert seen_by_maya["interview_ids"] == [interview["id"]]
    # Feedback on an interview not held yet cannot be true.
    early = ivan.post(f"/interviews/{second['id']}/feedback", json={"rating": 4, "recommendation": "hire"})
    assert "once it has taken place" in problem(early, 409)
    assert ok(maya.get(f"/applications/{a}"))["interview_ids"] == [interview["id"], second["id"]]

    def listed(client: httpx.Client, **params: Any) -> list[str]:
        page = ok(client.get("/interviews", params=params))
        assert page["total"] == len(page["items"])
        return [i["id"] for i in page["items"]]

    assert listed(ivan) == [interview["id"], second["id"]]
    assert listed(maya) == [interview["id"], second["id"]]
    assert listed(maya, mine="true") == [interview["id"]]  # the one she sits on
    assert listed(olga) == []
    assert listed(olga, application_id=a) == []
    problem(olga.get(f"/interviews/{interview['id']}"), 403)
    assert listed(officer, application_id=a) == [interview["id"], second["id"]]
    assert listed(officer, application_id=a, **{"from": (TODAY + timedelta(days=3)).isoformat()}) == [second["id"]]
    assert listed(officer, application_id=a, to=(TODAY + timedelta(days=2)).isoformat()) == [interview["id"]]
    assert listed(officer, application_id=a, to=(TODAY - timedelta(days=3)).isoformat()) == []
    page = ok(officer.get("/interviews", params={"application_id": a, "limit": 1, "offset": 1}))
    assert (page["total"], [i["id"] for i in page["items"]]) == (2, [second["id"]])
    listed_by_ivan = ok(ivan.get("/interviews", params={"application_id": a}))["items"]
    assert [f["interviewer_id"] for f in listed_by_ivan[0]["feedback"]] == [panel["id"]]  # still only his own
    assert "before" in problem(
        officer.get("/interviews", params={"from": TODAY.isoformat(), "to": (TODAY - timedelta(days=1)).isoformat()}),
        422,
    )
    problem(ivan.get(f"/candidates/{ada['id']}"), 403)
    problem(olga.get(f"/candidates/{ada['id']}"), 403)
    problem(olga.get(f"/openings/{opening['id']}/applications"), 403)
    assert ok(maya.get(f"/candidates/{ada['id']}"))["email"] == "ada@mail.example"

    rejected = ok(maya.post(f"/applications/{apps['Bea']['id']}/reject", json={"reason": "no certification"}))
    assert rejected["status"] == "rejected"
    assert rejected["moves"][-1]["to_stage"] == "rejected"
    problem(maya.post(f"/applications/{apps['Bea']['id']}/stage", json={"stage": "screening"}), 409)
    ok(officer.post(f"/applications/{apps['Cy']['id']}/withdraw", json={"reason": "took another job"}))

    problem(officer.post(f"/applications/{a}/offers", json={}), 422)
    offer_body: dict[str, Any] = {
        "position": "Accountant",
        "employment_type": "salaried",
        "start_date": (TODAY + timedelta(days=30)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "3800", "currency": "EUR", "frequency": "monthly"},
    }
    assert "'offer' first" in problem(officer.post(f"/applications/{a}/offers", json=offer_body), 409)
    ok(maya.post(f"/applications/{a}/stage", json={"stage": "offer"}))
    # She declines the first offer: the application stays at 'offer' and a better one can be made.
    low = ok(officer.post(f"/applications/{a}/offers", json=offer_body), 201)
    problem(officer.post(f"/offers/{low['id']}/decline"), 409)  # not sent yet
    ok(officer.post(f"/offers/{low['id']}/send"))
    declined = ok(officer.post(f"/offers/{low['id']}/decline"))
    assert (declined["status"], declined["employee_id"], declined["decided_at"] is not None) == ("declined", None, True)
    assert "declined" in problem(officer.post(f"/offers/{low['id']}/accept"), 409)
    problem(officer.post(f"/offers/{low['id']}/decline"), 409)
    assert (ok(officer.get(f"/applications/{a}"))["stage"], ok(officer.get(f"/applications/{a}"))["status"]) == (
        "offer",
        "active",
    )
    better = {**offer_body, "pay_terms": {**offer_body["pay_terms"], "rate": "4100"}}
    offer = ok(officer.post(f"/applications/{a}/offers", json=better), 201)
    problem(officer.post(f"/offers/{offer['id']}/accept"), 409)  # not sent yet
    ok(officer.post(f"/offers/{offer['id']}/send"))
    # The acceptance retried with its Idempotency-Key is replayed; retried without one it finds the offer
    # accepted: either way one hire.
    key = {"Idempotency-Key": "accept-ada-1"}
    accepted = officer.post(f"/offers/{offer['id']}/accept", headers=key)
    first = ok(accepted)
    replayed = officer.post(f"/offers/{offer['id']}/accept", headers=key)
    assert ok(replayed) == first
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in accepted.headers
    again = ok(officer.post(f"/offers/{offer['id']}/accept"))  # a retry: no second hire
    assert first["employee_id"]
    assert again["employee_id"] == first["employee_id"]
    assert Decimal(first["pay_terms"]["rate"]) == Decimal("4100")
    assert problem(officer.post(f"/offers/{offer['id']}/decline"), 409)  # answered already
    employee = ok(officer.get(f"/employees/{first['employee_id']}"))
    assert (employee["email"], employee["manager_id"], employee["position"]) == (
        "ada@mail.example",
        boss["id"],
        "Accountant",
    )
    hired = events_about(nats_server.url, "hr.employee_hired", "HR", lambda e: e.data["email"] == "ada@mail.example")
    assert len(hired) == 1
    assert ok(officer.get(f"/openings/{opening['id']}"))["status"] == "filled"

    # Two offers accepted for one headcount: the second is refused.
    second = ok(officer.post("/openings", json={**opening_body, "position": "Clerk"}), 201)
    ok(officer.post(f"/openings/{second['id']}/approve"))
    offers = []
    for person in (bea, cy):
        app = ok(officer.post("/applications", json={"opening_id": second["id"], "candidate_id": person["id"]}), 201)
        ok(officer.post(f"/applications/{app['id']}/stage", json={"stage": "offer"}))
        made = ok(officer.post(f"/applications/{app['id']}/offers", json={**offer_body, "position": "Clerk"}), 201)
        ok(officer.post(f"/offers/{made['id']}/send"))
        offers.append(made)
    ok(officer.post(f"/offers/{offers[0]['id']}/accept"))
    assert "no headcount" in problem(officer.post(f"/offers/{offers[1]['id']}/accept"), 409)
    problem(officer.post(f"/applications/{offers[1]['application_id']}/offers", json={**offer_body}), 409)  # open
    ok(officer.post(f"/applications/{offers[1]['application_id']}/reject", json={"reason": "position filled"}))
    assert "cannot be hired" in problem(officer.post(f"/offers/{offers[1]['id']}/accept"), 409)
    problem(officer.post(f"/applications/{apps['Ada']['id']}/stage", json={"stage": "screening"}), 409)

    report = ok(officer.get("/hiring/report"))
    assert report["hires_by_source"] == {"referral": 1, "job board": 1}
    assert report["average_days_to_fill"] is not None
    assert {"applied", "screening", "interview", "offer"} <= set(report["average_days_in_stage"])
    problem(maya.get("/hiring/report"), 403)


def test_opening_statuses_hold_reopen_cancel_fill_and_what_each_refuses(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("status-hr", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Rui", "rui@example.com", roles=["employee", "manager"])), 201)
    panel = ok(officer.post("/employees", json=hire_body("Pia", "pia@example.com")), 201)
    pia = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(panel["id"])))
    body: dict[str, Any] = {
        "position": "Analyst",
        "salary_min": "1",
        "salary_max": "100000",
        "hiring_manager_id": boss["id"],
    }

    # A closing date in the past is refused, naming the field; today is fine.
    refused = officer.post("/openings", json={**body, "closing_date": (TODAY - timedelta(days=1)).isoformat()})
    assert "closing_date" in problem(refused, 422)
    assert refused.json()["errors"][0]["field"] == "closing_date"
    opening = ok(officer.post("/openings", json={**body, "closing_date": TODAY.isoformat()}), 201)
    oid = opening["id"]
    assert "cannot become on_hold" in problem(officer.post(f"/openings/{oid}/status", json={"status": "on_hold"}), 409)
    ok(officer.post(f"/openings/{oid}/approve"))
    problem(officer.post(f"/openings/{oid}/status", json={"status": "filled"}), 422)  # only HR's hire fills it

    def application(given: str, stage: str, opening_id: str = oid) -> str:
        person = ok(
            officer.post(
                "/candidates",
                json={"given_name": given, "family_name": "S", "email": f"{given}@s.example", "source": "web"},
            ),
            201,
        )
        app = ok(officer.post("/applications", json={"opening_id": opening_id, "candidate_id": person["id"]}), 201)
        if stage != "applied":
            ok(officer.post(f"/applications/{app['id']}/stage", json={"stage": stage}))
        return str(app["id"])

    offer_body = {
        "position": "Analyst",
        "employment_type": "salaried",
        "start_date": (TODAY + timedelta(days=30)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "3000", "currency": "EUR", "frequency": "monthly"},
    }
    when = f"{(TODAY - timedelta(days=1)).isoformat()}T10:00:00Z"
    a, b = application("ann", "interview"), application("bob", "offer")
    interview = ok(
        officer.post(f"/applications/{a}/interviews", json={"scheduled_at": when, "interviewers": [panel["id"]]}), 201
    )
    draft = ok(officer.post(f"/applications/{b}/offers", json=offer_body), 201)

    def refused_while(state: str) -> None:
        """Nothing moves on an opening that is not open: each answer a 409 problem+json naming its state."""
        answers = [
            officer.post(f"/applications/{a}/stage", json={"stage": "offer"}),
            officer.post(f"/applications/{a}/interviews", json={"scheduled_at": when, "interviewers": [panel["id"]]}),
            pia.post(f"/interviews/{interview['id']}/feedback", json={"rating": 3, "recommendation": "unsure"}),
            officer.post(f"/applications/{a}/offers", json=offer_body),
            officer.post(f"/offers/{draft['id']}/send"),
        ]
        for answer in answers:
            assert f"the opening is {state}" in problem(answer, 409), answer.request.url

    # On hold: paused. Holding again is a 409; reopening lets the pipeline move again.
    assert ok(officer.post(f"/openings/{oid}/status", json={"status": "on_hold"}))["status"] == "on_hold"
    refused_while("on hold")
    problem(officer.post("/applications", json={"opening_id": oid, "candidate_id": "nobody"}), 409)
    problem(officer.post(f"/openings/{oid}/status", json={"status": "on_hold"}), 409)
    assert ok(officer.post(f"/openings/{oid}/status", json={"status": "open"}))["status"] == "open"
    ok(pia.post(f"/interviews/{interview['id']}/feedback", json={"rating": 4, "recommendation": "hire"}), 201)
    sent = ok(officer.post(f"/offers/{draft['id']}/send"))
    ok(officer.post(f"/applications/{a}/stage", json={"stage": "offer"}))
    draft = ok(officer.post(f"/applications/{a}/offers", json=offer_body), 201)
    ok(officer.post(f"/applications/{a}/stage", json={"stage": "interview"}))  # an offer is made at 'offer' only
    # An offer sent before a hold may still be accepted on hold (the company made it); not once cancelled.
    ok(officer.post(f"/openings/{oid}/status", json={"status": "cancelled"}))
    assert ok(officer.get(f"/openings/{oid}"))["status"] == "cancelled"
    refused_while("cancelled")
    assert "cannot be accepted" in problem(officer.post(f"/offers/{sent['id']}/accept"), 409)
    for status in ("open", "on_hold", "cancelled"):
        assert "cannot become" in problem(officer.post(f"/openings/{oid}/status", json={"status": status}), 409)
    ok(officer.post(f"/applications/{b}/reject", json={"reason": "opening cancelled"}))  # closing still works

    # Filled: a one-headcount opening that hired, with other candidates left in its pipeline.
    filled = ok(officer.post("/openings", json=body), 201)
    ok(officer.post(f"/openings/{filled['id']}/approve"))
    hired, b = application("cyd", "offer", filled["id"]), application("eve", "offer", filled["id"])
    a = application("dee", "interview", filled["id"])
    interview = ok(
        officer.post(f"/applications/{a}/interviews", json={"scheduled_at": when, "interviewers": [panel["id"]]}), 201
    )
    draft = ok(officer.post(f"/applications/{b}/offers", json=offer_body), 201)
    offer = ok(officer.post(f"/applications/{hired}/offers", json=offer_body), 201)
    ok(officer.post(f"/offers/{offer['id']}/send"))
    assert ok(officer.post(f"/offers/{offer['id']}/accept"))["status"] == "accepted"
    assert ok(officer.get(f"/openings/{filled['id']}"))["status"] == "filled"
    refused_while("filled")
    for status in ("open", "on_hold", "cancelled"):
        problem(officer.post(f"/openings/{filled['id']}/status", json={"status": status}), 409)


@pytest.mark.parametrize(
    ("stages", "named"),
    [
        (["applied", "rejected", "offer", "hired"], "rejected"),
        (["applied", "withdrawn", "offer", "hired"], "withdrawn"),
        (["applied", "hired", "offer", "hired"], "distinct"),
        (["applied", "offer"], "ending with"),
        (["applied", "hired", "offer"], "ending with"),
        (["Applied", "offer", "hired"], "'Applied'"),
        (["phone screen", "offer", "hired"], "'phone screen'"),
    ],
)
def test_a_pipeline_that_collides_with_outcomes_or_misses_offer_and_hired_is_refused(
    stages: list[str], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        HrSettings(hiring_stages=stages)


def test_a_company_pipeline_from_settings(gateway_client: GatewayClient, start_service: ServiceStarter) -> None:
    stages = ["sourced", "phone_screen", "assessment", "offer", "hired"]
    hr = start_service("hr", env={"BACKOFFICE_HR_HIRING_STAGES": json.dumps(stages)})
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("pipeline-hr", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Uma", "uma@example.com", roles=["employee", "manager"])), 201)
    body = {"position": "Engineer", "salary_min": "1", "salary_max": "100000", "hiring_manager_id": boss["id"]}
    opening = ok(officer.post("/openings", json=body), 201)
    ok(officer.post(f"/openings/{opening['id']}/approve"))
    person = ok(
        officer.post(
            "/candidates", json={"given_name": "Kim", "family_name": "K", "email": "kim@k.example", "source": "web"}
        ),
        201,
    )
    app = ok(officer.post("/applications", json={"opening_id": opening["id"], "candidate_id": person["id"]}), 201)
    assert app["stage"] == "sourced"
    move = f"/applications/{app['id']}/stage"
    detail = problem(officer.post(move, json={"stage": "screening"}), 422)  # the default pipeline's, not this one's
    assert "sourced, phone_screen, assessment, offer" in detail
    problem(officer.post(move, json={"stage": "sourced"}), 409)
    for stage in ("phone_screen", "assessment", "offer"):
        assert ok(officer.post(move, json={"stage": stage}))["stage"] == stage
    offer_body = {
        "position": "Engineer",
        "employment_type": "salaried",
        "start_date": (TODAY + timedelta(days=14)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "5000", "currency": "EUR", "frequency": "monthly"},
    }
    offer = ok(officer.post(f"/applications/{app['id']}/offers", json=offer_body), 201)
    ok(officer.post(f"/offers/{offer['id']}/send"))
    ok(officer.post(f"/offers/{offer['id']}/accept"))
    hired = ok(officer.get(f"/applications/{app['id']}"))
    assert [m["to_stage"] for m in hired["moves"]] == stages
    assert (hired["stage"], hired["status"]) == ("hired", "hired")
    assert set(ok(officer.get("/hiring/report"))["average_days_in_stage"]) == set(stages[:-1])


def test_the_hiring_report_with_known_times(gateway_client: GatewayClient, start_service: ServiceStarter) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("report-hr", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Lea", "lea@example.com", roles=["employee", "manager"])), 201)

    def opening(position: str, headcount: int) -> str:
        body = {"position": position, "headcount": headcount, "salary_min": "1", "salary_max": "100000"}
        made = ok(officer.post("/openings", json={**body, "hiring_manager_id": boss["id"]}), 201)
        ok(officer.post(f"/openings/{made['id']}/approve"))
        return str(made["id"])

    def application(opening_id: str, given: str, source: str, *stages: str) -> str:
        person = ok(
            officer.post(
                "/candidates",
                json={"given_name": given, "family_name": "R", "email": f"{given}@r.example", "source": source},
            ),
            201,
        )
        app = ok(officer.post("/applications", json={"opening_id": opening_id, "candidate_id": person["id"]}), 201)
        for stage in stages:
            ok(officer.post(f"/applications/{app['id']}/stage", json={"stage": stage}))
        return str(app["id"])

    def hire(application_id: str) -> None:
        body = {
            "position": "P",
            "employment_type": "salaried",
            "start_date": (TODAY + timedelta(days=30)).isoformat(),
            "pay_terms": {"pay_type": "salaried", "rate": "3000", "currency": "EUR", "frequency": "monthly"},
        }
        offer = ok(officer.post(f"/applications/{application_id}/offers", json=body), 201)
        ok(officer.post(f"/offers/{offer['id']}/send"))
        ok(officer.post(f"/offers/{offer['id']}/accept"))

    analysts, drivers, clerks = opening("Analyst", 2), opening("Driver", 1), opening("Clerk", 1)
    ada = application(analysts, "ada", "referral", "screening", "offer")
    hire(ada)
    bea = application(analysts, "bea", "job board", "screening")  # still in screening
    cy = application(analysts, "cy", "web")
    ok(officer.post(f"/applications/{cy}/reject", json={"reason": "no licence"}))
    fay = application(analysts, "fay", "web")  # still applied
    dan = application(drivers, "dan", "web")  # applied, the opening on hold
    ok(officer.post(f"/openings/{drivers}/status", json={"status": "on_hold"}))
    eve = application(clerks, "eve", "agency", "offer")
    hire(eve)

    # Give the history known times, N days ago: (application, stage entered) -> days ago.
    ago = {
        (ada, "applied"): 20, (ada, "screening"): 18, (ada, "offer"): 15, (ada, "hired"): 11,
        (bea, "applied"): 19, (bea, "screening"): 13,
        (cy, "applied"): 10, (cy, "rejected"): 9,
        (fay, "applied"): 3,
        (dan, "applied"): 5,
        (eve, "applied"): 28, (eve, "offer"): 26, (eve, "hired"): 22,
    }  # fmt: skip
    now = datetime.now(UTC)

    async def backdate() -> None:
        db = Database(hr.env["BACKOFFICE_HR_DATABASE_URL"])
        try:
            async with db.session() as session:
                for (application_id, stage), days in ago.items():
                    await session.execute(
                        update(StageMove)
                        .where(StageMove.application_id == application_id, StageMove.to_stage == stage)
                        .values(moved_at=now - timedelta(days=days))
                    )
                await session.execute(
                    update(JobOpening)
                    .where(JobOpening.id == clerks)
                    .values(approved_at=now - timedelta(days=30), filled_at=now - timedelta(days=10))
                )
        finally:
            await db.dispose()

    asyncio.run(backdate())
    report = ok(officer.get("/hiring/report"))
    assert [o["id"] for o in report["open_positions"]] == [analysts]  # not the one on hold, nor the filled one
    assert sorted((c["opening_id"], c["stage"], c["candidates"]) for c in report["candidates_per_stage"]) == sorted(
        [(analysts, "applied", 1), (analysts, "screening", 1), (drivers, "applied", 1)]
    )  # active applications of open and on-hold openings: not the hired, not the rejected
    # applied: ada 2, bea 6, cy 1, fay 3 (so far), dan 5 (so far), eve 2 -> 19 / 6; screening: ada 3, bea 13 (so
    # far) -> 16 / 2; offer: ada 4, eve 4. Time to fill: the clerk, approved 30 days ago, filled 10 days ago.
    assert report["average_days_in_stage"] == {"applied": "3.2", "screening": "8.0", "offer": "4.0"}
    assert report["average_days_to_fill"] == "20.0"
    assert report["hires_by_source"] == {"referral": 1, "agency": 1}


def test_a_create_answer_shows_the_figures_a_read_shows(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    hr = start_service("hr")
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("decimals-hr", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Dee", "dee@example.com", roles=["employee", "manager"])), 201)
    # Pay terms: a rate keeps its four stated places, on the hire's answer and on a read alike.
    assert boss["pay_terms"]["rate"] == ok(officer.get(f"/employees/{boss['id']}"))["pay_terms"]["rate"] == "25.5000"
    body = {"position": "Clerk", "salary_min": "2400", "salary_max": 3000, "hiring_manager_id": boss["id"]}
    for currency, shown in (("EUR", ("2400.00", "3000.00")), ("JPY", ("2400", "3000"))):
        made = ok(officer.post("/openings", json={**body, "currency": currency}), 201)
        read = ok(officer.get(f"/openings/{made['id']}"))
        assert (made["salary_min"], made["salary_max"], made["expected_rating"]) == (*shown, "3.50"), made
        assert made == read
    course = {"title": "Safety", "duration_hours": "8", "validity_months": 12}
    made = ok(officer.post("/courses", json=course), 201)
    assert made["duration_hours"] == "8.00"
    courses = ok(officer.get("/courses"))["items"]
    assert [c for c in courses if c["id"] == made["id"]] == [made]


def test_what_the_console_reads_stages_candidates_found_and_an_applications_offers(
    gateway_client: GatewayClient, start_service: ServiceStarter
) -> None:
    stages = ["applied", "phone", "offer", "hired"]
    hr = start_service("hr", env={"BACKOFFICE_HR_HIRING_STAGES": json.dumps(stages)})
    g = gateway_client
    officer = httpx.Client(base_url=hr.url, headers=g.auth(g.make_user("reads-hr", ["hr"])))
    boss = ok(officer.post("/employees", json=hire_body("Rae", "rae@example.com", roles=["employee", "manager"])), 201)
    clerk = ok(officer.post("/employees", json=hire_body("Sol", "sol@example.com")), 201)
    rae = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(boss["id"])))
    sol = httpx.Client(base_url=hr.url, headers=g.auth(g.activate_employee(clerk["id"])))

    # The pipeline as configured, in order, for whoever draws a board.
    assert ok(officer.get("/hiring/stages")) == {"stages": stages}
    assert ok(sol.get("/hiring/stages")) == {"stages": stages}

    # Candidates by name, found by part of the name or e-mail, whatever the case; HR's only.
    def candidate(given: str, family: str, email: str) -> dict[str, Any]:
        body = {"given_name": given, "family_name": family, "email": email, "source": "web"}
        return dict(ok(officer.post("/candidates", json=body), 201))

    zoe, abe, ann = (
        candidate("Zoe", "Brook", "zoe@mail.example"),
        candidate("Abe", "Brook", "abe@other.example"),
        candidate("Ann", "Cole", "ann@mail.example"),
    )
    page = ok(officer.get("/candidates"))
    assert [c["id"] for c in page["items"]] == [abe["id"], zoe["id"], ann["id"]]
    assert page["total"] == 3
    assert [c["id"] for c in ok(officer.get("/candidates", params={"q": "BROOK"}))["items"]] == [abe["id"], zoe["id"]]
    assert [c["id"] for c in ok(officer.get("/candidates", params={"q": "mail.ex"}))["items"]] == [zoe["id"], ann["id"]]
    assert [c["id"] for c in ok(officer.get("/candidates", params={"q": "zoe b"}))["items"]] == [zoe["id"]]
    second = ok(officer.get("/candidates", params={"limit": 1, "offset": 1}))
    assert ([c["id"] for c in second["items"]], second["total"]) == ([zoe["id"]], 3)
    assert ok(officer.get("/candidates"))["items"][0]["email"] == "abe@other.example"
    problem(rae.get("/candidates"), 403)
    problem(sol.get("/candidates"), 403)

    # An application's offers, newest first, with the employee the accepted one hired: HR and the hiring manager.
    opening = ok(
        officer.post(
            "/openings",
            json={"position": "Clerk", "salary_min": "1", "salary_max": "100000", "hiring_manager_id": boss["id"]},
        ),
        201,
    )
    ok(officer.post(f"/openings/{opening['id']}/approve"))
    app = ok(officer.post("/applications", json={"opening_id": opening["id"], "candidate_id": zoe["id"]}), 201)
    offers = f"/applications/{app['id']}/offers"
    assert ok(officer.get(offers)) == {"items": [], "total": 0, "limit": 50, "offset": 0}
    ok(officer.post(f"/applications/{app['id']}/stage", json={"stage": "offer"}))
    body: dict[str, Any] = {
        "position": "Clerk",
        "employment_type": "salaried",
        "start_date": (TODAY + timedelta(days=14)).isoformat(),
        "pay_terms": {"pay_type": "salaried", "rate": "2500", "currency": "EUR", "frequency": "monthly"},
    }
    first = ok(officer.post(offers, json=body), 201)
    ok(officer.post(f"/offers/{first['id']}/send"))
    ok(officer.post(f"/offers/{first['id']}/decline"))
    second_offer = ok(officer.post(offers, json={**body, "pay_terms": {**body["pay_terms"], "rate": "2700"}}), 201)
    ok(officer.post(f"/offers/{second_offer['id']}/send"))
    accepted = ok(officer.post(f"/offers/{second_offer['id']}/accept"))
    listed = ok(officer.get(offers))
    assert [(o["id"], o["status"]) for o in listed["items"]] == [
        (second_offer["id"], "accepted"),
        (first["id"], "declined"),
    ]
    assert listed["items"][0] == accepted
    assert accepted["employee_id"]
    assert listed["items"][0]["pay_terms"]["rate"] == "2700.0000"
    assert ok(rae.get(offers))["total"] == 2  # the hiring manager
    problem(sol.get(offers), 403)
    problem(officer.get("/applications/nothing/offers"), 404)
