"""Events on the bus as tests publish and read them: as a producer would publish, without consuming anything."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from backoffice.testing.waiting import wait_for


def publish(nats_url: str, *envelopes: Any, stream: str = "HR") -> None:
    """Publishes envelopes on their producer's stream, in order (from synchronous tests)."""

    async def run() -> None:
        for envelope in envelopes:
            await publish_event(nats_url, stream, envelope)

    asyncio.run(run())


async def publish_event(nats_url: str, stream: str, envelope: Any) -> None:
    """Publish ``envelope`` as its producer would (creating the producer's stream if needed)."""
    from backoffice.shared.bus import EventBus

    bus = EventBus(nats_url, name=f"test-producer-{stream.lower()}")
    await bus.connect(10)
    try:
        await bus.ensure_stream(stream, [f"{stream.lower()}.>"], duplicate_window_s=600)
        await bus.js.publish(envelope.type, envelope.to_json(), headers={"Nats-Msg-Id": envelope.id})
    finally:
        await bus.close()


async def read_events(nats_url: str, subject: str, stream: str) -> list[Any]:
    """Every event on ``subject`` so far, as envelopes. The reader acknowledges nothing and consumes nothing, and
    stops at the last message instead of waiting for a timeout."""
    from backoffice.shared.bus import Envelope, EventBus
    from nats.js.api import AckPolicy, ConsumerConfig

    bus = EventBus(nats_url, name="test-reader")
    await bus.connect(10)
    try:
        sub = await bus.js.pull_subscribe(subject, stream=stream, config=ConsumerConfig(ack_policy=AckPolicy.NONE))
        found: list[Envelope] = []
        while True:
            try:
                messages = await sub.fetch(500, timeout=1)
            except TimeoutError:
                return found
            found += [Envelope.model_validate_json(m.data) for m in messages]
            if messages and messages[-1].metadata.num_pending == 0:
                return found
    finally:
        await bus.close()


def events_about(nats_url: str, subject: str, stream: str, keep: Callable[[Any], bool], at_least: int = 1) -> list[Any]:
    """The events on ``subject`` that ``keep`` selects, once there are ``at_least`` of them. An outbox relay
    publishes after the commit, so an event reaches the stream a moment after the answer that caused it: a test
    that reads at once may find nothing on a busy machine."""

    def found() -> list[Any] | None:
        events = [e for e in asyncio.run(read_events(nats_url, subject, stream)) if keep(e)]
        return events if len(events) >= at_least else None

    events: list[Any] = wait_for(found, f"{at_least} {subject} event(s) on {stream}")
    return events
