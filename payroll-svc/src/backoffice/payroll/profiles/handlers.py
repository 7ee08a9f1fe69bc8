"""HR's employee events keep the pay profiles."""

from __future__ import annotations

from backoffice.payroll.profiles.service import on_hired, on_terminated, on_updated
from backoffice.shared.bus import EventHandler
from backoffice.shared.events import hr as events

HANDLERS = [
    EventHandler("employee_hired", events.EMPLOYEE_HIRED, "HR", on_hired, events.EmployeeHired),
    EventHandler("employee_updated", events.EMPLOYEE_UPDATED, "HR", on_updated, events.EmployeeUpdated),
    EventHandler("employee_terminated", events.EMPLOYEE_TERMINATED, "HR", on_terminated, events.EmployeeTerminated),
]
