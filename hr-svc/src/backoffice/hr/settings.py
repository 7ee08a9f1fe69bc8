"""Settings of the hr service (environment: BACKOFFICE_HR_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from backoffice.shared.deps import app_settings
from backoffice.shared.settings import ServiceSettings
from fastapi import Depends
from pydantic import Field, field_validator

# An application leaves the pipeline with one of these; they are recorded as moves, so no stage may share them.
APPLICATION_OUTCOMES = ("rejected", "withdrawn")
STAGE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


class HrSettings(ServiceSettings):
    service_name: ClassVar[str] = "hr"
    stream_name: ClassVar[str] = "HR"
    default_port: ClassVar[int] = 8101

    discipline_ladder: list[str] = Field(
        default_factory=lambda: ["verbal", "written", "final_written", "dismissal_review"],
        description="the steps of progressive discipline, the last being the dismissal review",
    )
    warning_acknowledgement_days: float = Field(
        default=5, ge=0, le=60, description="days an employee has to acknowledge a warning"
    )
    warning_validity_months: int = Field(
        default=12, ge=1, le=120, description="after this a warning no longer counts towards the ladder"
    )
    discipline_check_interval_s: float = Field(
        default=60.0, gt=0, description="how often unacknowledged warnings are looked for"
    )

    hiring_stages: list[str] = Field(
        default_factory=lambda: ["applied", "screening", "interview", "offer", "hired"],
        description="the company's hiring pipeline: first the stage a candidate enters, 'offer' and 'hired' last",
    )

    @field_validator("hiring_stages")
    @classmethod
    def _stages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value) or value[-2:] != ["offer", "hired"] or len(value) < 3:
            raise ValueError("give distinct stages ending with 'offer', 'hired' (at least one before them)")
        taken = sorted(set(value) & set(APPLICATION_OUTCOMES))
        if taken:  # an application's move to 'rejected' or 'withdrawn' would read as that stage
            raise ValueError(f"{', '.join(taken)}: the name of an outcome, not of a stage; choose another name")
        badly_named = [s for s in value if not STAGE_NAME.fullmatch(s)]
        if badly_named:
            raise ValueError(f"{', '.join(map(repr, badly_named))}: a stage is 1-40 lower-case letters, digits or _")
        return value

    @field_validator("discipline_ladder")
    @classmethod
    def _ladder(cls, value: list[str]) -> list[str]:
        if len(value) < 2 or len(set(value)) != len(value):
            raise ValueError("give at least two distinct steps, the last being the dismissal review")
        return value


# The running service's settings, for a route: ``settings: HrSettingsDep``.
HrSettingsDep = Annotated[HrSettings, Depends(app_settings)]
