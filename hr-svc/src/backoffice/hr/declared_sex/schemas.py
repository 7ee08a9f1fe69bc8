"""Bodies and answers of an employee's declared sex."""

from __future__ import annotations

from datetime import datetime

from backoffice.shared.events.hr import DeclaredSex
from pydantic import BaseModel, ConfigDict, Field


class SexDeclarationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sex: DeclaredSex = Field(description="female, male, another, or not_declared (the person prefers not to say)")


class SexDeclarationRead(BaseModel):
    employee_id: str
    sex: DeclaredSex | None = Field(description="the latest declaration; empty when none was ever made")
    self_declared: bool | None = Field(default=None, description="declared by the employee themself")
    declared_at: datetime | None = None
