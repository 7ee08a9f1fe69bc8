"""Streams keep events for a bounded time and size (they carry personal data); an operator's change of the limits
takes effect at the next start, on the service's stream and on the DLQ stream."""

from __future__ import annotations

import asyncio

from backoffice.shared.bus import DLQ_STREAM, DLQ_SUBJECTS, EventBus
from backoffice.testing import NatsServer, ServiceStarter

DAY = 86400


async def limits(bus: EventBus, stream: str) -> tuple[float, int, float]:
    config = (await bus.js.stream_info(stream)).config
    return float(config.max_age or 0), int(config.max_bytes or 0), float(config.duplicate_window or 0)


async def test_limits_are_set_at_creation_and_updated_on_an_existing_stream(own_nats: NatsServer) -> None:
    bus = EventBus(own_nats.url, name="test")
    await bus.connect(10)
    try:
        await bus.ensure_stream("LIMITS", ["limits.>"], duplicate_window_s=600, max_age_s=30 * DAY, max_bytes=2**30)
        assert await limits(bus, "LIMITS") == (30 * DAY, 2**30, 600)
        await bus.js.publish("limits.a", b"x" * 1000)

        await bus.ensure_stream("LIMITS", ["limits.>"], duplicate_window_s=600, max_age_s=2 * DAY, max_bytes=5000)
        assert await limits(bus, "LIMITS") == (2 * DAY, 5000, 600)
        assert (await bus.js.stream_info("LIMITS")).state.messages == 1  # an update keeps what the stream holds

        await bus.ensure_stream("LIMITS", ["limits.>"], duplicate_window_s=600, max_age_s=2 * DAY, max_bytes=-1)
        assert await limits(bus, "LIMITS") == (2 * DAY, -1, 600)
    finally:
        await bus.close()


async def test_the_oldest_events_leave_a_stream_past_its_size(own_nats: NatsServer) -> None:
    bus = EventBus(own_nats.url, name="test")
    await bus.connect(10)
    try:
        await bus.ensure_stream("SMALL", ["small.>"], duplicate_window_s=1, max_age_s=2, max_bytes=4000)
        for n in range(10):
            await bus.js.publish(f"small.{n}", b"x" * 1000)
        state = (await bus.js.stream_info("SMALL")).state
        assert state.bytes <= 4000
        assert state.messages < 10
        assert state.last_seq == 10
        await asyncio.sleep(2.5)  # past max age every event is gone, read or not
        assert (await bus.js.stream_info("SMALL")).state.messages == 0
    finally:
        await bus.close()


async def test_a_service_applies_the_operators_limits_at_start(
    start_service: ServiceStarter, own_nats: NatsServer
) -> None:
    env = {
        "BACKOFFICE_HELPDESK_STREAM_MAX_AGE_S": str(3 * DAY),
        "BACKOFFICE_STREAM_MAX_BYTES": str(64 * 2**20),
        "BACKOFFICE_DLQ_MAX_AGE_S": str(9 * DAY),
        "BACKOFFICE_DLQ_MAX_BYTES": str(32 * 2**20),
    }
    service = start_service("helpdesk", nats_url=own_nats.url, env=env)
    bus = EventBus(own_nats.url, name="test")
    await bus.connect(10)
    try:
        assert await limits(bus, "HELPDESK") == (3 * DAY, 64 * 2**20, 1200)
        assert await limits(bus, DLQ_STREAM) == (9 * DAY, 32 * 2**20, 1200)
        assert (await bus.js.stream_info(DLQ_STREAM)).config.subjects == DLQ_SUBJECTS
        service.stop()
        # The defaults, at the next start: 30 days and 256 MiB for both.
        start_service("helpdesk", nats_url=own_nats.url, database_url=service.env["BACKOFFICE_HELPDESK_DATABASE_URL"])
        assert await limits(bus, "HELPDESK") == (30 * DAY, 256 * 2**20, 1200)
        assert await limits(bus, DLQ_STREAM) == (30 * DAY, 256 * 2**20, 1200)
    finally:
        await bus.close()
