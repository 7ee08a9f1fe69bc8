"""The hr service's FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from backoffice.hr.categories import models as category_models  # noqa: F401 - tables for Alembic
from backoffice.hr.categories.routes import router as categories_router
from backoffice.hr.complaints import models as complaint_models  # noqa: F401 - tables for Alembic
from backoffice.hr.complaints.routes import router as complaints_router
from backoffice.hr.database import Base
from backoffice.hr.declared_sex import models as declared_sex_models  # noqa: F401 - tables for Alembic
from backoffice.hr.declared_sex.routes import router as declared_sex_router
from backoffice.hr.discipline import handlers as discipline_handlers
from backoffice.hr.discipline import models as discipline_models  # noqa: F401 - tables for Alembic
from backoffice.hr.discipline.routes import router as discipline_router
from backoffice.hr.employees import lifecycle
from backoffice.hr.employees import models as employee_models  # noqa: F401 - tables for Alembic
from backoffice.hr.employees.routes import router as employees_router
from backoffice.hr.hiring import models as hiring_models  # noqa: F401 - tables for Alembic
from backoffice.hr.hiring.routes import router as hiring_router
from backoffice.hr.onboarding import handlers as onboarding_handlers
from backoffice.hr.onboarding import models as onboarding_models  # noqa: F401 - tables for Alembic
from backoffice.hr.onboarding.routes import router as onboarding_router
from backoffice.hr.settings import HrSettings
from backoffice.hr.timesheets import handlers as timesheet_handlers
from backoffice.hr.timesheets import models as timesheet_models  # noqa: F401 - tables for Alembic
from backoffice.hr.timesheets.routes import router as timesheets_router
from backoffice.hr.training import handlers as training_handlers
from backoffice.hr.training import models as training_models  # noqa: F401 - tables for Alembic
from backoffice.hr.training.routes import router as training_router
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

# A hire gets its checklist and mandatory training, a leaver's are closed, in the hire's (termination's) transaction.
lifecycle.register(onboarding_handlers.LIFECYCLE, training_handlers.LIFECYCLE)


async def on_startup(app: FastAPI) -> None:
    app.state.hr_tasks = [asyncio.create_task(discipline_handlers.check_deadlines_forever(app))]


async def on_shutdown(app: FastAPI) -> None:
    for task in getattr(app.state, "hr_tasks", []):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


SPEC = ServiceSpec(
    settings_cls=HrSettings,
    title="Backoffice HR service",
    description="Employees, timesheets, hiring, training, complaints and progressive discipline.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[
        employees_router,
        timesheets_router,
        complaints_router,
        discipline_router,
        hiring_router,
        onboarding_router,
        training_router,
        declared_sex_router,
        categories_router,
    ],
    handler_factories=[discipline_handlers.handlers, timesheet_handlers.handlers, onboarding_handlers.handlers],
    on_startup=on_startup,
    on_shutdown=on_shutdown,
    metadata=TARGET_METADATA,
)


def build_app(settings: HrSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
