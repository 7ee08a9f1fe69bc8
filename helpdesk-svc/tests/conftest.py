from collections.abc import AsyncIterator

import pytest
from backoffice.helpdesk.database import Base
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A fresh helpdesk database (SQLite or PostgreSQL) with every table, for tests of the service layer."""
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()
