"""Fresh databases for a test: SQLite files, or PostgreSQL databases when ``BACKOFFICE_TEST_DATABASE_URL`` is set."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from backoffice.testing.waiting import run_async
from sqlalchemy.engine import make_url

TEST_DB_ENV = "BACKOFFICE_TEST_DATABASE_URL"


async def pg_admin(url: str, statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) on the server of ``url``, in its ``postgres`` database."""
    import asyncpg

    admin = make_url(url).set(drivername="postgresql", database="postgres")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


class DatabaseFactory:
    """Makes fresh databases for one test and removes them afterwards."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.base = os.environ.get(TEST_DB_ENV, "")
        self.created: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return bool(self.base) and make_url(self.base).get_backend_name() == "postgresql"

    def new_url(self, label: str = "db") -> str:
        if not self.is_postgres:
            path = self.tmp / f"{label}-{uuid.uuid4().hex[:8]}.db"
            return f"sqlite+aiosqlite:///{path}"
        name = f"bo_test_{label}_{uuid.uuid4().hex[:10]}"
        run_async(pg_admin(self.base, f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return (
            make_url(self.base)
            .set(drivername="postgresql+asyncpg", database=name)
            .render_as_string(hide_password=False)
        )

    def cleanup(self) -> None:
        for name in self.created:
            with contextlib.suppress(Exception):
                run_async(pg_admin(self.base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
