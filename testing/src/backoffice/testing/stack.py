"""The whole suite for end-to-end tests: as local processes (its own NATS, a database per service), or on Docker
Compose (pytest-docker on docker-compose.yml)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
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
    mail: MailDrop | None = None  # docker mode: the SMTP sink's messages


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


# The settings that docker-compose.yml requires (secrets), each a new random value per test session.
COMPOSE_SECRETS = (
    "BACKOFFICE_ADMIN_TOKEN",
    "BACKOFFICE_SIGNING_KEY_SECRET",
    "POSTGRES_PASSWORD",
    "HR_DB_PASSWORD",
    "PAYROLL_DB_PASSWORD",
    "HELPDESK_DB_PASSWORD",
    "DOCS_DB_PASSWORD",
    "GATEWAY_DB_PASSWORD",
)
# BACKOFFICE_TEST_COMPOSE_FILES: more override files (separated by ":"), e.g. an operator's own, on top of these.
COMPOSE_FILES = (
    REPO_ROOT / "docker-compose.yml",
    REPO_ROOT / "docker-compose.test.yml",
    *(Path(extra) for extra in os.environ.get("BACKOFFICE_TEST_COMPOSE_FILES", "").split(":") if extra),
)


def compose_environment(mail_dir: Path) -> dict[str, str]:
    """What ``docker compose`` needs to start the test stack: production mode with generated secrets (database
    passwords holding ``@``, ``%`` and ``/``, which a URL would have to escape), and the SMTP sink's folder."""
    env = {name: f"t@{secrets.token_urlsafe(24)}%/" for name in COMPOSE_SECRETS}
    env["BACKOFFICE_ENV"] = "production"
    env["BACKOFFICE_TEST_MAIL_DIR"] = str(mail_dir)
    return env


def save_compose_logs(path: Path) -> None:
    """Every container's log (``docker compose logs``) to ``path``: what the services said, after the run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logs = compose("logs", "--no-color", "--timestamps", timeout=120)
    path.write_text(logs.stdout + logs.stderr)


def compose(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``docker compose`` on the test stack's files (project and environment as pytest-docker set them)."""
    files = [arg for path in COMPOSE_FILES for arg in ("-f", str(path))]
    project = os.environ["BACKOFFICE_COMPOSE_PROJECT"]
    return subprocess.run(
        ["docker", "compose", *files, "-p", project, *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class MailDrop:
    """The SMTP sink's messages (docker-compose.test.yml), read from the folder it writes: the same ``to`` as
    ``backoffice.testing.mail.MailServer``."""

    folder: Path

    def to(self, address: str) -> list[Message]:
        found = []
        for path in sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns):
            saved = json.loads(path.read_text())
            if address in saved["recipients"]:
                found.append(message_from_bytes(base64.b64decode(saved["raw"])))
        return found


def docker_stack(request: pytest.FixtureRequest, mail_dir: Path) -> Stack:
    """The suite on Docker Compose (pytest-docker), once the gateway is ready; skips where Docker cannot run it."""
    missing = _docker_missing()
    if missing is not None:
        pytest.skip(missing)
    mail_dir.mkdir(parents=True, exist_ok=True)
    mail_dir.chmod(0o777)  # the sink writes as its own user
    for name, value in compose_environment(mail_dir).items():
        os.environ.setdefault(name, value)  # a secret set already is kept
    os.environ["BACKOFFICE_TEST_MAIL_DIR"] = str(mail_dir)  # where MailDrop reads
    os.environ["BACKOFFICE_COMPOSE_PROJECT"] = request.getfixturevalue("docker_compose_project_name")
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
        gateway_url=url,
        urls={"gateway": url},
        mode="docker",
        operator_token=os.environ["BACKOFFICE_ADMIN_TOKEN"],
        mail=MailDrop(mail_dir),
    )
