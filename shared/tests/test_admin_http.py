"""Dead letters over HTTP (admin token), and problem+json answers to bad requests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.bus.consumer import write_dead_letter
from backoffice.shared.db import Database
from backoffice.shared.service import ServiceSpec, create_app
from backoffice.shared.settings import ServiceSettings
from pydantic import SecretStr
from sharedkit import EVENT_TYPE, STREAM, ThingHappened, count_effects, create_test_tables, effect_recorder

TOKEN = "a-test-admin-token"


class SampleSettings(ServiceSettings):
    service_name: ClassVar[str] = "tests"
    stream_name: ClassVar[str] = STREAM


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    await create_test_tables(database)
    handler = EventHandler("count", EVENT_TYPE, STREAM, effect_recorder(), ThingHappened)
    spec = ServiceSpec(SampleSettings, "Sample", "sample", Path("unused"), handler_factories=[lambda _: [handler]])
    app = create_app(spec, SampleSettings(admin_token=SecretStr(TOKEN)))
    app.state.db = database  # the lifespan (NATS, relay) is not needed for the admin routes
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
        yield client


async def test_dead_letters_need_the_admin_token(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/admin/dead-letters")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.headers["www-authenticate"] == 'Bearer realm="backoffice"'
    wrong = await client.get("/admin/dead-letters", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 401
    assert wrong.json()["type"] == "urn:backoffice:problem:unauthenticated"
    assert "not the operator token" in wrong.json()["detail"]


async def test_list_and_replay_a_dead_letter_over_http(client: httpx.AsyncClient, database: Database) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = Envelope.new(EVENT_TYPE, source="tests", data={"n": "seven"})
    letter = await write_dead_letter(
        database,
        consumer="tests-count",
        subject=EVENT_TYPE,
        payload=bad.to_json(),
        reason="invalid data: n: not an integer",
        attempts=1,
        event_id=bad.id,
    )
    page = (await client.get("/admin/dead-letters", headers=auth)).json()
    assert page["total"] == 1
    assert page["items"][0]["id"] == letter

    as_is = await client.post(f"/admin/dead-letters/{letter}/replay", headers=auth)
    assert as_is.status_code == 422
    assert "n:" in as_is.json()["detail"]

    fixed = json.loads(bad.model_dump_json())
    fixed["data"]["n"] = 7
    replay = await client.post(f"/admin/dead-letters/{letter}/replay", headers=auth, json={"payload": fixed})
    assert replay.status_code == 200, replay.text
    assert replay.json() == {"id": letter, "status": "replayed", "outcome": "processed"}
    assert await count_effects(database, bad.id) == 1
    assert (await client.get("/admin/dead-letters", headers=auth)).json()["total"] == 0

    again = await client.post(f"/admin/dead-letters/{letter}/replay", headers=auth, json={"payload": fixed})
    assert again.status_code == 409
    missing = await client.post("/admin/dead-letters/nope/replay", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "dead letter nope does not exist"


async def test_validation_errors_name_the_field(client: httpx.AsyncClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad_body = await client.post("/admin/dead-letters/x/replay", headers=auth, json={"payload": "not an object"})
    assert bad_body.status_code == 422
    problem = bad_body.json()
    assert bad_body.headers["content-type"] == "application/problem+json"
    assert problem["errors"][0]["field"] == "body.payload"
    assert problem["detail"].startswith("body.payload:")
    bad_query = await client.get("/admin/dead-letters", headers=auth, params={"limit": 0})
    assert bad_query.status_code == 422
    assert bad_query.json()["errors"][0]["field"] == "query.limit"
    # Past what a database integer holds (2**63), and past any page worth asking for: refused, naming the parameter.
    for huge in (2**63, 2**63 - 1, 10**30):
        too_far = await client.get("/admin/dead-letters", headers=auth, params={"offset": huge})
        assert too_far.status_code == 422, too_far.text
        problem = too_far.json()
        assert problem["errors"][0]["field"] == "query.offset"
        assert problem["detail"].startswith("query.offset:")
    wrong_method = await client.delete("/admin/dead-letters", headers=auth)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["detail"] == "DELETE is not allowed on /admin/dead-letters"
