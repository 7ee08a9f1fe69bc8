"""The SLA check: tickets past a target are looked for on a timer and escalated."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.tickets.common import Context
from backoffice.helpdesk.tickets.escalation import escalate_breaches
from fastapi import FastAPI

log = logging.getLogger("backoffice.helpdesk")


async def check_breaches_forever(app: FastAPI) -> None:
    settings: HelpdeskSettings = app.state.settings
    ctx = Context.of(settings)
    while True:
        try:
            found = await escalate_breaches(app.state.db, ctx)
            if found:
                log.info("%d tickets past an SLA target escalated", found)
        except Exception as exc:
            log.warning("SLA check failed: %s", exc)
        await asyncio.sleep(settings.sla_check_interval_s)


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
