"""The outbox: events written with a state change reach NATS once, whatever happens in between."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from backoffice.shared.bus import (
    ConsumerRunner,
    Envelope,
    EventBus,
    EventHandler,
    OutboxRelay,
    outbox,
    outbox_backlog,
    record_event,
)
from backoffice.shared.db import Database
from backoffice.testing import NatsServer
from sharedkit import (
    EVENT_TYPE,
    STREAM,
    ThingHappened,
    count_effects,
    create_test_tables,
    effect_recorder,
    eventually,
    things,
)
from sqlalchemy import insert, select


@pytest.fixture
async def bus(own_nats: NatsServer) -> AsyncIterator[EventBus]:
    bus = EventBus(own_nats.url, name="test")
    await bus.connect(10)
    await bus.ensure_stream(STREAM, ["tests.>"], duplicate_window_s=600)
    yield bus
    await bus.close()


async def start_consumer(database: Database, bus: EventBus) -> ConsumerRunner:
    await create_test_tables(database)
    handler = EventHandler("count", EVENT_TYPE, STREAM, effect_recorder(), ThingHappened)
    runner = ConsumerRunner(database, bus, handler, service="tests", backoff_base_s=0.1)
    runner.start()
    await asyncio.wait_for(runner.subscribed.wait(), 10)
    return runner


async def write_thing_and_event(database: Database, n: int) -> Envelope:
    envelope = Envelope.new(EVENT_TYPE, source="tests", data=ThingHappened(n=n), subject=f"thing-{n}")
    async with database.session() as session:
        await session.execute(insert(things).values(name=f"thing {n}"))
        await record_event(session, envelope)
    return envelope


async def backlog(database: Database) -> int:
    async with database.session(write=False) as session:
        return await outbox_backlog(session)


async def test_event_committed_while_nats_is_down_is_delivered_once_nats_returns(
    database: Database, bus: EventBus, own_nats: NatsServer
) -> None:
    relay = OutboxRelay(database, bus, service="tests", sweep_interval_s=0.3)
    relay.start()
    runner = await start_consumer(database, bus)
    try:
        own_nats.stop()
        envelope = await write_thing_and_event(database, 1)  # the write succeeds with NATS down
        await asyncio.sleep(1.0)
        assert await backlog(database) == 1
        assert await count_effects(database) == 0

        own_nats.start()
        await eventually(lambda: _has_effects(database, 1), 30, "the event's effect")
        await asyncio.sleep(1.5)  # a duplicate, if any, would arrive now
        assert await count_effects(database, envelope.id) == 1
        assert await count_effects(database) == 1
        assert await backlog(database) == 0
    finally:
        await runner.stop()
        await relay.stop()


async def test_crash_between_commit_and_publish_is_healed_by_the_sweep(database: Database, bus: EventBus) -> None:
    relay = OutboxRelay(database, bus, service="tests", sweep_interval_s=1.0)
    relay.start()
    runner = await start_consumer(database, bus)
    try:
        assert relay.woken_task is not None
        relay.woken_task.cancel()  # the relay that is woken at commit dies
        await asyncio.sleep(0.05)
        envelope = await write_thing_and_event(database, 2)
        assert await backlog(database) == 1  # nobody published it at commit
        await eventually(lambda: _has_effects(database, 1), 10, "the swept event's effect")
        async with database.session(write=False) as session:
            state = await session.scalar(select(outbox.c.state).where(outbox.c.event_id == envelope.id))
        assert state == "published"
        await asyncio.sleep(1.5)
        assert await count_effects(database) == 1
    finally:
        await runner.stop()
        await relay.stop()


async def test_rolled_back_change_publishes_nothing(database: Database, bus: EventBus) -> None:
    relay = OutboxRelay(database, bus, service="tests", sweep_interval_s=0.2)
    relay.start()
    runner = await start_consumer(database, bus)

    async def failing_write() -> None:
        async with database.session() as session:
            await session.execute(insert(things).values(name="never"))
            await record_event(session, Envelope.new(EVENT_TYPE, source="tests", data={"n": 3}))
            raise RuntimeError("the business rule failed after the event was recorded")

    try:
        with pytest.raises(RuntimeError):
            await failing_write()
        ok = await write_thing_and_event(database, 4)
        await eventually(lambda: _has_effects(database, 1), 10, "the committed event's effect")
        await asyncio.sleep(0.8)
        assert await count_effects(database) == 1
        assert await count_effects(database, ok.id) == 1
        async with database.session(write=False) as session:
            rows = (await session.execute(select(outbox.c.event_id))).scalars().all()
            names = (await session.execute(select(things.c.name))).scalars().all()
        assert rows == [ok.id]
        assert names == ["thing 4"]
    finally:
        await runner.stop()
        await relay.stop()


async def test_events_leave_in_the_order_they_were_written(database: Database, bus: EventBus) -> None:
    await create_test_tables(database)
    written = [await write_thing_and_event(database, n) for n in range(30)]
    relay = OutboxRelay(database, bus, service="tests", batch_size=7)
    relay._loop = asyncio.get_running_loop()
    assert await relay.flush() == 30
    assert await relay.flush() == 0
    sub = await bus.js.pull_subscribe(EVENT_TYPE, durable="order-check", stream=STREAM)
    seen: list[str] = []
    while len(seen) < 30:
        for msg in await sub.fetch(30, timeout=5):
            seen.append(Envelope.model_validate_json(msg.data).id)
            await msg.ack()
    assert seen == [e.id for e in written]


async def _has_effects(database: Database, expected: int) -> bool:
    return await count_effects(database) >= expected


async def test_stopping_the_relay_publishes_what_is_pending(database: Database, bus: EventBus) -> None:
    await create_test_tables(database)
    relay = OutboxRelay(database, bus, service="tests", sweep_interval_s=3600)
    relay.start()
    assert relay.woken_task is not None
    relay.woken_task.cancel()  # nothing publishes at commit, and the sweep is an hour away
    await asyncio.sleep(0.05)
    envelope = await write_thing_and_event(database, 9)
    assert await backlog(database) == 1
    await relay.stop(flush=True)  # what a service does on SIGTERM
    assert await backlog(database) == 0
    info = await bus.js.stream_info(STREAM)
    assert info.state.messages == 1
    last = await bus.js.get_last_msg(STREAM, EVENT_TYPE)
    assert last.data is not None
    assert Envelope.model_validate_json(last.data).id == envelope.id
    assert last.headers is not None
    assert last.headers["Nats-Msg-Id"] == envelope.id
