"""The gateway service's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [bus_metadata]

SPEC = ServiceSpec(
    settings_cls=GatewaySettings,
    title="Backoffice gateway",
    description="Identity, tokens, routing and limits: the one HTTP entry for front-end apps.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[],
    handlers=[],
    metadata=TARGET_METADATA,
)


def build_app(settings: GatewaySettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
