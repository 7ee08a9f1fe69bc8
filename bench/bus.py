"""Benchmarks of the event backbone, on SQLite and PostgreSQL side by side in one run.

Measures, with a real nats-server and real databases:
  * commit rate of requests that change a row and record an event (one transaction each);
  * relay throughput: pending outbox rows published to JetStream;
  * consumer throughput: events handled through the inbox (effect + inbox row + ack);
  * end-to-end latency from commit to the consumer's effect, under a steady trickle.

Prints a table, writes bench/results/bus.json and the table into docs/PERFORMANCE.md.
Settings: BENCH_EVENTS (default 2000), BENCH_POSTGRES_URL (default the local server).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from backoffice.shared.bus import (
    ConsumerRunner,
    Envelope,
    EventBus,
    EventHandler,
    OutboxRelay,
    bus_metadata,
    record_event,
)
from backoffice.shared.db import Database
from backoffice.suite.processes import free_port, nats_process, wait_for_port
from report import publish, scratch_postgres
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

ROOT = Path(__file__).resolve().parents[1]
EVENTS = int(os.environ.get("BENCH_EVENTS", "2000"))
EVENT_TYPE = "bench.thing_happened"

md = MetaData()
things = Table(
    "things",
    md,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
)
effects = Table(
    "effects",
    md,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
)


async def bench_backend(label: str, url: str, nats_url: str) -> dict[str, Any]:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(bus_metadata.create_all)
        await conn.run_sync(md.create_all)
    bus = EventBus(nats_url, name=f"bench-{label}")
    await bus.connect(10)
    stream = f"BENCH{label.upper()}"
    subject_prefix = f"bench{label}"
    await bus.ensure_stream(stream, [f"{subject_prefix}.>"], duplicate_window_s=600)
    event_type = f"{subject_prefix}.thing_happened"
    result: dict[str, Any] = {"backend": label, "events": EVENTS}

    # 1. Requests: one transaction each, a row and an event (relay not running).
    start = time.perf_counter()
    for n in range(EVENTS):
        async with db.session() as session:
            await session.execute(insert(things).values(name=f"t{n}"))
            await record_event(session, Envelope.new(event_type, source="bench", data={"n": n}))
    took = time.perf_counter() - start
    result["commits_per_s"] = EVENTS / took

    # 2. Relay: publish the whole backlog.
    relay = OutboxRelay(db, bus, service="bench", batch_size=200)
    relay._loop = asyncio.get_running_loop()
    start = time.perf_counter()
    published = await relay.flush()
    took = time.perf_counter() - start
    assert published == EVENTS, published
    result["relay_events_per_s"] = EVENTS / took

    # 3. Consumer: handle the published backlog through the inbox.
    async def handle(session: Any, envelope: Envelope, data: Any) -> None:
        await session.execute(insert(effects).values(event_id=envelope.id))

    received: dict[str, float] = {}

    async def handle_timed(session: Any, envelope: Envelope, data: Any) -> None:
        await handle(session, envelope, data)
        received[envelope.id] = time.perf_counter()

    handler = EventHandler("bench", event_type, stream, handle_timed)
    runner = ConsumerRunner(db, bus, handler, service=f"bench{label}", batch_size=100)
    start = time.perf_counter()
    runner.start()
    while len(received) < EVENTS:
        await asyncio.sleep(0.01)
    took = time.perf_counter() - start
    result["consumer_events_per_s"] = EVENTS / took

    # 4. End to end: commit -> effect, relay woken at commit, a steady trickle of 200 events.
    relay.start()
    committed: dict[str, float] = {}
    for n in range(200):
        env = Envelope.new(event_type, source="bench", data={"n": n})
        async with db.session() as session:
            await session.execute(insert(things).values(name=f"e{n}"))
            await record_event(session, env)
        committed[env.id] = time.perf_counter()
        await asyncio.sleep(0.01)
    while not all(k in received for k in committed):
        await asyncio.sleep(0.01)
    latencies = sorted((received[k] - t) * 1000 for k, t in committed.items())
    result["e2e_p50_ms"] = statistics.median(latencies)
    result["e2e_p95_ms"] = latencies[int(len(latencies) * 0.95) - 1]
    result["e2e_max_ms"] = latencies[-1]

    await runner.stop()
    await relay.stop()
    await bus.close()
    await db.dispose()
    return result


async def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="backoffice-bench-"))
    port = free_port()
    nats = nats_process(port, tmp / "js", tmp / "nats.log")
    nats.start()
    wait_for_port("127.0.0.1", port, 20, nats)
    nats_url = f"nats://127.0.0.1:{port}"
    results = []
    try:
        results.append(await bench_backend("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db", nats_url))
        async with scratch_postgres("bo_bench") as url:
            if url is not None:
                results.append(await bench_backend("postgres", url, nats_url))
    finally:
        nats.stop()
    report(results)


COLUMNS = [
    ("commits_per_s", "requests committed/s (row + event)", "{:,.0f}"),
    ("relay_events_per_s", "relay published/s", "{:,.0f}"),
    ("consumer_events_per_s", "consumer handled/s (inbox)", "{:,.0f}"),
    ("e2e_p50_ms", "commit to effect p50 (ms)", "{:.1f}"),
    ("e2e_p95_ms", "commit to effect p95 (ms)", "{:.1f}"),
    ("e2e_max_ms", "commit to effect max (ms)", "{:.1f}"),
]


def report(results: list[dict[str, Any]]) -> None:
    header = "| measure | " + " | ".join(r["backend"] for r in results) + " |"
    lines = [header, "|---|" + "---:|" * len(results)]
    for key, title, fmt in COLUMNS:
        lines.append(f"| {title} | " + " | ".join(fmt.format(r[key]) for r in results) + " |")
    table = "\n".join(lines)
    publish("bus", f"{EVENTS} events", table, {"results": results})


if __name__ == "__main__":
    asyncio.run(main())
