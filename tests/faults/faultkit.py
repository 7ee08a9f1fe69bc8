"""Helpers of the fault tests: events as their producers publish them, a publisher that retries like an outbox,
read-only counts in a service's database, and polling for outcomes (never a fixed sleep for correctness)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from backoffice.shared.bus import Envelope, EventBus
from backoffice.shared.db import Database
from backoffice.shared.events import hr
from backoffice.shared.ids import new_id
from backoffice.testing import RunningService
from sqlalchemy import text

TODAY = date.today()
LAST_MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)
# Messages a consumer fetched and held when it died come back after the ack wait: shorter than the 30 s default
# so a restarted consumer catches up within the test, long enough for a batch to be handled in time.
CONSUMER_ENV = {"BACKOFFICE_CONSUMER_ACK_WAIT_S": "10"}
DUPLICATE_WINDOW_S = 1200  # as the services create their streams (STREAM_DUPLICATE_WINDOW_S)


def seeded(name: str) -> tuple[random.Random, int]:
    """A random source for the moment of a fault; ``BACKOFFICE_FAULT_SEED`` replays a failed run."""
    seed = int(os.environ.get("BACKOFFICE_FAULT_SEED") or time.time_ns() % 1_000_000_007)
    print(f"{name}: BACKOFFICE_FAULT_SEED={seed}")
    return random.Random(seed), seed


# -- events -----------------------------------------------------------------------------------------
def hired(employee_id: str, start: date, **extra: Any) -> Envelope:
    data = hr.EmployeeHired(
        employee_id=employee_id,
        given_name=employee_id.capitalize(),
        family_name="Fault",
        email=f"{employee_id}@example.com",
        department="Operations",
        start_date=start,
        pay_terms=hr.PayTerms(pay_type="hourly", rate=Decimal("25.50"), currency="EUR", frequency="monthly"),
        **extra,
    )
    return Envelope.new(hr.EmployeeHired.TYPE, source="hr", subject=employee_id, data=data)


def submitted(employee_id: str, week_start: date, *, impossible: bool = False) -> Envelope:
    """A valid ``hr.hours_submitted``: five days of 8 h; ``impossible`` adds 9 h of overtime on the Monday, which
    the contract accepts (each entry is at most 24 h) and payroll rejects (25 h in one day)."""
    entries = [hr.TimeEntry(day=week_start + timedelta(days=d), hours=Decimal(8), kind="regular") for d in range(5)]
    if impossible:
        entries.append(hr.TimeEntry(day=week_start, hours=Decimal(17), kind="overtime"))
    data = hr.HoursSubmitted(
        timesheet_id=new_id(),
        employee_id=employee_id,
        week_start=week_start,
        version=1,
        entries=entries,
        total_hours=sum((e.hours for e in entries), Decimal(0)),
    )
    return Envelope.new(hr.HoursSubmitted.TYPE, source="hr", subject=employee_id, data=data)


def workload(employees: int, weeks: int, reject_every: int) -> tuple[list[Envelope], list[Envelope]]:
    """Hires (started two years ago) and ``employees * weeks`` timesheets, one week each, in an interleaved order;
    every ``reject_every``-th timesheet is impossible."""
    start = LAST_MONDAY - timedelta(days=730)
    ids = [f"emp{n:04d}" for n in range(employees)]
    hires = [hired(e, start) for e in ids]
    sheets = [
        submitted(e, LAST_MONDAY - timedelta(weeks=w), impossible=(w * employees + n) % reject_every == 0)
        for w in range(weeks)
        for n, e in enumerate(ids)
    ]
    return hires, sheets


# -- publishing -------------------------------------------------------------------------------------
class Publisher:
    """Publishes envelopes on their producer's stream through one connection. A publish that fails (NATS stopped,
    reconnecting) is retried with the same ``Nats-Msg-Id`` until it is stored, as an outbox relay does, so the
    stream holds each event once whatever happens."""

    def __init__(self, nats_url: str, *, retry_for_s: float = 120.0, replicas: int = 1):
        self.bus = EventBus(nats_url, name="fault-test-publisher")
        self.retry_for_s = retry_for_s
        self.replicas = replicas  # as the services create their streams (STREAM_REPLICAS): never scale one down
        self.retries = 0
        self._streams: set[str] = set()

    async def __aenter__(self) -> Publisher:
        await self.bus.connect(30)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.bus.close()

    async def ensure_stream(self, stream: str) -> None:
        if stream not in self._streams:
            await self.bus.ensure_stream(
                stream, [f"{stream.lower()}.>"], duplicate_window_s=DUPLICATE_WINDOW_S, replicas=self.replicas
            )
            self._streams.add(stream)

    async def publish(self, envelope: Envelope) -> None:
        await self.raw(envelope.type, envelope.to_json(), envelope.id)

    async def raw(self, subject: str, payload: bytes, msg_id: str) -> None:
        stream = subject.split(".", 1)[0].upper()
        deadline = time.monotonic() + self.retry_for_s
        while True:
            try:
                await self.ensure_stream(stream)
                await self.bus.js.publish(subject, payload, headers={"Nats-Msg-Id": msg_id}, timeout=2.0)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                self.retries += 1
                await asyncio.sleep(0.2)

    async def publish_all(self, envelopes: Iterable[Envelope]) -> None:
        for envelope in envelopes:
            await self.publish(envelope)


# -- reading outcomes -------------------------------------------------------------------------------
class Reader:
    """Read-only queries on a service's database (counting effects; nothing is ever written)."""

    def __init__(self, service: RunningService, url: str | None = None):
        self.service = service
        self.db = Database(url or service.env[f"BACKOFFICE_{service.name.upper()}_DATABASE_URL"], pool_size=2)

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.session(write=False) as session:
            return await session.scalar(text(sql), params)

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.db.session(write=False) as session:
            return list((await session.execute(text(sql), params)).all())

    async def count(self, sql_from: str, **params: Any) -> int:
        return int(await self.scalar(f"SELECT count(*) FROM {sql_from}", **params) or 0)

    async def processed(self, consumer: str) -> int:
        return await self.count("inbox WHERE consumer = :c", c=consumer)

    async def pending_outbox(self) -> int:
        return await self.count("outbox WHERE state = 'pending'")

    async def dead_letters(self) -> list[Any]:
        return await self.rows("SELECT consumer, subject, event_id, reason FROM dead_letters")

    async def close(self) -> None:
        await self.db.dispose()


async def eventually(check: Callable[[], Awaitable[Any]], timeout_s: float, what: str, *, every_s: float = 0.25) -> Any:
    """Poll ``check`` until it returns something true; fail naming ``what`` (and the last value) after the timeout."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while True:
        try:
            last = await check()
        except AssertionError:
            raise
        except Exception as exc:  # a service restarting, a database busy: keep polling
            last = f"{type(exc).__name__}: {exc}"
        else:
            if last:
                return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what} (last: {last!r})")
        await asyncio.sleep(every_s)


def metric(service: RunningService, name: str, **labels: str) -> float:
    """One sample of a Prometheus metric from the service's ``/metrics`` (0 when absent)."""
    body = httpx.get(f"{service.url}/metrics", timeout=10).text
    wanted = {k: v for k, v in labels.items()}
    total = 0.0
    for line in body.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line[len(name) : line.rindex("}") + 1]))
        if all(found.get(k) == v for k, v in wanted.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def ready_state(service: RunningService) -> tuple[int, Any]:
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{service.url}/health/ready")
        return response.status_code, response.json()


def log_tail(*services: RunningService, lines: int = 30, width: int = 400) -> str:
    """The last lines of each service's log, each cut to ``width`` characters (tracebacks are long)."""
    parts = []
    for s in services:
        tail = "\n".join(line[:width] for line in s.proc.tail(lines).splitlines())
        parts.append(f"--- {s.name} ({s.proc.log_path}):\n{tail}")
    return "\n".join(parts)


@contextlib.asynccontextmanager
async def readers(*services: RunningService) -> Any:
    opened = [Reader(s) for s in services]
    try:
        yield opened
    finally:
        for reader in opened:
            await reader.close()


# -- a TCP path that can be cut ---------------------------------------------------------------------
class TcpProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream`` from a thread of its own (so a test blocked on a process start
    does not stall it). ``cut()`` resets every connection and refuses new ones, as a database host that vanished
    would; ``restore()`` listens again on the same port."""

    def __init__(self, upstream_host: str, upstream_port: int):
        from backoffice.suite.processes import free_port

        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.accepted = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen())

    def cut(self) -> None:
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._cut())
            self._call(self._cancel_the_rest())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()

    async def _cancel_the_rest(self) -> None:
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=20)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port, reuse_address=True)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()  # new connections are refused from now on
        for writer in list(self._open):
            writer.transport.abort()  # RST: what a client sees when the server host goes away
        self._open.clear()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        self._open |= {client_w, server_w}

        async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except Exception:
                pass
            finally:
                writer.transport.abort()
                self._open.discard(writer)

        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))


# -- other producers' events, as they publish them -------------------------------------------------
def payslip(employee_id: str, name: str, n: int = 1) -> Envelope:
    from backoffice.shared.events import payroll

    month_end = date(TODAY.year, TODAY.month, 1) - timedelta(days=1)
    slip = payroll.PayslipIssued(
        payslip_id=new_id(),
        run_id=f"run-{n}",
        employee_id=employee_id,
        employee_name=name,
        department="Operations",
        pay_type="hourly",
        currency="EUR",
        period_start=month_end.replace(day=1),
        period_end=month_end,
        pay_date=month_end,
        final=False,
        hours={"regular": Decimal("160")},
        lines=[
            payroll.PayslipLine(
                category="earning",
                code="regular",
                description="Regular hours",
                quantity=Decimal(160),
                rate=Decimal("25.50"),
                amount=Decimal("4080.00"),
            ),
            payroll.PayslipLine(category="deduction", code="tax", description="Income tax", amount=Decimal("816.00")),
        ],
        gross=Decimal("4080.00"),
        deductions=Decimal("816.00"),
        net=Decimal("3264.00"),
        employer_contributions=Decimal("1224.00"),
    )
    return Envelope.new(payroll.PayslipIssued.TYPE, source="payroll", subject=slip.payslip_id, data=slip)


def call_message(employee_id: str, name: str) -> Envelope:
    from datetime import UTC, datetime

    from backoffice.shared.events import helpdesk

    message = helpdesk.CallMessageTaken(
        message_id=new_id(),
        call_id=new_id(),
        for_employee_id=employee_id,
        for_name=name,
        caller_name="Mrs Client",
        body="Please call back about the order.",
        callback_requested=True,
        taken_at=datetime.now(UTC),
    )
    return Envelope.new(helpdesk.CallMessageTaken.TYPE, source="helpdesk", subject=message.message_id, data=message)


def warning(employee_id: str) -> Envelope:
    data = hr.WarningIssued(
        warning_id=new_id(),
        employee_id=employee_id,
        category="conduct",
        severity="minor",
        facts="Arrived an hour late without notice.",
        occurred_on=TODAY,
    )
    return Envelope.new(hr.WarningIssued.TYPE, source="hr", subject=employee_id, data=data)


def terminated(employee_id: str, on: date | None = None) -> Envelope:
    data = hr.EmployeeTerminated(employee_id=employee_id, effective_date=on or TODAY, kind="voluntary", reason="Left")
    return Envelope.new(hr.EmployeeTerminated.TYPE, source="hr", subject=employee_id, data=data)


def hire_body(n: int | str, *, prefix: str = "fault") -> dict[str, Any]:
    """The body of ``POST /employees`` at HR."""
    return {
        "given_name": f"{prefix.capitalize()}{n}",
        "family_name": "Tester",
        "email": f"{prefix}{n}@example.com",
        "employment_type": "hourly",
        "start_date": (TODAY - timedelta(days=400)).isoformat(),
        "pay_terms": {"pay_type": "hourly", "rate": "25.50", "currency": "EUR", "frequency": "monthly"},
    }
