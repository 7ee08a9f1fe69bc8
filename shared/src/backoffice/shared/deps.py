"""Typed FastAPI dependencies for what routes read from the application's state.

A route asks for what it needs by type instead of reaching into ``request.app.state``::

    async def due(today: CompanyToday, settings: HrSettingsDep) -> ...

Each service declares its own settings dependency once, next to its settings class::

    HrSettingsDep = Annotated[HrSettings, Depends(app_settings)]
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from backoffice.shared.settings import ServiceSettings
from fastapi import Depends, Request


def app_settings(request: Request) -> ServiceSettings:
    """The running service's settings (``app.state.settings``)."""
    settings: ServiceSettings = request.app.state.settings
    return settings


def app_state(name: str) -> Callable[[Request], Any]:
    """A dependency giving ``app.state.<name>`` (a storage, a key ring), for ``Annotated[T, Depends(...)]``."""

    def dependency(request: Request) -> Any:
        return getattr(request.app.state, name)

    dependency.__name__ = f"app_state_{name}"
    return dependency


def company_zone(request: Request) -> ZoneInfo:
    """The company's time zone, in which its dates (pay periods, due dates, deadlines) are counted."""
    return app_settings(request).timezone


def company_today(request: Request) -> date:
    """Today's date in the company's time zone."""
    return datetime.now(company_zone(request)).date()


CompanyZone = Annotated[ZoneInfo, Depends(company_zone)]
CompanyToday = Annotated[date, Depends(company_today)]
