"""Services as processes: ``python -m backoffice.<name> serve`` on a free port, and what every service must do."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from backoffice.shared.db import Database
from backoffice.suite.processes import ManagedProcess, free_port, service_process, wait_ready
from backoffice.testing.databases import DatabaseFactory
from backoffice.testing.waiting import run_async

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


class StartedServices:
    """The services one test starts (the ``start_service`` fixture): each on a free port with a database of its own,
    on the test's NATS unless told otherwise; a gateway started first signs the tokens of those started after it."""

    def __init__(self, root: Path, nats_url: str, databases: DatabaseFactory):
        self.root = root
        self.nats_url = nats_url
        self.databases = databases
        self.started: list[RunningService] = []
        self.wiring: dict[str, str] = {"BACKOFFICE_ADMIN_TOKEN": new_operator_token()}

    def start(
        self,
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
                "BACKOFFICE_VAR_DIR": str(self.root / "var"),
                "BACKOFFICE_NATS_URL": nats_url or self.nats_url,
                f"BACKOFFICE_{upper}_PORT": str(port),
                f"BACKOFFICE_{upper}_DATABASE_URL": database_url or self.databases.new_url(name),
                "BACKOFFICE_LOG_JSON": "true",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if name == "gateway":
            full_env.setdefault("BACKOFFICE_GATEWAY_RATE_LIMITS", TEST_RATE_LIMITS)
        full_env.update(self.wiring)  # a gateway started earlier in the test signs the tokens
        full_env.update(env or {})
        proc = service_process(name, full_env, self.root / "logs" / f"{name}-{port}.log")
        proc.start()
        service = RunningService(name, f"http://127.0.0.1:{port}", port, full_env, proc)
        self.started.append(service)
        if wait:
            wait_ready(service.url, 60, proc)
        if name == "gateway":
            self.wiring["BACKOFFICE_JWKS_URL"] = f"{service.url}/.well-known/jwks.json"
        return service

    def stop_all(self) -> None:
        for service in self.started:
            service.stop()


def check_service_basics(service: RunningService, stream: str, metrics_headers: dict[str, str] | None = None) -> None:
    """What every service must do once started: health, metrics, problem+json, its stream, its tables.
    ``metrics_headers``: what a scraper sends to read ``/metrics`` (the gateway's need its scrape token)."""
    live = httpx.get(f"{service.url}/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
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

        nc = await nats.connect(service.env["BACKOFFICE_NATS_URL"].split(","))  # one server or a cluster's list
        try:
            info = await nc.jetstream().stream_info(stream)
            return list(info.config.subjects or [])
        finally:
            await nc.close()

    assert run_async(stream_subjects()) == [f"{service.name}.>"]

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

    names, version = run_async(tables())
    assert {"outbox", "inbox", "dead_letters", "idempotency_keys", "alembic_version"} <= names
    assert version is not None

    code = service.stop()
    assert code in (0, -15), f"{service.name} exited with {code} on SIGTERM:\n{service.proc.tail()}"
    assert f"{service.name} stopped" in service.proc.log_path.read_text()
