"""Payroll's verdicts on submitted timesheets."""

from __future__ import annotations

from backoffice.hr.timesheets.service import on_rejected, on_verified
from backoffice.shared.bus import EventHandler
from backoffice.shared.events.payroll import HOURS_REJECTED, HOURS_VERIFIED, HoursRejected, HoursVerified

HANDLERS = [
    EventHandler("hours_verified", HOURS_VERIFIED, "PAYROLL", on_verified, HoursVerified),
    EventHandler("hours_rejected", HOURS_REJECTED, "PAYROLL", on_rejected, HoursRejected),
]
