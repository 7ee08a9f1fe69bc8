"""Fixtures and helpers of the gateway tests: a running gateway, its first admin, and users made through the API."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.gateway.keys.service import KeyRing
from backoffice.gateway.settings import DEFAULT_UPLOAD_ROUTES, DEV_KEY_SECRET
from backoffice.shared.db import Database
from backoffice.suite.processes import ManagedProcess, free_port, wait_for_port
from backoffice.testing import ADMIN_PASSWORD, GatewayClient, ServiceStarter, connect_gateway, create_admin  # noqa: F401


@dataclass
class Gateway(GatewayClient):
    upstream_port: int = 0


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
METRICS_TOKEN = "scrape-token-for-tests-0123456789"
# The test upstream's /upload takes files as the docs service's upload routes do.
UPLOAD_ROUTES = json.dumps([*DEFAULT_UPLOAD_ROUTES, "^/api/docs/upload$"])


@pytest.fixture
def start_gateway(start_service: ServiceStarter, upstream: TestUpstream) -> Iterator[GatewayStarter]:
    clients: list[httpx.Client] = []

    def start(env: dict[str, str] | None = None, port: int | None = None) -> Gateway:
        base = {
            "BACKOFFICE_GATEWAY_DOCS_URL": f"http://127.0.0.1:{upstream.port}",
            "BACKOFFICE_GATEWAY_BREAKER_RESET_S": "1",
            "BACKOFFICE_GATEWAY_BREAKER_FAILURE_THRESHOLD": "3",
            "BACKOFFICE_GATEWAY_METRICS_TOKEN": METRICS_TOKEN,
            "BACKOFFICE_GATEWAY_UPLOAD_ROUTES": UPLOAD_ROUTES,
        }
        service = start_service("gateway", env={**base, **(env or {})}, port=port)
        base_client = connect_gateway(service)
        clients.append(base_client.client)
        return Gateway(service, base_client.admin_token, base_client.client, upstream_port=upstream.port)

    yield start
    for client in clients:
        client.close()


@pytest.fixture
def gateway(start_gateway: GatewayStarter) -> Gateway:
    return start_gateway()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of an answer that must have ``status``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def gateway_keyring(gateway: Gateway) -> KeyRing:
    """The key ring of a running gateway, read from its database (as the gateway's own settings would make it)."""
    url = gateway.service.env["BACKOFFICE_GATEWAY_DATABASE_URL"]
    return KeyRing(Database(url), secret=DEV_KEY_SECRET, access_token_ttl_s=300, max_age_days=30)
