"""Logins follow HR: provisioned at hire, renamed with the employee, disabled at termination."""

from __future__ import annotations

from typing import Any

from backoffice.gateway.identity import provisioning
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated, EmployeeUpdated
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: GatewaySettings) -> list[EventHandler]:
    """Provision a login at hire, rename it with the employee, disable it at termination."""

    async def on_hired(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await provisioning.provision_from_hire(session, settings, envelope, data)

    async def on_terminated(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await provisioning.disable_from_termination(session, settings.timezone, envelope, data)

    async def on_updated(session: AsyncSession, envelope: Envelope, data: Any) -> None:
        await provisioning.rename_from_update(session, envelope, data)

    return [
        EventHandler.on(EmployeeHired, on_hired, does="provisions a login"),
        EventHandler.on(EmployeeTerminated, on_terminated, does="disables the login at the start of `effective_date`"),
        EventHandler.on(EmployeeUpdated, on_updated, does="renames the login with the employee"),
    ]
