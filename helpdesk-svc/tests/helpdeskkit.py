"""Helpers of the helpdesk tests: HR's events as HR publishes them, staff with logins, answers."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
from backoffice.shared.bus import Envelope
from backoffice.shared.events import docs, hr
from backoffice.testing import GatewayClient, publish, read_events, wait_for
from backoffice.testing import events_about as shared_events_about

# re-exported for this service's tests
from backoffice.testing import ok as ok
from backoffice.testing import problem as problem

TODAY = date.today()


def hired(employee_id: str, *, start: date | None = None, department: str = "Operations", **extra: Any) -> Envelope:
    data = hr.EmployeeHired(
        employee_id=employee_id,
        given_name=employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department=department,
        position=extra.pop("position", "Clerk"),
        start_date=start or TODAY - timedelta(days=100),
        **extra,
    )
    return Envelope.new(hr.EMPLOYEE_HIRED, source="hr", subject=employee_id, data=data)


def terminated(employee_id: str, on: date) -> Envelope:
    data = hr.EmployeeTerminated(employee_id=employee_id, effective_date=on, kind="voluntary")
    return Envelope.new(hr.EMPLOYEE_TERMINATED, source="hr", subject=employee_id, data=data)


def user_id(client: httpx.Client) -> str:
    """The user id (``sub``) of the token a client sends."""
    payload = client.headers["Authorization"].split()[1].split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def filed(document_id: str, by: httpx.Client, *, type: str = "note") -> Envelope:
    """``docs.document_filed`` as docs-svc publishes it for an upload by the client's user."""
    data = docs.DocumentFiled(document_id=document_id, type=type, title=document_id, filed_by=user_id(by))
    return Envelope.new(docs.DOCUMENT_FILED, source="docs", subject=document_id, data=data)


def helpdesk_events(nats_url: str, subject: str = "helpdesk.>") -> list[Envelope]:
    return asyncio.run(read_events(nats_url, subject, "HELPDESK"))


def events_about(nats_url: str, subject: str, keep: Callable[[Envelope], bool], at_least: int = 1) -> list[Envelope]:
    """The helpdesk's events of ``subject`` that ``keep`` selects, once there are ``at_least``."""
    return shared_events_about(nats_url, subject, "HELPDESK", keep, at_least)


class Staff:
    """People in the directory (from real hr.employee_hired events), each with a login and a client."""

    def __init__(self, gateway: GatewayClient, helpdesk_url: str, nats_url: str):
        self.gateway, self.url, self.nats_url = gateway, helpdesk_url, nats_url
        self.admin = httpx.Client(base_url=helpdesk_url, headers=gateway.auth(gateway.admin_token), timeout=30)
        # Hires name their author: the gateway gives a login only the roles its author may grant (an admin: any).
        me = gateway.client.get("/auth/me", headers=gateway.auth(gateway.admin_token))
        self.admin_user_id = str(me.json()["id"])

    def hire(self, *ids: str, roles: tuple[str, ...] = ("employee",), **extra: Any) -> list[httpx.Client]:
        """Hire through HR's event (the gateway provisions the logins), wait for the directory, sign them in."""
        extra.setdefault("hired_by", self.admin_user_id)
        publish(self.nats_url, *(hired(i, roles=list(roles), **extra) for i in ids))
        wait_for(
            lambda: all(self.admin.get(f"/directory/{i}").status_code == 200 for i in ids), f"{ids} in the directory"
        )
        return [self.login(i) for i in ids]

    def login(self, employee_id: str) -> httpx.Client:
        token = self.gateway.activate_employee(employee_id)
        return httpx.Client(base_url=self.url, headers=self.gateway.auth(token), timeout=30)
