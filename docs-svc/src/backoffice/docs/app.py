"""The docs service's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from backoffice.docs.settings import DocsSettings
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [bus_metadata]

SPEC = ServiceSpec(
    settings_cls=DocsSettings,
    title="Backoffice documents service",
    description="Files, organises, searches, copies, generates and sends documents by e-mail and fax.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[],
    handlers=[],
    metadata=TARGET_METADATA,
)


def build_app(settings: DocsSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
