"""Fixtures and helpers of the gateway tests: a running gateway, its first admin, and users made through the API."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from backoffice.shared.processes import ManagedProcess, free_port, wait_for_port
from backoffice.shared.testing import RunningService, ServiceStarter

ADMIN_PASSWORD = "correct horse battery staple"


@dataclass
class Gateway:
    service: RunningService
    admin_token: str
    upstream_port: int
    client: httpx.Client = field(repr=False)

    @property
    def url(self) -> str:
        return self.service.url

    def login(self, login: str, password: str) -> httpx.Response:
        return self.client.post("/auth/login", json={"login": login, "password": password})

    def make_user(
        self, login: str, roles: list[str], password: str = "a long enough password", employee_id: str | None = None
    ) -> str:
        created = self.client.post(
            "/auth/users",
            headers=self.auth(self.admin_token),
            json={
                "login": login,
                "email": f"{login}@example.com",
                "roles": roles,
                "password": password,
                "employee_id": employee_id,
            },
        )
        assert created.status_code == 201, created.text
        token = self.login(login, password)
        assert token.status_code == 200, token.text
        return str(token.json()["access_token"])

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def create_admin(service: RunningService, login: str = "root", password: str = ADMIN_PASSWORD) -> None:
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


@dataclass
class TestUpstream:
    __test__ = False  # not a test class
    """The test upstream process, which a test may kill and start again on the same port."""

    port: int
    log: Path
    proc: ManagedProcess | None = None

    def start(self) -> None:
        args = [sys.executable, str(Path(__file__).parent / "upstream_app.py"), str(self.port)]
        self.proc = ManagedProcess("upstream", args, dict(os.environ), self.log)
        self.proc.start()
        wait_for_port("127.0.0.1", self.port, 20, self.proc)

    def kill(self) -> None:
        if self.proc:
            self.proc.kill()

    def stop(self) -> None:
        if self.proc:
            self.proc.stop()


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[TestUpstream]:
    server = TestUpstream(free_port(), tmp_path / "upstream.log")
    server.start()
    yield server
    server.stop()


GatewayStarter = Callable[..., Gateway]


@pytest.fixture
def start_gateway(start_service: ServiceStarter, upstream: TestUpstream) -> Iterator[GatewayStarter]:
    clients: list[httpx.Client] = []

    def start(env: dict[str, str] | None = None, port: int | None = None) -> Gateway:
        base = {
            "BACKOFFICE_GATEWAY_DOCS_URL": f"http://127.0.0.1:{upstream.port}",
            "BACKOFFICE_GATEWAY_BREAKER_RESET_S": "1",
            "BACKOFFICE_GATEWAY_BREAKER_FAILURE_THRESHOLD": "3",
        }
        service = start_service("gateway", env={**base, **(env or {})}, port=port)
        create_admin(service)
        client = httpx.Client(base_url=service.url, timeout=30)
        clients.append(client)
        token = client.post("/auth/login", json={"login": "root", "password": ADMIN_PASSWORD})
        assert token.status_code == 200, token.text
        return Gateway(service, token.json()["access_token"], upstream.port, client)

    yield start
    for client in clients:
        client.close()


@pytest.fixture
def gateway(start_gateway: GatewayStarter) -> Gateway:
    return start_gateway()
