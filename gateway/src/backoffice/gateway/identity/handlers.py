"""Logins follow HR: provisioned at hire, renamed with the employee, disabled at termination."""

from __future__ import annotations

from typing import Any

from backoffice.gateway.identity import service
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import (
    EMPLOYEE_HIRED,
    EMPLOYEE_TERMINATED,
    EMPLOYEE_UPDATED,
    EmployeeHired,
    EmployeeTerminated,
    EmployeeUpdated,
)
from backoffice.shared.settings import ServiceSettings
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: ServiceSettings) -> list[EventHandler]:
    assert isinstance(settings, GatewaySettings)

    async def on_hired(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await service.provision_from_hire(session, settings, envelope, data)

    async def on_terminated(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await service.disable_from_termination(session, settings.timezone, envelope, data)

    async def on_updated(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await service.rename_from_update(session, envelope, data)

    return [
        EventHandler("employee_hired", EMPLOYEE_HIRED, "HR", on_hired, EmployeeHired),
        EventHandler("employee_terminated", EMPLOYEE_TERMINATED, "HR", on_terminated, EmployeeTerminated),
        EventHandler("employee_updated", EMPLOYEE_UPDATED, "HR", on_updated, EmployeeUpdated),
    ]
