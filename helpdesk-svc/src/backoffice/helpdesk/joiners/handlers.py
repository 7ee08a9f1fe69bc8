"""HR's hires and terminations keep the directory and open the joiner's or leaver's ticket, once per event."""

from __future__ import annotations

from backoffice.helpdesk.directory import service as directory
from backoffice.helpdesk.joiners.service import open_joiner_ticket
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.tickets.common import Context
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.db import is_sqlite
from backoffice.shared.events import hr
from backoffice.shared.settings import ServiceSettings
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: ServiceSettings) -> list[EventHandler]:
    assert isinstance(settings, HelpdeskSettings)
    ctx = Context(settings=settings, is_sqlite=is_sqlite(settings.effective_database_url))

    async def on_hired(session: AsyncSession, envelope: Envelope, data: hr.EmployeeHired) -> None:
        member = await directory.on_hired(session, data)
        await open_joiner_ticket(session, ctx, envelope, member, "onboarding", member.starts_on)

    async def on_terminated(session: AsyncSession, envelope: Envelope, data: hr.EmployeeTerminated) -> None:
        member = await directory.on_terminated(session, data)
        await open_joiner_ticket(session, ctx, envelope, member, "offboarding", data.effective_date)

    return [
        EventHandler("employee_hired", hr.EMPLOYEE_HIRED, "HR", on_hired, hr.EmployeeHired),
        EventHandler("employee_terminated", hr.EMPLOYEE_TERMINATED, "HR", on_terminated, hr.EmployeeTerminated),
    ]
