"""Consumers: one effect per event (inbox), shared durables, dead letters and replay."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from backoffice.shared.bus import (
    DLQ_STREAM,
    DLQ_SUBJECTS,
    ConsumerRunner,
    Envelope,
    EventBus,
    EventHandler,
    PermanentEventError,
    dead_letters,
    deliver,
    inbox,
)
from backoffice.shared.bus.dlq import list_dead_letters, replay_dead_letter
from backoffice.shared.db import Database
from backoffice.shared.errors import Problem
from backoffice.testing import NatsServer
from sharedkit import (
    EVENT_TYPE,
    STREAM,
    ThingHappened,
    count_effects,
    create_test_tables,
    effect_recorder,
    effects,
    eventually,
)
from sqlalchemy import func, select


@pytest.fixture
async def bus(nats_server: NatsServer) -> AsyncIterator[EventBus]:
    bus = EventBus(nats_server.url, name="test")
    await bus.connect(10)
    # A fresh stream per test: purge what an earlier test left.
    await bus.ensure_stream(STREAM, ["tests.>"], duplicate_window_s=600)
    await bus.ensure_stream(DLQ_STREAM, DLQ_SUBJECTS, duplicate_window_s=600)  # as every service does at start
    await bus.js.purge_stream(STREAM)
    for info in await bus.js.consumers_info(STREAM):
        await bus.js.delete_consumer(STREAM, info.name)
    yield bus
    await bus.close()


def handler_for(record: object = None) -> EventHandler:
    return EventHandler("count", EVENT_TYPE, STREAM, record or effect_recorder(), ThingHappened)  # type: ignore[arg-type]


async def publish(bus: EventBus, payload: bytes, msg_id: str) -> None:
    await bus.js.publish(EVENT_TYPE, payload, headers={"Nats-Msg-Id": msg_id})


def event(n: int) -> Envelope:
    return Envelope.new(EVENT_TYPE, source="tests", data={"n": n})


async def test_same_event_delivered_twice_has_one_effect(database: Database, bus: EventBus) -> None:
    await create_test_tables(database)
    handler = handler_for()
    env = event(1)
    # Directly: the second delivery finds the inbox row.
    assert await deliver(database, handler, "tests-count", env, ThingHappened(n=1)) == "processed"
    assert await deliver(database, handler, "tests-count", env, ThingHappened(n=1)) == "duplicate"
    # Through NATS: the same event published twice under two message ids (past the duplicate window).
    env2 = event(2)
    runner = ConsumerRunner(database, bus, handler, service="tests")
    runner.start()
    try:
        await publish(bus, env2.to_json(), "first")
        await publish(bus, env2.to_json(), "second")
        await publish(bus, event(3).to_json(), "third")
        await eventually(lambda: _effects_at_least(database, 3), 15, "three effects")
        await asyncio.sleep(0.5)
        assert await count_effects(database, env.id) == 1
        assert await count_effects(database, env2.id) == 1
        assert await count_effects(database) == 3
        async with database.session(write=False) as session:
            rows = await session.scalar(select(func.count()).select_from(inbox))
        assert rows == 3
    finally:
        await runner.stop()


async def test_malformed_payload_is_dead_lettered_and_the_consumer_goes_on_and_replay_delivers_the_fix(
    database: Database, bus: EventBus
) -> None:
    await create_test_tables(database)
    handler = handler_for()
    runner = ConsumerRunner(database, bus, handler, service="tests")
    runner.start()
    try:
        await publish(bus, b"this is not json", "garbage")
        bad = Envelope.new(EVENT_TYPE, source="tests", data={"n": "not a number"})
        await publish(bus, bad.to_json(), "bad-data")
        good = event(7)
        await publish(bus, good.to_json(), "good")
        await eventually(lambda: _effects_at_least(database, 1), 15, "the good event's effect")
        await eventually(lambda: _dead_letters_at_least(database, 2), 15, "two dead letters")

        page = await list_dead_letters(database)
        assert page.total == 2
        by_event = {item.event_id: item for item in page.items}
        assert "invalid envelope" in by_event[None].reason
        assert by_event[None].payload == "this is not json"
        assert "n:" in by_event[bad.id].reason
        assert "integer" in by_event[bad.id].reason
        assert await count_effects(database, good.id) == 1

        # The producer's bug is fixed: replay the event with corrected data.
        fixed = json.loads(bad.model_dump_json())
        fixed["data"]["n"] = 8
        handlers = {handler.durable("tests"): handler}
        result = await replay_dead_letter(database, handlers, by_event[bad.id].id, fixed)
        assert result.outcome == "processed"
        assert await count_effects(database, bad.id) == 1
        with pytest.raises(Problem) as again:
            await replay_dead_letter(database, handlers, by_event[bad.id].id, fixed)
        assert again.value.status == 409
        # Garbage replayed as it is stays refused, with the reason.
        with pytest.raises(Problem) as still_bad:
            await replay_dead_letter(database, handlers, by_event[None].id, None)
        assert still_bad.value.status == 422
        assert (await list_dead_letters(database)).total == 1
        assert (await list_dead_letters(database, status="replayed")).total == 1
        # The DLQ stream got a copy of each dead letter.
        dlq = await bus.js.stream_info("DLQ")
        assert dlq.state.messages >= 2
    finally:
        await runner.stop()


async def test_transient_failure_is_retried_then_dead_lettered_after_max_deliver(
    database: Database, bus: EventBus
) -> None:
    await create_test_tables(database)
    calls: dict[int, int] = {}
    record = effect_recorder()

    async def flaky(session, envelope: Envelope, data: ThingHappened) -> None:  # type: ignore[no-untyped-def]
        calls[data.n] = calls.get(data.n, 0) + 1
        if data.n == 1 and calls[1] < 2:
            raise ConnectionError("database briefly unreachable")
        if data.n == 2:
            raise ConnectionError("still down")
        if data.n == 3:
            raise PermanentEventError("employee 3 does not exist")
        await record(session, envelope, data)

    runner = ConsumerRunner(database, bus, handler_for(flaky), service="tests", max_deliver=3, backoff_base_s=0.1)
    runner.start()
    try:
        first, second, third, fourth = event(1), event(2), event(3), event(4)
        for env in (first, second, third, fourth):
            await publish(bus, env.to_json(), env.id)
        await eventually(lambda: _dead_letters_at_least(database, 2), 20, "two dead letters")
        await eventually(lambda: _effects_at_least(database, 2), 20, "two effects")
        assert calls[1] == 2
        assert await count_effects(database, first.id) == 1
        assert calls[2] == 3, "retried until max_deliver"
        assert calls[3] == 1, "a permanent error is not retried"
        assert await count_effects(database, fourth.id) == 1
        page = await list_dead_letters(database)
        reasons = {item.event_id: item for item in page.items}
        assert reasons[second.id].attempts == 3
        assert "failed 3 times" in reasons[second.id].reason
        assert "still down" in reasons[second.id].reason
        assert "employee 3 does not exist" in reasons[third.id].reason
    finally:
        await runner.stop()


async def test_two_consumer_processes_share_one_durable_and_each_effect_happens_once(
    database: Database, bus: EventBus, nats_server: NatsServer, tmp_path: Path
) -> None:
    await create_test_tables(database)
    worker = Path(__file__).parent / "consumer_worker.py"
    url = database.url.render_as_string(hide_password=False)
    logs = [open(tmp_path / f"w{i}.log", "wb") for i in range(2)]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [sys.executable, str(worker), nats_server.url, url, f"w{i}"], stdout=logs[i], stderr=subprocess.STDOUT
        )
        for i in range(2)
    ]
    try:
        await eventually(lambda: _both_subscribed(tmp_path), 30, "both workers subscribed")
        total = 300
        envelopes = [event(n) for n in range(total)]
        for env in envelopes:
            await publish(bus, env.to_json(), env.id)
        # A redelivery of already-processed events must not add effects either.
        for env in envelopes[:20]:
            await publish(bus, env.to_json(), f"again-{env.id}")
        await eventually(lambda: _effects_at_least(database, total), 90, f"{total} effects")
        await asyncio.sleep(1.0)
        async with database.session(write=False) as session:
            per_event = (
                await session.execute(select(effects.c.event_id, func.count()).group_by(effects.c.event_id))
            ).all()
            per_worker: dict[str, int] = dict(
                (await session.execute(select(effects.c.worker, func.count()).group_by(effects.c.worker))).all()
            )
        assert len(per_event) == total
        assert all(count == 1 for _, count in per_event)
        if set(per_worker) != {"w0", "w1"}:
            for log in logs:
                log.flush()
            said = "\n".join(f"--- w{i}:\n" + (tmp_path / f"w{i}.log").read_text()[-4000:] for i in range(2))
            pytest.fail(f"work was not shared: {per_worker}\n{said}")
        assert sum(per_worker.values()) == total
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
        for log in logs:
            log.close()


async def _both_subscribed(tmp_path: Path) -> bool:
    return all("subscribed" in (tmp_path / f"w{i}.log").read_text() for i in range(2))


async def _effects_at_least(database: Database, expected: int) -> bool:
    return await count_effects(database) >= expected


async def _dead_letters_at_least(database: Database, expected: int) -> bool:
    async with database.session(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(dead_letters)) or 0) >= expected
