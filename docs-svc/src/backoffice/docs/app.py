"""The docs service's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from backoffice.docs.database import Base
from backoffice.docs.documents import models as document_models  # noqa: F401 - tables for Alembic
from backoffice.docs.documents.routes import router as documents_router
from backoffice.docs.documents.search import SEARCH_TABLE
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import LocalStorage
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [Base.metadata, bus_metadata]
# The search index is made by hand in the migrations (FTS5 on SQLite, tsvector on PostgreSQL).
UNMANAGED_TABLES = (SEARCH_TABLE,)


async def on_startup(app: FastAPI) -> None:
    settings: DocsSettings = app.state.settings
    app.state.storage = LocalStorage(settings.files_dir())


SPEC = ServiceSpec(
    settings_cls=DocsSettings,
    title="Backoffice documents service",
    description="Files, organises, searches, copies, generates and sends documents by e-mail and fax.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[documents_router],
    handlers=[],
    on_startup=on_startup,
    metadata=TARGET_METADATA,
)


def build_app(settings: DocsSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
