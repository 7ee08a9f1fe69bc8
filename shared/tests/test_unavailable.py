"""A database that cannot serve right now is a 503 problem+json with Retry-After (SQLite locked past its busy
timeout, PostgreSQL refusing connections), not a 500; the service answers again as soon as it can. Errors that are
not the database's stay 500."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from backoffice.shared.bus import bus_metadata
from backoffice.shared.db import Database, SessionDep
from backoffice.shared.errors import database_unavailable
from backoffice.shared.service import ServiceSpec, create_app
from backoffice.shared.settings import ServiceSettings
from backoffice.suite.processes import free_port
from fastapi import APIRouter
from sharedkit import create_test_tables, things
from sqlalchemy import insert, select, update


class SampleSettings(ServiceSettings):
    service_name: ClassVar[str] = "tests"
    stream_name: ClassVar[str] = "TESTS"


router = APIRouter()


@router.post("/things", status_code=201)
async def add(session: SessionDep) -> dict[str, str]:
    await session.execute(insert(things).values(name="a thing"))
    return {"status": "stored"}


@router.get("/things")
async def count(session: SessionDep) -> dict[str, int]:
    return {"things": len((await session.execute(select(things.c.id))).all())}


@router.get("/mail")
async def mail() -> None:
    raise ConnectionRefusedError(111, "the mail server refused the connection")  # not the database


@router.get("/file")
async def file() -> None:
    raise FileNotFoundError(2, "no such file", "/nowhere")


@router.get("/bug")
async def bug() -> None:
    raise RuntimeError("a bug of ours")


def client_for(db: Database, *, raise_app_exceptions: bool = True) -> httpx.AsyncClient:
    """The app in process. With ``raise_app_exceptions`` an error that escapes the app (which uvicorn would answer
    by closing the connection) fails the test."""
    spec = ServiceSpec(SampleSettings, "Sample", "sample", Path("unused"), routers=[router])
    app = create_app(spec, SampleSettings())
    app.state.db = db  # the lifespan (NATS, relay) is not needed here
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return httpx.AsyncClient(transport=transport, base_url="http://svc")


def assert_unavailable(response: httpx.Response, retry_after: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == retry_after
    body = response.json()
    assert body["type"] == "urn:backoffice:problem:database-unavailable"
    assert body["status"] == 503
    assert "try again" in body["detail"]


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}", busy_timeout_ms=200)
    async with db.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)  # idempotency keys
    await create_test_tables(db)
    yield db
    await db.dispose()


async def test_sqlite_locked_by_another_process_is_a_503_then_the_write_succeeds(
    sqlite_db: Database, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)  # another process's writer
    try:
        async with client_for(sqlite_db) as client:
            other.execute("BEGIN IMMEDIATE")
            assert_unavailable(await client.post("/things"), "1")
            # The Idempotency-Key is claimed in the database before the route runs: the same answer.
            assert_unavailable(await client.post("/things", headers={"Idempotency-Key": "k-1"}), "1")
            other.execute("ROLLBACK")
            kept = await client.post("/things", headers={"Idempotency-Key": "k-1"})  # the retry runs, once
            assert kept.status_code == 201, kept.text
            stored = await client.post("/things")
            assert stored.status_code == 201, stored.text
            assert (await client.get("/things")).json() == {"things": 2}
    finally:
        other.close()


async def test_postgresql_refusing_connections_is_a_503() -> None:
    db = Database(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nothing")  # nothing listens there
    try:
        async with client_for(db) as client:
            assert_unavailable(await client.get("/things"), "5")
            assert_unavailable(await client.post("/things"), "5")
            assert_unavailable(await client.post("/things", headers={"Idempotency-Key": "k-2"}), "5")
    finally:
        await db.dispose()


async def test_errors_that_are_not_the_database_stay_500(sqlite_db: Database) -> None:
    # Answered without the error escaping to the server, which would close the kept-alive connection (issue 16.18).
    async with client_for(sqlite_db, raise_app_exceptions=True) as client:
        for path in ("/mail", "/file", "/bug"):
            response = await client.get(path)
            assert response.status_code == 500, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert "retry-after" not in response.headers


def test_what_counts_as_the_database_being_unavailable() -> None:
    from sqlalchemy.exc import OperationalError, ProgrammingError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    locked = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
    assert database_unavailable(locked) == ("the database is busy", 1)
    assert database_unavailable(PoolTimeout("QueuePool limit of size 10 overflow 10 reached")) is not None
    no_table = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: things"))
    assert database_unavailable(no_table) is None  # a bug, not an outage
    assert database_unavailable(ProgrammingError("SELECT", {}, Exception("syntax error"))) is None
    assert database_unavailable(ValueError("nothing to do with it")) is None


async def test_a_deadlock_on_postgresql_is_a_503_to_retry(database: Database) -> None:
    if database.is_sqlite:
        pytest.skip("SQLite has one writer at a time: its transactions cannot deadlock")
    await create_test_tables(database)
    async with database.session() as session:
        await session.execute(insert(things), [{"name": "one"}, {"name": "two"}])
    first, second = Database(database.url.render_as_string(hide_password=False)), database
    errors: list[BaseException] = []

    async def cross(db: Database, mine: str, theirs: str, ready: asyncio.Event, go: asyncio.Event) -> None:
        try:
            async with db.session() as session:
                await session.execute(update(things).where(things.c.name == mine).values(name=mine))
                ready.set()
                await go.wait()
                await session.execute(update(things).where(things.c.name == theirs).values(name=theirs))
        except Exception as exc:
            errors.append(exc)

    try:
        ready = [asyncio.Event(), asyncio.Event()]
        both = asyncio.Event()
        tasks = [
            asyncio.create_task(cross(first, "one", "two", ready[0], both)),
            asyncio.create_task(cross(second, "two", "one", ready[1], both)),
        ]
        await asyncio.gather(*(r.wait() for r in ready))
        both.set()  # each now waits for the other's row: PostgreSQL breaks the deadlock by rolling one back
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
    finally:
        await first.dispose()
    assert len(errors) == 1, errors
    assert database_unavailable(errors[0]) == ("the change met a concurrent one and nothing was stored", 1)
