"""The helpers every domain uses: get_or_404, the audit mixins, event contracts, the emitter, handlers by
contract and the typed dependencies of the company's day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from backoffice.shared.bus import Emitter, Envelope, EventHandler, outbox
from backoffice.shared.db import Audited, Database, get_or_404
from backoffice.shared.deps import CompanyToday, CompanyZone
from backoffice.shared.errors import Conflict, Forbidden, NotFound, Problem, Unprocessable
from backoffice.shared.events.contract import Contract, Part
from backoffice.shared.events.hr import EmployeeHired
from backoffice.shared.settings import ServiceSettings
from fastapi import FastAPI
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class PaymentRun(Audited, Base):
    __tablename__ = "payment_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)


class Line(Part):
    amount: str


class ThingCounted(Contract):
    """A thing was counted."""

    TYPE = "tests.thing_counted"
    VERSION = 2
    SUBJECT = "the thing's id"
    PRODUCED_BY = "the tests"

    n: int
    lines: list[Line] = []


async def _with_table(database: Database) -> None:
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


async def test_get_or_404_returns_the_row_or_names_what_is_missing(database: Database) -> None:
    await _with_table(database)
    now = datetime.now(UTC)
    async with database.session(write=True) as session:
        session.add(PaymentRun(id="r1", created_at=now, created_by="u1", updated_at=now, updated_by=None))
    async with database.session(write=False) as session:
        run = await get_or_404(session, PaymentRun, "r1")
        assert run.created_by == "u1"
        assert run.updated_by is None
        with pytest.raises(NotFound) as missing:
            await get_or_404(session, PaymentRun, "r2")
        assert missing.value.status == 404
        assert missing.value.detail == "payment run r2 does not exist"
        with pytest.raises(NotFound, match=r"^the run r3 does not exist$"):
            await get_or_404(session, PaymentRun, "r3", what="the run")
        with pytest.raises(Unprocessable) as refused:
            await get_or_404(
                session, PaymentRun, "r4", problem=Unprocessable("run r4 does not exist", slug="unknown-run")
            )
        assert (refused.value.status, refused.value.slug) == (422, "unknown-run")


def test_problem_subclasses_keep_the_default_slugs() -> None:
    cases: list[tuple[Problem, int, str]] = [
        (Forbidden("only HR may"), 403, "forbidden"),
        (Conflict("the run is approved"), 409, "conflict"),
        (Unprocessable("end before start"), 422, "unprocessable-content"),
        (NotFound("employee", "e1"), 404, "not-found"),
        (Conflict("taken", slug="login-taken", field="login"), 409, "login-taken"),
    ]
    for problem, status, slug in cases:
        assert (problem.status, problem.slug) == (status, slug)
    assert cases[-1][0].extra == {"field": "login"}


def test_a_contract_knows_its_type_stream_and_version() -> None:
    assert ThingCounted.stream() == "TESTS"
    assert EmployeeHired.TYPE == "hr.employee_hired"
    assert EmployeeHired.stream() == "HR"
    assert ThingCounted in Contract.all()
    contracts: list[type] = list(Contract.all())
    assert Line not in contracts


def test_a_handler_made_from_a_contract_takes_its_identity() -> None:
    async def handle(session: AsyncSession, envelope: Envelope, data: ThingCounted) -> None:
        return None

    handler = EventHandler.on(ThingCounted, handle, does="counts")
    assert (handler.name, handler.event_type, handler.stream) == ("thing_counted", "tests.thing_counted", "TESTS")
    assert handler.versions == frozenset({2})
    assert handler.durable("hr") == "hr-thing_counted"
    assert handler.does == "counts"
    event = Envelope.of(ThingCounted(n=3), source="tests", subject="t1")
    envelope, data = handler.decode(event.to_json())
    assert (envelope.version, data) == (2, ThingCounted(n=3))


async def test_the_emitter_stores_events_with_its_source(database: Database) -> None:
    emit = Emitter("tests")
    async with database.session(write=True) as session:
        one = await emit(session, ThingCounted(n=1), subject="t1")
        more = await emit.many(session, [(ThingCounted(n=2), "t2"), (ThingCounted(n=3), "t3")], caused_by=one)
    async with database.session(write=False) as session:
        rows = (await session.execute(select(outbox.c.event_id, outbox.c.type, outbox.c.payload))).all()
    assert {row.type for row in rows} == {"tests.thing_counted"}
    stored = {row.event_id: Envelope.model_validate_json(row.payload) for row in rows}
    assert stored[one.id].source == "tests"
    assert stored[one.id].subject == "t1"
    assert stored[one.id].version == 2
    assert stored[one.id].data == {"n": 1, "lines": []}
    assert [stored[e.id].causation_id for e in more] == [one.id, one.id]


async def test_company_today_is_counted_in_the_company_zone() -> None:
    app = FastAPI()
    app.state.settings = ServiceSettings(company_timezone="Pacific/Kiritimati")

    @app.get("/today")
    async def today(day: CompanyToday, zone: CompanyZone) -> dict[str, str]:
        return {"day": day.isoformat(), "zone": str(zone)}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = (await client.get("/today")).json()
    assert answer == {
        "day": datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat(),
        "zone": "Pacific/Kiritimati",
    }
    assert date.fromisoformat(answer["day"]) >= datetime.now(UTC).date()
