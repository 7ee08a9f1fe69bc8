"""HR's events keep the directory, and open the onboarding and offboarding tickets, once per event."""

from __future__ import annotations

from backoffice.helpdesk.directory import service
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.tickets.service import Context, open_offboarding, open_onboarding
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.db import is_sqlite
from backoffice.shared.events import hr
from backoffice.shared.settings import ServiceSettings
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: ServiceSettings) -> list[EventHandler]:
    assert isinstance(settings, HelpdeskSettings)
    ctx = Context(settings=settings, is_sqlite=is_sqlite(settings.effective_database_url))

    async def on_hired(session: AsyncSession, envelope: Envelope, data: hr.EmployeeHired) -> None:
        member = await service.on_hired(session, data)
        await open_onboarding(session, ctx, envelope, member)

    async def on_updated(session: AsyncSession, envelope: Envelope, data: hr.EmployeeUpdated) -> None:
        await service.on_updated(session, data)

    async def on_terminated(session: AsyncSession, envelope: Envelope, data: hr.EmployeeTerminated) -> None:
        member = await service.on_terminated(session, data)
        await open_offboarding(session, ctx, envelope, member, data.effective_date)

    return [
        EventHandler("employee_hired", hr.EMPLOYEE_HIRED, "HR", on_hired, hr.EmployeeHired),
        EventHandler("employee_updated", hr.EMPLOYEE_UPDATED, "HR", on_updated, hr.EmployeeUpdated),
        EventHandler("employee_terminated", hr.EMPLOYEE_TERMINATED, "HR", on_terminated, hr.EmployeeTerminated),
    ]
