"""The whole suite as users run it: every part up and ready (--stack=local or --stack=docker)."""

from __future__ import annotations

import httpx
from backoffice.suite.processes import SERVICES
from backoffice.testing import Stack


def test_every_service_of_the_stack_is_ready(stack: Stack) -> None:
    gateway = httpx.get(f"{stack.gateway_url}/health/ready", timeout=5)
    assert gateway.status_code == 200
    assert gateway.json()["checks"] == {"database": "ok", "nats": "ok"}
    if stack.mode == "local":
        assert set(stack.urls) == set(SERVICES)
        for name, url in stack.urls.items():
            ready = httpx.get(f"{url}/health/ready", timeout=5)
            assert ready.status_code == 200, f"{name}: {ready.text}"
