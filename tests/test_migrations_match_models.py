"""Each service's migrations build exactly the tables its models declare.

A model changed without a migration (a column made nullable by a mixin, a type narrowed, an index dropped) would
work in the tests, which build the tables from the migrations, and then differ from what the code expects on a
real database. Alembic compares the migrated database with the models here, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from backoffice.shared.db import Database
from backoffice.shared.migrations import upgrade
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

SERVICES = ["gateway", "hr", "payroll", "helpdesk", "docs"]
# Tables made by hand in the migrations, outside any model (full-text indexes).
UNMANAGED_PREFIXES = ("document_search", "documents_fts")


def _differences(connection: Connection, metadata: list[MetaData]) -> list[Any]:
    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table" and name is not None:
            return name != "alembic_version" and not name.startswith(UNMANAGED_PREFIXES)
        return True

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": include_name, "target_metadata": metadata}
    )
    # Alembic compares with several MetaData at once (as target_metadata takes them); its annotation names one.
    differences = compare_metadata(context, metadata)  # type: ignore[arg-type]
    return [diff for diff in differences if not _ignorable(diff)]


def _ignorable(diff: Any) -> bool:
    """Differences that are no drift: SQLite and PostgreSQL name or report some things their own way."""
    kind = diff[0] if isinstance(diff, tuple) else None
    # Indexes PostgreSQL makes for unique constraints, reported as removed when the model names the constraint.
    return kind in ("remove_index", "add_index") and getattr(diff[1], "unique", False)


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_build_the_tables_the_models_declare(service: str, database_url: str) -> None:
    app = importlib.import_module(f"backoffice.{service}.app")
    spec = app.SPEC
    db = Database(database_url)
    try:
        await upgrade(db, spec.migrations_dir)
        async with db.engine.connect() as conn:
            differences = await conn.run_sync(_differences, list(spec.metadata))
    finally:
        await db.dispose()
    assert differences == [], f"{service}: the models and the migrations differ: {differences}"
