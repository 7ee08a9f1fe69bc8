"""The disciplinary workflow consumes every ``hr.warning_issued``, and checks deadlines periodically."""

from __future__ import annotations

import asyncio
import logging

from backoffice.hr.discipline import service
from backoffice.hr.settings import HrSettings
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import WarningIssued
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("backoffice.hr.discipline")


def handlers(settings: HrSettings) -> list[EventHandler]:
    """The disciplinary workflow's consumer, bound to the service's ladder and deadlines."""

    async def on_issued(session: AsyncSession, envelope: Envelope, data: WarningIssued) -> None:
        await service.on_warning_issued(session, settings, envelope, data)

    return [
        EventHandler.on(WarningIssued, on_issued, does="the disciplinary workflow keeps the warning and moves the case")
    ]


async def check_deadlines_forever(app: FastAPI) -> None:
    """Escalate ignored warnings every ``discipline_check_interval_s``, until cancelled."""
    settings: HrSettings = app.state.settings
    while True:
        try:
            escalated = await service.escalate_ignored(app.state.db, settings)
            if escalated:
                log.info("%d ignored warnings escalated", escalated)
        except Exception as exc:
            log.warning("deadline check failed: %s", exc)
        await asyncio.sleep(settings.discipline_check_interval_s)
