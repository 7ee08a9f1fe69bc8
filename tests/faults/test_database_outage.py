"""PostgreSQL unreachable for 5 s under a stream of writes: every answer is a 2xx or a 503 problem+json with
Retry-After (no 500, no hang), every 2xx is stored, and the service recovers by itself.

The path from hr-svc to PostgreSQL goes through a TCP proxy of the test; cutting it resets every connection and
refuses new ones, as a database host that went away would. HR is the service under test: a hire is a write of
several rows and an outbox event.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from backoffice.testing import (
    DatabaseFactory,
    NatsServer,
    ServiceStarter,
    connect_gateway,
    read_events,
)
from faultkit import Publisher, Reader, TcpProxy, eventually, hire_body, log_tail, ready_state, warning
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.slow

OUTAGE_S = 5.0
WORKERS = 4
REQUEST_TIMEOUT_S = 30.0  # an answer slower than this is a hang


@dataclass
class Answer:
    status: int
    content_type: str
    retry_after: str | None
    body: Any
    phase: str
    email: str
    key: str | None


@dataclass
class Traffic:
    answers: list[Answer] = field(default_factory=list)
    phase: str = "before"
    stop: bool = False
    sent: int = 0


async def _writer(client: httpx.AsyncClient, traffic: Traffic, *, retry_with_key: bool) -> None:
    """Hires one after the other. With ``retry_with_key`` each hire carries an ``Idempotency-Key`` and is sent again
    after a 503 (as ``Retry-After`` invites, sooner to keep the load on) until it gets another answer."""
    while not traffic.stop:
        traffic.sent += 1
        body = hire_body(traffic.sent, prefix="outage")
        headers = {"Idempotency-Key": f"hire-{traffic.sent}"} if retry_with_key else {}
        while True:
            phase = traffic.phase
            try:
                response = await client.post("/employees", json=body, headers=headers)
            except httpx.HTTPError as exc:  # no answer at all (a dropped connection, a timeout): a failure
                answer = Answer(0, "", None, f"{type(exc).__name__}: {exc}", phase, body["email"], None)
                traffic.answers.append(answer)
                break
            try:
                content = response.json()
            except ValueError:
                content = response.text
            traffic.answers.append(
                Answer(
                    response.status_code,
                    response.headers.get("content-type", ""),
                    response.headers.get("retry-after"),
                    content,
                    phase,
                    body["email"],
                    headers.get("Idempotency-Key"),
                )
            )
            in_progress = response.status_code == 409 and "request-in-progress" in str(content)
            if response.status_code != 503 and not in_progress:
                break
            await asyncio.sleep(0.2)
            if not retry_with_key or traffic.stop:
                break


async def test_postgresql_unreachable_for_5_seconds(
    own_nats: NatsServer, start_service: ServiceStarter, database_factory: DatabaseFactory
) -> None:
    if not database_factory.is_postgres:
        pytest.skip(
            "PostgreSQL only (set BACKOFFICE_TEST_DATABASE_URL): SQLite is a file in the service's own process, "
            "it cannot become unreachable over a network"
        )
    real_url = make_url(database_factory.new_url("hr"))
    proxy = TcpProxy(real_url.host or "127.0.0.1", real_url.port or 5432)
    proxy.start()
    try:
        gateway = connect_gateway(await asyncio.to_thread(start_service, "gateway", nats_url=own_nats.url))
        token = gateway.make_user("outage-hr", ["hr"])
        through_proxy = real_url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        hr = await asyncio.to_thread(
            start_service,
            "hr",
            nats_url=own_nats.url,
            database_url=through_proxy,
            # Consumers retry quickly (all CONSUMER_MAX_DELIVER attempts fit in a second): a database outage must
            # not turn the events that arrive meanwhile into dead letters however the retries are tuned.
            env={"BACKOFFICE_HR_CONSUMER_BACKOFF_BASE_S": "0.05"},
        )
        pid = hr.proc.pid
        traffic = Traffic()
        async with httpx.AsyncClient(
            base_url=hr.url, headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_TIMEOUT_S
        ) as client:
            writers = [asyncio.create_task(_writer(client, traffic, retry_with_key=n % 2 == 1)) for n in range(WORKERS)]
            try:
                await eventually(lambda: _seen(traffic, 201, "before", 10), 60, "hires before the outage")

                traffic.phase = "outage"
                await asyncio.to_thread(proxy.cut)
                cut_at = time.monotonic()
                status, body = await eventually(lambda: _unready(hr), 20, "readiness to report the database")
                assert status == 503, body
                assert body["checks"]["database"].startswith("down"), body
                await eventually(lambda: _seen(traffic, None, "outage", 3), 20, "refusals during the outage")
                # Events HR consumes arrive meanwhile: warnings for employees hired before the outage.
                before = [a.body["id"] for a in traffic.answers if a.status == 201][:5]
                warnings = [warning(employee_id) for employee_id in before]
                async with Publisher(own_nats.url) as publisher:
                    await publisher.publish_all(warnings)
                await asyncio.sleep(max(0.0, OUTAGE_S - (time.monotonic() - cut_at)))  # at least 5 s
                await asyncio.to_thread(proxy.restore)
                traffic.phase = "after"

                # The service recovers by itself: ready again, and new hires succeed.
                await eventually(lambda: _ready(hr), 60, "readiness after the outage")
                await eventually(lambda: _seen(traffic, 201, "after", 10), 60, "hires after the outage")
            finally:
                traffic.stop = True
                results = await asyncio.gather(*writers, return_exceptions=True)
            for result in results:
                assert not isinstance(result, BaseException), f"a request failed: {result!r}\n{log_tail(hr)}"
            assert hr.proc.pid == pid, "HR must recover without a restart"
            assert hr.proc.alive(), "HR must recover without a restart"

            by_status: dict[int, int] = {}
            for answer in traffic.answers:
                by_status[answer.status] = by_status.get(answer.status, 0) + 1
            print(f"answers: {by_status}; proxy accepted {proxy.accepted} connections")
            for answer in traffic.answers:
                if answer.status not in (201, 503):
                    print(answer)
            for answer in traffic.answers:
                if answer.status == 503:
                    assert answer.content_type == "application/problem+json", answer
                    assert answer.retry_after is not None, answer
                    assert answer.retry_after.isdigit(), answer
                    assert answer.body["status"] == 503, answer
                    assert answer.body["detail"], answer
                elif answer.status == 409:
                    # "Still running" while the key of a request that met the outage is being released (it says
                    # when to retry), and "e-mail taken" for a retry whose first attempt was stored although its
                    # answer was lost with the connection (checked below). Only ever for a retry.
                    assert answer.key is not None, answer
                    assert answer.phase != "before", answer
                    problem = answer.body["type"].rsplit(":", 1)[1]
                    assert problem in ("request-in-progress", "email-taken"), answer
                    assert problem == "email-taken" or answer.retry_after == "1", answer
                else:
                    assert answer.status == 201, f"{answer}\n{log_tail(hr)}"
            # No key stays "still running": every retried request got its answer in the end.
            last: dict[str, Answer] = {a.key: a for a in traffic.answers if a.key is not None}
            for key, answer in last.items():
                assert answer.status in (201, 409, 503), (key, answer)
                assert not (answer.status == 409 and answer.body["type"].endswith(":request-in-progress")), answer
            created = {a.body["id"] for a in traffic.answers if a.status == 201}
            assert len(created) == by_status[201]

            # Every 2xx is stored: read it back through the API and count it in the database itself.
            for employee_id in created:
                found = await client.get(f"/employees/{employee_id}")
                assert found.status_code == 200, found.text
        reader = Reader(hr, real_url.render_as_string(hide_password=False))  # around the proxy
        try:
            rows = await reader.rows("SELECT id, email FROM employees")
            stored = {row[0] for row in rows}
            assert created <= stored
            emails = {row[1] for row in rows}
            assert all(a.email in emails for a in traffic.answers if a.status == 409 and "email" in a.body["type"])
            # A 503 may come after a commit whose answer was lost; whatever is stored is announced once.
            await eventually(lambda: _no_pending(reader), 60, "HR's outbox drained")
            # The events that arrived during the outage were processed once the database was back, none given up.
            kept = {"ids": [w.data["warning_id"] for w in warnings]}
            await eventually(lambda: _all_warnings(reader, kept), 60, "the warnings sent during the outage")
            assert await reader.dead_letters() == []
            said = hr.proc.log_path.read_text()
            assert "database unavailable, retrying" in said  # they met the outage ...
            assert "cannot write dead letter" not in said  # ... and waited for the database, never given up
        finally:
            await reader.close()
        announced = [e.data["employee_id"] for e in await read_events(own_nats.url, "hr.employee_hired", "HR")]
        assert sorted(announced) == sorted(stored), "each stored hire is announced exactly once"
    finally:
        proxy.close()


async def _seen(traffic: Traffic, status: int | None, phase: str, at_least: int) -> bool:
    """At least so many answers with ``status`` (None: any but 201) were sent in ``phase``."""

    def wanted(answer: Answer) -> bool:
        return answer.status != 201 if status is None else answer.status == status

    return sum(1 for a in traffic.answers if a.phase == phase and wanted(a)) >= at_least


async def _unready(service: Any) -> tuple[int, Any] | None:
    status, body = await ready_state(service)
    return (status, body) if status != 200 else None


async def _ready(service: Any) -> bool:
    status, _ = await ready_state(service)
    return status == 200


async def _all_warnings(reader: Reader, kept: dict[str, list[str]]) -> bool:
    stored = {row[0] for row in await reader.rows("SELECT id FROM warnings")}
    return set(kept["ids"]) <= stored


async def _no_pending(reader: Reader) -> bool:
    return await reader.pending_outbox() == 0
