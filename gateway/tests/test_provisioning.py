"""Logins follow HR's events: provisioned at hire, disabled at termination (real NATS, real events)."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from typing import Any

import httpx
import jwt
import pytest
from backoffice.shared.auth import PERSON_ROLES, ROLES
from backoffice.shared.bus import Envelope
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated, EmployeeUpdated
from backoffice.testing import NatsServer, publish_event, read_events, wait_for
from gatewaykit import Gateway, GatewayStarter, problem


async def publish_hr_event(nats_url: str, envelope: Envelope) -> None:
    await publish_event(nats_url, "HR", envelope)


async def gateway_events(nats_url: str) -> list[Envelope]:
    return list(await read_events(nats_url, "gateway.>", "GATEWAY"))


@pytest.fixture
def gateway(start_gateway: GatewayStarter, own_nats: NatsServer) -> Gateway:
    """A gateway on a NATS of its own: the durable consumers and streams start empty."""
    return start_gateway({"BACKOFFICE_NATS_URL": own_nats.url})


def test_hire_provisions_a_login_to_activate_and_termination_disables_it(
    gateway: Gateway, own_nats: NatsServer
) -> None:
    c = gateway.client
    hr_token = gateway.make_user("hr-officer", ["hr"])
    employee_id = "emp-0001"
    hired = Envelope.new(
        "hr.employee_hired",
        source="hr",
        subject=employee_id,
        data=EmployeeHired(
            employee_id=employee_id,
            given_name="Grace",
            family_name="Hopper",
            email="grace@example.com",
            department="Engineering",
            start_date=date.today(),
            roles=["employee", "manager"],
        ),
    )
    asyncio.run(publish_hr_event(own_nats.url, hired))
    asyncio.run(publish_hr_event(own_nats.url, hired.model_copy(update={"id": "a-redelivery-with-another-id"})))

    def provisioned() -> dict[str, Any] | None:
        page = c.get("/auth/users", params={"q": "grace"}, headers=gateway.auth(hr_token)).json()
        return page["items"][0] if page["total"] == 1 else None

    user = wait_for(provisioned, "the login provisioned for the hire")
    assert user["login"] == "grace@example.com"
    assert user["employee_id"] == employee_id
    assert sorted(user["roles"]) == ["employee", "manager"]
    assert user["activated"] is False
    events = wait_for(
        lambda: [e for e in asyncio.run(gateway_events(own_nats.url)) if e.type == "gateway.user_provisioned"],
        "gateway.user_provisioned",
    )
    assert len(events) == 1, "one login and one event, however often the hire is delivered"
    assert events[0].data["user_id"] == user["id"]
    assert events[0].causation_id == hired.id
    assert events[0].correlation_id == hired.correlation_id
    assert "token" not in str(events[0].data).lower().replace("activation_expires_at", "")

    # No password yet: sign-in fails until the employee activates the login.
    assert gateway.login("grace@example.com", "anything at all").status_code == 401
    issued = c.post(f"/auth/users/{user['id']}/activation-token", headers=gateway.auth(hr_token))
    assert issued.status_code == 200
    activation = issued.json()["token"]
    assert c.post("/auth/activate", json={"token": activation, "password": "short"}).status_code == 422
    activated = c.post("/auth/activate", json={"token": activation, "password": "grace's own password"})
    assert activated.status_code == 200
    assert activated.json()["activated"] is True
    assert c.post("/auth/activate", json={"token": activation, "password": "grace's own password"}).status_code == 400
    tokens = gateway.login("grace@example.com", "grace's own password")
    assert tokens.status_code == 200
    me = c.get("/auth/me", headers=gateway.auth(tokens.json()["access_token"])).json()
    assert me["employee_id"] == employee_id
    access = gateway.auth(tokens.json()["access_token"])
    assert c.get("/api/docs/echo", headers=access).status_code == 200

    # Terminated effective today: the login stops at once, refresh too.
    terminated = Envelope.new(
        "hr.employee_terminated",
        source="hr",
        subject=employee_id,
        data=EmployeeTerminated(
            employee_id=employee_id, effective_date=date.today(), kind="dismissal", reason="ignored final warning"
        ),
    )
    asyncio.run(publish_hr_event(own_nats.url, terminated))
    wait_for(lambda: gateway.login("grace@example.com", "grace's own password").status_code == 403, "sign-in refused")
    refused = c.post("/auth/refresh", json={"refresh_token": tokens.json()["refresh_token"]})
    assert refused.status_code == 401
    # The access token she still holds has minutes to live: the gateway refuses it now (the console signs out).
    gone = wait_for(lambda: (r := c.get("/api/docs/echo", headers=access)).status_code == 401 and r, "token refused")
    assert gone.json()["type"].endswith("login-disabled")
    disabled = wait_for(
        lambda: [e for e in asyncio.run(gateway_events(own_nats.url)) if e.type == "gateway.user_disabled"],
        "gateway.user_disabled",
    )
    assert disabled[0].data["employee_id"] == employee_id


def test_termination_in_the_future_disables_the_login_on_that_date_only(gateway: Gateway, own_nats: NatsServer) -> None:
    c = gateway.client
    gateway.make_user("henry", ["employee"], password="henry's long password", employee_id="emp-0002")
    later = Envelope.new(
        "hr.employee_terminated",
        source="hr",
        subject="emp-0002",
        data=EmployeeTerminated(
            employee_id="emp-0002", effective_date=date.today() + timedelta(days=30), kind="voluntary"
        ),
    )
    asyncio.run(publish_hr_event(own_nats.url, later))

    def scheduled() -> dict[str, Any] | None:
        page = c.get("/auth/users", params={"q": "henry"}, headers=gateway.auth(gateway.admin_token)).json()
        return page["items"][0] if page["items"][0]["disable_at"] else None

    user = wait_for(scheduled, "the login's disabling scheduled")
    assert user["disable_at"].startswith((date.today() + timedelta(days=30)).isoformat())
    assert user["active"] is True
    assert gateway.login("henry", "henry's long password").status_code == 200


def test_an_invalid_hire_event_is_dead_lettered_with_its_reason(gateway: Gateway, own_nats: NatsServer) -> None:
    broken = Envelope.new("hr.employee_hired", source="hr", data={"employee_id": "emp-x", "email": "not an e-mail"})
    asyncio.run(publish_hr_event(own_nats.url, broken))
    operator = gateway.service.operator_auth

    def letters() -> list[Any]:
        items: list[Any] = httpx.get(f"{gateway.url}/admin/dead-letters", headers=operator).json()["items"]
        return items

    items = wait_for(letters, "a dead letter")
    assert items[0]["consumer"] == "gateway-employee_hired"
    assert "email" in items[0]["reason"]
    assert "given_name" in items[0]["reason"]


def test_a_hire_gets_only_the_roles_its_author_may_grant(gateway: Gateway, own_nats: NatsServer) -> None:
    """Every role asked by every author: the gateway checks who hired, not only HR's validation."""
    c = gateway.client
    admin = gateway.auth(gateway.admin_token)
    authors: dict[str, str | None] = {"nobody": None}  # a hire that names no author counts as HR's
    for role in PERSON_ROLES:
        token = gateway.make_user(f"author-{role}", [role])
        authors[role] = c.get("/auth/me", headers=gateway.auth(token)).json()["id"]
    hires = []
    for author, author_id in authors.items():
        for role in ROLES:
            employee_id = f"emp-{author}-{role}"
            hires.append(
                Envelope.new(
                    "hr.employee_hired",
                    source="hr",
                    subject=employee_id,
                    data=EmployeeHired(
                        employee_id=employee_id,
                        given_name="Role",
                        family_name="Test",
                        email=f"{author}.{role}@grants.example.com",
                        start_date=date.today(),
                        roles=[role],
                        hired_by=author_id,
                        hired_by_roles=["admin"],  # what the event claims does not count: the gateway looks
                    ),
                )
            )

    async def publish_all() -> None:
        for envelope in hires:
            await publish_hr_event(own_nats.url, envelope)

    asyncio.run(publish_all())

    def provisioned() -> dict[str, list[str]] | None:
        items = c.get("/auth/users", params={"q": "@grants.example.com", "limit": 500}, headers=admin).json()["items"]
        return {u["employee_id"]: u["roles"] for u in items} if len(items) == len(hires) else None

    logins = wait_for(provisioned, "a login for every hire", timeout_s=60)
    # HR (and a hire without an author) grants employee and manager, an admin every role but "service", others none.
    may_grant = {"hr": {"employee", "manager"}, "nobody": {"employee", "manager"}, "admin": set(ROLES) - {"service"}}
    expected = {
        f"emp-{author}-{role}": [role] if role in may_grant.get(author, set()) else ["employee"]
        for author in authors
        for role in ROLES
    }
    assert logins == expected
    assert logins["emp-hr-admin"] == ["employee"]
    assert logins["emp-admin-admin"] == ["admin"]
    assert logins["emp-admin-service"] == ["employee"]
    assert logins["emp-hr-manager"] == ["manager"]

    events = wait_for(
        lambda: [
            e
            for e in asyncio.run(gateway_events(own_nats.url))
            if e.type == "gateway.user_provisioned" and e.data["employee_id"] == "emp-hr-payroll"
        ],
        "gateway.user_provisioned of emp-hr-payroll",
    )
    assert events[0].data["refused_roles"] == ["payroll"]
    assert events[0].data["roles"] == ["employee"]


def test_a_login_carries_the_persons_name_in_its_tokens_and_follows_a_rename(
    gateway: Gateway, own_nats: NatsServer
) -> None:
    """Every service learns who acted from the token: the employee's name from HR, kept when HR renames them."""
    c = gateway.client
    employee_id = "emp-name-1"
    hired = EmployeeHired(
        employee_id=employee_id,
        given_name="Ada",
        family_name="Lovelace",
        email="ada@example.com",
        start_date=date.today(),
    )
    asyncio.run(publish_hr_event(own_nats.url, Envelope.new("hr.employee_hired", source="hr", data=hired)))
    token = gateway.activate_employee(employee_id, password="ada's own password")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["name"] == "Ada Lovelace"
    assert claims["employee_id"] == employee_id
    assert c.get("/auth/me", headers=gateway.auth(token)).json()["name"] == "Ada Lovelace"

    renamed = EmployeeUpdated(
        employee_id=employee_id,
        effective_date=date.today(),
        changes=["family_name"],
        given_name="Ada",
        family_name="King",
        email="ada@example.com",
        status="active",
    )
    asyncio.run(publish_hr_event(own_nats.url, Envelope.new("hr.employee_updated", source="hr", data=renamed)))
    wait_for(
        lambda: (
            jwt.decode(
                gateway.login("ada@example.com", "ada's own password").json()["access_token"],
                options={"verify_signature": False},
            )["name"]
            == "Ada King"
        ),
        "the new name in the tokens",
    )

    # A login made by an admin takes the name given, else shows its login.
    named = jwt.decode(
        gateway.make_user("clerk-x", ["payroll"], name="Carl Clerk"), options={"verify_signature": False}
    )
    plain = jwt.decode(gateway.make_user("clerk-y", ["payroll"]), options={"verify_signature": False})
    assert named["name"] == "Carl Clerk"
    assert plain["name"] == "clerk-y"


def test_a_dead_letter_is_checked_then_replayed_with_a_corrected_payload(
    gateway: Gateway, own_nats: NatsServer
) -> None:
    """A rename HR sent without the family name: the admin checks corrections against the contract (each error
    naming its field, nothing delivered), then replays a valid one and the login takes the name."""
    c = gateway.client
    admin = gateway.auth(gateway.admin_token)
    made = c.post(
        "/auth/users",
        headers=admin,
        json={"login": "bea", "email": "bea@example.com", "roles": ["employee"], "employee_id": "emp-bea"},
    )
    assert made.status_code == 201, made.text
    data = {
        "employee_id": "emp-bea",
        "effective_date": date.today().isoformat(),
        "changes": ["given_name"],
        "given_name": "Beatrix",
        "email": "bea@example.com",
        "status": "active",
    }
    broken = Envelope.new("hr.employee_updated", source="hr", data=data)
    asyncio.run(publish_hr_event(own_nats.url, broken))

    def letters() -> list[Any]:
        items: list[Any] = c.get("/admin/dead-letters", headers=admin).json()["items"]
        return items

    letter = wait_for(letters, "a dead letter")[0]
    assert letter["consumer"] == "gateway-employee_updated"
    assert "family_name" in letter["reason"]
    path = f"/admin/dead-letters/{letter['id']}"
    stored = json.loads(letter["payload"])

    as_it_was = problem(c.post(f"{path}/check", headers=admin, json={}), 422)
    assert "family_name" in as_it_was["detail"]
    wrong = {**stored, "data": {**stored["data"], "effective_date": "someday"}}
    refused = problem(c.post(f"{path}/check", headers=admin, json={"payload": wrong}), 422)
    fields = {e["field"] for e in refused["errors"]}
    assert fields == {"body.payload.data.effective_date", "body.payload.data.family_name"}, refused
    assert problem(c.post(f"{path}/replay", headers=admin, json={"payload": wrong}), 422)["errors"] == refused["errors"]
    other_type = {**stored, "type": "hr.employee_hired"}
    typed = problem(c.post(f"{path}/check", headers=admin, json={"payload": other_type}), 422)
    assert [e["field"] for e in typed["errors"]] == ["body.payload.type"]
    assert c.get(f"/auth/users/{made.json()['id']}", headers=admin).json()["name"] == "bea"  # nothing delivered

    fixed = {**stored, "data": {**stored["data"], "family_name": "Kidd"}}
    checked = c.post(f"{path}/check", headers=admin, json={"payload": fixed})
    assert checked.status_code == 200, checked.text
    assert checked.json() == {"id": letter["id"], "valid": True, "event_type": "hr.employee_updated", "version": 1}
    assert letters()[0]["status"] == "dead"  # a check delivers nothing
    replayed = c.post(f"{path}/replay", headers=admin, json={"payload": fixed})
    assert replayed.status_code == 200, replayed.text
    assert c.get(f"/auth/users/{made.json()['id']}", headers=admin).json()["name"] == "Beatrix Kidd"
    problem(c.post(f"{path}/check", headers=admin, json={"payload": fixed}), 409)
