"""HR's hires and terminations keep the directory and open the joiner's or leaver's ticket, once per event."""

from __future__ import annotations

from backoffice.helpdesk.directory import service as directory
from backoffice.helpdesk.joiners.service import open_joiner_ticket
from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.helpdesk.tickets.common import Context
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated
from sqlalchemy.ext.asyncio import AsyncSession


def handlers(settings: HelpdeskSettings) -> list[EventHandler]:
    ctx = Context.of(settings)

    async def on_hired(session: AsyncSession, envelope: Envelope, data: EmployeeHired) -> None:
        member = await directory.on_hired(session, data)
        await open_joiner_ticket(session, ctx, envelope, member, "onboarding", member.starts_on)

    async def on_terminated(session: AsyncSession, envelope: Envelope, data: EmployeeTerminated) -> None:
        member = await directory.on_terminated(session, data)
        await open_joiner_ticket(session, ctx, envelope, member, "offboarding", data.effective_date)

    return [
        EventHandler.on(
            EmployeeHired,
            on_hired,
            does="adds the person to the staff directory and opens one onboarding ticket due when the start date"
            " begins",
        ),
        EventHandler.on(
            EmployeeTerminated,
            on_terminated,
            does="the person leaves the directory on `effective_date`, and one offboarding ticket (revoke access,"
            " collect the listed equipment) is due by the end of that day",
        ),
    ]
