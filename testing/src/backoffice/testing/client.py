"""The HTTP side of a test: answers checked as every service's tests check them, and a gateway client with its first
admin signed in that makes users and tokens through the API."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from backoffice.testing.services import RunningService


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The JSON of a response that must have ``status`` (its body in the failure message otherwise)."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


def problem(response: httpx.Response, status: int) -> str:
    """The ``detail`` of a problem+json answer that must have ``status``."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json", response.headers["content-type"]
    return str(response.json()["detail"])


ADMIN_PASSWORD = "correct horse battery staple"


@dataclass
class GatewayClient:
    """A running gateway with its first admin signed in; makes users and tokens through the API."""

    service: RunningService
    admin_token: str
    client: httpx.Client = field(repr=False)

    @property
    def url(self) -> str:
        return self.service.url

    def login(self, login: str, password: str) -> httpx.Response:
        return self.client.post("/auth/login", json={"login": login, "password": password})

    def make_user(
        self,
        login: str,
        roles: list[str],
        password: str = "a long enough password",
        employee_id: str | None = None,
        name: str | None = None,
    ) -> str:
        """Create a login with these roles (and display name) and return an access token for it."""
        created = self.client.post(
            "/auth/users",
            headers=self.auth(self.admin_token),
            json={
                "login": login,
                "email": f"{login}@example.com",
                "roles": roles,
                "password": password,
                "employee_id": employee_id,
                **({"name": name} if name else {}),
            },
        )
        assert created.status_code == 201, created.text
        token = self.login(login, password)
        assert token.status_code == 200, token.text
        return str(token.json()["access_token"])

    def activate_employee(
        self, employee_id: str, password: str = "a long enough password", timeout_s: float = 20.0
    ) -> str:
        """Wait for the login HR's hire provisioned, activate it as the employee would (or reset its password when
        it was activated already), return a token."""
        admin = self.auth(self.admin_token)
        deadline = time.monotonic() + timeout_s
        user = None
        while user is None:
            for page_offset in range(0, 2000, 500):
                items = self.client.get(
                    "/auth/users", headers=admin, params={"limit": 500, "offset": page_offset}
                ).json()["items"]
                user = next((u for u in items if u["employee_id"] == employee_id), None)
                if user or len(items) < 500:
                    break
            if user is None:
                assert time.monotonic() < deadline, f"no login provisioned for employee {employee_id}"
                time.sleep(0.2)
        # A login activated before (the test signs the employee in again) gets a password reset instead.
        issue, redeem = (
            ("password-reset", "/auth/password-reset") if user["activated"] else ("activation-token", "/auth/activate")
        )
        issued = self.client.post(f"/auth/users/{user['id']}/{issue}", headers=admin)
        assert issued.status_code == 200, issued.text
        activated = self.client.post(redeem, json={"token": issued.json()["token"], "password": password})
        assert activated.status_code == 200, activated.text
        token = self.login(user["login"], password)
        assert token.status_code == 200, token.text
        return str(token.json()["access_token"])

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def create_admin(service: RunningService, login: str = "root", password: str = ADMIN_PASSWORD) -> None:
    """``python -m backoffice.gateway create-admin`` against a running gateway's database."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "backoffice.gateway",
            "create-admin",
            "--login",
            login,
            "--email",
            f"{login}@example.com",
            "--password-stdin",
        ],
        input=password + "\n",
        env=service.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def connect_gateway(service: RunningService) -> GatewayClient:
    """The running gateway with its first admin made and signed in."""
    create_admin(service)
    client = httpx.Client(base_url=service.url, timeout=30)
    token = client.post("/auth/login", json={"login": "root", "password": ADMIN_PASSWORD})
    assert token.status_code == 200, token.text
    return GatewayClient(service, token.json()["access_token"], client)
