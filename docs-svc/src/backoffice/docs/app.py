"""The docs service's FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from backoffice.docs.context import Context
from backoffice.docs.database import Base
from backoffice.docs.deliveries import models as delivery_models  # noqa: F401 - tables for Alembic
from backoffice.docs.deliveries.routes import router as deliveries_router
from backoffice.docs.deliveries.service import deliver_forever
from backoffice.docs.documents import handlers as document_handlers
from backoffice.docs.documents import models as document_models  # noqa: F401 - tables for Alembic
from backoffice.docs.documents.access import folders_holding
from backoffice.docs.documents.routes import router as documents_router
from backoffice.docs.documents.search import SEARCH_TABLE
from backoffice.docs.folders import models as folder_models  # noqa: F401 - tables for Alembic
from backoffice.docs.folders.routes import folders_router
from backoffice.docs.generated import handlers as generated_handlers
from backoffice.docs.generated import models as template_models  # noqa: F401 - tables for Alembic
from backoffice.docs.generated.routes import router as templates_router
from backoffice.docs.people import models as people_models  # noqa: F401 - tables for Alembic
from backoffice.docs.people.routes import router as people_router
from backoffice.docs.retention import models as retention_models  # noqa: F401 - tables for Alembic
from backoffice.docs.retention.routes import router as retention_router
from backoffice.docs.retention.service import apply_forever
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import storage_for
from backoffice.shared.actors import actors_metadata
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

# Beside src/ in the workspace; inside the package when it is installed from a wheel (the images).
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATIONS_DIR = (
    _PACKAGED_MIGRATIONS if _PACKAGED_MIGRATIONS.is_dir() else Path(__file__).resolve().parents[3] / "migrations"
)

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [Base.metadata, bus_metadata, actors_metadata]
# The search index is made by hand in the migrations (FTS5 on SQLite, tsvector on PostgreSQL).
UNMANAGED_TABLES = (SEARCH_TABLE,)


async def on_startup(app: FastAPI) -> None:
    settings: DocsSettings = app.state.settings
    app.state.storage = storage_for(settings)
    app.state.delivery_wake = asyncio.Event()
    ctx = Context(settings=settings, storage=app.state.storage)
    app.state.docs_tasks = [
        asyncio.create_task(deliver_forever(app.state.db, ctx, app.state.delivery_wake)),
        asyncio.create_task(apply_forever(app.state.db, ctx)),
    ]


async def on_shutdown(app: FastAPI) -> None:
    for task in getattr(app.state, "docs_tasks", []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    storage = getattr(app.state, "storage", None)
    if storage is not None:
        await storage.aclose()  # the S3 client's connections (the event handlers share this storage)


SPEC = ServiceSpec(
    settings_cls=DocsSettings,
    title="Backoffice documents service",
    description="Files, organises, searches, copies, generates and sends documents by e-mail and fax.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[
        documents_router,
        folders_router(folders_holding),
        deliveries_router,
        templates_router,
        retention_router,
        people_router,
    ],
    handler_factories=[document_handlers.handlers, generated_handlers.handlers],
    on_startup=on_startup,
    on_shutdown=on_shutdown,
    metadata=TARGET_METADATA,
)


def build_app(settings: DocsSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
