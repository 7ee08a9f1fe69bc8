"""The whole suite for end-to-end tests: as local processes (its own NATS, a database per service), or on Docker
Compose (pytest-docker on docker-compose.yml)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from backoffice.suite.launcher import wiring_env
from backoffice.suite.processes import SERVICES, free_port, service_process, wait_ready
from backoffice.testing.databases import DatabaseFactory
from backoffice.testing.nats import NatsServer
from backoffice.testing.services import TEST_RATE_LIMITS, RunningService, new_operator_token

REPO_ROOT = Path(__file__).resolve().parents[4]


@dataclass
class Stack:
    """The running suite: the gateway URL, each service's URL, and (local mode) its processes."""

    gateway_url: str
    urls: dict[str, str]
    mode: str
    services: dict[str, RunningService] = field(default_factory=dict)
    operator_token: str = ""


@contextlib.contextmanager
def local_stack(root: Path, extra_env: dict[str, str]) -> Iterator[Stack]:
    """The whole suite as processes under ``root``: its own NATS, a database per service, every service ready."""
    nats = NatsServer(root / "nats")
    nats.start()
    factory = DatabaseFactory(root)
    running: dict[str, RunningService] = {}
    ports = {name: free_port() for name in SERVICES}
    env = dict(os.environ)
    env.update({"BACKOFFICE_ENV": "test", "BACKOFFICE_VAR_DIR": str(root / "var"), "BACKOFFICE_NATS_URL": nats.url})
    env["BACKOFFICE_ADMIN_TOKEN"] = new_operator_token()
    env.setdefault("BACKOFFICE_GATEWAY_RATE_LIMITS", TEST_RATE_LIMITS)
    for name, port in ports.items():
        env[f"BACKOFFICE_{name.upper()}_PORT"] = str(port)
        env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"] = factory.new_url(name)
    env.update(extra_env)
    env.update(wiring_env(env))  # the JWKS URL and the gateway's upstreams, as the launcher sets them
    try:
        for name, port in ports.items():
            proc = service_process(name, env, root / "logs" / f"{name}.log")
            proc.start()
            running[name] = RunningService(name, f"http://127.0.0.1:{port}", port, env, proc)
        for service in running.values():
            wait_ready(service.url, 90, service.proc)
        urls = {name: s.url for name, s in running.items()}
        yield Stack(
            gateway_url=urls["gateway"],
            urls=urls,
            mode="local",
            services=running,
            operator_token=env["BACKOFFICE_ADMIN_TOKEN"],
        )
    finally:
        for service in running.values():
            service.stop()
        nats.stop()
        factory.cleanup()


def _docker_missing() -> str | None:
    """Why Docker Compose cannot run the suite here (None when it can)."""
    if shutil.which("docker") is None:
        return "--stack=docker needs the docker command and a running Docker engine"
    for args, what in (
        (["docker", "compose", "version"], "the Compose plugin"),
        (["docker", "info"], "a Docker engine"),
    ):
        try:
            usable = subprocess.run(args, capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            usable = False
        if not usable:
            return f"--stack=docker needs {what}: `{' '.join(args)}` failed"
    return None


def docker_stack(request: pytest.FixtureRequest) -> Stack:
    """The suite on Docker Compose (pytest-docker), once the gateway is ready; skips where Docker cannot run it."""
    missing = _docker_missing()
    if missing is not None:
        pytest.skip(missing)
    # Compose refuses to start without these secrets; tests use throw-away values.
    os.environ.setdefault("BACKOFFICE_ADMIN_TOKEN", f"test-{uuid.uuid4().hex}")
    os.environ.setdefault("POSTGRES_PASSWORD", f"test-{uuid.uuid4().hex}")
    os.environ.setdefault("BACKOFFICE_SIGNING_KEY_SECRET", f"test-{uuid.uuid4().hex}")
    docker_ip = request.getfixturevalue("docker_ip")
    services = request.getfixturevalue("docker_services")
    port = services.port_for("gateway", 8000)
    url = f"http://{docker_ip}:{port}"

    def gateway_ready() -> bool:
        try:
            return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    services.wait_until_responsive(check=gateway_ready, timeout=180.0, pause=1.0)
    return Stack(
        gateway_url=url, urls={"gateway": url}, mode="docker", operator_token=os.environ["BACKOFFICE_ADMIN_TOKEN"]
    )
