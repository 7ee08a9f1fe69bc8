"""Who acted: the actors table recorded from verified callers, and responses that name them (both databases)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from backoffice.shared.actors import Actor, ActorBook, actor_field, actors, actors_metadata, name_actors, record_actor
from backoffice.shared.auth import Principal
from backoffice.shared.db import Database, SessionDep
from backoffice.shared.errors import Problem, install_problem_handlers
from backoffice.shared.ids import new_id
from backoffice.shared.paging import Page
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import func, select

CLERK_ID, HR_ID = new_id(), new_id()


def principal(user_id: str, name: str | None, employee_id: str | None = None) -> Principal:
    return Principal(user_id, frozenset({"payroll"}), employee_id, "t", datetime(2100, 1, 1, tzinfo=UTC), name)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(actors_metadata.create_all)
    yield database
    await database.dispose()


async def test_recording_a_caller_inserts_them_then_follows_their_name(db: Database) -> None:
    async with db.session() as session:
        await record_actor(session, principal(CLERK_ID, "Paula Payroll", "emp-7"))
    async with db.session() as session:
        await record_actor(session, principal(CLERK_ID, "Paula Jones", "emp-7"))  # renamed: a new token
    async with db.session(write=False) as session:
        rows = (await session.execute(select(actors.c.user_id, actors.c.employee_id, actors.c.name))).all()
    assert [tuple(r) for r in rows] == [(CLERK_ID, "emp-7", "Paula Jones")]


class Decision(BaseModel):
    decided_by: str | None
    decided_by_actor: Actor | None = actor_field("decided_by")


class Run(BaseModel):
    approved_by: str | None
    approved_by_actor: Actor | None = actor_field("approved_by")
    decisions: list[Decision]


class RunPage(Page[Run]):
    pass


async def test_a_response_names_every_actor_it_holds_nested_or_not(db: Database) -> None:
    async with db.session() as session:
        await record_actor(session, principal(CLERK_ID, "Paula Payroll", "emp-7"))
        await record_actor(session, principal(HR_ID, "Hanna Officer"))
    stranger = new_id()  # a login that has not acted here since names were recorded
    page = RunPage(
        items=[
            Run(
                approved_by=CLERK_ID,
                decisions=[
                    Decision(decided_by=HR_ID),
                    Decision(decided_by="event 0190"),
                    Decision(decided_by=None),
                    Decision(decided_by=stranger),
                ],
            )
        ],
        total=1,
        limit=50,
        offset=0,
    )
    async with db.session(write=False) as session:
        named = await name_actors(session, page)
    run = named.items[0]
    assert run.approved_by_actor == Actor(user_id=CLERK_ID, employee_id="emp-7", name="Paula Payroll")
    assert [d.decided_by_actor for d in run.decisions] == [
        Actor(user_id=HR_ID, employee_id=None, name="Hanna Officer"),
        Actor(user_id="event 0190", employee_id=None, name="system"),
        None,
        Actor(user_id=stranger, employee_id=None, name=None),
    ]
    body = named.model_dump(mode="json")["items"][0]
    assert body["approved_by"] == CLERK_ID  # the id stays, for clients that know it
    assert body["approved_by_actor"] == {"user_id": CLERK_ID, "employee_id": "emp-7", "name": "Paula Payroll"}


async def test_a_write_request_records_its_caller_once_and_a_failed_one_records_nothing(db: Database) -> None:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.db = db
    app.state.actor_book = ActorBook()
    callers = {"clerk": principal(CLERK_ID, "Paula Payroll", "emp-7"), "hr": principal(HR_ID, "Hanna Officer")}

    async def signed_in(request: Request) -> None:  # stands in for the token check, which sets the same state
        request.state.principal = callers[request.headers["x-who"]]

    @app.post("/things", dependencies=[Depends(signed_in)])
    async def make(session: SessionDep) -> dict[str, str]:
        return {"ok": "yes"}

    @app.post("/decisions", dependencies=[Depends(signed_in)])
    async def decide(request: Request, session: SessionDep) -> Decision:
        return await name_actors(session, Decision(decided_by=request.state.principal.user_id))

    @app.post("/refused", dependencies=[Depends(signed_in)])
    async def refuse(session: SessionDep) -> None:
        raise Problem(409, "no")

    @app.get("/things", dependencies=[Depends(signed_in)])
    async def read(session: SessionDep) -> dict[str, str]:
        return {"ok": "yes"}

    async def rows() -> list[tuple[str, str | None, str | None]]:
        async with db.session(write=False) as session:
            result = await session.execute(
                select(actors.c.user_id, actors.c.employee_id, actors.c.name).order_by(actors.c.name)
            )
            return [tuple(r) for r in result]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/things", headers={"x-who": "hr"})).status_code == 200
        assert (await client.post("/refused", headers={"x-who": "hr"})).status_code == 409
        assert await rows() == []  # a read and a refused write name no one
        assert app.state.actor_book.needs(callers["hr"])

        assert (await client.post("/things", headers={"x-who": "clerk"})).status_code == 200
        assert await rows() == [(CLERK_ID, "emp-7", "Paula Payroll")]
        assert not app.state.actor_book.needs(callers["clerk"])

        # Known and unchanged: not written again (the row's time stays); renamed: written again.
        async with db.session(write=False) as session:
            first = await session.scalar(select(actors.c.updated_at))
        assert (await client.post("/things", headers={"x-who": "clerk"})).status_code == 200
        async with db.session(write=False) as session:
            assert await session.scalar(select(actors.c.updated_at)) == first
        callers["clerk"] = principal(CLERK_ID, "Paula Jones", "emp-7")
        assert (await client.post("/things", headers={"x-who": "clerk"})).status_code == 200
        assert (await client.post("/things", headers={"x-who": "hr"})).status_code == 200
        assert await rows() == [(HR_ID, None, "Hanna Officer"), (CLERK_ID, "emp-7", "Paula Jones")]

        # A write's answer names its own caller, the first time they act too.
        callers["new"] = principal(new_id(), "Nora New", "emp-9")
        decided = await client.post("/decisions", headers={"x-who": "new"})
        assert decided.json()["decided_by_actor"] == {
            "user_id": callers["new"].user_id,
            "employee_id": "emp-9",
            "name": "Nora New",
        }
    async with db.session(write=False) as session:
        assert await session.scalar(select(func.count()).select_from(actors)) == 3
