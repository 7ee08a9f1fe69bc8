"""The gateway's application: identity, keys, proxy, health and the merged API description."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from backoffice.gateway import asgi
from backoffice.gateway.console import router as console_router
from backoffice.gateway.database import Base
from backoffice.gateway.identity import handlers as identity_handlers
from backoffice.gateway.identity import provisioning
from backoffice.gateway.identity.console_session import router as console_session_router
from backoffice.gateway.identity.disabled import DisabledLogins
from backoffice.gateway.identity.routes import router as identity_router
from backoffice.gateway.keys.routes import router as keys_router
from backoffice.gateway.keys.service import KeyRing
from backoffice.gateway.limits import LoginGuard, RequestLimiter, make_storage
from backoffice.gateway.proxy.aggregate import router as aggregate_router
from backoffice.gateway.proxy.breaker import CircuitBreaker
from backoffice.gateway.proxy.forward import Proxy, Upstream
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.auth import TokenVerifier
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

log = logging.getLogger("backoffice.gateway")
DUE_CHECK_INTERVAL_S = 30.0  # how often logins whose disable date has come are disabled

# Beside src/ in the workspace; inside the package when it is installed from a wheel (the images).
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATIONS_DIR = (
    _PACKAGED_MIGRATIONS if _PACKAGED_MIGRATIONS.is_dir() else Path(__file__).resolve().parents[3] / "migrations"
)

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [Base.metadata, bus_metadata]


async def _disable_due_logins(app: FastAPI) -> None:
    """Logins whose termination date has come stop working, even without a new event; the proxy learns which
    logins are disabled (by this gateway or another replica) and refuses their tokens."""
    settings: GatewaySettings = app.state.settings
    disabled: DisabledLogins = app.state.disabled_logins
    since_due_check = float("inf")
    while True:
        try:
            if since_due_check >= DUE_CHECK_INTERVAL_S:
                since_due_check = 0.0
                async with app.state.db.session(write=True) as session:
                    await provisioning.disable_due_users(session)
            await disabled.refresh()
        except Exception as exc:
            log.warning("could not disable due logins: %s", exc)
        await asyncio.sleep(settings.disabled_logins_refresh_s)
        since_due_check += settings.disabled_logins_refresh_s


async def on_startup(app: FastAPI) -> None:
    settings: GatewaySettings = app.state.settings
    keyring = KeyRing(
        app.state.db,
        secret=settings.signing_key_secret.get_secret_value(),
        access_token_ttl_s=settings.access_token_ttl_s,
        max_age_days=settings.signing_key_max_age_days,
    )
    await keyring.ensure_current()
    app.state.keyring = keyring
    verifier = TokenVerifier(keyring.public_key_for, max_lifetime_s=settings.access_token_ttl_s)
    app.state.token_verifier = verifier
    storage = make_storage(settings.rate_limit_storage, settings.rate_limit_key_prefix)
    app.state.login_guard = LoginGuard(
        storage,
        settings.login_failures_per_account_address,
        settings.login_failures_per_account,
        settings.login_failures_per_address,
        settings.login_known_address_days,
    )
    # One limiter for /api/* (the proxy) and /auth/* (the identity routes), with the rules of RATE_LIMITS.
    app.state.request_limiter = RequestLimiter(storage, settings.rate_limits)
    upstreams = {
        name: Upstream.create(
            name,
            url,
            max_connections=settings.upstream_max_connections,
            connect_timeout_s=settings.upstream_connect_timeout_s,
            read_timeout_s=settings.upstream_read_timeout_s,
            breaker=CircuitBreaker(
                name, failure_threshold=settings.breaker_failure_threshold, reset_s=settings.breaker_reset_s
            ),
        )
        for name, url in settings.upstreams().items()
    }
    app.state.upstreams = upstreams
    app.state.disabled_logins = DisabledLogins(app.state.db)
    await app.state.disabled_logins.refresh()
    app.state.proxy = Proxy(upstreams, verifier, app.state.request_limiter, app.state.disabled_logins.check)
    app.state.gateway_tasks = [
        asyncio.create_task(keyring.refresh_periodically(), name="gateway-keys"),
        asyncio.create_task(_disable_due_logins(app), name="gateway-disable-logins"),
    ]


async def on_shutdown(app: FastAPI) -> None:
    for task in getattr(app.state, "gateway_tasks", []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    for upstream in getattr(app.state, "upstreams", {}).values():
        await upstream.close()


SPEC = ServiceSpec(
    settings_cls=GatewaySettings,
    title="Backoffice gateway",
    description="Identity, tokens, routing and limits: the one HTTP entry for front-end apps.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[identity_router, console_session_router, keys_router, aggregate_router, console_router],
    handler_factories=[identity_handlers.handlers],
    metadata=TARGET_METADATA,
    on_startup=on_startup,
    on_shutdown=on_shutdown,
    asgi_wrapper=asgi.wrap,
    idempotency_exempt=("/auth/",),  # their answers carry tokens, which are never stored
    openapi_url="/openapi/gateway.json",
    docs_url=None,
)


def build_app(settings: GatewaySettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
