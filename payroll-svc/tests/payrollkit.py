"""Helpers of the payroll tests: HR's events as HR publishes them, answers, and the PAYROLL stream."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation, Overflow, localcontext
from typing import Any, Literal

import httpx
import xmlschema
from backoffice.payroll.payments.service import PAIN_001_XSD
from backoffice.payroll.rules.example import EXAMPLE_RULES
from backoffice.payroll.suppliers.models import Supplier
from backoffice.shared.bus import Envelope
from backoffice.shared.bus.tables import outbox
from backoffice.shared.db import Database
from backoffice.shared.events import hr
from backoffice.shared.ids import new_id
from backoffice.testing import GatewayClient, read_events

# re-exported for this service's tests
from backoffice.testing import ok as ok
from backoffice.testing import problem as problem
from backoffice.testing import publish as publish
from backoffice.testing import wait_for as wait_for
from sqlalchemy import func, insert, select

RULES = EXAMPLE_RULES


def hired(
    employee_id: str,
    start: date,
    *,
    pay_type: Literal["hourly", "salaried"] = "hourly",
    rate: str = "25.50",
    department: str = "Operations",
    frequency: Literal["weekly", "biweekly", "semimonthly", "monthly"] = "monthly",
    given_name: str | None = None,
) -> Envelope:
    data = hr.EmployeeHired(
        employee_id=employee_id,
        given_name=given_name or employee_id.capitalize(),
        family_name="Tester",
        email=f"{employee_id}@example.com",
        department=department,
        start_date=start,
        pay_terms=hr.PayTerms(pay_type=pay_type, rate=Decimal(rate), currency="EUR", frequency=frequency),
    )
    return Envelope.new(hr.EmployeeHired.TYPE, source="hr", subject=employee_id, data=data)


def terminated(employee_id: str, on: date) -> Envelope:
    data = hr.EmployeeTerminated(employee_id=employee_id, effective_date=on, kind="voluntary")
    return Envelope.new(hr.EmployeeTerminated.TYPE, source="hr", subject=employee_id, data=data)


def submitted(employee_id: str, week_start: date, entries: list[tuple[int, str, str]], **extra: Any) -> Envelope:
    """A week's hours: entries are (day offset from the Monday, hours, kind); values are not checked here."""
    with localcontext() as context:  # absurd hours add up to Infinity (or NaN) here, as HR's total would
        context.traps[Overflow] = context.traps[InvalidOperation] = False
        total = sum((Decimal(h) for _, h, _ in entries), Decimal(0))
    data = {
        "timesheet_id": extra.pop("timesheet_id", new_id()),
        "employee_id": employee_id,
        "week_start": week_start.isoformat(),
        "version": 1,
        "entries": [
            {"day": (week_start + timedelta(days=d)).isoformat(), "hours": h, "kind": k} for d, h, k in entries
        ],
        "total_hours": str(total),
        **extra,
    }
    return Envelope.new(hr.HoursSubmitted.TYPE, source="hr", subject=employee_id, data=data)


def sheet(client: httpx.Client, sheet_id: str) -> Any:
    """The timesheet once payroll has received it."""

    def get() -> Any:
        response = client.get(f"/timesheets/{sheet_id}")
        return response.json() if response.status_code == 200 else None

    return wait_for(get, f"timesheet {sheet_id} at payroll")


def profile(client: httpx.Client, employee_id: str) -> Any:
    def get() -> Any:
        response = client.get(f"/profiles/{employee_id}")
        return response.json() if response.status_code == 200 else None

    return wait_for(get, f"profile {employee_id} at payroll")


def payroll_events(nats_url: str, subject: str = "payroll.>") -> list[Envelope]:
    return list(asyncio.run(read_events(nats_url, subject, "PAYROLL")))


# -- accounts payable ------------------------------------------------------------------------------------------
IBANS = [
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
    "ES9121000418450200051332",
    "IT60X0542811101000000123456",
]


def clerks(g: GatewayClient, payroll_url: str, prefix: str) -> tuple[httpx.Client, httpx.Client]:
    """Two payroll clerks: one enters invoices, the other approves them (four eyes). They wait as long as the
    suite's own clients (30 s): the first bank file a service writes loads the ISO schema, slow on a busy machine."""
    enters, approves = (
        httpx.Client(base_url=payroll_url, headers=g.auth(g.make_user(f"{prefix}-{who}", ["payroll"])), timeout=30)
        for who in ("enters", "approves")
    )
    return enters, approves


def enter_invoice(client: httpx.Client, supplier_id: str, number: str, amount: str, due: date, **extra: Any) -> Any:
    body = {
        "supplier_id": supplier_id,
        "number": number,
        "invoice_date": (due - timedelta(days=20)).isoformat(),
        "due_date": due.isoformat(),
        "lines": [{"description": "services", "unit_price": amount}],
        **extra,
    }
    return ok(client.post("/invoices", json=body), 201)


def stored_events(database_url: str) -> int:
    """Events the service recorded (its outbox), read from its database."""

    async def count() -> int:
        db = Database(database_url)
        try:
            async with db.session(write=False) as session:
                return int(await session.scalar(select(func.count()).select_from(outbox)) or 0)
        finally:
            await db.dispose()

    return asyncio.run(count())


def legacy_supplier(database_url: str, name: str, iban: str, bic: str) -> str:
    """A supplier row written straight into the service's database, as rows stored before a check was added are."""

    async def write() -> str:
        db = Database(database_url)
        try:
            async with db.session() as session:
                now = datetime.now(UTC)
                supplier_id = f"legacy-{name.lower().replace(' ', '-')}"
                values = {"id": supplier_id, "name": name, "payment_terms_days": 30, "iban": iban, "bic": bic}
                await session.execute(insert(Supplier), [{**values, "created_at": now, "updated_at": now}])
                return supplier_id
        finally:
            await db.dispose()

    return asyncio.run(write())


@functools.cache
def pain001() -> xmlschema.XMLSchema:
    """The ISO 20022 schema every bank file must validate against (the file kept with the code)."""
    return xmlschema.XMLSchema(str(PAIN_001_XSD))


def pain001_dict(xml: str | bytes) -> dict[str, Any]:
    """A bank file read as a dict, by the schema (which fails on a file that breaks it)."""
    decoded = pain001().to_dict(xml)
    assert isinstance(decoded, dict)
    return decoded
