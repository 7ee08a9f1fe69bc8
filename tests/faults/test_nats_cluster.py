"""A three-node JetStream cluster with R3 streams loses the server that leads the HR stream in the middle of 5,000
timesheets, and nothing is lost or doubled; the server, restarted, catches up.

Three nats-servers run clustered on loopback ports (``NatsCluster``); the gateway, hr and payroll run as processes
with ``BACKOFFICE_NATS_URL`` listing all three and ``BACKOFFICE_STREAM_REPLICAS=3``. 1,000 timesheets go the whole
way: HR opens, fills and submits each through its API (its outbox publishes ``hr.hours_submitted``), payroll
verifies it, a payroll clerk approves the pending ones in batches and ``payroll.hours_verified`` goes back to HR.
The other 4,000 are published on the HR stream beside them, as HR's outbox relay would (one ``Nats-Msg-Id`` each,
retried until stored): HR's API takes three requests per timesheet, and 5,000 of them would take this machine
about four minutes on their own. When a random share of the 5,000 (``BACKOFFICE_FAULT_SEED`` replays it) is on its
way, the HR stream's leader is killed with SIGKILL. At the end each timesheet is verified exactly once (payroll's
rows and inbox, HR's statuses, the events on both streams); then the killed server is started again and its own
replica of each stream (its ``/jsz``) reaches the leader's state.

The second variant runs two replicas of hr and of payroll (each pair on one PostgreSQL database).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.shared.bus import EventBus
from backoffice.suite.processes import wait_ready
from backoffice.testing import (
    DatabaseFactory,
    GatewayClient,
    NatsCluster,
    RunningService,
    ServiceStarter,
    connect_gateway,
    read_events,
)
from faultkit import (
    CONSUMER_ENV,
    LAST_MONDAY,
    Publisher,
    Reader,
    eventually,
    hire_body,
    log_tail,
    seeded,
    submitted,
)

pytestmark = pytest.mark.slow

# 100 people x 50 weeks, the first 10 weeks through HR's API. BACKOFFICE_CLUSTER_TIMESHEETS and
# BACKOFFICE_CLUSTER_THROUGH_HR (multiples of 100) change the counts, e.g. 5000 and 5000 for every one through HR.
TIMESHEETS = int(os.environ.get("BACKOFFICE_CLUSTER_TIMESHEETS") or 5000)
THROUGH_HR = int(os.environ.get("BACKOFFICE_CLUSTER_THROUGH_HR") or 1000)
EMPLOYEES = 100
SENDERS = 6  # timesheets in flight at once through HR's API
DECISION_BATCH = 500
SETTLE_S = 200.0  # generous (the machine running the tests may be busy), and within pytest's 300 s per test
ENV = {**CONSUMER_ENV, "BACKOFFICE_STREAM_REPLICAS": "3"}
STREAMS = ("HR", "PAYROLL")


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    cluster = NatsCluster(tmp_path / "cluster", size=3)
    cluster.start()
    yield cluster
    cluster.stop()


class Suite:
    """The parts the test started: the gateway, hr and payroll (one or two replicas each) on the cluster."""

    def __init__(
        self, cluster: NatsCluster, gateway: RunningService, hr: list[RunningService], payroll: list[RunningService]
    ):
        self.cluster, self.gateway, self.hr, self.payroll = cluster, gateway, hr, payroll
        self.admin: GatewayClient = connect_gateway(gateway)
        self.hr_token = self.admin.make_user("cluster-hr", ["hr"])
        self.clerk_token = self.admin.make_user("cluster-clerk", ["payroll"])
        self.hr_reader, self.payroll_reader = Reader(hr[0]), Reader(payroll[0])

    @property
    def everyone(self) -> list[RunningService]:
        return [self.gateway, *self.hr, *self.payroll]

    def clients(self, services: list[RunningService], token: str) -> list[httpx.AsyncClient]:
        headers = self.admin.auth(token)
        return [httpx.AsyncClient(base_url=s.url, headers=headers, timeout=60) for s in services]

    async def close(self) -> None:
        await self.hr_reader.close()
        await self.payroll_reader.close()


async def _start(start_service: ServiceStarter, cluster: NatsCluster, replicas: int) -> Suite:
    """The gateway, then hr and payroll; with two replicas, the second of each on the first one's database."""
    start = partial(start_service, nats_url=cluster.url, env=ENV)
    gateway = await asyncio.to_thread(start, "gateway")
    hr = [await asyncio.to_thread(start, "hr", wait=False)]
    payroll = [await asyncio.to_thread(start, "payroll", wait=False)]
    await asyncio.gather(*(asyncio.to_thread(wait_ready, s.url, 120, s.proc) for s in (*hr, *payroll)))
    for _ in range(replicas - 1):
        for pair in (hr, payroll):
            url = pair[0].env[f"BACKOFFICE_{pair[0].name.upper()}_DATABASE_URL"]
            pair.append(await asyncio.to_thread(start, pair[0].name, database_url=url, wait=False))
        await asyncio.gather(*(asyncio.to_thread(wait_ready, s.url, 120, s.proc) for s in (hr[-1], payroll[-1])))
    return await asyncio.to_thread(Suite, cluster, gateway, hr, payroll)


async def _hire(suite: Suite) -> list[str]:
    clients = suite.clients(suite.hr, suite.hr_token)
    try:
        employees = []
        for n in range(EMPLOYEES):
            created = await clients[n % len(clients)].post("/employees", json=hire_body(n, prefix="cluster"))
            assert created.status_code == 201, created.text
            employees.append(created.json()["id"])
        return employees
    finally:
        for client in clients:
            await client.aclose()


class Progress:
    """The timesheets on their way: the ids submitted through HR's API and the envelopes published beside them."""

    def __init__(self) -> None:
        self.through_hr: list[str] = []
        self.beside: list[str] = []
        self.hr_done = asyncio.Event()
        self.sending: asyncio.Future[Any] | None = None

    @property
    def count(self) -> int:
        return len(self.through_hr) + len(self.beside)


async def _submit_through_hr(suite: Suite, employees: list[str], progress: Progress) -> None:
    """The first weeks of everyone opened, filled and submitted through HR's API, ``SENDERS`` at a time, spread
    over the HR replicas."""
    clients = suite.clients(suite.hr, suite.hr_token)
    work = iter(itertools.product(range(THROUGH_HR // EMPLOYEES), employees))
    days = [timedelta(days=d) for d in range(5)]

    async def sender(n: int) -> None:
        client = clients[n % len(clients)]
        for week, employee_id in work:
            monday = LAST_MONDAY - timedelta(weeks=week)
            opened = await client.post(
                "/timesheets", json={"week_start": monday.isoformat(), "employee_id": employee_id}
            )
            assert opened.status_code == 201, opened.text
            sheet_id = opened.json()["id"]
            entries = [{"day": (monday + d).isoformat(), "hours": "8"} for d in days]
            filled = await client.put(f"/timesheets/{sheet_id}/entries", json={"entries": entries})
            assert filled.status_code == 200, filled.text
            sent = await client.post(f"/timesheets/{sheet_id}/submit")
            assert sent.status_code == 200, sent.text
            progress.through_hr.append(sheet_id)

    try:
        await asyncio.gather(*(sender(n) for n in range(SENDERS)))
    finally:
        progress.hr_done.set()
        for client in clients:
            await client.aclose()


async def _publish_beside(cluster: NatsCluster, employees: list[str], progress: Progress) -> None:
    """The later weeks as HR's relay publishes them, paced to keep step with the timesheets going through HR (so the
    fault finds both on their way)."""
    first_week = THROUGH_HR // EMPLOYEES
    sheets = [
        submitted(e, LAST_MONDAY - timedelta(weeks=w))
        for w in range(first_week, TIMESHEETS // EMPLOYEES)
        for e in employees
    ]
    async with Publisher(cluster.url, replicas=3) as publisher:
        for n, envelope in enumerate(sheets):
            while n * THROUGH_HR > len(progress.through_hr) * len(sheets) and not progress.hr_done.is_set():
                await asyncio.sleep(0.02)
            await publisher.publish(envelope)
            progress.beside.append(envelope.data["timesheet_id"])
        print(f"published beside HR: {len(sheets)} timesheets, {publisher.retries} publishes retried")


async def _leader(bus: EventBus, stream: str, *, other_than: str | None = None) -> str | None:
    """The server leading ``stream``, as the cluster answers a client (None while it elects one)."""
    try:
        info = await bus.js.stream_info(stream)
    except Exception:
        return None
    leader = info.cluster.leader if info.cluster else None
    return leader if leader and leader != other_than else None


async def _kill_the_leader(suite: Suite, bus: EventBus, progress: Progress, at: int, stats: dict[str, Any]) -> str:
    """When ``at`` timesheets are on their way, SIGKILL the HR stream's leader; time until the cluster names
    another."""
    await eventually(partial(_reached, progress, at), SETTLE_S, f"{at} timesheets submitted", every_s=0.05)
    leader = await eventually(partial(_leader, bus, "HR"), 30, "the HR stream's leader")
    suite.cluster.kill(leader)
    killed_at = time.monotonic()
    stats["killed_after"] = progress.count
    new = await eventually(partial(_leader, bus, "HR", other_than=leader), 60, "a new HR leader", every_s=0.05)
    stats["new_leader_s"] = round(time.monotonic() - killed_at, 2)
    after = f"after {stats['killed_after']} timesheets"
    print(f"killed {leader}, the HR leader, {after}; {new} leads in {stats['new_leader_s']}s")
    return str(leader)


async def _reached(progress: Progress, at: int) -> bool:
    """``at`` timesheets on their way; a sender that failed fails the test at once (not after a timeout)."""
    if progress.sending is not None and progress.sending.done():
        progress.sending.result()
    return progress.count >= at


async def _decide_all(suite: Suite, sheets: list[str]) -> int:
    """The clerk approves every pending timesheet of ``sheets`` (those HR knows) in batches, alternating between the
    payroll replicas; returns how many were pending (the others payroll rejected itself)."""
    ours = set(sheets)
    rows = await suite.payroll_reader.rows("SELECT id FROM timesheets WHERE status = 'pending'")
    pending = [str(r[0]) for r in rows if str(r[0]) in ours]
    clients = suite.clients(suite.payroll, suite.clerk_token)
    try:
        for n in range(0, len(pending), DECISION_BATCH):
            body = {"decision": "approve", "timesheet_ids": pending[n : n + DECISION_BATCH]}
            answer = await clients[(n // DECISION_BATCH) % len(clients)].post("/timesheets/decisions", json=body)
            assert answer.status_code == 200, answer.text
    finally:
        for client in clients:
            await client.aclose()
    return len(pending)


async def _count_exactly(reader: Reader, where: str, expected: int, what: str) -> None:
    """Wait for ``expected`` rows; fail at once if there are ever more (an effect twice)."""

    async def check() -> bool:
        count = await reader.count(where)
        assert count <= expected, f"{count} {what} where {expected} were expected"
        return count == expected

    await eventually(check, SETTLE_S, f"{expected} {what}")


async def _check_effects(suite: Suite, progress: Progress, approved: int) -> None:
    """Each timesheet verified once: payroll's rows and inbox, HR's statuses and inbox, the events on both streams."""
    everyone = progress.through_hr + progress.beside
    assert len(set(everyone)) == len(everyone) == TIMESHEETS
    hr, payroll = suite.hr_reader, suite.payroll_reader
    rejected = THROUGH_HR - approved
    await _count_exactly(hr, "timesheets WHERE status = 'verified'", approved, "verified timesheets at HR")
    await _count_exactly(hr, "timesheets WHERE status = 'rejected'", rejected, "rejected timesheets at HR")
    for reader, name in ((hr, "hr"), (payroll, "payroll")):
        await eventually(partial(_drained, reader), SETTLE_S, f"{name}'s outbox drained")
        assert await reader.dead_letters() == [], f"{name} dead-lettered events"
    assert await payroll.count("timesheets") == TIMESHEETS
    assert await payroll.count("timesheet_hours") == TIMESHEETS * 5
    assert await payroll.processed("payroll-hours_submitted") == TIMESHEETS
    assert await hr.processed("hr-hours_verified") == approved
    assert await hr.count("timesheets") == THROUGH_HR
    assert await hr.count("timesheets WHERE status = 'submitted'") == 0

    on_stream = await read_events(suite.cluster.url, "hr.hours_submitted", "HR")
    assert Counter(e.data["timesheet_id"] for e in on_stream) == Counter(everyone), "HR's stream lost or doubled one"
    verified = await read_events(suite.cluster.url, "payroll.hours_verified", "PAYROLL")
    assert len(verified) == approved
    assert {e.data["timesheet_id"] for e in verified} <= set(progress.through_hr)
    assert len({e.data["timesheet_id"] for e in verified}) == approved, "a verification was announced twice"


async def _drained(reader: Reader) -> bool:
    return await reader.pending_outbox() == 0


async def _caught_up(cluster: NatsCluster, bus: EventBus, name: str) -> bool:
    """The restarted server's own replica of each stream holds what the leader holds."""
    for stream in STREAMS:
        state = await asyncio.to_thread(cluster.node(name).stream_state, stream)
        info = await bus.js.stream_info(stream)
        if state is None or (state["messages"], state["last_seq"]) != (info.state.messages, info.state.last_seq):
            return False
    return True


async def _run(start_service: ServiceStarter, cluster: NatsCluster, replicas: int, name: str) -> None:
    rng, seed = seeded(name)
    kill_at = rng.randint(TIMESHEETS * 3 // 10, TIMESHEETS * 7 // 10)
    stats: dict[str, Any] = {"timesheets": TIMESHEETS, "replicas": replicas, "seed": seed}
    suite = await _start(start_service, cluster, replicas)
    bus = EventBus(cluster.url, name="cluster-test-observer")
    await bus.connect(30)
    began = time.monotonic()
    try:
        employees = await _hire(suite)
        await _count_exactly(suite.payroll_reader, "pay_profiles", EMPLOYEES, "pay profiles at payroll")
        progress = Progress()
        progress.sending = sending = asyncio.gather(
            _submit_through_hr(suite, employees, progress), _publish_beside(cluster, employees, progress)
        )
        killed = await _kill_the_leader(suite, bus, progress, kill_at, stats)
        await sending
        stats["submitted_s"] = round(time.monotonic() - began, 1)
        await _count_exactly(suite.payroll_reader, "timesheets", TIMESHEETS, "timesheets at payroll")
        approved = await _decide_all(suite, progress.through_hr)
        await _check_effects(suite, progress, approved)
        stats["all_verified_s"] = round(time.monotonic() - began, 1)

        restarted = time.monotonic()
        await asyncio.to_thread(cluster.start_node, killed)
        await eventually(partial(_caught_up, cluster, bus, killed), 120, f"{killed} caught up with the leaders")
        stats["catch_up_s"] = round(time.monotonic() - restarted, 2)
        print(f"{name}: {stats}")
    except BaseException:
        print(log_tail(*suite.everyone))
        raise
    finally:
        await bus.close()
        await suite.close()


async def test_three_nodes_lose_the_hr_leader_and_every_timesheet_is_verified_once(
    nats_cluster: NatsCluster, start_service: ServiceStarter
) -> None:
    await _run(start_service, nats_cluster, 1, "cluster")


async def test_three_nodes_with_two_replicas_of_hr_and_payroll(
    nats_cluster: NatsCluster, start_service: ServiceStarter, database_factory: DatabaseFactory
) -> None:
    if not database_factory.is_postgres:
        pytest.skip(
            "PostgreSQL only (set BACKOFFICE_TEST_DATABASE_URL): replicas of a service share its database, and the "
            "suite supports that on PostgreSQL, not on SQLite"
        )
    await _run(start_service, nats_cluster, 2, "cluster-replicas")
