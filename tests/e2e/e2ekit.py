"""Helpers of the end-to-end flows: people signed in through the gateway with real tokens, hiring and
activating them as HR and the employee would, waiting for what events cause, reading PDFs and e-mails.

Every call goes to the gateway's URL: the flows would run the same against a suite in containers.
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.message import Message
from typing import Any, Protocol

import httpx
from backoffice.shared.auth import roles_not_grantable
from backoffice.testing import ok as ok
from backoffice.testing import wait_for as wait_for

PASSWORD = "a long enough password"
RUN = uuid.uuid4().hex[:6]  # keeps this session's names, e-mails and numbers apart from any other's
TODAY = datetime.now(UTC).date()  # the services' company time zone is UTC (the default)
REFRESH_AFTER_S = 120.0  # access tokens last 5 minutes: refresh well before
# Seconds an employee has to acknowledge a warning (the setting is in days): long enough to acknowledge the
# ones they mean to, short enough that an ignored one escalates by itself while the test waits.
ACKNOWLEDGE_WITHIN_S = 8.0
FAX_DOMAIN = "fax.example.net"  # docs-svc's e-mail-to-fax gateway: a fax goes to <digits>@FAX_DOMAIN


def money(value: Any) -> Decimal:
    return Decimal(str(value))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)


def attachments(message: Message) -> list[tuple[str, bytes]]:
    return [
        (part.get_filename() or "", part.get_payload(decode=True))  # type: ignore[misc]
        for part in message.walk()
        if part.get_filename()
    ]


@dataclass
class User:
    """Someone signed in at the gateway: their access token goes on every call, refreshed as it ages."""

    gateway: httpx.Client
    login: str
    password: str
    access_token: str
    refresh_token: str
    signed_in_at: float
    user_id: str = ""
    employee_id: str | None = None
    roles: list[str] = field(default_factory=list)

    def _headers(self) -> dict[str, str]:
        if time.monotonic() - self.signed_in_at > REFRESH_AFTER_S:
            pair = ok(self.gateway.post("/auth/refresh", json={"refresh_token": self.refresh_token}))
            self.access_token, self.refresh_token = pair["access_token"], pair["refresh_token"]
            self.signed_in_at = time.monotonic()
        return {"Authorization": f"Bearer {self.access_token}"}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.gateway.request(method, path, headers=self._headers(), **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)


def sign_in(gateway: httpx.Client, login: str, password: str = PASSWORD) -> User:
    """``POST /auth/login`` as the person would, then ``/auth/me`` for who the token says they are."""
    pair = ok(gateway.post("/auth/login", json={"login": login, "password": password}))
    user = User(gateway, login, password, pair["access_token"], pair["refresh_token"], time.monotonic())
    me = ok(user.get("/auth/me"))
    user.user_id, user.employee_id, user.roles = me["id"], me["employee_id"], me["roles"]
    return user


@dataclass
class Backoffice:
    """The suite as its users see it: one gateway URL. ``admin`` is the first login (made with the
    ``create-admin`` command); ``hr`` is the HR officer the admin created; everyone else is hired by HR (or by the
    admin, for the roles only an admin grants)."""

    gateway: httpx.Client
    admin: User
    hr: User

    def sign_in(self, login: str, password: str = PASSWORD) -> User:
        return sign_in(self.gateway, login, password)

    def department(self, name: str) -> str:
        return str(ok(self.hr.post("/api/hr/departments", json={"name": f"{name} {RUN}"}), 201)["id"])

    def hire(
        self,
        given_name: str,
        family_name: str,
        *,
        department_id: str | None,
        manager_id: str | None = None,
        roles: tuple[str, ...] = ("employee",),
        start_date: date | None = None,
        pay_type: str = "salaried",
        rate: str = "3000",
        frequency: str = "semimonthly",
        position: str | None = None,
    ) -> dict[str, Any]:
        """HR hires someone (semimonthly pay by default: no flow runs that pay group)."""
        body = {
            "given_name": given_name,
            "family_name": family_name,
            "email": self.email(given_name, family_name),
            "department_id": department_id,
            "manager_id": manager_id,
            "position": position,
            "employment_type": pay_type,
            "start_date": (start_date or TODAY - timedelta(days=90)).isoformat(),
            "pay_terms": {"pay_type": pay_type, "rate": rate, "currency": "EUR", "frequency": frequency},
            "roles": list(roles),
        }
        return dict(ok(self.granter_of(roles).post("/api/hr/employees", json=body), 201))

    def granter_of(self, roles: Iterable[str]) -> User:
        """HR grants employee and manager; the department roles come from an admin."""
        return self.hr if not roles_not_grantable(["hr"], roles) else self.admin

    @staticmethod
    def email(given_name: str, family_name: str) -> str:
        return f"{given_name}.{family_name}.{RUN}@example.com".lower()

    def login_of(self, employee: dict[str, Any]) -> dict[str, Any]:
        """The login the gateway provisioned from ``hr.employee_hired`` (HR looks it up)."""

        def provisioned() -> Any:
            page = ok(self.hr.get("/auth/users", params={"q": employee["email"]}))
            return [u for u in page["items"] if u["employee_id"] == employee["id"]]

        found = wait_for(provisioned, f"the login of {employee['email']}")
        assert len(found) == 1, found
        return dict(found[0])

    def activate(self, employee: dict[str, Any], password: str = PASSWORD) -> User:
        """HR hands the new employee a one-time token; they set a password and sign in."""
        login = self.login_of(employee)
        token = ok(self.granter_of(login["roles"]).post(f"/auth/users/{login['id']}/activation-token"))["token"]
        ok(self.gateway.post("/auth/activate", json={"token": token, "password": password}))
        user = self.sign_in(login["login"], password)
        assert user.employee_id == employee["id"]
        return user

    def hire_and_activate(self, given_name: str, family_name: str, **kwargs: Any) -> User:
        return self.activate(self.hire(given_name, family_name, **kwargs))


class Mailbox(Protocol):
    """What the flows read of the mail docs-svc sent: the in-process SMTP server, or the compose stack's sink."""

    def to(self, address: str) -> list[Message]: ...


@dataclass
class Company:
    """The people every flow relies on, each signed in with a real token from the gateway."""

    bo: Backoffice
    mail: Mailbox
    manager: User  # manages the employees hired in the flows
    agent: User  # IT agent, lead of the service desk (takes onboarding and offboarding tickets)
    office: User  # runs the switchboard
    clerk: User  # payroll
    second_clerk: User  # payroll: approves what the first one entered (four eyes)


# A small rule set: hours at the rate, overtime at 1.5, a pre-tax pension, progressive tax, social security.
RULES: list[dict[str, Any]] = [
    {"kind": "hours", "code": "regular", "description": "Regular hours", "hours_kind": "regular"},
    {"kind": "hours", "code": "overtime", "description": "Overtime", "hours_kind": "overtime", "multiplier": "1.5"},
    {"kind": "salary", "code": "salary", "description": "Salary"},
    {
        "kind": "percentage",
        "code": "pension",
        "description": "Pension",
        "category": "deduction",
        "percent": "5",
        "reduces_taxable": True,
    },
    {
        "kind": "brackets",
        "code": "income_tax",
        "description": "Income tax",
        "category": "deduction",
        "base": ["taxable"],
        "brackets": [{"up_to": "500", "percent": "0"}, {"percent": "20"}],
    },
    {"kind": "percentage", "code": "social", "description": "Social security", "category": "deduction", "percent": "8"},
    {
        "kind": "percentage",
        "code": "employer_social",
        "description": "Employer social security",
        "category": "employer_contribution",
        "percent": "10",
    },
]


def pay_group(clerk: User, code: str, frequency: str) -> None:
    ok(
        clerk.post(
            "/api/payroll/pay-groups", json={"code": code, "name": code, "frequency": frequency, "currency": "EUR"}
        ),
        201,
    )
    ok(
        clerk.post("/api/payroll/rule-sets", json={"pay_group": code, "effective_from": "2020-01-01", "rules": RULES}),
        201,
    )
