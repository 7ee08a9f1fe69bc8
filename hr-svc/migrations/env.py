"""Alembic environment of the hr service (the logic is shared by every service)."""

from backoffice.hr.app import TARGET_METADATA
from backoffice.shared.migrations import run_env

run_env(TARGET_METADATA)
