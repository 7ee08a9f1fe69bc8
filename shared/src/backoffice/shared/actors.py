"""Who acted: the people behind the login ids that records keep (``approved_by``, ``decided_by``, ...).

Records name an actor by login (user) id, which only the gateway can turn into a person. Every access token
carries the person's employee id and display name, so each service keeps its own ``actors`` table from the
tokens it verifies: a write request records its caller (in the transaction that stores the change, so a record
never names an actor the table lacks), at most once per process while the caller's name and employee id stay
the same. Read schemas then carry, beside each ``<x>_by`` id, an ``<x>_by_actor`` object (:class:`Actor`) that
:func:`name_actors` fills with one query per response.
"""

from __future__ import annotations

import functools
import typing
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from backoffice.shared.auth import Principal
from backoffice.shared.db import REQUEST_INFO, UTCDateTime, utcnow
from pydantic import BaseModel, Field
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

actors_metadata = MetaData()

actors = Table(
    "actors",
    actors_metadata,
    Column("user_id", String(64), primary_key=True),
    Column("employee_id", String(64), nullable=True),
    Column("name", String(200), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

ACTOR_SUFFIX = "_actor"
RECORDED_INFO = "backoffice.actor_recorded"
T = TypeVar("T")
SYSTEM = "system"


class Actor(BaseModel):
    """A person (or the system) who did something to a record."""

    user_id: str = Field(description="the login id the record keeps")
    employee_id: str | None = Field(description="the employee they are (none for a login that is no employee)")
    name: str | None = Field(
        description="their display name; 'system' for work done by the services themselves (an event, a deadline); "
        "none for a login that has not acted in this service since names were recorded"
    )


def actor_field(id_field: str) -> Any:
    """The ``<x>_actor`` field beside a login id field ``<x>`` (``approved_by_actor``): filled by
    :func:`name_actors`."""
    return Field(
        default=None, description=f"who `{id_field}` is: their login id, employee id and name (null when it is null)"
    )


class ActorBook:
    """The callers this process has recorded, as recorded: a caller is written again only when their name or
    employee id changed (a rename, a new token), so recording costs nothing on most requests."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._known: OrderedDict[str, tuple[str | None, str | None]] = OrderedDict()

    def needs(self, principal: Principal) -> bool:
        return self._known.get(principal.user_id) != (principal.employee_id, principal.name)

    def remember(self, principal: Principal) -> None:
        self._known[principal.user_id] = (principal.employee_id, principal.name)
        self._known.move_to_end(principal.user_id)
        if len(self._known) > self.size:
            self._known.popitem(last=False)


async def record_actor(session: AsyncSession, principal: Principal) -> None:
    """Insert or update the caller's row (user id -> employee id, name) in the session's transaction."""
    dialect = session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    values = {"employee_id": principal.employee_id, "name": principal.name, "updated_at": utcnow()}
    statement = (
        insert_fn(actors)
        .values(user_id=principal.user_id, **values)
        .on_conflict_do_update(index_elements=[actors.c.user_id], set_=values)
    )
    await session.execute(statement)


async def record_caller(session: AsyncSession) -> None:
    """Record the verified caller of the write request ``session`` serves, unless this process knows them as they
    are. Called when the request's work is done (a wait for another request's upsert of the same row then holds
    no other lock) or earlier by :func:`name_actors`, so a response names the caller of its own write."""
    request = session.info.get(REQUEST_INFO)
    if request is None or RECORDED_INFO in session.info:
        return
    book: ActorBook | None = getattr(request.app.state, "actor_book", None)
    principal: Principal | None = getattr(request.state, "principal", None)
    if book is None or principal is None or not book.needs(principal):
        return
    await record_actor(session, principal)
    session.info[RECORDED_INFO] = principal


def remember_caller(session: AsyncSession) -> None:
    """Once committed, the caller recorded by ``session`` is known to this process until their name or employee
    id changes."""
    principal: Principal | None = session.info.pop(RECORDED_INFO, None)
    request = session.info.get(REQUEST_INFO)
    if principal is not None and request is not None:
        request.app.state.actor_book.remember(principal)


def _is_login_id(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


async def resolve_actors(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, Actor]:
    """The actors of ``user_ids``, in one query. A value that is no login id ("system", "event ...", a service's
    name) is the system; a login this service has not seen act is named by id only."""
    wanted = {u for u in user_ids if u}
    found: dict[str, Actor] = {}
    logins = sorted(u for u in wanted if _is_login_id(u))
    for start in range(0, len(logins), 500):  # stay far below every database's limit of bound parameters
        rows = await session.execute(
            select(actors.c.user_id, actors.c.employee_id, actors.c.name).where(
                actors.c.user_id.in_(logins[start : start + 500])
            )
        )
        for user_id, employee_id, name in rows:
            found[user_id] = Actor(user_id=user_id, employee_id=employee_id, name=name)
    for user_id in wanted - found.keys():
        name = None if _is_login_id(user_id) else SYSTEM
        found[user_id] = Actor(user_id=user_id, employee_id=None, name=name)
    return found


@functools.cache
def _actor_fields(schema: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(id field, actor field) pairs of a schema: ``approved_by`` and ``approved_by_actor``."""
    fields = schema.model_fields
    return tuple(
        (name[: -len(ACTOR_SUFFIX)], name)
        for name in fields
        if name.endswith(ACTOR_SUFFIX) and name[: -len(ACTOR_SUFFIX)] in fields
    )


def _schemas_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _schemas_in(argument)


@functools.cache
def _holds_actors(schema: type[BaseModel]) -> bool:
    """Whether a schema, or one it may hold, names actors (a register's 10,000 rows need not be looked at)."""
    seen: set[type[BaseModel]] = set()
    todo = [schema]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if _actor_fields(current):
            return True
        for info in current.model_fields.values():
            todo.extend(_schemas_in(info.annotation))
    return False


def _models(value: Any) -> Iterator[BaseModel]:
    """Every schema instance of a response that may name actors: the value, its fields, lists and dicts of them."""
    if isinstance(value, BaseModel):
        if not _holds_actors(type(value)):
            return
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _models(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)


async def name_actors(session: AsyncSession, response: T) -> T:
    """Fill every ``<x>_actor`` field of a response (a record, a page, nested records) from its ``<x>`` login
    id, with one query; returns the response."""
    await record_caller(session)  # a write names its own caller
    pending: list[tuple[BaseModel, str, str]] = []
    for model in _models(response):
        for id_field, actor_field_name in _actor_fields(type(model)):
            user_id = getattr(model, id_field)
            if isinstance(user_id, str) and user_id:
                pending.append((model, actor_field_name, user_id))
    if pending:
        known = await resolve_actors(session, (user_id for _m, _f, user_id in pending))
        for model, field_name, user_id in pending:
            setattr(model, field_name, known[user_id])
    return response
