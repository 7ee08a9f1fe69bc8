"""Migrations on a database that already holds data: what 0004 makes of profiles known before placements."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.database import Base
from backoffice.payroll.payruns.models import PayRun, Payslip
from backoffice.payroll.profiles.models import PayProfile, PlacementVersion
from backoffice.payroll.rules.models import PayGroup
from backoffice.shared.db import Database
from backoffice.shared.migrations import upgrade
from sqlalchemy import Table, insert, select

WHEN = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def _table(model: type[Base]) -> Table:
    """The table of ``model``, as a migration writes to it (not through the ORM)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _profile(employee_id: str, department: str) -> dict[str, object]:
    return {
        "employee_id": employee_id,
        "given_name": employee_id,
        "family_name": "Tester",
        "email": f"{employee_id}@example.com",
        "department": department,
        "position": None,
        "start_date": date(2025, 1, 1),
        "created_at": WHEN,
        "updated_at": WHEN,
    }


def _payslip(employee_id: str, department: str, end: date) -> dict[str, object]:
    zero = Decimal(0)
    return {
        "id": f"slip-{employee_id}-{end}",
        "run_id": "november",
        "employee_id": employee_id,
        "employee_name": employee_id,
        "department": department,
        "pay_type": "salaried",
        "currency": "EUR",
        "period_start": end.replace(day=1),
        "period_end": end,
        "pay_date": end,
        "hours": "{}",
        "lines": "[]",
        "gross": zero,
        "deductions": zero,
        "net": zero,
        "employer_contributions": zero,
        "ytd": "{}",
        "final": False,
        "working_days_employed": 21,
        "working_days_in_period": 21,
        "item_ids": "[]",
        "created_at": WHEN,
    }


async def test_0004_gives_known_profiles_the_department_they_were_paid_in_then_the_current_one(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await upgrade(db, MIGRATIONS_DIR, "0003")
        async with db.session() as session:
            await session.execute(
                insert(_table(PayGroup)).values(
                    code="monthly", name="Monthly", frequency="monthly", currency="EUR", created_at=WHEN
                )
            )
            # Ana stayed in Finance; Bo was paid in Operations up to November, and a move to Sales (effective
            # in January) was recorded on 10 December, overwriting the only department payroll kept.
            await session.execute(insert(_table(PayProfile)), [_profile("ana", "Finance"), _profile("bo", "Sales")])
            zero = Decimal(0)
            await session.execute(
                insert(_table(PayRun)).values(
                    id="november",
                    pay_group_code="monthly",
                    period_start=date(2026, 11, 1),
                    period_end=date(2026, 11, 30),
                    pay_date=date(2026, 11, 27),
                    status="approved",
                    currency="EUR",
                    employee_count=2,
                    gross=zero,
                    deductions=zero,
                    net=zero,
                    employer_contributions=zero,
                    totals_by_code="[]",
                    created_at=WHEN,
                    updated_at=WHEN,
                )
            )
            await session.execute(
                insert(_table(Payslip)),
                [_payslip("ana", "Finance", date(2026, 11, 30)), _payslip("bo", "Operations", date(2026, 11, 30))],
            )
        await upgrade(db, MIGRATIONS_DIR)
        async with db.session(write=False) as session:
            rows = await session.execute(
                select(
                    PlacementVersion.employee_id, PlacementVersion.effective_from, PlacementVersion.department
                ).order_by(PlacementVersion.employee_id, PlacementVersion.effective_from)
            )
            assert [tuple(r) for r in rows] == [
                ("ana", date(2025, 1, 1), "Finance"),
                ("bo", date(2025, 1, 1), "Operations"),
                ("bo", date(2026, 12, 10), "Sales"),  # from the day it was recorded, after the last paid period
            ]
    finally:
        await db.dispose()
