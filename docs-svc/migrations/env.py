"""Alembic environment of the docs service (the logic is shared by every service)."""

from backoffice.docs.app import TARGET_METADATA, UNMANAGED_TABLES
from backoffice.shared.migrations import run_env

run_env(TARGET_METADATA, UNMANAGED_TABLES)
