"""Build and run a service: the FastAPI app, its lifespan (database, migrations, NATS, stream,
outbox relay, consumers) and the ``python -m backoffice.<service>`` entry point."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backoffice.shared.actors import ActorBook, actors_metadata
from backoffice.shared.auth import JwksCache, TokenVerifier
from backoffice.shared.bus import (
    DLQ_STREAM,
    DLQ_SUBJECTS,
    ConsumerRunner,
    EventBus,
    EventHandler,
    NatsUnreachableError,
    OutboxRelay,
    StreamRefusedError,
    bus_metadata,
)
from backoffice.shared.bus.connection import STORAGE_EXHAUSTED
from backoffice.shared.bus.dlq import dead_letter_router
from backoffice.shared.bus.inbox_pruning import InboxPruner
from backoffice.shared.db import Database, DatabaseUnreachableError
from backoffice.shared.errors import UnexpectedErrorGuard, install_problem_handlers
from backoffice.shared.guards import NulGuardMiddleware
from backoffice.shared.idempotency import IdempotencyMiddleware
from backoffice.shared.migrations import current_revision, head_revision, upgrade
from backoffice.shared.observability import RequestContextMiddleware, configure_logging, health_router
from backoffice.shared.openapi import describe_problems
from backoffice.shared.settings import ServiceSettings, load_settings
from fastapi import APIRouter, FastAPI
from sqlalchemy import MetaData

log = logging.getLogger("backoffice.service")


class StartupRefusedError(Exception):
    """A service's settings disagree with its data (e.g. an account that is not in the chart): the message is the
    one line the operator reads, without the service's name (``main`` adds it)."""


HandlersFactory = Callable[[Any], Sequence[EventHandler]]


@dataclass
class ServiceSpec:
    """What makes one service: its settings, routes, event handlers, tables and migrations."""

    settings_cls: type[ServiceSettings]
    title: str
    description: str
    migrations_dir: Path
    routers: Sequence[APIRouter] = ()
    # The event handlers of each domain: every domain's ``handlers.py`` exports ``handlers(settings)`` returning
    # its list, and the service lists those functions here (built when the app is created).
    handler_factories: Sequence[HandlersFactory] = ()
    metadata: Sequence[MetaData] = field(default_factory=lambda: [bus_metadata])
    # Extra start/stop work of a service (after the bus is up / before it goes down).
    on_startup: Callable[[FastAPI], Awaitable[None]] | None = None
    on_shutdown: Callable[[FastAPI], Awaitable[None]] | None = None
    # Checks of the settings against the migrated database, before anything is served; raise StartupRefusedError.
    check_database: Callable[[ServiceSettings, Database], Awaitable[None]] | None = None
    # Wraps the FastAPI app in outer ASGI layers when served (the gateway's proxy).
    asgi_wrapper: Callable[[FastAPI], Any] | None = None
    # POST paths whose responses must never be stored (they carry secrets such as tokens).
    idempotency_exempt: Sequence[str] = ()
    openapi_url: str | None = "/openapi.json"
    docs_url: str | None = "/docs"

    @property
    def name(self) -> str:
        return self.settings_cls.service_name

    def event_handlers(self, settings: ServiceSettings) -> list[EventHandler]:
        """The consumers this service runs with ``settings``: every domain's, in the order the domains are listed."""
        return [handler for factory in self.handler_factories for handler in factory(settings)]

    def stream_subjects(self) -> list[str]:
        return [f"{self.name}.>"]


def _announce(message: str) -> None:
    log.warning(message)


def make_database(settings: ServiceSettings) -> Database:
    """The service's database, as its settings describe it (logged without its password)."""
    db = Database(
        settings.effective_database_url, pool_size=settings.db_pool_size, busy_timeout_ms=settings.db_busy_timeout_ms
    )
    log.info("database %s", db.safe_url)
    return db


async def ensure_streams(bus: EventBus, spec: ServiceSpec, settings: ServiceSettings) -> None:
    """Create or update the service's stream and the DLQ stream with the limits of the settings."""
    await bus.ensure_stream(
        spec.settings_cls.stream_name,
        spec.stream_subjects(),
        duplicate_window_s=settings.stream_duplicate_window_s,
        replicas=settings.stream_replicas,
        max_age_s=settings.stream_max_age_s,
        max_bytes=settings.stream_max_bytes,
    )
    await bus.ensure_stream(
        DLQ_STREAM,
        DLQ_SUBJECTS,
        duplicate_window_s=settings.stream_duplicate_window_s,
        replicas=settings.stream_replicas,
        max_age_s=settings.dlq_max_age_s,
        max_bytes=settings.dlq_max_bytes,
    )


def describe_stream_refusal(spec: ServiceSpec, exc: StreamRefusedError) -> str:
    """The one line a service prints when NATS refuses its streams, with what to change."""
    if exc.err_code == STORAGE_EXHAUSTED:
        own = spec.settings_cls.env_name("stream_max_bytes")
        return (
            f"{spec.name}: {exc}: each stream reserves its max bytes in JetStream's storage; lower {own} (or "
            "BACKOFFICE_STREAM_MAX_BYTES) and BACKOFFICE_DLQ_MAX_BYTES, or give the NATS server more (max_file_store)"
        )
    if exc.replicas > 1:
        return (
            f"{spec.name}: {exc}, asked for {exc.replicas} replicas: set BACKOFFICE_STREAM_REPLICAS to at most the "
            "number of JetStream servers in the NATS cluster (1 for a single server)"
        )
    return f"{spec.name}: {exc}; check the BACKOFFICE_STREAM_* and BACKOFFICE_DLQ_* settings"


def migrations_dir_of(spec: ServiceSpec, settings: ServiceSettings) -> Path:
    """Where the service's migrations are: the settings' folder if set, else the spec's."""
    return settings.migrations_dir or spec.migrations_dir


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    """The service's ASGI app; the lifespan connects everything and starts the background work."""
    settings = settings or load_settings(spec.settings_cls)
    assert settings is not None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = make_database(settings)
        bus = EventBus(settings.nats_url, name=f"{spec.name}-svc")
        app.state.db = db
        app.state.bus = bus
        await db.wait_until_reachable(settings.db_connect_timeout_s, announce=_announce)
        if settings.run_migrations_at_start:
            await upgrade(db, migrations_dir_of(spec, settings))
        if spec.check_database is not None:
            await spec.check_database(settings, db)
        await bus.connect(settings.nats_connect_timeout_s, announce=_announce)
        await ensure_streams(bus, spec, settings)
        relay = OutboxRelay(
            db,
            bus,
            service=spec.name,
            sweep_interval_s=settings.outbox_sweep_interval_s,
            batch_size=settings.outbox_batch_size,
        )
        relay.start()
        app.state.relay = relay
        pruner = InboxPruner(
            db, service=spec.name, retention_s=settings.inbox_retention_s, interval_s=settings.inbox_prune_interval_s
        )
        pruner.start()
        runners = [
            ConsumerRunner(
                db,
                bus,
                handler,
                service=spec.name,
                max_deliver=settings.consumer_max_deliver,
                ack_wait_s=settings.consumer_ack_wait_s,
                backoff_base_s=settings.consumer_backoff_base_s,
                batch_size=settings.consumer_batch_size,
            )
            for handler in app.state.handlers
        ]
        for runner in runners:
            runner.start()
        app.state.consumers = runners
        if spec.on_startup is not None:
            await spec.on_startup(app)
        log.info("%s ready on %s:%s", spec.name, settings.host, settings.effective_port)
        try:
            yield
        finally:
            if spec.on_shutdown is not None:
                try:
                    await spec.on_shutdown(app)
                except Exception:
                    log.exception("shutdown hook failed")
            await asyncio.gather(*(r.stop() for r in runners), return_exceptions=True)
            await pruner.stop()
            await relay.stop(flush=True)
            await bus.close()
            await db.dispose()
            log.info("%s stopped", spec.name)

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=spec.openapi_url,
        docs_url=spec.docs_url,
        redoc_url=None,
    )
    app.state.settings = settings
    # Tokens are checked with the gateway's published keys (the gateway replaces this with its own).
    app.state.token_verifier = TokenVerifier(
        JwksCache(settings.jwks_url).key_for, max_lifetime_s=settings.access_token_ttl_s
    )
    # Services that keep an ``actors`` table record each writing caller's name (backoffice.shared.actors).
    app.state.actor_book = ActorBook() if any(m is actors_metadata for m in spec.metadata) else None
    app.state.handlers = spec.event_handlers(settings)
    install_problem_handlers(app)
    describe_problems(app)
    app.add_middleware(IdempotencyMiddleware, state=app.state, exempt=tuple(spec.idempotency_exempt))
    app.add_middleware(NulGuardMiddleware)
    app.add_middleware(UnexpectedErrorGuard)  # inside the request context: its answers carry the request id
    app.add_middleware(RequestContextMiddleware, service=spec.name)

    async def db_check() -> None:
        await app.state.db.ping()

    async def nats_check() -> None:
        await app.state.bus.ping()

    app.include_router(health_router({"database": db_check, "nats": nats_check}))
    app.include_router(dead_letter_router())
    for router in spec.routers:
        app.include_router(router)
    return app


async def _preflight(
    spec: ServiceSpec, settings: ServiceSettings, *, migrate: bool, check_nats: bool, check_data: bool
) -> None:
    db = make_database(settings)
    try:
        await db.wait_until_reachable(settings.db_connect_timeout_s, announce=_announce)
        if migrate:
            await upgrade(db, migrations_dir_of(spec, settings))
        else:
            await _refuse_unmigrated(db, spec, settings)
        if check_data and spec.check_database is not None:
            await spec.check_database(settings, db)
    finally:
        await db.dispose()
    if check_nats:
        bus = EventBus(settings.nats_url, name=f"{spec.name}-preflight")
        try:
            await bus.connect(settings.nats_connect_timeout_s, announce=_announce)
            await ensure_streams(bus, spec, settings)  # a refused stream stops the service here, in one line
        finally:
            await bus.close()


async def _refuse_unmigrated(db: Database, spec: ServiceSpec, settings: ServiceSettings) -> None:
    """With migrations left to a job, a database behind the code stops the service before it serves."""
    have, need = await current_revision(db), head_revision(migrations_dir_of(spec, settings))
    if have != need:
        raise StartupRefusedError(
            f"the database is at migration {have or 'none'}, this version needs {need}: run "
            f"`python -m backoffice.{spec.name} migrate` (the migration job) first, or set "
            f"{spec.settings_cls.variable('run_migrations_at_start')}=true"
        )


def main(spec: ServiceSpec, argv: Sequence[str] | None = None) -> None:
    """``python -m backoffice.<service> [serve|migrate]``."""
    parser = argparse.ArgumentParser(
        prog=f"python -m backoffice.{spec.name}",
        description=f"{spec.title}. Settings come from BACKOFFICE_{spec.name.upper()}_* and BACKOFFICE_* "
        "environment variables (see docs/CONFIGURATION.md).",
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate"],
        help="serve: migrate (unless BACKOFFICE_RUN_MIGRATIONS_AT_START=false), then serve HTTP and consume events "
        "(default); migrate: only migrate",
    )
    args = parser.parse_args(argv)
    settings = load_settings(spec.settings_cls)
    configure_logging(spec.name, settings.log_level, settings.log_json)
    try:
        serving = args.command == "serve"
        migrate = not serving or settings.run_migrations_at_start
        asyncio.run(_preflight(spec, settings, migrate=migrate, check_nats=serving, check_data=serving))
    except (DatabaseUnreachableError, NatsUnreachableError) as exc:
        # Exit 3: the orchestrator restarts the service by its policy; the line says which setting to check.
        setting = (
            spec.settings_cls.env_name("database_url")
            if isinstance(exc, DatabaseUnreachableError)
            else spec.settings_cls.variable("nats_url")
        )
        print(f"{spec.name}: {exc}; check {setting}", file=sys.stderr)
        raise SystemExit(3) from None
    except StreamRefusedError as exc:
        raise SystemExit(describe_stream_refusal(spec, exc)) from None
    except StartupRefusedError as exc:
        raise SystemExit(f"{spec.name}: {exc}") from None
    if args.command == "migrate":
        print(f"{spec.name}: database is at the latest migration", file=sys.stderr)
        return
    import uvicorn

    app = create_app(spec, settings)
    asgi = spec.asgi_wrapper(app) if spec.asgi_wrapper else app
    config: dict[str, Any] = {
        "host": settings.host,
        "port": settings.effective_port,
        "log_config": None,
        "timeout_graceful_shutdown": 10,
        "access_log": False,
        # The client address is the socket's unless a trusted load balancer says otherwise.
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or None,
    }
    uvicorn.run(asgi, **config)
