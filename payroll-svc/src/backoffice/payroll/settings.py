"""Settings of the payroll service (environment: BACKOFFICE_PAYROLL_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import ClassVar

from backoffice.shared.settings import ServiceSettings


class PayrollSettings(ServiceSettings):
    service_name: ClassVar[str] = "payroll"
    stream_name: ClassVar[str] = "PAYROLL"
    default_port: ClassVar[int] = 8102
