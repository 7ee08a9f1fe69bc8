"""``hr.hours_submitted``: every submitted week is verified on receipt."""

from __future__ import annotations

from typing import Any

from backoffice.payroll.hours import service
from backoffice.payroll.hours.schemas import SubmittedHours
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import HOURS_SUBMITTED
from backoffice.shared.settings import ServiceSettings
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: ServiceSettings) -> list[EventHandler]:
    assert isinstance(settings, PayrollSettings)

    async def on_submitted(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await service.on_submitted(session, settings, envelope, data)

    return [EventHandler("hours_submitted", HOURS_SUBMITTED, "HR", on_submitted, SubmittedHours)]
