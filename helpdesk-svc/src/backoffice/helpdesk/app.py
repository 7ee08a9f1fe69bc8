"""The helpdesk service's FastAPI application."""

from __future__ import annotations

import asyncio
from pathlib import Path

from backoffice.helpdesk.attachments import handlers as attachment_handlers
from backoffice.helpdesk.attachments import models as attachment_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.canned import models as canned_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.canned.routes import router as canned_router
from backoffice.helpdesk.changes import models as change_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.changes.routes import router as changes_router
from backoffice.helpdesk.database import Base
from backoffice.helpdesk.directory import handlers as directory_handlers
from backoffice.helpdesk.directory import models as directory_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.directory.routes import router as directory_router
from backoffice.helpdesk.equipment import models as equipment_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.equipment.routes import router as equipment_router
from backoffice.helpdesk.joiners import handlers as joiner_handlers
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.sla import models as sla_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.sla.routes import router as sla_router
from backoffice.helpdesk.switchboard import models as switchboard_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.switchboard.routes import router as switchboard_router
from backoffice.helpdesk.teams import models as team_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.teams.routes import router as teams_router
from backoffice.helpdesk.tickets import handlers as ticket_handlers
from backoffice.helpdesk.tickets import models as ticket_models  # noqa: F401 - tables for Alembic
from backoffice.helpdesk.tickets.routes import router as tickets_router
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


async def on_startup(app: FastAPI) -> None:
    app.state.sla_task = asyncio.create_task(ticket_handlers.check_breaches_forever(app))


async def on_shutdown(app: FastAPI) -> None:
    task = getattr(app.state, "sla_task", None)
    if task is not None:
        await ticket_handlers.stop(task)


SPEC = ServiceSpec(
    settings_cls=HelpdeskSettings,
    title="Backoffice IT helpdesk service",
    description="IT support tickets with SLAs, onboarding and offboarding, equipment, change requests, switchboard.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[
        tickets_router,
        canned_router,
        teams_router,
        sla_router,
        equipment_router,
        changes_router,
        directory_router,
        switchboard_router,
    ],
    handler_factories=[attachment_handlers.handlers, directory_handlers.handlers, joiner_handlers.handlers],
    on_startup=on_startup,
    on_shutdown=on_shutdown,
    metadata=TARGET_METADATA,
)


def build_app(settings: HelpdeskSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
