"""Settings of the hr service (environment: BACKOFFICE_HR_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import ClassVar

from backoffice.shared.settings import ServiceSettings


class HrSettings(ServiceSettings):
    service_name: ClassVar[str] = "hr"
    stream_name: ClassVar[str] = "HR"
    default_port: ClassVar[int] = 8101
