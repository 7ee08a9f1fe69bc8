"""Verifying hours in the service layer on a real database (migrated as in production): the thresholds and
kinds a company configures, and two weeks of one person judged at the same moment by two replicas."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from backoffice.payroll.app import MIGRATIONS_DIR
from backoffice.payroll.hours import service as hours
from backoffice.payroll.hours.models import PayableHours, SubmittedTimesheet
from backoffice.payroll.hours.schemas import SubmittedEntry, SubmittedHours
from backoffice.payroll.profiles import service as profiles
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.bus import Envelope
from backoffice.shared.db import Database
from backoffice.shared.events import hr
from backoffice.shared.migrations import upgrade
from payrollkit import hired, submitted
from sqlalchemy import select

D = Decimal
TODAY = date.today()
MONDAY = TODAY - timedelta(days=TODAY.weekday() + 14)  # the Monday two weeks ago


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db, MIGRATIONS_DIR)
    yield db
    await db.dispose()


async def _hire(db: Database, employee_id: str) -> None:
    envelope = hired(employee_id, MONDAY - timedelta(days=90))
    async with db.session() as session:
        await profiles.on_hired(session, envelope, hr.EmployeeHired.model_validate(envelope.data))


async def _judge(db: Database, settings: PayrollSettings, envelope: Envelope) -> None:
    async with db.session() as session:
        await hours.on_submitted(session, settings, envelope, SubmittedHours.model_validate(envelope.data))


async def _sheet(db: Database, envelope: Envelope) -> tuple[SubmittedTimesheet, dict[str, Decimal]]:
    async with db.session(write=False) as session:
        sheet = await session.get(SubmittedTimesheet, envelope.data["timesheet_id"])
        assert sheet is not None
        by_kind: dict[str, Decimal] = {}
        for row in await session.scalars(select(PayableHours).where(PayableHours.timesheet_id == sheet.id)):
            by_kind[row.kind] = by_kind.get(row.kind, D(0)) + row.hours
        return sheet, by_kind


def test_overtime_thresholds_are_the_companys() -> None:
    # 7.5 h a day and 37.5 h a week: 8.5 h Monday to Friday is 1 h over each day (37.5 h regular left),
    # so all 2 h of Saturday are over the week.
    entries = [SubmittedEntry(day=MONDAY + timedelta(days=d), hours=D("8.5"), kind="regular") for d in range(5)]
    entries.append(SubmittedEntry(day=MONDAY + timedelta(days=5), hours=D(2), kind="regular"))
    classified, notes = hours.classify(entries, D("7.5"), D("37.5"))
    regular = sum((h for (_, kind), h in classified.items() if kind == "regular"), D(0))
    overtime = sum((h for (_, kind), h in classified.items() if kind == "overtime"), D(0))
    assert (regular, overtime) == (D("37.5"), D(7))
    assert [n.code for n in notes] == ["daily_overtime"] * 5 + ["weekly_overtime"]
    assert classified[(MONDAY + timedelta(days=5), "overtime")] == D(2)


async def test_a_company_sets_its_thresholds_and_the_kinds_each_pay_type_records(db: Database) -> None:
    settings = PayrollSettings(
        overtime_daily_hours=D("7.5"),
        overtime_weekly_hours=D("37.5"),
        allowed_entry_kinds={"hourly": ["regular", "overtime"]},
    )
    await _hire(db, "ivy")
    week = submitted("ivy", MONDAY, [(d, "8", "regular") for d in range(5)])
    await _judge(db, settings, week)
    sheet, by_kind = await _sheet(db, week)
    assert sheet.status == "pending"
    assert sheet.total_hours == D(40)
    assert by_kind == {"regular": D("37.5"), "overtime": D("2.5")}

    holiday = submitted("ivy", MONDAY - timedelta(days=7), [(0, "8", "holiday")])
    await _judge(db, settings, holiday)
    sheet, by_kind = await _sheet(db, holiday)
    assert sheet.status == "rejected"
    assert by_kind == {}
    assert [f["code"] for f in json.loads(sheet.findings)] == ["kind_not_allowed"]


async def test_absurd_hours_are_recorded_and_rejected_with_an_unknown_total(db: Database) -> None:
    settings = PayrollSettings()
    await _hire(db, "max")
    cases = {
        "1000000": "hours_out_of_range",  # beyond the total_hours column: PostgreSQL refused the row
        "9E+999999": "hours_out_of_range",  # twice in a day, too large for Decimal to add up
        "NaN": "hours_not_a_number",
        "-Infinity": "hours_not_a_number",
        "eight": "hours_not_a_number",
    }
    for n, (value, code) in enumerate(cases.items()):
        week = submitted("max", MONDAY - timedelta(days=7 * (n + 1)), [(0, value, "regular"), (0, value, "regular")])
        await _judge(db, settings, week)
        sheet, by_kind = await _sheet(db, week)
        assert sheet.status == "rejected", value
        assert sheet.automatic, value
        assert by_kind == {}, value
        assert code in {f["code"] for f in json.loads(sheet.findings)}, (value, sheet.findings)
        assert sheet.total_hours is None, value
    missing = submitted("max", MONDAY - timedelta(days=42), [(0, "8", "regular")])
    del missing.data["entries"][0]["hours"]
    await _judge(db, settings, missing)
    sheet, _ = await _sheet(db, missing)
    assert sheet.status == "rejected"
    assert "hours_not_a_number" in {f["code"] for f in json.loads(sheet.findings)}


async def test_two_weeks_judged_at_once_count_a_day_once(database_url: str, db: Database) -> None:
    settings = PayrollSettings()
    await _hire(db, "kim")
    first = submitted("kim", MONDAY, [(0, "8", "regular"), (1, "8", "regular")])
    second = submitted("kim", MONDAY, [(1, "8", "regular")])  # Tuesday again, from another version
    other = Database(database_url)  # another replica: its own connections
    try:
        async with db.session() as session:
            await hours.on_submitted(session, settings, first, SubmittedHours.model_validate(first.data))
            racing = asyncio.create_task(_judge(other, settings, second))
            await asyncio.sleep(1.0)
            assert not racing.done(), "the second week was judged before the first was stored"
        await asyncio.wait_for(racing, timeout=30)
    finally:
        await other.dispose()
    assert (await _sheet(db, first))[0].status == "pending"
    sheet, by_kind = await _sheet(db, second)
    assert sheet.status == "rejected"
    assert by_kind == {}
    assert "duplicate_day" in {f["code"] for f in json.loads(sheet.findings)}
