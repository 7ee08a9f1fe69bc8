"""Settings of the payroll service (environment: BACKOFFICE_PAYROLL_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from backoffice.shared.settings import ServiceSettings
from pydantic import Field, field_validator

ENTRY_KINDS = ("regular", "overtime", "holiday", "sick", "unpaid_leave")


class PayrollSettings(ServiceSettings):
    service_name: ClassVar[str] = "payroll"
    stream_name: ClassVar[str] = "PAYROLL"
    default_port: ClassVar[int] = 8102

    overtime_daily_hours: Decimal = Field(
        default=Decimal(8), gt=0, le=24, description="worked hours in a day beyond this are overtime"
    )
    overtime_weekly_hours: Decimal = Field(
        default=Decimal(40), gt=0, le=168, description="worked hours in a week beyond this are overtime"
    )
    allowed_entry_kinds: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "hourly": ["regular", "overtime", "holiday", "unpaid_leave"],
            "salaried": list(ENTRY_KINDS),
        },
        description="timesheet entry kinds each pay type may record (JSON); others are findings",
    )

    @field_validator("allowed_entry_kinds")
    @classmethod
    def _kinds(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pay_type, kinds in value.items():
            unknown = set(kinds) - set(ENTRY_KINDS)
            if pay_type not in ("hourly", "salaried") or unknown:
                raise ValueError(f"give pay types hourly/salaried with kinds among {', '.join(ENTRY_KINDS)}")
        return value
