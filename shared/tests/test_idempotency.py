"""Idempotency-Key: a retried POST gets the first response and creates nothing new."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from backoffice.shared.bus.tables import idempotency_keys
from backoffice.shared.db import Database, SessionDep, utcnow
from backoffice.shared.idempotency import CLAIM_LEASE, DONE
from backoffice.shared.service import ServiceSpec, create_app
from backoffice.shared.settings import ServiceSettings
from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from sharedkit import create_test_tables, things
from sqlalchemy import func, insert, select, update


class SampleSettings(ServiceSettings):
    service_name: ClassVar[str] = "tests"
    stream_name: ClassVar[str] = "TESTS"


class ThingCreate(BaseModel):
    name: str = Field(min_length=1, max_length=64)


router = APIRouter()
calls = {"n": 0}


@router.post("/things", status_code=201)
async def create_thing(body: ThingCreate, session: SessionDep, response: Response) -> dict[str, object]:
    calls["n"] += 1
    if body.name == "explode":
        raise RuntimeError("a bug on our side")
    result = await session.execute(insert(things).values(name=body.name).returning(things.c.id))
    thing_id = result.scalar_one()
    response.headers["Location"] = f"/things/{thing_id}"
    return {"id": thing_id, "name": body.name, "call": calls["n"]}


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    await create_test_tables(database)
    spec = ServiceSpec(SampleSettings, "Sample", "sample", Path("unused"), routers=[router])
    app = create_app(spec, SampleSettings())
    app.state.db = database
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        yield client


async def count_things(database: Database) -> int:
    async with database.session(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(things)) or 0)


async def test_a_retried_post_is_answered_from_the_first_response(
    client: httpx.AsyncClient, database: Database
) -> None:
    key = {"Idempotency-Key": "order-7f3a"}
    first = await client.post("/things", json={"name": "desk"}, headers=key)
    again = await client.post("/things", json={"name": "desk"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert await count_things(database) == 1

    other_key = await client.post("/things", json={"name": "desk"}, headers={"Idempotency-Key": "order-8b1c"})
    no_key = await client.post("/things", json={"name": "desk"})
    assert other_key.status_code == no_key.status_code == 201
    assert await count_things(database) == 3


async def test_the_same_key_with_another_body_is_refused(client: httpx.AsyncClient, database: Database) -> None:
    key = {"Idempotency-Key": "k-1"}
    assert (await client.post("/things", json={"name": "chair"}, headers=key)).status_code == 201
    reused = await client.post("/things", json={"name": "table"}, headers=key)
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert "different body" in reused.json()["detail"]
    assert await count_things(database) == 1


async def test_server_errors_are_not_kept_so_a_retry_runs_again(client: httpx.AsyncClient) -> None:
    key = {"Idempotency-Key": "k-2"}
    before = calls["n"]
    assert (await client.post("/things", json={"name": "explode"}, headers=key)).status_code == 500
    assert (await client.post("/things", json={"name": "explode"}, headers=key)).status_code == 500
    assert calls["n"] == before + 2
    invalid = await client.post("/things", json={"name": ""}, headers={"Idempotency-Key": "k-3"})
    replayed = await client.post("/things", json={"name": ""}, headers={"Idempotency-Key": "k-3"})
    assert invalid.status_code == replayed.status_code == 422
    assert replayed.headers["idempotent-replayed"] == "true"


async def test_bad_keys_are_refused(client: httpx.AsyncClient) -> None:
    too_long = await client.post("/things", json={"name": "x"}, headers={"Idempotency-Key": "k" * 201})
    assert too_long.status_code == 400
    assert "1 to 200" in too_long.json()["detail"]


async def test_a_key_left_running_by_a_killed_process_is_run_again_after_its_lease(
    client: httpx.AsyncClient, database: Database
) -> None:
    key = {"Idempotency-Key": "k-killed"}
    first = await client.post("/things", json={"name": "lamp"}, headers=key)
    assert first.status_code == 201
    async with database.session(write=False) as session:  # its transaction marked the key as it committed
        assert await session.scalar(select(idempotency_keys.c.status)) == 201

    # A process claims the key, then dies before its transaction commits: the row stays "running", nothing stored.
    async with database.session() as session:
        await session.execute(update(idempotency_keys).values(status=None, headers=None, body=None))
        await session.execute(things.delete())
    busy = await client.post("/things", json={"name": "lamp"}, headers=key)
    assert busy.status_code == 409
    assert busy.headers["retry-after"] == "1"  # it may still be running
    assert (await client.post("/things", json={"name": "sofa"}, headers=key)).status_code == 422  # another body

    # Once the lease has passed, one retry takes the claim over and runs; later retries get its answer.
    async with database.session() as session:
        await session.execute(update(idempotency_keys).values(created_at=utcnow() - CLAIM_LEASE * 1.1))
    retried = await client.post("/things", json={"name": "lamp"}, headers=key)
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers
    again = await client.post("/things", json={"name": "lamp"}, headers=key)
    assert again.status_code == 201
    assert again.json() == retried.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_things(database) == 1


async def test_a_request_stored_but_unanswered_is_never_run_again(
    client: httpx.AsyncClient, database: Database
) -> None:
    key = {"Idempotency-Key": "k-lost"}
    assert (await client.post("/things", json={"name": "rug"}, headers=key)).status_code == 201
    # The process died after its transaction committed (the key marked done) but before the answer was kept.
    async with database.session() as session:
        await session.execute(update(idempotency_keys).values(status=DONE, headers=None, body=None))
    soon = await client.post("/things", json={"name": "rug"}, headers=key)
    assert soon.status_code == 409
    assert soon.headers["retry-after"] == "1"  # as if still answering
    async with database.session() as session:
        await session.execute(update(idempotency_keys).values(created_at=utcnow() - CLAIM_LEASE * 1.1))
    late = await client.post("/things", json={"name": "rug"}, headers=key)
    assert late.status_code == 409
    assert "look the record up" in late.json()["detail"]
    assert await count_things(database) == 1  # never created twice
