"""Payroll's verdicts on submitted timesheets."""

from __future__ import annotations

from backoffice.hr.settings import HrSettings
from backoffice.hr.timesheets.service import on_rejected, on_verified
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.payroll import HoursRejected, HoursVerified


def handlers(settings: HrSettings) -> list[EventHandler]:
    """The timesheet domain's consumers."""
    return [
        EventHandler.on(HoursVerified, on_verified, does="the timesheet becomes verified, with the findings"),
        EventHandler.on(
            HoursRejected,
            on_rejected,
            does="the timesheet becomes rejected, with reason and findings; the employee corrects it as a new version",
        ),
    ]
