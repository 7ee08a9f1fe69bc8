"""Settings of the gateway service (environment: BACKOFFICE_GATEWAY_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import ClassVar

from backoffice.shared.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: ClassVar[str] = "gateway"
    stream_name: ClassVar[str] = "GATEWAY"
    default_port: ClassVar[int] = 8000
