"""Who may give which role to a hire: HR employee and manager, an admin every role but "service" (issue 16)."""

from __future__ import annotations

import httpx
from backoffice.shared.auth import PERSON_ROLES, ROLES
from backoffice.testing import GatewayClient, NatsServer, ServiceStarter, events_about
from hrkit import hire_body


def test_every_role_asked_by_every_role(
    gateway_client: GatewayClient, start_service: ServiceStarter, nats_server: NatsServer
) -> None:
    hr = start_service("hr")
    may_hire = {"hr", "admin"}
    may_grant = {"hr": {"employee", "manager"}, "admin": set(ROLES) - {"service"}}
    authors = {role: gateway_client.make_user(f"granter-{role}", [role]) for role in PERSON_ROLES}
    answers: dict[tuple[str, str], int] = {}
    for author, token in authors.items():
        with httpx.Client(base_url=hr.url, headers=gateway_client.auth(token), timeout=30) as c:
            for role in ROLES:
                body = hire_body("Gran", f"{author}.{role}@grants.example.com", roles=[role])
                response = c.post("/employees", json=body)
                answers[author, role] = response.status_code
                if response.status_code == 403 and author in may_hire:
                    assert role in response.json()["detail"], response.text  # names the role it may not grant
                if role == "service" and author in may_hire:
                    assert "roles" in str(response.json()), response.text  # the schema has no such role
    expected = {
        (author, role): 403
        if author not in may_hire
        else 422
        if role == "service"
        else 201
        if role in may_grant[author]
        else 403
        for author in PERSON_ROLES
        for role in ROLES
    }
    assert answers == expected

    # The hire names its author, so the gateway can check it too.
    hired = events_about(
        nats_server.url, "hr.employee_hired", "HR", lambda e: e.data["email"].endswith("@grants.example.com"), 9
    )
    by_email = {e.data["email"]: e.data for e in hired}
    assert by_email["hr.manager@grants.example.com"]["hired_by_roles"] == ["hr"]
    admin_hire = by_email["admin.payroll@grants.example.com"]
    assert admin_hire["roles"] == ["payroll"]
    assert admin_hire["hired_by_roles"] == ["admin"]
    assert admin_hire["hired_by"]
