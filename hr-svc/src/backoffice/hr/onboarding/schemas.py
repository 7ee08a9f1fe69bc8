"""Bodies and answers of onboarding and offboarding: checklist templates and tasks."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Literal

from backoffice.hr.onboarding.models import Kind, OwnerRole, TaskStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, field_validator

CompletingEvent = Literal["helpdesk.ticket_resolved", "docs.document_filed"]


class TaskTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    owner_role: OwnerRole
    due_offset_days: int = Field(ge=-90, le=365, description="from the start date (onboarding) or last day")
    done_on_event: CompletingEvent | None = Field(
        default=None, description="another department's event that completes the task by itself"
    )


class TemplateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    department_id: str | None = Field(default=None, max_length=64, description="empty: every other department")
    tasks: list[TaskTemplate] = Field(min_length=1, max_length=100)


class TemplateRead(TemplateCreate):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime

    @field_validator("tasks", mode="before")
    @classmethod
    def _stored_as_json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


class TaskRead(BaseModel):
    id: str
    employee_id: str
    kind: Kind
    title: str
    owner_role: OwnerRole
    due_date: date
    done_on_event: str | None
    status: TaskStatus
    late: bool
    done_at: datetime | None
    done_by: str | None
    done_by_actor: Actor | None = actor_field("done_by")


class TemplatePage(Page[TemplateRead]):
    """Checklist templates, by kind."""


class TaskPage(Page[TaskRead]):
    """Checklist tasks."""
