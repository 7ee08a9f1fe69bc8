"""Settings of the helpdesk service (environment: BACKOFFICE_HELPDESK_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from backoffice.shared.deps import app_settings
from backoffice.shared.settings import ServiceSettings
from fastapi import Depends
from pydantic import Field


class HelpdeskSettings(ServiceSettings):
    service_name: ClassVar[str] = "helpdesk"
    stream_name: ClassVar[str] = "HELPDESK"
    default_port: ClassVar[int] = 8103

    sla_check_interval_s: float = Field(
        default=30.0, gt=0, description="how often tickets past their SLA targets are looked for and escalated"
    )
    auto_assign: bool = Field(
        default=True, description="new tickets go round-robin to an available agent of their team"
    )
    default_agent_cap: int = Field(
        default=15, ge=1, le=1000, description="open tickets an agent holds at most, unless set per agent"
    )


# The running service's settings, for routes.
HelpdeskSettingsDep = Annotated[HelpdeskSettings, Depends(app_settings)]
