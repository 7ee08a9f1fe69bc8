"""5,000 timesheets reach payroll while payroll is killed (SIGKILL) and restarted, or while nats-server is stopped
for 5 s and started again: every timesheet is verified exactly once and each rejection is announced exactly once.

HR's part is played by the test: it publishes ``hr.employee_hired`` and ``hr.hours_submitted`` on the HR stream as
HR's outbox relay would (one ``Nats-Msg-Id`` per event, retried until stored), since the fault under test is
payroll's consumer and outbox. Effects are counted at the end in payroll's database (read only) and on the PAYROLL
stream.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import pytest
from backoffice.shared.bus import Envelope
from backoffice.testing import NatsServer, RunningService, ServiceStarter, read_events
from faultkit import CONSUMER_ENV, Publisher, Reader, eventually, log_tail, metric, ready_state, seeded, workload

pytestmark = pytest.mark.slow

EMPLOYEES, WEEKS, REJECT_EVERY = 100, 50, 10
TOTAL = EMPLOYEES * WEEKS  # 5,000 timesheets
CONSUMER = "payroll-hours_submitted"
CATCH_UP_S = 240.0  # generous: the machine running the tests may be busy

Fault = Callable[[RunningService, NatsServer], Awaitable[None]]


async def _run(start_service: ServiceStarter, nats: NatsServer, fault: Fault, name: str) -> None:
    rng, seed = seeded(name)
    hires, sheets = workload(EMPLOYEES, WEEKS, REJECT_EVERY)
    impossible = {s.data["timesheet_id"] for s in sheets if len(s.data["entries"]) > 5}
    assert len(sheets) == TOTAL
    assert len(impossible) == TOTAL // REJECT_EVERY

    async with Publisher(nats.url) as publisher:
        await publisher.publish_all(hires)  # the HR stream exists before payroll subscribes
        payroll = await asyncio.to_thread(start_service, "payroll", nats_url=nats.url, env=CONSUMER_ENV)
        reader = Reader(payroll)
        try:
            # Payroll knows every employee before their hours arrive (its consumers run side by side).
            await eventually(lambda: _at_least(reader.count("pay_profiles"), EMPLOYEES), 120, "the pay profiles")

            began = time.monotonic()
            sending = asyncio.create_task(publisher.publish_all(sheets))
            fault_at = rng.randint(TOTAL // 10, TOTAL * 7 // 10)
            print(f"{name}: fault after {fault_at} timesheets verified (seed {seed})")
            await eventually(
                lambda: _at_least(reader.processed(CONSUMER), fault_at), CATCH_UP_S, f"{fault_at} verified"
            )
            print(f"{name}: fault at {time.monotonic() - began:.1f}s")
            await fault(payroll, nats)
            await sending
            print(f"{name}: all published at {time.monotonic() - began:.1f}s")
            await eventually(
                lambda: _at_least(reader.processed(CONSUMER), TOTAL), CATCH_UP_S, f"all {TOTAL} timesheets verified"
            )
            print(f"{name}: all verified at {time.monotonic() - began:.1f}s")
            await _check_effects(reader, nats, sheets, impossible)
            duplicates = metric(payroll, "backoffice_consumer_deliveries_total", consumer=CONSUMER, outcome="duplicate")
            print(f"{name}: {publisher.retries} publish retries; {duplicates:.0f} redeliveries found in the inbox")
        except BaseException:
            print(log_tail(payroll))
            raise
        finally:
            await reader.close()


async def _at_least(count: Awaitable[int], expected: int) -> int | None:
    value = await count
    return value if value >= expected else None


async def _check_effects(reader: Reader, nats: NatsServer, sheets: list[Envelope], impossible: set[str]) -> None:
    """Every timesheet verified once: one inbox row, one timesheet row with its findings, its hours once; each
    rejection announced once on the PAYROLL stream; nothing dead-lettered."""
    assert await reader.processed(CONSUMER) == TOTAL
    stored = dict(await reader.rows("SELECT id, status FROM timesheets"))
    assert set(stored) == {s.data["timesheet_id"] for s in sheets}, "a timesheet is missing or unexpected"
    assert {i for i, status in stored.items() if status == "rejected"} == impossible
    assert {status for i, status in stored.items() if i not in impossible} == {"pending"}
    # Verified once: five payable days per accepted week, no finding of a week counted twice.
    assert await reader.count("timesheet_hours") == (TOTAL - len(impossible)) * 5
    findings = await reader.rows("SELECT id, findings FROM timesheets WHERE status = 'rejected'")
    for sheet_id, found in findings:
        assert {f["code"] for f in json.loads(found)} == {"hours_out_of_range"}, (sheet_id, found)
    assert await reader.count("timesheets WHERE findings LIKE '%duplicate_day%'") == 0
    assert await reader.dead_letters() == []

    # The outbox is drained, and each rejection is on the stream exactly once.
    await eventually(lambda: _is_zero(reader.pending_outbox()), CATCH_UP_S, "payroll's outbox drained")
    announced = await read_events(nats.url, "payroll.hours_rejected", "PAYROLL")
    ids = [e.data["timesheet_id"] for e in announced]
    assert len(ids) == len(impossible), f"{len(ids)} rejections announced for {len(impossible)} rejected timesheets"
    assert set(ids) == impossible
    assert await read_events(nats.url, "payroll.hours_verified", "PAYROLL") == []  # only a clerk verifies


async def _is_zero(count: Awaitable[int]) -> bool:
    return await count == 0


async def test_payroll_killed_with_sigkill_and_restarted_verifies_every_timesheet_once(
    own_nats: NatsServer, start_service: ServiceStarter
) -> None:
    async def kill_and_restart(payroll: RunningService, nats: NatsServer) -> None:
        before = payroll.proc.pid
        payroll.kill()  # SIGKILL: no shutdown, the batch in hand is neither acked nor nak-ed
        assert payroll.proc.proc is not None
        assert payroll.proc.proc.returncode == -9
        started = time.monotonic()
        await asyncio.to_thread(payroll.restart)  # the same command and environment, the same database
        assert payroll.proc.pid != before
        print(f"payroll restarted in {time.monotonic() - started:.1f}s")

    await _run(start_service, own_nats, kill_and_restart, "sigkill")


async def test_nats_stopped_for_5_seconds_loses_nothing_and_doubles_nothing(
    own_nats: NatsServer, start_service: ServiceStarter
) -> None:
    async def stop_nats_for_5s(payroll: RunningService, nats: NatsServer) -> None:
        pid = payroll.proc.pid
        await asyncio.to_thread(nats.stop)  # the store directory is kept
        down_since = time.monotonic()
        # Readiness says NATS is down, while the service keeps answering.
        status, body = await eventually(lambda: _not_ready(payroll), 20, "payroll reporting NATS down")
        assert status == 503, body
        assert body["checks"]["nats"].startswith("down"), body
        assert body["checks"]["database"] == "ok", body
        await asyncio.sleep(max(0.0, 5.0 - (time.monotonic() - down_since)))  # an outage of 5 s at least
        await asyncio.to_thread(nats.start)  # the same port and store: streams and durable consumers are back
        await eventually(lambda: _ready(payroll), 60, "payroll reconnected to NATS by itself")
        assert payroll.proc.pid == pid, "payroll must recover without a restart"
        assert payroll.proc.alive(), "payroll must recover without a restart"

    await _run(start_service, own_nats, stop_nats_for_5s, "nats-stop")


async def _not_ready(service: RunningService) -> tuple[int, dict[str, object]] | None:
    status, body = await ready_state(service)
    return (status, body) if status != 200 else None


async def _ready(service: RunningService) -> bool:
    status, _ = await ready_state(service)
    return status == 200
