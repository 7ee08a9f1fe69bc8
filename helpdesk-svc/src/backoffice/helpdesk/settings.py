"""Settings of the helpdesk service (environment: BACKOFFICE_HELPDESK_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import ClassVar

from backoffice.shared.settings import ServiceSettings


class HelpdeskSettings(ServiceSettings):
    service_name: ClassVar[str] = "helpdesk"
    stream_name: ClassVar[str] = "HELPDESK"
    default_port: ClassVar[int] = 8103
