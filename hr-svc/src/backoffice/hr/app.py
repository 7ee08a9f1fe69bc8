"""The hr service's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from backoffice.hr.complaints import models as complaint_models  # noqa: F401 - tables for Alembic
from backoffice.hr.complaints.routes import router as complaints_router
from backoffice.hr.database import Base
from backoffice.hr.employees import models as employee_models  # noqa: F401 - tables for Alembic
from backoffice.hr.employees.routes import router as employees_router
from backoffice.hr.settings import HrSettings
from backoffice.hr.timesheets import models as timesheet_models  # noqa: F401 - tables for Alembic
from backoffice.hr.timesheets.handlers import HANDLERS as TIMESHEET_HANDLERS
from backoffice.hr.timesheets.routes import router as timesheets_router
from backoffice.shared.bus import bus_metadata
from backoffice.shared.service import ServiceSpec, create_app
from fastapi import FastAPI

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [Base.metadata, bus_metadata]

SPEC = ServiceSpec(
    settings_cls=HrSettings,
    title="Backoffice HR service",
    description="Employees, timesheets, hiring, training, complaints and progressive discipline.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[employees_router, timesheets_router, complaints_router],
    handlers=TIMESHEET_HANDLERS,
    metadata=TARGET_METADATA,
)


def build_app(settings: HrSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
