from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.changes.models import ChangeStatus, ReviewOutcome, Risk
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDateTime
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class ChangeCreate(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=20000, description="what changes, and why")
    affected_system: str = Field(min_length=1, max_length=200)
    risk: Risk
    planned_start: IsoDateTime
    planned_end: IsoDateTime
    rollback_plan: str | None = Field(
        default=None, max_length=20000, validate_default=True, description="required for a high-risk change"
    )
    ticket_id: str | None = Field(default=None, max_length=64, description="the ticket that asked for it")

    # Each refusal names its field (body.planned_end, body.rollback_plan), so a form shows it where it was typed.
    @field_validator("planned_end")
    @classmethod
    def _window(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("planned_start")
        if isinstance(start, datetime) and end <= start:
            raise ValueError("planned_end must be after planned_start")
        return end

    @field_validator("rollback_plan")
    @classmethod
    def _rollback(cls, plan: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("risk") == "high" and not (plan and plan.strip()):
            raise ValueError("a high-risk change needs a rollback_plan")
        return plan


class DecisionCreate(BaseModel):
    decision: Literal["approve", "reject"]
    note: str | None = Field(
        default=None, max_length=20000, validate_default=True, description="required when rejecting"
    )

    @field_validator("note")
    @classmethod
    def _reason(cls, note: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("decision") == "reject" and not (note and note.strip()):
            raise ValueError("say why the change is rejected (note)")
        return note


class ImplementationCreate(BaseModel):
    note: str | None = Field(default=None, max_length=20000)


class ReviewCreate(BaseModel):
    outcome: ReviewOutcome
    notes: str = Field(min_length=1, max_length=20000)


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    description: str
    affected_system: str
    risk: str
    planned_start: datetime
    planned_end: datetime
    rollback_plan: str | None
    status: ChangeStatus
    ticket_id: str | None
    requested_by: str
    requested_by_actor: Actor | None = actor_field("requested_by")
    requester_employee_id: str | None
    decided_by: str | None
    decided_by_actor: Actor | None = actor_field("decided_by")
    decided_at: datetime | None
    decision_note: str | None
    implemented_by: str | None
    implemented_by_actor: Actor | None = actor_field("implemented_by")
    implemented_at: datetime | None
    implementation_note: str | None
    reviewed_by: str | None
    reviewed_by_actor: Actor | None = actor_field("reviewed_by")
    reviewed_at: datetime | None
    review_outcome: str | None
    review_notes: str | None
    created_at: datetime
    updated_at: datetime


class ChangePage(Page[ChangeRead]):
    pass
