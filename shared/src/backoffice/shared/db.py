"""Async database access for SQLite (embedded mode) and PostgreSQL (production).

SQLite runs in WAL mode with a busy timeout; a write session starts with ``BEGIN IMMEDIATE`` so two
writers queue for the lock at the start instead of failing half-way with "database is locked".
Writers of one process take turns in arrival order (``WriteTurns``) before that ``BEGIN``.
Read sessions start with a deferred ``BEGIN`` and never block writers.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from backoffice.shared.errors import NotFound
from fastapi import Depends, Request
from sqlalchemy import DateTime, String, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import await_
from sqlalchemy.util.concurrency import in_greenlet

log = logging.getLogger("backoffice.db")

_BEGIN_OPTION = "backoffice_sqlite_begin"
_TURN = "backoffice_write_turn"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite stores no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_sqlite(url: str | URL) -> bool:
    """Whether ``url`` is a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


class Created:
    """Mixin: when a row was created and by which login (``None`` for the service's own work)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))


class Updated:
    """Mixin: when a row last changed and by which login (``None`` for the service's own work)."""

    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class Audited(Created, Updated):
    """Mixin: the four audit columns (``created_at/by``, ``updated_at/by``)."""


M = TypeVar("M")


async def get_or_404(
    session: AsyncSession,
    model: type[M],
    key: object,
    *,
    what: str | None = None,
    problem: Exception | None = None,
    lock: bool = False,
    options: Sequence[Any] = (),
) -> M:
    """The row of ``model`` with primary key ``key``, or a 404 naming it (``what``; by default the class name in
    words: ``PaymentRun`` is "payment run"). ``problem`` replaces the 404 where a missing row is the caller's error
    of another kind (a 422 for an id given in a body); ``lock`` takes the row ``FOR UPDATE`` on PostgreSQL."""
    row = await session.get(model, key, with_for_update=lock or None, options=options)
    if row is not None:
        return row
    if problem is not None:
        raise problem
    raise NotFound(what or re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower(), key)


class WriteTurns:
    """On SQLite, the write transactions of one process wait for their turn in arrival order.

    SQLite admits one writer at a time; the others retry ``BEGIN IMMEDIATE`` after growing sleeps (up to
    100 ms) until the busy timeout. Under load a newcomer often gets in ahead of a writer that has waited
    for seconds, until that one fails with "database is locked" (measured by bench/pipeline.py: HR answered
    500s at 90 writes/s). Here a write transaction first waits on an asyncio lock, taken just before its
    ``BEGIN IMMEDIATE`` (its first statement) and given back when it commits or rolls back, so writers of
    the process queue fairly and only other processes (migrations, commands) meet SQLite's busy timeout.
    A second write transaction of the task holding the turn, or a wait longer than the busy timeout, goes
    straight to SQLite as before: the lock only orders writers, SQLite's own lock still guards the file.
    """

    def __init__(self, timeout_s: float):
        self.timeout_s = timeout_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    async def _acquire(self) -> bool:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a Database used from another event loop (tests): a lock of its own
            self._loop, self._lock, self._owner = loop, asyncio.Lock(), None
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            return False
        try:
            await asyncio.wait_for(self._lock.acquire(), self.timeout_s)
        except TimeoutError:
            return False
        self._owner = task
        return True

    def acquire(self, conn: Any) -> None:
        """Called in the ``begin`` event (inside SQLAlchemy's greenlet), before ``BEGIN IMMEDIATE``."""
        if in_greenlet() and await_(self._acquire()):
            conn.info[_TURN] = True

    def release(self, conn: Any) -> None:
        """Called when the transaction commits or rolls back (at most once per turn)."""
        if conn.info.pop(_TURN, False):
            self._owner = None
            self._lock.release()


def _install_sqlite_pragmas(engine: AsyncEngine, busy_timeout_ms: int, turns: WriteTurns) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN (below) start transactions instead of the driver's implicit ones.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        if mode != "IMMEDIATE":
            conn.exec_driver_sql(f"BEGIN {mode}")
            return
        turns.acquire(conn)
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turns.release(conn)
            raise

    @event.listens_for(sync_engine, "commit")
    def _on_commit(conn: Any) -> None:
        turns.release(conn)

    @event.listens_for(sync_engine, "rollback")
    def _on_rollback(conn: Any) -> None:
        turns.release(conn)


class Database:
    """One service's database: an engine and session factories for reads and writes."""

    def __init__(self, url: str, *, pool_size: int = 10, busy_timeout_ms: int = 5000, echo: bool = False):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            database = self.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000}
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, pool_recycle=1800)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        self.write_turns = WriteTurns(busy_timeout_ms / 1000)
        if self.is_sqlite:
            _install_sqlite_pragmas(self.engine, busy_timeout_ms, self.write_turns)
            write_engine = self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        else:
            write_engine = self.engine
        self.read_sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(write_engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose transaction is committed on success and rolled back on error."""
        maker = self.write_sessions if write else self.read_sessions
        async with maker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def wait_until_reachable(self, timeout_s: float, *, announce: Any = None) -> None:
        """Wait for the database to answer, saying so once, instead of failing with a traceback."""
        deadline = time.monotonic() + timeout_s
        said = False
        while True:
            try:
                await self.ping()
                if said and announce:
                    announce(f"database {self.safe_url} is reachable")
                return
            except Exception as exc:
                if time.monotonic() >= deadline:
                    raise DatabaseUnreachableError(
                        f"database {self.safe_url} unreachable after {timeout_s:.0f}s: {exc}"
                    ) from None
                if not said and announce:
                    announce(f"waiting for database {self.safe_url} ({type(exc).__name__}: {exc})")
                    said = True
                await asyncio.sleep(0.5)

    @property
    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    async def dispose(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn


class DatabaseUnreachableError(RuntimeError):
    """The database did not answer within the start-up timeout."""


async def _session_dependency(request: Request) -> AsyncIterator[AsyncSession]:
    db: Database = request.app.state.db
    # GET and HEAD read; everything else takes the write lock up front on SQLite.
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    async with db.session(write=write) as session:
        if write:
            session.info[REQUEST_INFO] = request
        yield session
        if write:
            await _record_caller(session)
        await _mark_idempotency_key(request, session)
    if write:
        _remember_caller(session)


# A write session's request, so its caller can be recorded as an actor (backoffice.shared.actors).
REQUEST_INFO = "backoffice.request"


async def _record_caller(session: AsyncSession) -> None:
    from backoffice.shared.actors import record_caller

    await record_caller(session)


def _remember_caller(session: AsyncSession) -> None:
    from backoffice.shared.actors import remember_caller

    remember_caller(session)


async def _mark_idempotency_key(request: Request, session: AsyncSession) -> None:
    """A POST with an Idempotency-Key: its key is marked in the transaction that stores its changes."""
    from backoffice.shared.idempotency import STATE_KEY, mark_done

    key = request.scope.get("state", {}).get(STATE_KEY)
    if key is not None:
        await mark_done(session, key)


async def _write_session_dependency(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.db.session(write=True) as session:
        session.info[REQUEST_INFO] = request
        yield session
        await _record_caller(session)
        await _mark_idempotency_key(request, session)
    _remember_caller(session)


# scope="function": the commit happens before the response is sent, so a 2xx means "stored".
SessionDep = Annotated[AsyncSession, Depends(_session_dependency, scope="function")]
# For a read that also records something (an audited download): the write lock from the start, since on SQLite a
# read transaction cannot become a write one once another writer has committed.
WriteSessionDep = Annotated[AsyncSession, Depends(_write_session_dependency, scope="function")]


async def flush_or_conflict(session: AsyncSession, detail: str, slug: str = "conflict") -> None:
    """Flushes in a savepoint; a unique constraint the flush breaks (a name taken, a concurrent insert) becomes a
    409 problem naming ``detail``, and the rest of the transaction stays usable."""
    from backoffice.shared.errors import Problem
    from sqlalchemy.exc import IntegrityError

    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Problem(409, detail, slug=slug) from None
