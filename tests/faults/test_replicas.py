"""Two replicas of every service that consumes events (gateway, hr, payroll, helpdesk, docs), each pair on one
database and one NATS: every event's effect happens once, and every event a replica publishes is on its stream once.

Events come the way they do in production where that is cheap (hires, timesheets and a clerk's decisions through
the services' APIs, so through both replicas' outboxes), and straight onto the producer's stream otherwise
(warnings, terminations, payslips, call messages, resolved tickets, as their producers would publish them).
Effects are counted at the end in each service's database (read only) and on the streams.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from backoffice.shared.bus import Envelope
from backoffice.shared.events import docs, helpdesk
from backoffice.shared.ids import new_id
from backoffice.suite.processes import wait_ready
from backoffice.testing import (
    GatewayClient,
    NatsServer,
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
    call_message,
    eventually,
    hire_body,
    log_tail,
    metric,
    payslip,
    submitted,
    terminated,
    warning,
)

pytestmark = pytest.mark.slow

SERVICES = ("gateway", "hr", "payroll", "helpdesk", "docs")
EMPLOYEES = 20
WEEKS = 10  # timesheets published straight to payroll per employee, besides the one each submits through HR
SETTLE_S = 180.0


async def _start_pairs(start_service: ServiceStarter, nats: NatsServer) -> dict[str, list[RunningService]]:
    """The first replica of each service, then a second one on the same database (after the first has migrated)."""
    pairs: dict[str, list[RunningService]] = {
        "gateway": [await asyncio.to_thread(start_service, "gateway", nats_url=nats.url, env=CONSUMER_ENV)]
    }
    for name in SERVICES[1:]:
        pairs[name] = [await asyncio.to_thread(start_service, name, nats_url=nats.url, env=CONSUMER_ENV, wait=False)]
    await asyncio.gather(*(asyncio.to_thread(wait_ready, p[0].url, 120, p[0].proc) for p in pairs.values()))
    for name, pair in pairs.items():
        database_url = pair[0].env[f"BACKOFFICE_{name.upper()}_DATABASE_URL"]
        pair.append(
            await asyncio.to_thread(
                start_service, name, nats_url=nats.url, database_url=database_url, env=CONSUMER_ENV, wait=False
            )
        )
    await asyncio.gather(*(asyncio.to_thread(wait_ready, p[1].url, 120, p[1].proc) for p in pairs.values()))
    return pairs


def _hire(pairs: dict[str, list[RunningService]], admin: GatewayClient, hr_token: str) -> list[str]:
    """HR's onboarding checklist, then the hires, sent to both replicas in turn."""
    hr = [httpx.Client(base_url=s.url, headers=admin.auth(hr_token), timeout=60) for s in pairs["hr"]]
    try:
        tasks = [
            {
                "title": "Contract filed",
                "owner_role": "hr",
                "due_offset_days": 0,
                "done_on_event": "docs.document_filed",
            },
            {
                "title": "Laptop",
                "owner_role": "it_agent",
                "due_offset_days": 0,
                "done_on_event": "helpdesk.ticket_resolved",
            },
        ]
        saved = hr[0].put("/checklist-templates", json={"kind": "onboarding", "tasks": tasks})
        assert saved.status_code == 200, saved.text
        employees = []
        for n in range(EMPLOYEES):
            created = hr[n % 2].post("/employees", json=hire_body(n, prefix="replica"))
            assert created.status_code == 201, created.text
            employees.append(created.json()["id"])
        return employees
    finally:
        for client in hr:
            client.close()


def _submit_timesheets(
    pairs: dict[str, list[RunningService]], admin: GatewayClient, hr_token: str, employees: list[str]
) -> list[str]:
    """One week each through HR's API (opened on one replica, filled and submitted on the other)."""
    hr = [httpx.Client(base_url=s.url, headers=admin.auth(hr_token), timeout=60) for s in pairs["hr"]]
    try:
        sheets = []
        for n, employee_id in enumerate(employees):
            sheet = hr[n % 2].post(
                "/timesheets", json={"week_start": LAST_MONDAY.isoformat(), "employee_id": employee_id}
            )
            assert sheet.status_code == 201, sheet.text
            sheet_id = sheet.json()["id"]
            days = [{"day": (LAST_MONDAY + timedelta(days=d)).isoformat(), "hours": "8"} for d in range(5)]
            filled = hr[(n + 1) % 2].put(f"/timesheets/{sheet_id}/entries", json={"entries": days})
            assert filled.status_code == 200, filled.text
            sent = hr[(n + 1) % 2].post(f"/timesheets/{sheet_id}/submit")
            assert sent.status_code == 200, sent.text
            sheets.append(sheet_id)
        return sheets
    finally:
        for client in hr:
            client.close()


def _other_events(employees: list[str]) -> list[Envelope]:
    """What the other producers publish about each employee: warnings, terminations, payslips, call messages,
    onboarding done and signed contracts."""
    names = {e: f"Replica{n} Tester" for n, e in enumerate(employees)}
    others: list[Envelope] = []
    for e in employees:
        others += [warning(e), terminated(e), payslip(e, names[e]), call_message(e, names[e])]
        others += [_onboarding_done(e), _signed_contract(e)]
    return others


async def _decide_on_both_replicas(payroll: list[RunningService], admin: GatewayClient, sheets: list[str]) -> None:
    """A payroll clerk approves the first ten timesheets on one replica and rejects the rest on the other."""
    clerk = admin.make_user("replicas-clerk", ["payroll"])
    for n, (decision, chosen) in enumerate((("approve", sheets[:10]), ("reject", sheets[10:]))):
        body: dict[str, Any] = {"decision": decision, "timesheet_ids": chosen}
        if decision == "reject":
            body["reason"] = "Hours do not match the rota"
        async with httpx.AsyncClient(base_url=payroll[n].url, headers=admin.auth(clerk)) as client:
            answer = await client.post("/timesheets/decisions", json=body, timeout=60)
        assert answer.status_code == 200, answer.text


async def test_two_replicas_of_every_consumer_each_effect_happens_once(
    own_nats: NatsServer, start_service: ServiceStarter
) -> None:
    pairs = await _start_pairs(start_service, own_nats)
    everyone = [s for pair in pairs.values() for s in pair]
    readers = {name: Reader(pair[0]) for name, pair in pairs.items()}
    try:
        admin = await asyncio.to_thread(connect_gateway, pairs["gateway"][0])
        hr_token = admin.make_user("replicas-hr", ["hr"])
        employees = await asyncio.to_thread(_hire, pairs, admin, hr_token)
        ours = {"ids": tuple(employees)}

        # Every consumer of the hire knows each employee once.
        await _settle(readers["payroll"], "pay_profiles WHERE employee_id IN :ids", ours, EMPLOYEES, "pay profiles")
        await _settle(readers["gateway"], "users WHERE employee_id IN :ids", ours, EMPLOYEES, "logins")
        await _settle(readers["helpdesk"], "staff WHERE employee_id IN :ids", ours, EMPLOYEES, "directory entries")

        # HR's timesheets go to payroll; other weeks, and the other producers' events, straight onto the streams.
        hr_sheets = await asyncio.to_thread(_submit_timesheets, pairs, admin, hr_token, employees)
        direct = [submitted(e, LAST_MONDAY - timedelta(weeks=w)) for w in range(1, WEEKS + 1) for e in employees]
        others = _other_events(employees)
        async with Publisher(own_nats.url) as publisher:
            await publisher.publish_all(direct + others)

        sheet_ids = {"ids": tuple(hr_sheets)}
        await _settle(readers["payroll"], "timesheets WHERE id IN :ids", sheet_ids, len(hr_sheets), "HR's timesheets")
        await _decide_on_both_replicas(pairs["payroll"], admin, hr_sheets)

        # Everything settles: each effect exactly once.
        total_sheets = len(direct) + len(hr_sheets)
        await _settle(readers["payroll"], "timesheets", {}, total_sheets, "every timesheet at payroll")
        await _settle(readers["hr"], "warnings WHERE employee_id IN :ids", ours, EMPLOYEES, "warnings at HR")
        await _settle(readers["hr"], "timesheets WHERE status = 'verified'", {}, 10, "HR's verified timesheets")
        await _settle(readers["hr"], "timesheets WHERE status = 'rejected'", {}, 10, "HR's rejected timesheets")
        await _settle(readers["hr"], "checklist_tasks WHERE status = 'done'", {}, 2 * EMPLOYEES, "ticked tasks")
        await _settle(readers["gateway"], "users WHERE active = false", {}, EMPLOYEES, "logins disabled")
        await _settle(readers["payroll"], "pay_profiles WHERE end_date IS NOT NULL", {}, EMPLOYEES, "final pay dates")
        for kind in ("onboarding", "offboarding"):
            await _settle(readers["helpdesk"], f"tickets WHERE kind = '{kind}'", {}, EMPLOYEES, f"{kind} tickets")
        for doc_type in ("contract", "warning_letter", "termination_letter", "payslip", "call_message"):
            await _settle(readers["docs"], f"documents WHERE type = '{doc_type}'", {}, EMPLOYEES, f"{doc_type}s")
        for name, reader in readers.items():
            await eventually(partial(_drained, reader), SETTLE_S, f"{name}'s outbox drained")

        assert await readers["payroll"].count("timesheets WHERE status = 'rejected'") == 10
        assert await readers["payroll"].count("timesheets WHERE status = 'approved'") == 10
        assert await readers["payroll"].count("timesheet_hours") == total_sheets * 5
        for name, reader in readers.items():
            assert await reader.dead_letters() == [], f"{name} dead-lettered events"

        # Each consumer handled each of its events once: one inbox row per event, as many as were published.
        published = Counter(e.type for e in direct + others)
        inbox = dict(await readers["payroll"].rows("SELECT consumer, count(*) FROM inbox GROUP BY consumer"))
        assert inbox["payroll-hours_submitted"] == published["hr.hours_submitted"] + len(hr_sheets)
        assert inbox["payroll-employee_terminated"] == EMPLOYEES
        docs_inbox = dict(await readers["docs"].rows("SELECT consumer, count(*) FROM inbox GROUP BY consumer"))
        for consumer in ("payslip_issued", "call_message_taken", "warning_issued", "employee_terminated"):
            assert docs_inbox[f"docs-{consumer}"] == EMPLOYEES, (consumer, docs_inbox)

        # Every event the replicas published is on its stream once.
        expectations = {
            ("HR", "hr.employee_hired"): EMPLOYEES,
            ("HR", "hr.hours_submitted"): len(direct) + len(hr_sheets),
            ("HR", "hr.disciplinary_escalated"): EMPLOYEES,
            ("PAYROLL", "payroll.hours_verified"): 10,
            ("PAYROLL", "payroll.hours_rejected"): 10,
            ("HELPDESK", "helpdesk.ticket_opened"): 2 * EMPLOYEES,
            ("DOCS", "docs.document_filed"): 5 * EMPLOYEES + EMPLOYEES,  # and the signed copies this test filed
            ("GATEWAY", "gateway.user_provisioned"): EMPLOYEES,
            ("GATEWAY", "gateway.user_disabled"): EMPLOYEES,
        }
        for (stream, subject), expected in expectations.items():
            found = await read_events(own_nats.url, subject, stream)
            if stream == "GATEWAY":  # the logins the admin made for the test are announced too
                found = [e for e in found if e.data.get("employee_id") in employees]
            assert len(found) == expected, (subject, len(found), expected)
            assert len({e.id for e in found}) == expected, f"an event of {subject} was published twice"
            assert len({json_key(e) for e in found}) == expected, f"{subject}: one effect announced twice"

        shares = {
            s.proc.log_path.name: metric(s, "backoffice_consumer_deliveries_total", outcome="processed")
            for s in everyone
        }
        print(f"events processed per replica: {shares}")
    except BaseException:
        print(log_tail(*everyone))
        raise
    finally:
        for reader in readers.values():
            await reader.close()


def json_key(envelope: Envelope) -> str:
    """What identifies the effect an event announces (the record it is about), beyond the event id."""
    data = envelope.data
    for key in ("timesheet_id", "ticket_id", "document_id", "user_id", "warning_id", "employee_id"):
        if key in data:
            return f"{key}={data[key]}"
    return envelope.id


def _onboarding_done(employee_id: str) -> Envelope:
    data = helpdesk.TicketResolved(
        ticket_id=new_id(), kind="onboarding", about_employee_id=employee_id, resolved_at=datetime.now(UTC)
    )
    return Envelope.new(helpdesk.TicketResolved.TYPE, source="helpdesk", subject=data.ticket_id, data=data)


def _signed_contract(employee_id: str) -> Envelope:
    """HR filed the signed copy of the contract (the letter docs generates on a hire does not tick the task)."""
    data = docs.DocumentFiled(
        document_id=new_id(), type="signed_contract", employee_id=employee_id, filed_by_roles=["hr"]
    )
    return Envelope.new(docs.DocumentFiled.TYPE, source="docs", subject=data.document_id, data=data)


async def _settle(reader: Reader, where: str, params: dict[str, Any], expected: int, what: str) -> None:
    """Wait for ``expected`` rows; fail at once if there are ever more (an effect twice)."""

    async def check() -> bool:
        count = await _count(reader, where, params)
        assert count <= expected, f"{count} {what} where {expected} were expected"
        return count == expected

    await eventually(check, SETTLE_S, f"{expected} {what}")


async def _count(reader: Reader, where: str, params: dict[str, Any]) -> int:
    from sqlalchemy import bindparam, text

    statement = text(f"SELECT count(*) FROM {where}")
    if "ids" in params:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    async with reader.db.session(write=False) as session:
        return int(await session.scalar(statement, {k: list(v) for k, v in params.items()}) or 0)


async def _drained(reader: Reader) -> bool:
    return await reader.pending_outbox() == 0
