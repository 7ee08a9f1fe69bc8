"""A malformed event on every subject any service consumes: each consumer dead-letters it with the reason (in its
``dead_letters`` table, shown by ``/admin/dead-letters``, and copied to the DLQ stream), and goes on: a good event
published after it on the same subject is processed.

The subjects come from the services' own handler lists (``ServiceSpec.event_handlers``) and are
checked against the durable consumers the running services created, so a consumer added later is covered too (it
needs a good event below; the test says so if it has none).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from backoffice.shared.bus import Envelope, EventBus, EventHandler
from backoffice.shared.events import docs, gateway, helpdesk, hr, payroll
from backoffice.shared.ids import new_id
from backoffice.shared.service import ServiceSpec
from backoffice.suite.processes import SERVICES, wait_ready
from backoffice.testing import NatsServer, RunningService, ServiceStarter, connect_gateway
from faultkit import (
    LAST_MONDAY,
    TODAY,
    Publisher,
    Reader,
    call_message,
    eventually,
    hire_body,
    hired,
    log_tail,
    payslip,
    submitted,
    terminated,
    warning,
)

pytestmark = pytest.mark.slow

CONSUMERS = ("gateway", "hr", "payroll", "helpdesk", "docs")


def consumed_by(service: str, var_dir: Path) -> list[EventHandler]:
    """The handlers a service runs, built as its app builds them (``app.state.handlers``)."""
    spec: ServiceSpec = importlib.import_module(f"{SERVICES[service]}.app").SPEC
    settings = spec.settings_cls(env="test", var_dir=var_dir / service)
    return spec.event_handlers(settings)


@dataclass
class World:
    """What good events refer to: an employee HR knows (and so every consumer knows), and one of their timesheets."""

    employee_id: str
    email: str
    timesheet_id: str


def _fair_pay_events(me: str) -> dict[str, Callable[[], Envelope]]:
    """Valid events of fair pay: a declared sex, a job category and a position placed in it, a pay register."""

    def sex_declared() -> Envelope:
        data = hr.SexDeclared(employee_id=me, sex="not_declared")
        return Envelope.of(data, source="hr", subject=me)

    category_id = new_id()

    def category_saved() -> Envelope:
        scores = hr.CriterionScores(skills=50, effort=40, responsibility=30, working_conditions=20)
        data = hr.JobCategorySaved(category_id=category_id, code="GOOD", name="Good work", scores=scores, version=1)
        return Envelope.of(data, source="hr", subject=category_id)

    def position_placed() -> Envelope:
        data = hr.PositionPlaced(
            placement_id=new_id(), position="Senior clerk", category_id=category_id, effective_from=TODAY
        )
        return Envelope.of(data, source="hr", subject=data.placement_id)

    def register_filed() -> Envelope:
        cells = [payroll.RegisterCell(sex="female", workers=2, suppressed=True)]
        row = payroll.RegisterRow(
            category_name="No job category", concept="total", description="Total", component="total", cells=cells
        )
        data = payroll.PayRegisterFiled(
            register_id=new_id(),
            period_start=TODAY.replace(month=1, day=1),
            period_end=TODAY,
            currency="EUR",
            threshold=5,
            rows=[row],
        )
        return Envelope.of(data, source="payroll", subject=data.register_id)

    return {
        hr.SexDeclared.TYPE: sex_declared,
        hr.JobCategorySaved.TYPE: category_saved,
        hr.PositionPlaced.TYPE: position_placed,
        payroll.PayRegisterFiled.TYPE: register_filed,
    }


def _good_events(world: World) -> dict[str, Callable[[], Envelope]]:
    """A valid event for every consumed subject, which its consumers process (rather than reject)."""
    me, now = world.employee_id, datetime.now(UTC)

    def updated() -> Envelope:
        data = hr.EmployeeUpdated(
            employee_id=me,
            effective_date=TODAY,
            changes=["position"],
            given_name="Good",
            family_name="Tester",
            email=world.email,
            position="Senior clerk",
            status="active",
        )
        return Envelope.new(hr.EmployeeUpdated.TYPE, source="hr", subject=me, data=data)

    def verdict(kind: str) -> Envelope:
        if kind == payroll.HoursVerified.TYPE:
            data: Any = payroll.HoursVerified(timesheet_id=world.timesheet_id, employee_id=me)
        else:
            data = payroll.HoursRejected(timesheet_id=world.timesheet_id, employee_id=me, reason="Wrong week")
        return Envelope.new(kind, source="payroll", subject=me, data=data)

    def payrun() -> Envelope:
        data = payroll.PayrunCompleted(
            run_id=new_id(),
            pay_group="monthly",
            period_start=TODAY.replace(day=1),
            period_end=TODAY,
            pay_date=TODAY,
            currency="EUR",
            employees=1,
            gross=Decimal("100.00"),
            deductions=Decimal("20.00"),
            net=Decimal("80.00"),
            employer_contributions=Decimal("30.00"),
            by_code=[],
            by_department=[],
        )
        return Envelope.new(payroll.PayrunCompleted.TYPE, source="payroll", subject=data.run_id, data=data)

    def supplier_paid() -> Envelope:
        data = payroll.SupplierPaymentMade(
            payment_id=new_id(),
            payment_run_id=new_id(),
            supplier_id=new_id(),
            supplier_name="Paper & Co",
            amount=Decimal("150.00"),
            currency="EUR",
            execution_date=TODAY,
            end_to_end_id="E2E-FAULT-1",
            invoices=[payroll.PaidInvoice(invoice_id=new_id(), number="F-1", invoice_date=TODAY, amount=Decimal(150))],
        )
        return Envelope.new(payroll.SupplierPaymentMade.TYPE, source="payroll", subject=data.payment_id, data=data)

    def resolved() -> Envelope:
        data = helpdesk.TicketResolved(ticket_id=new_id(), kind="incident", requester_employee_id=me, resolved_at=now)
        return Envelope.new(helpdesk.TicketResolved.TYPE, source="helpdesk", subject=data.ticket_id, data=data)

    def filed() -> Envelope:
        data = docs.DocumentFiled(document_id=new_id(), type="note", employee_id=me, title="A note")
        return Envelope.new(docs.DocumentFiled.TYPE, source="docs", subject=data.document_id, data=data)

    def readers() -> Envelope:  # a ticket whose attachment is a document docs does not have: nothing to grant
        data = helpdesk.AttachmentReadersChanged(
            ticket_id=new_id(),
            number=1,
            revision=1,
            documents=[helpdesk.AttachedDocument(document_id=new_id(), attached_by=new_id())],
            reader_employee_ids=[me],
            changed_at=now,
        )
        return Envelope.of(data, source="helpdesk", subject=data.ticket_id)

    def reset() -> Envelope:
        data = gateway.PasswordResetIssued(
            user_id=new_id(),
            employee_id=me,
            login=f"good-{new_id()[-8:]}",
            email=world.email,
            issued_by=new_id(),
            expires_at=now + timedelta(hours=24),
        )
        return Envelope.new(gateway.PasswordResetIssued.TYPE, source="gateway", subject=me, data=data)

    return {
        **_fair_pay_events(me),
        hr.EmployeeHired.TYPE: lambda: hired(f"good-{new_id()[-8:]}", LAST_MONDAY - timedelta(days=365)),
        hr.EmployeeUpdated.TYPE: updated,
        hr.EmployeeTerminated.TYPE: lambda: terminated(me, TODAY + timedelta(days=60)),
        hr.HoursSubmitted.TYPE: lambda: submitted(me, LAST_MONDAY - timedelta(weeks=2)),
        hr.WarningIssued.TYPE: lambda: warning(me),
        payroll.HoursVerified.TYPE: lambda: verdict(payroll.HoursVerified.TYPE),
        payroll.HoursRejected.TYPE: lambda: verdict(payroll.HoursRejected.TYPE),
        payroll.PayslipIssued.TYPE: lambda: payslip(me, "Good Tester"),
        payroll.PayrunCompleted.TYPE: payrun,
        payroll.SupplierPaymentMade.TYPE: supplier_paid,
        helpdesk.TicketResolved.TYPE: resolved,
        helpdesk.AttachmentReadersChanged.TYPE: readers,
        helpdesk.CallMessageTaken.TYPE: lambda: call_message(me, "Good Tester"),
        docs.DocumentFiled.TYPE: filed,
        gateway.PasswordResetIssued.TYPE: reset,
    }


def _malformed(subject: str) -> list[tuple[bytes, str, str]]:
    """(payload, message id, how the reason starts): not JSON; bytes that are not even text (a NUL, invalid UTF-8); a
    valid envelope whose data breaks the contract (every contract has required fields); a version nobody reads."""
    invalid = Envelope.new(subject, source=subject.split(".")[0], data={"unexpected": True})
    unknown = Envelope.new(subject, source=subject.split(".")[0], data={}, version=99)
    return [
        (b'{"id": "truncated' + subject.encode(), f"broken-{subject}", "invalid envelope"),
        (b"\x00\xff\xfe binary " + subject.encode(), f"binary-{subject}", "invalid envelope: payload"),
        (invalid.to_json(), invalid.id, "invalid data"),
        (unknown.to_json(), unknown.id, f"version 99 of {subject} is not understood"),
    ]


async def test_a_malformed_event_on_every_consumed_subject_is_dead_lettered_and_consumers_go_on(
    own_nats: NatsServer, start_service: ServiceStarter, tmp_path: Path
) -> None:
    handlers = {name: consumed_by(name, tmp_path / "code") for name in CONSUMERS}
    consumers = {h.durable(name): (name, h) for name, found in handlers.items() for h in found}
    subjects = sorted({h.event_type for _, h in consumers.values()})
    print(f"{len(consumers)} consumers of {len(subjects)} subjects: {sorted(consumers)}")

    gateway = await asyncio.to_thread(start_service, "gateway", nats_url=own_nats.url)
    started = {
        name: await asyncio.to_thread(start_service, name, nats_url=own_nats.url, wait=False)
        for name in CONSUMERS
        if name != "gateway"
    }
    for service in started.values():
        await asyncio.to_thread(wait_ready, service.url, 90, service.proc)
    services: dict[str, RunningService] = {"gateway": gateway, **started}
    readers = {name: Reader(service) for name, service in services.items()}
    try:
        # Every consumer the code declares is subscribed on NATS, and nothing else is.
        durables = await eventually(lambda: _durables(own_nats.url, len(consumers)), 90, "every consumer subscribed")
        assert durables == {durable: handler.event_type for durable, (_, handler) in consumers.items()}

        world = await asyncio.to_thread(_make_world, gateway, services["hr"])
        # Every consumer of the hire knows the employee before the good events refer to them.
        for name in ("gateway", "payroll", "helpdesk", "docs"):
            await eventually(
                partial(readers[name].count, "inbox WHERE consumer = :c", c=f"{name}-employee_hired"),
                60,
                f"{name} to know the employee",
            )

        good = _good_events(world)
        missing = [s for s in subjects if s not in good]
        assert not missing, f"no good event for {missing}: add one to _good_events"
        sent: dict[str, Envelope] = {}
        malformed = {subject: _malformed(subject) for subject in subjects}
        async with Publisher(own_nats.url) as publisher:
            for subject in subjects:
                for payload, msg_id, _ in malformed[subject]:
                    await publisher.raw(subject, payload, msg_id)
            for subject in subjects:
                sent[subject] = good[subject]()
                await publisher.publish(sent[subject])

        # The good event after the malformed ones is processed by each of its consumers.
        for durable, (name, handler) in consumers.items():
            event_id = sent[handler.event_type].id
            await eventually(
                partial(readers[name].count, "inbox WHERE consumer = :c AND event_id = :e", c=durable, e=event_id),
                90,
                f"{durable} to process the good event after the malformed ones",
            )

        # Each malformed event is a dead letter of each consumer of its subject, with the reason.
        for durable, (name, handler) in consumers.items():
            letters = _dead_letters(services[name], durable)
            expected = malformed[handler.event_type]
            assert len(letters) == len(expected), (durable, letters)
            for payload, msg_id, reason in expected:
                letter_event_id = None if msg_id.startswith(("broken-", "binary-")) else msg_id
                matching = [
                    letter
                    for letter in letters
                    if letter["reason"].startswith(reason)
                    and letter["event_id"] == letter_event_id
                    and letter["payload"] == payload.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
                ]
                assert len(matching) == 1, (durable, reason, letters)
            assert all(letter["subject"] == handler.event_type and letter["attempts"] == 1 for letter in letters)

        # ... and copied to the DLQ stream with the reason in a header.
        copies = await _dlq_copies(own_nats.url)
        for durable, (name, handler) in consumers.items():
            reasons = copies.get(f"dlq.{name}.{handler.name}", [])
            assert len(reasons) == len(malformed[handler.event_type]), (durable, reasons)
            assert all(reasons), (durable, reasons)

        # An operator replays a dead letter with the payload corrected: processed once, then refused as replayed.
        letter = next(
            d
            for d in _dead_letters(services["payroll"], "payroll-hours_submitted")
            if d["reason"].startswith("invalid data")
        )
        fixed = json.loads(letter["payload"])
        fixed["data"] = json.loads(submitted(world.employee_id, LAST_MONDAY - timedelta(weeks=3)).to_json())["data"]
        async with httpx.AsyncClient(
            base_url=services["payroll"].url, headers=services["payroll"].operator_auth, timeout=30
        ) as client:
            replay = await client.post(f"/admin/dead-letters/{letter['id']}/replay", json={"payload": fixed})
            assert replay.status_code == 200, replay.text
            assert replay.json()["outcome"] == "processed", replay.text
            again = await client.post(f"/admin/dead-letters/{letter['id']}/replay")
            assert again.status_code == 409, again.text
        assert await readers["payroll"].count("timesheets WHERE id = :i", i=fixed["data"]["timesheet_id"]) == 1
    except BaseException:
        print(log_tail(*services.values()))
        raise
    finally:
        for reader in readers.values():
            await reader.close()


async def _durables(nats_url: str, expected: int) -> dict[str, str] | None:
    bus = EventBus(nats_url, name="fault-test-inspector")
    await bus.connect(10)
    try:
        found: dict[str, str] = {}
        for stream in ("HR", "PAYROLL", "HELPDESK", "DOCS", "GATEWAY"):
            try:
                infos = await bus.js.consumers_info(stream)
            except Exception:
                continue
            for info in infos:
                if info.config.durable_name:
                    found[info.config.durable_name] = str(info.config.filter_subject)
        return found if len(found) >= expected else None
    finally:
        await bus.close()


def _make_world(gateway: RunningService, hr_service: RunningService) -> World:
    """An employee hired through HR's API (their hire reaches everyone through HR's outbox) and a draft timesheet."""
    admin = connect_gateway(gateway)
    token = admin.make_user("malformed-hr", ["hr"])
    with httpx.Client(base_url=hr_service.url, headers=admin.auth(token), timeout=30) as client:
        body = hire_body("good", prefix="malformed")
        employee = client.post("/employees", json=body)
        assert employee.status_code == 201, employee.text
        employee_id = employee.json()["id"]
        sheet = client.post("/timesheets", json={"week_start": LAST_MONDAY.isoformat(), "employee_id": employee_id})
        assert sheet.status_code == 201, sheet.text
    admin.client.close()
    return World(employee_id=employee_id, email=body["email"], timesheet_id=sheet.json()["id"])


def _dead_letters(service: RunningService, consumer: str) -> list[dict[str, Any]]:
    response = httpx.get(
        f"{service.url}/admin/dead-letters",
        params={"consumer": consumer, "status": "dead", "limit": 500},
        headers=service.operator_auth,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _dlq_copies(nats_url: str) -> dict[str, list[str]]:
    """Subject -> the ``Backoffice-Reason`` header of each message on the DLQ stream."""
    from nats.js.api import AckPolicy, ConsumerConfig

    bus = EventBus(nats_url, name="fault-test-dlq-reader")
    await bus.connect(10)
    try:
        sub = await bus.js.pull_subscribe("dlq.>", stream="DLQ", config=ConsumerConfig(ack_policy=AckPolicy.NONE))
        found: dict[str, list[str]] = {}
        while True:
            try:
                messages = await sub.fetch(500, timeout=2)
            except TimeoutError:
                return found
            for message in messages:
                found.setdefault(message.subject, []).append((message.headers or {}).get("Backoffice-Reason", ""))
            if messages and messages[-1].metadata.num_pending == 0:
                return found
    finally:
        await bus.close()
