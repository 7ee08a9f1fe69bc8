"""Alembic environment of the payroll service (the logic is shared by every service)."""

from backoffice.payroll.app import TARGET_METADATA
from backoffice.shared.migrations import run_env

run_env(TARGET_METADATA)
