"""The payroll service's FastAPI application."""

from __future__ import annotations

from pathlib import Path

from backoffice.payroll.database import Base
from backoffice.payroll.hours import deferral_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.hours import handlers as hours_handlers
from backoffice.payroll.hours import models as hours_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.hours.routes import router as hours_router
from backoffice.payroll.ledger import models as ledger_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.ledger.accounts import posting_account_errors
from backoffice.payroll.ledger.routes import router as ledger_router
from backoffice.payroll.minimum import models as minimum_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.minimum.routes import router as minimum_router
from backoffice.payroll.paygap import handlers as paygap_handlers
from backoffice.payroll.paygap import models as paygap_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.paygap.routes import router as paygap_router
from backoffice.payroll.payments import models as payment_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.payments.routes import router as payments_router
from backoffice.payroll.payruns import models as payrun_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.payruns.overrides.routes import router as overrides_router
from backoffice.payroll.payruns.routes import router as payruns_router
from backoffice.payroll.profiles import handlers as profile_handlers
from backoffice.payroll.profiles import models as profile_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.profiles.routes import router as profiles_router
from backoffice.payroll.reports.routes import router as reports_router
from backoffice.payroll.rules import models as rule_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.rules.routes import router as rules_router
from backoffice.payroll.settings import PayrollSettings
from backoffice.payroll.suppliers import models as supplier_models  # noqa: F401 - tables for Alembic
from backoffice.payroll.suppliers.routes import router as suppliers_router
from backoffice.payroll.unpaidhours.routes import deferrals as deferrals_router
from backoffice.payroll.unpaidhours.routes import reports as unpaid_reports_router
from backoffice.shared.actors import actors_metadata
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database
from backoffice.shared.service import ServiceSpec, StartupRefusedError, create_app
from backoffice.shared.settings import ServiceSettings
from fastapi import FastAPI

# Beside src/ in the workspace; inside the package when it is installed from a wheel (the images).
_PACKAGED_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATIONS_DIR = (
    _PACKAGED_MIGRATIONS if _PACKAGED_MIGRATIONS.is_dir() else Path(__file__).resolve().parents[3] / "migrations"
)

# Tables of this service that Alembic manages, beside the bus tables.
TARGET_METADATA = [Base.metadata, bus_metadata, actors_metadata]


async def check_ledger_accounts(settings: ServiceSettings, db: Database) -> None:
    """Every automatic posting role names an account of the chart, of the type it needs (or the service stops)."""
    assert isinstance(settings, PayrollSettings)
    async with db.session(write=False) as session:
        errors = await posting_account_errors(session, settings.ledger_accounts)
    if errors:
        raise StartupRefusedError(
            f"{PayrollSettings.env_name('ledger_accounts')}: {'; '.join(errors)} "
            "(add the account with POST /accounts or name another one)"
        )


SPEC = ServiceSpec(
    settings_cls=PayrollSettings,
    title="Backoffice payroll and accounting service",
    description="Verifies hours, runs payroll, pays suppliers, keeps the ledger and reports.",
    migrations_dir=MIGRATIONS_DIR,
    routers=[
        profiles_router,
        hours_router,
        rules_router,
        payruns_router,
        minimum_router,
        overrides_router,
        suppliers_router,
        payments_router,
        ledger_router,
        reports_router,
        paygap_router,
        deferrals_router,
        unpaid_reports_router,
    ],
    handler_factories=[profile_handlers.handlers, hours_handlers.handlers, paygap_handlers.handlers],
    metadata=TARGET_METADATA,
    check_database=check_ledger_accounts,
)


def build_app(settings: PayrollSettings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
