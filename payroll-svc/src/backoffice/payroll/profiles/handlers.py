"""HR's employee events keep the pay profiles."""

from __future__ import annotations

from backoffice.payroll.profiles.service import on_hired, on_terminated, on_updated
from backoffice.payroll.settings import PayrollSettings
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.hr import EmployeeHired, EmployeeTerminated, EmployeeUpdated


def handlers(settings: PayrollSettings) -> list[EventHandler]:
    return [
        EventHandler.on(EmployeeHired, on_hired, does="opens the pay profile with the pay terms from the start date"),
        EventHandler.on(
            EmployeeUpdated,
            on_updated,
            does="names, department, and a new pay-terms version from `effective_date` when the pay changed",
        ),
        EventHandler.on(
            EmployeeTerminated,
            on_terminated,
            does="`effective_date` is the last day paid, final pay in the run covering it",
        ),
    ]
