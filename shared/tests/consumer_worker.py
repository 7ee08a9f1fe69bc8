"""A consumer process for tests: records an effect per event until SIGTERM.

Usage: python consumer_worker.py NATS_URL DATABASE_URL WORKER_NAME
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from backoffice.shared.bus import ConsumerRunner, Envelope, EventBus, EventHandler
from backoffice.shared.db import Database
from sharedkit import EVENT_TYPE, STREAM, ThingHappened, effect_recorder


async def main(nats_url: str, database_url: str, worker: str) -> None:
    # What the worker did is in its log when a test fails.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    db = Database(database_url)
    bus = EventBus(nats_url, name=worker)
    await bus.connect(10)
    record = effect_recorder(worker)

    async def slow_record(session, envelope: Envelope, data: ThingHappened) -> None:  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.005)  # long enough that both workers get a share
        await record(session, envelope, data)

    handler = EventHandler("count", EVENT_TYPE, STREAM, slow_record, ThingHappened)
    runner = ConsumerRunner(db, bus, handler, service="tests", batch_size=5, backoff_base_s=0.1)
    runner.start()
    await runner.subscribed.wait()
    print("subscribed", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.stop()
    await bus.close()
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
