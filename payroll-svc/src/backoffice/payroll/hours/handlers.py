"""``hr.hours_submitted``: every submitted week is verified on receipt."""

from __future__ import annotations

from dataclasses import replace

from backoffice.payroll.hours import service
from backoffice.payroll.hours.schemas import SubmittedHours
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import HoursSubmitted
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: PayrollSettings) -> list[EventHandler]:
    async def on_submitted(session: AsyncSession, envelope: Envelope, data: SubmittedHours) -> None:
        await service.on_submitted(session, settings, envelope, data)

    submitted = EventHandler.on(
        HoursSubmitted,
        on_submitted,
        does="verified on receipt (read leniently: impossible values become findings, not dead letters)",
    )
    # Read with payroll's lenient model instead of the contract's bounds: a week HR should not have sent is
    # rejected with its findings, back to HR, rather than dead-lettered.
    return [replace(submitted, data_model=SubmittedHours)]
