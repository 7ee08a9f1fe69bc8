"""HR's fair pay events kept by payroll: declared sex, job categories (versions with scores) and placements.
The sex is never written to a log."""

from __future__ import annotations

from backoffice.payroll.paygap.models import DeclaredSexRow, JobCategoryVersion, PositionPlacement
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.db import utcnow
from backoffice.shared.events import hr as events
from sqlalchemy.ext.asyncio import AsyncSession


async def on_sex_declared(session: AsyncSession, envelope: Envelope, data: events.SexDeclared) -> None:
    """The latest declaration stands."""
    row = await session.get(DeclaredSexRow, data.employee_id)
    if row is None:
        row = DeclaredSexRow(employee_id=data.employee_id)
        session.add(row)
    row.sex, row.recorded_at, row.source_event_id = data.sex, utcnow(), envelope.id


async def on_job_category_saved(session: AsyncSession, envelope: Envelope, data: events.JobCategorySaved) -> None:
    """Each version kept; the same version sent again replaces itself."""
    row = await session.get(JobCategoryVersion, (data.category_id, data.version))
    if row is None:
        row = JobCategoryVersion(category_id=data.category_id, version=data.version)
        session.add(row)
    row.code, row.name = data.code, data.name
    scores = data.scores
    row.skills, row.effort = scores.skills, scores.effort
    row.responsibility, row.working_conditions = scores.responsibility, scores.working_conditions
    row.recorded_at, row.source_event_id = utcnow(), envelope.id


async def on_position_placed(session: AsyncSession, envelope: Envelope, data: events.PositionPlaced) -> None:
    """Upserted by placement id: the same placement sent again (an end date set) replaces the earlier one."""
    row = await session.get(PositionPlacement, data.placement_id)
    if row is None:
        row = PositionPlacement(placement_id=data.placement_id)
        session.add(row)
    row.position, row.category_id = data.position, data.category_id
    row.effective_from, row.effective_to = data.effective_from, data.effective_to
    row.recorded_at, row.source_event_id = utcnow(), envelope.id


def handlers(settings: PayrollSettings) -> list[EventHandler]:
    return [
        EventHandler.on(events.SexDeclared, on_sex_declared, does="keeps the latest declaration, for pay gap figures"),
        EventHandler.on(
            events.JobCategorySaved, on_job_category_saved, does="keeps each version of the category and its scores"
        ),
        EventHandler.on(
            events.PositionPlaced, on_position_placed, does="a position's category by date, replaced by placement id"
        ),
    ]
