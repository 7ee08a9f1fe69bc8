"""HR's updates keep the directory (hires and terminations also open tickets: ``joiners/handlers.py``)."""

from __future__ import annotations

from backoffice.helpdesk.directory import service
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import EmployeeUpdated
from sqlalchemy.ext.asyncio import AsyncSession


async def on_updated(session: AsyncSession, envelope: Envelope, data: EmployeeUpdated) -> None:
    await service.on_updated(session, data)


def handlers(settings: HelpdeskSettings) -> list[EventHandler]:
    return [EventHandler.on(EmployeeUpdated, on_updated, does="the directory entry")]
