"""HR's updates keep the directory (hires and terminations also open tickets: ``joiners/handlers.py``)."""

from __future__ import annotations

from backoffice.helpdesk.directory import service
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events import hr
from sqlalchemy.ext.asyncio import AsyncSession


async def on_updated(session: AsyncSession, envelope: Envelope, data: hr.EmployeeUpdated) -> None:
    await service.on_updated(session, data)


HANDLERS = [EventHandler("employee_updated", hr.EMPLOYEE_UPDATED, "HR", on_updated, hr.EmployeeUpdated)]
